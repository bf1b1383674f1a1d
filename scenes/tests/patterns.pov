// Oracle scene: the patterns that need no noise -- hexagon, brick,
// gradient with a colour_map, radial, onion, leopard, and wave shaping
// (ramp, sine, triangle, frequency, phase) -- on tiles in front of the
// camera, plus ripples and waves normals on a floor. No turbulence.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb 0.2 }
camera { location <0, 0, -10> look_at <0, 0, 0> angle 60 }
light_source { <-5, 8, -12> rgb 1 }
light_source { <6, -3, -8> rgb 0.3 }

#declare Tile = box { <-1.3, -1.3, 0>, <1.3, 1.3, 0.2> }
#declare Flat = finish { ambient 0.3 diffuse 0.7 }

object { Tile translate <-4.5, 2.8, 0> finish { Flat }
  pigment { hexagon rgb <0.9, 0.2, 0.2> rgb <0.2, 0.8, 0.3> rgb <0.2, 0.3, 0.9> rotate -90*x scale 0.4 } }
object { Tile translate <-1.5, 2.8, 0> finish { Flat }
  pigment { brick rgb 0.85 rgb <0.7, 0.25, 0.15> brick_size <0.8, 0.3, 0.4> mortar 0.06 } }
object { Tile translate <1.5, 2.8, 0> finish { Flat }
  pigment { gradient x color_map { [0 rgb <1, 0, 0>] [0.5 rgb <1, 1, 0>] [1 rgb <0, 0, 1>] } scale 1.3 } }
object { Tile translate <4.5, 2.8, 0> finish { Flat }
  pigment { radial frequency 6 color_map { [0 rgb 1] [0.5 rgb <0.2, 0.5, 0.9>] [1 rgb 1] } rotate -90*x } }

object { Tile translate <-4.5, 0, 0> finish { Flat }
  pigment { onion color_map { [0 rgb <0.9, 0.8, 0.1>] [1 rgb <0.3, 0.1, 0.4>] } scale 0.5 } }
object { Tile translate <-1.5, 0, 0> finish { Flat }
  pigment { leopard color_map { [0 rgb 0.1] [0.3 rgb <0.9, 0.7, 0.3>] [1 rgb 1] } scale 0.2 } }
object { Tile translate <1.5, 0, 0> finish { Flat }
  pigment { gradient y sine_wave frequency 3 color_map { [0 rgb <0, 0.4, 0>] [1 rgb <0.8, 1, 0.6>] } } }
object { Tile translate <4.5, 0, 0> finish { Flat }
  pigment { gradient <1, 1, 0> triangle_wave frequency 2 phase 0.25 color_map { [0 rgb <0.6, 0, 0.6>] [1 rgb 1] } } }

object { Tile translate <-4.5, -2.8, 0> finish { Flat }
  pigment { gradient x ramp_wave frequency 4 color_map { [0 rgb 0] [1 rgb <1, 0.5, 0>] } } }
object { Tile translate <-1.5, -2.8, 0> finish { Flat }
  pigment { checker rgb 1 rgb <0.1, 0.1, 0.1> scale 0.3 rotate 30*z } }
object { Tile translate <1.5, -2.8, 0> pigment { rgb <0.5, 0.7, 0.9> }
  normal { ripples 0.8 frequency 3 } finish { ambient 0.2 diffuse 0.7 phong 0.8 phong_size 40 } }
object { Tile translate <4.5, -2.8, 0> pigment { rgb <0.9, 0.7, 0.5> }
  normal { waves 0.8 frequency 2 scale 0.5 } finish { ambient 0.2 diffuse 0.7 phong 0.8 phong_size 40 } }
