//! Unit tests of the oracle harness itself: the image scores and crops the
//! other oracle tests rely on, checked against values worked out by hand
//! and against the properties the metrics must have; and the render runner:
//! a hung child is killed, a failing render quotes the renderer's message.
//!
//! Run: `cargo test -p raytracer --test oracle_harness`.

mod common;

use common::image::Rgb8;
use common::metrics::{psnr, ssim};

/// A deterministic, textured test image (gradients plus a checker).
fn textured(w: u32, h: u32) -> Rgb8 {
    let mut img = Rgb8::filled(w, h, [0, 0, 0]);
    for y in 0..h {
        for x in 0..w {
            let check = if (x / 4 + y / 4) % 2 == 0 { 60 } else { 0 };
            let r = ((x * 255) / w.max(1)) as u8;
            let g = ((y * 255) / h.max(1)) as u8;
            let b = (check + (x * y) % 128) as u8;
            img.set_pixel(x, y, [r, g, b]);
        }
    }
    img
}

#[test]
fn psnr_of_identical_images_is_infinite() {
    let a = textured(32, 24);
    assert_eq!(psnr(&a, &a.clone()).ok(), Some(f64::INFINITY));
}

#[test]
fn psnr_of_a_uniform_error_matches_the_formula() {
    // Every channel off by 5: MSE = 25, PSNR = 10 log10(65025 / 25).
    let a = Rgb8::filled(10, 10, [100, 100, 100]);
    let b = Rgb8::filled(10, 10, [105, 95, 105]);
    let expected = 10.0 * (65025.0_f64 / 25.0).log10();
    let got = psnr(&a, &b).expect("same size");
    assert!((got - expected).abs() < 1e-9, "{got} != {expected}");
    assert!((got - 34.15).abs() < 0.01, "about 34.15 dB, got {got}");
}

#[test]
fn psnr_falls_as_the_error_grows() {
    let a = textured(32, 24);
    let mut small = a.clone();
    let mut large = a.clone();
    small.set_pixel(3, 3, [0, 0, 0]);
    for x in 0..32 {
        large.set_pixel(x, 5, [255, 255, 255]);
    }
    let (ps, pl) = (psnr(&a, &small).unwrap(), psnr(&a, &large).unwrap());
    assert!(
        ps > pl,
        "one wrong pixel ({ps} dB) must score above a wrong row ({pl} dB)"
    );
}

#[test]
fn metrics_refuse_images_of_different_sizes() {
    let a = Rgb8::filled(10, 10, [0, 0, 0]);
    let b = Rgb8::filled(10, 11, [0, 0, 0]);
    assert!(psnr(&a, &b).is_err());
    assert!(ssim(&a, &b).is_err());
    assert!(a.diff(&b).is_err());
}

#[test]
fn ssim_of_identical_images_is_one() {
    let a = textured(40, 30);
    let s = ssim(&a, &a.clone()).unwrap();
    assert!((s - 1.0).abs() < 1e-12, "{s}");
}

#[test]
fn ssim_is_symmetric_and_drops_with_noise() {
    let a = textured(48, 36);
    let mut noisy = a.clone();
    let mut state = 12345u32;
    for y in 0..36 {
        for x in 0..48 {
            // A small linear congruential generator: reproducible noise.
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let n = ((state >> 16) % 41) as i32 - 20;
            let p = a.pixel(x, y);
            let q = p.map(|c| (i32::from(c) + n).clamp(0, 255) as u8);
            noisy.set_pixel(x, y, q);
        }
    }
    let s_ab = ssim(&a, &noisy).unwrap();
    let s_ba = ssim(&noisy, &a).unwrap();
    assert!((s_ab - s_ba).abs() < 1e-12);
    assert!(
        s_ab < 0.95 && s_ab > 0.2,
        "noisy copy should score in between, got {s_ab}"
    );
}

#[test]
fn ssim_sees_structure_that_psnr_weighs_lightly() {
    // A uniform brightness shift keeps structure (high SSIM); swapping the
    // image left to right destroys it (low SSIM).
    let a = textured(48, 36);
    let mut brighter = a.clone();
    let mut mirrored = a.clone();
    for y in 0..36 {
        for x in 0..48 {
            brighter.set_pixel(x, y, a.pixel(x, y).map(|c| c.saturating_add(10)));
            mirrored.set_pixel(x, y, a.pixel(47 - x, y));
        }
    }
    let s_bright = ssim(&a, &brighter).unwrap();
    let s_mirror = ssim(&a, &mirrored).unwrap();
    assert!(s_bright > 0.9, "brightness shift: {s_bright}");
    assert!(
        s_mirror < s_bright - 0.3,
        "mirror image {s_mirror} against shift {s_bright}"
    );
}

#[test]
fn ssim_of_a_tiny_image_matches_the_formula() {
    // Two grey pixels swapped: means 50 and 50, variances 2500, covariance
    // -2500, so SSIM = (2*50*50 + C1)(-2*2500 + C2) / ((2*50^2 + C1)(5000 + C2)).
    let mut a = Rgb8::filled(2, 1, [0, 0, 0]);
    a.set_pixel(1, 0, [100, 100, 100]);
    let mut b = Rgb8::filled(2, 1, [0, 0, 0]);
    b.set_pixel(0, 0, [100, 100, 100]);
    let (c1, c2) = (6.5025, 58.5225);
    let expected = ((5000.0 + c1) * (-5000.0 + c2)) / ((5000.0 + c1) * (5000.0 + c2));
    let got = ssim(&a, &b).unwrap();
    assert!((got - expected).abs() < 1e-6, "{got} != {expected}");
}

#[test]
fn ssim_works_on_images_smaller_than_its_window() {
    let a = textured(6, 5);
    assert!((ssim(&a, &a.clone()).unwrap() - 1.0).abs() < 1e-12);
    let b = Rgb8::filled(6, 5, [128, 128, 128]);
    assert!(ssim(&a, &b).unwrap() < 0.5);
}

#[test]
fn crop_takes_the_requested_rectangle() {
    let a = textured(20, 10);
    let c = a.crop(3, 2, 5, 4).unwrap();
    assert_eq!((c.width, c.height), (5, 4));
    for y in 0..4 {
        for x in 0..5 {
            assert_eq!(c.pixel(x, y), a.pixel(x + 3, y + 2));
        }
    }
    assert!(
        a.crop(18, 0, 5, 1).is_err(),
        "a crop past the edge is an error"
    );
}

#[test]
fn diff_amplifies_and_counts_differences() {
    let a = Rgb8::filled(4, 4, [100, 100, 100]);
    let mut b = a.clone();
    b.set_pixel(1, 2, [102, 100, 40]);
    let d = a.diff(&b).unwrap();
    assert_eq!(d.pixel(1, 2), [16, 0, 255]);
    assert_eq!(d.pixel(0, 0), [0, 0, 0]);
    assert_eq!(a.count_differing_pixels(&b).ok(), Some(1));
}

#[test]
fn images_round_trip_through_png() {
    let a = textured(17, 9);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.png");
    a.save_png(&path).unwrap();
    assert_eq!(Rgb8::load(&path).unwrap(), a);
}

#[test]
fn loading_a_missing_or_broken_image_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(Rgb8::load(&dir.path().join("missing.tga")).is_err());
    let junk = dir.path().join("junk.tga");
    std::fs::write(&junk, b"not an image").unwrap();
    assert!(Rgb8::load(&junk).is_err());
}

#[test]
fn a_failing_render_reports_the_renderers_own_message() {
    use common::render::{povray, prender, Spec};

    let dir = tempfile::tempdir().unwrap();
    let scene = dir.path().join("broken.pov");
    std::fs::write(&scene, "sphere { 0, 1 pigment { rgb <1, 0, 0> }\n").unwrap();
    let spec = Spec::new(scene, 16, 12);
    let work = tempfile::tempdir().unwrap();
    let pov = povray(&spec, work.path(), "pov.tga", None).expect_err("POV-Ray must reject it");
    assert!(pov.contains("povray failed"), "{pov}");
    assert!(
        pov.to_lowercase().contains("error"),
        "POV-Ray's message is quoted: {pov}"
    );
    let ours = prender(&spec, work.path(), "ours.tga", None).expect_err("prender must reject it");
    assert!(ours.contains("prender failed"), "{ours}");
    assert!(
        ours.contains("broken.pov"),
        "prender names the file: {ours}"
    );
}
