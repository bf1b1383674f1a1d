// Oracle scene for the scene language: every sphere's place, size and
// colour comes from directives and expressions (#declare/#local, #macro,
// #while, #for, #switch/#range, #if/#elseif/#else, #ifdef, #default),
// built-in functions, vector promotion and the colour syntaxes (rgb, rgbf,
// rgbt, rgbft, colour red/green/blue, colour arithmetic, .x/.red members).
// A mistake anywhere moves a sphere or changes its colour.
#version 3.7;
global_settings { assumed_gamma 1.0 }

#default { finish { ambient 0.2 diffuse 0.7 } }

background { colour red 0.2 green 0.25 blue 0.3 }
camera { location <0, 7, -8> look_at <0, 0, 2.5> angle 58 }
light_source { <-10, 20, -20> colour rgb 1 }

plane { y, -1 pigment { colour rgb <0.6, 0.6, 0.55> } }

#declare Cols = 6;
#declare Spacing = 12 / Cols;

#macro Hue(I, N)
  #local T = I / (N - 1);
  #switch (T)
    #range (0, 1/3)
      rgb <1 - 3*T, 3*T, 0>
    #break
    #range (1/3, 2/3)
      rgb <0, 2 - 3*T, 3*T - 1>
    #break
    #else
      rgb <3*T - 2, 0, 3 - 3*T>
  #end
#end

#macro Place(Row, Col)
  <-6 + Spacing/2 + Col*Spacing, 0, Row*2.5>
#end

// Row 0: #while, a macro returning a colour, sqrt and pow for the size.
#declare C = 0;
#while (C < Cols)
  sphere { Place(0, C), 0.3 + 0.5*sqrt(C / (Cols - 1)) * pow(0.9, C)
    pigment { Hue(C, Cols) } }
  #declare C = C + 1;
#end

// Row 1: #for, trigonometry and vrotate for the position; colours from
// named components and from arithmetic on colours.
#declare Base = colour red 0.9 green 0.6;
#for (C, 0, Cols - 1)
  #local P = Place(1, C) + vrotate(0.4*x, <0, 0, 60*C>);
  sphere { P, 0.45
    #if (mod(C, 3) = 0)
      pigment { Base }
    #elseif (mod(C, 3) = 1)
      pigment { Base * 0.5 + <0, 0, 0.5> }
    #else
      pigment { colour rgb <abs(sin(radians(30*C))), min(1, C/4), max(0.2, cos(pi*C/6))> }
    #end
  }
#end

// Row 2: filter and transmit in every syntax, over a bright bar.
box { <-6, -1, 4.6>, <6, -0.6, 5.4> pigment { colour rgb <1, 0.9, 0.2> } }
#declare Glassy = array[6] {
  rgbf <0.3, 0.6, 1, 0.7>,
  rgbt <1, 0.3, 0.3, 0.6>,
  rgbft <0.3, 1, 0.3, 0.4, 0.4>,
  colour red 1 green 1 blue 1 filter 0.9,
  colour rgb <0.5, 0.5, 1> transmit 0.8,
  colour rgbf 0.5
}
#for (C, 0, Cols - 1)
  sphere { Place(2, C) + 0.3*y, 0.5 pigment { colour Glassy[C] } }
#end

// Member access, vector promotion and the ternary operator.
#declare V = <1, 2, 3> * 2;
#declare Q = (V.y > 3 ? V.z : V.x);
#ifdef (Q)
  sphere { <0, 2.5 + Q/6, 3>, 0.4 pigment { colour rgb <V.x/2, (Base.red + Base.green)/2, 0.1> } }
#end
#ifndef (Undeclared_Thing)
  cylinder { <-5, 1.8, 6>, <5, 1.8, 6>, 0.1 pigment { colour rgb vnormalize(<1, 1, 0>) } }
#end
