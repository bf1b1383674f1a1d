//! Patterns built on noise and turbulence: agate, marble, wood, granite,
//! wrinkles and dents, plus ripples and waves (sums of circular waves from
//! pseudo-random sources).

use std::sync::LazyLock;

use glam::DVec3;

use super::noise::{dnoise, noise};
use super::turbulence::{dturbulence, turbulence};
use super::wave::{cycloidal, triangle};
use super::{NoiseGenerator, Turbulence};

/// Number of wave sources of ripples and waves by default (POV-Ray's default
/// `number_of_waves`).
pub const WAVE_COUNT: usize = 10;

/// The most wave sources a scene may ask for (`number_of_waves`).
pub const MAX_WAVE_COUNT: usize = 10_000;

/// Wave sources (unit vectors) and their relative frequencies.
pub(super) struct WaveSources {
    pub(super) centre: Vec<DVec3>,
    pub(super) frequency: Vec<f64>,
}

/// Built as POV-Ray builds them: source `i` is the direction of `DNoise(i, 0, 0)`
/// and the frequencies come from the table generator seeded with -560851967.
/// A scene with `number_of_waves n` uses the first `n`: POV-Ray's sequence for
/// `n` sources starts the same way whatever `n` is.
pub(super) static WAVES: LazyLock<WaveSources> = LazyLock::new(|| {
    let mut w = WaveSources {
        centre: Vec::with_capacity(MAX_WAVE_COUNT),
        frequency: Vec::with_capacity(MAX_WAVE_COUNT),
    };
    let mut next: i32 = -560_851_967;
    for i in 0..MAX_WAVE_COUNT {
        w.centre
            .push(dnoise(DVec3::new(i as f64, 0.0, 0.0)).normalize_or_zero());
        next = next.wrapping_mul(1_812_433_253).wrapping_add(12_345);
        w.frequency
            .push(f64::from((next >> 16) & 0x7FFF) * 0.000030518509476 + 0.01);
    }
    w
});

/// Vector from wave source `i` to `p` and its length (1 at the source itself, so
/// nothing divides by zero).
#[inline(always)]
pub(super) fn from_source(p: DVec3, i: usize) -> (DVec3, f64) {
    let d = p - WAVES.centre[i];
    let len = d.length();
    (d, if len == 0.0 { 1.0 } else { len })
}

/// Agate: a sine of turbulence plus z, sharpened by a power.
pub(super) fn agate(
    p: DVec3,
    turb: Option<&Turbulence>,
    agate_turb: f64,
    gen: NoiseGenerator,
) -> f64 {
    let default = Turbulence::default();
    let t = turb.unwrap_or(&default);
    let turb_val = agate_turb * turbulence(p, t, gen);
    let v = 0.5 * (cycloidal(1.3 * turb_val + 1.1 * p.z) + 1.0);
    if v < 0.0 {
        0.0
    } else {
        v.min(1.0).powf(0.77)
    }
}

/// Marble: x disturbed by scalar turbulence (turned into veins by the default
/// triangle wave).
pub(super) fn marble(p: DVec3, turb: Option<&Turbulence>, gen: NoiseGenerator) -> f64 {
    match turb {
        Some(t) => p.x + t.amount.x * turbulence(p, t, gen),
        None => p.x,
    }
}

/// Wood: distance from the z axis, the x and y offsets bent by turbulence.
pub(super) fn wood(p: DVec3, turb: Option<&Turbulence>) -> f64 {
    let (mut x, mut y) = (0.0, 0.0);
    if let Some(t) = turb {
        let w = dturbulence(p, t);
        x = cycloidal((p.x + w.x) * t.amount.x);
        y = cycloidal((p.y + w.y) * t.amount.y);
    }
    x += p.x;
    y += p.y;
    (x * x + y * y).sqrt()
}

/// The classic-turbulence term the spirals add: turbulence's x strength times
/// the scalar turbulence.
fn turbulence_term(p: DVec3, turb: Option<&Turbulence>, gen: NoiseGenerator) -> f64 {
    turb.map_or(0.0, |t| t.amount.x * turbulence(p, t, gen))
}

/// The spirals' common ramp: height plus distance from the z axis plus the
/// fraction of a turn around it times the number of arms.
fn spiral_ramp(p: DVec3, arms: i32) -> (f64, f64) {
    use std::f64::consts::{FRAC_PI_2, TAU};
    let rad = (p.x * p.x + p.y * p.y).sqrt();
    let phi = if rad == 0.0 {
        0.0
    } else if p.x < 0.0 {
        3.0 * FRAC_PI_2 - (p.y / rad).asin()
    } else {
        FRAC_PI_2 + (p.y / rad).asin()
    };
    (rad, p.z + rad + f64::from(arms) * phi / TAU)
}

/// Spiral1: one spiral ramp (a triangle wave by default).
pub(super) fn spiral1(p: DVec3, arms: i32, turb: Option<&Turbulence>, gen: NoiseGenerator) -> f64 {
    let t = turbulence_term(p, turb, gen);
    let (_, ramp) = spiral_ramp(p, arms);
    ramp + t
}

/// Spiral2: the spiral ramp and the radius, each through a triangle wave.
pub(super) fn spiral2(p: DVec3, arms: i32, turb: Option<&Turbulence>, gen: NoiseGenerator) -> f64 {
    let t = turbulence_term(p, turb, gen);
    let (rad, ramp) = spiral_ramp(p, arms);
    triangle(rad) + triangle(ramp + t)
}

/// Granite: six octaves of folded noise at four times the scale.
pub(super) fn granite(p: DVec3, gen: NoiseGenerator) -> f64 {
    let base = p * 4.0;
    let mut freq = 1.0;
    let mut sum = 0.0;
    for _ in 0..6 {
        let n = noise(base * freq, gen);
        let folded = match gen {
            NoiseGenerator::Original => (0.5 - n).abs(),
            _ => (1.0 - 2.0 * n).abs().min(0.5),
        };
        sum += folded / freq;
        freq *= 2.0;
    }
    sum
}

/// Wrinkles as a pattern: ten octaves of noise, halved.
pub(super) fn wrinkles(p: DVec3, gen: NoiseGenerator) -> f64 {
    let octave = |q: DVec3| match gen {
        NoiseGenerator::Original => noise(q, gen),
        _ => (noise(q, gen) * 2.0 - 0.5).clamp(0.0, 1.0),
    };
    let mut value = octave(p);
    let (mut lambda, mut omega) = (2.0, 0.5);
    for _ in 1..10 {
        value += omega * octave(p * lambda);
        lambda *= 2.0;
        omega *= 0.5;
    }
    value / 2.0
}

/// Dents as a pattern: cubed noise.
pub(super) fn dents(p: DVec3, gen: NoiseGenerator) -> f64 {
    let n = noise(p, gen);
    n * n * n
}

/// Ripples as a pattern: the mean of circular sine waves from every source.
pub(super) fn ripples(p: DVec3, frequency: f64, phase: f64, count: usize) -> f64 {
    let mut sum = 0.0;
    for i in 0..count {
        let (_, len) = from_source(p, i);
        sum += cycloidal(len * frequency + phase);
    }
    0.5 * (1.0 + sum / count as f64)
}

/// Waves as a pattern: like ripples, each source with its own frequency and an
/// amplitude inversely proportional to it.
pub(super) fn waves(p: DVec3, frequency: f64, phase: f64, count: usize) -> f64 {
    let w = &*WAVES;
    let mut sum = 0.0;
    for i in 0..count {
        let (_, len) = from_source(p, i);
        sum += cycloidal(len * frequency * w.frequency[i] + phase) / w.frequency[i];
    }
    0.2 * (2.5 + sum / count as f64)
}
