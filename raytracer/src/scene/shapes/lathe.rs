//! POV-Ray's lathe: a 2-D spline in the (radius, height) plane spun about the y axis.
//!
//! A segment `(r(w), y(w))` of degree n meets a ray where the ray's squared distance
//! from the axis at height `y(w)` equals `r(w)²`: a polynomial of degree 2n in w
//! (POV-Ray's coefficients, solved with its solvers: quadratics in closed form,
//! higher degrees with Sturm sequences). Inside counts crossings of the profile by a
//! radial half-line.

use glam::{DVec2, DVec3};

use super::prism::{nearest_on_curve, Nearest};
use super::spline_roots;
use super::uv::turn_about_y;
use super::ShapeHits;
use crate::desc::{self, SplineKind};
use crate::scene::geometry::{Aabb, Ray};

const EPSILON: f64 = 1e-10;
const BOUND_HUGE: f64 = 2e10;

/// One profile segment `A w³ + B w² + C w + D` (x: radius, y: height) and its box.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Segment {
    pub a: DVec2,
    pub b: DVec2,
    pub c: DVec2,
    pub d: DVec2,
    pub r1: f64,
    pub r2: f64,
    pub h1: f64,
    pub h2: f64,
}

impl Segment {
    pub fn at(&self, w: f64) -> DVec2 {
        ((self.a * w + self.b) * w + self.c) * w + self.d
    }

    pub fn tangent(&self, w: f64) -> DVec2 {
        (self.a * 3.0 * w + self.b * 2.0) * w + self.c
    }

    /// The parameter on the segment nearest profile point `uv` (see
    /// [`nearest_on_curve`]).
    pub fn nearest(&self, uv: DVec2) -> Option<(f64, f64)> {
        nearest_on_curve(
            |w| self.at(w),
            [
                [self.a.x, self.b.x, self.c.x, self.d.x],
                [self.a.y, self.b.y, self.c.y, self.d.y],
            ],
            uv,
        )
    }
}

/// A lathe in its own space.
#[derive(Clone, Debug, PartialEq)]
pub struct Lathe {
    spline: SplineKind,
    sturm: bool,
    segments: Vec<Segment>,
    radius1: f64,
    radius2: f64,
    height1: f64,
    height2: f64,
}

impl Lathe {
    pub fn new(l: &desc::Lathe) -> Lathe {
        let segments = segments(l.spline, &l.points);
        let mut lathe = Lathe {
            spline: l.spline,
            sturm: l.sturm,
            radius1: BOUND_HUGE,
            radius2: -BOUND_HUGE,
            height1: BOUND_HUGE,
            height2: -BOUND_HUGE,
            segments,
        };
        for s in &lathe.segments {
            lathe.radius1 = lathe.radius1.min(s.r1);
            lathe.radius2 = lathe.radius2.max(s.r2);
            lathe.height1 = lathe.height1.min(s.h1);
            lathe.height2 = lathe.height2.max(s.h2);
        }
        lathe
    }

    pub fn bounds(&self) -> Aabb {
        Aabb::new(
            DVec3::new(-self.radius2, self.height1, -self.radius2),
            DVec3::new(self.radius2, self.height2, self.radius2),
        )
    }

    pub fn intersect(&self, ray: &Ray, out: &mut ShapeHits) {
        let len = ray.dir.length();
        if len == 0.0 || self.segments.is_empty() {
            return;
        }
        let (p, d) = (ray.origin, ray.dir / len);
        if (d.y >= 0.0 && p.y > self.height2)
            || (d.y <= 0.0 && p.y < self.height1)
            || (d.x >= 0.0 && p.x > self.radius2)
            || (d.x <= 0.0 && p.x < -self.radius2)
        {
            return;
        }
        let r = d.x * d.x + d.z * d.z;
        let mut r0 = (p.x * d.z - p.z * d.x).abs();
        if r > 0.0 {
            r0 /= r.sqrt();
        }
        if r0 > self.radius2 {
            return;
        }
        let m = d.x * p.x + d.z * p.z;
        let dy2 = d.y * d.y;
        let mut hits = Nearest::default();
        for (j, s) in self.segments.iter().enumerate() {
            // Every point of the segment's surface lies within its radius.
            if r0 > s.r2 {
                continue;
            }
            let roots = self.roots(s, p, d, r, m, dy2);
            for &w in roots.as_slice() {
                if !(0.0..=1.0).contains(&w) {
                    continue;
                }
                if d.y.abs() > EPSILON {
                    let k = s.at(w).y - p.y;
                    hits.push(k / (d.y * len), part_of(j));
                } else {
                    let k = s.at(w).x;
                    let c = p.x * p.x + p.z * p.z - k * k;
                    for &t in spline_roots::solve(&[r, 2.0 * m, c], false).as_slice() {
                        hits.push(t / len, part_of(j));
                    }
                }
            }
        }
        hits.fill(out);
    }

    /// The roots of POV-Ray's polynomial for segment `s`.
    fn roots(
        &self,
        s: &Segment,
        p: DVec3,
        d: DVec3,
        r: f64,
        m: f64,
        dy2: f64,
    ) -> spline_roots::Roots {
        let (a, b, c, e) = (s.a, s.b, s.c, s.d);
        let dyp = e.y - p.y;
        let last = dyp * (dyp * r + 2.0 * d.y * m) + dy2 * (p.x * p.x + p.z * p.z - e.x * e.x);
        let lin = 2.0 * (c.y * (dyp * r + d.y * m) - c.x * e.x * dy2);
        match self.spline {
            SplineKind::Linear => {
                spline_roots::solve(&[c.y * c.y * r - c.x * c.x * dy2, lin, last], false)
            }
            SplineKind::Quadratic => spline_roots::solve(
                &[
                    b.y * b.y * r - b.x * b.x * dy2,
                    2.0 * (b.y * c.y * r - b.x * c.x * dy2),
                    r * (2.0 * b.y * dyp + c.y * c.y) + 2.0 * b.y * d.y * m
                        - (2.0 * b.x * e.x + c.x * c.x) * dy2,
                    lin,
                    last,
                ],
                self.sturm,
            ),
            SplineKind::Cubic | SplineKind::Bezier => spline_roots::solve(
                &[
                    a.y * a.y * r - a.x * a.x * dy2,
                    2.0 * (a.y * b.y * r - a.x * b.x * dy2),
                    (2.0 * a.y * c.y + b.y * b.y) * r - (2.0 * a.x * c.x + b.x * b.x) * dy2,
                    2.0 * ((a.y * e.y + b.y * c.y - a.y * p.y) * r + a.y * d.y * m
                        - (a.x * e.x + b.x * c.x) * dy2),
                    (2.0 * b.y * dyp + c.y * c.y) * r + 2.0 * b.y * d.y * m
                        - (2.0 * b.x * e.x + c.x * c.x) * dy2,
                    lin,
                    last,
                ],
                self.sturm,
            ),
        }
    }

    /// POV-Ray's inside test: crossings of the profile by the half-line from the
    /// point's radius outwards at its height.
    pub fn inside(&self, p: DVec3) -> bool {
        if p.y < self.height1 || p.y > self.height2 {
            return false;
        }
        let r = (p.x * p.x + p.z * p.z).sqrt();
        if r < self.radius1 || r > self.radius2 {
            return false;
        }
        crossings(&self.segments, r, p.y, self.sturm) & 1 == 1
    }

    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        surface_normal(&self.segments, p, part)
    }

    /// POV-Ray's `Lathe::UVCoord`: u the turn about y from +x, v the spline
    /// position, segment index plus parameter, over the number of segments.
    pub fn uv(&self, p: DVec3, part: u32) -> DVec2 {
        let v = segment_param(&self.segments, p, part)
            .map_or(0.0, |(j, w)| (j as f64 + w) / self.segments.len() as f64);
        DVec2::new(turn_about_y(p), v)
    }
}

/// Odd when (r, y) is inside the profile.
pub(super) fn crossings(segments: &[Segment], r: f64, y: f64, sturm: bool) -> u32 {
    let mut n = 0;
    for s in segments {
        if y < s.h1 - EPSILON || y > s.h2 + EPSILON {
            continue;
        }
        for &w in spline_roots::solve(&[s.a.y, s.b.y, s.c.y, s.d.y - y], sturm).as_slice() {
            if (0.0..=1.0).contains(&w) && s.at(w).x - r >= 0.0 {
                n += 1;
            }
        }
    }
    n
}

/// The normal of a surface of revolution at `p` on segment `part - 1` (any segment
/// when the index did not fit in the part).
pub(super) fn surface_normal(segments: &[Segment], p: DVec3, part: u32) -> DVec3 {
    let r = p.x * p.x + p.z * p.z;
    if r <= EPSILON {
        return DVec3::Y;
    }
    let r = r.sqrt();
    let Some((j, w)) = segment_param(segments, p, part) else {
        return DVec3::Y;
    };
    let t = segments[j].tangent(w);
    DVec3::new(t.y * p.x, -t.x * r, t.y * p.z)
}

/// The segment index and spline parameter of surface point `p` hit on part
/// `part` (the nearest segment when the index did not fit in the part):
/// POV-Ray keeps the parameter with the hit, we recover it from the point.
fn segment_param(segments: &[Segment], p: DVec3, part: u32) -> Option<(usize, f64)> {
    let uv = DVec2::new((p.x * p.x + p.z * p.z).sqrt(), p.y);
    let index = (part as usize).wrapping_sub(1);
    match segments.get(index).filter(|_| part != u32::MAX) {
        Some(s) => s.nearest(uv).map(|(w, _)| (index, w)),
        None => segments
            .iter()
            .enumerate()
            .filter_map(|(j, s)| s.nearest(uv).map(|(w, e)| (j, w, e)))
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(j, w, _)| (j, w)),
    }
}

/// Segment `j` as a hit part (1-based; `u32::MAX` when it does not fit).
pub(super) fn part_of(j: usize) -> u32 {
    u32::try_from(j + 1)
        .ok()
        .filter(|&p| p != u32::MAX)
        .unwrap_or(u32::MAX)
}

/// POV-Ray's `Compute_Lathe`: consecutive segments (four points per Bézier one).
fn segments(kind: SplineKind, pts: &[DVec2]) -> Vec<Segment> {
    let n = pts.len();
    let count = match kind {
        SplineKind::Linear => n.saturating_sub(1),
        SplineKind::Quadratic => n.saturating_sub(2),
        SplineKind::Cubic => n.saturating_sub(3),
        SplineKind::Bezier => n / 4,
    };
    let step = if kind == SplineKind::Bezier { 4 } else { 1 };
    (0..count)
        .filter_map(|k| segment(kind, pts, k * step))
        .collect()
}

fn segment(kind: SplineKind, pts: &[DVec2], i: usize) -> Option<Segment> {
    let p = |k: usize| pts.get(i + k).copied();
    let (a, b, c, d, mut xs, mut ys) = match kind {
        SplineKind::Linear => {
            let (p0, p1) = (p(0)?, p(1)?);
            let e = [p0, p1, p0, p1];
            (DVec2::ZERO, DVec2::ZERO, p1 - p0, p0, e, e)
        }
        SplineKind::Quadratic => {
            let (p0, p1, p2) = (p(0)?, p(1)?, p(2)?);
            let e = [p1, p2, p1, p2];
            (
                DVec2::ZERO,
                p0 * 0.5 - p1 + p2 * 0.5,
                (p2 - p0) * 0.5,
                p1,
                e,
                e,
            )
        }
        SplineKind::Cubic => {
            let (p0, p1, p2, p3) = (p(0)?, p(1)?, p(2)?, p(3)?);
            let e = [p1, p2, p1, p2];
            (
                p0 * -0.5 + p1 * 1.5 - p2 * 1.5 + p3 * 0.5,
                p0 - p1 * 2.5 + p2 * 2.0 - p3 * 0.5,
                (p2 - p0) * 0.5,
                p1,
                e,
                e,
            )
        }
        SplineKind::Bezier => {
            let (p0, p1, p2, p3) = (p(0)?, p(1)?, p(2)?, p(3)?);
            let e = [p0, p1, p2, p3];
            (
                p3 - p2 * 3.0 + p1 * 3.0 - p0,
                p2 * 3.0 - p1 * 6.0 + p0 * 3.0,
                p1 * 3.0 - p0 * 3.0,
                p0,
                e,
                e,
            )
        }
    };
    if matches!(kind, SplineKind::Quadratic | SplineKind::Cubic) {
        for axis in 0..2 {
            let roots = spline_roots::solve(&[3.0 * a[axis], 2.0 * b[axis], c[axis]], false);
            for (slot, &w) in roots.as_slice().iter().enumerate().take(2) {
                if (0.0..=1.0).contains(&w) {
                    let v = ((a[axis] * w + b[axis]) * w + c[axis]) * w + d[axis];
                    if axis == 0 {
                        xs[slot].x = v;
                    } else {
                        ys[slot].y = v;
                    }
                }
            }
        }
    }
    let fold = |vals: [f64; 4], f: fn(f64, f64) -> f64, init: f64| vals.into_iter().fold(init, f);
    Some(Segment {
        a,
        b,
        c,
        d,
        r1: fold(xs.map(|v| v.x), f64::min, f64::INFINITY),
        r2: fold(xs.map(|v| v.x), f64::max, f64::NEG_INFINITY),
        h1: fold(ys.map(|v| v.y), f64::min, f64::INFINITY),
        h2: fold(ys.map(|v| v.y), f64::max, f64::NEG_INFINITY),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lathe(spline: SplineKind, pts: &[(f64, f64)]) -> Lathe {
        Lathe::new(&desc::Lathe {
            spline,
            points: pts.iter().map(|&(x, y)| DVec2::new(x, y)).collect(),
            sturm: false,
        })
    }

    fn ts(l: &Lathe, o: [f64; 3], d: [f64; 3]) -> Vec<f64> {
        let mut out = ShapeHits::default();
        l.intersect(&Ray::new(DVec3::from(o), DVec3::from(d)), &mut out);
        let mut v: Vec<f64> = out.iter().map(|h| h.0).collect();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn uv_is_turn_and_spline_position() {
        // Three linear segments; v = (segment + parameter) / 3.
        let l = lathe(
            SplineKind::Linear,
            &[(1.0, 0.0), (1.0, 3.0), (2.0, 3.0), (2.0, 0.0)],
        );
        let near = |a: DVec2, b: DVec2| (a - b).length() < 1e-9;
        let side = l.uv(DVec3::new(0.0, 1.0, -1.0), part_of(0));
        assert!(near(side, DVec2::new(0.75, 1.0 / 9.0)), "{side}");
        let top = l.uv(DVec3::new(1.5, 3.0, 0.0), part_of(1));
        assert!(near(top, DVec2::new(0.0, 0.5)), "{top}");
    }

    #[test]
    fn linear_lathe_is_a_closed_cylinder() {
        let l = lathe(
            SplineKind::Linear,
            &[(0.0, 0.0), (1.0, 0.0), (1.0, 2.0), (0.0, 2.0)],
        );
        let side = ts(&l, [-5.0, 1.0, 0.0], [1.0, 0.0, 0.0]);
        assert_eq!(side.len(), 2, "{side:?}");
        assert!((side[0] - 4.0).abs() < 1e-9 && (side[1] - 6.0).abs() < 1e-9);
        let down = ts(&l, [0.5, 5.0, 0.0], [0.0, -1.0, 0.0]);
        assert_eq!(down.len(), 2, "{down:?}");
        assert!((down[0] - 3.0).abs() < 1e-9 && (down[1] - 5.0).abs() < 1e-9);
        assert!(l.inside(DVec3::new(0.3, 1.0, 0.3)));
        assert!(!l.inside(DVec3::new(0.9, 1.0, 0.9)));
        let n = l.normal(DVec3::new(-1.0, 1.0, 0.0), 2).normalize();
        assert!(n.abs_diff_eq(DVec3::new(-1.0, 0.0, 0.0), 1e-9), "{n}");
    }

    #[test]
    fn cubic_lathe_is_found_by_the_sextic() {
        let l = lathe(
            SplineKind::Cubic,
            &[(0.5, -1.0), (1.0, 0.0), (1.0, 1.0), (1.0, 2.0), (0.5, 3.0)],
        );
        // Segment 0 runs from (1, 0) to (1, 1); along x at y = 0.5 its radius is
        // close to 1.
        let side = ts(&l, [-5.0, 0.5, 0.0], [1.0, 0.0, 0.0]);
        assert_eq!(side.len(), 2, "{side:?}");
        let w = 0.5;
        let r = Segment::at(&l.segments[0], w).x;
        assert!((side[0] - (5.0 - r)).abs() < 1e-6, "{side:?} r={r}");
    }
}
