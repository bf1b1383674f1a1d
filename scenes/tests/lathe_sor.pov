// Oracle scene: lathes of every spline kind and surfaces of revolution.
// Front row: linear, quadratic, cubic and Bezier lathes; back row: a closed
// sor, an open sor, a lathe cut by a box (CSG inside test) and a scaled,
// tilted sor.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.1, 0.12, 0.15> }
camera { location <0, 6, -12> look_at <0, 1, 1.5> angle 50 }
light_source { <-6, 14, -9> rgb 1 }
light_source { <7, 5, -8> rgb 0.35 }

plane { y, 0 pigment { checker rgb 0.85 rgb 0.6 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.75 phong 0.5 phong_size 30 }

lathe { linear_spline 5 <0, 0>, <1, 0>, <0.6, 1>, <1, 2>, <0, 2>
  pigment { rgb <0.9, 0.3, 0.2> } finish { Fin } translate <-4.5, 0, 0>
}
lathe { quadratic_spline 5 <0, 0>, <1, 0>, <0.4, 1>, <0.9, 2>, <0, 2.2>
  pigment { rgb <0.3, 0.8, 0.3> } finish { Fin } translate <-1.5, 0, 0>
}
lathe { cubic_spline 6 <0.2, -0.5>, <0.01, 0>, <1, 0.3>, <0.5, 1.2>, <0.8, 2>, <0.2, 2.4>
  pigment { rgb <0.3, 0.4, 0.9> } finish { Fin } translate <1.5, 0, 0>
}
lathe { bezier_spline 8
  <0, 0>, <1.5, 0>, <0.2, 1>, <0.8, 1.5>,
  <0.8, 1.5>, <1.2, 2>, <0.5, 2.2>, <0, 2.2>
  pigment { rgb <0.9, 0.8, 0.2> } finish { Fin } translate <4.5, 0, 0>
}

sor { 6 <0, -0.5>, <0.8, 0>, <1, 0.6>, <0.5, 1.2>, <0.7, 2>, <0.9, 2.5>
  pigment { rgb <0.8, 0.4, 0.9> } finish { Fin } translate <-4.5, 0, 4>
}
sor { 6 <0, -0.5>, <0.8, 0>, <1, 0.6>, <0.5, 1.2>, <0.9, 2>, <1.1, 2.5>
  open
  pigment { rgb <0.2, 0.8, 0.8> } finish { Fin } translate <-1.5, 0, 4>
}
difference {
  lathe { cubic_spline 6 <0.5, -0.5>, <1, 0>, <1.2, 0.8>, <0.8, 1.4>, <1, 2>, <0.5, 2.5> }
  box { <-2, 1, -2>, <0, 3, 0> }
  pigment { rgb <0.95, 0.6, 0.3> } finish { Fin } translate <1.5, 0, 4>
}
sor { 5 <0, 0>, <0.6, 0.01>, <0.9, 1>, <0.3, 2>, <0.1, 2.5>
  pigment { rgb <0.7, 0.75, 0.8> } finish { Fin } scale <1.2, 0.8, 1> rotate <0, 0, 15> translate <4.5, 0.2, 4>
}
