//! Cell patterns. Crackle: a Voronoi pattern over one random point per unit cube, combining the
//! distances to the nearest three points with the `form` weights.
//!
//! Cells: one random value per unit cube.
//!
//! As in POV-Ray 3.7, each cube's point (and each cell's value) is picked by hashing the cube's
//! coordinates into a fixed table of random numbers, and only the 81 cubes that
//! can hold one of the three nearest points are searched.

use glam::{DVec3, IVec3};

use super::noise::{dnoise, lattice_hash, noise};
use super::random::pattern_rand;
use super::{CrackleParams, FacetsParams, NoiseGenerator};

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

/// The random point of cube `c`: the cube's corner plus three consecutive
/// pattern random numbers chosen by the lattice hash of the cube.
fn cube_point(c: IVec3) -> DVec3 {
    let seed = lattice_hash(c.x, c.y, c.z);
    c.as_dvec3()
        + DVec3::new(
            pattern_rand(seed),
            pattern_rand(seed + 1),
            pattern_rand(seed + 2),
        )
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

/// The `facets` normal: the normal bent to the nearest cube point of a cell grid
/// of cell size `f.size`, found around the point itself (`coords` > 0, blending
/// in that point's noise gradient by `coords`) or around the normal (`coords` 0,
/// where the nearest point's direction becomes the normal). `n` is the normal in
/// pattern space; the result is not normalised.
pub(super) fn facets(p: DVec3, n: DVec3, f: &FacetsParams) -> DVec3 {
    let n = n.normalize_or_zero();
    let scale = if f.size < 1e-6 { 1e6 } else { 1.0 / f.size };
    let t = if f.coords != 0.0 { p } else { n } * scale;
    let base = IVec3::new(
        (t.x - EPSILON).floor() as i32,
        (t.y - EPSILON).floor() as i32,
        (t.z - EPSILON).floor() as i32,
    );
    let mut best = f64::INFINITY;
    let mut nearest = DVec3::ZERO;
    for o in neighbour_offsets() {
        let q = cube_point(base.wrapping_add(o));
        let d = q - t;
        // Metric 1 sums the signed differences, as POV-Ray does.
        let s = if f.metric == 1.0 {
            d.x + d.y + d.z
        } else {
            distance(d, f.metric)
        };
        if s < best {
            best = s;
            nearest = q;
        }
    }
    if f.coords == 0.0 {
        return nearest;
    }
    let pert = dnoise(nearest);
    let along = n * pert.dot(n);
    n + f.coords * (pert - along)
}

/// Cells: the pattern random number of the unit cube holding `p`.
pub(super) fn cells(p: DVec3) -> f64 {
    let cell = |x: f64| (x + EPSILON).floor() as i32;
    let seed = lattice_hash(cell(p.x), cell(p.y), cell(p.z));
    pattern_rand(seed).min(1.0)
}

/// Crackle's value at `p`, clamped to `[0, 1]` as POV-Ray does.
pub(super) fn crackle(p: DVec3, c: &CrackleParams, gen: NoiseGenerator) -> f64 {
    let base = IVec3::new(
        (p.x - EPSILON).floor() as i32,
        (p.y - EPSILON).floor() as i32,
        (p.z - EPSILON).floor() as i32,
    );
    let mut best = [f64::INFINITY; 3];
    let mut nearest = DVec3::ZERO;
    for o in neighbour_offsets() {
        let q = cube_point(base.wrapping_add(o));
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
    let v = c.form.x * root(best[0]) + c.form.y * root(best[1]) + c.form.z * root(best[2]);
    v.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_away_points_do_not_overflow() {
        let c = CrackleParams::default();
        for p in [
            DVec3::splat(3.0e9),
            DVec3::splat(-3.0e9),
            DVec3::splat(f64::NAN),
        ] {
            let _ = crackle(p, &c, NoiseGenerator::RangeCorrected);
        }
    }

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
