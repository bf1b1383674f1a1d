// Oracle scene: height fields from a grey PGM and a grey PNG (images made for
// this test), flat and smoothed, with water_level, scaled and rotated, and
// one cut by a sphere in an intersection.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.25, 0.25, 0.3> }
camera { location <0, 5, -9> look_at <0, 0, 0> angle 50 }
light_source { <-8, 12, -10> rgb 1 }
light_source { <8, 3, -6> rgb 0.35 }

plane { y, -1.2 pigment { checker rgb 0.8 rgb 0.6 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.4 phong_size 30 }

height_field {
  pgm "hf_waves.pgm"
  translate <-0.5, 0, -0.5>
  scale <3, 1.2, 3>
  pigment { rgb <0.9, 0.5, 0.3> } finish { Fin }
  translate <-2.2, -1, 1>
}

height_field {
  png "hf_waves.png"
  smooth
  water_level 0.45
  translate <-0.5, 0, -0.5>
  scale <3, 1.5, 3>
  rotate 30*y
  pigment { rgb <0.3, 0.8, 0.5> } finish { Fin }
  translate <2.2, -1, 1>
}

intersection {
  height_field { "hf_waves.pgm" smooth translate <-0.5, 0, -0.5> scale <3, 1, 3> }
  sphere { <0, 0.3, 0>, 1.3 }
  pigment { rgb <0.5, 0.6, 0.95> } finish { Fin }
  translate <0, -0.8, -2.2>
}
