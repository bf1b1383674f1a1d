//! Turbulence (being written).
use super::{NoiseGenerator, Turbulence};
use glam::DVec3;

/// Scalar turbulence.
pub fn turbulence(_p: DVec3, _t: &Turbulence, _gen: NoiseGenerator) -> f64 {
    0.0
}

/// Vector turbulence.
pub fn dturbulence(_p: DVec3, _t: &Turbulence, _gen: NoiseGenerator) -> DVec3 {
    DVec3::ZERO
}
