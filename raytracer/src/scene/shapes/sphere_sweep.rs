//! The sphere sweep: a sphere moving along a spline (linear, Catmull-Rom or
//! B-spline through its modelling spheres) with an interpolated radius,
//! intersected as POV-Ray 3.7's `sphsweep.cpp` does. The ray meets a single
//! sphere at every joint, each segment's two closing planes, and each
//! segment's envelope, found as the roots in `u` of the polynomial whose double
//! roots in `t` are the tangent spheres (degree 2 for a line, 10 for a cubic).
//! Sorted, the crossings that lie inside another part are dropped by counting
//! entries and exits, POV-Ray's rule for which hit counts.

use glam::DVec3;

use super::ShapeHits;
use crate::desc::shapes::{SphereSweep as Desc, SweepSpline};
use crate::scene::geometry::{Aabb, Ray};
use crate::scene::solver::{self, MAX_DISTANCE};

/// POV-Ray's `EPSILON`.
const EPSILON: f64 = 1.0e-10;
/// Below this the envelope's t-derivative is too flat to solve for t directly.
const ZERO_TOLERANCE: f64 = 1.0e-4;
/// The tolerance POV-Ray's sweep passes its polynomial solver.
const SOLVER_TOLERANCE: f64 = 1.0e-10;

/// The u-quantisation of an envelope hit's part (its normal needs `u` back).
const U_STEPS: f64 = ((1u32 << 18) - 1) as f64;
const KIND_SHIFT: u32 = 30;
const KIND_SPHERE: u32 = 0;
const KIND_CLOSE_START: u32 = 1;
const KIND_CLOSE_END: u32 = 2;
const KIND_SIDE: u32 = 3;
/// An envelope hit's segment index bits (above the 18 bits of u).
const SIDE_SEGMENT_MASK: u32 = (1 << 12) - 1;
/// The segments whose side hits carry their own index (the builder warns past it).
pub const MAX_SHADED_SEGMENTS: usize = SIDE_SEGMENT_MASK as usize + 1;

const CATMULL_ROM: [[f64; 4]; 4] = [
    [0.0, 1.0, 0.0, 0.0],
    [-0.5, 0.0, 0.5, 0.0],
    [1.0, -2.5, 2.0, -0.5],
    [-0.5, 1.5, -1.5, 0.5],
];
const B_SPLINE: [[f64; 4]; 4] = [
    [1.0 / 6.0, 4.0 / 6.0, 1.0 / 6.0, 0.0],
    [-0.5, 0.0, 0.5, 0.0],
    [0.5, -1.0, 0.5, 0.0],
    [-1.0 / 6.0, 0.5, -0.5, 1.0 / 6.0],
];

#[derive(Clone, Copy, Debug, PartialEq)]
struct Ball {
    center: DVec3,
    radius: f64,
}

/// One segment: centre and radius as polynomials in u on [0, 1].
#[derive(Clone, Debug, PartialEq)]
struct Segment {
    /// Coefficients of u^0.. (2 for linear, 4 for cubic).
    center: Vec<DVec3>,
    radius: Vec<f64>,
    /// The spheres at u = 0 and u = 1.
    closing: [Ball; 2],
    /// d/du of centre and radius at u = 0 and u = 1.
    center_deriv: [DVec3; 2],
    radius_deriv: [f64; 2],
}

impl Segment {
    fn new(center: Vec<DVec3>, radius: Vec<f64>) -> Segment {
        let start = Ball {
            center: center[0],
            radius: radius[0],
        };
        let end = Ball {
            center: center.iter().sum(),
            radius: radius.iter().sum(),
        };
        let mut end_deriv = (center[1], radius[1]);
        for k in 2..center.len() {
            end_deriv.0 += center[k] * k as f64;
            end_deriv.1 += radius[k] * k as f64;
        }
        Segment {
            closing: [start, end],
            center_deriv: [center[1], end_deriv.0],
            radius_deriv: [radius[1], end_deriv.1],
            center,
            radius,
        }
    }

    fn at(&self, u: f64) -> Ball {
        let mut c = DVec3::ZERO;
        let mut r = 0.0;
        let mut k = 1.0;
        for (cc, rc) in self.center.iter().zip(&self.radius) {
            c += *cc * k;
            r += rc * k;
            k *= u;
        }
        Ball {
            center: c,
            radius: r,
        }
    }

    fn is_cubic(&self) -> bool {
        self.center.len() == 4
    }
}

/// A crossing before validation: its distance, its normal (for the entry or
/// exit test) and the part it is reported with.
#[derive(Clone, Copy, Debug)]
struct Crossing {
    t: f64,
    normal: DVec3,
    part: u32,
}

/// A sphere sweep ready to trace.
#[derive(Clone, Debug, PartialEq)]
pub struct SphereSweep {
    spheres: Vec<Ball>,
    segments: Vec<Segment>,
    tolerance: f64,
    bounds: Aabb,
}

impl SphereSweep {
    /// The sweep of `d`'s modelling spheres (the parser has checked there are
    /// enough of them for its spline).
    pub fn new(d: &Desc) -> SphereSweep {
        let m: Vec<Ball> = d
            .spheres
            .iter()
            .map(|&(center, radius)| Ball { center, radius })
            .collect();
        let segments: Vec<Segment> = match d.spline {
            SweepSpline::Linear => m
                .windows(2)
                .map(|w| {
                    Segment::new(
                        vec![w[0].center, w[1].center - w[0].center],
                        vec![w[0].radius, w[1].radius - w[0].radius],
                    )
                })
                .collect(),
            SweepSpline::CatmullRom => cubic_segments(&m, &CATMULL_ROM),
            SweepSpline::BSpline => cubic_segments(&m, &B_SPLINE),
        };
        let mut spheres: Vec<Ball> = segments.iter().map(|s| s.closing[0]).collect();
        if let Some(last) = segments.last() {
            spheres.push(last.closing[1]);
        }
        // POV-Ray's box: the modelling spheres, twice as wide for Catmull-Rom,
        // whose curve may swing out past them.
        let grow = if d.spline == SweepSpline::CatmullRom {
            2.0
        } else {
            1.0
        };
        let mut min = DVec3::splat(f64::INFINITY);
        let mut max = DVec3::splat(f64::NEG_INFINITY);
        for b in &m {
            min = min.min(b.center - DVec3::splat(grow * b.radius));
            max = max.max(b.center + DVec3::splat(grow * b.radius));
        }
        SphereSweep {
            spheres,
            segments,
            tolerance: d.tolerance,
            bounds: Aabb::new(min, max),
        }
    }

    pub fn bounds(&self) -> Aabb {
        self.bounds
    }

    /// Most crossings POV-Ray collects for one ray (more are dropped).
    fn max_crossings(&self) -> usize {
        (self.spheres.len() + self.segments.len()) * 2 + 64
    }

    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 {
            return;
        }
        let ray = Ray::new(r.origin, r.dir / len);
        let cap = self.max_crossings();
        let mut all: Vec<Crossing> = Vec::new();
        for (i, s) in self.spheres.iter().enumerate() {
            if let Some(pair) = sphere_crossings(&ray, *s, part(KIND_SPHERE, i as u32)) {
                if all.len() + 2 <= cap {
                    all.extend(pair.into_iter().filter(|c| c.t.abs() < MAX_DISTANCE));
                }
            }
        }
        let mut seg_hits = Vec::new();
        for (i, seg) in self.segments.iter().enumerate() {
            seg_hits.clear();
            segment_crossings(&ray, seg, i as u32, &mut seg_hits);
            if all.len() + seg_hits.len() <= cap {
                all.extend_from_slice(&seg_hits);
            }
        }
        if all.is_empty() {
            return;
        }
        all.sort_by(|a, b| a.t.total_cmp(&b.t));
        keep_outer_crossings(&mut all, ray.dir);
        for c in &all {
            let t = c.t / len;
            if t > self.tolerance {
                out.push_sorted(t, c.part, 0.0);
            }
        }
    }

    /// The outward normal (not normalised) at `p` on `part`.
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        let kind = part >> KIND_SHIFT;
        let index = part & ((1 << KIND_SHIFT) - 1);
        match kind {
            KIND_SPHERE => {
                let b = self.spheres[index as usize];
                (p - b.center) / b.radius
            }
            KIND_CLOSE_START => -self.segments[index as usize].center_deriv[0],
            KIND_CLOSE_END => self.segments[index as usize].center_deriv[1],
            _ => {
                let seg = &self.segments[((index >> 18) & SIDE_SEGMENT_MASK) as usize];
                let u = f64::from(index & ((1 << 18) - 1)) / U_STEPS;
                let b = seg.at(u);
                if seg.is_cubic() && b.radius < 0.0 {
                    b.center - p
                } else {
                    p - b.center
                }
            }
        }
    }

    /// POV-Ray's inside test: some segment's sphere family has a member
    /// passing through `p` at a u in [0, 1].
    pub fn inside(&self, p: DVec3) -> bool {
        self.segments.iter().any(|seg| {
            let v = p - seg.center[0];
            let (cc, rc) = (&seg.center, &seg.radius);
            let roots = if seg.is_cubic() {
                let c = [
                    cc[3].dot(cc[3]) - rc[3] * rc[3],
                    2.0 * (cc[3].dot(cc[2]) - rc[3] * rc[2]),
                    2.0 * cc[3].dot(cc[1]) + cc[2].dot(cc[2]) - 2.0 * rc[3] * rc[1] - rc[2] * rc[2],
                    -2.0 * (cc[3].dot(v) - cc[2].dot(cc[1]) + rc[3] * rc[0] + rc[2] * rc[1]),
                    -2.0 * (cc[2].dot(v) + rc[2] * rc[0]) + cc[1].dot(cc[1]) - rc[1] * rc[1],
                    -2.0 * (cc[1].dot(v) + rc[1] * rc[0]),
                    v.dot(v) - rc[0] * rc[0],
                ];
                bezier_01(&c)
            } else {
                let c = [
                    cc[1].dot(cc[1]) - rc[1] * rc[1],
                    -2.0 * (v.dot(cc[1]) + rc[0] * rc[1]),
                    v.dot(v) - rc[0] * rc[0],
                ];
                solver::solve_polynomial(&c, true, SOLVER_TOLERANCE)
            };
            roots.as_slice().iter().any(|u| (0.0..=1.0).contains(u))
        })
    }
}

fn part(kind: u32, index: u32) -> u32 {
    (kind << KIND_SHIFT) | (index & ((1 << KIND_SHIFT) - 1))
}

fn side_part(segment: u32, u: f64) -> u32 {
    let q = (u.clamp(0.0, 1.0) * U_STEPS).round() as u32;
    part(KIND_SIDE, ((segment & SIDE_SEGMENT_MASK) << 18) | q)
}

/// The cubic segments of spline matrix `m` over each four consecutive spheres.
fn cubic_segments(spheres: &[Ball], m: &[[f64; 4]; 4]) -> Vec<Segment> {
    spheres
        .windows(4)
        .map(|w| {
            let mut center = vec![DVec3::ZERO; 4];
            let mut radius = vec![0.0; 4];
            for coef in 0..4 {
                for (k, b) in w.iter().enumerate() {
                    center[coef] += b.center * m[coef][k];
                    radius[coef] += b.radius * m[coef][k];
                }
            }
            Segment::new(center, radius)
        })
        .collect()
}

/// Both crossings of a sphere (unit direction), POV-Ray's test: none when the
/// ray starts outside and points away, or only grazes it.
fn sphere_crossings(ray: &Ray, b: Ball, part: u32) -> Option<[Crossing; 2]> {
    let oc = b.center - ray.origin;
    let oc2 = oc.length_squared();
    let closest = oc.dot(ray.dir);
    let r2 = b.radius * b.radius;
    if oc2 >= r2 && closest < EPSILON {
        return None;
    }
    let half2 = r2 - oc2 + closest * closest;
    if half2 <= EPSILON {
        return None;
    }
    let half = half2.sqrt();
    let crossing = |t: f64| Crossing {
        t,
        normal: (ray.at(t) - b.center) / b.radius,
        part,
    };
    Some([crossing(closest - half), crossing(closest + half)])
}

/// A segment's crossings: its closing planes (inside their spheres) and its
/// envelope.
fn segment_crossings(ray: &Ray, seg: &Segment, index: u32, out: &mut Vec<Crossing>) {
    for end in 0..2 {
        let deriv = seg.center_deriv[end];
        let dot1 = ray.dir.dot(deriv);
        if dot1.abs() <= EPSILON {
            continue;
        }
        let ball = seg.closing[end];
        let dot2 = (ray.origin - ball.center).dot(deriv);
        let t = -(dot2 + ball.radius * seg.radius_deriv[end]) / dot1;
        if t.abs() < MAX_DISTANCE {
            let p = ray.at(t);
            if (p - ball.center).length_squared() < ball.radius * ball.radius {
                let (kind, normal) = if end == 0 {
                    (KIND_CLOSE_START, -deriv)
                } else {
                    (KIND_CLOSE_END, deriv)
                };
                out.push(Crossing {
                    t,
                    normal: normal.normalize(),
                    part: part(kind, index),
                });
            }
        }
    }
    if seg.is_cubic() {
        cubic_envelope(ray, seg, index, out);
    } else {
        linear_envelope(ray, seg, index, out);
    }
}

/// The tangent sphere at `u`'s two crossings.
fn tangent_sphere(ray: &Ray, seg: &Segment, index: u32, u: f64, out: &mut Vec<Crossing>) {
    if let Some(pair) = sphere_crossings(ray, seg.at(u), side_part(index, u)) {
        out.extend(pair);
    }
}

/// A cone segment: with `a = 1`, `t² + b t u + c t + d u² + e u + f = 0` and its
/// u-derivative give a quadratic in u.
fn linear_envelope(ray: &Ray, seg: &Segment, index: u32, out: &mut Vec<Crossing>) {
    let (cc, rc) = (&seg.center, &seg.radius);
    let v = ray.origin - cc[0];
    let b = -2.0 * cc[1].dot(ray.dir);
    let c = 2.0 * v.dot(ray.dir);
    let d = cc[1].dot(cc[1]) - rc[1] * rc[1];
    let e = -2.0 * (v.dot(cc[1]) + rc[0] * rc[1]);
    let f = v.dot(v) - rc[0] * rc[0];
    let coef = [
        4.0 * d * d - b * b * d,
        4.0 * d * e - 2.0 * b * c * d,
        e * e - b * c * e + b * b * f,
    ];
    let roots = solver::solve_polynomial(&coef, true, SOLVER_TOLERANCE);
    for &u in roots.as_slice() {
        if !(0.0..=1.0).contains(&u) {
            continue;
        }
        let fp0 = 2.0 * d * u + e;
        if b.abs() > ZERO_TOLERANCE {
            let t = -fp0 / b;
            if t.abs() < MAX_DISTANCE {
                let p = ray.at(t);
                let center = cc[0] + cc[1] * u;
                out.push(Crossing {
                    t,
                    normal: (p - center).normalize(),
                    part: side_part(index, u),
                });
            }
        } else {
            tangent_sphere(ray, seg, index, u, out);
        }
    }
}

/// A cubic segment: the degree-10 polynomial in u whose roots are the spheres
/// the ray touches; each is intersected as a sphere (POV-Ray's workaround for
/// its FS#81, which solving for t directly got wrong).
fn cubic_envelope(ray: &Ray, seg: &Segment, index: u32, out: &mut Vec<Crossing>) {
    let (cc, rc) = (&seg.center, &seg.radius);
    let v = ray.origin - cc[0];
    let b = -2.0 * cc[3].dot(ray.dir);
    let c = -2.0 * cc[2].dot(ray.dir);
    let d = -2.0 * cc[1].dot(ray.dir);
    let e = 2.0 * v.dot(ray.dir);
    let f = cc[3].dot(cc[3]) - rc[3] * rc[3];
    let g = 2.0 * (cc[3].dot(cc[2]) - rc[3] * rc[2]);
    let h = 2.0 * cc[3].dot(cc[1]) + cc[2].dot(cc[2]) - 2.0 * rc[3] * rc[1] - rc[2] * rc[2];
    let i = -2.0 * (cc[3].dot(v) - cc[2].dot(cc[1]) + rc[3] * rc[0] + rc[2] * rc[1]);
    let j = -2.0 * (cc[2].dot(v) + rc[2] * rc[0]) + cc[1].dot(cc[1]) - rc[1] * rc[1];
    let k = -2.0 * (cc[1].dot(v) + rc[1] * rc[0]);
    let l = v.dot(v) - rc[0] * rc[0];
    let (b2, c2, d2) = (b * b, c * c, d * d);
    let coef = [
        36.0 * f * f - 9.0 * f * b2,
        60.0 * f * g - 6.0 * g * b2 - 18.0 * b * c * f,
        48.0 * f * h + 25.0 * g * g
            - 3.0 * h * b2
            - 13.0 * b * c * g
            - 8.0 * f * c2
            - 18.0 * b * d * f,
        36.0 * f * i + 40.0 * g * h
            - 18.0 * b * f * e
            - 8.0 * b * c * h
            - 6.0 * g * c2
            - 14.0 * b * d * g
            - 14.0 * c * d * f,
        24.0 * f * j + 30.0 * g * i + 16.0 * h * h - 15.0 * b * g * e - 12.0 * c * f * e
            + 3.0 * j * b2
            - 3.0 * b * c * i
            - 4.0 * h * c2
            - 10.0 * b * d * h
            - 11.0 * c * d * g
            - 5.0 * f * d2,
        12.0 * f * k + 20.0 * g * j + 24.0 * h * i
            - 12.0 * b * h * e
            - 10.0 * c * g * e
            - 6.0 * d * f * e
            + 6.0 * k * b2
            + 2.0 * b * c * j
            - 2.0 * i * c2
            - 6.0 * b * d * i
            - 8.0 * c * d * h
            - 4.0 * g * d2,
        10.0 * g * k + 16.0 * h * j + 9.0 * i * i
            - 9.0 * b * i * e
            - 8.0 * c * h * e
            - 5.0 * d * g * e
            + 9.0 * l * b2
            + 7.0 * b * c * k
            - 2.0 * b * d * j
            - 5.0 * c * d * i
            - 3.0 * h * d2,
        8.0 * h * k + 12.0 * i * j - 6.0 * b * j * e - 6.0 * c * i * e - 4.0 * d * h * e
            + 12.0 * b * c * l
            + 2.0 * k * c2
            + 2.0 * b * d * k
            - 2.0 * c * d * j
            - 2.0 * i * d2,
        6.0 * i * k + 4.0 * j * j - 3.0 * b * k * e - 4.0 * c * j * e - 3.0 * d * i * e
            + 4.0 * l * c2
            + 6.0 * b * d * l
            + c * d * k
            - j * d2,
        4.0 * j * k - 2.0 * c * k * e - 2.0 * d * j * e + 4.0 * c * d * l,
        k * k - d * k * e + l * d2,
    ];
    let roots = bezier_01(&coef);
    for &u in roots.as_slice() {
        if (0.0..=1.0).contains(&u) {
            tangent_sphere(ray, seg, index, u, out);
        }
    }
}

/// POV-Ray's shortcut before solving a degree 6 or 10 polynomial on [0, 1]:
/// if its Bernstein coefficients all have one sign it has no root there.
fn bezier_01(coef: &[f64]) -> solver::PolyRoots {
    const LCM_6: [f64; 7] = [60.0, 10.0, 4.0, 3.0, 4.0, 10.0, 60.0];
    const LCM_10: [f64; 11] = [
        2520.0, 252.0, 56.0, 21.0, 12.0, 10.0, 12.0, 21.0, 56.0, 252.0, 2520.0,
    ];
    let degree = coef.len() - 1;
    let lcm: &[f64] = if degree == 6 { &LCM_6 } else { &LCM_10 };
    let mut d = [0.0; 11];
    for i in 0..=degree {
        d[i] = coef[i] * lcm[i];
    }
    let (mut non_negative, mut non_positive) = (true, true);
    for i in 0..=degree {
        non_negative = non_negative && d[degree - i] >= 0.0;
        non_positive = non_positive && d[degree - i] <= 0.0;
        if !(non_negative || non_positive) {
            return solver::solve_polynomial(coef, true, SOLVER_TOLERANCE);
        }
        for j in 0..degree - i {
            d[j] += d[j + 1];
        }
    }
    solver::PolyRoots::default()
}

/// POV-Ray's `Find_Valid_Points`: walking the sorted crossings (the first and
/// last always kept), an entry counts only from outside every part and an exit
/// only into the outside.
fn keep_outer_crossings(all: &mut Vec<Crossing>, dir: DVec3) {
    let mut inside = 1i32;
    let mut i = 1;
    while i + 1 < all.len() {
        let keep = if all[i].normal.dot(dir) < 0.0 {
            let k = inside == 0;
            inside += 1;
            k
        } else {
            let k = inside == 1;
            inside -= 1;
            k
        };
        if keep {
            i += 1;
        } else {
            all.remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(spline: SweepSpline, spheres: &[([f64; 3], f64)]) -> SphereSweep {
        SphereSweep::new(&Desc {
            spline,
            spheres: spheres.iter().map(|&(c, r)| (DVec3::from(c), r)).collect(),
            tolerance: 1e-6,
        })
    }

    fn ts(s: &SphereSweep, o: [f64; 3], d: [f64; 3]) -> Vec<f64> {
        let mut out = ShapeHits::default();
        s.intersect(&Ray::new(DVec3::from(o), DVec3::from(d)), &mut out);
        out.iter().map(|h| h.0).collect()
    }

    #[test]
    fn a_linear_sweep_of_equal_spheres_is_a_capsule() {
        let s = sweep(
            SweepSpline::Linear,
            &[([-1.0, 0.0, 0.0], 0.5), ([1.0, 0.0, 0.0], 0.5)],
        );
        // Across the middle: the cylinder's sides.
        let t = ts(&s, [0.0, 0.0, -5.0], [0.0, 0.0, 1.0]);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(
            (t[0] - 4.5).abs() < 1e-9 && (t[1] - 5.5).abs() < 1e-9,
            "{t:?}"
        );
        // Along the axis: only the outer caps of the end spheres, the inner
        // crossings dropped; a direction of length 2 keeps t in the caller's scale.
        let t = ts(&s, [-5.0, 0.0, 0.0], [2.0, 0.0, 0.0]);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(
            (t[0] - 1.75).abs() < 1e-9 && (t[1] - 3.25).abs() < 1e-9,
            "{t:?}"
        );
        assert!(s.inside(DVec3::new(0.3, 0.2, 0.0)));
        assert!(!s.inside(DVec3::new(0.0, 0.6, 0.0)));
        let n = s.normal(DVec3::new(0.0, 0.0, -0.5), side_part(0, 0.5));
        assert!(
            (n.normalize() - DVec3::new(0.0, 0.0, -1.0)).length() < 1e-5,
            "{n:?}"
        );
    }

    #[test]
    fn a_cone_segment_meets_its_tangent_surface() {
        // From radius 1 to 0.5 over 4 units: the tangent cone at the middle is
        // a little wider than the mean radius because it touches off-centre.
        let s = sweep(
            SweepSpline::Linear,
            &[([0.0, -2.0, 0.0], 1.0), ([0.0, 2.0, 0.0], 0.5)],
        );
        let t = ts(&s, [0.0, 0.0, -5.0], [0.0, 0.0, 1.0]);
        assert_eq!(t.len(), 2, "{t:?}");
        let r = 5.0 - t[0];
        assert!(r > 0.75 && r < 0.8, "{r}");
    }

    #[test]
    fn cubic_sweeps_pass_through_or_near_their_spheres() {
        let pts = [
            ([-3.0, 0.0, 0.0], 0.3),
            ([-1.0, 0.0, 0.0], 0.3),
            ([1.0, 0.0, 0.0], 0.3),
            ([3.0, 0.0, 0.0], 0.3),
        ];
        for spline in [SweepSpline::CatmullRom, SweepSpline::BSpline] {
            let s = sweep(spline, &pts);
            let t = ts(&s, [0.0, 0.0, -5.0], [0.0, 0.0, 1.0]);
            assert_eq!(t.len(), 2, "{spline:?}: {t:?}");
            assert!((t[0] - 4.7).abs() < 1e-6, "{spline:?}: {t:?}");
            assert!(s.inside(DVec3::new(0.2, 0.0, 0.0)));
            assert!(!s.inside(DVec3::new(0.0, 0.35, 0.0)));
        }
    }

    #[test]
    fn the_bernstein_sign_test_skips_rootless_polynomials() {
        // (u + 1)^6 has no root in [0, 1].
        let c = [1.0, 6.0, 15.0, 20.0, 15.0, 6.0, 1.0];
        assert!(bezier_01(&c).as_slice().is_empty());
        // (u - 0.5)(u + 1)(u + 2)(u + 3)(u + 4)(u + 5) has one.
        let mut c = vec![1.0];
        for r in [0.5, -1.0, -2.0, -3.0, -4.0, -5.0] {
            let mut next = vec![0.0; c.len() + 1];
            for (i, v) in c.iter().enumerate() {
                next[i] += v;
                next[i + 1] -= r * v;
            }
            c = next;
        }
        let roots = bezier_01(&c);
        assert!(
            roots.as_slice().iter().any(|u| (u - 0.5).abs() < 1e-6),
            "{:?} {c:?}",
            roots.as_slice()
        );
    }
}
