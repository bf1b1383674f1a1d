sphere{0,1 pigment{pavement number_of_sides 1e300 number_of_tiles -1e300 pattern 2.5e9 form -7 exterior 1e20}}
sphere{0,1 pigment{pavement number_of_sides 6 number_of_tiles 5 pattern 22 interior -1 exterior 255 form 258}}
sphere{0,1 normal{pavement number_of_sides 4 number_of_tiles 6 pattern 36}}
sphere{0,1 texture{pavement number_of_sides 3 number_of_tiles 6 pattern 12 texture_map{[0 pigment{rgb 0}][1 pigment{rgb 1}]}}}
