// A photon map saved and loaded back: rendered with Declare=Save=1 the map
// is built and written to photons_file.ph (in the working folder), with
// Declare=Load=1 it is read from there instead of shot; the two images are
// the same. Without either, the map is built and not saved.
#version 3.7;
global_settings {
  assumed_gamma 1
  max_trace_level 10
  photons {
    spacing 0.02
    autostop 0
    #ifdef (Save) save_file "photons_file.ph" #end
    #ifdef (Load) load_file "photons_file.ph" #end
  }
}
camera { location <0, 4, -6> look_at <0, 0.6, 0> angle 45 }
light_source { <-3, 8, 2> colour rgb 1.2 photons { refraction on reflection on } }
light_source { <4, 5, -6> colour rgb 0.3 shadowless }
plane { y, 0 pigment { rgb <0.9, 0.88, 0.85> } finish { diffuse 0.8 ambient 0.05 } }
sphere {
  <-0.8, 0.8, 0>, 0.8
  pigment { rgbf <0.9, 0.95, 1, 0.95> }
  finish { ambient 0 diffuse 0 specular 0.5 roughness 0.01 }
  interior { ior 1.5 dispersion 1.1 }
  photons { target refraction on reflection on collect off }
}
torus {
  0.5, 0.12 rotate x*20 translate <1, 0.6, 0>
  pigment { rgb 0.8 } finish { ambient 0 diffuse 0.1 reflection { 0.9 metallic } }
  photons { target reflection on }
}
