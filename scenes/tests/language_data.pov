// Oracle scene for the scene language's data: objects placed with rand()
// (POV-Ray's own generator, so every sphere lands where POV-Ray puts it),
// a two-dimensional array with a nested initialiser, splines of every kind,
// trace() and min_extent()/max_extent() on a declared object, a value
// returned by a macro into a #local, and box corners written side by side.
#version 3.7;
global_settings { assumed_gamma 1.0 }

default { finish { ambient 0.15 diffuse 0.75 } }

background { rgb <0.15, 0.2, 0.3> }
camera { location <0, 9, -11> look_at <0, 0, 0.5> angle 60 }
light_source { <-12, 25, -18> rgb 1 }

plane { y, -1 pigment { checker rgb 0.55 rgb 0.75 scale 2 } }

// A 2 x 3 palette: the row comes from rand, the column from the position.
#declare Palette = array[2][3] {
  { rgb <0.9, 0.2, 0.2>, rgb <0.2, 0.8, 0.3>, rgb <0.2, 0.3, 0.9> },
  { rgb <0.9, 0.8, 0.2>, rgb <0.8, 0.3, 0.8>, rgb <0.3, 0.8, 0.8> }
}
#declare R = seed(2024);
#for (I, 0, 11)
  #declare P = <rand(R) * 10 - 5, -0.6, rand(R) * 4 - 5>;
  #declare Row = (rand(R) < 0.5 ? 0 : 1);
  sphere { P, 0.25 + rand(R) * 0.2
    pigment { Palette[Row][mod(I, dimension_size(Palette, 2))] } }
#end

// One path, four interpolations.
#declare Path = spline {
  natural_spline
  0, <-5, 0, 1>
  1, <-2, 2, 3>
  2, <1, -0.5, 2>
  3, <4, 1.5, 4>
  4, <5, 0, 1>
}
#macro At(Kind, T)
  #if (Kind = 0) Path(T, linear_spline);
  #elseif (Kind = 1) Path(T, quadratic_spline);
  #elseif (Kind = 2) Path(T, cubic_spline);
  #else Path(T);
  #end
#end
#macro Trail(Kind, Colour)
  #local N = 0;
  #while (N <= 40)
    #local P = At(Kind, N / 10)
    sphere { P + Kind * 1.2 * y, 0.12 pigment { Colour } }
    #local N = N + 1;
  #end
#end
Trail(0, rgb <1, 0.4, 0.2>)
Trail(1, rgb <0.3, 1, 0.3>)
Trail(2, rgb <0.3, 0.5, 1>)
Trail(3, rgb <1, 1, 0.4>)

// A block, and markers set on it by trace() and at its extents.
#declare Block = box { <-1, -1, -1> <1, 0.5, 1> rotate 25 * y translate <2.5, 0, -2> }
object { Block pigment { rgb <0.7, 0.6, 0.5> } }
#macro Top(X, Z)
  #local N = <0, 0, 0>;
  #local Hit = trace(Block, <X, 10, Z>, -y, N);
  #if (vlength(N) > 0) Hit; #else <X, -1, Z>; #end
#end
#for (K, 0, 4)
  #local Mark = Top(1.6 + K * 0.45, -2 + (K - 2) * 0.3)
  sphere { Mark, 0.15 pigment { rgb <1, 0.2, 0.6> } }
#end
sphere { min_extent(Block), 0.2 pigment { rgb <0.2, 1, 1> } }
sphere { max_extent(Block), 0.2 pigment { rgb <1, 1, 0.2> } }
