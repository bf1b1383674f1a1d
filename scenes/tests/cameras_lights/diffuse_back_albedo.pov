// Oracle scene: diffuse_back (light from behind a thin panel shows through
// its back) and the albedo forms of diffuse, phong and specular, which
// POV-Ray rescales by brilliance, phong_size and roughness.
#version 3.7;
#include "stage.inc"
light_source { <-6, 10, -8> rgb 0.8 }
light_source { <2, 4, 5> rgb <1, 0.9, 0.6> }
box { <-2, 0.2, 4>, <2, 4, 4.05> pigment { rgb 0.9 } finish { ambient 0.05 diffuse 0.5, 0.4 } }
sphere { <-1, 4, -2>, 0.8 pigment { rgb <0.3, 0.6, 1> }
  finish { ambient 0.05 diffuse albedo 0.7 brilliance 3 phong albedo 0.5 phong_size 20 } }
sphere { <2, 4, -2>, 0.8 pigment { rgb <1, 0.8, 0.3> }
  finish { ambient 0.05 diffuse 0.6 specular albedo 0.6 roughness 0.02 } }
