//! POV-Ray's noise generators (being written).
use super::NoiseGenerator;
use glam::DVec3;

/// Scalar noise in [0, 1] at `p`.
pub fn noise(_p: DVec3, _gen: NoiseGenerator) -> f64 {
    0.5
}

/// Vector noise in [-1, 1]^3 at `p`.
pub fn dnoise(_p: DVec3, _gen: NoiseGenerator) -> DVec3 {
    DVec3::ZERO
}
