// A reflective ring's caustic on a floor under a fading spotlight, the ring a
// photon target made by CSG, and a phong floor lit by the photons too.
#version 3.7;
global_settings {
  assumed_gamma 1
  photons { spacing 0.01 autostop 0 jitter 0 gather 20, 80 }
}
camera { location <0, 5, -4> look_at <0, 0, 0.3> angle 50 }
light_source {
  <-4, 4, -1> colour rgb 1.5
  spotlight point_at <0, 0, 0> radius 20 falloff 30
  fade_distance 6 fade_power 2
}
plane { y, 0 pigment { rgb 0.8 } finish { diffuse 0.7 phong 0.3 } }
union {
  difference {
    cylinder { <0, 0, 0>, <0, 0.6, 0>, 1.2 }
    cylinder { <0, -0.1, 0>, <0, 0.7, 0>, 1.1 }
  }
  pigment { rgb <1, 0.85, 0.5> }
  finish { ambient 0 diffuse 0.1 reflection { 0.9 metallic } }
  photons { target reflection on }
}
