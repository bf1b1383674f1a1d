// A ray through surfaces with the same index on both sides goes on as the same
// ray (POV-Ray's "transmitted" rays): it spends no trace level, so eight clear
// panes in a row are all seen through with max_trace_level 3, and only the
// mirror's reflections are cut by the limit.
#version 3.7;
global_settings { assumed_gamma 1 max_trace_level 3 }
camera { location <0, 1, -8> look_at <0, 1, 0> angle 40 }
light_source { <5, 10, -10> rgb 1 }
plane { y, 0 pigment { checker rgb 0.8 rgb 0.25 } }
plane { z, 6 pigment { gradient x color_map { [0 rgb <1, 0.3, 0.1>] [1 rgb <0.1, 0.4, 1>] } } }
#for (i, 0, 7)
  box { <-2.5, 0, -0.02>, <1.5, 2.5, 0.02>
    translate z * (i * 0.4 - 1)
    pigment { rgbf <0.95, 0.97, 1, 0.92> }
    finish { ambient 0 diffuse 0.05 }
  }
#end
sphere { <2.2, 1, 0>, 0.8 finish { reflection 0.8 } pigment { rgb 0.2 } }
sphere { <3.3, 0.6, -1.5>, 0.6 finish { reflection 0.8 } pigment { rgb 0.2 } }
