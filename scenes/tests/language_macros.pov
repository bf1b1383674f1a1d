// Macro parameters passed by reference (even `#local` to one writes the
// caller's identifier), a vector with a trailing comma, a colour's component
// as a float argument and a lone '#', checked against POV-Ray 3.7.
#version 3.7;
global_settings { assumed_gamma 1.0 }

camera { location <0, 4, -7> look_at <0, 0.5, 0> angle 50 }
light_source { <-5, 8, -6> rgb 1 }
plane { y, 0 pigment { checker rgb <0.8, 0.8, 0.7,> rgb <0.3, 0.35, 0.4> } }

#declare Tint = rgb <0.9, 0.4, 0.2>;
#macro Half(F) (F / 2) #end

// Walks P one step along a direction drawn from Seed; the caller's P moves.
#macro Step(P, Seed)
  #local D = <rand(Seed) - 0.5, 0, rand(Seed) - 0.5>;
  #local P = P + 0.6 * D;
#end

// Grows a chain of balls; each branch leaves P where it ended, as in POV-Ray.
#macro Chain(P, Seed, Depth)
  #local K = 0;
  #while (K < 6)
    Step(P, Seed)
    sphere { P + y * 0.2, 0.12 + Half(Tint.green) * 0.1 pigment { Tint } }
    #if (Depth > 0 & rand(Seed) > 0.6)
      Chain(P, Seed, Depth - 1)
    #end
    #local K = K + 1;
  #end
#end

#declare S = seed(11);
#declare Start = <-1.5, 0, 0>;
Chain(Start, S, 3)
// Start has moved to the chain's end.
sphere { Start + y * 0.5, 0.3 pigment { rgb <0.2, 0.5, 0.9,> } #
}
