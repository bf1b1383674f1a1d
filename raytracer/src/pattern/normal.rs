//! Normal perturbation (being written).
use super::Pattern;
use glam::DVec3;

pub(super) fn perturb(_pat: &Pattern, _p: DVec3, n: DVec3, _amount: f64) -> DVec3 { n }
