//! raytracer: POV-Ray scene language, scene model, renderer and image output.
//!
//! The pipeline, pbrt-style: scene text is parsed by [`sdl`] into the plain-data
//! description [`desc::SceneDesc`]; [`scene::Scene::build`] turns that into render
//! objects (shapes, CSG, BVH, textures); [`render`] traces rays and samples pixels
//! (a block at a time, deterministically); [`image_out`] writes TGA or PNG; [`cli`]
//! reads POV-Ray's command line and INI files for the `prender` binary.

pub mod cli;
pub mod desc;
pub mod distributed;
pub mod function;
pub mod image_out;
pub mod pattern;
pub mod render;
pub mod scene;
pub mod sdl;
