//! raytracer: POV-Ray scene language, scene model, renderer and image output.
//!
//! The pipeline, pbrt-style: scene text is parsed by [`sdl`] into the plain-data
//! description [`desc::SceneDesc`]; [`scene::Scene::build`] turns that into render
//! objects (shapes, CSG, BVH, textures); [`render`] traces rays and samples pixels
//! (a block at a time, deterministically); [`image_out`] writes the image files; [`cli`]
//! reads POV-Ray's command line and INI files for the `prender` binary, [`animation`]
//! turns them into frames and [`report`] lays out what prender prints.

pub mod animation;
pub mod cli;
pub mod console;
pub mod desc;
pub mod distributed;
pub mod function;
pub mod image_out;
pub mod pattern;
pub mod render;
pub mod report;
pub mod scene;
pub mod sdl;
pub mod stats;
