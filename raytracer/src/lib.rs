//! raytracer: POV-Ray scene language, scene model, renderer and image output.

pub mod desc;
pub mod pattern;
pub mod render;
pub mod scene;
pub mod sdl;
