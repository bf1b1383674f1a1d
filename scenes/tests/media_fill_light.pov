// Oracle scene: a shadowless light is POV-Ray's fill light, and 3.7 lights no
// media with it (only surfaces). A bright shadowless light and a dim ordinary
// one face a hollow box of scattering media; the media must show only the
// ordinary light's scattering, while the floor shows both lights.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.1, 0.12, 0.2> }
camera { location <0, 2, -8> look_at <0, 1, 0> angle 50 }
light_source { <-5, 6, -4> rgb 0.6 }
light_source { <5, 3, -6> rgb 3 shadowless }

plane { y, 0 pigment { checker rgb 0.7 rgb 0.3 } finish { ambient 0.1 } }

box { <-2, 0.01, -1>, <2, 2.5, 1>
  pigment { rgbt 1 } finish { ambient 0 diffuse 0 }
  hollow
  interior {
    media {
      scattering { 1, rgb 0.25 }
      method 3
      samples 4
    }
  }
}
