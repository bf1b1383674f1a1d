//! Wave shaping: how POV-Ray 3.7 turns a raw pattern value into the colour-map
//! index, through `frequency`, `phase` and the wave type.

use super::WaveType;

/// POV-Ray wraps with this modulus rather than exactly 1 so that a value of
/// exactly 1 (the end of a ramp) keeps the last colour instead of wrapping to the
/// first. Values past it wrap with a slight drift that we reproduce.
const WRAP: f64 = 1.00001;

/// `sin(2πv)` computed the way POV-Ray does: the fraction of `v` is quantised
/// through `* 50000 / 50000` and negative inputs are mirrored.
pub(super) fn cycloidal(v: f64) -> f64 {
    const Q: f64 = 50000.0;
    if v >= 0.0 {
        (((v - v.floor()) * Q) / Q * std::f64::consts::TAU).sin()
    } else {
        -(((0.0 - (v + (0.0 - v).floor())) * Q) / Q * std::f64::consts::TAU).sin()
    }
}

/// Triangle wave of period 1: 0 → 1 at 0.5 → 0.
pub(super) fn triangle(v: f64) -> f64 {
    let offset = if v >= 0.0 {
        v - v.floor()
    } else {
        v + 1.0 + v.abs().floor()
    };
    if offset >= 0.5 {
        2.0 * (1.0 - offset)
    } else {
        2.0 * offset
    }
}

/// Applies frequency, phase and the wave type to a raw pattern value.
///
/// A frequency of 0 leaves the value unwrapped (POV-Ray's discrete patterns).
pub(super) fn shape(raw: f64, wave: WaveType, frequency: f64, phase: f64) -> f64 {
    let mut v = raw;
    if frequency != 0.0 {
        v = (v * frequency + phase) % WRAP;
    }
    if v < 0.0 {
        v -= v.floor();
    }
    match wave {
        WaveType::Ramp => v,
        WaveType::Sine => (1.0 + cycloidal(v)) * 0.5,
        WaveType::Triangle => triangle(v),
        WaveType::Scallop => cycloidal(v * 0.5).abs(),
        WaveType::Cubic => v * v * (-2.0 * v + 3.0),
        WaveType::Poly(exponent) => v.powf(exponent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_wraps_but_keeps_one() {
        assert_eq!(shape(0.25, WaveType::Ramp, 1.0, 0.0), 0.25);
        assert_eq!(shape(1.0, WaveType::Ramp, 1.0, 0.0), 1.0);
        assert!((shape(1.5, WaveType::Ramp, 1.0, 0.0) - 0.49999).abs() < 1e-12);
        assert!((shape(-0.25, WaveType::Ramp, 1.0, 0.0) - 0.75).abs() < 1e-12);
        assert!((shape(0.25, WaveType::Ramp, 2.0, 0.1) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn wave_types_have_their_shapes() {
        assert!((shape(0.25, WaveType::Sine, 1.0, 0.0) - 1.0).abs() < 1e-9);
        assert!((shape(0.25, WaveType::Triangle, 1.0, 0.0) - 0.5).abs() < 1e-12);
        assert!((shape(0.75, WaveType::Triangle, 1.0, 0.0) - 0.5).abs() < 1e-12);
        assert!((shape(0.5, WaveType::Scallop, 1.0, 0.0) - 1.0).abs() < 1e-9);
        assert!((shape(0.5, WaveType::Cubic, 1.0, 0.0) - 0.5).abs() < 1e-12);
        assert!((shape(0.5, WaveType::Poly(2.0), 1.0, 0.0) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn zero_frequency_keeps_indices() {
        assert_eq!(shape(2.0, WaveType::Ramp, 0.0, 0.0), 2.0);
    }
}
