//! The outline shapes (prism, lathe, sor, text) against POV-Ray 3.7: each scene
//! of scenes/tests rendered by both must match at PSNR >= 30 dB. Text uses the
//! fonts installed with POV-Ray, found through the include path by both (the
//! project ships no font).
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).
//! Run: `cargo test -p raytracer --test oracle_outline -- --nocapture`.

mod common;

use std::path::Path;

use common::render::{povray, prender, Spec, POVRAY_INCLUDE};
use common::report::{assert_psnr, load_pair};

/// The bar for these shapes.
const MIN_PSNR_DB: f64 = 30.0;

fn check(name: &str) {
    let spec = Spec::new(common::test_scene(&format!("{name}.pov")), 240, 180);
    let dir = tempfile::tempdir().expect("temporary directory");
    let reference =
        povray(&spec, dir.path(), "reference.tga", None).unwrap_or_else(|e| panic!("{e}"));
    // POV-Ray's include folder holds its fonts; prender reads them from there too.
    let fonts = Path::new(POVRAY_INCLUDE);
    let ours =
        prender(&spec, dir.path(), "ours.tga", Some(fonts)).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&ours, &reference);
    assert_psnr(name, &a, &b, MIN_PSNR_DB);
}

#[test]
fn prisms_of_every_spline_and_sweep() {
    check("prisms");
}

#[test]
fn lathes_and_surfaces_of_revolution() {
    check("lathe_sor");
}

#[test]
fn truetype_text_kerned_and_in_csg() {
    check("text");
}
