// Oracle scene: turbulent fogs, two at once: a constant fog whose thickness
// varies with turbulence (octaves, omega, lambda, turb_depth), under a
// layered ground fog with its own turbulence; seen against the sky.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.3, 0.6> }
camera { location <0, 1, -6> look_at <0, 1.2, 0> angle 70 }
light_source { <5, 10, -10> rgb 1 }

fog {
  distance 12
  rgb <0.7, 0.75, 0.8>
  turbulence <0.6, 0.3, 0.6>
  octaves 4
  omega 0.6
  lambda 2.5
  turb_depth 0.8
}
fog {
  fog_type 2
  fog_alt 0.5
  fog_offset 0
  distance 3
  rgb <0.9, 0.85, 0.7>
  turbulence 1.2
}

plane { y, 0 pigment { checker rgb 0.8 rgb 0.3 scale 2 } }
box { <-4, 0, 6>, <4, 3, 7> pigment { rgb <0.8, 0.4, 0.2> } }
sphere { <0, 1, 0>, 1 pigment { rgb <0.3, 0.8, 0.3> } finish { phong 0.6 } }
