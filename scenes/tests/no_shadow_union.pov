// A no_shadow object inside a top-level union: prender splits such unions into
// its bounding tree, and the child's own no_shadow must survive that. The red
// box stands between the light and the white wall; only the green one, whose
// union says no_shadow, and the red one, which says it itself, cast nothing.
camera { location <0, 2, -10> look_at 0 }
light_source { <0, 1, -20> color rgb 1 }
#declare Thing = box { -1, 1 no_shadow }
union {
  object { Thing pigment { rgb <1, 0, 0> } translate <-2, 0, -3> }
  box { -1, 1 pigment { rgb <0, 0, 1> } translate <2, 0, -3> }
  translate 0.5*x
}
union {
  box { -0.5, 0.5 pigment { rgb <0, 1, 0> } translate <0, 2, -3> }
  no_shadow
}
box { <-6, -4, 1>, <6, 5, 2> pigment { rgb 1 } }
