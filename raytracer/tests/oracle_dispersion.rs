//! `interior { dispersion }` against POV-Ray 3.7: a prism and a sphere of
//! dispersive glass in front of white slits split them into spectra (the
//! renderer's wavelength bands), and the render does not depend on the thread
//! count. Photons through dispersive glass are in `oracle_photons.rs`.
//!
//! Our band colours follow POV-Ray's hue table to about 1%, so the images
//! agree closely (about 55 dB); ignoring dispersion gives 22 dB.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).

mod common;

use common::oracle::{assert_matches_povray, assert_threads_agree};
use common::render::Spec;

const MIN_PSNR_DB: f64 = 45.0;

#[test]
fn dispersive_glass_matches_povray() {
    let spec = Spec::new(common::test_scene("dispersion.pov"), 160, 120);
    assert_matches_povray("dispersion", &spec, None, MIN_PSNR_DB);
}

#[test]
fn dispersion_is_the_same_with_one_or_two_threads() {
    let spec = Spec::new(common::test_scene("dispersion.pov"), 64, 48);
    assert_threads_agree("dispersion_threads", spec);
}
