// Radiosity and media: a small glowing media sphere hangs behind the camera,
// where no camera ray sees it. POV-Ray's radiosity sample rays see no media
// unless `radiosity { media on }`, so the room is lit only by its light unless
// the scene is rendered with Declare=MediaOn=1.
#version 3.7;
#ifndef (MediaOn) #declare MediaOn = 0; #end
global_settings {
  assumed_gamma 1.0
  radiosity {
    pretrace_start 0.08
    pretrace_end 0.02
    count 150
    nearest_count 5
    error_bound 0.8
    recursion_limit 1
    low_error_factor 0.6
    minimum_reuse 0.015
    #if (MediaOn) media on #end
  }
}
camera { location <0, 2.5, -6.5> look_at <0, 2.2, 0> angle 55 }
light_source { <0, 4.6, 0> colour rgb 0.4 }
box { <-3, 0, -7>, <3, 5, 3> hollow pigment { rgb 0.8 } finish { diffuse 0.7 } }
box { <-0.6, 0, -0.6>, <0.6, 1.8, 0.6> rotate y * 25 translate <-1.1, 0, 1>
      pigment { rgb 0.8 } finish { diffuse 0.7 } }
sphere { <1.2, 0.8, -0.3>, 0.8 pigment { rgb <0.9, 0.9, 0.6> } finish { diffuse 0.8 } }
sphere { <0, 4.2, -6.2>, 0.5
  hollow
  pigment { rgbt 1 }
  interior { media { emission rgb <32, 24, 16> } }
}
