//! Oracle scenes for the larger shapes (superellipsoids, blobs, meshes, polys,
//! Julia fractals): each of scenes/tests/<name>.pov rendered by POV-Ray 3.7 and
//! by prender at the same size must match at PSNR >= 35 dB.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).
//! Run: `cargo test -p raytracer --test oracle_shapes -- --nocapture`.

mod common;

use common::render::{povray, prender, Spec};
use common::report::{assert_psnr, load_pair};

/// The bar for the project's own scenes.
const MIN_PSNR_DB: f64 = 35.0;

fn check(name: &str) {
    let spec = Spec::new(common::test_scene(&format!("{name}.pov")), 240, 180);
    let dir = tempfile::tempdir().expect("temporary directory");
    let reference =
        povray(&spec, dir.path(), "reference.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let ours = prender(&spec, dir.path(), "ours.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&ours, &reference);
    assert_psnr(name, &a, &b, MIN_PSNR_DB);
}

#[test]
fn superellipsoids_in_csg() {
    check("superellipsoids");
}

#[test]
fn blobs_of_spheres_and_cylinders() {
    check("blobs");
}

#[test]
fn meshes_with_textures_copies_and_inside() {
    check("meshes");
}

#[test]
fn polys_and_julia_fractals() {
    check("polys_fractals");
}
