// columns.pov -- a colonnade benchmark: two rows of marble columns on a
// polished checkered floor, a chrome sphere and a jade sphere between them,
// lit by a warm spotlight and a cool fill light. Many objects (the bounding
// hierarchy matters), reflections in the floor, turbulent marble.
//
//   prender +Icolumns.pov +Ocolumns.tga +W1024 +H768

global_settings { assumed_gamma 2.2 max_trace_level 8 }

#include "colors.inc"
#include "textures.inc"
#include "metals.inc"

camera {
  location <0, 13, -48>
  look_at <0, 12, 16>
  angle 56
}

background { colour rgb <0.45, 0.55, 0.75> }

light_source {
  <-30, 80, -60> colour rgb <1, 0.92, 0.8>
  spotlight point_at <0, 0, 10> radius 25 falloff 40 tightness 2
}
light_source { <60, 40, -80> colour rgb <0.3, 0.35, 0.45> }

// ---- One column: plinth, base ring, shaft, capital ring, abacus ----
#declare Column = union {
  box { <-3, 0, -3>, <3, 1.5, 3> }
  torus { 2.2, 0.6 translate 2.1*y }
  cylinder { <0, 1.5, 0>, <0, 22, 0>, 2 }
  torus { 2.1, 0.5 translate 22*y }
  box { <-2.8, 22.4, -2.8>, <2.8, 24, 2.8> }
}

#declare Stone = texture {
  pigment { White_Marble scale 3 rotate 60*z }
  finish { ambient 0.15 diffuse 0.75 phong 0.4 phong_size 40 }
}

#declare Row = 0;
#while (Row < 5)
  object { Column texture { Stone } translate <-14, 0, Row*16> }
  object { Column texture { Stone } translate < 14, 0, Row*16> }
  #declare Row = Row + 1;
#end

// A lintel along each row.
box { <-17, 24, -3>, <-11, 26, 67> texture { Stone } }
box { < 11, 24, -3>, < 17, 26, 67> texture { Stone } }

// ---- Floor: polished checker tiles ----
plane {
  y, 0
  pigment { checker colour rgb <0.85, 0.82, 0.75> colour rgb <0.25, 0.22, 0.2> scale 8 }
  finish { ambient 0.15 diffuse 0.7 reflection 0.3 specular 0.5 roughness 0.01 }
}

// ---- Two spheres between the rows ----
sphere { <-4, 5, 12>, 5 texture { T_Chrome_4D } }
sphere { <6, 3.5, 26>, 3.5 pigment { Jade scale 2 } finish { ambient 0.15 diffuse 0.7 phong 0.9 phong_size 90 reflection 0.1 } }
