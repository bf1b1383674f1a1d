parametric { function { u }, function { v }, function { 0 } <0,0>, <0,0> }
parametric { function { 1/0 }, function { v }, function { u*v } <0,0>, <1,1> precompute 40, x, y, z }
parametric { function { u }, function { v } <0,0>, <1,1> }
parametric { function { u }, function { v }, function { 0 } <0,0>, <1,1> accuracy 0 max_gradient 0 contained_by { sphere { 0, -1 } } }
parametric { function { u }, function { v }, function { 0 } <0,0>, <1,1> precompute 3 contained_by { box { 1, -1 } }
