// Oracle scene: superellipsoids from rounded boxes to pinched stars, scaled,
// rotated, in CSG (difference and intersection) and clipped.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 5, -11> look_at <0, 0.3, 0> angle 50 }
light_source { <-6, 10, -8> rgb 1 }
light_source { <7, 4, -5> rgb 0.4 }

plane { y, -1.2 pigment { checker rgb 0.75 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.6 phong_size 40 }

superellipsoid { <0.2, 0.2> pigment { rgb <0.9, 0.3, 0.2> } finish { Fin } translate <-3.5, 0, 2> }
superellipsoid { <1, 1> scale <1.2, 0.8, 1> pigment { rgb <0.3, 0.8, 0.4> } finish { Fin } translate <0, 0, 2> }
superellipsoid { <2.5, 0.4> rotate <30, 20, 0> pigment { rgb <0.3, 0.5, 0.9> } finish { Fin } translate <3.5, 0, 2> }
superellipsoid { <0.5, 3> pigment { rgb <0.9, 0.8, 0.3> } finish { Fin } translate <-3.5, 0, -1.5> }

difference {
  superellipsoid { <0.3, 0.3> }
  sphere { <0, 0, -1>, 0.8 }
  pigment { rgb <0.8, 0.4, 0.9> } finish { Fin }
  rotate <0, -25, 0>
  translate <0, 0, -1.5>
}

intersection {
  superellipsoid { <0.1, 1> scale 1.1 }
  superellipsoid { <1, 0.1> scale 1.1 rotate 45*y }
  pigment { rgb <0.4, 0.9, 0.9> } finish { Fin }
  clipped_by { plane { y, 0.6 } }
  translate <3.5, 0, -1.5>
}
