//! Determinism: a pixel gets the same colour however the image is cut up
//! and whoever renders it, so a distributed render can be bit-identical to
//! a local one. prender's image must be identical across thread counts
//! (+WT1, +WT2) and a partial render (+SR/+ER/+SC/+EC) must equal the same
//! region of the full render, with and without anti-aliasing.
//!
//! Only prender is run here (no oracle needed).
//! Run: `cargo test -p raytracer --test oracle_determinism -- --nocapture`.

mod common;

use common::oracle::assert_threads_agree;
use common::render::{prender, Spec};
use common::report::{assert_identical, load_pair};

#[test]
fn vase_same_on_one_and_two_threads() {
    assert_threads_agree("threads_vase", Spec::new(common::vase(), 160, 120));
}

#[test]
fn antialiased_scene_same_on_one_and_two_threads() {
    let spec = Spec::new(common::test_scene("antialias.pov"), 160, 120).antialias(0.3);
    assert_threads_agree("threads_antialias", spec);
}

/// Rows and columns in POV-Ray's 1-based, inclusive convention.
struct Region {
    start_row: u32,
    end_row: u32,
    start_col: u32,
    end_col: u32,
}

fn partial_matches_full(case: &str, spec: Spec, r: Region) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let full_path = prender(&spec, dir.path(), "full.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let partial_spec = spec
        .clone()
        .with(&format!("+SR{}", r.start_row))
        .with(&format!("+ER{}", r.end_row))
        .with(&format!("+SC{}", r.start_col))
        .with(&format!("+EC{}", r.end_col));
    let part_path =
        prender(&partial_spec, dir.path(), "part.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let (full, part) = load_pair(&full_path, &part_path);
    let (w, h) = (r.end_col - r.start_col + 1, r.end_row - r.start_row + 1);
    let (x0, y0) = (r.start_col - 1, r.start_row - 1);
    let expected = full.crop(x0, y0, w, h).unwrap_or_else(|e| panic!("{e}"));
    // POV-Ray writes a full-size file with only the region rendered; a file
    // of just the region is accepted too.
    let got = if part.width == full.width && part.height == full.height {
        part.crop(x0, y0, w, h).unwrap_or_else(|e| panic!("{e}"))
    } else {
        part
    };
    assert_identical(case, &got, &expected);
}

#[test]
fn partial_render_equals_region_of_full_render() {
    let spec = Spec::new(common::vase(), 160, 120);
    let region = Region {
        start_row: 31,
        end_row: 77,
        start_col: 41,
        end_col: 130,
    };
    partial_matches_full("partial_vase", spec, region);
}

#[test]
fn antialiased_partial_render_equals_region_of_full_render() {
    let spec = Spec::new(common::test_scene("antialias.pov"), 160, 120).antialias(0.3);
    let region = Region {
        start_row: 20,
        end_row: 90,
        start_col: 17,
        end_col: 101,
    };
    partial_matches_full("partial_antialias", spec, region);
}
