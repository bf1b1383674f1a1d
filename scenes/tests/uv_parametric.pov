// uv_mapping on parametric surfaces: the pattern sees the u, v the
// intersection found (not rescaled), at the pigment, normal and texture levels.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 5, -10> look_at <0, 0.3, 0> angle 50 }
light_source { <-6, 10, -8> rgb 1 }
light_source { <7, 4, -5> rgb 0.4 }

#declare Fin = finish { ambient 0.2 diffuse 0.7 }

// A ring over u, v in [0, 2 pi]: checks around it and around its tube.
parametric {
  function { (1 + 0.35 * cos(v)) * cos(u) },
  function { 0.35 * sin(v) },
  function { (1 + 0.35 * cos(v)) * sin(u) }
  <0, 0>, <2 * pi, 2 * pi>
  contained_by { box { <-1.5, -0.5, -1.5>, <1.5, 0.5, 1.5> } }
  max_gradient 2
  accuracy 0.001
  precompute 12, x, y, z
  pigment { uv_mapping checker rgb <0.9, 0.3, 0.2> rgb 0.95 scale <pi / 8, pi / 3, 1> }
  finish { Fin }
  rotate <-25, 0, 0>
  translate <-2.6, 0.4, 1>
}

// A wavy sheet over [-1, 1]²: a uv gradient and uv-mapped bumps.
parametric {
  function { u },
  function { 0.25 * sin(3 * u) * cos(2 * v) },
  function { v }
  <-1, -1>, <1, 1>
  contained_by { sphere { 0, 1.45 } }
  max_gradient 1.5
  accuracy 0.001
  pigment { uv_mapping gradient x color_map { [0 rgb <0.1, 0.3, 0.9>] [1 rgb <0.9, 0.9, 0.2>] } scale 2 translate -x }
  normal { uv_mapping radial 0.6 frequency 4 }
  finish { Fin }
  translate <0.4, 0, 1.5>
}

// A spiral, its texture uv-mapped as a whole and the object moved after it.
parametric {
  function { u * cos(4 * u) * 0.3 + 0.1 * v },
  function { u * 0.5 },
  function { u * sin(4 * u) * 0.3 }
  <0, 0>, <3, 1>
  contained_by { box { <-1.2, -0.1, -1.2>, <1.2, 1.6, 1.2> } }
  max_gradient 3
  accuracy 0.001
  texture {
    uv_mapping
    pigment { checker rgb <0.2, 0.8, 0.3> rgb 0.9 scale <0.25, 0.5, 1> }
    finish { Fin }
  }
  scale 1.4
  translate <3, -0.8, 0>
}
