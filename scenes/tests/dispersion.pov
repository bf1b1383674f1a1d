// Dispersion: a glass prism in front of white slits on a dark backdrop
// splits them into spectra; a dispersive sphere over a chequered floor, and
// a second prism with a few bands only (dispersion_samples 3).
#version 3.7;
global_settings { assumed_gamma 1 max_trace_level 12 }
camera { location <0, 1.2, -6> look_at <0, 1, 0> angle 40 }
light_source { <-4, 8, -6> colour rgb 1 }
light_source { <3, 4, -8> colour rgb 0.4 shadowless }
background { rgb 0 }
// The backdrop: black with three white slits.
box {
  <-4, -1, 3>, <4, 4, 3.1>
  pigment {
    gradient x
    colour_map { [0.46 rgb 0.02] [0.46 rgb 1] [0.54 rgb 1] [0.54 rgb 0.02] }
    scale 1.2
  }
  finish { ambient 1 diffuse 0 }
}
plane {
  y, 0
  pigment { checker rgb 0.9 rgb 0.05 scale 0.5 }
  finish { ambient 0.1 diffuse 0.7 }
}
#declare Glass = material {
  texture {
    pigment { rgbf <1, 1, 1, 0.97> }
    finish { ambient 0 diffuse 0 specular 0.4 roughness 0.01 }
  }
  interior { ior 1.5 dispersion 1.12 dispersion_samples 12 }
}
// A triangular prism, its edge vertical.
prism {
  linear_sweep linear_spline 0, 2.2, 4,
  <-0.7, -0.4>, <0.7, -0.4>, <0, 0.8>, <-0.7, -0.4>
  rotate y*10
  translate <-0.4, 0.3, 0>
  material { Glass }
}
sphere {
  <1.5, 0.6, -1>, 0.6
  material {
    texture { pigment { rgbf <1, 1, 1, 0.95> } finish { ambient 0 diffuse 0 reflection 0.04 } }
    interior { ior 1.6 dispersion 1.3 }
  }
}
box {
  <-0.35, 0, -0.35>, <0.35, 0.5, 0.35>
  rotate y*40
  translate <-1.3, 0, -2.5>
  material {
    texture { pigment { rgbf <1, 1, 1, 0.95> } finish { ambient 0 diffuse 0 } }
    interior { ior 1.4 dispersion 1.2 dispersion_samples 3 }
  }
}
