// Oracle scene for the bundled include library: one object or texture
// from every include file, rendered by POV-Ray 3.7 once with its own
// library and once with ours; the two images must be identical.
// The #version and assumed_gamma lines matter: without them POV-Ray's own
// include files (which switch to #version 3.5 internally) change how the
// scene's gamma is treated.
#version 3.7;
global_settings { assumed_gamma 1.0 }

#include "colors.inc"
#include "shapes.inc"
#include "shapes2.inc"
#include "textures.inc"
#include "finish.inc"
#include "metals.inc"
#include "glass.inc"

camera { location <0, 4, -14> look_at <0, 0, 0> }
light_source { <10, 20, -20> White }

plane { y, -2 pigment { checker White Gray50 } }

// shapes2.inc, with colours from colors.inc and textures from metals.inc
// (whose golds come from golds.inc).
object { Pyramid translate <-6, 0, 0> pigment { Red } }
object { Pyramid2 translate <-3, 0, 0> pigment { ForestGreen } }
object { Square_Z rotate 30*y pigment { MediumBlue } }
object { Dodecahedron translate <3, 0, 0> texture { T_Gold_3C } }
object { Icosahedron translate <6, 0, 0> texture { T_Brass_4B } }
object { Tetrahedron translate <-6, 3, 3> texture { T_Glass3 } interior { I_Glass } }
object { Octahedron translate <-2, 3, 3> texture { Polished_Chrome } }
object { Hexagon translate <2, 3, 3> pigment { Jade } }
object { Rhomboid scale 0.7 translate <6, 3, 3> texture { Silver2 } }
object { HalfCone_Y translate <0, 3, 6> pigment { OldGold } finish { Metal } }

// shapes.inc quadrics, clipped to size; textures.inc stripes; finish.inc.
object { Hyperboloid_Y scale 0.5 clipped_by { box { -1, 1 } } translate <-4, -1, -4>
  pigment { Candy_Cane } finish { Phong_Shiny } }
object { Paraboloid_Y clipped_by { box { -1, 1 } } translate <4, -1, -4> texture { T_Chrome_2E } }
object { Disk_Y scale <0.6, 0.2, 0.6> translate <0, -1.6, -5> pigment { DarkSlateBlue } finish { Glossy } }

// Layered textures and a material from textures.inc.
sphere { <-2, -1.4, -6>, 0.6 texture { PinkAlabaster } }
box { <-0.5, -2, -0.5>, <0.5, -0.9, 0.5> rotate 30*y translate <0.2, 0, -7> texture { DMFWood6 scale 2 } }
sphere { <2, -1.4, -6>, 0.6 material { M_Ruby_Glass } }
sphere { <4, -1.6, -7>, 0.4 texture { Rosewood scale 0.5 } }
sphere { <-4, -1.6, -7>, 0.4 texture { EMBWood1 } }
box { <-6, -2, -5>, <-3, -1.9, -3> material { M_Water } }
sphere { <6, -1.4, -6>, 0.6 pigment { colour Col_Emerald_03 filter 0.8 } finish { F_Glass6 } interior { I_Glass_Exp(2) } }
