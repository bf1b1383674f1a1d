// Oracle scene: quadric surfaces -- an ellipsoid, a hyperboloid of one
// sheet, a paraboloid, a double cone and a cylinder -- bounded by boxes
// and planes through CSG and clipped_by, plus a translated and rotated one.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.25, 0.25, 0.3> }
camera { location <0, 4, -12> look_at <0, 0.5, 0> angle 50 }
light_source { <-8, 12, -10> rgb 1 }
light_source { <8, 3, -6> rgb 0.35 }

plane { y, -1.5 pigment { checker rgb 0.8 rgb 0.6 scale 1.2 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.5 phong_size 30 }

// Ellipsoid x^2/4 + y^2 + z^2 = 1 (inside a box so it is bounded).
intersection {
  quadric { <0.25, 1, 1>, <0, 0, 0>, <0, 0, 0>, -1 }
  box { <-2.1, -1.1, -1.1>, <2.1, 1.1, 1.1> }
  pigment { rgb <0.9, 0.4, 0.3> } finish { Fin }
  translate <-3.5, 0, 2>
}

// Hyperboloid of one sheet, waist 0.5, cut into a vase-like shell.
intersection {
  quadric { <1, -1, 1>, <0, 0, 0>, <0, 0, 0>, -0.25 }
  quadric { <1, -1, 1>, <0, 0, 0>, <0, 0, 0>, -0.09 inverse }
  plane { y, 1.2 }
  plane { -y, 1.2 }
  pigment { rgb <0.3, 0.7, 0.9> } finish { Fin }
  translate <0, 0, 2>
}

// Paraboloid y = x^2 + z^2, a bowl clipped at y = 1.5.
quadric {
  <1, 0, 1>, <0, 0, 0>, <0, -1, 0>, 0
  clipped_by { plane { y, 1.5 } }
  pigment { rgb <0.9, 0.8, 0.3> } finish { Fin }
  translate <3.5, -1, 2>
}

// Double cone along y with cross terms (a sheared quadric), boxed.
intersection {
  quadric { <1, -0.5, 1>, <0.3, 0, 0>, <0, 0, 0>, 0 }
  box { -1.2, 1.2 }
  pigment { rgb <0.6, 0.9, 0.4> } finish { Fin }
  translate <-2, 0, -2>
}

// Infinite cylinder along z, cut to length, rotated and moved.
intersection {
  quadric { <1, 1, 0>, <0, 0, 0>, <0, 0, 0>, -0.36 }
  plane { z, 1.5 }
  plane { -z, 1.5 }
  pigment { rgb <0.8, 0.5, 0.9> } finish { Fin }
  rotate <0, 40, 20>
  translate <2.2, 0, -2>
}
