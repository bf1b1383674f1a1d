// Oracle scene: blobs of sphere and cylinder components, negative strength,
// component transforms (a squashed sphere is an ellipsoid), the old
// `component` syntax, a blob in CSG and one seen through a clip.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.25, 0.25, 0.3> }
camera { location <0, 6, -12> look_at <0, 0.5, 0> angle 48 }
light_source { <-8, 12, -10> rgb 1 }
light_source { <8, 3, -6> rgb 0.35 }

plane { y, -1.5 pigment { checker rgb 0.8 rgb 0.6 scale 1.5 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.8 phong_size 60 }

blob {
  threshold 0.6
  sphere { <-0.6, 0, 0>, 1, 1 }
  sphere { <0.6, 0, 0>, 1, 1 }
  sphere { <0, 0.8, 0>, 0.9, strength 1 }
  pigment { rgb <0.9, 0.3, 0.2> } finish { Fin }
  translate <-3.5, 0, 2>
}

blob {
  threshold 0.5
  cylinder { <-1.5, 0, 0>, <1.5, 0, 0>, 0.8, 2 }
  cylinder { <0, -1, 0>, <0, 1.2, 0>, 0.7, 2 }
  sphere { <0, 0.2, -0.3>, 0.6, -3 }
  pigment { rgb <0.3, 0.8, 0.4> } finish { Fin }
  rotate <0, 30, 0>
  translate <0, 0, 2>
}

blob {
  threshold 0.4
  component 1, 1.2, <0, 0, 0>
  sphere { <0, 0, 0>, 1, 1 scale <2, 0.6, 1> rotate 30*z translate <0.5, 0, 0> }
  sphere { <0, 0, 0>, 0.8, 1 translate <-0.8, 0.6, 0> }
  pigment { rgb <0.3, 0.5, 0.9> } finish { Fin }
  scale 0.9
  translate <3.5, 0, 2>
}

difference {
  blob {
    threshold 0.5
    sphere { <0, 0, 0>, 1.6, 1.5 }
    sphere { <0.9, 0.5, 0>, 1, 1 }
    sturm
  }
  box { <-2, -0.3, -2>, <2, 0.3, -0.2> }
  pigment { rgb <0.9, 0.8, 0.3> } finish { Fin }
  translate <-2, 0, -2>
}

blob {
  threshold 0.5
  sphere { <-0.5, 0, 0>, 1.2, 1 }
  sphere { <0.5, 0.3, 0>, 1.2, 1 }
  clipped_by { plane { z, 0 } }
  pigment { rgb <0.8, 0.4, 0.9> } finish { Fin }
  rotate <0, -40, 0>
  translate <2.2, 0, -2>
}
