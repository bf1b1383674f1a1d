// Oracle scene: a sky sphere in a scene without #version 3.7, composited
// the pre-3.7 way: filtering and transmitting sky layers over a background,
// a translated pattern, and no sky sphere transforms but the pigments' own.
global_settings { assumed_gamma 1.0 }

background { rgb <0.1, 0.3, 0.1> }
camera { location <0, 1, -5> look_at <0, 2, 0> angle 80 }
light_source { <3, 6, -4> rgb 1 }

sky_sphere {
  pigment {
    gradient y
    color_map {
      [0.0 rgbt <0.8, 0.4, 0.2, 0.3>]
      [0.5 rgbf <0.2, 0.4, 1.0, 0.5>]
      [1.0 rgb <0.1, 0.1, 0.4>]
    }
    translate <0, -0.2, 0>
  }
  pigment {
    onion
    color_map {
      [0.0 rgbt <1, 1, 1, 1>]
      [0.7 rgbt <1, 1, 1, 1>]
      [0.8 rgbf <1, 1, 0.8, 0.7>]
      [1.0 rgbt <1, 1, 1, 1>]
    }
    scale 0.4
  }
  translate <0.3, 0, 0>
}

plane { y, 0 pigment { rgb <0.6, 0.6, 0.5> } finish { reflection 0.3 } }
