// Oracle scene: the fisheye camera (180 degrees; corners outside the circle are black)
#version 3.7;
#include "world.inc"
camera {
  fisheye
  location <0, 3, 0>
  look_at <0, 3, 1>
  angle 180
}
