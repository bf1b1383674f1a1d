//! Crackle: a Voronoi pattern over one random point per unit cube, combining the
//! distances to the nearest three points with the `form` weights.
//!
//! The structure (one point per cube, the 81 cubes that can hold one of the three
//! nearest points, metric, offset, solid) follows POV-Ray 3.7, but the random
//! point inside each cube comes from our own hash, not POV-Ray's random stream:
//! crackle has the same look and statistics but not the same cells.

use glam::{DVec3, IVec3};

use super::noise::noise;
use super::{CrackleParams, NoiseGenerator};

/// POV-Ray's `EPSILON`, so that points on a cube face pick the lower cube.
const EPSILON: f64 = 1.0e-10;

/// The 3×3×3 block around the cube plus the nine cubes beyond each face: the
/// only cubes whose point can be among the three nearest.
fn neighbour_offsets() -> impl Iterator<Item = IVec3> {
    (-2..=2)
        .flat_map(|x| (-2..=2).flat_map(move |y| (-2..=2).map(move |z| IVec3::new(x, y, z))))
        .filter(|o| {
            let far = [o.x, o.y, o.z].iter().filter(|c| c.abs() == 2).count();
            far <= 1
        })
}

/// SplitMix64 finaliser: a well-mixed 64-bit hash.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The random point of cube `c`.
fn cube_point(c: IVec3) -> DVec3 {
    let key = (c.x as u32 as u64) | ((c.y as u32 as u64) << 21) ^ ((c.z as u32 as u64) << 42);
    let h1 = mix(key);
    let h2 = mix(h1);
    let unit = |h: u64| (h >> 11) as f64 / (1u64 << 53) as f64;
    c.as_dvec3() + DVec3::new(unit(h1), unit(h1.rotate_left(21)), unit(h2))
}

fn distance(d: DVec3, metric: f64) -> f64 {
    if metric == 2.0 {
        d.length_squared()
    } else if metric == 1.0 {
        d.x.abs() + d.y.abs() + d.z.abs()
    } else {
        d.x.abs().powf(metric) + d.y.abs().powf(metric) + d.z.abs().powf(metric)
    }
}

/// Crackle's value at `p`.
pub(super) fn crackle(p: DVec3, c: &CrackleParams, gen: NoiseGenerator) -> f64 {
    let base = IVec3::new(
        (p.x - EPSILON).floor() as i32,
        (p.y - EPSILON).floor() as i32,
        (p.z - EPSILON).floor() as i32,
    );
    let mut best = [f64::INFINITY; 3];
    let mut nearest = DVec3::ZERO;
    for o in neighbour_offsets() {
        let q = cube_point(base + o);
        let s = distance(q - p, c.metric);
        if s < best[0] {
            best = [s, best[0], best[1]];
            nearest = q;
        } else if s < best[1] {
            best = [best[0], s, best[1]];
        } else if s < best[2] {
            best[2] = s;
        }
    }
    if c.offset != 0.0 {
        let add = if c.metric == 1.0 {
            c.offset
        } else if c.metric == 2.0 {
            c.offset * c.offset
        } else {
            c.offset.powf(c.metric)
        };
        best.iter_mut().for_each(|b| *b += add);
    }
    if c.solid {
        return noise(nearest, gen);
    }
    let root = |s: f64| {
        if c.metric == 2.0 {
            s.sqrt()
        } else if c.metric == 1.0 {
            s
        } else {
            s.powf(1.0 / c.metric)
        }
    };
    c.form.x * root(best[0]) + c.form.y * root(best[1]) + c.form.z * root(best[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighty_one_neighbours() {
        assert_eq!(neighbour_offsets().count(), 81);
    }

    #[test]
    fn crackle_is_zero_on_cell_borders_and_positive_inside() {
        let c = CrackleParams::default();
        // At a cube's own point the nearest distance is 0, so the value is the
        // distance to the second nearest: strictly positive.
        let q = cube_point(IVec3::new(3, -2, 5));
        assert!(crackle(q, &c, NoiseGenerator::RangeCorrected) > 0.0);
        for i in 0..200 {
            let p = DVec3::new(f64::from(i) * 0.173, f64::from(i) * -0.071, 0.5);
            let v = crackle(p, &c, NoiseGenerator::RangeCorrected);
            assert!(v >= 0.0, "{p} {v}");
        }
    }
}
