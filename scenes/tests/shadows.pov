// Oracle scene: shadows through filtering and transmitting objects
// (coloured shadows), no_shadow, an object inside a hollow transparent
// one, and three coloured lights whose shadows overlap.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb 0.1 }
camera { location <0, 6, -9> look_at <0, 0.5, 0> angle 50 }
light_source { <-4, 9, -3> rgb <0.8, 0.3, 0.3> }
light_source { <0, 9, -4> rgb <0.3, 0.8, 0.3> }
light_source { <4, 9, -3> rgb <0.3, 0.3, 0.8> }

plane { y, 0 pigment { rgb 1 } finish { ambient 0.1 diffuse 0.9 } }

sphere { <-2.2, 1, 0>, 0.9 pigment { rgbf <1, 0.5, 0.1, 0.8> } finish { ambient 0 diffuse 0.2 } }
box { <-0.7, 0, -0.7>, <0.7, 1.5, 0.7> translate <0, 0, 1> pigment { rgbt <0.2, 0.5, 1, 0.6> } finish { ambient 0 diffuse 0.3 } }
cylinder { <2.2, 0, 0>, <2.2, 1.8, 0>, 0.5 pigment { rgb <0.9, 0.9, 0.2> } finish { ambient 0.1 diffuse 0.8 } }
sphere { <0.8, 0.4, -1.6>, 0.4 no_shadow pigment { rgb <0.9, 0.3, 0.9> } finish { ambient 0.2 diffuse 0.8 } }
// A hollow glass-free bubble with a solid ball inside.
sphere { <-1, 0.7, -2.2>, 0.7 hollow pigment { rgbt <1, 1, 1, 0.9> } finish { ambient 0 diffuse 0.1 phong 0.5 } }
sphere { <-1, 0.7, -2.2>, 0.3 pigment { rgb <0.2, 0.9, 0.9> } finish { ambient 0.1 diffuse 0.8 } }
