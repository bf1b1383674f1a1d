// The object pattern: pigments, normals and textures chosen by whether the
// point is inside an object, CSG and identifiers included.
#version 3.7;
global_settings { assumed_gamma 1 }
camera { location <0, 3, -7> look_at <0, 0.6, 0> angle 50 }
light_source { <-5, 10, -8> color rgb 1 }

#declare Ring = difference {
  cylinder { -y, y, 1 }
  cylinder { -2*y, 2*y, 0.6 }
  rotate 90*x
}

#declare Star = difference {
  union {
    box { <-1, -0.2, -0.2>, <1, 0.2, 0.2> }
    box { <-0.2, -1, -0.2>, <0.2, 1, 0.2> rotate 45*z }
  }
  sphere { 0, 0.35 }
  rotate 90*x
}

// A wall whose pigment shows the ring, scaled with the pigment.
box {
  <-3, -0.5, 1>, <3, 3, 1.2>
  pigment { object { Ring color rgb <0.9, 0.8, 0.2>, color rgb <0.2, 0.3, 0.9> } scale 1.2 translate <-1.3, 1.4, 0> }
  finish { ambient 0.2 diffuse 0.8 }
}

// A floor whose texture shows a star of CSG, one texture each side.
plane {
  y, -0.5
  texture {
    object {
      Star
      texture { pigment { checker rgb 1, rgb 0.6 scale 0.3 } finish { ambient 0.2 } },
      texture { pigment { rgb <0.8, 0.1, 0.1> } finish { ambient 0.3 specular 0.5 } }
    }
    scale 1.5 translate <0.2, -0.5, -1>
  }
}

// A sphere with a normal from an object pattern (default normals: flat, bumped).
sphere {
  <1.6, 1.0, -1.0>, 0.8
  pigment { rgb 0.9 }
  normal { object { sphere { <0.3, 0.3, -0.3>, 0.5 } normal { bumps 0 }, normal { gradient y 4 scale 0.1 } } translate <1.6, 1.0, -1.0> }
  finish { ambient 0.1 diffuse 0.9 }
}
