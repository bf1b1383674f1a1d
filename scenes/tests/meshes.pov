// Oracle scene: a mesh with flat and smooth triangles and per-triangle
// textures, copied three times by `object`; a mesh2 with normals, a texture
// list and face textures; a closed mesh (inside_vector) in a difference.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.25, 0.25, 0.3> }
camera { location <0, 5, -10> look_at <0, 0.3, 0> angle 50 }
light_source { <-8, 12, -10> rgb 1 }
light_source { <8, 3, -6> rgb 0.35 }

plane { y, -1.2 pigment { checker rgb 0.8 rgb 0.6 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.5 phong_size 30 }
#declare Red = texture { pigment { rgb <0.9, 0.3, 0.2> } finish { Fin } }
#declare Blue = texture { pigment { rgb <0.3, 0.5, 0.9> } finish { Fin } }

// A pyramid: two faces red, one smooth, one in the mesh's own texture.
#declare Pyramid = mesh {
  triangle { <-1, 0, -1>, <1, 0, -1>, <0, 1.5, 0> texture { Red } }
  smooth_triangle { <1, 0, -1>, <1, 0.5, -1>, <1, 0, 1>, <1, 0.5, 1>, <0, 1.5, 0>, <0, 1, 0> }
  triangle { <1, 0, 1>, <-1, 0, 1>, <0, 1.5, 0> texture { Red } }
  triangle { <-1, 0, 1>, <-1, 0, -1>, <0, 1.5, 0> }
  triangle { <-1, 0, -1>, <1, 0, -1>, <1, 0, 1> }
  triangle { <-1, 0, -1>, <1, 0, 1>, <-1, 0, 1> }
  texture { pigment { rgb <0.4, 0.9, 0.4> } finish { Fin } }
}
object { Pyramid translate <-3.5, -1, 2> }
object { Pyramid rotate 60*y translate <0, -1, 2.5> }
object { Pyramid scale <1, 0.6, 1> rotate -30*y translate <3.5, -1, 2> }

// A bent strip with vertex normals and two textures by index.
mesh2 {
  vertex_vectors { 6, <-1.5, 0, 0>, <-1.5, 1, 0>, <0, 0, -0.6>, <0, 1, -0.6>, <1.5, 0, 0>, <1.5, 1, 0> }
  normal_vectors { 6, <-0.4, 0, -1>, <-0.4, 0, -1>, <0, 0, -1>, <0, 0, -1>, <0.4, 0, -1>, <0.4, 0, -1> }
  texture_list { 2, texture { Blue } texture { pigment { rgb <0.9, 0.8, 0.3> } finish { Fin } } }
  face_indices { 4, <0, 2, 1>, 0, <1, 2, 3>, 0, <2, 4, 3>, 1, <3, 4, 5>, 1 }
  translate <-2.5, -0.8, -1.5>
}

// A closed cube mesh cut by a sphere: the cut needs the mesh's inside.
difference {
  mesh2 {
    vertex_vectors { 8, <0,0,0>, <1,0,0>, <0,1,0>, <1,1,0>, <0,0,1>, <1,0,1>, <0,1,1>, <1,1,1> }
    face_indices { 12,
      <0,1,3>, <0,3,2>, <4,5,7>, <4,7,6>, <0,1,5>, <0,5,4>,
      <2,3,7>, <2,7,6>, <0,2,6>, <0,6,4>, <1,3,7>, <1,7,5> }
    inside_vector <0.3, 0.2, 1>
    translate -0.5
    scale 1.6
  }
  sphere { <-0.8, 0.8, -0.8>, 0.9 }
  texture { pigment { rgb <0.8, 0.4, 0.9> } finish { Fin } }
  rotate <0, -20, 0>
  translate <2.5, -0.4, -1.5>
}
