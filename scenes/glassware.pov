// glassware.pov -- a refraction-heavy benchmark: a goblet, a tumbler, a
// solid glass ball and a bottle of coloured glass on a wooden table in
// front of a checkered wall. Rays refract and reflect many times, which
// stresses the tracer's recursion and the glass textures of the library.
// The glassware stands a hair above the table: faces coplanar with the
// table top would make the picture depend on rounding.
//
//   prender +Iglassware.pov +Oglassware.tga +W1024 +H768

global_settings { assumed_gamma 2.2 max_trace_level 15 }

#include "colors.inc"
#include "textures.inc"
#include "glass.inc"

camera {
  location <0, 12, -40>
  look_at <0, 5, 0>
  angle 45
}

light_source { <-40, 60, -50> colour White }
light_source { <50, 30, -20> colour Gray50 }

// ---- Table top and wall ----
box {
  <-40, -2, -25>, <40, 0, 25>
  pigment { Cherry_Wood scale 3 rotate 90*y turbulence 0.1 }
  finish { ambient 0.15 diffuse 0.7 phong 0.3 phong_size 30 reflection 0.1 }
}
plane {
  z, 30
  pigment { checker colour LightBlue colour White scale 6 }
  finish { ambient 0.3 diffuse 0.6 }
}
plane { y, -30 pigment { Gray30 } finish { ambient 0.3 diffuse 0.5 } }

// ---- A goblet: bowl (half shell), stem and foot ----
union {
  intersection {
    difference { sphere { 0, 4 } sphere { 0, 3.7 } }
    plane { y, 1.2 }
  }
  cylinder { <0, -6, 0>, <0, -3.8, 0>, 0.35 }
  cone { <0, -7, 0>, 2.5, <0, -6.5, 0>, 0.4 }
  texture { T_Glass3 }
  interior { I_Glass }
  translate <-9, 7.01, 4>
}

// ---- A tumbler: an open-topped thick-walled cylinder ----
difference {
  cylinder { <0, 0, 0>, <0, 8, 0>, 3 }
  cylinder { <0, 0.6, 0>, <0, 8.1, 0>, 2.7 }
  texture { T_Glass1 }
  interior { I_Glass }
  translate <1, 0.01, 8>
}

// ---- A solid glass ball ----
sphere { <-1, 3, -6>, 3 texture { T_Glass4 } interior { ior Crown_Glass_Ior } }

// ---- A green bottle: body, shoulder and neck ----
merge {
  cylinder { <0, 0, 0>, <0, 9, 0>, 2.8 }
  sphere { <0, 9, 0>, 2.8 }
  cylinder { <0, 9, 0>, <0, 14.9, 0>, 0.9 }
  torus { 0.9, 0.2 translate 15*y }
  texture { T_Winebottle_Glass }
  interior { I_Glass }
  translate <10, 0.01, 3>
}
