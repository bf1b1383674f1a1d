// Oracle scene: media and light_groups. POV-Ray lights the media along a ray
// with the lights of the object the ray ends on: a hollow box of scattering
// media in a group without the global lights glows in its group's orange
// light only; one in a group with `global_lights on` sees both; a third,
// in no group, sees only the global light.
#version 3.7;
global_settings { assumed_gamma 1 max_trace_level 10 }
camera { location <0, 3, -8> look_at <0, 1, 0> angle 50 }
light_source { <-4, 8, -3> colour rgb <0.4, 0.6, 1> }
plane { y, 0 pigment { rgb 0.7 } finish { diffuse 0.8 ambient 0.05 } }

#declare Fog = box {
  <-0.9, 0, -0.9>, <0.9, 2, 0.9>
  pigment { rgbt 1 }
  interior { media { scattering { 1, rgb 0.6 } intervals 3 samples 2, 2 } }
  hollow
}

light_group {
  light_source { <4, 6, -4> colour rgb <1.4, 0.7, 0.2> }
  object { Fog translate x * -2.2 }
}

light_group {
  light_source { <4, 6, -4> colour rgb <1.4, 0.7, 0.2> }
  object { Fog }
  global_lights on
}

object { Fog translate x * 2.2 }
