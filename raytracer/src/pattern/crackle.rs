//! Crackle (being written).
use super::CrackleParams;
use glam::DVec3;

pub(super) fn crackle(_p: DVec3, _c: &CrackleParams) -> f64 {
    0.0
}
