// Oracle scene for the anti-aliasing methods and jitter: a high-contrast fan of
// thin rays, a fine tilted grid, a small bright sphere and a hard shadow, so
// each sampling method's choice of where to add rays shows in the image.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.05, 0.05, 0.1> }
camera { location <0, 1.5, -5> look_at <0, 0.8, 0> angle 45 }
light_source { <4, 9, -6> rgb 1 }

plane {
  y, 0
  pigment { checker rgb <1, 0.95, 0.8> rgb <0.1, 0.2, 0.1> scale 0.3 rotate 30*y }
  finish { ambient 0.2 diffuse 0.8 }
}

// A fan of bright rods radiating from a hub behind the scene.
#declare I = 0;
#while (I < 11)
  cylinder { <0, 0, 0>, <0, 2.6, 0>, 0.015
    rotate (-60 + I*12)*z translate <0, 0.2, 1.5>
    pigment { rgb <1, 1, 0.6> } finish { ambient 1 diffuse 0 } }
  #declare I = I + 1;
#end

sphere { <-1.2, 0.5, -0.5>, 0.5 pigment { rgb <0.2, 0.5, 1> } finish { ambient 0.1 diffuse 0.7 specular 0.8 roughness 0.002 } }
sphere { <1.3, 0.25, -1>, 0.25 pigment { rgb <1, 0.3, 0.2> } finish { ambient 0.2 diffuse 0.8 } }
box { <-0.3, 0, -0.3>, <0.3, 0.9, 0.3> rotate 25*y translate <0.4, 0, 0> pigment { rgb 0.9 } finish { ambient 0.1 diffuse 0.9 } }
