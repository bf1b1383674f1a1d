// Oracle scene: the ultra_wide_angle camera at 160 degrees
#version 3.7;
#include "world.inc"
camera {
  ultra_wide_angle
  location <0, 3, -2>
  look_at <2, 2, 5>
  angle 160
}
