// Subsurface light transport: a wax-like sphere and a marble-like box with
// subsurface { translucency }, on a plain floor, lit from the side so light
// shows through the sphere's thin edge.
#version 3.7;

global_settings {
  assumed_gamma 1.0
  mm_per_unit 10
  subsurface { samples 200, 30 }
}

camera {
  location <0, 2.2, -5>
  look_at <0, 0.8, 0>
  angle 45
}

light_source { <-20, 25, -10> color rgb 1 }
light_source { <6, 4, 20> color rgb 0.8 }

plane {
  y, 0
  pigment { checker color rgb 0.7 color rgb 0.3 scale 1 }
  finish { diffuse 0.7 ambient 0.05 }
}

sphere {
  <-0.9, 0.9, 0>, 0.9
  pigment { color rgb <0.9, 0.6, 0.2> }
  finish {
    diffuse 0.7
    specular 0.3 roughness 0.05
    subsurface { translucency <6, 3, 1> }
  }
  interior { ior 1.4 }
}

box {
  <-0.6, 0, -0.6>, <0.6, 1.2, 0.6>
  rotate y*30
  translate <1.1, 0, 0.3>
  pigment { color rgb <0.8, 0.8, 0.75> }
  finish {
    diffuse 0.8
    subsurface { translucency <1.5, 1.2, 1> }
  }
  interior { ior 1.5 }
}
