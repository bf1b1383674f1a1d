// Oracle scene: interior_texture, the texture seen where a ray meets a surface
// from inside: cut-open spheres, an open cylinder, a union passing its interior
// texture to its children, a patterned one moved with its object, and a
// see-through outside whose inside casts the shadow.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 5, -10> look_at <0, 0.5, 0> angle 50 }
light_source { <-5, 10, -8> rgb 1 }
light_source { <6, 6, -3> rgb 0.4 }

plane { y, -1 pigment { checker rgb 0.75 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.2 diffuse 0.7 phong 0.4 }

sphere { 0, 1
  texture { pigment { rgb <0.9, 0.3, 0.2> } finish { Fin } }
  interior_texture { pigment { rgb <0.2, 0.9, 0.3> } finish { Fin } }
  clipped_by { plane { -z, 0.2 } }
  rotate <0, 30, 0> translate <-3, 0, 1>
}

cylinder { <0, -1, 0>, <0, 1, 0>, 0.9 open
  texture { pigment { rgb <0.3, 0.5, 0.9> } finish { Fin } }
  interior_texture { pigment { checker rgb <1, 0.9, 0.2> rgb <0.6, 0.2, 0.6> scale 0.3 } finish { Fin } }
  rotate <-35, 0, 0> translate <0, 0.2, 2>
}

union {
  sphere { <-0.6, 0, 0>, 0.7 }
  sphere { <0.6, 0, 0>, 0.7 texture { pigment { rgb <0.9, 0.9, 0.9> } finish { Fin } } }
  texture { pigment { rgb <0.9, 0.6, 0.2> } finish { Fin } }
  interior_texture { pigment { gradient y colour_map { [0 rgb <0.1, 0.2, 0.8>] [1 rgb <0.9, 0.9, 0.1>] } scale 0.5 } finish { Fin } }
  clipped_by { box { <-2, -1, -2>, <2, 0.25, 2> } }
  scale 1.2 translate <3, 0, 1>
}

box { <-0.8, 0, -0.8>, <0.8, 1.6, 0.8>
  texture { pigment { rgb 1 filter 1 } }
  interior_texture { pigment { rgb <0.8, 0.2, 0.2> } finish { Fin } }
  rotate <0, 20, 0> translate <-0.5, -1, -2>
}
