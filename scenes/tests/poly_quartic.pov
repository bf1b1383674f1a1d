// Oracle scene: quartic surfaces -- a torus written as a quartic (bounded by a
// sphere), a rounded cube x^4 + y^4 + z^4 = 1 solved with sturm, and a
// peanut x^4 - 2x^2 + y^2 + z^2 = 0 clipped by a box -- placed by rotations,
// non-uniform scales and translations, over a checkered floor for shadows.
// In front, a slab minus a quartic torus whose bounding sphere covers only part
// of it: the bound prunes rays to the torus, but its inside still cuts the slab.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 3.5, -9> look_at <0, 0.3, 0> angle 50 }
light_source { <-6, 10, -8> rgb 1 }
light_source { <7, 4, -5> rgb 0.3 }

plane { y, -1.4 pigment { checker rgb 0.8 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.6 phong_size 40 }

// Torus, major radius 1, minor 0.4, about y.
quartic {
  < 1, 0, 0, 0, 2, 0, 0, 2, 0, -2.32,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 0, 2, 0, 1.68, 0, 0, 0, 0,
    1, 0, -2.32, 0, 0.7056 >
  bounded_by { sphere { 0, 1.45 } }
  pigment { rgb <0.9, 0.35, 0.3> } finish { Fin }
  rotate <-55, 0, 15>
  translate <-2.6, 0, 0.5>
}

// Rounded cube; the commas at the line ends are left out on purpose.
quartic {
  < 1, 0, 0, 0, 0, 0, 0, 0, 0, 0
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0
    1, 0, 0, 0, -1 >
  sturm
  bounded_by { box { -1.01, 1.01 } }
  pigment { rgb <0.35, 0.75, 0.4> } finish { Fin }
  scale <0.9, 0.8, 0.9>
  rotate <20, 35, 0>
  translate <0, 0, 1.5>
}

// Peanut along x, clipped to a box that cuts its ends open.
quartic {
  < 1, 0, 0, 0, 0, 0, 0, 0, 0, -2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
    0, 0, 1, 0, 0 >
  clipped_by { box { <-1.3, -1, -1>, <1.3, 1, 1> } }
  pigment { rgb <0.4, 0.5, 0.95> } finish { Fin }
  scale 1.1
  rotate <0, -30, 70>
  translate <2.6, 0.1, 0>
}

difference {
  box { <-1.6, -0.15, -1.6>, <1.6, 0.15, 1.6> }
  quartic {
    < 1, 0, 0, 0, 2, 0, 0, 2, 0, -2.32,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      1, 0, 0, 2, 0, 1.68, 0, 0, 0, 0,
      1, 0, -2.32, 0, 0.7056 >
    bounded_by { sphere { <1, 0, 0>, 0.7 } }
  }
  pigment { rgb <0.85, 0.65, 0.35> } finish { Fin }
  scale 0.7
  rotate <-10, 25, 0>
  translate <0.3, -0.9, -2.6>
}
