// Oracle scene: the density_file pattern on two small DF3 files made for this
// test (8-bit 12x10x8 and 16-bit 7x6x5 voxels): pigments with interpolate 0,
// 1 and 2, a normal, and an emitting medium whose density is a DF3 file.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.05, 0.05, 0.1> }
camera { location <0, 2.5, -7> look_at <0, 0.3, 0> angle 55 }
light_source { <-6, 10, -8> rgb 1 }

#declare Ramp = color_map { [0 rgb <0.1, 0.1, 0.4>] [0.5 rgb <1, 0.5, 0.1>] [1 rgb 1] }

#macro DfBox(File, Interp, Pos)
  box {
    <0, 0, 0>, <1, 1, 1>
    pigment {
      density_file df3 File interpolate Interp
      color_map { Ramp }
      scale 1.001
    }
    finish { ambient 0.4 diffuse 0.6 }
    translate <-0.5, 0, -0.5>
    rotate <-20, 30, 0>
    translate Pos
  }
#end

DfBox("df3_ball8.df3", 0, <-2.4, 1.2, 0>)
DfBox("df3_ball8.df3", 1, <0, 1.2, 0>)
DfBox("df3_ball8.df3", 2, <2.4, 1.2, 0>)
DfBox("df3_bands16.df3", 1, <-2.4, -0.8, 0>)
DfBox("df3_bands16.df3", 12, <0, -0.8, 0>)

sphere {
  <2.4, -0.4, 0>, 0.7
  pigment { rgb 0.8 }
  normal { density_file df3 "df3_bands16.df3", 1.5 interpolate 1 translate -0.5 scale 1.4 }
  finish { ambient 0.2 diffuse 0.7 phong 0.6 phong_size 40 }
}

box {
  <0, 0, 0>, <1, 1, 1>
  pigment { rgbt 1 }
  hollow
  interior {
    media {
      emission 0.5
      density {
        density_file df3 "df3_ball8.df3" interpolate 1
        color_map { [0 rgb 0] [0.4 rgb <0.2, 0.4, 1>] [1 rgb <1, 0.8, 0.3>] }
      }
    }
  }
  scale <6, 1.2, 2> translate <-3, -2.3, -1.5>
}
