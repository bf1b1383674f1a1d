// Oracle scene: shadows through uv-mapped see-through textures. POV-Ray
// evaluates a shadow ray's texture at the surface's uv, as a camera ray's:
// a sphere striped in filtered colours round its uv and a box with a
// uv-mapped checker cast shadows striped and checkered the same way.
#version 3.7;
global_settings { assumed_gamma 1 }
camera { location <0, 6, -7> look_at <0, 0, 0.5> angle 50 }
light_source { <0, 12, 1> colour rgb 1 }
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
