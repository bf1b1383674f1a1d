// Oracle scene for adaptive anti-aliasing (rendered with +A0.3 -J +R3):
// thin stripes, a fine checker, hard shadow edges and tilted edges of high
// contrast, everything that makes aliased and anti-aliased images differ.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.9, 0.9, 1> }
camera { location <0, 2, -6> look_at <0, 0.5, 0> angle 50 }
light_source { <-3, 8, -5> rgb 1 }

plane { y, 0 pigment { checker rgb 0 rgb 1 scale 0.25 } finish { ambient 0.3 diffuse 0.7 } }

// Thin black bars against the sky, tilted.
#declare I = 0;
#while (I < 8)
  box { <-0.02, 0, -0.02>, <0.02, 3, 0.02> rotate 12*z translate <-2.4 + I*0.7, 0, 2>
    pigment { rgb 0 } finish { ambient 1 diffuse 0 } }
  #declare I = I + 1;
#end

sphere { <0, 0.8, 0>, 0.8 pigment { rgb <1, 0.2, 0.1> } finish { ambient 0.1 diffuse 0.8 phong 0.9 phong_size 80 } }
box { <-0.5, 0, -0.5>, <0.5, 1, 0.5> rotate 40*y translate <1.8, 0, -0.5> pigment { rgb <0.1, 0.3, 1> } finish { ambient 0.1 diffuse 0.8 } }
