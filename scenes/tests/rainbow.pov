// Oracle scene: rainbows. A full rainbow with a colour map whose ends
// transmit, and a second, wider one as an arc (arc_angle, falloff_angle,
// a tilted up), both against a sky sphere and in front of far hills.
#version 3.7;
global_settings { assumed_gamma 1.0 }

camera { location <0, 1, -10> look_at <0, 4, 0> angle 90 }
light_source { <0, 20, -30> rgb 1 }

sky_sphere {
  pigment { gradient y color_map { [0 rgb <0.7, 0.7, 0.8>] [1 rgb <0.2, 0.3, 0.6>] } }
}

rainbow {
  angle 30
  width 6
  distance 1e3
  direction <0, -0.2, 1>
  color_map {
    [0.000 color rgbt <1, 0, 0, 1>]
    [0.100 color rgbt <1, 0, 0, 0.4>]
    [0.300 color rgbt <1, 1, 0, 0.4>]
    [0.500 color rgbt <0, 1, 0, 0.4>]
    [0.700 color rgbt <0, 0, 1, 0.4>]
    [0.900 color rgbt <1, 0, 1, 0.4>]
    [1.000 color rgbt <1, 0, 1, 1>]
  }
}
rainbow {
  angle 45
  width 8
  distance 50
  direction <0.2, 0, 1>
  up <0.3, 1, 0>
  arc_angle 150
  falloff_angle 60
  color_map {
    [0.0 color rgbf <1, 1, 1, 0.5>]
    [0.5 color rgbf <0.3, 0.9, 0.9, 0.7>]
    [1.0 color rgbt <1, 1, 1, 1>]
  }
}

plane { y, 0 pigment { rgb <0.3, 0.5, 0.2> } }
sphere { <0, -40, 80>, 50 pigment { rgb <0.2, 0.4, 0.2> } }
