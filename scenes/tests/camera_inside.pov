// Oracle scene: a camera inside objects. It stands in a hollow box full of
// glowing, absorbing media (its rays start inside the medium) and under a
// solid (not hollow) sphere, which keeps the fog from its rays until they
// leave the sphere through a window of transparent glass.
#version 3.7;
global_settings { assumed_gamma 1.0 }

camera { location <0, 1.5, -4> look_at <0, 1, 2> angle 70 }
light_source { <3, 6, -3> rgb 1 }

fog { distance 6 rgb <0.7, 0.6, 0.5> }

box { <-6, -0.01, -6>, <6, 5, 8>
  pigment { rgbt 1 } finish { ambient 0 diffuse 0 }
  hollow
  interior {
    media {
      emission rgb <0.05, 0.04, 0.1>
      absorption rgb <0.05, 0.1, 0.15>
    }
  }
}

sphere { <0, 1.5, -4>, 1
  pigment { rgbt <1, 1, 1, 1> } finish { ambient 0 diffuse 0 }
}

plane { y, 0 pigment { checker rgb 0.9 rgb <0.3, 0.3, 0.6> } }
sphere { <1, 1, 2>, 1 pigment { rgb <0.8, 0.3, 0.2> } finish { phong 0.5 } }
cylinder { <-2, 0, 5>, <-2, 4, 5>, 0.5 pigment { rgb <0.2, 0.7, 0.3> } }
