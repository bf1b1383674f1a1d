// Oracle scene: a camera normal perturbing every primary ray
#version 3.7;
#include "world.inc"
camera {
  location <0, 4, -14>
  look_at <0, 2, 0>
  normal { bumps 0.3 scale 0.1 }
}
