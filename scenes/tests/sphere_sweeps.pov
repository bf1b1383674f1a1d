// Oracle scene: sphere sweeps of all three splines, with varying radii,
// transformed (non-uniformly too), in CSG, inverse, clipped and bounded.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 6, -12> look_at <0, 0.5, 0> angle 50 }
light_source { <-6, 10, -8> rgb 1 }
light_source { <7, 4, -5> rgb 0.4 }

plane { y, -1.2 pigment { checker rgb 0.75 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.6 phong_size 40 }

// A bent linear chain whose radius swells and shrinks.
sphere_sweep {
  linear_spline, 4,
  <-5, -0.5, 2>, 0.3,
  <-4, 1, 2.5>, 0.6,
  <-3, 0, 1.5>, 0.2,
  <-2, 1.5, 2>, 0.45
  pigment { rgb <0.9, 0.3, 0.2> } finish { Fin }
}

// A Catmull-Rom curve through its inner spheres.
sphere_sweep {
  cubic_spline 6,
  <-1.5, 0, 3>, 0.2,
  <-1, -0.5, 2>, 0.3,
  <0, 1, 2.5>, 0.5,
  <1, -0.2, 2>, 0.35,
  <2, 1, 3>, 0.25,
  <2.5, 0, 4>, 0.2
  tolerance 0.001
  pigment { rgb <0.3, 0.8, 0.4> } finish { Fin }
}

// A B-spline squashed and turned.
sphere_sweep {
  b_spline, 5,
  <-1, 0, 0>, 0.5, <0, 1, 0>, 0.4, <1, 0, 0>, 0.6, <2, 1, 0>, 0.3, <3, 0, 0>, 0.5
  scale <1.2, 0.7, 1> rotate <0, 30, 15>
  pigment { rgb <0.3, 0.5, 0.9> } finish { Fin }
  translate <3, 0, 1>
}

// Cut out of a box.
difference {
  box { <-1, -1, -1>, <1, 1, 1> }
  sphere_sweep { linear_spline 3, <-1.5, 0.2, -1.5>, 0.5, <0, 0.6, 0>, 0.7, <1.5, 0.2, -1.5>, 0.4 }
  pigment { rgb <0.9, 0.8, 0.3> } finish { Fin }
  rotate <0, -20, 0>
  translate <-3.2, 0, -2>
}

// Intersected with a sphere, clipped by a plane and inverted inside a union.
intersection {
  sphere_sweep { cubic_spline 4, <-2, 0, 0>, 0.4, <-0.8, 0, 0>, 0.8, <0.8, 0, 0>, 0.8, <2, 0, 0>, 0.4 }
  sphere { 0, 1.0 }
  pigment { rgb <0.8, 0.4, 0.9> } finish { Fin }
  clipped_by { plane { z, 0.3 } }
  translate <0, 0, -2>
}

sphere_sweep {
  b_spline 4, <0, 0, 0>, 0.3, <1, 1, 0>, 0.3, <2, 0, 0>, 0.3, <3, 1, 0>, 0.3
  pigment { rgb <0.4, 0.9, 0.9> } finish { Fin }
  bounded_by { box { <-1, -1, -1>, <4, 2, 1> } }
  translate <2, 0, -3>
}
