// Oracle scene: a camera looking straight down its sky vector: POV-Ray keeps the given right vector
#version 3.7;
#include "world.inc"
camera {
  location <0, 25, 0>
  look_at <0, 0, 0>
  angle 70
}
