// Oracle scene: atmospheric media lit by spotlights. Scattering media fill
// a hollow room; two coloured spotlights (one dimmed by the media on its way,
// media_attenuation) and a shadowless fill light that does not interact
// with the media; a ball casts shadow shafts through the beams.
#version 3.7;
global_settings { assumed_gamma 1.0 }

camera { location <6, 5, -14> look_at <0, 3, 0> angle 60 }

media {
  scattering { 1, rgb 0.04 }
  absorption rgb 0.005
  intervals 2
  samples 4
}

light_source { <0, 12, -8> rgb 0.5 media_interaction off shadowless }
light_source { <-6, 11, -2> rgb <1.5, 0.6, 0.3>
  spotlight point_at <0, 2, 0> radius 9 falloff 14 tightness 2
  media_attenuation on }
light_source { <5, 11, 2> rgb <0.3, 0.7, 1.6>
  spotlight point_at <0, 1, 0> radius 6 falloff 11 }

box { <-15, 0, -15>, <15, 15, 15>
  pigment { rgb 0.9 } finish { ambient 0.1 diffuse 0.6 }
  hollow }
sphere { <0, 4, 0>, 1.2 pigment { rgb <0.9, 0.9, 0.8> } finish { phong 0.5 } }
cylinder { <2, 0, 1>, <2, 2, 1>, 0.5 pigment { rgb <0.3, 0.8, 0.3> } }
