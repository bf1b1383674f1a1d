//! Image similarity scores.
//!
//! - PSNR over all three channels, in dB: `10 log10(255^2 / MSE)`, infinite
//!   for identical images. The bar for the project's test scenes is 35 dB:
//!   an RMS error under about 4.5 levels, which allows the last-bit noise of
//!   two double-precision tracers but not a wrong highlight or shadow.
//! - SSIM (Wang, Bovik, Sheikh and Simoncelli, 2004) on luma, with the
//!   paper's 11x11 Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, averaged
//!   over every window that fits in the image. Used for skyvase, whose
//!   turbulent textures make pixel-exact agreement too strict a measure of
//!   "looks the same".

use crate::image::{same_size, Rgb8};
use crate::Error;

/// Peak signal-to-noise ratio in dB (`f64::INFINITY` when identical).
pub fn psnr(a: &Rgb8, b: &Rgb8) -> Result<f64, Error> {
    same_size(a, b)?;
    if a.data.is_empty() {
        return Err(Error::EmptyImage);
    }
    let sum_sq: f64 = a
        .data
        .iter()
        .zip(&b.data)
        .map(|(&x, &y)| {
            let d = f64::from(x) - f64::from(y);
            d * d
        })
        .sum();
    let mse = sum_sq / a.data.len() as f64;
    if mse == 0.0 {
        return Ok(f64::INFINITY);
    }
    Ok(10.0 * (255.0 * 255.0 / mse).log10())
}

/// Mean structural similarity of the two images' luma, in [-1, 1].
pub fn ssim(a: &Rgb8, b: &Rgb8) -> Result<f64, Error> {
    same_size(a, b)?;
    let (w, h) = (a.width as usize, a.height as usize);
    if w == 0 || h == 0 {
        return Err(Error::EmptyImage);
    }
    let (ya, yb) = (luma(a), luma(b));
    let kernel = gaussian_kernel(WINDOW, SIGMA);
    if w < WINDOW || h < WINDOW {
        // Too small for the window: one global window, uniformly weighted.
        return Ok(global_ssim(&ya, &yb));
    }
    let products = |f: &dyn Fn(f64, f64) -> f64| -> Vec<f64> {
        ya.iter().zip(&yb).map(|(&p, &q)| f(p, q)).collect()
    };
    let mu_a = blur_valid(&ya, w, h, &kernel);
    let mu_b = blur_valid(&yb, w, h, &kernel);
    let e_aa = blur_valid(&products(&|p, _| p * p), w, h, &kernel);
    let e_bb = blur_valid(&products(&|_, q| q * q), w, h, &kernel);
    let e_ab = blur_valid(&products(&|p, q| p * q), w, h, &kernel);
    let n = mu_a.len();
    let total: f64 = (0..n)
        .map(|i| {
            let (ma, mb) = (mu_a[i], mu_b[i]);
            ssim_term(
                ma,
                mb,
                e_aa[i] - ma * ma,
                e_bb[i] - mb * mb,
                e_ab[i] - ma * mb,
            )
        })
        .sum();
    Ok(total / n as f64)
}

const WINDOW: usize = 11;
const SIGMA: f64 = 1.5;
const C1: f64 = (0.01 * 255.0) * (0.01 * 255.0);
const C2: f64 = (0.03 * 255.0) * (0.03 * 255.0);

fn ssim_term(mu_a: f64, mu_b: f64, var_a: f64, var_b: f64, cov: f64) -> f64 {
    ((2.0 * mu_a * mu_b + C1) * (2.0 * cov + C2))
        / ((mu_a * mu_a + mu_b * mu_b + C1) * (var_a + var_b + C2))
}

fn global_ssim(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let var_a = a.iter().map(|p| (p - ma) * (p - ma)).sum::<f64>() / n;
    let var_b = b.iter().map(|q| (q - mb) * (q - mb)).sum::<f64>() / n;
    let cov = a
        .iter()
        .zip(b)
        .map(|(p, q)| (p - ma) * (q - mb))
        .sum::<f64>()
        / n;
    ssim_term(ma, mb, var_a, var_b, cov)
}

/// ITU-R BT.601 luma, the weighting the SSIM paper's grey images used.
fn luma(img: &Rgb8) -> Vec<f64> {
    img.data
        .chunks_exact(3)
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect()
}

fn gaussian_kernel(size: usize, sigma: f64) -> Vec<f64> {
    let centre = (size / 2) as f64;
    let raw: Vec<f64> = (0..size)
        .map(|i| (-((i as f64 - centre).powi(2)) / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f64 = raw.iter().sum();
    raw.into_iter().map(|k| k / sum).collect()
}

/// Separable convolution keeping only the positions where the whole window
/// fits: the result is (w - k + 1) x (h - k + 1).
fn blur_valid(src: &[f64], w: usize, h: usize, kernel: &[f64]) -> Vec<f64> {
    let k = kernel.len();
    let (ow, oh) = (w - k + 1, h - k + 1);
    let mut rows = vec![0.0; ow * h];
    for y in 0..h {
        for x in 0..ow {
            rows[y * ow + x] = (0..k).map(|i| kernel[i] * src[y * w + x + i]).sum();
        }
    }
    let mut out = vec![0.0; ow * oh];
    for y in 0..oh {
        for x in 0..ow {
            out[y * ow + x] = (0..k).map(|i| kernel[i] * rows[(y + i) * ow + x]).sum();
        }
    }
    out
}
