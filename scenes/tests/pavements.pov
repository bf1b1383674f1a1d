// The pavement pattern: triangles, squares and hexagons, tiles of 1 to 6 cells,
// many layouts, with every exterior, interior and form setting. One square per
// variant, seen from above, through a banded colour map; the last row uses
// pavement as a normal and as a texture pattern.
#version 3.7;
global_settings { assumed_gamma 1 }
camera { orthographic location <0, 10, 0> look_at <0, 0, 0> right x*16 up z*12 }
light_source { <-30, 100, 20> color rgb 1 }

#declare Bands = color_map {
  [0.00 rgb <0.1, 0.1, 0.4>] [0.25 rgb <0.2, 0.8, 0.9>]
  [0.50 rgb <0.9, 0.9, 0.2>] [0.75 rgb <0.9, 0.3, 0.1>]
  [1.00 rgb <0.2, 0.0, 0.0>]
}

// sides, tiles, pattern, exterior, interior, form
#declare V = array[56][6] {
  {3,1,1, 0,0,0}, {3,2,1, 1,1,1}, {3,3,1, 2,2,2}, {3,4,1, 1,2,0},
  {3,4,2, 2,1,1}, {3,4,3, 0,2,2}, {3,5,1, 1,0,2}, {3,5,2, 2,2,1},
  {3,5,3, 0,1,2}, {3,5,4, 2,0,1}, {3,6,1, 1,1,2}, {3,6,4, 2,2,2},
  {3,6,7, 0,2,1}, {3,6,9, 1,2,2}, {3,6,12, 2,1,0}, {3,6,11, 1,0,1},

  {4,1,1, 0,0,0}, {4,2,1, 1,1,1}, {4,3,2, 2,2,2}, {4,4,5, 1,2,3},
  {4,4,3, 2,1,0}, {4,5,3, 0,2,1}, {4,5,5, 1,1,2}, {4,5,8, 2,0,3},
  {4,5,12, 1,2,0}, {4,6,5, 2,2,1}, {4,6,8, 0,1,2}, {4,6,15, 1,0,3},
  {4,6,16, 2,1,0}, {4,6,17, 1,2,2}, {4,6,28, 2,2,1}, {4,6,35, 0,2,2},

  {6,1,1, 0,0,0}, {6,2,1, 0,1,1}, {6,3,1, 0,2,2}, {6,3,2, 0,1,2},
  {6,3,3, 0,2,1}, {6,4,1, 0,0,2}, {6,4,2, 0,2,0}, {6,4,4, 0,1,1},
  {6,4,7, 0,2,2}, {6,5,1, 0,1,0}, {6,5,2, 0,2,1}, {6,5,8, 0,1,2},
  {6,5,12, 0,2,2}, {6,5,13, 0,0,1}, {6,5,16, 0,1,1}, {6,5,22, 0,2,2},

  {3,6,6, 2,2,2}, {4,6,30, 2,2,2}, {6,5,19, 0,2,2}, {4,6,23, 1,1,1},
  {3,4,2, 1,1,1}, {4,5,10, 2,2,2}, {6,4,6, 0,1,2}, {4,6,34, 0,0,0}
}

#declare I = 0;
#while (I < 56)
  #declare Col = mod(I, 8);
  #declare Row = div(I, 8);
  #declare S = V[I][0];
  #declare P = pigment {
    pavement number_of_sides S number_of_tiles V[I][1] pattern V[I][2]
    exterior V[I][3] interior V[I][4] form V[I][5]
    color_map { Bands }
    scale 0.3 translate <0.11, 0, 0.07>
  }
  box {
    <-0.9, -1, -0.8>, <0.9, 0, 0.8>
    #if (Row < 6)
      pigment { P }
      finish { ambient 1 diffuse 0 }
    #else
      #if (Col < 4)
        pigment { rgb <0.9, 0.8, 0.6> }
        normal {
          pavement number_of_sides S number_of_tiles V[I][1] pattern V[I][2]
          exterior V[I][3] interior V[I][4] form V[I][5]
          bump_size 0.6
          scale 0.3
        }
        finish { ambient 0.2 diffuse 0.8 }
      #else
        texture {
          pavement number_of_sides S number_of_tiles V[I][1] pattern V[I][2]
          exterior V[I][3] interior V[I][4] form V[I][5]
          texture_map {
            [0.3 pigment { rgb <0.1, 0.3, 0.1> } finish { ambient 1 diffuse 0 }]
            [0.3 pigment { rgb <0.9, 0.9, 0.8> } finish { ambient 1 diffuse 0 }]
          }
          scale 0.3
        }
      #end
    #end
    translate <-7 + Col * 2, 0, 5.1 - Row * 1.7>
  }
  #declare I = I + 1;
#end
