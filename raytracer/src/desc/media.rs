//! Participating media (`media { }` in an interior or the atmosphere), with
//! POV-Ray 3.7's defaults.

use super::colour::Colour;
use super::texture::Pigment;

/// How a medium scatters light towards the viewer (`scattering { type, ... }`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scattering {
    /// 1: the same in every direction.
    Isotropic,
    /// 2: Mie scattering for hazy atmospheres.
    MieHazy,
    /// 3: Mie scattering for murky atmospheres.
    MieMurky,
    /// 4: Rayleigh scattering (small particles).
    Rayleigh,
    /// 5: Henyey-Greenstein with `eccentricity`.
    HenyeyGreenstein(f64),
}

/// `media { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Media {
    /// `absorption`.
    pub absorption: Colour,
    /// `emission`.
    pub emission: Colour,
    /// The colour of `scattering { type, colour }`.
    pub scattering: Colour,
    /// The scattering type.
    pub scattering_type: Scattering,
    /// `extinction` (default 1): how much scattering also dims the light.
    pub extinction: f64,
    /// `intervals`.
    pub intervals: u32,
    /// `samples min[, max]`.
    pub min_samples: u32,
    /// See `min_samples`.
    pub max_samples: u32,
    /// `method` 1, 2 or 3.
    pub method: u8,
    /// `jitter`.
    pub jitter: f64,
    /// `aa_level` of method 3.
    pub aa_level: u32,
    /// `aa_threshold` of method 3.
    pub aa_threshold: f64,
    /// `confidence` (methods 1 and 2).
    pub confidence: f64,
    /// `variance` (methods 1 and 2).
    pub variance: f64,
    /// `ratio` of samples in lit intervals.
    pub ratio: f64,
    /// `density { }` blocks, multiplied together; empty means constant density 1.
    pub density: Vec<Pigment>,
    /// `collect` (default on): photons are deposited in this medium; off is
    /// POV-Ray's `ignore_photons`.
    pub collect: bool,
}

impl Media {
    /// A medium as 3.5 and later start one (method 3, one interval, 10 samples);
    /// `legacy` gives the older defaults (method 1, 10 intervals, 1 sample).
    pub fn new(legacy: bool) -> Self {
        let (intervals, samples, method) = if legacy { (10, 1, 1) } else { (1, 10, 3) };
        Self {
            absorption: Colour::BLACK,
            emission: Colour::BLACK,
            scattering: Colour::BLACK,
            scattering_type: Scattering::Isotropic,
            extinction: 1.0,
            intervals,
            min_samples: samples,
            max_samples: samples,
            method,
            jitter: 0.0,
            aa_level: 3,
            aa_threshold: 0.1,
            confidence: 0.9,
            variance: 1.0 / 128.0,
            ratio: 0.9,
            density: Vec::new(),
            collect: true,
        }
    }
}
