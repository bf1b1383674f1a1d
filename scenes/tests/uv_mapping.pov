// Oracle scene: uv_mapping on every shape POV-Ray 3.7 gives uv coordinates
// (sphere, box's cube cross, torus, mesh triangles with uv_vectors, mesh2 with
// uv_indices and without, bicubic_patch's uv_vectors) and on one that has none
// (a cylinder: the world x, y), at the pigment, normal and texture levels, and
// the object's own uv_mapping, whose later transforms leave the texture alone.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 6, -12> look_at <0, 0.6, 0> angle 52 }
light_source { <-8, 14, -12> rgb 1 }
light_source { <10, 5, -8> rgb 0.3 }

#declare Fin = finish { ambient 0.2 diffuse 0.7 }
#declare Check = pigment { uv_mapping checker rgb <0.9, 0.2, 0.1> rgb 0.95 scale <1/8, 1/4, 1> }

plane { y, -1 pigment { uv_mapping checker rgb 0.5 rgb 0.7 } finish { Fin } }

// Sphere: longitude and latitude.
sphere { 0, 1 pigment { Check } finish { Fin } rotate 30*y translate <-4, 0.2, 2> }

// Box: the cross of six faces, one image of the unit square.
box { -1, 1
  pigment { uv_mapping gradient x color_map { [0 rgb <0.1, 0.3, 0.9>] [1 rgb <0.9, 0.9, 0.2>] } }
  finish { Fin } rotate <20, 35, 0> translate <0, 0.2, 3> }

// Torus: around the ring and around the tube, a texture-level uv_mapping.
torus { 1, 0.4
  texture { uv_mapping pigment { checker rgb <0.1, 0.7, 0.3> rgb 0.9 scale <1/16, 1/4, 1> } finish { Fin } }
  rotate -50*x translate <4, 0.4, 2> }

// Mesh triangles with uv_vectors, and one without (all at uv 0).
mesh {
  triangle { <-1, 0, 0>, <1, 0, 0>, <0, 2, 0> uv_vectors <0, 0>, <1, 0>, <0.5, 1> }
  triangle { <1, 0, 0>, <2, 1.5, 0.5>, <0, 2, 0> }
  pigment { uv_mapping radial frequency 6 color_map { [0 rgb 0.9] [0.5 rgb 0.9] [0.5 rgb <0.6, 0.1, 0.6>] } translate <0.5, 0.3, 0> }
  finish { Fin } translate <-5, -1, -2> }

// mesh2 with uv_indices, and a uv-mapped normal.
mesh2 {
  vertex_vectors { 4, <0, 0, 0>, <2, 0, 0>, <2, 2, 0>, <0, 2, 0> }
  uv_vectors { 3, <0, 0>, <2, 0>, <2, 2> }
  face_indices { 2, <0, 1, 2>, <0, 2, 3> }
  uv_indices { 2, <0, 1, 2>, <0, 2, 1> }
  pigment { uv_mapping checker rgb <0.9, 0.6, 0.1> rgb 0.2 scale 0.25 }
  normal { uv_mapping leopard 2 scale 0.15 }
  finish { Fin } rotate 20*y translate <-2.2, -1, -2.5> }

// mesh2 whose uv_vectors are indexed like its vertices.
mesh2 {
  vertex_vectors { 4, <0, 0, 0>, <2, 0, 0>, <2, 2, 0>, <0, 2, 0> }
  uv_vectors { 4, <0, 0>, <1, 0>, <1, 1>, <0, 1> }
  face_indices { 2, <0, 1, 2>, <0, 2, 3> }
  pigment { uv_mapping spiral2 6 color_map { [0.5 rgb <0.1, 0.2, 0.6>] [0.5 rgb 1] } scale 0.8 translate <0.5, 0.5, 0> }
  finish { Fin } rotate -15*y translate <0.5, -1, -2.5> }

// bicubic_patch with uv_vectors.
bicubic_patch { type 1 flatness 0.01 u_steps 3 v_steps 3
  uv_vectors <0, 0> <2, 0> <2, 2> <0, 2>
  <0, 0, 0>, <1, 0, 0.5>, <2, 0, 0.5>, <3, 0, 0>,
  <0, 1, 0.5>, <1, 1, 1.5>, <2, 1, 1.5>, <3, 1, 0.5>,
  <0, 2, 0.5>, <1, 2, 1.5>, <2, 2, 1.5>, <3, 2, 0.5>,
  <0, 3, 0>, <1, 3, 0.5>, <2, 3, 0.5>, <3, 3, 0>
  pigment { uv_mapping checker rgb <0.2, 0.8, 0.8> rgb 0.1 scale 0.25 }
  finish { Fin } scale 0.7 rotate <-60, 0, 0> translate <3.2, -0.9, -2.8> }

// A cylinder has no uv of its own: the world x and y. The object's own
// uv_mapping: the scale after it leaves the texture alone.
cylinder { <0, -1, 0>, <0, 0.8, 0>, 0.5
  uv_mapping
  pigment { checker rgb <0.9, 0.9, 0.9> rgb <0.3, 0.3, 0.9> scale 0.2 }
  finish { Fin } scale 1.2 translate <-1.6, 0, 0.5> }
