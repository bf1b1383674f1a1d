// Oracle scene: ovus shapes with the top radius smaller and larger than the
// bottom one, transformed, sturm, in CSG, clipped, inverse, and one whose top
// radius is too large (POV-Ray draws the top sphere and warns).
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 5, -11> look_at <0, 0.5, 0> angle 50 }
light_source { <-6, 10, -8> rgb 1 }
light_source { <7, 4, -5> rgb 0.4 }

plane { y, -1.2 pigment { checker rgb 0.75 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.6 phong_size 40 }

ovus { 1, 0.6 pigment { rgb <0.9, 0.3, 0.2> } finish { Fin } translate <-3.5, -0.2, 2> }
ovus { 0.6, 1.0 pigment { rgb <0.3, 0.8, 0.4> } finish { Fin } translate <0, -0.6, 2> }
ovus { 1, 0.4 sturm scale <1, 1.3, 0.8> rotate <0, 0, 35> pigment { rgb <0.3, 0.5, 0.9> } finish { Fin } translate <3.5, 0, 2> }

difference {
  ovus { 1, 0.7 }
  box { <-2, 0.5, -2>, <0, 2, 0> }
  pigment { rgb <0.9, 0.8, 0.3> } finish { Fin }
  rotate <0, 30, 0>
  translate <-3.5, -0.2, -1.5>
}

intersection {
  ovus { 0.8, 0.9 }
  box { <-2, -2, -0.4>, <2, 2, 2> }
  pigment { rgb <0.8, 0.4, 0.9> } finish { Fin }
  clipped_by { plane { y, 1 } }
  translate <0, -0.4, -1.5>
}

ovus { 0.5, 1.2 pigment { rgb <0.4, 0.9, 0.9> } finish { Fin } translate <3.5, -0.7, -1.5> }
