//! Geometric patterns (being written).
use glam::DVec3;

pub(super) fn gradient(_p: DVec3, _a: DVec3) -> f64 { 0.0 }
pub(super) fn leopard(_p: DVec3) -> f64 { 0.0 }
pub(super) fn onion(_p: DVec3) -> f64 { 0.0 }
pub(super) fn radial(_p: DVec3) -> f64 { 0.0 }
pub(super) fn spherical(_p: DVec3) -> f64 { 0.0 }
pub(super) fn cylindrical(_p: DVec3) -> f64 { 0.0 }
pub(super) fn boxed(_p: DVec3) -> f64 { 0.0 }
pub(super) fn planar(_p: DVec3) -> f64 { 0.0 }
