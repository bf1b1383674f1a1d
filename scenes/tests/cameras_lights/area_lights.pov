// Oracle scene: area lights sampled as POV-Ray does (corner subdivision):
// the full grid (default adaptive), adaptive 0 and 1, a 1-wide strip.
#version 3.7;
#include "stage.inc"
light_source { <-6, 10, -6> rgb 0.5 area_light <3, 0, 0>, <0, 0, 3>, 5, 5 }
light_source { <6, 9, -4> rgb 0.4 area_light <2, 0, 0>, <0, 2, 0>, 9, 9 adaptive 0 }
light_source { <0, 12, -2> rgb 0.3 area_light <4, 0, 0>, <0, 0, 1>, 6, 1 adaptive 1 }
