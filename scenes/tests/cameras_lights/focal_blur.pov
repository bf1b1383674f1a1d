// Oracle scene: focal blur. POV-Ray and prender pick different lens samples,
// so with every sample taken (variance 0) the images differ only by noise.
#version 3.7;
#include "world.inc"
camera {
  location <0, 4, -9>
  look_at <0, 2, 7>
  angle 60
  aperture 0.8
  focal_point <0, 2, 7>
  blur_samples 64
  variance 0
}
