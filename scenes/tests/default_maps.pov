// Oracle scene: patterns given without a colour map take POV-Ray's default map
// for their kind (bozo, wood, mandel, radial, agate, marble have their own;
// the rest black to white), also as entries of a pigment map.
#version 3.7;
global_settings { assumed_gamma 1.0 }
camera { location <0, 0, -10> look_at 0 angle 60 }
light_source { <-5, 10, -20> rgb 1 }
#macro Tile(P, X, Y)
  box { <-0.9, -0.9, 0>, <0.9, 0.9, 0.1> pigment { P } finish { ambient 0.4 diffuse 0.6 } translate <X, Y, 0> }
#end
Tile(pigment { bozo scale 0.4 }, -4, 2)
Tile(pigment { wood scale 0.2 }, -2, 2)
Tile(pigment { mandel 30 scale 0.6 translate x * 0.4 }, 0, 2)
Tile(pigment { radial frequency 4 rotate x * 90 }, 2, 2)
Tile(pigment { agate scale 0.5 }, 4, 2)
Tile(pigment { marble scale 0.5 }, -4, 0)
Tile(pigment { granite scale 0.6 }, -2, 0)
Tile(pigment { spotted scale 0.4 }, 0, 0)
Tile(pigment { onion scale 0.3 }, 2, 0)
Tile(pigment { gradient x pigment_map { [0.2 rgb <0.2, 0.5, 0.3>] [0.5 radial frequency 8 rotate x * 90] [0.8 wood scale 0.1] } scale 1.8 translate -x * 0.9 }, 4, 0)
Tile(pigment { leopard scale 0.2 }, -4, -2)
Tile(pigment { ripples scale 0.5 }, -2, -2)
Tile(pigment { checker scale 0.5 }, 0, -2)
Tile(pigment { hexagon scale 0.3 rotate x * 90 }, 2, -2)
Tile(pigment { brick scale 0.05 }, 4, -2)
