// Oracle scene: checkered planes receding to the horizon, a sphere and a
// box casting shadows from two point lights. Tests the checker pattern and
// its scaling, plane intersection at grazing angles, hard shadows and the
// background colour.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.3, 0.5> }

camera {
  location <0, 3, -8>
  look_at <0, 0.5, 0>
}

light_source { <-6, 10, -6> rgb 0.8 }
light_source { <8, 6, -2> rgb <0.4, 0.35, 0.3> }

plane {
  y, 0
  pigment { checker rgb <0.9, 0.9, 0.85> rgb <0.15, 0.2, 0.35> scale 1.5 }
  finish { ambient 0.15 diffuse 0.8 }
}

// A back wall with a finer, rotated checker.
plane {
  z, 12
  pigment { checker rgb <0.7, 0.2, 0.2> rgb <0.95, 0.85, 0.6> scale 0.75 rotate 30*z }
  finish { ambient 0.2 diffuse 0.7 }
}

sphere { <-1.2, 1, 0.5>, 1 pigment { rgb <0.9, 0.7, 0.2> } finish { ambient 0.1 diffuse 0.8 } }

box {
  <-0.7, 0, -0.7>, <0.7, 1.4, 0.7>
  rotate 25*y
  translate <1.6, 0, -0.5>
  pigment { checker rgb <0.2, 0.6, 0.3> rgb 1 scale 0.35 }
  finish { ambient 0.1 diffuse 0.8 }
}
