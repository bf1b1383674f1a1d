//! Subsurface light transport against POV-Ray 3.7: a translucent sphere and box
//! lit from the front and from behind (without the scattering the image is
//! 25 dB from POV-Ray's). Both renderers sample the scattering with Halton
//! directions and random depths, ours started from a hash of the shaded point
//! (see `raytracer::render::subsurface`), so the images agree in the mean, not
//! sample for sample: the bar is 35 dB at the acceptance size, 160x120.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).

mod common;

use common::oracle::{assert_matches_povray, assert_threads_agree, test_scene_spec};

#[test]
fn translucent_sphere_and_box_match_povray() {
    let spec = test_scene_spec("subsurface", 160, 120);
    assert_matches_povray("subsurface", &spec, None, 35.0);
}

#[test]
fn subsurface_is_the_same_with_one_or_two_threads() {
    assert_threads_agree("subsurface_threads", test_scene_spec("subsurface", 64, 48));
}
