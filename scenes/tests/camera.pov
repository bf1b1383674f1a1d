// Oracle scene: camera vectors as 3.x scenes set them -- explicit
// direction, up and right (a wide 16:9 right vector), a tilted sky vector
// and look_at -- plus objects placed with transform {} and scale/rotate
// chains. A mistake in any camera vector moves or stretches everything.
#version 3.7;
global_settings { assumed_gamma 1.0 }

background { rgb <0.4, 0.5, 0.6> }
camera {
  location <2, 4, -9>
  direction <0, 0, 1.5>
  up <0, 1, 0>
  right <16/9, 0, 0>
  sky <0.15, 1, 0>
  look_at <0, 1, 0>
}
light_source { <-6, 12, -10> rgb 1 }

plane { y, 0 pigment { checker rgb 0.9 rgb 0.3 } finish { ambient 0.2 diffuse 0.7 } }

#declare Post = cylinder { 0, 2*y, 0.25 }
#declare Spin = transform { rotate 30*y scale <1, 1.5, 1> }
object { Post transform { Spin } translate <-3, 0, 1> pigment { rgb <1, 0.4, 0.2> } }
object { Post transform { Spin inverse } translate <3, 0, 1> pigment { rgb <0.2, 0.9, 0.4> } }
box { -0.5, 0.5 scale <2, 0.5, 1> rotate <0, 45, 20> translate <0, 1, 2> pigment { rgb <0.3, 0.4, 1> } finish { phong 0.6 } }
torus { 0.8, 0.15 rotate 90*x translate <0, 2.6, 2> pigment { rgb <1, 0.9, 0.2> } }
