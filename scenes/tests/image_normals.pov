// Oracle scene: bump_map from a PPM and, by palette index, from a PNG;
// image_pattern as a pattern for a colour map and a normal; a material_map;
// normal_map, slope_map, a checker of normals and accuracy (images made for
// this test).
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.25, 0.3> }
camera { location <0, 0, -12> look_at <0, 0, 0> angle 52 }
light_source { <-6, 10, -14> rgb 1 }
light_source { <8, -4, -10> rgb 0.4 }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.6 phong_size 40 }
#declare Tile = box { <-1, -1, 0>, <1, 1, 0.1> }

object { Tile pigment { rgb 0.8 } finish { Fin }
  normal { bump_map { ppm "img_bumps.ppm" interpolate 2 bump_size 3 } translate -0.5 scale 2 }
  translate <-4.5, 2.4, 0> }
object { Tile pigment { rgb 0.8 } finish { Fin }
  normal { bump_map { png "img_palette.png" use_index once } bump_size 0.4 translate -0.5 scale 1.5 }
  translate <-1.5, 2.4, 0> }
object { Tile finish { Fin }
  pigment { image_pattern { png "img_rgba.png" interpolate 2 }
    color_map { [0 rgb <0.1, 0.2, 0.8>] [1 rgb <1, 0.8, 0.2>] } translate -0.5 scale 2 }
  normal { image_pattern { png "img_rgba.png" use_alpha } 0.8 translate -0.5 scale 2 }
  translate <1.5, 2.4, 0> }
object { Tile
  texture { material_map { png "img_palette.png"
      texture { pigment { rgb <1, 0.3, 0.2> } finish { Fin } }
      texture { pigment { rgb <0.2, 0.9, 0.3> } normal { bumps 0.6 scale 0.1 } finish { Fin } }
      texture { pigment { rgb <0.3, 0.4, 1> } finish { Fin } } }
    translate -0.5 scale 2 }
  translate <4.5, 2.4, 0> }

sphere { 0, 1.2 pigment { rgb 0.8 } finish { Fin }
  normal { gradient x normal_map {
      [0.3 gradient y, 0.7 scallop_wave scale 0.2]
      [0.7 onion 0.5 triangle_wave scale 0.3] } scale 2.4 translate -1.2*x }
  translate <-4.5, -1.5, 0> }
sphere { 0, 1.2 pigment { rgb 0.8 } finish { Fin }
  normal { gradient y, 1.2 slope_map { [0 <0, 1>] [0.5 <1, 0>] [1 <0, -1>] } scale 0.5 }
  translate <-1.5, -1.5, 0> }
sphere { 0, 1.2 pigment { rgb 0.8 } finish { Fin }
  normal { checker normal { gradient x, 0.8 scale 0.2 } normal { onion 0.6 scale 0.15 } scale 0.6 }
  translate <1.5, -1.5, 0> }
sphere { 0, 1.2 pigment { rgb 0.8 } finish { Fin }
  normal { leopard 2 accuracy 0.1 scale 0.2 }
  translate <4.5, -1.5, 0> }
