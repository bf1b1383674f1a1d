// Statistics oracle: a scene whose ray counts POV-Ray and prender must agree on.
// Reflection on the floor and a sphere, a refracting glass ball, one light, one
// infinite plane, max_trace_level 4 (reached through the mirrors).
#version 3.7;
global_settings { assumed_gamma 1.0 max_trace_level 4 }
camera { location <0, 2, -6> look_at <0, 0.5, 0> }
light_source { <5, 10, -5> color rgb 1 }
plane { y, 0 pigment { checker rgb 1, rgb <0.2, 0.3, 0.8> } finish { reflection 0.3 } }
sphere { <0, 1, 0>, 1 pigment { rgb <1, 0.3, 0.2> } finish { phong 0.8 reflection 0.5 } }
sphere { <2, 1, 1>, 0.7 pigment { rgbf <1, 1, 1, 0.8> } interior { ior 1.5 } }
box { <-3, 0, 1>, <-1.5, 1.5, 2> pigment { rgb <0.3, 1, 0.3> } }
