// Oracle scene: the finite primitives -- box, cylinder (closed and open),
// cone (pointed, truncated, open), torus, disc (with a hole) and sphere --
// several of them transformed with scale, rotate, matrix and transform {}.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.3, 0.35, 0.4> }
camera { location <0, 5, -12> look_at <0, 0.5, 0> angle 52 }
light_source { <-6, 14, -10> rgb 1 }
light_source { <10, 5, -3> rgb 0.3 }

plane { y, -1 pigment { checker rgb 0.9 rgb 0.65 } finish { ambient 0.2 diffuse 0.7 } }

#declare Fin = finish { ambient 0.15 diffuse 0.75 specular 0.4 roughness 0.02 }

box { <-0.8, -1, -0.8>, <0.8, 0.6, 0.8> rotate 35*y translate <-4, 0, 2>
  pigment { rgb <0.9, 0.3, 0.3> } finish { Fin } }
cylinder { <0, -1, 0>, <0, 1, 0>, 0.8 translate <-1.5, 0, 2>
  pigment { rgb <0.3, 0.8, 0.4> } finish { Fin } }
cylinder { <-0.9, 0, 0>, <0.9, 0.5, 0>, 0.6 open translate <1.3, 0.2, 2>
  pigment { rgb <0.95, 0.75, 0.3> } finish { Fin } }
cone { <0, -1, 0>, 0.9, <0, 1.2, 0>, 0 translate <4, 0, 2>
  pigment { rgb <0.4, 0.5, 0.95> } finish { Fin } }

torus { 1, 0.3 rotate 60*x translate <-3.5, 0.4, -1.5>
  pigment { rgb <0.9, 0.5, 0.8> } finish { Fin } }
cone { <0, 0, 0>, 0.7, <0, 1.2, 0>, 0.3 open translate <-1, -1, -1.5>
  pigment { rgb <0.5, 0.9, 0.9> } finish { Fin } }
disc { <0, 0, 0>, <0, 1, -1>, 0.9, 0.4 translate <1.2, 0, -1.8>
  pigment { rgb <0.95, 0.95, 0.5> } finish { Fin } }

// A sheared sphere via matrix, then a shared transform.
#declare Lift = transform { rotate 15*z translate <3.8, 0, -1.5> }
sphere { 0, 0.8
  matrix < 1, 0, 0,
           0.5, 1, 0,
           0, 0, 1,
           0, 0, 0 >
  transform { Lift }
  pigment { rgb <0.7, 0.7, 0.7> } finish { Fin } }
