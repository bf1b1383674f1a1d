// Oracle scene: which rays see no_image and no_reflection objects. A no_image
// sphere stays hidden behind glass (a refracted camera ray is still an image
// ray) but shows in the mirror and casts its shadow; a no_reflection sphere is
// seen directly and through glass, but neither in the mirror nor through the
// glass seen in the mirror.
#version 3.7;
#include "stage.inc"
light_source { <-5, 12, -10> rgb 1 }
box { <-4, 0, 4>, <4, 5, 4.2> pigment { rgb 0.1 } finish { ambient 0 diffuse 0.1 reflection 0.9 } }
box { <-1, 2.5, -5>, <1.5, 4.5, -4.5> pigment { rgbf <1, 1, 1, 0.95> } finish { ambient 0 diffuse 0 }
  interior { ior 1.05 } }
sphere { <0.3, 3.5, -2>, 0.7 pigment { rgb <1, 1, 0> } no_image }
sphere { <-2.5, 3.5, -1>, 0.7 pigment { rgb <0, 1, 1> } no_reflection }
