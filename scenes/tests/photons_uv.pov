// Oracle scene: photons through a uv-mapped see-through texture. POV-Ray
// evaluates the texture a photon meets at the surface's uv: the caustic of a
// glass sphere striped in filtered colours round its uv is striped too, and
// the uv-mapped checkered box shadows as in uv_shadows.pov.
#version 3.7;
global_settings { assumed_gamma 1 photons { spacing 0.02 autostop 0 jitter 0 } }
camera { location <0, 6, -7> look_at <0, 0, 0.5> angle 50 }
light_source { <0, 12, 1> colour rgb 1 photons { refraction on } }
light_source { <6, 5, -6> colour rgb 0.2 shadowless }
plane { y, 0 pigment { rgb 0.9 } finish { diffuse 0.8 ambient 0.1 } }

sphere {
  <-1.6, 1.6, 0.5>, 1
  pigment {
    uv_mapping
    gradient x frequency 6
    colour_map {
      [0.0 rgbf <1, 0.2, 0.2, 0.9>]
      [0.5 rgbf <1, 0.2, 0.2, 0.9>]
      [0.5 rgbf <0.2, 0.4, 1, 0.7>]
      [1.0 rgbf <0.2, 0.4, 1, 0.7>]
    }
  }
  finish { ambient 0.1 diffuse 0.3 }
  interior { ior 1.3 }
  photons { target refraction on collect off }
}

box {
  <-1, -0.05, -1>, <1, 0.05, 1>
  rotate y * 20
  translate <1.6, 1.8, 0.5>
  texture {
    uv_mapping
    checker
      texture { pigment { rgbf <0.2, 1, 0.3, 0.9> } finish { ambient 0.1 diffuse 0.3 } }
      texture { pigment { rgbt <1, 1, 1, 0> } finish { ambient 0.1 diffuse 0.3 } }
    scale 0.25
  }
}
