//! The oracle assertions. Each prints its score (visible with
//! `--nocapture`); on failure it keeps both images and an amplified diff as
//! PNG under `<target>/tmp/oracle/<case>/` and names them in the panic.

use std::path::{Path, PathBuf};

use super::image::Rgb8;
use super::metrics::{psnr, ssim};

/// Where a failing case leaves its images.
pub fn failure_dir(case: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("oracle")
        .join(case)
}

/// Loads both renders, panicking with a clear message if either is unreadable.
pub fn load_pair(ours: &Path, reference: &Path) -> (Rgb8, Rgb8) {
    let a = Rgb8::load(ours).unwrap_or_else(|e| panic!("our image: {e}"));
    let b = Rgb8::load(reference).unwrap_or_else(|e| panic!("reference image: {e}"));
    (a, b)
}

/// Passes when PSNR(ours, reference) >= `min_db`.
pub fn assert_psnr(case: &str, ours: &Rgb8, reference: &Rgb8, min_db: f64) {
    let score =
        psnr(ours, reference).unwrap_or_else(|e| fail(case, ours, reference, &e.to_string()));
    eprintln!("{case}: PSNR {score:.2} dB (bar {min_db} dB)");
    if score < min_db {
        fail(
            case,
            ours,
            reference,
            &format!("PSNR {score:.2} dB is below {min_db} dB"),
        );
    }
}

/// Passes when SSIM(ours, reference) >= `min`.
pub fn assert_ssim(case: &str, ours: &Rgb8, reference: &Rgb8, min: f64) {
    let score =
        ssim(ours, reference).unwrap_or_else(|e| fail(case, ours, reference, &e.to_string()));
    eprintln!("{case}: SSIM {score:.4} (bar {min})");
    if score < min {
        fail(
            case,
            ours,
            reference,
            &format!("SSIM {score:.4} is below {min}"),
        );
    }
}

/// Passes when the two images are identical, pixel for pixel.
pub fn assert_identical(case: &str, a: &Rgb8, b: &Rgb8) {
    let differing = a
        .count_differing_pixels(b)
        .unwrap_or_else(|e| fail(case, a, b, &e.to_string()));
    eprintln!("{case}: {differing} differing pixels");
    if differing > 0 {
        fail(
            case,
            a,
            b,
            &format!("{differing} pixels differ; the images must be identical"),
        );
    }
}

/// Saves the evidence and panics with the paths and the reason.
pub fn fail(case: &str, ours: &Rgb8, reference: &Rgb8, why: &str) -> ! {
    let dir = failure_dir(case);
    let kept = keep_images(&dir, ours, reference);
    panic!("{case}: {why}\n{kept}");
}

fn keep_images(dir: &Path, ours: &Rgb8, reference: &Rgb8) -> String {
    if let Err(e) = std::fs::create_dir_all(dir) {
        return format!("(could not keep the images in {}: {e})", dir.display());
    }
    let mut lines = Vec::new();
    let mut save = |name: &str, img: &Rgb8| {
        let path = dir.join(name);
        match img.save_png(&path) {
            Ok(()) => lines.push(format!("  {name}: {}", path.display())),
            Err(e) => lines.push(format!("  {name}: {e}")),
        }
    };
    save("ours.png", ours);
    save("reference.png", reference);
    if let Ok(diff) = ours.diff(reference) {
        save("diff.png", &diff);
    }
    format!("images kept:\n{}", lines.join("\n"))
}
