// Blob components with their own textures: the surface blends the component
// textures by each component's share of the field at the point (a component
// without one lends the blob's texture), lit per texture. Spheres, cylinders,
// a negative component, component and blob transforms, patterned textures.
#version 3.7;
global_settings { assumed_gamma 1 }
camera { location <0, 3, -9> look_at <0, 0.6, 0> angle 50 }
light_source { <-6, 10, -8> color rgb 1 }
light_source { <8, 6, -4> color rgb 0.4 }
plane { y, -1 pigment { checker rgb 0.7 rgb 0.5 } }

// Three spheres, each its own colour and finish.
blob {
  threshold 0.6
  sphere { <-0.6, 0, 0>, 1.1, 1 pigment { rgb <1, 0.2, 0.1> } finish { phong 0.8 } }
  sphere { < 0.6, 0, 0>, 1.1, 1 pigment { rgb <0.1, 0.3, 1> } }
  sphere { < 0, 0.9, 0>, 1.1, 1 texture { pigment { rgb <0.2, 0.9, 0.2> } finish { diffuse 0.4 ambient 0.3 } } }
  translate <-3, 0, 0>
}

// A cylinder with a patterned texture, a sphere without one (the blob's
// texture) and a negative dent with its own colour; the blob rotated.
blob {
  threshold 0.5
  cylinder { <-1, 0, 0>, <1, 0, 0>, 0.8, 1
    texture { pigment { checker rgb <1, 1, 0.2> rgb <0.6, 0.1, 0.6> scale 0.25 } } }
  sphere { <0, 0.6, 0>, 1, 1 }
  sphere { <0, 0.2, -0.6>, 0.6, -0.5 pigment { rgb <0, 1, 1> } }
  pigment { rgb <0.9, 0.6, 0.3> }
  finish { specular 0.5 }
  rotate <0, 30, 20>
  translate <0.2, 0.6, 0>
}

// Component transforms: a squashed sphere and a scaled one, both textured,
// the whole blob scaled; a texture given after the component's transform.
blob {
  threshold 0.4
  sphere { 0, 1, 1 scale <1.5, 0.6, 1> pigment { gradient x color_map { [0 rgb <1, 0, 0>] [1 rgb <1, 1, 0>] } } }
  sphere { <0, 0.8, 0>, 0.7, 1 scale 1.2 translate 0.2*y pigment { rgb <0.3, 0.3, 1> } }
  scale 0.9
  translate <3.2, 0, 0.5>
}
