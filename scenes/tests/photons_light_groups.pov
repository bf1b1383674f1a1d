// Oracle scene: photons and light_groups, as POV-Ray 3.7 has them. Only
// global lights shoot photons: the group's bright light shoots none, though
// it lights its glass sphere. A glass sphere in a group that keeps the
// global lights gets the global light's photons; one in a group without
// them gets none, yet still casts a target's full shadow on the floor, and
// so does a glass union target in that group.
#version 3.7;
global_settings {
  assumed_gamma 1
  max_trace_level 10
  photons { spacing 0.02 autostop 0 jitter 0 }
}
camera { location <0, 5, -7> look_at <0, 0.5, 0.5> angle 50 }
light_source {
  <-2, 9, 3> colour rgb 1
  photons { refraction on reflection on }
}
light_source { <5, 6, -8> colour rgb 0.25 shadowless }
plane { y, 0 pigment { rgb <0.9, 0.88, 0.85> } finish { diffuse 0.8 ambient 0.05 } }

#declare Glass = material {
  texture {
    pigment { rgbf <0.9, 0.95, 1, 0.95> }
    finish { ambient 0 diffuse 0 specular 0.5 roughness 0.01 reflection 0.05 }
  }
  interior { ior 1.5 }
}

light_group {
  light_source {
    <3, 7, -2> colour rgb <1.5, 0.6, 0.3>
    photons { refraction on reflection on }
  }
  sphere {
    <-1.8, 0.7, 0>, 0.7
    material { Glass }
    photons { target refraction on reflection on collect off }
  }
  global_lights on
}

light_group {
  light_source {
    <3, 7, -2> colour rgb <0.3, 0.6, 1.5>
    photons { refraction on reflection on }
  }
  sphere {
    <0.2, 0.7, 0.4>, 0.7
    material { Glass }
    photons { target refraction on reflection on collect off }
  }
  union {
    sphere { <2.1, 0.5, 0.9>, 0.5 }
    sphere { <2.1, 1.1, 0.9>, 0.35 }
    material { Glass }
    photons { target refraction on reflection off collect off }
  }
}
