// Photon caustics through a glass sphere and a glass box onto a white floor,
// and a pass-through veil the photons cross unchanged.
#version 3.7;
global_settings {
  assumed_gamma 1
  max_trace_level 10
  photons { spacing 0.02 autostop 0 jitter 0 }
}
camera { location <0, 4, -6> look_at <0, 0.6, 0> angle 45 }
light_source {
  <-3, 8, 2> colour rgb 1.2
  photons { refraction on reflection on }
}
light_source { <4, 5, -6> colour rgb 0.3 shadowless }
plane { y, 0 pigment { rgb <0.9, 0.88, 0.85> } finish { diffuse 0.8 ambient 0.05 } }
sphere {
  <-0.8, 0.8, 0>, 0.8
  pigment { rgbf <0.9, 0.95, 1, 0.95> }
  finish { ambient 0 diffuse 0 specular 0.5 roughness 0.01 reflection 0.05 }
  interior { ior 1.5 }
  photons { target refraction on reflection on collect off }
}
box {
  <0.4, 0, -0.5>, <1.4, 1.2, 0.5>
  rotate y*25
  pigment { rgbf <1, 0.7, 0.5, 0.9> }
  finish { ambient 0 diffuse 0 reflection 0.1 }
  interior { ior 1.33 fade_distance 1 fade_power 1001 fade_colour rgb <1, 0.5, 0.3> }
  photons { target 0.5 refraction on reflection off collect off }
}
