// Oracle scene: cylinder camera type 3
#version 3.7;
#include "world.inc"
camera {
  cylinder 3
  location <0, 3, -1>
  look_at <1, 3, 4>
  angle 150
}
