// Oracle scene: fog. A constant fog with a filtering colour and a ground
// fog with offset, altitude and a tilted up vector over a long checker
// floor and rows of posts; reflections see the fog too. A glass ball
// (solid) keeps the fog out of its inside, a hollow one lets it in.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.3, 0.4, 0.7> }
camera { location <0, 2, -4> look_at <0, 1.2, 10> angle 60 }
light_source { <-10, 20, -10> rgb 1 }

fog {
  fog_type 1
  distance 25
  rgbf <0.5, 0.6, 0.9, 0.6>
}
fog {
  fog_type 2
  distance 6
  color rgbt <0.9, 0.5, 0.4, 0.2>
  fog_offset 0.1
  fog_alt 0.3
  up <0.1, 1, 0>
}

plane { y, 0 pigment { checker rgb 0.9 rgb <0.2, 0.3, 0.2> } finish { ambient 0.2 reflection 0.2 } }
#declare I = 0;
#while (I < 8)
  cylinder { <-3, 0, I * 6>, <-3, 3, I * 6>, 0.3 pigment { rgb <0.9, 0.3, 0.2> } }
  cylinder { <3, 0, I * 6 + 3>, <3, 3, I * 6 + 3>, 0.3 pigment { rgb <0.2, 0.4, 0.9> } }
  #declare I = I + 1;
#end
sphere { <-1.2, 1, 2>, 1
  pigment { rgbt <1, 1, 1, 0.9> } finish { ambient 0 diffuse 0 }
  interior { ior 1.0 } }
sphere { <1.2, 1, 2>, 1 hollow
  pigment { rgbt <1, 1, 1, 0.9> } finish { ambient 0 diffuse 0 }
  interior { ior 1.0 } }
