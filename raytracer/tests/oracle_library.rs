//! The bundled include library (scenes/include/) against POV-Ray 3.7's own.
//!
//! - In POV-Ray itself: a scene using every include file renders
//!   pixel-identically with our library and with POV-Ray's. This checks
//!   our identifiers and values against the oracle, independently of
//!   prender.
//! - In prender: vase renders identically with the bundled library and
//!   with POV-Ray's include directory given by +L (which comes first).
//! - Both again on the library scene stripped of its #version and
//!   assumed_gamma: POV-Ray's include files switch to #version 3.5 inside,
//!   which makes such a scene a legacy one; ours must do the same.
//!
//! Needs Debian's `povray` and `povray-includes`.
//! Run: `cargo test -p raytracer --test oracle_library -- --nocapture`.

mod common;

use std::path::Path;

use common::render::{povray, prender, Spec, POVRAY_INCLUDE};
use common::report::{assert_identical, assert_psnr, load_pair};

/// library.pov without its `#version` and `global_settings` lines, written
/// into `dir`, as an old scene that states neither would be.
fn library_scene_without_version(dir: &Path) -> Spec {
    let source = common::test_scene("library.pov");
    let text =
        std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let stripped: String = text
        .lines()
        .filter(|l| !l.starts_with("#version") && !l.starts_with("global_settings"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(
        stripped.len(),
        text.len(),
        "library.pov should state #version and assumed_gamma"
    );
    let path = dir.join("library_noversion.pov");
    std::fs::write(&path, stripped).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Spec::new(path, 240, 180)
}

fn povray_ours_against_theirs(case: &str, spec: &Spec) {
    let ours_dir = tempfile::tempdir().expect("temporary directory");
    let theirs_dir = tempfile::tempdir().expect("temporary directory");
    let library = common::bundled_library();
    let ours =
        povray(spec, ours_dir.path(), "ours.tga", Some(&library)).unwrap_or_else(|e| panic!("{e}"));
    let theirs =
        povray(spec, theirs_dir.path(), "theirs.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&ours, &theirs);
    assert_identical(case, &a, &b);
}

#[test]
fn povray_renders_every_include_file_the_same_with_our_library() {
    let spec = Spec::new(common::test_scene("library.pov"), 240, 180);
    povray_ours_against_theirs("library_in_povray", &spec);
}

#[test]
fn povray_renders_vase_the_same_with_our_library() {
    let spec = Spec::new(common::vase(), 160, 120);
    povray_ours_against_theirs("vase_library_in_povray", &spec);
}

#[test]
fn prender_renders_vase_the_same_with_either_library() {
    let spec = Spec::new(common::vase(), 160, 120);
    let dir = tempfile::tempdir().expect("temporary directory");
    let bundled = prender(&spec, dir.path(), "bundled.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let theirs = prender(
        &spec,
        dir.path(),
        "povray_lib.tga",
        Some(Path::new(POVRAY_INCLUDE)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&bundled, &theirs);
    assert_identical("vase_library_in_prender", &a, &b);
}

#[test]
fn povray_treats_a_versionless_scene_the_same_with_our_library() {
    let scene_dir = tempfile::tempdir().expect("temporary directory");
    let spec = library_scene_without_version(scene_dir.path());
    povray_ours_against_theirs("library_noversion_in_povray", &spec);
}

#[test]
fn prender_treats_a_versionless_scene_the_same_with_either_library() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let spec = library_scene_without_version(dir.path());
    let bundled = prender(&spec, dir.path(), "bundled.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let theirs = prender(
        &spec,
        dir.path(),
        "povray_lib.tga",
        Some(Path::new(POVRAY_INCLUDE)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&bundled, &theirs);
    assert_identical("library_noversion_in_prender", &a, &b);
}

#[test]
fn prender_matches_povray_on_a_versionless_scene() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let spec = library_scene_without_version(dir.path());
    let work = tempfile::tempdir().expect("temporary directory");
    let reference =
        povray(&spec, work.path(), "reference.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let ours = prender(&spec, work.path(), "ours.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&ours, &reference);
    assert_psnr("library_noversion", &a, &b, 35.0);
}
