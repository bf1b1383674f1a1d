// Oracle scene: bumped normals at grazing angles. A rippled water plane seen
// towards the horizon, and a bumpy glass ball: perturbed normals that face
// away from the ray send mirror and refracted rays into the surface unless
// they are corrected against the geometric normal, as POV-Ray corrects them.
#version 3.7;
global_settings { assumed_gamma 1.0 max_trace_level 6 }

camera { location <0, 0.4, -12> look_at <0, 0.6, 0> angle 60 }
light_source { <-30, 40, -20> rgb 1.2 }
sky_sphere { pigment { gradient y color_map { [0 rgb <0.9, 0.8, 0.6>] [0.3 rgb <0.3, 0.5, 0.9>] } } }

plane { y, 0
  pigment { rgbf <0.7, 0.8, 0.9, 0.6> }
  finish { ambient 0 diffuse 0.3 reflection { 0.2, 1 fresnel } conserve_energy }
  normal { bumps 0.6 scale <3, 1, 1> * 0.2 }
  interior { ior 1.33 }
}
plane { y, -2 pigment { checker rgb <0.8, 0.6, 0.3> rgb 0.2 scale 2 } }

sphere { <1.5, 1.2, 0>, 1.1
  pigment { rgbf <0.95, 1, 0.95, 0.9> }
  finish { ambient 0 diffuse 0.1 reflection 0.1 phong 0.6 }
  normal { wrinkles 1.2 scale 0.3 }
  interior { ior 1.5 }
}
