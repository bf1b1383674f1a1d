//! Shared harness for the oracle tests: render a scene with POV-Ray 3.7 (the
//! oracle, Debian's `povray`) and with our `prender`, load both images and
//! score how close they are.
//!
//! - [`image`], [`metrics`]: RGB8 images and their PSNR/SSIM, from the
//!   `render-oracle` crate (shared with the sample-scene table).
//! - [`sdl`]: parse a scene from a string (success or the error), spheres' radii.
//! - [`render`]: running the two renderers in a scratch directory, with a
//!   timeout and a guard that kills the child if the test fails or hangs.
//! - [`oracle`]: the usual case, one scene rendered by both and compared.
//! - [`report`]: the assertions; on failure they keep both images and a diff
//!   under the target directory and print where, with the score.
//!
//! Every test binary compiles this module but uses only part of it.
#![allow(dead_code)]

pub mod oracle;
pub mod render;
pub mod sdl;
pub use render_oracle::{image, metrics};
pub mod report;

use std::path::PathBuf;

/// The repository's root (the raytracer crate's parent).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// A scene under `scenes/tests/`, the oracle test scenes.
pub fn test_scene(name: &str) -> PathBuf {
    repo_root().join("scenes").join("tests").join(name)
}

/// A scene under `scenes/`, the project's own benchmark scenes.
pub fn project_scene(name: &str) -> PathBuf {
    repo_root().join("scenes").join(name)
}

/// The project's bundled include library, `scenes/include/`.
pub fn bundled_library() -> PathBuf {
    repo_root().join("scenes").join("include")
}

/// prender's default scene (`scenes/vase.pov`), in the spirit of the skyvase
/// benchmark: quadrics, CSG, agate and marble, gold, reflective walls.
pub fn vase() -> PathBuf {
    project_scene("vase.pov")
}
