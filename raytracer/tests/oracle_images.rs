//! Oracle scenes for image textures and normal maps: each of
//! scenes/tests/<name>.pov (with the small images beside it, made for these
//! tests) rendered by POV-Ray 3.7 and by prender at the same size must match
//! at PSNR >= 35 dB.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).
//! Run: `cargo test -p raytracer --test oracle_images -- --nocapture`.

mod common;

use common::render::{povray, prender, Spec};
use common::report::{assert_psnr, load_pair};

/// The bar for the project's own scenes.
const MIN_PSNR_DB: f64 = 35.0;

fn check(name: &str) {
    let scene = common::test_scene(&format!("{name}.pov"));
    // The images beside the scene are found through the library path, as
    // POV-Ray runs in a scratch folder.
    let dir = scene
        .parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let spec = Spec::new(scene, 240, 180).with(&format!("+L{dir}"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let reference =
        povray(&spec, dir.path(), "reference.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let ours = prender(&spec, dir.path(), "ours.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&ours, &reference);
    assert_psnr(name, &a, &b, MIN_PSNR_DB);
}

#[test]
fn image_maps_every_map_type_interpolation_and_transparency() {
    check("image_maps");
}

#[test]
fn bump_maps_image_patterns_material_maps_and_normal_maps() {
    check("image_normals");
}
