// Oracle scene: polynomials beyond order 4, which POV-Ray always solves with
// Sturm sequences -- a sextic x^6 + y^6 + z^6 = 1, an octic written with
// `polynomial`, a quintic clipped by a sphere -- and a torus with `sturm`.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.22, 0.24, 0.3> }
camera { location <0, 3, -9> look_at <0, 0.2, 0> angle 50 }
light_source { <-6, 10, -8> rgb 1 }
light_source { <7, 3, -6> rgb 0.3 }

plane { y, -1.3 pigment { checker rgb 0.8 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.5 phong_size 30 }

poly {
  6,
  < 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
    0, 0, 0, -1 >
  sturm
  bounded_by { box { -1.01, 1.01 } }
  pigment { rgb <0.9, 0.45, 0.3> } finish { Fin }
  rotate <25, 40, 0>
  translate <-2.4, 0, 0.5>
}

// x^8 + y^8 + z^8 - (x^2 + y^2 + z^2) + 0.2 = 0: a cushion with dimples.
polynomial {
  8,
  xyz(8, 0, 0): 1, xyz(0, 8, 0): 1, xyz(0, 0, 8): 1,
  xyz(2, 0, 0): -1, xyz(0, 2, 0): -1, xyz(0, 0, 2): -1,
  xyz(0, 0, 0): 0.2
  sturm
  bounded_by { sphere { 0, 1.8 } }
  pigment { rgb <0.4, 0.8, 0.45> } finish { Fin }
  scale 0.9
  rotate <-30, 20, 0>
  translate <0.2, 0, 1.6>
}

// A quintic sheet y = x^5 - 2x^3 + x + 0.5 z^2, cut by a sphere.
polynomial {
  5,
  xyz(5, 0, 0): 1, xyz(3, 0, 0): -2, xyz(1, 0, 0): 1,
  xyz(0, 0, 2): 0.5, xyz(0, 1, 0): -1
  clipped_by { sphere { 0, 1.2 } }
  pigment { rgb <0.45, 0.55, 0.95> } finish { Fin }
  rotate <0, 0, 10>
  translate <2.6, 0, 0.5>
}

torus {
  0.9, 0.3
  sturm
  pigment { rgb <0.9, 0.8, 0.35> } finish { Fin }
  rotate <-60, 0, 0>
  translate <0.3, -0.4, -2.4>
}
