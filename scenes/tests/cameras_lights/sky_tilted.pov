// Oracle scene: a tilted sky and a left-handed right vector
#version 3.7;
#include "world.inc"
camera {
  location <-6, 5, -10>
  sky <0.3, 1, 0>
  right -x * 4 / 3
  look_at <0, 2, 0>
}
