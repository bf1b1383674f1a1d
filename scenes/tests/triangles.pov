// Oracle scene: flat and smooth triangles, alone, in a union and in CSG with a box.
#version 3.7;
global_settings { assumed_gamma 1.0 }
camera { location <0, 2, -5> look_at <0, 0.2, 0> }
light_source { <10, 20, -20> rgb 1 }
light_source { <-8, 6, -4> rgb 0.4 }
plane { y, -1 pigment { checker rgb 1 rgb 0.5 } }

triangle { <-2, -1, 0>, <0, 1.5, 0.5>, <-0.5, -1, -1>
  pigment { rgb <1, 0.2, 0.2> } finish { phong 0.8 } }

smooth_triangle { <0.2, -1, 0>, <-1, 0, -1>, <2, 1.2, 0.3>, <1, 1, -1>, <1.5, -1, -1>, <0, -1, -1>
  pigment { rgb <0.2, 0.4, 1> } finish { phong 1 specular 0.3 } }

// A square of two triangles, as shapes2.inc's Square_Z is made.
union {
  triangle { <-1, 1, 0>, <1, -1, 0>, <-1, -1, 0> }
  triangle { <-1, 1, 0>, <1, -1, 0>, <1, 1, 0> }
  scale 0.5 rotate 30*y translate <1.5, 1.6, 1>
  pigment { rgb <0.2, 0.9, 0.3> }
}

// A reflective triangle with a shadow cast on it by a box.
intersection {
  triangle { <-2.5, -1, 2>, <2.5, -1, 2>, <0, 2.5, 2.5> }
  box { <-1.8, -2, 1>, <1.8, 1.8, 3> }
  pigment { rgb 0.8 } finish { reflection 0.3 }
}
box { <-0.4, -1, -2>, <0.2, -0.4, -1.4> rotate 20*y pigment { rgb <1, 0.8, 0.2> } }
