//! The usual oracle case: one scene rendered by POV-Ray and by prender in a
//! scratch folder, the two images compared.

use std::path::Path;

use super::image::Rgb8;
use super::render::{povray, prender, Spec};
use super::report::{assert_identical, assert_psnr, load_pair};

/// Renders `spec` with both (`library` as [`povray`] and [`prender`] take it)
/// and asserts prender's image is within `min_db` PSNR of POV-Ray's.
pub fn assert_matches_povray(case: &str, spec: &Spec, library: Option<&Path>, min_db: f64) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let reference =
        povray(spec, dir.path(), "reference.tga", library).unwrap_or_else(|e| panic!("{e}"));
    let ours = prender(spec, dir.path(), "ours.tga", library).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&ours, &reference);
    assert_psnr(case, &a, &b, min_db);
}

/// `scenes/tests/<name>.pov` at `width` x `height`, with its own folder as a
/// library path: the images and includes beside it are found there, as POV-Ray
/// runs in a scratch folder.
pub fn test_scene_spec(name: &str, width: u32, height: u32) -> Spec {
    let scene = super::test_scene(&format!("{name}.pov"));
    let folder = scene
        .parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    Spec::new(scene, width, height).with(&format!("+L{folder}"))
}

/// Asserts prender gives the same image on one thread and on two.
pub fn assert_threads_agree(case: &str, spec: Spec) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let render = |spec: &Spec, name: &str| {
        let path = prender(spec, dir.path(), name, None).unwrap_or_else(|e| panic!("{e}"));
        Rgb8::load(&path).unwrap_or_else(|e| panic!("{e}"))
    };
    let one = render(&spec.clone().with("+WT1"), "wt1.tga");
    let two = render(&spec.with("+WT2"), "wt2.tga");
    assert_identical(case, &two, &one);
}
