//! Anti-aliasing methods and jitter against POV-Ray 3.7: the project's sampling
//! scenes rendered by both with the same `+A`, `+AM`, `+R` and `+J` options. Jitter
//! is a hash of the sample position in both, so jittered images match too.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).
//! Run: `cargo test -p raytracer --test oracle_sampling -- --nocapture`.

mod common;

use common::oracle::assert_matches_povray;
use common::render::Spec;

const MIN_PSNR_DB: f64 = 35.0;

fn check(name: &str, spec: Spec) {
    assert_matches_povray(name, &spec, None, MIN_PSNR_DB);
}

/// `scene` at 160x120 with anti-aliasing threshold `threshold` (jitter off unless
/// `options` turn it on).
fn spec(scene: &str, threshold: f64, options: &[&str]) -> Spec {
    let spec = Spec::new(common::test_scene(scene), 160, 120).antialias(threshold);
    options.iter().fold(spec, |s, o| s.with(o))
}

#[test]
fn method_one_with_jitter() {
    check(
        "m1_jitter",
        spec("sampling.pov", 0.3, &["+AM1", "+R3", "+J"]),
    );
}

#[test]
fn method_one_deeper_grid_half_jitter() {
    check(
        "m1_r4_j05",
        spec("antialias.pov", 0.2, &["+AM1", "+R4", "+J0.5"]),
    );
}

#[test]
fn method_two_without_jitter() {
    check("m2", spec("sampling.pov", 0.3, &["+AM2", "+R3"]));
}

#[test]
fn method_two_with_jitter() {
    check(
        "m2_jitter",
        spec("antialias.pov", 0.1, &["+AM2", "+R2", "+J"]),
    );
}

#[test]
fn method_two_deep() {
    check(
        "m2_r4",
        spec("sampling.pov", 0.05, &["+AM2", "+R4", "+J0.7"]),
    );
}
