// Oracle scene: every finish term on its own sphere, in a 4x3 grid, lit by
// two lights over a neutral floor: ambient, diffuse, brilliance, phong with
// two phong_size values, specular with two roughness values, metallic with
// phong and with specular, reflection, reflection {min max}, and
// everything at once. Uses the pre-3.7 assumed_gamma of 2.2.
#version 3.7;
global_settings { assumed_gamma 2.2 ambient_light rgb <1, 0.95, 0.9> }

background { rgb <0.15, 0.2, 0.3> }
camera { location <0, 7, -13> look_at <0, 0, 0> angle 48 }
light_source { <-10, 15, -12> rgb 1 }
light_source { <10, 8, -6> rgb <0.3, 0.3, 0.4> }

plane { y, -1 pigment { checker rgb 0.7 rgb 0.45 scale 1.5 } finish { ambient 0.1 diffuse 0.6 } }

#declare Base = rgb <0.8, 0.35, 0.2>;
#macro Ball(Col, Row, Fin)
  sphere { <-4.5 + 3*Col, 0, 4 - 3.2*Row>, 1 pigment { Base } finish { Fin } }
#end

Ball(0, 0, finish { ambient 0.6 diffuse 0.2 })
Ball(1, 0, finish { ambient 0 diffuse 1 })
Ball(2, 0, finish { ambient 0.1 diffuse 0.8 brilliance 5 })
Ball(3, 0, finish { ambient 0.1 diffuse 0.7 brilliance 0.3 })
Ball(0, 1, finish { ambient 0.1 diffuse 0.6 phong 1 phong_size 10 })
Ball(1, 1, finish { ambient 0.1 diffuse 0.6 phong 0.8 phong_size 200 })
Ball(2, 1, finish { ambient 0.1 diffuse 0.6 specular 0.9 roughness 0.1 })
Ball(3, 1, finish { ambient 0.1 diffuse 0.6 specular 1 roughness 0.002 })
Ball(0, 2, finish { ambient 0.1 diffuse 0.5 metallic phong 1 phong_size 40 })
Ball(1, 2, finish { ambient 0.1 diffuse 0.5 metallic 0.5 specular 0.8 roughness 0.02 })
Ball(2, 2, finish { ambient 0.05 diffuse 0.4 reflection 0.5 })
Ball(3, 2, finish { ambient 0.1 diffuse 0.6 brilliance 2 phong 0.5 phong_size 60 specular 0.3 roughness 0.05 metallic reflection { 0.05, 0.4 } crand 0 })
