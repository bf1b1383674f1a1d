// The 27 tilings of `tiling N`, one per square seen from above, each through a
// colour map with a band per kind of tile (edges dark, centres bright).
#version 3.7;
global_settings { assumed_gamma 1 }
camera { orthographic location <0, 10, 0> look_at <0, 0, 0> right x*12 up z*9 }
light_source { <0, 100, 0> color rgb 1 }

#declare Bands = color_map {
  [0.00 rgb <1, 0.2, 0.1>] [0.30 rgb <0.2, 0.1, 0>]
  [0.33 rgb <0.1, 1, 0.3>] [0.63 rgb <0, 0.2, 0.1>]
  [0.66 rgb <0.2, 0.4, 1>] [1.00 rgb <0, 0, 0.2>]
}

#declare N = 1;
#while (N <= 27)
  #declare Col = mod(N - 1, 6);
  #declare Row = div(N - 1, 6);
  box {
    <-0.85, -1, -0.85>, <0.85, 0, 0.85>
    pigment { tiling N color_map { Bands } scale 0.22 translate <0.13, 0, 0.07> }
    finish { ambient 1 diffuse 0 }
    translate <-5 + Col * 2, 0, 3.6 - Row * 1.8>
  }
  #declare N = N + 1;
#end
