//! `julia_fractal`: the 3-D slice of a 4-D Julia set (quaternion or
//! hypercomplex, z -> z² + c or z³ + c), ray marched as POV-Ray 3.7 does: steps
//! of the distance estimate (at least `precision`) until the inside flag changes,
//! then bisection down to a fixed tolerance. The normal comes from the derivative
//! of the iteration at the hit point.

use glam::DVec3;

use super::ShapeHits;
use crate::desc::shapes::{JuliaAlgebra, JuliaFractal as JuliaDesc, JuliaFunction};
use crate::scene::geometry::{Aabb, Ray};

/// Marching stops refining below this step.
const FRACTAL_TOLERANCE: f64 = 1e-7;
/// The hypercomplex step estimate's own tolerance.
const HYPER_TOLERANCE: f64 = 1e-8;
/// POV-Ray's general small number.
const EPSILON: f64 = 1e-10;
/// Longest iteration the stack is sized for.
const MAX_ITERATIONS: usize = 1024;

/// The iterated map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    QuaternionSqr,
    QuaternionCube,
    HypercomplexSqr,
}

/// A Julia fractal in its own space.
#[derive(Clone, Debug, PartialEq)]
pub struct Julia {
    rule: Rule,
    c: [f64; 4],
    slice: [f64; 4],
    slice_dist: f64,
    iterations: usize,
    precision: f64,
    exit_value: f64,
    radius2: f64,
}

/// The orbit of a point: `z_0 ..= z_n` (only as far as it was computed).
struct Orbit {
    z: Vec<[f64; 4]>,
}

impl Julia {
    /// The render form of `desc`; functions other than sqr and cube fall back to
    /// sqr (the builder warns).
    pub fn new(desc: &JuliaDesc) -> Julia {
        let rule = match (desc.algebra, desc.function) {
            (JuliaAlgebra::Quaternion, JuliaFunction::Cube) => Rule::QuaternionCube,
            (JuliaAlgebra::Quaternion, JuliaFunction::Sqr | JuliaFunction::Other) => {
                Rule::QuaternionSqr
            }
            (JuliaAlgebra::Hypercomplex, _) => Rule::HypercomplexSqr,
        };
        let (radius, exit_value) = match desc.algebra {
            JuliaAlgebra::Quaternion => {
                let c = desc.parameter;
                let r = (1.0
                    + (c[0] * c[0] + c[1] * c[1] + c[2] * c[2] + c[3] * c[3]).sqrt()
                    + FRACTAL_TOLERANCE)
                    .min(2.0);
                (r, r * r + FRACTAL_TOLERANCE)
            }
            JuliaAlgebra::Hypercomplex => (4.0, 16.0),
        };
        Julia {
            rule,
            c: desc.parameter,
            slice: desc.slice,
            slice_dist: desc.slice_distance,
            iterations: desc.max_iteration.clamp(1, MAX_ITERATIONS),
            precision: desc.precision,
            exit_value,
            radius2: radius * radius,
        }
    }

    pub fn bounds(&self) -> Aabb {
        let r = self.radius2.sqrt();
        Aabb::new(DVec3::splat(-r), DVec3::splat(r))
    }

    /// The 4-D point a 3-D point stands for (on the slice hyperplane).
    fn lift(&self, p: DVec3) -> [f64; 4] {
        let s = self.slice;
        [
            p.x,
            p.y,
            p.z,
            (self.slice_dist - s[0] * p.x - s[1] * p.y - s[2] * p.z) / s[3],
        ]
    }

    /// One step of the map.
    fn step(&self, z: [f64; 4]) -> [f64; 4] {
        let [x, y, zz, w] = z;
        let c = self.c;
        match self.rule {
            Rule::QuaternionSqr => {
                let d = y * y + zz * zz + w * w;
                let x2 = 2.0 * x;
                [
                    x * x - d + c[0],
                    x2 * y + c[1],
                    x2 * zz + c[2],
                    x2 * w + c[3],
                ]
            }
            Rule::QuaternionCube => {
                let d = y * y + zz * zz + w * w;
                let x2 = x * x;
                let t = 3.0 * x2 - d;
                [
                    x * (x2 - 3.0 * d) + c[0],
                    y * t + c[1],
                    zz * t + c[2],
                    w * t + c[3],
                ]
            }
            Rule::HypercomplexSqr => [
                x * x + w * w - (y * y + zz * zz) + c[0],
                2.0 * (x * y - zz * w) + c[1],
                2.0 * (x * zz - w * y) + c[2],
                2.0 * (x * w + y * zz) + c[3],
            ],
        }
    }

    /// Iterates from `p`; true if the orbit stays bounded for every iteration.
    /// The orbit up to the escape is left in `orbit`, with the escaping norm.
    fn iterate(&self, p: DVec3, orbit: &mut Orbit) -> (bool, f64) {
        orbit.z.clear();
        let mut z = self.lift(p);
        orbit.z.push(z);
        for _ in 1..=self.iterations {
            let norm = z.iter().map(|v| v * v).sum::<f64>();
            if norm > self.exit_value {
                return (false, norm);
            }
            z = self.step(z);
            orbit.z.push(z);
        }
        (true, 0.0)
    }

    /// [`Julia::iterate`] plus the step to take along `d`: the distance estimate
    /// outside, `precision` inside.
    fn iterate_dist(&self, p: DVec3, d: DVec3, orbit: &mut Orbit) -> (bool, f64) {
        let (inside, norm) = self.iterate(p, orbit);
        if inside {
            return (true, self.precision);
        }
        let dist = match self.rule {
            Rule::QuaternionSqr => quaternion_estimate(orbit, norm, 2.0),
            Rule::QuaternionCube => quaternion_estimate(orbit, norm, 3.0),
            Rule::HypercomplexSqr => {
                let n = self.hyper_normal(orbit, orbit.z.len() - 1);
                let step = n.dot(d);
                if step < -HYPER_TOLERANCE {
                    let s = -2.0 * step;
                    if norm > self.precision * s && norm < 30.0 * self.precision * s {
                        norm / s
                    } else {
                        self.precision
                    }
                } else {
                    self.precision
                }
            }
        };
        (false, dist)
    }

    /// The crossings along `r` (object space). After each hit the search starts
    /// over from the hit point, as POV-Ray's shadow and refracted rays do (each is
    /// a new ray there), so the later hits are the ones POV-Ray finds.
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len2 = r.dir.length_squared();
        if len2 == 0.0 {
            return;
        }
        let inv_len = 1.0 / len2.sqrt();
        let d = r.dir * inv_len;
        let Some((depth_min, depth_max)) = sphere_span(r.origin, d, self.radius2) else {
            return;
        };
        if depth_max < FRACTAL_TOLERANCE {
            return;
        }
        let mut orbit = Orbit {
            z: Vec::with_capacity(self.iterations + 1),
        };
        let mut start = depth_min.max(FRACTAL_TOLERANCE);
        while out.len() < 4 {
            let Some(t) = self.first_hit(r.origin, d, start, depth_max, &mut orbit) else {
                return;
            };
            out.push_sorted(t * inv_len, 0, 0.0);
            start = t + FRACTAL_TOLERANCE;
        }
    }

    /// The first crossing at or beyond `depth` (unit-direction distance).
    fn first_hit(
        &self,
        o: DVec3,
        d: DVec3,
        mut depth: f64,
        depth_max: f64,
        orbit: &mut Orbit,
    ) -> Option<f64> {
        let mut next = o + d * depth;
        let (mut inside, mut dist) = self.iterate_dist(next, d, orbit);
        if inside {
            next += d * (2.0 * FRACTAL_TOLERANCE);
            depth += 2.0 * FRACTAL_TOLERANCE;
            if depth > depth_max {
                return None;
            }
            (inside, dist) = self.iterate_dist(next, d, orbit);
        }
        // Advance until the inside flag changes.
        let mut ip;
        loop {
            dist = dist.max(self.precision);
            depth += dist;
            if depth > depth_max {
                return None;
            }
            ip = next;
            next += d * dist;
            let (next_inside, dist_next) = self.iterate_dist(next, d, orbit);
            if next_inside != inside {
                depth -= dist;
                break;
            }
            dist = dist_next;
        }
        // Bisect down to the tolerance.
        while dist > FRACTAL_TOLERANCE {
            dist *= 0.5;
            let mid = ip + d * dist;
            if self.iterate(mid, orbit).0 == inside {
                ip = mid;
                depth += dist;
                if depth > depth_max {
                    return None;
                }
            }
        }
        if !inside {
            depth += dist;
        }
        Some(depth)
    }

    /// The normal at `p` (object space), from the orbit's derivative.
    pub fn normal(&self, p: DVec3) -> DVec3 {
        let mut orbit = Orbit {
            z: Vec::with_capacity(self.iterations + 1),
        };
        // The full orbit, as POV-Ray has it for the inside point it stops at.
        let mut z = self.lift(p);
        orbit.z.push(z);
        for _ in 0..self.iterations {
            z = self.step(z);
            orbit.z.push(z);
        }
        let n = match self.rule {
            Rule::QuaternionSqr => self.quaternion_normal(&orbit, false),
            Rule::QuaternionCube => self.quaternion_normal(&orbit, true),
            Rule::HypercomplexSqr => self.hyper_normal(&orbit, self.iterations),
        };
        if n.is_finite() && n.length_squared() > 0.0 {
            n
        } else {
            DVec3::Y
        }
    }

    /// The gradient of |z_n|² through the iteration's Jacobian (quaternions).
    fn quaternion_normal(&self, orbit: &Orbit, cube: bool) -> DVec3 {
        let mut rows = [
            [1.0, 0.0, 0.0, 0.0],
            [0.0, 1.0, 0.0, 0.0],
            [0.0, 0.0, 1.0, 0.0],
        ];
        for i in 1..=self.iterations {
            let [x, y, z, w] = orbit.z[i - 1];
            for n in rows.iter_mut() {
                if cube {
                    let tmp = y * y + z * z + w * w;
                    let x2 = x * x;
                    let (x3, x4) = (x2 - tmp, 3.0 * x2 - tmp);
                    let dtmp = 2.0 * (n[1] * y + n[2] * z + n[3] * w);
                    let dtmp2 = 6.0 * x * n[0] - dtmp;
                    *n = [
                        (n[0] * x3 - x * dtmp) * 3.0,
                        n[1] * x4 + y * dtmp2,
                        n[2] * x4 + z * dtmp2,
                        n[3] * x4 + w * dtmp2,
                    ];
                } else {
                    *n = [
                        n[0] * x - n[1] * y - n[2] * z - n[3] * w,
                        n[0] * y + x * n[1],
                        n[0] * z + x * n[2],
                        n[0] * w + x * n[3],
                    ];
                }
            }
        }
        let zn = orbit.z[self.iterations];
        let dot = |n: &[f64; 4]| n[0] * zn[0] + n[1] * zn[1] + n[2] * zn[2] + n[3] * zn[3];
        DVec3::new(dot(&rows[0]), dot(&rows[1]), dot(&rows[2]))
    }

    /// POV-Ray's hypercomplex normal from the first `n_max` steps of the orbit.
    fn hyper_normal(&self, orbit: &Orbit, n_max: usize) -> DVec3 {
        let [mut x, mut y, mut z, mut w] = orbit.z[0];
        let mut pow = 2.0;
        for i in 1..n_max {
            let [a, b, c, d] = orbit.z[i];
            (x, y, z, w) = (
                a * x - b * y - c * z + d * w,
                b * x + a * y - d * z - c * w,
                c * x - d * y + a * z - b * w,
                d * x + c * y + b * z + a * w,
            );
            pow *= 2.0;
        }
        let zn = orbit.z[n_max];
        let (n1, n2, n3, n4) = (zn[0] * pow, zn[1] * pow, zn[2] * pow, zn[3] * pow);
        DVec3::new(
            x * n1 + y * n2 + z * n3 + w * n4,
            -y * n1 + x * n2 - w * n3 + z * n4,
            -z * n1 - w * n2 + x * n3 + y * n4,
        )
    }

    /// Whether `p` belongs to the set.
    pub fn inside(&self, p: DVec3) -> bool {
        let mut orbit = Orbit {
            z: Vec::with_capacity(self.iterations + 1),
        };
        self.iterate(p, &mut orbit).0
    }
}

/// The quaternion distance estimate `|z_n| / |z_n'| log |z_n|` (POV-Ray's form).
fn quaternion_estimate(orbit: &Orbit, norm: f64, power: f64) -> f64 {
    let zs = &orbit.z;
    let [mut x, mut y, mut z, mut w] = zs[0];
    let mut pow = 1.0 / power;
    // zs[1..] are the iterates up to the one that escaped.
    for s in &zs[1..] {
        let (xx, yy, zz, ww) = (
            x * s[0] - y * s[1] - z * s[2] - w * s[3],
            x * s[1] + y * s[0] - z * s[3] + w * s[2],
            x * s[2] + y * s[3] + z * s[0] - w * s[1],
            x * s[3] - y * s[2] + z * s[1] + w * s[0],
        );
        (x, y, z, w) = (xx, yy, zz, ww);
        pow /= power;
    }
    pow * (norm / (x * x + y * y + z * z + w * w)).sqrt() * norm.ln()
}

/// Entry and exit of a unit ray through the bounding sphere at the origin.
fn sphere_span(o: DVec3, d: DVec3, r2: f64) -> Option<(f64, f64)> {
    let oc = -o;
    let oc2 = oc.length_squared();
    let tca = oc.dot(d);
    if oc2 >= r2 && tca < EPSILON {
        return None;
    }
    let half2 = r2 - oc2 + tca * tca;
    if half2 <= EPSILON {
        return None;
    }
    let h = half2.sqrt();
    Some((tca - h, tca + h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn julia(algebra: JuliaAlgebra) -> Julia {
        Julia::new(&JuliaDesc {
            parameter: [-0.083, 0.0, -0.83, -0.025],
            algebra,
            function: JuliaFunction::Sqr,
            max_iteration: 8,
            precision: 1.0 / 20.0,
            slice: [0.0, 0.0, 0.0, 1.0],
            slice_distance: 0.0,
        })
    }

    #[test]
    fn a_ray_through_the_middle_hits_the_set() {
        for alg in [JuliaAlgebra::Quaternion, JuliaAlgebra::Hypercomplex] {
            let j = julia(alg);
            let mut out = ShapeHits::default();
            j.intersect(&Ray::new(DVec3::new(0.0, 0.0, -5.0), DVec3::Z), &mut out);
            let first = out.iter().next().expect("a hit").0;
            let p = DVec3::new(0.0, 0.0, -5.0 + first);
            // Just inside at the hit, outside a little before it.
            assert!(j.inside(p + DVec3::Z * 1e-6), "{alg:?} at {p}");
            assert!(!j.inside(p - DVec3::Z * 1e-3), "{alg:?} at {p}");
            assert!(j.normal(p).is_finite());
        }
    }
}
