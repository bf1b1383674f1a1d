// Oracle scene: every CSG operation, with and without inverse.
// Front row: union, intersection, difference, merge of a sphere and a box;
// back row: intersection with an inverted member (a hollow), difference of
// an inverted object, an inverted union (space outside it, clipped by a
// box), and a merge of transparent spheres (no inner surfaces).
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.1, 0.1, 0.15> }
camera { location <0, 5, -11> look_at <0, 0.6, 1.5> angle 55 }
light_source { <-5, 12, -10> rgb 1 }
light_source { <6, 4, -8> rgb 0.3 }

plane { y, -1 pigment { checker rgb 0.85 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Ball = sphere { 0, 1 }
#declare Block = box { -0.75, 0.75 rotate <20, 30, 0> }
#declare Fin = finish { ambient 0.15 diffuse 0.75 phong 0.6 phong_size 40 }

union {
  object { Ball } object { Block translate 0.6*x }
  pigment { rgb <0.9, 0.3, 0.2> } finish { Fin }
  translate <-4.5, 0, 0>
}
intersection {
  object { Ball } object { Block translate 0.4*x }
  pigment { rgb <0.3, 0.8, 0.3> } finish { Fin }
  translate <-1.5, 0, 0>
}
difference {
  object { Ball } object { Block translate 0.8*x }
  pigment { rgb <0.3, 0.4, 0.9> } finish { Fin }
  translate <1.5, 0, 0>
}
merge {
  object { Ball } object { Block translate 0.6*x }
  pigment { rgb <0.9, 0.8, 0.2> } finish { Fin }
  translate <4.5, 0, 0>
}

// A thick spherical shell, cut open by a plane so the inside shows.
intersection {
  sphere { 0, 1.1 }
  sphere { 0, 0.8 inverse }
  plane { -z, 0.2 inverse }
  pigment { rgb <0.8, 0.5, 0.9> } finish { Fin }
  rotate -40*y
  translate <-3.5, 0.1, 4>
}
// Subtracting an inverted sphere keeps only what is inside it.
difference {
  box { -1, 1 }
  sphere { 0, 1.25 inverse }
  pigment { rgb <0.2, 0.8, 0.8> } finish { Fin }
  rotate 30*y
  translate <0, 0, 4>
}
// The space outside two spheres, bounded by a box: a block with two
// spherical bites.
intersection {
  union { sphere { <-0.5, 0.6, 0>, 0.7 } sphere { <0.6, 0.2, -0.6>, 0.6 } inverse }
  box { -0.9, 0.9 }
  pigment { rgb <0.95, 0.6, 0.3> } finish { Fin }
  rotate -20*y
  translate <3.5, 0, 4>
}
// Overlapping glassy spheres merged: no internal surfaces.
merge {
  sphere { <-0.4, 0, 0>, 0.7 }
  sphere { <0.4, 0, 0>, 0.7 }
  pigment { rgbf <0.9, 0.9, 1, 0.7> }
  finish { ambient 0.1 diffuse 0.3 phong 0.9 phong_size 80 }
  translate <0, 1.6, 7>
}
