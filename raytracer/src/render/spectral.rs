//! Wavelength bands for `interior { dispersion }`: POV-Ray 3.7 splits a ray
//! refracting through a dispersive surface into `dispersion_samples` bands of
//! equal width between 380 and 730 nm, each refracted with its own index and
//! seen through the colour of its band.
//!
//! A band's index scales the nominal one by the dispersion raised to minus the
//! band's distance from the middle of the spectrum in spectrum widths, so the
//! two ends get `ior * sqrt(dispersion)` (violet) and `ior / sqrt(dispersion)`
//! (red). A band's colour is the mean, over its width, of a hue curve whose
//! integral over the whole spectrum is white; the bands of any split therefore
//! add up to white (within half a percent: the curve's tails beyond the
//! spectrum are lost, as in POV-Ray), and white light seen through a
//! dispersive object that does not bend it stays white.
//!
//! The hue curve is the per-channel clipped-parabola fit of colour matching
//! functions POV-Ray used before 3.7 (peaks at 0.28, 0.57 and 0.75 of the
//! spectrum for blue, green and red, and a small red lobe at the violet end),
//! integrated once into a table. Its span and exponent are set so the integral
//! follows 3.7's hue table to about 0.013.

use std::sync::LazyLock;

use glam::DVec3;

/// The spectrum's ends and width, in nanometres.
const VIOLET: f64 = 380.0;
const RED: f64 = 730.0;
const WIDTH: f64 = RED - VIOLET;
const CENTRE: f64 = (VIOLET + RED) / 2.0;

/// The hue curve's own span (slightly wider than the spectrum) and the exponent
/// applied to it, fitted to POV-Ray 3.7's hue integral.
const CURVE_FROM: f64 = 374.0;
const CURVE_TO: f64 = 736.0;
const CURVE_POWER: f64 = 1.1;

/// The integral table: one entry per `STEP` nanometres from `TABLE_FROM`.
const TABLE_FROM: f64 = 370.0;
const TABLE_TO: f64 = 740.0;
const STEP: f64 = 0.5;
/// Integration sub-steps per table step.
const SUBSTEPS: u32 = 8;

/// One band of wavelengths.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    /// The band's middle, in nanometres.
    wavelength: f32,
    /// Its width.
    width: f32,
}

impl Band {
    /// Band `i` of `n` equal bands across the spectrum, violet first. POV-Ray
    /// keeps a band in single precision; so do we, for the same indices.
    pub fn of(i: u32, n: u32) -> Band {
        let n = n.max(1);
        Band {
            wavelength: (VIOLET + WIDTH * f64::from((i as f32 + 0.5) / n as f32)) as f32,
            width: (WIDTH / f64::from(n as f32)) as f32,
        }
    }

    /// The index ratio this band sees where the nominal ratio is `ior` and the
    /// ratio of dispersions is `dispersion`.
    pub fn ior(&self, ior: f64, dispersion: f64) -> f64 {
        ior * dispersion.powf(-(f64::from(self.wavelength) - CENTRE) / WIDTH)
    }

    /// The band's colour: the mean hue over its width, scaled so that the
    /// mean of all bands of a split is white.
    pub fn hue(&self) -> DVec3 {
        let (w, bw) = (f64::from(self.wavelength), f64::from(self.width));
        (integral(w + bw / 2.0) - integral(w - bw / 2.0)) * (WIDTH / bw)
    }
}

/// The hue curve at wavelength `l` (before normalising), per channel.
fn curve(l: f64) -> DVec3 {
    if !(CURVE_FROM..=CURVE_TO).contains(&l) {
        return DVec3::ZERO;
    }
    // 0.03 at the violet end to 0.964 at the red end.
    let h = 0.964 - 0.934 * (1.0 - (l - CURVE_FROM) / (CURVE_TO - CURVE_FROM));
    let lobe = |height: f64, width: f64, peak: f64| height - (width * (h - peak)).powi(2);
    let b = 0.98 * lobe(1.0, 4.0, 0.28);
    let g = 0.97 * lobe(1.1, 4.5, 0.57);
    let mut r = lobe(1.15, 5.0, 0.75);
    if r < 0.0 {
        r = lobe(0.12, 4.0, 0.12);
    }
    DVec3::new(r, g, b).max(DVec3::ZERO).powf(CURVE_POWER)
}

/// The running integral of the hue curve, each channel normalised to 1 at the
/// red end; one entry per `STEP` from `TABLE_FROM`.
static INTEGRAL: LazyLock<Vec<DVec3>> = LazyLock::new(|| {
    let steps = ((TABLE_TO - TABLE_FROM) / STEP).round() as usize;
    let dl = STEP / f64::from(SUBSTEPS);
    let mut table = Vec::with_capacity(steps + 1);
    let mut sum = DVec3::ZERO;
    table.push(sum);
    for i in 0..steps {
        let from = TABLE_FROM + i as f64 * STEP;
        for k in 0..SUBSTEPS {
            sum += curve(from + (f64::from(k) + 0.5) * dl) * dl;
        }
        table.push(sum);
    }
    let total = sum.max(DVec3::splat(f64::MIN_POSITIVE));
    table.iter_mut().for_each(|v| *v /= total);
    table
});

/// The normalised hue integral up to wavelength `l`, interpolated.
fn integral(l: f64) -> DVec3 {
    let table = &*INTEGRAL;
    let last = table.len() - 1;
    let at = ((l - TABLE_FROM) / STEP).clamp(0.0, last as f64);
    let i = (at as usize).min(last - 1);
    let f = at - i as f64;
    table[i] * (1.0 - f) + table[i + 1] * f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bands_of_a_split_add_up_to_white() {
        for n in [2, 3, 7, 12, 40] {
            let sum: DVec3 = (0..n).map(|i| Band::of(i, n).hue()).sum();
            let mean = sum / f64::from(n);
            assert!(
                (mean - DVec3::ONE).abs().max_element() < 5e-3,
                "{n}: {mean}"
            );
        }
    }

    #[test]
    fn violet_bends_most_and_the_ends_are_the_square_roots() {
        let (v, r) = (Band::of(0, 1000), Band::of(999, 1000));
        let d: f64 = 1.2;
        // Entering glass of 1.5 from air: the ratio is 1/1.5 and 1/dispersion.
        let glass = |b: Band| 1.0 / b.ior(1.0 / 1.5, 1.0 / d);
        assert!((glass(v) - 1.5 * d.sqrt()).abs() < 1e-3);
        assert!((glass(r) - 1.5 / d.sqrt()).abs() < 1e-3);
    }

    #[test]
    fn bands_run_from_blue_to_red() {
        let first = Band::of(0, 7).hue();
        let last = Band::of(6, 7).hue();
        assert!(first.z > first.x && first.z > first.y);
        assert!(last.x > last.y && last.x > last.z);
    }
}
