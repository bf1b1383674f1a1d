//! The bundled include library (scenes/include/) against POV-Ray 3.7's own.
//!
//! - In POV-Ray itself: a scene using every include file renders
//!   pixel-identically with our library and with POV-Ray's. This checks
//!   our identifiers and values against the oracle, independently of
//!   prender.
//! - In prender: skyvase renders identically with the bundled library and
//!   with POV-Ray's include directory given by +L (which comes first).
//!
//! Needs Debian's `povray` and `povray-includes`.
//! Run: `cargo test -p raytracer --test oracle_library -- --nocapture`.

mod common;

use std::path::Path;

use common::render::{povray, prender, Spec, POVRAY_INCLUDE};
use common::report::{assert_identical, load_pair};

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
fn povray_renders_skyvase_the_same_with_our_library() {
    let spec = Spec::new(common::skyvase(), 160, 120);
    povray_ours_against_theirs("skyvase_library_in_povray", &spec);
}

#[test]
fn prender_renders_skyvase_the_same_with_either_library() {
    let spec = Spec::new(common::skyvase(), 160, 120);
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
    assert_identical("skyvase_library_in_prender", &a, &b);
}
