// Media photons: a spotlight through a glass sphere into a box of scattering
// media; the sphere, a photon target, shadows the beam fully in the media and
// the photons it refracts light the focused cone behind it. A mirror sends
// part of the beam back across the box.
#version 3.7;
global_settings {
  assumed_gamma 1
  max_trace_level 6
  photons { spacing 0.05 media 40, 2 }
}
camera { location <0, 6, -7> look_at <0, 0.8, 0> angle 42 }
light_source {
  <-9, 1, 0> colour rgb 2
  spotlight point_at <0, 1, 0> radius 4 falloff 5
  photons { refraction on reflection on }
}
light_source { <3, 8, -6> colour rgb 0.3 shadowless media_interaction off }
plane { y, 0 pigment { checker rgb 0.6, rgb 0.3 } finish { ambient 0.05 diffuse 0.6 } }
box {
  <-4, 0.01, -2>, <4, 2.5, 2>
  hollow
  pigment { rgbf 1 }
  interior { media { scattering { 1, rgb 0.12 extinction 0.5 } method 3 intervals 1 samples 4 } }
  photons { target }
}
sphere {
  <-2, 1, 0>, 0.7
  pigment { rgbf <1, 0.9, 0.7, 0.95> }
  finish { ambient 0 diffuse 0 reflection 0.03 }
  interior { ior 1.5 }
  photons { target refraction on reflection off collect off }
}
box {
  <-0.05, 0, -1>, <0.05, 2, 1>
  rotate y*30 translate <2.5, 0, 0>
  pigment { rgb <0.6, 0.8, 1> }
  finish { ambient 0 diffuse 0.1 reflection 0.8 }
  photons { target reflection on refraction off }
}
