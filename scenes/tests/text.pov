// Oracle scene: TrueType text from POV-Ray's installed fonts (found through
// the include path): plain, kerned pairs, an offset between letters,
// thickness, rotation, and text cut into a block (CSG with glyph solids).
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
