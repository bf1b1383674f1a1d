// Oracle scene: radiosity importance. The room of radiosity_room.pov with a
// default importance of 0.5 (`#default`, which the room's walls keep): the
// red wall is sampled by every sample ray (importance 1), the green wall by a
// quarter of them, and the union's children inherit its importance 0.3 (the
// box) unless they set their own (the sphere, 1). Rays that meet a less
// important object than their place in the sample asks for are skipped, the
// others stand in for them.
#version 3.7;
global_settings {
  assumed_gamma 1.0
  radiosity {
    pretrace_start 0.08
    pretrace_end 0.02
    count 60
    nearest_count 5
    error_bound 0.8
    recursion_limit 2
    low_error_factor 0.6
    minimum_reuse 0.015
    gray_threshold 0.1
  }
}
#default { radiosity { importance 0.5 } }
camera { location <0, 2.5, -6.5> look_at <0, 2.2, 0> angle 55 }
light_source { <0, 4.6, 0> colour rgb 1.2 fade_distance 3 fade_power 1 }
#declare White = texture { pigment { rgb 0.8 } finish { diffuse 0.7 } }
box { <-3, 0, -7>, <3, 5, 3> hollow texture { White } }
box {
  <-3.01, -0.01, -7>, <-2.99, 5.01, 3.01>
  pigment { rgb <0.8, 0.1, 0.1> } finish { diffuse 0.8 }
  radiosity { importance 1 }
}
box {
  <2.99, -0.01, -7>, <3.01, 5.01, 3.01>
  pigment { rgb <0.1, 0.7, 0.15> } finish { diffuse 0.8 }
  radiosity { importance 0.25 }
}
union {
  box { <-0.6, 0, -0.6>, <0.6, 1.8, 0.6> rotate y * 25 translate <-1.1, 0, 1> texture { White } }
  sphere {
    <1.2, 0.8, -0.3>, 0.8
    pigment { rgb <0.9, 0.9, 0.6> } finish { diffuse 0.8 }
    radiosity { importance 1 }
  }
  radiosity { importance 0.3 }
}
