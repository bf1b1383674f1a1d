//! `superellipsoid { <e, n> }` intersected as POV-Ray 3.7 does: the ray is cut at
//! the planes that split the shape into pieces on which its implicit function is
//! monotonic enough, sign changes between cut points are refined by a mix of
//! secant and bisection steps, and segments without a sign change are searched
//! once more by Newton steps in case the ray grazes the surface.

use glam::DVec3;

use super::ShapeHits;
use crate::scene::geometry::{Aabb, Ray};

/// Hits closer than this (in the shape's unit space) are the surface left behind.
const DEPTH_TOLERANCE: f64 = 1.0e-4;
/// A function value this small is on the surface.
const ZERO_TOLERANCE: f64 = 1.0e-10;
/// POV-Ray's general small number.
const EPSILON: f64 = 1.0e-10;
/// The box the shape is searched in: a little larger than the unit cube.
const MIN_VALUE: f64 = -1.01;
const MAX_VALUE: f64 = 1.01;
const MAX_ITERATIONS: usize = 20;
/// Planes through the origin (normals) that cut the shape into simple pieces.
const PLANES: [[f64; 3]; 9] = [
    [1.0, 1.0, 0.0],
    [1.0, -1.0, 0.0],
    [1.0, 0.0, 1.0],
    [1.0, 0.0, -1.0],
    [0.0, 1.0, 1.0],
    [0.0, 1.0, -1.0],
    [1.0, 0.0, 0.0],
    [0.0, 1.0, 0.0],
    [0.0, 0.0, 1.0],
];

/// A superellipsoid in its unit space, with POV-Ray's exponents precomputed:
/// `power_xy = 2/e`, `power_z = 2/n`.
#[derive(Clone, Debug, PartialEq)]
pub struct Superellipsoid {
    power_xy: f64,
    power_z: f64,
}

impl Superellipsoid {
    /// The shape `superellipsoid { <e, n> }` (both non-zero; the parser checks).
    pub fn new(e: f64, n: f64) -> Self {
        Self {
            power_xy: 2.0 / e,
            power_z: 2.0 / n,
        }
    }

    /// The implicit function: negative inside, zero on the surface.
    fn eval(&self, p: DVec3) -> f64 {
        let xy = evaluate_g(p.x.abs(), p.y.abs(), self.power_xy);
        evaluate_g(xy, p.z.abs(), self.power_z) - 1.0
    }

    /// Every crossing along `r` (object space, any direction length).
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 {
            return;
        }
        let d = r.dir / len;
        let p = r.origin;
        let Some((mut t1, t2)) = intersect_box(p, d) else {
            return;
        };
        if t2 < DEPTH_TOLERANCE {
            return;
        }
        t1 = t1.max(DEPTH_TOLERANCE);
        let mut dists = [0.0; PLANES.len() + 2];
        let cnt = ray_plane_points(p, d, t1, t2, &mut dists);
        if cnt <= 1 {
            return;
        }
        let dists = &dists[..cnt];
        let mut p0 = p + d * dists[0];
        let mut v0 = self.eval(p0);
        let mut push = |t: f64| out.push_sorted(t / len, 0, DEPTH_TOLERANCE);
        if v0.abs() < ZERO_TOLERANCE {
            push(dists[0]);
        }
        for i in 1..cnt {
            let p1 = p + d * dists[i];
            let v1 = self.eval(p1);
            if v1.abs() < ZERO_TOLERANCE {
                push(dists[i]);
            } else if v0 * v1 < 0.0 {
                let q = self.solve_hit(v0, p0, v1, p1);
                push((q - p).length());
            } else if let Some(t) = self.check_hit2(p, d, dists[i - 1], p0, v0, dists[i]) {
                push(t);
            }
            v0 = v1;
            p0 = p1;
        }
    }

    /// A root between `p0` and `p1`, whose values have opposite signs.
    fn solve_hit(&self, mut v0: f64, mut p0: DVec3, mut v1: f64, mut p1: DVec3) -> DVec3 {
        for _ in 0..MAX_ITERATIONS {
            if v0.abs() < ZERO_TOLERANCE {
                return p0;
            }
            if v1.abs() < ZERO_TOLERANCE {
                return p1;
            }
            let x = v0.abs() / (v1 - v0).abs();
            let p2 = p0 + (p1 - p0) * x;
            let v2 = self.eval(p2);
            let p3 = p0 + (p1 - p0) * 0.5;
            let v3 = self.eval(p3);
            if v2 * v3 < 0.0 {
                (v0, p0, v1, p1) = (v2, p2, v3, p3);
            } else {
                // Keep the end, secant or midpoint, that is closer to zero.
                let (v, q) = if v2.abs() < v3.abs() {
                    (v2, p2)
                } else {
                    (v3, p3)
                };
                if v0 * v < 0.0 {
                    (v1, p1) = (v, q);
                } else {
                    (v0, p0) = (v, q);
                }
            }
        }
        if v0.abs() < v1.abs() {
            p0
        } else {
            p1
        }
    }

    /// Newton steps from `t0` towards `t1` when both ends have the same sign: the
    /// ray may still dip through the surface in between.
    fn check_hit2(&self, p: DVec3, d: DVec3, t0: f64, p0: DVec3, v0: f64, t1: f64) -> Option<f64> {
        let (mut v0, mut p0) = (v0, p0);
        let mut dt0 = t0;
        let mut dt1 = t0 + 0.0001 * (t1 - t0);
        let maxdelta = t1 - t0;
        let mut i = 0;
        while dt0 < t1 && i < MAX_ITERATIONS {
            let p1 = p + d * dt1;
            let v1 = self.eval(p1);
            if v0 * v1 < 0.0 {
                let q = self.solve_hit(v0, p0, v1, p1);
                return Some((q - p).length());
            }
            if v1.abs() < ZERO_TOLERANCE {
                return Some(dt1);
            }
            if (v0 > 0.0 && v1 > v0) || (v0 < 0.0 && v1 < v0) || v1 == v0 {
                return None;
            }
            let delta = v1 * (dt1 - dt0) / (v1 - v0);
            if delta.abs() > maxdelta {
                return None;
            }
            (v0, p0, dt0) = (v1, p1, dt1);
            dt1 -= delta;
            i += 1;
        }
        None
    }

    /// Outward normal (not normalised) at surface point `p`, POV-Ray's formula.
    pub fn normal(&self, p: DVec3) -> DVec3 {
        let (ex, ez) = (self.power_xy, self.power_z);
        let mut n = p;
        let mut z2n = 0.0;
        if p.z != 0.0 {
            z2n = power(p.z.abs(), ez);
            n.z = z2n / p.z;
        }
        let mut r = 0.0;
        if p.x.abs() > p.y.abs() {
            r = power((p.y / p.x).abs(), ex);
            n.x = (1.0 - z2n) / p.x;
            n.y = if p.y != 0.0 {
                (1.0 - z2n) * r / p.y
            } else {
                0.0
            };
        } else if p.y != 0.0 {
            r = power((p.x / p.y).abs(), ex);
            n.x = if p.x != 0.0 {
                (1.0 - z2n) * r / p.x
            } else {
                0.0
            };
            n.y = (1.0 - z2n) / p.y;
        }
        if n.z != 0.0 {
            n.z *= 1.0 + r;
        }
        n
    }

    /// POV-Ray's inside test (a small tolerance counts the surface as inside).
    pub fn inside(&self, p: DVec3) -> bool {
        self.eval(p) < EPSILON
    }

    /// Bounds in object space (POV-Ray's, slightly larger than the unit cube).
    pub fn bounds(&self) -> Aabb {
        Aabb::new(DVec3::splat(-1.0001), DVec3::splat(1.0001))
    }
}

/// `(x^e + y^e)^(1/e)`, arranged as POV-Ray does to avoid overflow.
fn evaluate_g(x: f64, y: f64, e: f64) -> f64 {
    if x > y {
        let mut g = 1.0 + power(y / x, e);
        if g != 1.0 {
            g = power(g, 1.0 / e);
        }
        g * x
    } else if y != 0.0 {
        let mut g = 1.0 + power(x / y, e);
        if g != 1.0 {
            g = power(g, 1.0 / e);
        }
        g * y
    } else {
        0.0
    }
}

/// `x^e`, with small integer powers multiplied out (as POV-Ray, for the same bits).
fn power(x: f64, e: f64) -> f64 {
    if e.fract() == 0.0 && (0.0..=6.0).contains(&e) {
        let b = x * x;
        match e as u32 {
            0 => 1.0,
            1 => x,
            2 => b,
            3 => b * x,
            4 => b * b,
            5 => b * b * x,
            _ => b * b * b,
        }
    } else {
        x.powf(e)
    }
}

/// Entry and exit of a unit-direction ray through the search box.
fn intersect_box(p: DVec3, d: DVec3) -> Option<(f64, f64)> {
    let (mut dmin, mut dmax) = (f64::NEG_INFINITY, f64::INFINITY);
    for axis in 0..3 {
        let (o, dir) = (p[axis], d[axis]);
        if dir.abs() > EPSILON {
            let (a, b) = ((MIN_VALUE - o) / dir, (MAX_VALUE - o) / dir);
            let (tmin, tmax) = if dir > 0.0 { (a, b) } else { (b, a) };
            if tmax < EPSILON {
                return None;
            }
            dmin = dmin.max(tmin);
            dmax = dmax.min(tmax);
            if dmin > dmax {
                return None;
            }
        } else if !(MIN_VALUE..=MAX_VALUE).contains(&o) {
            return None;
        }
    }
    Some((dmin, dmax))
}

/// Fills `dists` with `t1`, `t2` and the crossings with the cutting planes between
/// them, sorted; returns how many.
fn ray_plane_points(p: DVec3, d: DVec3, t1: f64, t2: f64, dists: &mut [f64]) -> usize {
    dists[0] = t1;
    dists[1] = t2;
    let mut cnt = 2;
    // The ends lie on the box's planes: widen a little so round-off keeps them.
    let slack = EPSILON * (t2 - t1);
    let (lo, hi) = (t1 - slack, t2 + slack);
    for n in PLANES {
        let n = DVec3::from(n);
        let den = d.dot(n);
        if den.abs() < EPSILON {
            continue;
        }
        let t = -p.dot(n) / den;
        if (lo..=hi).contains(&t) {
            dists[cnt] = t;
            cnt += 1;
        }
    }
    dists[..cnt].sort_by(f64::total_cmp);
    cnt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(s: &Superellipsoid, o: [f64; 3], d: [f64; 3]) -> Vec<f64> {
        let mut out = ShapeHits::default();
        s.intersect(&Ray::new(DVec3::from(o), DVec3::from(d)), &mut out);
        out.iter().map(|h| h.0).collect()
    }

    #[test]
    fn e_n_one_is_the_unit_sphere() {
        let s = Superellipsoid::new(1.0, 1.0);
        let got = hits(&s, [0.0, 0.0, -5.0], [0.0, 0.0, 1.0]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            (got[0] - 4.0).abs() < 1e-7 && (got[1] - 6.0).abs() < 1e-7,
            "{got:?}"
        );
        let n = s.normal(DVec3::new(0.6, 0.0, 0.8)).normalize();
        assert!((n - DVec3::new(0.6, 0.0, 0.8)).length() < 1e-9, "{n}");
        assert!(s.inside(DVec3::splat(0.5)));
        assert!(!s.inside(DVec3::splat(0.7)));
    }

    #[test]
    fn small_exponents_make_a_rounded_box() {
        let s = Superellipsoid::new(0.1, 0.1);
        // A diagonal ray meets the nearly square corner close to (1, 1).
        let got = hits(&s, [-3.0, -3.0, 0.0], [1.0, 1.0, 0.0]);
        assert_eq!(got.len(), 2, "{got:?}");
        let corner = -3.0 + got[0];
        assert!(corner > -1.0 && corner < -0.9, "{got:?}");
        // The scaled direction keeps t meaning the same point.
        let got2 = hits(&s, [0.0, 0.0, -3.0], [0.0, 0.0, 2.0]);
        assert!((got2[0] - 1.0).abs() < 1e-3, "{got2:?}");
    }
}
