// Oracle scene: spotlights with different radius, falloff and tightness,
// aimed with point_at, coloured, over a floor and a wall; one plain point
// light kept dim so the cones stand out. Also a shadow-less object.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb 0 }
camera { location <0, 6, -12> look_at <0, 0.5, 2> angle 55 }
light_source { <0, 20, -20> rgb 0.1 }

plane { y, 0 pigment { rgb 0.8 } finish { ambient 0.05 diffuse 0.9 } }
plane { z, 6 pigment { checker rgb 0.8 rgb 0.6 } finish { ambient 0.05 diffuse 0.9 } }

light_source { <-4, 8, -2> rgb <1, 0.4, 0.3>
  spotlight point_at <-3.5, 0, 2> radius 10 falloff 18 tightness 0 }
light_source { <0, 9, -4> rgb <0.4, 1, 0.4>
  spotlight point_at <0, 0, 3> radius 6 falloff 14 tightness 10 }
light_source { <5, 6, 0> rgb <0.4, 0.5, 1.2>
  spotlight point_at <3.5, 1, 5> radius 15 falloff 25 tightness 40 }

sphere { <-3.5, 1, 2>, 1 pigment { rgb 1 } finish { ambient 0.05 diffuse 0.8 phong 0.7 } }
box { <-0.8, 0, -0.8>, <0.8, 2, 0.8> rotate 20*y translate <0, 0, 3> pigment { rgb 1 } finish { ambient 0.05 diffuse 0.8 } }
cylinder { <3.5, 0, 3>, <3.5, 2.5, 3>, 0.6 pigment { rgb 1 } finish { ambient 0.05 diffuse 0.8 } }
sphere { <1.8, 0.5, 0>, 0.5 no_shadow pigment { rgb <1, 1, 0.5> } finish { ambient 0.2 diffuse 0.8 } }
