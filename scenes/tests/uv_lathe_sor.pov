// Oracle scene: uv_mapping on lathe and sor, whose uv POV-Ray 3.7 gives as
// the turn about y (u) and the position along the profile (v): the spline
// segment and its parameter for a lathe, the height's share of each segment
// for a sor, whose base and cap map v outside 0..1 (base -1..0, cap 1..2).
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.2, 0.22, 0.3> }
camera { location <0, 5, -12> look_at <0.3, 0.8, 0> angle 58 }
light_source { <-8, 14, -12> rgb 1 }
light_source { <10, 5, -8> rgb 0.3 }

#declare Fin = finish { ambient 0.2 diffuse 0.7 }
#declare Check = pigment { uv_mapping checker rgb <0.9, 0.2, 0.1> rgb 0.95 scale <1/12, 1/8, 1> }

plane { y, -1 pigment { rgb 0.6 } finish { Fin } }

// Linear lathe: a cup whose segments differ in length, so v steps per segment.
lathe { linear_spline 5, <0.2, 0>, <1.2, 0.2>, <1.4, 2>, <1.2, 2.2>, <0.6, 1.8>
  pigment { Check } finish { Fin } rotate 25*y translate <-4, -1, 1> }

// Cubic lathe: v runs with the spline parameter, not the height.
lathe { cubic_spline 6, <0, -0.5>, <0.5, 0>, <1.2, 0.6>, <0.6, 1.4>, <1, 2.4>, <0.5, 3>
  pigment { uv_mapping gradient y color_map { [0 rgb <0.1, 0.3, 0.9>] [0.5 rgb <0.9, 0.9, 0.2>] [1 rgb <0.9, 0.2, 0.5>] } }
  finish { Fin } rotate -40*y translate <-0.8, -1, 0> }

// Closed sor seen from above: the cap's v lies in 1..2 and the checker runs on.
sor { 6, <0, -0.4>, <0.8, 0>, <1.3, 0.8>, <0.7, 1.6>, <1, 2.4>, <0.8, 2.8>
  texture { uv_mapping pigment { checker rgb <0.1, 0.7, 0.3> rgb 0.9 scale <1/10, 1/6, 1> } finish { Fin } }
  rotate 30*y translate <2.2, -1, 0.5> }

// Open sor tilted to show its base from below, where v is -1..0.
sor { 5, <0, 0>, <0.9, 0.2>, <0.5, 1>, <0.8, 1.8>, <0.4, 2.2>
  pigment { uv_mapping gradient y color_map { [0 rgb 0.1] [0.5 rgb <0.9, 0.6, 0.1>] [1 rgb 0.9] } scale <1, 0.5, 1> }
  finish { Fin } rotate <150, 0, 20> translate <4.5, 1.6, -1.5> }
