// Oracle scene: circular and oriented area lights.
#version 3.7;
#include "stage.inc"
light_source { <-5, 9, -5> rgb 0.6 area_light <3, 0, 0>, <0, 0, 3>, 6, 6 adaptive 1 circular }
light_source { <6, 6, -6> rgb 0.5 area_light <2, 0, 0>, <0, 2, 0>, 5, 5 adaptive 2 circular orient }
