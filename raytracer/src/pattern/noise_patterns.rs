//! Noise patterns (being written).
use super::{NoiseGenerator, Turbulence};
use glam::DVec3;

pub(super) fn marble(_p: DVec3, _t: Option<&Turbulence>, _g: NoiseGenerator) -> f64 { 0.0 }
pub(super) fn wood(_p: DVec3, _t: Option<&Turbulence>, _g: NoiseGenerator) -> f64 { 0.0 }
pub(super) fn agate(_p: DVec3, _t: f64, _g: NoiseGenerator) -> f64 { 0.0 }
pub(super) fn granite(_p: DVec3, _g: NoiseGenerator) -> f64 { 0.0 }
pub(super) fn ripples(_p: DVec3, _f: f64, _ph: f64) -> f64 { 0.0 }
pub(super) fn waves(_p: DVec3, _f: f64, _ph: f64) -> f64 { 0.0 }
pub(super) fn wrinkles(_p: DVec3, _g: NoiseGenerator) -> f64 { 0.0 }
pub(super) fn dents(_p: DVec3, _g: NoiseGenerator) -> f64 { 0.0 }
