// Oracle scene: refraction. A solid glass sphere, a hollow glass shell,
// a water-like block and a filtering (coloured) glass cylinder in front of
// a checker backdrop; filter and transmit both used; ior from 1.33 to 2.4.
// The transparent solids float a hair above the floor: a face coplanar
// with the floor would make the image depend on rounding, not on optics.
#version 3.7;
global_settings { assumed_gamma 1.0 max_trace_level 10 }

background { rgb 0.2 }
camera { location <0, 2.5, -8> look_at <0, 1, 0> angle 55 }
light_source { <-5, 10, -10> rgb 1 }
light_source { <6, 8, -4> rgb 0.4 }

plane { y, 0 pigment { checker rgb 0.95 rgb <0.1, 0.3, 0.6> scale 0.7 } finish { ambient 0.25 diffuse 0.7 } }
plane { z, 5 pigment { checker rgb <0.9, 0.8, 0.2> rgb 0.1 scale 0.6 } finish { ambient 0.3 diffuse 0.6 } }

sphere { <-2.2, 1, 0>, 1
  pigment { rgbf <1, 1, 1, 0.95> }
  finish { ambient 0 diffuse 0.05 phong 1 phong_size 200 reflection 0.05 }
  interior { ior 1.5 } }

difference {
  sphere { 0, 0.9 }
  sphere { 0, 0.8 }
  pigment { rgbt <0.95, 1, 0.95, 0.9> }
  finish { ambient 0 diffuse 0.1 phong 0.8 phong_size 150 }
  interior { ior 1.33 }
  translate <0.1, 0.9, -0.5>
}

box { <-0.7, 0, -0.7>, <0.7, 1.6, 0.7> rotate 30*y translate <2.2, 0.02, 0.5>
  pigment { rgbf <0.6, 0.9, 1, 0.8> }
  finish { ambient 0.05 diffuse 0.1 specular 0.6 roughness 0.005 }
  interior { ior 2.4 } }

cylinder { <0, 0, 0>, <0, 0.6, 0>, 0.6 translate <-0.6, 0.02, -2.4>
  pigment { rgbf <1, 0.3, 0.3, 0.85> }
  finish { ambient 0.05 diffuse 0.1 }
  interior { ior 1.2 } }
