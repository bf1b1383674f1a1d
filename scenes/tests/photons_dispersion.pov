// Photons through dispersive glass: a sphere's caustic on a white floor
// spreads into coloured rings, and a wedge casts a spectrum; a shadowless
// fill light, which shoots no photons, lights the floor a little.
#version 3.7;
global_settings {
  assumed_gamma 1
  max_trace_level 10
  photons { spacing 0.015 autostop 0 gather 60, 200 }
}
camera { location <0, 4, -6> look_at <0, 0.5, 0> angle 45 }
light_source {
  <-2, 8, 1> colour rgb 1.2
  photons { refraction on reflection off }
}
light_source { <4, 5, -6> colour rgb 0.2 shadowless }
plane { y, 0 pigment { rgb 0.9 } finish { diffuse 0.8 ambient 0.02 } }
sphere {
  <-0.9, 1.1, 0>, 0.7
  pigment { rgbf <1, 1, 1, 0.97> }
  finish { ambient 0 diffuse 0 specular 0.4 roughness 0.01 }
  interior { ior 1.5 dispersion 1.25 dispersion_samples 9 }
  photons { target refraction on reflection off collect off }
}
prism {
  linear_sweep linear_spline 0, 1.2, 4,
  <-0.5, -0.3>, <0.5, -0.3>, <0, 0.5>, <-0.5, -0.3>
  rotate z*90
  translate <1.3, 1.0, 0>
  pigment { rgbf <1, 1, 1, 0.97> }
  finish { ambient 0 diffuse 0 }
  interior { ior 1.5 dispersion 1.2 }
  photons { target refraction on reflection off collect off }
}
