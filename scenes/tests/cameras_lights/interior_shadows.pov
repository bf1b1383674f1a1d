// Oracle scene: shadows through glass whose interior fades light with
// distance (fade_power 2 and the exponential 1001), and fake caustics.
#version 3.7;
#include "stage.inc"
light_source { <-4, 12, -8> rgb 1 }
sphere { <-1.5, 1.5, -3>, 1.2 pigment { rgbf <1, 1, 1, 0.95> } finish { ambient 0 diffuse 0.1 }
  interior { ior 1.3 fade_distance 0.8 fade_power 2 fade_color <0.9, 0.3, 0.2> } }
box { <1, 0.5, -4>, <2.5, 2.5, -2.5> pigment { rgbf <0.8, 1, 0.8, 0.9> } finish { ambient 0 diffuse 0.1 }
  interior { ior 1.5 fade_distance 1 fade_power 1001 fade_color <0.2, 0.5, 1> } }
sphere { <3.5, 4, -3>, 0.8 pigment { rgbf <1, 1, 1, 0.9> } finish { ambient 0 diffuse 0.1 }
  interior { ior 1.2 caustics 1.5 } }
