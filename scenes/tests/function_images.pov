// Oracle scene: images made from functions. A height field from a float
// function, a smoothed one from a pigment function (its grey value), and
// image maps from a float function and from a pigment function with
// transparency, over a checkered floor.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 5, -9> look_at <0, 0.2, 0> angle 52 }
light_source { <-8, 12, -10> rgb 1 }
light_source { <8, 4, -6> rgb 0.4 }

plane { y, -1.2 pigment { checker rgb 0.8 rgb 0.55 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.7 phong 0.3 phong_size 25 }

height_field {
  function 64, 48 { 0.5 + 0.4 * sin(x * 9) * cos(y * 7) }
  translate <-0.5, 0, -0.5>
  scale <3, 1, 3>
  pigment { rgb <0.9, 0.5, 0.3> } finish { Fin }
  translate <-1.8, -1.1, 2.4>
}

height_field {
  function 80, 80 {
    pigment { gradient x color_map { [0 rgb 0.1] [0.5 rgb <1, 0.6, 0.2>] [1 rgb 0.1] } scale 0.5 }
  }
  smooth
  water_level 0.2
  translate <-0.5, 0, -0.5>
  scale <3, 0.8, 3>
  rotate 25*y
  pigment { rgb <0.3, 0.8, 0.5> } finish { Fin }
  translate <1.8, -1.1, 2.4>
}

box {
  <-1, -1, 0>, <1, 1, 0.05>
  pigment {
    image_map { function 40, 40 { x * y } interpolate 2 }
    translate <-0.5, -0.5, 0> scale 2
  }
  finish { ambient 0.3 diffuse 0.6 }
  scale 0.6 translate <-1.2, -0.4, -2.6>
}

box {
  <-1, -1, 0>, <1, 1, 0.05>
  pigment {
    image_map {
      function 32, 32 {
        pigment { checker rgbt <1, 0.2, 0.2, 0.6> rgb <0.2, 0.3, 1> scale 0.25 }
      }
    }
    translate <-0.5, -0.5, 0> scale 2
  }
  finish { ambient 0.3 diffuse 0.6 }
  scale 0.6 translate <1.2, -0.4, -2.6>
}
