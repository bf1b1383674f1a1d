// Oracle scene: bicubic patches of both types, coarse and fine, flat-enough
// and step-limited, transformed, in CSG, clipped, and with a bounded_by.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.15, 0.17, 0.25> }
camera { location <0, 6, -10> look_at <0, 0.5, 0> angle 55 }
light_source { <-5, 10, -8> rgb 1 }
light_source { <6, 5, -4> rgb 0.4 }

plane { y, -1.5 pigment { checker rgb 0.7 rgb 0.5 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.5 phong_size 30 }

// A saddle-like sheet over [0, 3] x [0, 3].
#declare Sheet = bicubic_patch { type 1 flatness 0.01 u_steps 4 v_steps 4
  <0, 0, 2>, <1, 0, 0>, <2, 0, 0>, <3, 0, -2>,
  <0, 1, 0>, <1, 1, 0>, <2, 1, 0>, <3, 1, 0>,
  <0, 2, 0>, <1, 2, 0>, <2, 2, 0>, <3, 2, 0>,
  <0, 3, 2>, <1, 3, 0>, <2, 3, 0>, <3, 3, -2>
}

object { Sheet pigment { rgb <0.9, 0.4, 0.2> } finish { Fin }
  translate <-1.5, -1.5, 0> rotate <-60, 20, 0> translate <-3.2, 0.8, 1> }

// Type 0, coarse: its facets show.
bicubic_patch { type 0 flatness 0 u_steps 2 v_steps 1
  <0, 0, 0>, <1, 2, 0>, <2, 2, 0>, <3, 0, 0>,
  <0, 0, 1>, <1, 2, 1>, <2, 2, 1>, <3, 0, 1>,
  <0, 0, 2>, <1, 2, 2>, <2, 2, 2>, <3, 0, 2>,
  <0, 0, 3>, <1, 2, 3>, <2, 2, 3>, <3, 0, 3>
  pigment { rgb <0.3, 0.8, 0.4> } finish { Fin }
  scale <0.8, 1, 0.8> translate <-1.2, -1.4, -1>
}

// A dome, fine, in a union with a sphere and scaled unevenly.
union {
  bicubic_patch { type 1 flatness 0.001 u_steps 6 v_steps 6 uv_vectors <0,0>, <1,0>, <1,1>, <0,1>
    <0, 0, 0>, <1, 0, 0>, <2, 0, 0>, <3, 0, 0>,
    <0, 0, 1>, <1, 3, 1>, <2, 3, 1>, <3, 0, 1>,
    <0, 0, 2>, <1, 3, 2>, <2, 3, 2>, <3, 0, 2>,
    <0, 0, 3>, <1, 0, 3>, <2, 0, 3>, <3, 0, 3>
    translate <-1.5, 0, -1.5>
  }
  sphere { 0, 0.4 translate <0, 2.4, 0> }
  pigment { rgb <0.3, 0.5, 0.9> } finish { Fin }
  scale <1, 0.8, 1.2> translate <3, -1.5, 0.5>
}

// Clipped by a sphere: POV-Ray 3.7 does not cut a patch, the clip only shrinks
// its bounding box. Then an intersection with a box (a patch has no inside,
// so only its part in the box stays).
object { Sheet pigment { rgb <0.9, 0.8, 0.3> } finish { Fin }
  clipped_by { sphere { <1.5, 1.5, 0>, 1.4 } }
  translate <-1, -1, 1> }

intersection {
  object { Sheet translate <-1.5, -1.5, 0> rotate <-70, 0, 0> }
  box { <-1, -2, -2>, <1, 2, 2> }
  pigment { rgb <0.8, 0.4, 0.9> } finish { Fin }
  bounded_by { sphere { 0, 3 } }
  translate <0.5, 0, -3>
}
