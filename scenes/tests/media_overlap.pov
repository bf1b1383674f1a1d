// Overlapping media: where the two hollow spheres overlap, a ray is inside both
// interiors and their media are sampled together as one list (POV-Ray's rule),
// the first entered with the most intervals setting the samples. Sampling each
// interior's media on its own gives a visibly different lens.
#version 3.7;
global_settings { assumed_gamma 1 }
camera { location <0, 0.5, -7> look_at <0, 0.3, 0> angle 45 }
background { rgb <0.05, 0.06, 0.1> }
light_source { <6, 8, -4> rgb 1.2 }
plane { y, -1.2 pigment { checker rgb 0.7 rgb 0.2 } }

sphere { <-0.4, 0.3, 0>, 1.3
  hollow
  pigment { rgbt 1 }
  interior {
    media {
      method 3 samples 3 intervals 1
      scattering { 1, rgb <1.2, 0.9, 0.5> }
      density { spherical color_map { [0 rgb 0] [1 rgb 1] } scale 1.3 translate <-0.4, 0.3, 0> }
    }
  }
}
sphere { <0.4, 0.3, 0>, 1.3
  hollow
  pigment { rgbt 1 }
  interior {
    media {
      method 3 samples 5 intervals 1
      emission rgb <0.05, 0.2, 0.5>
      absorption rgb <0.9, 0.3, 0.1>
    }
  }
}
