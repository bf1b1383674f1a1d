// vase.pov -- prender's default scene, in the spirit of the classic
// skyvase benchmark: a marbled vase with a gold rim on a stone pedestal,
// between two reflective walls that meet behind it, so most rays bounce a
// few times. Written for prender; renders the same in POV-Ray 3.7.
//
//   prender +Ivase.pov +Ovase.tga +W1024 +H768
//   povray  +Ivase.pov +Ovase.tga +W1024 +H768

global_settings { assumed_gamma 2.2 max_trace_level 12 }

#include "colors.inc"
#include "shapes.inc"
#include "shapes2.inc"
#include "textures.inc"

camera {
  location <0, 45, -300>
  direction 2*z
  up y
  right 4/3*x
  look_at <0, -18, 0>
}

light_source { <-120, 400, -450> colour White }
light_source { <200, 120, -300> colour Gray40 }

// ---- The vase: a flared hyperboloid neck on a squat round body ----

#declare Neck = intersection {
  object { Hyperboloid_Y scale <0.55, 1.1, 0.55> }
  object { Hyperboloid_Y scale <0.48, 1.1, 0.48> inverse }
  plane { y, 1.1 }
  plane { -y, 0 }
}

#declare Body = difference {
  sphere { 0, 1 scale <1.3, 0.85, 1.3> }
  sphere { 0, 1 scale <1.22, 0.77, 1.22> }
  cylinder { <0, 0.5, 0>, <0, 1, 0>, 0.48 }
  translate -0.55*y
}

union {
  union {
    object { Neck translate 0.2*y }
    object { Body }
    pigment {
      White_Marble
      turbulence 0.6
      scale <0.8, 0.4, 0.8>
      rotate 25*z
    }
    finish { ambient 0.12 diffuse 0.7 phong 0.9 phong_size 120 reflection 0.25 }
  }
  // Gold bands at the lip and the shoulder.
  torus { 0.6, 0.05 translate 1.32*y }
  torus { 1.25, 0.06 translate -0.38*y }
  texture { pigment { OldGold } finish { Metal } }
  scale <22, 26, 22>
  translate 3.5*y
}

// ---- The pedestal: an octagonal prism of agate with a bevelled cap ----

#declare Octagon = intersection {
  #declare Side = 0;
  #while (Side < 8)
    plane { z, 1 rotate Side*45*y }
    #declare Side = Side + 1;
  #end
  plane { y, 1 }
  plane { -y, 1 }
  bounded_by { sphere { 0, 1.8 } }
}

union {
  object { Octagon scale <34, 22, 34> translate -57*y }
  object { Octagon scale <38, 3, 38> rotate 22.5*y translate -33*y }
  pigment { Blue_Agate scale 12 }
  finish { ambient 0.2 diffuse 0.7 phong 0.5 phong_size 60 reflection 0.45 }
}

// ---- Two reflective walls in a V behind the vase, and a dark floor ----

union {
  plane { z, 60 rotate -40*y }
  plane { z, 60 rotate 40*y }
  hollow
  pigment { DimGray }
  finish { ambient 0.2 diffuse 0.7 reflection 0.55 }
}

plane {
  y, -79
  pigment { checker colour Gray20 colour Gray35 scale 25 }
  finish { ambient 0.2 diffuse 0.6 reflection 0.2 }
}
