// Oracle scene: the panoramic camera
#version 3.7;
#include "world.inc"
camera {
  panoramic
  location <0, 3, 0>
  look_at <1, 3, 3>
}
