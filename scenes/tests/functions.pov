// User-defined functions: patterns, pigment functions, parse-time calls.
#version 3.7;
global_settings { assumed_gamma 1.0 }

#declare f_noise3d = function { internal(76) }
#declare f_r = function { internal(57) }

#declare Wave = function(a, b) { sin(a * 3) * cos(b * 2) * 0.5 + 0.5 }
#declare Rings = function { mod(f_r(x, y, z) * 4, 1) }
#declare Pick = function { select(x, 0.1, 0.5, 0.9) }
#declare Blend = function { min(max(Wave(x, z) * 0.7 + f_noise3d(x * 3, y * 3, z * 3) * 0.3, 0), 1) }
#declare StripesPig = pigment { gradient x color_map { [0 rgb <1, 0.2, 0>] [1 rgb <0, 0.3, 1>] } }
#declare Stripes = function { pigment { StripesPig } }
#declare Sum = function(n) { sum(i, 1, n, 1 / (i * i)) }
#declare Radius = 0.3 + Sum(20) * 0.2;

camera { location <0, 3, -6> look_at <0, 0.3, 0> angle 45 }
light_source { <-6, 9, -7> color rgb 1 }
light_source { <6, 4, -3> color rgb 0.4 }
background { rgb <0.1, 0.1, 0.15> }

plane { y, 0
  pigment { function { Rings(x, y, z) } color_map { [0 rgb 0.9] [0.5 rgb <0.6, 0.7, 0.9>] [1 rgb 0.2] } }
}
sphere { <-1.6, Radius, 0>, Radius
  pigment { function { Blend(x, y, z) } color_map { [0 rgb <0.9, 0.8, 0.1>] [1 rgb <0.1, 0.5, 0.2>] } scale 0.5 }
  finish { phong 0.6 }
}
box { <-0.5, 0, -0.5>, <0.5, 1, 0.5>
  pigment { function { Stripes(x, y, z).gray * 2 } color_map { [0 rgb 0] [1 rgb <1, 0.9, 0.7>] } scale 0.25 }
  rotate 30 * y
}
sphere { <1.6, 0.6, 0>, 0.6
  pigment { pigment_pattern { StripesPig } color_map { [0 rgb <0.2, 0.1, 0.4>] [1 rgb 1] } scale 0.2 }
  finish { specular 0.4 }
}
cylinder { <-2.6, 0, 1.5>, <2.6, 0, 1.5>, 0.15
  pigment { function { Pick(x - 1, 0, 0) + (z < 1.5) * 0.05 } color_map { [0 rgb <1, 0, 0>] [1 rgb <0, 0, 1>] } }
}
