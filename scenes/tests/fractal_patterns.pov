// Oracle scene for the mandel pattern: the default colouring, and interior
// and exterior types with factors, on three panels facing the camera.
#version 3.7;
global_settings { assumed_gamma 1.0 }
camera { orthographic location <0, 0, -10> look_at 0 right 12 * x up 9 * y }
light_source { <0, 0, -100> rgb 1 }
#declare Panel = box { <-1.9, -2.5, 0> <1.9, 2.5, 0.1> }
#declare Fin = finish { ambient 1 diffuse 0 }
object { Panel translate -4 * x
  pigment { mandel 40 color_map { [0 rgb <0, 0, 0.3>] [0.3 rgb <1, 0.5, 0>] [1 rgb 1] }
    scale 1.2 translate -0.6 * x }
  finish { Fin } }
object { Panel
  pigment { mandel 60 interior 1, 1 exterior 6, 0.25
    color_map { [0 rgb <0.2, 0, 0>] [0.5 rgb <0.2, 1, 0.2>] [1 rgb <0, 0, 1>] }
    scale 1.5 translate <-0.7, 0.3, 0> }
  finish { Fin } }
object { Panel translate 4 * x
  pigment { mandel 25 exterior 7, 5 interior 3, 2
    color_map { [0 rgb 0] [1 rgb <1, 1, 0>] } scale 2 translate -0.5 * x }
  finish { Fin } }
