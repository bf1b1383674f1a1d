// Oracle scene: the spherical camera with its default 360 x 180 degrees
#version 3.7;
#include "world.inc"
camera {
  spherical
  location <0, 3, 0>
  look_at <0, 3, 1>
}
