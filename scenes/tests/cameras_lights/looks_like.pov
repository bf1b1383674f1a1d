// Oracle scene: a light shown by a looks_like object (moved with the light,
// casting no shadow) and a light projected through a ring.
#version 3.7;
#include "stage.inc"
light_source { <0, 0, 0> rgb 0.8
  looks_like { sphere { 0, 0.4 pigment { rgb <1, 1, 0.6> } finish { ambient 1 diffuse 0 } } }
  translate <-1.5, 4.5, -2>
}
light_source { <4, 8, -8> rgb <0.6, 0.6, 1>
  projected_through { torus { 1.2, 0.5 rotate 60 * x translate <2, 5, -5> } }
}
light_source { <-10, 12, -15> rgb 0.15 }
