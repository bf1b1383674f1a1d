//! Wave shaping (being written).
use super::WaveType;

pub(super) fn shape(v: f64, _w: WaveType, _f: f64, _p: f64) -> f64 {
    v
}
