// Oracle scene: participating media, sampled with method 3. A hollow glass
// sphere holds glowing, absorbing media shaped by a spherical density; a
// hollow box holds scattering (Henyey-Greenstein) media lit by a point light
// through a nested hollow sphere with media of its own; a solid sphere keeps
// the media out of its inside.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.25, 0.35> }
camera { location <0, 2, -9> look_at <0, 1.2, 0> angle 55 }
light_source { <4, 8, -6> rgb 1.2 }

plane { y, 0 pigment { checker rgb 0.8 rgb 0.4 } finish { ambient 0.2 } }

sphere { 0, 1.3
  pigment { rgbf <1, 1, 1, 1> } finish { ambient 0 diffuse 0 }
  hollow
  interior {
    media {
      emission rgb <0.9, 0.5, 0.2>
      absorption rgb <0.2, 0.4, 0.8>
      density {
        spherical
        color_map { [0 rgb 0] [0.6 rgb 0.5] [1 rgb 1.2] }
        scale 1.3
      }
    }
  }
  translate <-2, 1.3, 0>
}

box { <0.3, 0.01, -1.2>, <3.5, 3, 1.2>
  pigment { rgbt 1 } finish { ambient 0 diffuse 0 }
  hollow
  interior {
    media {
      scattering { 5, rgb <0.15, 0.2, 0.25> eccentricity 0.4 }
      absorption rgb 0.05
      intervals 2
      samples 6
    }
  }
}

sphere { <1.9, 1.2, 0>, 0.6
  pigment { rgbt 1 } finish { ambient 0 diffuse 0 }
  hollow
  interior { media { emission rgb <0.1, 0.6, 0.2> } }
}

sphere { <0.8, 0.5, -2>, 0.5
  pigment { rgbf <0.9, 0.9, 1, 0.9> } finish { phong 0.8 }
  interior { ior 1.3 media { emission 1 } }
}
