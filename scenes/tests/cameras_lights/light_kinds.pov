// Oracle scene: a cylinder light, a parallel light aimed with point_at, a
// shadowless light (no shadows, no highlights), distance fading and a
// spotlight made shadowless afterwards (it becomes a plain fill light).
#version 3.7;
#include "stage.inc"
light_source { <0, 10, -3> rgb <1, 0.8, 0.6> cylinder point_at <0, 0, 1> radius 2 falloff 3.5 tightness 2 }
light_source { <-20, 15, -10> rgb 0.3 parallel point_at <0, 0, 0> }
light_source { <8, 5, -8> rgb <0.2, 0.3, 0.5> shadowless }
light_source { <4, 3, -3> rgb 1.5 fade_distance 3 fade_power 2 }
light_source { <-6, 8, 0> rgb <0.3, 0, 0.3> spotlight point_at <6, 0, 0> radius 5 shadowless }
