//! Oracle scenes for image textures and normal maps: each of
//! scenes/tests/<name>.pov (with the small images beside it, made for these
//! tests) rendered by POV-Ray 3.7 and by prender at the same size must match
//! at PSNR >= 35 dB.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).
//! Run: `cargo test -p raytracer --test oracle_images -- --nocapture`.

mod common;

use common::oracle::{assert_matches_povray, test_scene_spec};

/// The bar for the project's own scenes.
const MIN_PSNR_DB: f64 = 35.0;

fn check(name: &str) {
    assert_matches_povray(name, &test_scene_spec(name, 240, 180), None, MIN_PSNR_DB);
}

#[test]
fn image_maps_every_map_type_interpolation_and_transparency() {
    check("image_maps");
}

#[test]
fn bump_maps_image_patterns_material_maps_and_normal_maps() {
    check("image_normals");
}
