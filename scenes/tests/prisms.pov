// Oracle scene: prisms of every spline kind and sweep.
// Front row: linear, quadratic, cubic and Bezier outlines swept straight up;
// back row: a conic sweep, an open prism, a prism with a hole (two
// sub-outlines), and a box with a prism cut out of it (CSG inside test).
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.1, 0.12, 0.15> }
camera { location <0, 7, -12> look_at <0, 0.5, 1.5> angle 50 }
light_source { <-6, 14, -9> rgb 1 }
light_source { <7, 5, -8> rgb 0.35 }

plane { y, 0 pigment { checker rgb 0.85 rgb 0.6 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.75 phong 0.5 phong_size 30 }

prism { linear_spline 0, 1.2, 6
  <-1, -1>, <1, -1>, <1.2, 0.5>, <0, 1.2>, <-1.2, 0.5>, <-1, -1>
  pigment { rgb <0.9, 0.3, 0.2> } finish { Fin } translate <-4.5, 0, 0>
}
prism { quadratic_spline 0, 1.5, 6
  <0, 1>, <1, 0>, <0, -1>, <-1, 0>, <0, 1>, <1, 0>
  pigment { rgb <0.3, 0.8, 0.3> } finish { Fin } translate <-1.5, 0, 0>
}
prism { cubic_spline 0, 1, 9
  <0, -1>, <1, 0>, <0.3, 0.4>, <0, 1.2>, <-0.3, 0.4>, <-1, 0>, <0, -1>, <1, 0>, <0.3, 0.4>
  pigment { rgb <0.3, 0.4, 0.9> } finish { Fin } rotate 20*y translate <1.5, 0, 0>
}
prism { bezier_spline 0, 0.8, 8
  <1, 0>, <1, 1.2>, <-1, 1.2>, <-1, 0>,
  <-1, 0>, <-1, -1.2>, <1, -1.2>, <1, 0>
  pigment { rgb <0.9, 0.8, 0.2> } finish { Fin } translate <4.5, 0, 0>
}

prism { conic_sweep linear_spline 0, 1, 5
  <1, 1>, <-1, 1>, <-1, -1>, <1, -1>, <1, 1>
  rotate 180*x translate 2*y scale <1, 1.5, 1>
  pigment { rgb <0.8, 0.4, 0.9> } finish { Fin } translate <-4.5, 0, 4>
}
prism { cubic_spline 0, 1.5, 7
  <0, -1>, <1.1, 0>, <0, 1.1>, <-1.1, 0>, <0, -1>, <1.1, 0>, <0, 1.1>
  open
  pigment { rgb <0.2, 0.8, 0.8> } finish { Fin } translate <-1.5, 0, 4>
}
prism { linear_spline 0, 1, 10
  <-1, -1>, <1, -1>, <1, 1>, <-1, 1>, <-1, -1>
  <-0.4, -0.4>, <0.4, -0.4>, <0.4, 0.4>, <-0.4, 0.4>, <-0.4, -0.4>
  pigment { rgb <0.95, 0.6, 0.3> } finish { Fin } rotate 30*y translate <1.5, 0, 4>
}
difference {
  box { <-1, 0, -1>, <1, 1.6, 1> }
  prism { bezier_spline -0.1, 2, 4 <0.7, 0>, <0.7, 1>, <-0.7, 1>, <0.7, 0> rotate 90*x translate 0.8*y }
  pigment { rgb <0.7, 0.75, 0.8> } finish { Fin } rotate -25*y translate <4.5, 0, 4>
}
