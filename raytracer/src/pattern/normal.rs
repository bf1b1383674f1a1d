//! Normal perturbation: bumps, dents, wrinkles, ripples, waves and quilted have their
//! own vector formulas; any other pattern used in a `normal {}` block bends the normal
//! along its slope, sampled at the four corners of a small tetrahedron.

use glam::DVec3;

use super::geometric::quilt_offset;
use super::noise::{dnoise, noise};
use super::noise_patterns::{from_source, WAVES};
use super::wave::cycloidal;
use super::{Pattern, PatternKind};

/// Distance between the slope samples (POV-Ray's default `accuracy`).
pub const SLOPE_DELTA: f64 = 0.02;

/// How a generic pattern's slope is sampled: `accuracy` and `slope_map`.
#[derive(Clone, Copy, Debug)]
pub struct Slope<'a> {
    /// Distance between the samples.
    pub delta: f64,
    /// `[value, (height, slope)]` entries; empty: the value is the height.
    pub map: &'a [(f64, (f64, f64))],
}

impl Slope<'_> {
    /// POV-Ray's defaults: accuracy 0.02, no slope map.
    pub const DEFAULT: Slope<'static> = Slope {
        delta: SLOPE_DELTA,
        map: &[],
    };

    /// The height the slope map gives pattern value `v`: a Hermite cubic
    /// between the two entries around it.
    fn height(&self, v: f64) -> f64 {
        if self.map.is_empty() {
            return v;
        }
        let (prev, cur) = search_map(self.map, v);
        let (p, c) = (&self.map[prev], &self.map[cur]);
        if prev == cur {
            return c.1 .0;
        }
        hermite((v - p.0) / (c.0 - p.0), p.1, c.1)
    }
}

/// The entries of a map around `v` as POV-Ray's `Search_Blend_Map` picks them:
/// (previous, current), the same index when `v` is on or beyond an entry.
/// `map` must not be empty.
pub fn search_map<T>(map: &[(f64, T)], v: f64) -> (usize, usize) {
    let last = map.len() - 1;
    if v >= map[last].0 {
        return (last, last);
    }
    let mut cur = 0;
    let mut prev = 0;
    while cur < last && v > map[cur].0 {
        prev = cur;
        cur += 1;
    }
    if v == map[cur].0 {
        prev = cur;
    }
    (prev, cur)
}

/// The cubic through (0, a.0) and (1, b.0) with slopes a.1 and b.1.
fn hermite(t: f64, a: (f64, f64), b: (f64, f64)) -> f64 {
    let (tt, ttt) = (t * t, t * t * t);
    ttt * (a.1 + b.1 + 2.0 * (a.0 - b.0)) - tt * (2.0 * a.1 + b.1 + 3.0 * (a.0 - b.0))
        + t * a.1
        + a.0
}

/// Corners of a regular tetrahedron around the point, the slope sample offsets.
const PYRAMID: [DVec3; 4] = [
    DVec3::new(0.942809041, -0.333333333, 0.0),
    DVec3::new(-0.471404521, -0.333333333, 0.816496581),
    DVec3::new(-0.471404521, -0.333333333, -0.816496581),
    DVec3::new(0.0, 1.0, 0.0),
];

/// See [`Pattern::perturb_normal`].
pub(super) fn perturb(pat: &Pattern, p: DVec3, n: DVec3, amount: f64, sl: &Slope) -> DVec3 {
    let gen = pat.generator();
    let q = pat.displace(p);
    let bent = match pat.kind {
        PatternKind::Bumps => n + amount * dnoise(q),
        PatternKind::Dents => {
            let v = noise(q, gen);
            n + (v * v * v * amount) * dnoise(q)
        }
        PatternKind::Wrinkles => n + amount * wrinkles(q),
        PatternKind::Ripples => n + ripples(q, pat.frequency, pat.phase, amount, pat.waves()),
        PatternKind::Waves => n + waves(q, pat.frequency, pat.phase, amount, pat.waves()),
        PatternKind::Quilted { control0, control1 } => {
            n + amount * quilt_offset(q, control0, control1)
        }
        PatternKind::ImageMap(ref image) => image.bump(q, n, amount),
        PatternKind::Facets(ref f) => super::cells::facets(q, n, f),
        _ => n + slope(pat, q, amount, sl),
    };
    bent.normalize_or(n)
}

/// Ten octaves of absolute vector noise.
fn wrinkles(p: DVec3) -> DVec3 {
    let mut result = DVec3::ZERO;
    let mut scale = 1.0;
    for _ in 0..10 {
        let v = dnoise(p * scale);
        result.x += (v.x / scale).abs();
        result.y += (v.y / scale).abs();
        result.z += (v.z / scale).abs();
        scale *= 2.0;
    }
    result
}

/// Tilts toward or away from every wave source by the wave's sine.
fn ripples(p: DVec3, frequency: f64, phase: f64, amount: f64, count: usize) -> DVec3 {
    let mut sum = DVec3::ZERO;
    for i in 0..count {
        let (d, len) = from_source(p, i);
        let s = cycloidal(len * frequency + phase) * amount;
        sum += d * (s / (len * count as f64));
    }
    sum
}

/// Like ripples, each source with its own frequency and a matching amplitude.
fn waves(p: DVec3, frequency: f64, phase: f64, amount: f64, count: usize) -> DVec3 {
    let w = &*WAVES;
    let mut sum = DVec3::ZERO;
    for i in 0..count {
        let (d, len) = from_source(p, i);
        let s = cycloidal(len * frequency * w.frequency[i] + phase) * amount / w.frequency[i];
        sum += d * (s / (len * count as f64));
    }
    sum
}

/// A generic pattern as a bump map: the normal leans down its slope. The centre
/// is already turbulent; the samples around it are offset from it directly.
fn slope(pat: &Pattern, centre: DVec3, amount: f64, sl: &Slope) -> DVec3 {
    // POV-Ray's fudge factor making `amount` comparable across patterns.
    let scale = amount * -5.0 * (0.02 / sl.delta);
    let mut sum = DVec3::ZERO;
    for dir in PYRAMID {
        let v = sl.height(pat.value_unwarped(centre + sl.delta * dir, None));
        sum += (v * scale) * dir;
    }
    sum
}
