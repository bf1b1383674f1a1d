// Oracle scene: pattern maps and warps without noise -- average pigments and
// textures (weights written and left out), tiles, the warps (repeat with
// offset and flip, planar, cylindrical, spherical, toroidal, cubic,
// black_hole), slope and aoi textures, and the default colour maps of
// radial, brick and checker.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb 0.2 }
camera { location <0, 0, -10> look_at <0, 0, 0> angle 60 }
light_source { <-5, 8, -12> rgb 1 }

#declare Tile = box { <-1.3, -1.3, 0>, <1.3, 1.3, 0.2> }
#declare Flat = finish { ambient 0.3 diffuse 0.7 }

// Row 1: averages and tiles.
object { Tile translate <-4.5, 2.8, 0> finish { Flat }
  pigment { average pigment_map {
    [3 gradient x color_map { [0 rgb <1, 0, 0>] [1 rgb <0, 0, 1>] }]
    [radial frequency 8 rotate -90*x]
  } scale 1.3 } }
object { Tile translate <-1.5, 2.8, 0>
  texture { average texture_map {
    [1 pigment { checker rgb 1 rgb 0 scale 0.5 } finish { ambient 0.6 diffuse 0.2 }]
    [2 pigment { rgb <0.2, 0.6, 0.9> } finish { Flat phong 0.8 }]
  } } }
object { Tile translate <1.5, 2.8, 0>
  texture { tiles {
    texture { pigment { rgb <0.9, 0.8, 0.2> } finish { Flat } }
    tile2
    texture { pigment { onion scale 0.3 } finish { Flat } }
  } scale 0.6 rotate 20*z } }
object { Tile translate <4.5, 2.8, 0> finish { Flat }
  pigment { brick scale 0.1 } }

// Row 2: warps.
object { Tile translate <-4.5, 0, 0> finish { Flat }
  pigment { gradient x color_map { [0 rgb <1, 0.5, 0>] [1 rgb <0, 0.3, 0.6>] }
    scale 0.5 warp { repeat x*0.5 offset <0, 0.2, 0> flip x } translate 0.2*x } }
object { Tile translate <-1.5, 0, 0> finish { Flat }
  pigment { checker rgb 1 rgb <0.8, 0.1, 0.1> scale <0.125, 0.2, 1>
    warp { cylindrical orientation y dist_exp 1 } rotate 90*x scale 2 } }
object { Tile translate <1.5, 0, 0> finish { Flat }
  pigment { checker rgb 1 rgb <0.1, 0.4, 0.8> scale 0.1
    warp { spherical } warp { black_hole <0.3, 0.3, 0>, 1.2 falloff 2 strength 1.5 } } }
object { Tile translate <4.5, 0, 0> finish { Flat }
  pigment { checker rgb 0.1 rgb <1, 0.8, 0.3> scale 0.05
    warp { cubic } translate <0.3, 0.2, -0.8> } }

// Row 3: slope, aoi, planar and toroidal warps, default radial map.
sphere { <-4.5, -2.8, 0>, 1.2
  texture { slope { y, 0.2, 0.8 }
    texture_map { [0 pigment { rgb <0.1, 0.3, 0.9> } finish { Flat }]
                  [1 pigment { rgb <0.9, 0.9, 0.2> } finish { Flat }] } } }
sphere { <-1.5, -2.8, 0>, 1.2
  texture { aoi texture_map { [0.5 pigment { rgb 0 } finish { Flat }]
                              [1 pigment { rgb <0.2, 1, 0.4> } finish { Flat }] } } }
object { Tile translate <1.5, -2.8, 0> finish { Flat }
  pigment { checker rgb 1 rgb <0.5, 0.2, 0.6> scale 0.1
    warp { toroidal major_radius 1 dist_exp 0.5 } warp { planar z, 0.3 } scale 2 } }
object { Tile translate <4.5, -2.8, 0> finish { Flat }
  pigment { radial frequency 5 rotate -90*x } }
