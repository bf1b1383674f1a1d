//! The sample cache: every sample with its harmonic-mean distance, indexed by
//! space, and POV-Ray 3.7's rule for how much a cached sample counts at a
//! point (translation error from the distance over the harmonic mean, rotation
//! error from the normals, a sample behind the point not used).
//!
//! The index is a loose grid per power-of-two cell size: a sample whose sphere
//! of influence has radius r sits in the cell (of the smallest size >= 2r) that
//! holds its centre, so a point finds every sample that can reach it in the
//! eight cells nearest to it at each size. Lookups visit sizes, cells and
//! samples in a fixed order, so the weighted sum is the same on every host.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use glam::DVec3;

/// A cached sample.
#[derive(Clone, Debug)]
pub struct Sample {
    pub point: DVec3,
    pub normal: DVec3,
    /// Direction to the nearest surface a sample ray hit.
    pub to_nearest: DVec3,
    pub illuminance: DVec3,
    /// Harmonic mean of the sample rays' distances, clamped to the reuse range.
    pub mean_distance: f64,
    pub nearest_distance: f64,
    /// How much the sample counts (its rays' mean quality, see `gather`).
    pub quality: f32,
}

/// Below this distance a point counts as the sample's own (POV-Ray's constant).
const NEAR_EPSILON: f64 = 1e-6;
/// A sample this far behind a point (as a cosine) still counts, fading out.
const IN_FRONT_LIMIT: f64 = -0.05;
/// Weights below this are ignored.
const WEIGHT_EPSILON: f64 = 0.001;

/// A cell: its size's exponent and integer position.
type CellKey = (i32, [i64; 3]);

/// FxHash's multiply-rotate, enough for integer cell keys.
#[derive(Default)]
struct CellHasher(u64);

impl Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_i64(&mut self, v: i64) {
        self.write_u64(v as u64);
    }

    fn write_i32(&mut self, v: i32) {
        self.write_u64(v as u64);
    }
}

/// The samples of one bounce depth.
#[derive(Debug, Default)]
struct Depth {
    samples: Vec<Sample>,
    cells: HashMap<CellKey, Vec<u32>, BuildHasherDefault<CellHasher>>,
    sizes: BTreeSet<i32>,
}

/// Every sample, per bounce depth (a lookup only sees its own depth's).
#[derive(Debug, Default)]
pub struct Cache {
    depths: Vec<Depth>,
}

/// What a lookup found: the summed weight of the usable samples and their
/// weighted mean illuminance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Found {
    pub weight: f64,
    pub illuminance: DVec3,
}

fn cell_of(p: DVec3, exp: i32) -> [i64; 3] {
    let s = 2f64.powi(exp);
    [
        (p.x / s).floor() as i64,
        (p.y / s).floor() as i64,
        (p.z / s).floor() as i64,
    ]
}

impl Cache {
    pub fn len(&self) -> usize {
        self.depths.iter().map(|d| d.samples.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a sample at `depth` that lookups with error bounds up to
    /// `max_bound` may use.
    pub fn insert(&mut self, depth: usize, sample: Sample, max_bound: f64) {
        let radius = sample.mean_distance * max_bound;
        if !(radius.is_finite() && radius > 0.0 && sample.point.is_finite()) {
            return;
        }
        let exp = (2.0 * radius).log2().ceil().clamp(-60.0, 60.0) as i32;
        if self.depths.len() <= depth {
            self.depths.resize_with(depth + 1, Depth::default);
        }
        let d = &mut self.depths[depth];
        let key = (exp, cell_of(sample.point, exp));
        d.cells.entry(key).or_default().push(d.samples.len() as u32);
        d.sizes.insert(exp);
        d.samples.push(sample);
    }

    /// The samples of `depth` usable at `p` (normal `n`) under `bound`; `smooth`
    /// selects the final render's top-level weighting (a soft sigmoid instead
    /// of the linear fall-off).
    pub fn lookup(&self, depth: usize, p: DVec3, n: DVec3, bound: f64, smooth: bool) -> Found {
        let mut found = Found {
            weight: 0.0,
            illuminance: DVec3::ZERO,
        };
        let Some(d) = self.depths.get(depth) else {
            return found;
        };
        for &exp in &d.sizes {
            let s = 2f64.powi(exp);
            let c = cell_of(p, exp);
            let near = |axis: usize, v: f64| {
                let frac = v / s - c[axis] as f64;
                if frac < 0.5 {
                    c[axis] - 1
                } else {
                    c[axis] + 1
                }
            };
            let xs = [c[0], near(0, p.x)];
            let ys = [c[1], near(1, p.y)];
            let zs = [c[2], near(2, p.z)];
            for x in xs {
                for y in ys {
                    for z in zs {
                        let Some(ids) = d.cells.get(&(exp, [x, y, z])) else {
                            continue;
                        };
                        for &i in ids {
                            let sample = &d.samples[i as usize];
                            let w = weight(sample, p, n, bound, smooth);
                            if w > WEIGHT_EPSILON {
                                let w = w * f64::from(sample.quality);
                                found.weight += w;
                                found.illuminance += sample.illuminance * w;
                            }
                        }
                    }
                }
            }
        }
        if found.weight > 0.0 {
            found.illuminance /= found.weight;
        }
        found
    }
}

/// How much `s` counts at `p` with normal `n` (0 when it does not).
pub fn weight(s: &Sample, p: DVec3, n: DVec3, bound: f64, smooth: bool) -> f64 {
    let delta = p - s.point;
    let dist2 = delta.length_squared();
    let quick = s.mean_distance * bound;
    if dist2 >= quick * quick {
        return 0.0;
    }
    let dist = dist2.sqrt();
    let mut ri = s.mean_distance;
    let apart = dist > NEAR_EPSILON;
    let unit = if apart { delta / dist } else { DVec3::ZERO };
    if apart {
        // Towards the nearest surface the sample saw, the valid radius shrinks.
        let c = s.to_nearest.dot(unit);
        if c > 0.0 {
            ri = c * s.nearest_distance + (1.0 - c) * ri;
        }
    }
    if dist >= ri * bound {
        return 0.0;
    }
    let error = dist / ri + 2.0 * (1.0 - n.dot(s.normal)).abs().sqrt();
    if error >= bound {
        return 0.0;
    }
    let in_front = if apart {
        let half = n + s.normal;
        unit.dot(half) / half.length()
    } else {
        1.0
    };
    if in_front.is_nan() || in_front <= IN_FRONT_LIMIT {
        return 0.0;
    }
    let t = error / bound;
    let mut w = if smooth {
        if t < 0.5 {
            1.0 - 2.0 * t * t
        } else {
            2.0 * (1.0 - t) * (1.0 - t)
        }
    } else {
        1.0 - t
    };
    if in_front <= 0.0 {
        w *= 1.0 - in_front / IN_FRONT_LIMIT;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_at(p: DVec3, mean: f64) -> Sample {
        Sample {
            point: p,
            normal: DVec3::Y,
            to_nearest: DVec3::Y,
            illuminance: DVec3::ONE,
            mean_distance: mean,
            nearest_distance: mean,
            quality: 1.0,
        }
    }

    #[test]
    fn weight_falls_with_distance_and_turn() {
        let s = sample_at(DVec3::ZERO, 1.0);
        assert_eq!(weight(&s, DVec3::ZERO, DVec3::Y, 1.0, false), 1.0);
        let near = weight(&s, DVec3::new(0.2, 0.0, 0.0), DVec3::Y, 1.0, false);
        assert!((near - 0.8).abs() < 1e-12);
        assert_eq!(
            weight(&s, DVec3::new(1.5, 0.0, 0.0), DVec3::Y, 1.0, false),
            0.0
        );
        assert_eq!(weight(&s, DVec3::ZERO, DVec3::X, 1.0, false), 0.0);
        let smooth = weight(&s, DVec3::new(0.25, 0.0, 0.0), DVec3::Y, 1.0, true);
        assert!((smooth - 0.875).abs() < 1e-12);
    }

    #[test]
    fn lookup_finds_samples_across_cells() {
        let mut c = Cache::default();
        for i in 0..50 {
            let p = DVec3::new(f64::from(i) * 0.37 - 9.0, 0.0, 0.1 * f64::from(i % 7));
            c.insert(0, sample_at(p, 0.5 + f64::from(i % 5)), 1.0);
        }
        for j in 0..40 {
            let q = DVec3::new(f64::from(j) * 0.41 - 8.0, 0.0, 0.05 * f64::from(j));
            let brute: f64 = c.depths[0]
                .samples
                .iter()
                .map(|s| weight(s, q, DVec3::Y, 1.0, false))
                .filter(|&w| w > WEIGHT_EPSILON)
                .sum();
            let found = c.lookup(0, q, DVec3::Y, 1.0, false);
            assert!((found.weight - brute).abs() < 1e-9, "{q}");
        }
    }
}
