// Oracle scene: light_groups inside light_groups, and photons on a group.
// An inner group's objects are lit by its own lights only (not the outer
// group's), and see the global lights only if the outermost group says so;
// an inner group without lights leaves its objects to the outer group; a
// group's photons block makes the group a photon target, as a union's would.
#version 3.7;
global_settings {
  assumed_gamma 1.0
  max_trace_level 8
  photons { spacing 0.03 autostop 0 jitter 0 }
}

background { rgb <0.15, 0.15, 0.2> }
camera { location <0, 6, -12> look_at <0, 0.5, 0.5> angle 52 }
light_source {
  <-6, 10, -8> rgb 0.9
  photons { refraction on reflection on }
}

#declare Fin = finish { ambient 0.08 diffuse 0.8 phong 0.4 }

plane { y, -1 pigment { checker rgb 0.8 rgb 0.55 } finish { Fin } }

// No global light here, whatever the inner groups say.
light_group {
  light_source { <4, 6, -6> rgb <1, 0.3, 0.2> }
  sphere { <-4, 0, 0>, 0.9 pigment { rgb 1 } finish { Fin } }
  light_group {
    light_source { <-2, 5, -6> rgb <0.2, 1, 0.3> }
    sphere { <-2, 0, 0>, 0.9 pigment { rgb 1 } finish { Fin } }
    global_lights on
  }
  // No lights of its own: its box is the outer group's.
  light_group {
    box { <-3.6, -1, 1.4>, <-2.4, 1.2, 2.6> pigment { rgb <0.8, 0.9, 0.8> } finish { Fin } }
  }
  global_lights off
}

// The global lights here, also for the inner group that turns them off.
light_group {
  sphere { <0.5, 0, 0>, 0.9 pigment { rgb <0.9, 0.9, 0.6> } finish { Fin } }
  light_group {
    light_source { <0, 3, -5> rgb <0.2, 0.3, 1> }
    sphere { <2.5, 0, 0.5>, 0.9 pigment { rgb 1 } finish { Fin } }
    global_lights off
  }
  light_source { <6, 4, -4> rgb <0.6, 0.5, 0.1> }
  global_lights on
}

// A glass group, a photon target through the group's own photons block.
light_group {
  light_source { <3, 7, -2> rgb <0.4, 0.4, 0.6> }
  sphere {
    <4.5, 0, 1.5>, 0.9
    pigment { rgbf <0.9, 0.95, 1, 0.95> }
    finish { ambient 0 diffuse 0 specular 0.5 roughness 0.01 reflection 0.05 }
    interior { ior 1.5 }
  }
  photons { target refraction on reflection on collect off }
  global_lights on
}
