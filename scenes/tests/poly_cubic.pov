// Oracle scene: order 2 and 3 polynomials -- a monkey saddle y = x^3 - 3xz^2
// clipped by a box, a cubic blob x^2 + y^2 + z^2 + 0.6xyz = 1 bounded by a
// sphere, a sheared ellipsoid as `poly { 2, ... }`, and the saddle again
// written with POV-Ray 3.7's `polynomial { xyz(i, j, k): c }` syntax.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.25, 0.25, 0.28> }
camera { location <0, 4, -10> look_at <0, 0, 0> angle 48 }
light_source { <-7, 12, -9> rgb 1 }
light_source { <6, 2, -7> rgb 0.35 }

plane { y, -1.6 pigment { checker rgb 0.75 rgb 0.5 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 specular 0.4 roughness 0.02 }

cubic {
  < 1, 0, 0, 0, 0, 0, 0, -3, 0, 0,
    0, 0, 0, 0, 0, -1, 0, 0, 0, 0 >
  clipped_by { box { -1, 1 } }
  pigment { rgb <0.95, 0.75, 0.3> } finish { Fin }
  rotate <0, 20, 0>
  translate <-2.7, 0, 1>
}

cubic {
  < 0, 0, 0, 1, 0, 0.6, 0, 0, 0, 0,
    0, 0, 1, 0, 0, 0, 0, 1, 0, -1 >
  bounded_by { sphere { 0, 1.6 } }
  pigment { rgb <0.4, 0.8, 0.85> } finish { Fin }
  rotate <10, -25, 0>
  translate <0, 0, 1.2>
}

poly {
  2, < 1, 0.5, 0, 0, 4, 0, 0, 2, 0, -1 >
  pigment { rgb <0.85, 0.4, 0.7> } finish { Fin }
  scale 1.2
  translate <2.6, 0, 1>
}

polynomial {
  3,
  xyz(3, 0, 0): 1,
  xyz(1, 0, 2): -3
  xyz(0, 1, 0): -1,
  clipped_by { box { -1, 1 } }
  pigment { rgb <0.6, 0.9, 0.4> } finish { Fin }
  scale <1.2, 0.6, 1.2>
  rotate <-20, 0, 10>
  translate <0.2, -0.5, -2.2>
}
