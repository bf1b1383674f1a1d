// Oracle scene: an orthographic camera resized from the look_at distance
#version 3.7;
#include "world.inc"
camera {
  orthographic
  location <10, 12, -14>
  look_at <0, 1, 0>
  angle 60
}
