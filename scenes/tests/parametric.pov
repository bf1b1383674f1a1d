// Oracle scene: parametric surfaces (a torus-like ring, a wavy sheet and a
// spiral), with box and sphere containers, max_gradient, accuracy, precompute,
// transformed and textured.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 5, -10> look_at <0, 0.3, 0> angle 50 }
light_source { <-6, 10, -8> rgb 1 }
light_source { <7, 4, -5> rgb 0.4 }

plane { y, -1.2 pigment { checker rgb 0.75 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.5 phong_size 30 }

// A ring: (1 + 0.35 cos v) around y.
parametric {
  function { (1 + 0.35 * cos(v)) * cos(u) },
  function { 0.35 * sin(v) },
  function { (1 + 0.35 * cos(v)) * sin(u) }
  <0, 0>, <2 * pi, 2 * pi>
  contained_by { box { <-1.5, -0.5, -1.5>, <1.5, 0.5, 1.5> } }
  max_gradient 2
  accuracy 0.005
  precompute 12, x, y, z
  pigment { rgb <0.9, 0.3, 0.2> } finish { Fin }
  rotate <-25, 0, 0>
  translate <-2.6, 0.4, 1>
}

// A wavy sheet in a sphere.
parametric {
  function { u },
  function { 0.25 * sin(3 * u) * cos(2 * v) },
  function { v }
  <-1, -1>, <1, 1>
  contained_by { sphere { 0, 1.45 } }
  max_gradient 1.5
  accuracy 0.003
  pigment { rgb <0.3, 0.8, 0.4> } finish { Fin }
  translate <0.4, 0, 1.5>
}

// A conical spiral, scaled.
parametric {
  function { u * cos(4 * u) * 0.3 + 0.1 * v },
  function { u * 0.5 },
  function { u * sin(4 * u) * 0.3 }
  <0, 0>, <3, 1>
  contained_by { box { <-1.2, -0.1, -1.2>, <1.2, 1.6, 1.2> } }
  max_gradient 4
  accuracy 0.004
  pigment { rgb <0.3, 0.5, 0.9> } finish { Fin }
  scale <1.2, 1, 1.2>
  translate <2.8, -1, 0>
}
