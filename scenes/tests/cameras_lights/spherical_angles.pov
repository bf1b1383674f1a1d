// Oracle scene: the spherical camera with angle h, v
#version 3.7;
#include "world.inc"
camera {
  spherical
  angle 200, 90
  location <0, 3, 1>
  look_at <3, 2, 4>
}
