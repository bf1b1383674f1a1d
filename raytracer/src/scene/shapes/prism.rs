//! POV-Ray's prism: a closed 2-D spline outline in the x-z plane swept along y,
//! straight (linear sweep) or scaled from the origin (conic sweep).
//!
//! Each spline segment is a cubic `f(w) = A w³ + B w² + C w + D` in (u, v) = (x, z)
//! for w in [0, 1]. A ray meets a segment's wall where the projected ray crosses the
//! curve: one polynomial in w of the segment's degree. Caps and the inside test count
//! how often a horizontal half-line from the point crosses the outline. Constants
//! and tests are POV-Ray 3.7's, so the same rays hit and miss.

use glam::{DVec2, DVec3};

use super::spline_roots;
use super::ShapeHits;
use crate::desc::{self, SplineKind, Sweep};
use crate::scene::geometry::{Aabb, Ray};

/// POV-Ray's minimal hit distance for prisms.
const DEPTH_TOLERANCE: f64 = 1e-4;
const EPSILON: f64 = 1e-10;
const MAX_DISTANCE: f64 = 1e7;
const BOUND_HUGE: f64 = 2e10;

/// Hit parts: the base (y = height1), the cap (y = height2), then walls.
pub const BASE: u32 = 1;
pub const CAP: u32 = 2;
/// A wall hit on segment `part - WALL`; [`UNKNOWN_WALL`] when the index does not fit.
const WALL: u32 = 3;
const UNKNOWN_WALL: u32 = u32::MAX;

/// One spline segment and its bounding rectangles.
#[derive(Clone, Debug, PartialEq)]
struct Segment {
    a: DVec2,
    b: DVec2,
    c: DVec2,
    d: DVec2,
    /// Rectangle for rays: (x1, y1)-(x2, y2), scaled to the heights for conic sweeps.
    lo: DVec2,
    hi: DVec2,
    /// Rectangle in the unscaled outline plane, for crossing counts.
    v1: f64,
    v2: f64,
    u2: f64,
}

impl Segment {
    fn at(&self, w: f64) -> DVec2 {
        ((self.a * w + self.b) * w + self.c) * w + self.d
    }

    fn tangent(&self, w: f64) -> DVec2 {
        (self.a * 3.0 * w + self.b * 2.0) * w + self.c
    }
}

/// A prism in its own space.
#[derive(Clone, Debug, PartialEq)]
pub struct Prism {
    spline: SplineKind,
    sweep: Sweep,
    h1: f64,
    h2: f64,
    closed: bool,
    sturm: bool,
    segments: Vec<Segment>,
    /// Overall rectangle for rays (scaled for conic sweeps).
    lo: DVec2,
    hi: DVec2,
    /// Overall rectangle of the outline.
    u1: f64,
    u2: f64,
    v1: f64,
    v2: f64,
}

impl Prism {
    /// Builds the segments from the description's points (already checked to be
    /// closed and numerous enough by the parser).
    pub fn new(p: &desc::Prism) -> Prism {
        let segments = segments(p.spline, &p.points);
        let (mut lo, mut hi) = (DVec2::splat(BOUND_HUGE), DVec2::splat(-BOUND_HUGE));
        for s in &segments {
            lo = lo.min(s.lo);
            hi = hi.max(s.hi);
        }
        let mut prism = Prism {
            spline: p.spline,
            sweep: p.sweep,
            h1: p.height1,
            h2: p.height2,
            closed: !p.open,
            sturm: p.sturm,
            segments,
            lo,
            hi,
            u1: lo.x,
            u2: hi.x,
            v1: lo.y,
            v2: hi.y,
        };
        if prism.sweep == Sweep::Conic {
            let (h1, h2) = (prism.h1, prism.h2);
            let scale = |lo: DVec2, hi: DVec2| {
                let c = [lo * h1, lo * h2, hi * h1, hi * h2];
                let mn = c.iter().fold(DVec2::splat(f64::INFINITY), |m, v| m.min(*v));
                let mx = c
                    .iter()
                    .fold(DVec2::splat(f64::NEG_INFINITY), |m, v| m.max(*v));
                (mn, mx)
            };
            for s in &mut prism.segments {
                (s.lo, s.hi) = scale(s.lo, s.hi);
            }
            (prism.lo, prism.hi) = scale(prism.lo, prism.hi);
        }
        prism
    }

    /// Object-space bounds.
    pub fn bounds(&self) -> Aabb {
        Aabb::new(
            DVec3::new(self.lo.x, self.h1, self.lo.y),
            DVec3::new(self.hi.x, self.h2, self.hi.y),
        )
    }

    /// Every crossing, nearest four kept (see [`Nearest`]).
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 || self.segments.is_empty() {
            return;
        }
        let (p, d) = (r.origin, r.dir / len);
        if outside_rect(p, d, self.lo, self.hi) {
            return;
        }
        let mut hits = Nearest::default();
        if d.y.abs() < EPSILON {
            if p.y < self.h1 || p.y > self.h2 {
                return;
            }
        } else if self.closed {
            self.cap_hits(p, d, len, &mut hits);
        }
        match self.sweep {
            Sweep::Linear => {
                // A ray parallel to every wall meets none.
                if d.x.abs() > EPSILON || d.z.abs() > EPSILON {
                    self.linear_walls(p, d, len, &mut hits);
                }
            }
            Sweep::Conic => self.conic_walls(p, d, len, &mut hits),
        }
        hits.fill(out);
    }

    fn cap_hits(&self, p: DVec3, d: DVec3, len: f64, hits: &mut Nearest) {
        for (h, part) in [(self.h2, CAP), (self.h1, BASE)] {
            let scale = match self.sweep {
                Sweep::Linear => 1.0,
                Sweep::Conic if h.abs() > EPSILON => h,
                // The apex of a cone has no cap.
                Sweep::Conic => continue,
            };
            let k = (h - p.y) / d.y;
            if k > DEPTH_TOLERANCE && k < MAX_DISTANCE {
                let u = (p.x + k * d.x) / scale;
                let v = (p.z + k * d.z) / scale;
                if self.in_curve(u, v) {
                    hits.push(k / len, part);
                }
            }
        }
    }

    fn linear_walls(&self, p: DVec3, d: DVec3, len: f64, hits: &mut Nearest) {
        for (j, s) in self.segments.iter().enumerate() {
            if outside_rect(p, d, s.lo, s.hi) {
                continue;
            }
            let cross = |v: DVec2| v.x * d.z - v.y * d.x;
            let c0 = d.z * (s.d.x - p.x) - d.x * (s.d.y - p.z);
            let roots = match self.spline {
                SplineKind::Linear => {
                    let c1 = cross(s.c);
                    let mut r = spline_roots::Roots::default();
                    if c1.abs() > EPSILON {
                        r.push(-c0 / c1);
                    }
                    r
                }
                SplineKind::Quadratic => spline_roots::solve(&[cross(s.b), cross(s.c), c0], false),
                SplineKind::Cubic | SplineKind::Bezier => {
                    if !test_rectangle(p, d, s.lo, s.hi) {
                        continue;
                    }
                    spline_roots::solve(&[cross(s.a), cross(s.b), cross(s.c), c0], self.sturm)
                }
            };
            for &w in roots.as_slice().iter().rev() {
                if !(0.0..=1.0).contains(&w) {
                    continue;
                }
                let f = s.at(w);
                let k = if d.x.abs() > EPSILON {
                    (f.x - p.x) / d.x
                } else {
                    (f.y - p.z) / d.z
                };
                let h = p.y + k * d.y;
                if h >= self.h1 && h <= self.h2 {
                    hits.push(k / len, wall_part(j));
                }
            }
        }
    }

    fn conic_walls(&self, p: DVec3, d: DVec3, len: f64, hits: &mut Nearest) {
        let k1 = p.z * d.y - p.y * d.z;
        let k2 = p.y * d.x - p.x * d.y;
        let k3 = p.x * d.z - p.z * d.x;
        for (j, s) in self.segments.iter().enumerate() {
            if outside_rect(p, d, s.lo, s.hi) {
                continue;
            }
            let mix = |v: DVec2| v.x * k1 + v.y * k2;
            let c0 = mix(s.d) + k3;
            let roots = match self.spline {
                SplineKind::Linear => {
                    let c1 = mix(s.c);
                    let mut r = spline_roots::Roots::default();
                    if c1.abs() > EPSILON {
                        r.push(-c0 / c1);
                    }
                    r
                }
                SplineKind::Quadratic => spline_roots::solve(&[mix(s.b), mix(s.c), c0], false),
                SplineKind::Cubic | SplineKind::Bezier => {
                    spline_roots::solve(&[mix(s.a), mix(s.b), mix(s.c), c0], self.sturm)
                }
            };
            for &w in roots.as_slice().iter().rev() {
                if !(0.0..=1.0).contains(&w) {
                    continue;
                }
                let f = s.at(w);
                let k = {
                    let h = d.x - f.x * d.y;
                    if h.abs() > EPSILON {
                        (f.x * p.y - p.x) / h
                    } else {
                        let h = d.z - f.y * d.y;
                        if h.abs() <= EPSILON {
                            continue;
                        }
                        (f.y * p.y - p.z) / h
                    }
                };
                let h = p.y + k * d.y;
                if h >= self.h1 && h <= self.h2 {
                    hits.push(k / len, wall_part(j));
                }
            }
        }
    }

    /// POV-Ray's inside test: between the heights (top excluded) and inside the
    /// outline (scaled by the height for conic sweeps).
    pub fn inside(&self, p: DVec3) -> bool {
        if p.y < self.h1 || p.y >= self.h2 {
            return false;
        }
        let (u, v) = match self.sweep {
            Sweep::Linear => (p.x, p.z),
            Sweep::Conic if p.y.abs() > EPSILON => (p.x / p.y, p.z / p.y),
            Sweep::Conic => return false,
        };
        self.in_curve(u, v)
    }

    /// Outward normal (not normalised). POV-Ray 3.7 gives both caps +y; shading
    /// turns normals toward the viewer, so the sign of a cap's normal never shows.
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        if part < WALL {
            return DVec3::Y;
        }
        let uv = match self.sweep {
            Sweep::Linear => DVec2::new(p.x, p.z),
            Sweep::Conic if p.y.abs() > EPSILON => DVec2::new(p.x, p.z) / p.y,
            Sweep::Conic => return DVec3::Y,
        };
        let found = if part == UNKNOWN_WALL {
            self.segments
                .iter()
                .filter_map(|s| nearest_on(s, uv).map(|(w, e)| (s, w, e)))
                .min_by(|a, b| a.2.total_cmp(&b.2))
                .map(|(s, w, _)| (s, w))
        } else {
            let s = &self.segments[(part - WALL) as usize];
            nearest_on(s, uv).map(|(w, _)| (s, w))
        };
        let Some((s, w)) = found else {
            return DVec3::Y;
        };
        let t = s.tangent(w);
        let n = DVec3::new(t.y, 0.0, -t.x);
        match self.sweep {
            Sweep::Linear => n,
            Sweep::Conic => DVec3::new(n.x, -(p.x * n.x + p.z * n.z) / p.y, n.z),
        }
    }

    /// Crossing count of the half-line from (u, v) towards +u: odd means inside.
    fn in_curve(&self, u: f64, v: f64) -> bool {
        if u < self.u1 || u > self.u2 || v < self.v1 || v > self.v2 {
            return false;
        }
        let mut crossings = 0;
        for s in &self.segments {
            if v < s.v1 || v > s.v2 || u > s.u2 {
                continue;
            }
            let roots = spline_roots::solve(&[s.a.y, s.b.y, s.c.y, s.d.y - v], self.sturm);
            for &w in roots.as_slice() {
                if (0.0..=1.0).contains(&w) && s.at(w).x - u >= 0.0 {
                    crossings += 1;
                }
            }
        }
        crossings & 1 == 1
    }
}

fn wall_part(j: usize) -> u32 {
    u32::try_from(j)
        .ok()
        .and_then(|j| j.checked_add(WALL))
        .filter(|&p| p != UNKNOWN_WALL)
        .unwrap_or(UNKNOWN_WALL)
}

/// The parameter on `s` nearest `uv` and the squared distance there, from the roots
/// of each coordinate's equation (the point lies on the curve up to rounding).
pub(super) fn nearest_on_curve(
    at: impl Fn(f64) -> DVec2,
    coeffs: [[f64; 4]; 2],
    uv: DVec2,
) -> Option<(f64, f64)> {
    let mut best: Option<(f64, f64)> = None;
    for (axis, c) in coeffs.iter().enumerate() {
        let target = if axis == 0 { uv.x } else { uv.y };
        let roots = spline_roots::solve(&[c[0], c[1], c[2], c[3] - target], false);
        for &w in roots.as_slice() {
            let w = w.clamp(0.0, 1.0);
            let e = (at(w) - uv).length_squared();
            if best.map_or(true, |(_, b)| e < b) {
                best = Some((w, e));
            }
        }
    }
    best
}

fn nearest_on(s: &Segment, uv: DVec2) -> Option<(f64, f64)> {
    nearest_on_curve(
        |w| s.at(w),
        [[s.a.x, s.b.x, s.c.x, s.d.x], [s.a.y, s.b.y, s.c.y, s.d.y]],
        uv,
    )
}

/// POV-Ray's quick rejection: the ray starts beyond the rectangle and points away.
fn outside_rect(p: DVec3, d: DVec3, lo: DVec2, hi: DVec2) -> bool {
    (d.x >= 0.0 && p.x > hi.x)
        || (d.x <= 0.0 && p.x < lo.x)
        || (d.z >= 0.0 && p.z > hi.y)
        || (d.z <= 0.0 && p.z < lo.y)
}

/// POV-Ray's slab test of the projected ray against a segment's rectangle
/// (`test_rectangle`), which cubic segments must pass before their cubic is solved.
fn test_rectangle(p: DVec3, d: DVec3, lo: DVec2, hi: DVec2) -> bool {
    let (dmin, dmax) = if d.x.abs() > EPSILON {
        let (a, b) = ((lo.x - p.x) / d.x, (hi.x - p.x) / d.x);
        let (dmin, dmax) = if d.x > 0.0 { (a, b) } else { (b, a) };
        if dmax < EPSILON || dmin > dmax {
            return false;
        }
        (dmin, dmax)
    } else {
        if p.x < lo.x || p.x > hi.x {
            return false;
        }
        (-BOUND_HUGE, BOUND_HUGE)
    };
    if d.z.abs() <= EPSILON {
        return p.z >= lo.y && p.z <= hi.y;
    }
    let (a, b) = ((lo.y - p.z) / d.z, (hi.y - p.z) / d.z);
    let (tmin, tmax) = if d.z > 0.0 { (a, b) } else { (b, a) };
    if tmax < dmax {
        if tmax < EPSILON {
            return false;
        }
        if tmin > dmin {
            tmin <= tmax
        } else {
            dmin <= tmax
        }
    } else {
        !(tmin > dmin && tmin > dmax)
    }
}

/// The segments of a closed outline, as POV-Ray's `Compute_Prism` builds them: a
/// sub-outline ends where a point repeats the first point of that sub-outline.
fn segments(kind: SplineKind, pts: &[DVec2]) -> Vec<Segment> {
    let n = pts.len();
    let mut out = Vec::new();
    let mut first = match kind {
        SplineKind::Linear | SplineKind::Bezier => pts.first().copied().unwrap_or_default(),
        SplineKind::Quadratic | SplineKind::Cubic => pts.get(1).copied().unwrap_or_default(),
    };
    let same = |a: DVec2, b: DVec2| (a.x - b.x).abs() < EPSILON && (a.y - b.y).abs() < EPSILON;
    let mut i = 0;
    while i + 1 < n {
        let Some(s) = segment(kind, pts, i) else {
            break;
        };
        out.push(s);
        match kind {
            SplineKind::Linear => {
                if same(pts[i + 1], first) {
                    i += 1;
                    if i + 1 < n {
                        first = pts[i + 1];
                    }
                }
            }
            SplineKind::Quadratic | SplineKind::Cubic => {
                if i + 2 < n && same(pts[i + 2], first) {
                    i += if kind == SplineKind::Quadratic { 2 } else { 3 };
                    if i + 2 < n {
                        first = pts[i + 2];
                    }
                }
            }
            SplineKind::Bezier => i += 3,
        }
        i += 1;
    }
    out
}

/// Segment `i` with its coefficients and rectangles; `None` past the points.
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
                p0 - p1 * 3.0 + p2 * 3.0 - p3,
                p1 * 3.0 - p2 * 6.0 + p3 * 3.0,
                p2 * 3.0 - p3 * 3.0,
                p3,
                e,
                e,
            )
        }
    };
    if matches!(kind, SplineKind::Quadratic | SplineKind::Cubic) {
        // Extremes inside the segment widen its rectangle (into slots 0 and 1, as
        // POV-Ray writes them; slots 2 and 3 keep the end points).
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
    let lo = DVec2::new(
        xs.iter().map(|v| v.x).fold(f64::INFINITY, f64::min),
        ys.iter().map(|v| v.y).fold(f64::INFINITY, f64::min),
    );
    let hi = DVec2::new(
        xs.iter().map(|v| v.x).fold(f64::NEG_INFINITY, f64::max),
        ys.iter().map(|v| v.y).fold(f64::NEG_INFINITY, f64::max),
    );
    Some(Segment {
        a,
        b,
        c,
        d,
        lo,
        hi,
        v1: lo.y,
        v2: hi.y,
        u2: hi.x,
    })
}

/// The nearest hits of a shape that may cross a ray more often than [`ShapeHits`]
/// holds: the nearest four are the ones a closest-hit query needs.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Nearest {
    t: [f64; 4],
    part: [u32; 4],
    len: usize,
}

impl Nearest {
    pub(super) fn push(&mut self, t: f64, part: u32) {
        if !(t > DEPTH_TOLERANCE && t < MAX_DISTANCE) {
            return;
        }
        self.push_any(t, part);
    }

    /// Pushes a hit the caller has already checked.
    pub(super) fn push_any(&mut self, t: f64, part: u32) {
        if self.len < 4 {
            self.t[self.len] = t;
            self.part[self.len] = part;
            self.len += 1;
            return;
        }
        let (far, &t_far) = self
            .t
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("four hits");
        if t < t_far {
            self.t[far] = t;
            self.part[far] = part;
        }
    }

    pub(super) fn fill(&self, out: &mut ShapeHits) {
        for i in 0..self.len {
            out.push(self.t[i], self.part[i], 0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(spline: SplineKind, sweep: Sweep) -> Prism {
        let pts = [
            (-1.0, -1.0),
            (1.0, -1.0),
            (1.0, 1.0),
            (-1.0, 1.0),
            (-1.0, -1.0),
        ];
        Prism::new(&desc::Prism {
            spline,
            sweep,
            height1: 0.0,
            height2: 1.0,
            points: pts.iter().map(|&(x, z)| DVec2::new(x, z)).collect(),
            open: false,
            sturm: false,
        })
    }

    fn ts(p: &Prism, o: [f64; 3], d: [f64; 3]) -> Vec<(f64, u32)> {
        let mut out = ShapeHits::default();
        p.intersect(&Ray::new(DVec3::from(o), DVec3::from(d)), &mut out);
        let mut v: Vec<_> = out.iter().collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    }

    #[test]
    fn square_prism_is_a_box() {
        let p = square(SplineKind::Linear, Sweep::Linear);
        let hits = ts(&p, [0.0, 5.0, 0.0], [0.0, -1.0, 0.0]);
        assert_eq!(hits, vec![(4.0, CAP), (5.0, BASE)]);
        let side = ts(&p, [-5.0, 0.5, 0.2], [1.0, 0.0, 0.0]);
        assert_eq!(side.len(), 2, "{side:?}");
        assert!((side[0].0 - 4.0).abs() < 1e-12 && (side[1].0 - 6.0).abs() < 1e-12);
        let n = p.normal(DVec3::new(-1.0, 0.5, 0.2), side[0].1);
        assert!(
            n.normalize().abs_diff_eq(DVec3::new(-1.0, 0.0, 0.0), 1e-12),
            "{n}"
        );
        assert!(p.inside(DVec3::new(0.5, 0.5, 0.5)));
        assert!(!p.inside(DVec3::new(1.5, 0.5, 0.5)));
        assert!(!p.inside(DVec3::new(0.5, 1.0, 0.5)));
    }

    #[test]
    fn conic_square_narrows_to_the_apex() {
        let mut d = desc::Prism {
            spline: SplineKind::Linear,
            sweep: Sweep::Conic,
            height1: 0.5,
            height2: 1.0,
            points: Vec::new(),
            open: false,
            sturm: false,
        };
        d.points = [
            (-1.0, -1.0),
            (1.0, -1.0),
            (1.0, 1.0),
            (-1.0, 1.0),
            (-1.0, -1.0),
        ]
        .iter()
        .map(|&(x, z)| DVec2::new(x, z))
        .collect();
        let p = Prism::new(&d);
        // At y = 0.75 the square is ±0.75 wide.
        let side = ts(&p, [-5.0, 0.75, 0.0], [1.0, 0.0, 0.0]);
        assert_eq!(side.len(), 2, "{side:?}");
        assert!((side[0].0 - 4.25).abs() < 1e-9, "{side:?}");
        assert!(p.inside(DVec3::new(0.7, 0.75, 0.0)));
        assert!(!p.inside(DVec3::new(0.8, 0.75, 0.0)));
    }

    #[test]
    fn bezier_circle_approximation() {
        // Four quarter arcs of the unit circle.
        let k = 0.552_284_749_831;
        let q = |a: DVec2, b: DVec2| [a, a + b * k, b + a * k, b];
        let (e, n, w, s) = (DVec2::X, DVec2::Y, -DVec2::X, -DVec2::Y);
        let mut pts = Vec::new();
        for (a, b) in [(e, n), (n, w), (w, s), (s, e)] {
            pts.extend(q(a, b));
        }
        let p = Prism::new(&desc::Prism {
            spline: SplineKind::Bezier,
            sweep: Sweep::Linear,
            height1: -1.0,
            height2: 1.0,
            points: pts,
            open: false,
            sturm: false,
        });
        let side = ts(&p, [-5.0, 0.0, 0.0], [1.0, 0.0, 0.0]);
        assert_eq!(side.len(), 2, "{side:?}");
        assert!((side[0].0 - 4.0).abs() < 1e-9 && (side[1].0 - 6.0).abs() < 1e-9);
        assert!(p.inside(DVec3::new(0.6, 0.0, 0.6)));
        assert!(!p.inside(DVec3::new(0.75, 0.0, 0.75)));
    }
}
