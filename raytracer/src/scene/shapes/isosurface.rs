//! The isosurface: where a function crosses its threshold inside a container, found
//! as POV-Ray 3.7 finds it (R. Suzuki's method): the segment of the ray inside the
//! container is halved recursively, and a half is dropped as soon as the Lipschitz
//! bound `max_gradient` proves the function cannot reach the threshold there.
//!
//! POV-Ray also skips segments using a per-thread cache of the previous ray's
//! search and, with `evaluate`, raises a shared `max_gradient` as rays find steeper
//! parts. Both make a pixel depend on which rays a thread traced before it, so here
//! the cache is left out (it only ever skips segments the bound already rules
//! out) and `evaluate` starts every ray from the bound POV-Ray's shared value
//! settles at — `P1²` times the steepest slope — estimated once, at build, by
//! sampling the function over the container.

use glam::DVec3;

use super::ShapeHits;
use crate::desc::isosurface::{Container as DescContainer, Isosurface as Desc};
use crate::function::FunctionRef;
use crate::scene::geometry::{Aabb, Ray};

/// POV-Ray's `BOUND_HUGE`: the far end of an unbounded segment.
const BOUND_HUGE: f64 = 2.0e10;
/// Direction components smaller than this are parallel to a box face (POV-Ray's
/// `EPSILON` in its box test).
const PARALLEL: f64 = 1.0e-10;
/// Hit part of the function's surface; container sides are 1..=6 (box) and 7.
const PART_SURFACE: u32 = 0;
const PART_SPHERE: u32 = 7;

/// The containing shape in the isosurface's own space.
#[derive(Clone, Debug, PartialEq)]
enum Container {
    Box { min: DVec3, max: DVec3 },
    Sphere { center: DVec3, radius: f64 },
}

/// An isosurface ready to trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Isosurface {
    function: FunctionRef,
    container: Container,
    threshold: f64,
    accuracy: f64,
    max_gradient: f64,
    evaluate: Option<[f64; 3]>,
    max_trace: u32,
    closed: bool,
}

/// A function value at a ray parameter.
#[derive(Clone, Copy)]
struct Sample {
    t: f64,
    f: f64,
}

/// One ray's root search.
struct Search<'a> {
    iso: &'a Isosurface,
    ray: &'a Ray,
    /// +1 or -1: flips the function's sign after each crossing, so the search
    /// always looks for the function going below zero.
    sign: f64,
    max_gradient: f64,
    dir_len: f64,
}

impl Isosurface {
    pub fn from_desc(d: &Desc) -> Isosurface {
        let container = match d.container {
            DescContainer::Box { corner1, corner2 } => Container::Box {
                min: corner1.min(corner2),
                max: corner1.max(corner2),
            },
            DescContainer::Sphere { center, radius } => Container::Sphere {
                center,
                radius: radius.abs(),
            },
        };
        let mut iso = Isosurface {
            function: d.function.clone(),
            container,
            threshold: d.threshold,
            // A zero accuracy would never end the bisection.
            accuracy: if d.accuracy > 0.0 { d.accuracy } else { 0.001 },
            max_gradient: d.max_gradient,
            evaluate: d.evaluate,
            max_trace: d.max_trace.max(1),
            closed: d.closed,
        };
        if let Some(e) = d.evaluate {
            iso.max_gradient = iso.max_gradient.max(iso.steepest_slope() * e[1] * e[1]);
        }
        iso
    }

    /// The largest gradient magnitude found on a grid over the container
    /// (central differences; non-finite samples are skipped).
    fn steepest_slope(&self) -> f64 {
        const N: u32 = 16;
        let b = self.bounds();
        let size = b.max - b.min;
        let h = (size.max_element() / 256.0).max(1e-9);
        let slope = |p: DVec3| {
            let d = |axis: DVec3| {
                self.function.eval_point(p + axis * h) - self.function.eval_point(p - axis * h)
            };
            DVec3::new(d(DVec3::X), d(DVec3::Y), d(DVec3::Z)).length() / (2.0 * h)
        };
        let steps = (0..=N).map(|i| f64::from(i) / f64::from(N));
        let mut steepest: f64 = 0.0;
        for x in steps.clone() {
            for y in steps.clone() {
                for z in steps.clone() {
                    let p = b.min + size * DVec3::new(x, y, z);
                    let g = if self.container_inside(p) {
                        slope(p)
                    } else {
                        0.0
                    };
                    if g.is_finite() {
                        steepest = steepest.max(g);
                    }
                }
            }
        }
        steepest
    }

    /// The function minus the threshold: negative inside.
    #[inline]
    fn polar(&self, p: DVec3) -> f64 {
        self.function.eval_point(p) - self.threshold
    }

    fn inside_fn(&self, p: DVec3) -> bool {
        self.function.eval_point(p) < self.threshold
    }

    pub fn inside(&self, p: DVec3) -> bool {
        self.container_inside(p) && self.inside_fn(p)
    }

    fn container_inside(&self, p: DVec3) -> bool {
        match self.container {
            Container::Box { min, max } => p.cmpge(min).all() && p.cmple(max).all(),
            Container::Sphere { center, radius } => {
                (center - p).length_squared() <= radius * radius
            }
        }
    }

    pub fn bounds(&self) -> Aabb {
        match self.container {
            Container::Box { min, max } => Aabb::new(min, max),
            Container::Sphere { center, radius } => {
                Aabb::new(center - DVec3::splat(radius), center + DVec3::splat(radius))
            }
        }
    }

    /// The gradient by forward differences of `accuracy`, as POV-Ray takes it;
    /// the container's own normal where the hit is on the container.
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        match (part, &self.container) {
            (PART_SURFACE, _) => {
                let f = self.function.eval_point(p);
                let a = self.accuracy;
                let n = DVec3::new(
                    self.function.eval_point(p + DVec3::X * a) - f,
                    self.function.eval_point(p + DVec3::Y * a) - f,
                    self.function.eval_point(p + DVec3::Z * a) - f,
                );
                if n == DVec3::ZERO {
                    DVec3::X
                } else {
                    n.normalize_or_zero()
                }
            }
            (_, Container::Sphere { center, radius }) => (p - *center) / *radius,
            (side, Container::Box { .. }) => box_side_normal(side),
        }
    }

    /// The crossings of `r` (in the isosurface's space), as POV-Ray's
    /// `All_Intersections` finds them.
    pub fn hits(&self, r: &Ray, out: &mut ShapeHits, tolerance: f64) {
        let Some((mut d1, d2, side1, side2)) = self.container_hits(r) else {
            return;
        };
        d1 = d1.max(0.0);
        let mut s = Search {
            iso: self,
            ray: r,
            sign: 1.0,
            max_gradient: self.max_gradient,
            dir_len: r.dir.length(),
        };
        let acc = self.accuracy;
        let near = s.max_gradient * acc * 4.0;
        let mut traced = 0;
        // A container wall where the function is already inside; kept only if
        // the segment is long enough to search, as POV-Ray withdraws it otherwise.
        let mut wall = None;
        if self.closed {
            let f1 = self.polar(r.at(d1));
            if d1 > acc {
                if f1 < 0.0 {
                    wall = Some((d1, side1));
                    traced += 1;
                    s.sign = -s.sign;
                }
            } else {
                if f1 < near {
                    d1 = acc * 5.0;
                    if self.inside_fn(r.at(d1)) {
                        s.sign = -1.0;
                    }
                }
                if self.inside_fn(r.at(d2)) {
                    wall = Some((d2, side2));
                }
            }
        }
        let tmax = d2.min(BOUND_HUGE);
        let mut tmin = tmax.min(d1);
        if tmax - tmin < acc {
            return;
        }
        if let Some((t, side)) = wall {
            out.push(t, side, tolerance);
        }
        if tmin < acc && s.sign == 1.0 && (self.polar(r.at(tmin))).abs() < near {
            tmin = acc * 5.0;
            if self.inside_fn(r.at(tmin)) {
                s.sign = -1.0;
            }
        }
        while traced < self.max_trace {
            let Some(t) = s.find_root(tmin, tmax) else {
                break;
            };
            out.push(t, PART_SURFACE, tolerance);
            tmin = t + acc * 5.0;
            if tmax - tmin < acc {
                break;
            }
            s.sign = -s.sign;
            traced += 1;
        }
    }

    /// Entry and exit of the container along `r` (entry clipped at 0 for a box,
    /// as POV-Ray's box test starts at the ray origin) and the sides crossed.
    fn container_hits(&self, r: &Ray) -> Option<(f64, f64, u32, u32)> {
        match self.container {
            Container::Box { min, max } => box_span(r, min, max),
            Container::Sphere { center, radius } => {
                let len = r.dir.length();
                if len == 0.0 {
                    return None;
                }
                let d = r.dir / len;
                let oc = center - r.origin;
                let b = oc.dot(d);
                let disc = b * b - oc.length_squared() + radius * radius;
                if disc < 0.0 {
                    return None;
                }
                let s = disc.sqrt();
                let (t1, t2) = ((b - s) / len, (b + s) / len);
                (t2 > 1.0e-10).then_some((t1, t2, PART_SPHERE, PART_SPHERE))
            }
        }
    }
}

impl Search<'_> {
    /// The function along the ray with the current sign.
    fn at(&self, t: f64) -> f64 {
        self.sign * self.iso.polar(self.ray.at(t))
    }

    /// The first crossing in `[t1, t2]`, if the gradient bound allows one.
    fn find_root(&mut self, t1: f64, t2: f64) -> Option<f64> {
        let mut a = Sample {
            t: t1,
            f: self.at(t1),
        };
        if !self.iso.closed && a.f < 0.0 {
            self.sign = -self.sign;
            a.f = -a.f;
        }
        let b = Sample {
            t: t2,
            f: self.at(t2),
        };
        let span = t2 - t1;
        if let Some(e) = self.iso.evaluate {
            if self.max_gradient > e[0] {
                self.max_gradient *= e[2];
            }
        }
        let dt = self.max_gradient * self.dir_len * span;
        self.bisect(a, b, dt, span, 1.0 / (self.dir_len * span))
    }

    /// Halves `[a, b]` while the bound `dt` (gradient × length) cannot rule a
    /// crossing out; `len` is 1 / the segment's length in the isosurface's space.
    fn bisect(&mut self, a: Sample, b: Sample, mut dt: f64, span: f64, len: f64) -> Option<f64> {
        if let Some(e) = self.iso.evaluate {
            let slope = ((b.f - a.f) * len).abs();
            if self.max_gradient < slope * e[1] {
                self.max_gradient = slope * e[1] * e[1];
                dt = self.max_gradient * self.dir_len * span;
            }
        }
        if span < self.iso.accuracy {
            return (b.f < 0.0).then_some(b.t);
        }
        if a.f + b.f - dt >= 0.0 {
            return None;
        }
        let half = span * 0.5;
        let dt = dt * 0.5;
        let t = a.t + half;
        let mid = Sample { t, f: self.at(t) };
        self.bisect(a, mid, dt, half, len * 2.0)
            .or_else(|| self.bisect(mid, b, dt, half, len * 2.0))
    }
}

/// The outward normal of box side `side` (1: -x, 2: +x, 3: -y, 4: +y, 5: -z, 6: +z).
fn box_side_normal(side: u32) -> DVec3 {
    match side {
        1 => -DVec3::X,
        2 => DVec3::X,
        3 => -DVec3::Y,
        4 => DVec3::Y,
        5 => -DVec3::Z,
        _ => DVec3::Z,
    }
}

/// POV-Ray's box test from the ray origin on: the parameter span inside the box
/// and the sides where it enters and leaves.
fn box_span(r: &Ray, min: DVec3, max: DVec3) -> Option<(f64, f64, u32, u32)> {
    let (mut tmin, mut tmax) = (0.0f64, BOUND_HUGE);
    let (mut s1, mut s2) = (0u32, 0u32);
    for axis in 0..3 {
        let (o, d) = (r.origin[axis], r.dir[axis]);
        let (lo, hi) = (min[axis], max[axis]);
        let base = 1 + 2 * axis as u32;
        if d.abs() <= PARALLEL {
            if o < lo || o > hi {
                return None;
            }
            continue;
        }
        // Entering through the near face, leaving through the far one.
        let (near, far, near_side, far_side) = if d < 0.0 {
            ((hi - o) / d, (lo - o) / d, base + 1, base)
        } else {
            ((lo - o) / d, (hi - o) / d, base, base + 1)
        };
        if far < tmin {
            return None;
        }
        if far <= tmax {
            tmax = far;
            s2 = far_side;
        }
        if near >= tmin {
            if near > tmax {
                return None;
            }
            tmin = near;
            s1 = near_side;
        }
    }
    (tmax >= tmin && tmax > 1.0e-6).then_some((tmin, tmax, s1, s2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::{Binary, Expr, Function, Unary};

    /// sqrt(x² + y² + z²) - 0.5: a sphere of radius 0.5.
    fn ball() -> FunctionRef {
        let sq = |i| Expr::Unary(Unary::Sqr, Box::new(Expr::Param(i)));
        let add = |a, b| Expr::Binary(Binary::Add, Box::new(a), Box::new(b));
        let r = Expr::Unary(Unary::Sqrt, Box::new(add(add(sq(0), sq(1)), sq(2))));
        let e = Expr::Binary(Binary::Sub, Box::new(r), Box::new(Expr::Const(0.5)));
        Function::compile(&e, 3).expect("compiles")
    }

    #[test]
    fn finds_the_sphere_within_accuracy() {
        let iso = Isosurface::from_desc(&Desc::new(ball()));
        let r = Ray::new(DVec3::new(0.0, 0.0, -3.0), DVec3::Z);
        let mut out = ShapeHits::default();
        iso.hits(&r, &mut out, 1e-6);
        let ts: Vec<f64> = out.iter().map(|(t, _)| t).collect();
        assert_eq!(ts.len(), 1);
        assert!((ts[0] - 2.5).abs() < 2e-3, "{ts:?}");
        let n = iso.normal(r.at(ts[0]), 0);
        assert!(n.z < -0.99, "{n}");
        assert!(iso.inside(DVec3::ZERO) && !iso.inside(DVec3::splat(0.9)));
    }

    #[test]
    fn closed_container_caps_a_function_negative_at_the_wall() {
        // f = z: negative on the near half of the box, so the box face is hit.
        let mut d = Desc::new(Function::compile(&Expr::Param(2), 3).expect("compiles"));
        d.container = DescContainer::Box {
            corner1: DVec3::splat(-1.0),
            corner2: DVec3::splat(1.0),
        };
        let iso = Isosurface::from_desc(&d);
        let r = Ray::new(DVec3::new(0.2, 0.1, -3.0), DVec3::Z);
        let mut out = ShapeHits::default();
        iso.hits(&r, &mut out, 1e-6);
        let (t, part) = out.iter().next().expect("a hit");
        assert!((t - 2.0).abs() < 1e-9 && part == 5);
        assert_eq!(iso.normal(r.at(t), part), -DVec3::Z);
    }
}
