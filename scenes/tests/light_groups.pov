// Oracle scene: light_group. A red light lights only the group's sphere and
// box (which see no global light); a second group, moved as a whole, keeps
// the global lights and adds a blue one; a plain sphere and the floor see
// only the global lights. Every object still shades every light's rays.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.15, 0.15, 0.2> }
camera { location <0, 5, -11> look_at <0, 0.5, 0> angle 50 }
light_source { <-6, 10, -8> rgb 0.9 }

#declare Fin = finish { ambient 0.1 diffuse 0.8 phong 0.4 }

plane { y, -1 pigment { checker rgb 0.8 rgb 0.55 } finish { Fin } }

light_group {
  light_source { <4, 6, -6> rgb <1, 0.3, 0.2> }
  sphere { <-3.5, 0, 0>, 1 pigment { rgb 1 } finish { Fin } }
  union {
    box { <-1.5, -1, 1.5>, <-0.5, 0.5, 2.5> pigment { rgb <0.8, 0.9, 0.8> } finish { Fin } }
  }
}

light_group {
  sphere { 0, 1 pigment { rgb <0.9, 0.9, 0.6> } finish { Fin } }
  light_source { <0, 3, -5> rgb <0.2, 0.3, 1> }
  translate <0.5, 0, 0>
  global_lights on
}

sphere { <3.5, 0, 0.5>, 1 pigment { rgb <0.7, 0.8, 1> } finish { Fin } }
