// Oracle scene: TrueType text from POV-Ray's installed fonts (found through
// the include path): plain, kerned pairs, an offset between letters,
// thickness, rotation, text cut into a block (CSG with glyph solids), and the
// built-in fonts (`internal N`).
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.12, 0.12, 0.16> }
camera { location <2.2, 2.5, -6> look_at <2.2, 0.6, 0> angle 55 }
light_source { <-4, 10, -8> rgb 1 }
light_source { <8, 3, -6> rgb 0.4 }

plane { y, -0.5 pigment { checker rgb 0.8 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.75 phong 0.5 phong_size 30 }

text { ttf "timrom.ttf" "AVa Text" 0.3, 0
  pigment { rgb <0.9, 0.3, 0.2> } finish { Fin } translate <-0.5, 1.6, 0>
}
text { ttf "cyrvetic.ttf" "WAVY" 0.5, <0.1, 0.05, 0>
  pigment { rgb <0.3, 0.8, 0.3> } finish { Fin } rotate -25*y translate <-0.3, 0.4, 0.5>
}
difference {
  box { <-0.1, -0.3, 0>, <2.3, 1, 0.6> }
  text { ttf "crystal.ttf" "Cut" 1, 0 translate <0, 0, -0.2> }
  pigment { rgb <0.7, 0.75, 0.85> } finish { Fin } rotate 20*y translate <2.8, -0.2, 0>
}
// POV-Ray's built-in fonts by number (0 or any other number is its logo font).
text { internal 2 "Int 2" 0.2, 0
  pigment { rgb <0.9, 0.8, 0.2> } finish { Fin } scale 0.6 translate <-1.2, 2.6, 0>
}
text { internal 7 "P" 0.2, 0
  pigment { rgb <0.2, 0.5, 0.9> } finish { Fin } scale 0.8 translate <3.6, 2.4, 0>
}
