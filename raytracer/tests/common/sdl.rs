//! The scene-language tests' shorthands: parse a scene from a string, expecting
//! success or an error, and read back what it made.

use raytracer::desc::{SceneDesc, Shape};
use raytracer::sdl::{parse_str, ParseOptions};

/// The description of `src`, panicking with the scene if it does not parse.
pub fn parse(src: &str) -> SceneDesc {
    match parse_str(src, &ParseOptions::default()) {
        Ok(s) => s,
        Err(e) => panic!("parse failed: {e}\n--- scene ---\n{src}"),
    }
}

/// The error `src` must give, as the user reads it.
pub fn parse_err(src: &str) -> String {
    match parse_str(src, &ParseOptions::default()) {
        Ok(_) => panic!("expected an error for:\n{src}"),
        Err(e) => e.to_string(),
    }
}

/// The radii of the scene's top-level spheres, in order: what the language tests
/// make to show which branch a scene took.
pub fn radii(s: &SceneDesc) -> Vec<f64> {
    s.objects
        .iter()
        .filter_map(|o| match o.shape {
            Shape::Sphere { radius, .. } => Some(radius),
            _ => None,
        })
        .collect()
}
