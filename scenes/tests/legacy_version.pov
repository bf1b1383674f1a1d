// A POV-Ray 3.6 scene as POV-Ray 3.7 renders it: no assumed_gamma, so gamma
// correction is off and colours reach the file as they are; a layered texture
// whose filtered top layer dims itself by 3.6's formula; the sky sphere
// composited over the background as 3.6 did; and `ambient` kept under
// radiosity. The same scene with `#version 3.7` renders visibly differently
// (checked by raytracer/tests/oracle_scenes.rs).
#version 3.6;

global_settings {
  radiosity { count 20 recursion_limit 1 pretrace_start 0.08 pretrace_end 0.04 }
}

camera { location <0, 2, -6> look_at <0, 0.6, 0> angle 50 }
background { rgb <0.1, 0.2, 0.3> }
sky_sphere {
  pigment {
    gradient y
    color_map { [0 rgbf <0.8, 0.6, 0.2, 0.6>] [1 rgbt <0.2, 0.3, 0.9, 0.3>] }
  }
}
light_source { <4, 6, -5> rgb 1 }

plane { y, 0 pigment { checker rgb 0.8 rgb 0.3 } finish { ambient 0.3 diffuse 0.6 } }

sphere { <-1.3, 1, 0>, 1
  texture { pigment { rgb <1, 0.2, 0.1> } finish { ambient 0.2 } }
  texture {
    pigment {
      gradient y
      color_map { [0 rgbf <0.1, 0.9, 0.2, 0.7>] [1 rgbf <0.9, 0.9, 0.1, 0.2>] }
    }
    finish { ambient 0.1 }
  }
}

box { <0.3, 0, -0.7>, <2.0, 1.5, 0.7>
  texture { pigment { rgbt <0.2, 0.4, 1, 0.5> } finish { ambient 0.6 } }
}
