// Oracle scene: mirrors. Chrome-like spheres over a checker floor between
// two facing mirror walls: multiple interreflections up to the trace
// level, reflection of coloured and metallic surfaces, and reflection
// {min max} with falloff.
#version 3.7;
global_settings { assumed_gamma 1.0 max_trace_level 8 }

background { rgb <0.5, 0.6, 0.8> }
camera { location <0, 3, -9> look_at <0, 1, 0> angle 55 }
light_source { <-4, 10, -8> rgb 1 }

plane { y, 0 pigment { checker rgb <0.9, 0.2, 0.2> rgb 0.95 } finish { ambient 0.2 diffuse 0.7 reflection 0.15 } }

// Two parallel mirror walls, slightly tinted.
plane { x, -5 pigment { rgb <0.9, 0.95, 0.9> } finish { ambient 0.05 diffuse 0.1 reflection 0.8 } }
plane { -x, -5 pigment { rgb <0.9, 0.9, 0.95> } finish { ambient 0.05 diffuse 0.1 reflection 0.8 } }

sphere { <-1.6, 1, 0>, 1
  pigment { rgb 0.3 }
  finish { ambient 0.05 diffuse 0.2 reflection 0.9 phong 1 phong_size 120 } }
sphere { <1.2, 0.8, -0.8>, 0.8
  pigment { rgb <0.9, 0.7, 0.3> }
  finish { ambient 0.1 diffuse 0.5 reflection 0.6 metallic phong 0.8 phong_size 60 } }
sphere { <0.5, 0.5, 2>, 0.5
  pigment { rgb <0.2, 0.4, 0.9> }
  finish { ambient 0.1 diffuse 0.6 reflection { 0.1, 0.7 } } }
