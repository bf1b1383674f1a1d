// Isosurfaces over built-in and user functions, in boxes and spheres.
#version 3.7;
global_settings { assumed_gamma 1.0 }

#declare f_sphere = function { internal(61) }
#declare f_torus = function { internal(70) }
#declare f_rounded_box = function { internal(60) }
#declare f_noise3d = function { internal(76) }
#declare f_superellipsoid = function { internal(68) }

camera { location <0, 3.5, -7> look_at <0, 0.5, 0> angle 42 }
light_source { <-6, 10, -8> color rgb 1 }
light_source { <5, 5, -6> color rgb 0.35 shadowless }
background { rgb <0.25, 0.3, 0.35> }
plane { y, 0 pigment { checker rgb 0.8 rgb 0.55 } }

// A bumpy ball: noise on a distance function, a steeper bound.
isosurface {
  function { f_sphere(x, y, z, 0.75) + (f_noise3d(x * 3, y * 3, z * 3) - 0.5) * 0.4 }
  contained_by { box { -1, 1 } }
  max_gradient 2.5
  pigment { rgb <0.95, 0.55, 0.2> }
  finish { phong 0.5 }
  translate <-2.1, 1, 0>
}
// A torus in a sphere container, tilted.
isosurface {
  function { f_torus(x, y, z, 0.65, 0.22) }
  contained_by { sphere { 0, 0.95 } }
  pigment { rgb <0.3, 0.8, 0.45> }
  finish { specular 0.5 }
  rotate <-35, 20, 0>
  translate <0, 0.95, 0>
}
// A rounded box cut open by its container: the cut shows the inside.
isosurface {
  function { f_rounded_box(x, y, z, 0.15, 0.7, 0.7, 0.7) }
  contained_by { box { <-0.8, -0.8, -0.8>, <0.8, 0.4, 0.8> } }
  accuracy 0.0005
  pigment { rgb <0.4, 0.5, 0.95> }
  rotate 25 * y
  translate <2.1, 0.8, 0>
}
// A closed container wall where the function is inside, and a threshold.
isosurface {
  function { y + sin(x * 4) * 0.2 + cos(z * 3) * 0.2 }
  contained_by { box { <-3, -0.3, 1.4>, <3, 0.3, 2.2> } }
  threshold 0.05
  max_gradient 1.6
  pigment { rgb <0.85, 0.85, 0.8> }
  translate 0.3 * y
}
// An open superellipsoid: no container walls.
isosurface {
  function { f_superellipsoid(x, y, z, 0.3, 0.6) }
  contained_by { box { -1, <1, 0.6, 1> } }
  open
  max_gradient 6
  pigment { rgb <0.9, 0.3, 0.5> }
  scale 0.5
  translate <0, 0.4, -1.8>
}
// evaluate: the gradient bound adapts along each ray.
isosurface {
  function { pow(pow(abs(sqrt(x * x + z * z) - 0.5), 2.5) + pow(abs(y), 2.5), 0.4) - 0.15 }
  contained_by { box { <-0.7, -0.2, -0.7>, <0.7, 0.2, 0.7> } }
  evaluate 1, 10, 0.1
  pigment { rgb <0.95, 0.85, 0.3> }
  rotate -20 * x
  translate <-1.2, 0.25, -2>
}
