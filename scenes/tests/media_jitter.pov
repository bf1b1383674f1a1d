// Media sample jitter (methods 2 and 3): samples move from their fixed places
// by up to `jitter` of their spacing. POV-Ray draws the moves at random;
// prender takes them from a hash of the sample's place, so a render is
// reproducible (locally, on threads and over the virtual machine) while the
// banding of fixed samples turns into grain, as in POV-Ray's image.
#version 3.7;
global_settings { assumed_gamma 1 }
camera { location <0, 1.2, -6> look_at <0, 0.6, 0> angle 45 }
background { rgb <0.02, 0.03, 0.06> }
light_source { <3, 8, -3> rgb 1.5 }
plane { y, -0.01 pigment { checker rgb 0.6 rgb 0.2 } }
box { <-2.6, 0, -1>, <-0.2, 2, 1>
  hollow pigment { rgbt 1 }
  interior { media {
    method 3 samples 2 intervals 2 jitter 1
    scattering { 1, rgb <0.6, 0.5, 0.3> }
    density { gradient y frequency 3 color_map { [0 rgb 0] [0.5 rgb 1] [1 rgb 0] } }
  } }
}
sphere { <1.4, 1, 0>, 1
  hollow pigment { rgbt 1 }
  interior { media {
    method 2 samples 3 intervals 3 jitter 0.8
    emission rgb <0.2, 0.5, 1.2>
    density { spherical color_map { [0 rgb 0] [1 rgb 1] } translate <1.4, 1, 0> }
  } }
}
