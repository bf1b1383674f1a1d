// Oracle scene: the omnimax camera
#version 3.7;
#include "world.inc"
camera {
  omnimax
  location <0, 2, 0>
  look_at <0, 3, 4>
  angle 180
}
