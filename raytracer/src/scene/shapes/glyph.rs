//! One character of a `text` object, as POV-Ray 3.7's TrueType object: the glyph
//! outline in the x-y plane (em units) extruded from z = 0 to z = depth.
//!
//! A ray meets the faces where its crossing of z = 0 or z = depth lies inside the
//! outline, and the walls where its projection crosses an outline segment between
//! those depths. Inside means between the depths and inside the outline by crossing
//! count. The tests and their tolerances are POV-Ray's (`GlyphIntersect`,
//! `Inside_Glyph`), so edge cases fall the same way.

use glam::{DVec2, DVec3};

use super::prism::{nearest_on_curve, Nearest};
use super::spline_roots;
use super::ShapeHits;
use crate::desc::{self, GlyphSegment};
use crate::scene::geometry::{Aabb, Ray};

const EPSILON: f64 = 1e-10;
/// POV-Ray's minimal hit distance for glyphs.
const TTF_TOLERANCE: f64 = 1e-6;
/// Below this a quadratic's leading coefficient counts as zero.
const COEFF_LIMIT: f64 = 1e-20;

/// Hit parts: the face at z = 0, the face at z = depth, then walls.
const FRONT: u32 = 1;
const BACK: u32 = 2;
const WALL: u32 = 3;
const UNKNOWN_WALL: u32 = u32::MAX;

/// A glyph in its own space.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    segments: Vec<GlyphSegment>,
    depth: f64,
    min: DVec2,
    max: DVec2,
}

impl Glyph {
    pub fn new(g: &desc::Glyph) -> Glyph {
        Glyph {
            segments: g.segments.clone(),
            depth: g.depth,
            min: g.min,
            max: g.max,
        }
    }

    /// POV-Ray's box: the glyph's box, a tolerance deep on either side.
    pub fn bounds(&self) -> Aabb {
        Aabb::new(
            DVec3::new(self.min.x, self.min.y, -TTF_TOLERANCE),
            DVec3::new(self.max.x, self.max.y, self.depth + TTF_TOLERANCE),
        )
    }

    /// Every crossing, the nearest four kept.
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let (p, d) = (r.origin, r.dir);
        let mut hits = Nearest::default();
        if d.z.abs() >= EPSILON {
            let t0 = -p.z / d.z;
            let t1 = t0 + self.depth / d.z;
            for (t, part) in [(t0, FRONT), (t1, BACK)] {
                let at = p + d * t;
                if t > TTF_TOLERANCE && self.inside_outline(at.x, at.y) {
                    hits.push_any(t, part);
                }
            }
        }
        let along_x = d.x.abs() >= EPSILON;
        if along_x || d.y.abs() >= EPSILON {
            for (j, s) in self.segments.iter().enumerate() {
                self.wall_hits(s, wall_part(j), p, d, along_x, &mut hits);
            }
        }
        hits.fill(out);
    }

    fn wall_hits(
        &self,
        s: &GlyphSegment,
        part: u32,
        p: DVec3,
        d: DVec3,
        along_x: bool,
        hits: &mut Nearest,
    ) {
        let mut push = |at: DVec2| {
            let t = if along_x {
                (at.x - p.x) / d.x
            } else {
                (at.y - p.y) / d.y
            };
            let z = p.z + t * d.z;
            if z >= 0.0 && z <= self.depth && t > TTF_TOLERANCE {
                hits.push_any(t, part);
            }
        };
        match *s {
            GlyphSegment::Line(a, b) => {
                let (d0, d1) = (b.x - a.x, b.y - a.y);
                let den = d1 * d.x - d0 * d.y;
                if den.abs() < EPSILON {
                    return;
                }
                let w = (d.x * (p.y - a.y) - d.y * (p.x - a.x)) / den;
                if (0.0..=1.0).contains(&w) {
                    push(a + (b - a) * w);
                }
            }
            GlyphSegment::Quad(a, c, b) => {
                let (t2, t1, t0) = (a - c * 2.0 + b, (c - a) * 2.0, a);
                let (ka, kb, kc) = (d.y, -d.x, p.y * d.x - p.x * d.y);
                let coeffs = [
                    ka * t2.x + kb * t2.y,
                    ka * t1.x + kb * t1.y,
                    ka * t0.x + kb * t0.y + kc,
                ];
                let (roots, n) = solve_quad(coeffs, 0.0, 1.0);
                for &w in &roots[..n] {
                    push((t2 * w + t1) * w + t0);
                }
            }
            GlyphSegment::Cubic(..) => {
                let [ca, cb, cc, cd] = cubic_coefficients(s);
                let k = |v: DVec2| d.y * v.x - d.x * v.y;
                let c0 = k(cd) + p.y * d.x - p.x * d.y;
                for &w in spline_roots::solve(&[k(ca), k(cb), k(cc), c0], false).as_slice() {
                    if (0.0..=1.0).contains(&w) {
                        push(((ca * w + cb) * w + cc) * w + cd);
                    }
                }
            }
        }
    }

    /// POV-Ray's inside test: between the faces and inside the outline.
    pub fn inside(&self, p: DVec3) -> bool {
        p.z >= 0.0 && p.z <= self.depth && self.inside_outline(p.x, p.y)
    }

    /// Outward normal (not normalised).
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        match part {
            FRONT => return -DVec3::Z,
            BACK => return DVec3::Z,
            _ => {}
        }
        let uv = DVec2::new(p.x, p.y);
        let found = if part == UNKNOWN_WALL || (part - WALL) as usize >= self.segments.len() {
            self.segments
                .iter()
                .filter_map(|s| nearest(s, uv).map(|(w, e)| (s, w, e)))
                .min_by(|a, b| a.2.total_cmp(&b.2))
                .map(|(s, w, _)| (s, w))
        } else {
            let s = &self.segments[(part - WALL) as usize];
            nearest(s, uv).map(|(w, _)| (s, w))
        };
        let Some((s, w)) = found else {
            return DVec3::Z;
        };
        let [a, b, c, _] = cubic_coefficients(s);
        let t = (a * 3.0 * w + b * 2.0) * w + c;
        DVec3::new(t.y, -t.x, 0.0)
    }

    /// Crossings of the half-line from (x, y) towards +x, POV-Ray's rules: edges
    /// along the half-line do not count, and curve roots at the ends of their
    /// parameter range count only where the curve really spans `y`.
    fn inside_outline(&self, x: f64, y: f64) -> bool {
        let mut crossings = 0u32;
        for s in &self.segments {
            crossings += match *s {
                GlyphSegment::Line(a, b) => line_crossing(a, b, x, y),
                GlyphSegment::Quad(a, c, b) => quad_crossings(a, c, b, x, y),
                GlyphSegment::Cubic(..) => cubic_crossings(s, x, y),
            };
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

fn line_crossing(a: DVec2, b: DVec2, x: f64, y: f64) -> u32 {
    if a.y == b.y || (a.y < y) == (b.y < y) {
        return 0;
    }
    let (ra, rb) = (a.x > x, b.x > x);
    if ra && rb {
        return 1;
    }
    if !ra && !rb {
        return 0;
    }
    let m = (b.y - a.y) / (b.x - a.x);
    let k = (b.y - y) - m * (b.x - x);
    u32::from(k / m < EPSILON)
}

fn quad_crossings(a: DVec2, c: DVec2, b: DVec2, x: f64, y: f64) -> u32 {
    let (y0, y1, y2) = (a.y, c.y, b.y);
    if (y0 < y && y1 < y && y2 < y) || (y0 > y && y1 > y && y2 > y) {
        return 0;
    }
    let (mut roots, mut n) = solve_quad([y0 - 2.0 * y1 + y2, 2.0 * (y1 - y0), y0 - y], 0.0, 1.0);
    let mut i = 0;
    while i < n {
        let w = roots[i];
        let discard = if w <= EPSILON {
            (y <= y0 && y < y1) || (y >= y0 && y > y1)
        } else if w >= 1.0 - EPSILON {
            (y < y2 && y < y1) || (y > y2 && y > y1)
        } else {
            false
        };
        if discard {
            n -= 1;
            if n > i {
                roots[i] = roots[i + 1];
            }
            continue;
        }
        i += 1;
    }
    let (t2, t1, t0) = (a.x - 2.0 * c.x + b.x, 2.0 * (c.x - a.x), a.x);
    roots[..n]
        .iter()
        .filter(|&&w| (t2 * w + t1) * w + t0 > x)
        .count() as u32
}

fn cubic_crossings(s: &GlyphSegment, x: f64, y: f64) -> u32 {
    let [a, b, c, d] = cubic_coefficients(s);
    let (lo, hi) = match *s {
        GlyphSegment::Cubic(p0, p1, p2, p3) => (
            p0.y.min(p1.y).min(p2.y).min(p3.y),
            p0.y.max(p1.y).max(p2.y).max(p3.y),
        ),
        GlyphSegment::Line(..) | GlyphSegment::Quad(..) => (f64::NEG_INFINITY, f64::INFINITY),
    };
    if y < lo || y > hi {
        return 0;
    }
    // Half-open in w, so a crossing through a joint between segments counts once.
    spline_roots::solve(&[a.y, b.y, c.y, d.y - y], false)
        .as_slice()
        .iter()
        .filter(|&&w| (0.0..1.0).contains(&w) && ((a.x * w + b.x) * w + c.x) * w + d.x > x)
        .count() as u32
}

/// POV-Ray's `solve_quad` for the glyph code: roots of `x[0] w² + x[1] w + x[2]`
/// within `[lo, hi]`, none for a discriminant below `EPSILON`.
fn solve_quad(x: [f64; 3], lo: f64, hi: f64) -> ([f64; 2], usize) {
    let (a, b, c) = (x[0], -x[1], x[2]);
    let mut out = [0.0; 2];
    let mut n = 0;
    let mut keep = |q: f64| {
        if q >= lo && q <= hi {
            out[n] = q;
            n += 1;
        }
    };
    if a.abs() < COEFF_LIMIT {
        if b.abs() >= COEFF_LIMIT {
            keep(c / b);
        }
        return (out, n);
    }
    let disc = b * b - 4.0 * a * c;
    if disc < EPSILON {
        return (out, n);
    }
    let s = disc.sqrt();
    keep((b + s) / (2.0 * a));
    keep((b - s) / (2.0 * a));
    (out, n)
}

/// `A w³ + B w² + C w + D` for any segment kind.
fn cubic_coefficients(s: &GlyphSegment) -> [DVec2; 4] {
    match *s {
        GlyphSegment::Line(a, b) => [DVec2::ZERO, DVec2::ZERO, b - a, a],
        GlyphSegment::Quad(a, c, b) => [DVec2::ZERO, a - c * 2.0 + b, (c - a) * 2.0, a],
        GlyphSegment::Cubic(p0, p1, p2, p3) => [
            p3 - p2 * 3.0 + p1 * 3.0 - p0,
            p2 * 3.0 - p1 * 6.0 + p0 * 3.0,
            (p1 - p0) * 3.0,
            p0,
        ],
    }
}

fn nearest(s: &GlyphSegment, uv: DVec2) -> Option<(f64, f64)> {
    let [a, b, c, d] = cubic_coefficients(s);
    nearest_on_curve(
        |w| ((a * w + b) * w + c) * w + d,
        [[a.x, b.x, c.x, d.x], [a.y, b.y, c.y, d.y]],
        uv,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit square outline with a quadratic bulge on its right edge.
    fn glyph() -> Glyph {
        let (p0, p1, p2, p3) = (
            DVec2::new(0.0, 0.0),
            DVec2::new(1.0, 0.0),
            DVec2::new(1.0, 1.0),
            DVec2::new(0.0, 1.0),
        );
        Glyph::new(&desc::Glyph {
            segments: vec![
                GlyphSegment::Line(p0, p1),
                GlyphSegment::Quad(p1, DVec2::new(1.5, 0.5), p2),
                GlyphSegment::Line(p2, p3),
                GlyphSegment::Line(p3, p0),
            ],
            depth: 0.5,
            min: DVec2::ZERO,
            max: DVec2::new(1.25, 1.0),
        })
    }

    #[test]
    fn faces_and_walls() {
        let g = glyph();
        let mut out = ShapeHits::default();
        g.intersect(
            &Ray::new(DVec3::new(0.5, 0.5, -2.0), DVec3::new(0.0, 0.0, 1.0)),
            &mut out,
        );
        let mut t: Vec<_> = out.iter().collect();
        t.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(t, vec![(2.0, FRONT), (2.5, BACK)]);
        let mut out = ShapeHits::default();
        g.intersect(
            &Ray::new(DVec3::new(-1.0, 0.5, 0.25), DVec3::new(1.0, 0.0, 0.0)),
            &mut out,
        );
        let mut t: Vec<_> = out.iter().collect();
        t.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(
            (t[0].0 - 1.0).abs() < 1e-12 && (t[1].0 - 2.25).abs() < 1e-12,
            "{t:?}"
        );
        let n = g.normal(DVec3::new(1.25, 0.5, 0.25), t[1].1).normalize();
        assert!(n.abs_diff_eq(DVec3::X, 1e-9), "{n}");
        assert!(g.inside(DVec3::new(1.2, 0.5, 0.1)));
        assert!(!g.inside(DVec3::new(1.3, 0.5, 0.1)));
        assert!(!g.inside(DVec3::new(0.5, 0.5, 0.6)));
    }
}
