// Oracle scene: iridescence (with thickness and turbulence), conserve_energy
// on a reflective glass, metallic reflection, and double_illuminate on a thin
// translucent panel lit from behind.
#version 3.7;
global_settings { assumed_gamma 1.0 irid_wavelength <0.6, 0.5, 0.4> }
background { rgb <0.1, 0.1, 0.2> }
camera { location <0, 5, -12> look_at <0, 1.5, 0> angle 60 }
light_source { <-8, 12, -10> rgb 1 }
light_source { <6, 6, 10> rgb 0.6 }
plane { y, 0 pigment { checker rgb 0.9 rgb 0.2 } finish { ambient 0.1 diffuse 0.8 } }
sphere { <-4, 1.5, 0>, 1.5 pigment { rgb 0.7 }
  finish { ambient 0.1 diffuse 0.6 irid { 0.4 thickness 0.6 turbulence 0.3 } } }
sphere { <0, 1.5, 0>, 1.5 pigment { rgbf <1, 1, 1, 0.9> }
  finish { ambient 0 diffuse 0.1 reflection { 0.1, 0.9 fresnel } conserve_energy }
  interior { ior 1.5 } }
sphere { <4, 1.5, 0>, 1.5 pigment { rgb <1, 0.6, 0.2> }
  finish { ambient 0.1 diffuse 0.4 reflection { 0.6 metallic } phong 0.5 metallic } }
box { <-2, 0, 3>, <2, 3, 3.05> pigment { rgbf <1, 1, 1, 0.6> } double_illuminate }
