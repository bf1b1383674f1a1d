//! Cell patterns. Crackle: a Voronoi pattern over one random point per unit cube, combining the
//! distances to the nearest three points with the `form` weights.
//!
//! Cells: one random value per unit cube.
//!
//! As in POV-Ray 3.7, each cube's point (and each cell's value) is picked by hashing the cube's
//! coordinates into a fixed table of random numbers, and only the 81 cubes that
//! can hold one of the three nearest points are searched.

use std::sync::LazyLock;

use glam::{DVec3, IVec3};

use super::noise::{lattice_hash, noise};
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

/// How many of POV-Ray's pattern random numbers crackle can reach: a cube's
/// hash is below 4096 and its point reads three consecutive numbers.
const RAND_COUNT: usize = 4096 + 2;

/// POV-Ray's pattern random numbers: the first outputs of a default-seeded
/// 32-bit Mersenne Twister (MT19937, seed 5489), each divided by 2³² to give a
/// uniform value in [0, 1).
static PATTERN_RANDS: LazyLock<[f64; RAND_COUNT]> = LazyLock::new(|| {
    let mut mt = Mt19937::new(5489);
    let mut out = [0.0; RAND_COUNT];
    for v in &mut out {
        *v = f64::from(mt.next_u32()) / 4_294_967_296.0;
    }
    out
});

/// The MT19937 generator (Matsumoto & Nishimura), only as far as seeding and
/// drawing 32-bit outputs.
struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    fn new(seed: u32) -> Self {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Self { state, index: 624 }
    }

    fn twist(&mut self) {
        for i in 0..624 {
            let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % 624] & 0x7fff_ffff);
            let mut next = self.state[(i + 397) % 624] ^ (y >> 1);
            if y & 1 != 0 {
                next ^= 0x9908_b0df;
            }
            self.state[i] = next;
        }
        self.index = 0;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }
}

/// The random point of cube `c`: the cube's corner plus three consecutive
/// pattern random numbers chosen by the lattice hash of the cube.
fn cube_point(c: IVec3) -> DVec3 {
    let seed = lattice_hash(c.x, c.y, c.z);
    let r = &*PATTERN_RANDS;
    c.as_dvec3() + DVec3::new(r[seed], r[seed + 1], r[seed + 2])
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

/// Cells: the pattern random number of the unit cube holding `p`.
pub(super) fn cells(p: DVec3) -> f64 {
    let cell = |x: f64| (x + EPSILON).floor() as i32;
    let seed = lattice_hash(cell(p.x), cell(p.y), cell(p.z));
    PATTERN_RANDS[seed].min(1.0)
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
