// Oracle scene: a quartic torus with sturm, a cubic, a poly of order 5
// bounded by a sphere, and quaternion and hypercomplex Julia fractals.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.25, 0.25, 0.3> }
camera { location <0, 5, -11> look_at <0, 0.3, 0> angle 50 }
light_source { <-8, 12, -10> rgb 1 }
light_source { <8, 3, -6> rgb 0.35 }

plane { y, -1.5 pigment { checker rgb 0.8 rgb 0.6 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.5 phong_size 30 }

// Torus R = 1, r = 0.35 about y.
quartic {
  < 1, 0, 0, 0, 2, 0, 0, 2, 0, -2.245,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 0, 2, 0, 1.755, 0, 0, 0, 0,
    1, 0, -2.245, 0, 0.7590>
  sturm
  bounded_by { box { <-1.5, -0.5, -1.5>, <1.5, 0.5, 1.5> } }
  pigment { rgb <0.9, 0.3, 0.2> } finish { Fin }
  rotate -30*x
  translate <-3.5, 0, 2>
}

// x^3 - x - y = 0 sheet, cut to a slab: a cubic in CSG.
intersection {
  cubic { <1, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0> }
  box { -1.1, 1.1 }
  pigment { rgb <0.3, 0.8, 0.4> } finish { Fin }
  translate <0, 0, 2.5>
}

// x^4 + y^4 + z^4 - 1 = 0, a rounded cube as an order-4 poly, in a sphere.
poly { 4,
  < 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 0, 0, -1>
  bounded_by { sphere { 0, 1.5 } }
  pigment { rgb <0.3, 0.5, 0.9> } finish { Fin }
  rotate <20, 30, 0>
  translate <3.5, 0, 2>
}

julia_fractal {
  <-0.083, 0.0, -0.83, -0.025>
  quaternion sqr
  max_iteration 8
  precision 15
  pigment { rgb <0.9, 0.8, 0.3> } finish { Fin }
  scale 1.1
  translate <-2.5, 0, -1.5>
}

julia_fractal {
  <-0.2, 0.4, -0.3, 0.1>
  quaternion cube
  max_iteration 6
  precision 15
  pigment { rgb <0.4, 0.9, 0.9> } finish { Fin }
  translate <0.3, 0, -1.5>
}

julia_fractal {
  <-0.745, 0, 0.113, 0.05>
  hypercomplex sqr
  max_iteration 8
  precision 20
  slice <0, 0, 0.2, 1>, 0
  pigment { rgb <0.8, 0.4, 0.9> } finish { Fin }
  scale 0.8
  translate <3, 0, -1.5>
}
