// Oracle scene: image_map on planes and spheres with every map type and
// interpolation, once, filter/transmit all and per palette entry, a palette
// and an RGBA PNG, a PPM taken without gamma, and gamma given for a file
// (images made for this test).
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.25, 0.3> }
camera { location <0, 0, -12> look_at <0, 0, 0> angle 52 }
light_source { <-6, 10, -14> rgb 1 }

plane { z, 3 pigment { checker rgb 0.9 rgb 0.5 scale 0.75 } }

#declare Fin = finish { ambient 0.3 diffuse 0.7 }

// Planar, repeated, no interpolation.
box { <-1, -1, 0>, <1, 1, 0.1>
  pigment { image_map { png "img_rgba.png" } translate -0.5 scale 1 }
  finish { Fin } translate <-4.5, 2.4, 0> }
// Planar once, bilinear, over the checker: alpha and once show it through.
box { <-1, -1, 0>, <1, 1, 0.1>
  pigment { image_map { png "img_rgba.png" once interpolate 2 } translate -0.5 scale 1.6 }
  finish { Fin } translate <-1.5, 2.4, 0> }
// Palette image: transmit per entry and filter all.
box { <-1, -1, 0>, <1, 1, 0.1>
  pigment { image_map { png "img_palette.png" transmit 1, 0.7 filter all 0.3 } translate -0.5 scale 2 }
  finish { Fin } translate <1.5, 2.4, 0> }
// A PPM with a given gamma, repeat and offset.
box { <-1, -1, 0>, <1, 1, 0.1>
  pigment { image_map { ppm "img_bumps.ppm" gamma 2.2 interpolate 4 repeat <2, 1> offset <0.25, 0> } translate -0.5 scale 2 }
  finish { Fin } translate <4.5, 2.4, 0> }

// Spherical, normalized distance.
sphere { 0, 1.2
  pigment { image_map { png "img_rgba.png" map_type 1 interpolate 4 transmit all 0.2 } }
  finish { Fin } rotate <20, -30, 0> translate <-4.5, -1.5, 0> }
// Cylindrical once.
cylinder { -y, y, 1
  pigment { image_map { png "img_palette.png" map_type 2 once } translate -0.5*y scale <1, 2, 1> }
  finish { Fin } rotate 15*x translate <-1.5, -1.5, 0> }
// Torus map.
torus { 1, 0.45
  pigment { image_map { png "img_rgba.png" map_type 5 interpolate 2 } }
  finish { Fin } rotate -70*x translate <1.5, -1.5, 0> }
// Spherical with turbulence.
sphere { 0, 1.2
  pigment { image_map { png "img_palette.png" map_type 1 } turbulence 0.3 }
  finish { Fin } translate <4.5, -1.5, 0> }
