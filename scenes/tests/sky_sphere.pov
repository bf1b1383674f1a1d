// Oracle scene: the sky sphere. Two layered sky pigments (a gradient
// from horizon to zenith under partly transparent bands), rotated and
// with emission, behind a mirror ball that reflects the sky and a glass
// ball that refracts it, with a transmitting background behind it all.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgbt <0.9, 0.2, 0.1, 0.5> }
camera { location <0, 1.2, -6> look_at <0, 1.4, 0> angle 70 }
light_source { <-5, 8, -6> rgb 1 }

sky_sphere {
  pigment {
    gradient y
    color_map {
      [0.0 rgb <0.9, 0.8, 0.6>]
      [0.3 rgb <0.3, 0.5, 0.9>]
      [1.0 rgb <0.05, 0.1, 0.5>]
    }
  }
  pigment {
    gradient x
    color_map {
      [0.0 rgbt <1, 1, 1, 1>]
      [0.4 rgbt <1, 1, 1, 1>]
      [0.5 rgbf <1, 0.6, 0.6, 0.6>]
      [0.6 rgbt <1, 1, 1, 1>]
    }
    scale 0.5
  }
  rotate <0, 0, 20>
  emission rgb <1.1, 1.0, 0.9>
}

plane { y, 0 pigment { checker rgb <0.8, 0.7, 0.5> rgb 0.3 } finish { ambient 0.2 diffuse 0.7 } }
sphere { <-1.3, 1, 0>, 1
  pigment { rgb 0.2 }
  finish { ambient 0 diffuse 0.1 reflection 0.85 } }
sphere { <1.3, 1, 0>, 1
  pigment { rgbf <0.9, 1, 0.9, 0.9> }
  finish { ambient 0 diffuse 0.05 }
  interior { ior 1.3 } }
