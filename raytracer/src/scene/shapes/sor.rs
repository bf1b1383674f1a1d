//! POV-Ray's surface of revolution: the squared radius is a cubic in the height on
//! each segment (Hermite interpolation through consecutive points), so a ray meets a
//! segment where a cubic in the ray distance vanishes. Flat caps close the ends
//! unless `open`.

use glam::{DMat4, DVec2, DVec3, DVec4};

use super::prism::Nearest;
use super::spline_roots;
use super::uv::turn_about_y;
use super::ShapeHits;
use crate::desc;
use crate::scene::geometry::{Aabb, Ray};

const EPSILON: f64 = 1e-10;
/// POV-Ray's minimal hit distance for surfaces of revolution.
const DEPTH_TOLERANCE: f64 = 1e-4;
const BOUND_HUGE: f64 = 2e10;

const BASE: u32 = 1;
const CAP: u32 = 2;
const CURVE: u32 = 3;

/// `r²(y) = A y³ + B y² + C y + D` for heights `h1..h2`.
#[derive(Clone, Debug, PartialEq)]
struct Segment {
    k: [f64; 4],
    r2: f64,
    h1: f64,
    h2: f64,
}

impl Segment {
    fn radius2(&self, y: f64) -> f64 {
        let [a, b, c, d] = self.k;
        y * (y * (y * a + b) + c) + d
    }
}

/// A surface of revolution in its own space.
#[derive(Clone, Debug, PartialEq)]
pub struct Sor {
    segments: Vec<Segment>,
    closed: bool,
    sturm: bool,
    radius2: f64,
    height1: f64,
    height2: f64,
    base_r2: f64,
    cap_r2: f64,
}

impl Sor {
    /// Builds the segments; `None` if two points that define a segment's slope share
    /// a height (POV-Ray's "incorrect point").
    pub fn new(s: &desc::Sor) -> Option<Sor> {
        let p = &s.points;
        let mut segments = Vec::with_capacity(p.len().saturating_sub(3));
        for i in 0..p.len().saturating_sub(3) {
            segments.push(segment(p[i], p[i + 1], p[i + 2], p[i + 3])?);
        }
        let (first, last) = (segments.first()?, segments.last()?);
        let mut sor = Sor {
            closed: !s.open,
            sturm: s.sturm,
            radius2: -BOUND_HUGE,
            height1: BOUND_HUGE,
            height2: -BOUND_HUGE,
            base_r2: first.radius2(first.h1).max(0.0),
            cap_r2: last.radius2(last.h2).max(0.0),
            segments: Vec::new(),
        };
        for g in &segments {
            sor.radius2 = sor.radius2.max(g.r2);
            sor.height1 = sor.height1.min(g.h1);
            sor.height2 = sor.height2.max(g.h2);
        }
        sor.segments = segments;
        Some(sor)
    }

    pub fn bounds(&self) -> Aabb {
        Aabb::new(
            DVec3::new(-self.radius2, self.height1, -self.radius2),
            DVec3::new(self.radius2, self.height2, self.radius2),
        )
    }

    pub fn intersect(&self, ray: &Ray, out: &mut ShapeHits) {
        let len = ray.dir.length();
        if len == 0.0 {
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
        let a = d.x * d.x + d.z * d.z;
        let mut r0 = p.x * d.z - p.z * d.x;
        if a > 0.0 {
            r0 /= a.sqrt();
        }
        if r0 > self.radius2 {
            return;
        }
        let mut hits = Nearest::default();
        if self.closed && d.y.abs() > EPSILON {
            for (h, r2, part) in [
                (self.height1, self.base_r2, BASE),
                (self.height2, self.cap_r2, CAP),
            ] {
                if r2 > DEPTH_TOLERANCE {
                    let k = (h - p.y) / d.y;
                    let (u, v) = (p.x + k * d.x, p.z + k * d.z);
                    if u * u + v * v <= r2 {
                        hits.push(k / len, part);
                    }
                }
            }
        }
        for (j, s) in self.segments.iter().enumerate() {
            if r0.abs() > s.r2 {
                continue;
            }
            let [ka, kb, kc, kd] = s.k;
            let c = [
                ka * d.y * d.y * d.y,
                d.y * d.y * (3.0 * ka * p.y + kb) - a,
                d.y * (p.y * (3.0 * ka * p.y + 2.0 * kb) + kc) - 2.0 * (p.x * d.x + p.z * d.z),
                p.y * (p.y * (ka * p.y + kb) + kc) + kd - p.x * p.x - p.z * p.z,
            ];
            for &k in spline_roots::solve(&c, self.sturm).as_slice() {
                let h = p.y + k * d.y;
                if h >= s.h1 && h <= s.h2 {
                    hits.push(k / len, curve_part(j));
                }
            }
        }
        hits.fill(out);
    }

    /// The segment holding height `y`, as POV-Ray looks it up (the first one).
    fn segment_at(&self, y: f64) -> Option<&Segment> {
        self.segments.iter().find(|s| y >= s.h1 && y <= s.h2)
    }

    pub fn inside(&self, p: DVec3) -> bool {
        if p.y < self.height1 || p.y > self.height2 {
            return false;
        }
        let r0 = p.x * p.x + p.z * p.z;
        if r0 > self.radius2 * self.radius2 {
            return false;
        }
        self.segment_at(p.y).is_some_and(|s| r0 <= s.radius2(p.y))
    }

    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        match part {
            BASE => return -DVec3::Y,
            CAP => return DVec3::Y,
            _ => {}
        }
        let s = self
            .segments
            .get((part as usize).wrapping_sub(CURVE as usize))
            .filter(|_| part != u32::MAX)
            .or_else(|| self.segment_at(p.y));
        let Some(s) = s else {
            return DVec3::Y;
        };
        let [a, b, c, _] = s.k;
        let k = 0.5 * (p.y * (3.0 * a * p.y + 2.0 * b) + c);
        DVec3::new(p.x, -k, p.z)
    }
}

impl Sor {
    /// POV-Ray's `Sor::UVCoord`: u the turn about y from +x; v on a segment
    /// its height's share of the segment plus the segment index, over the
    /// number of segments; on the base `r / r_base - 1` (in -1..0) and on the
    /// cap `2 - r / r_cap` (in 1..2), so caps map outside the curve's 0..1.
    pub fn uv(&self, p: DVec3, part: u32) -> DVec2 {
        let r = (p.x * p.x + p.z * p.z).sqrt();
        let v = match part {
            BASE => r / self.base_r2.sqrt() - 1.0,
            CAP => 2.0 - r / self.cap_r2.sqrt(),
            _ => {
                let j = (part as usize).wrapping_sub(CURVE as usize);
                match self.segments.get(j).filter(|_| part != u32::MAX) {
                    Some(s) => {
                        let n = self.segments.len() as f64;
                        ((p.y - s.h1) / (s.h2 - s.h1) + j as f64) / n
                    }
                    None => 0.0,
                }
            }
        };
        DVec2::new(turn_about_y(p), v)
    }
}

fn curve_part(j: usize) -> u32 {
    u32::try_from(j)
        .ok()
        .and_then(|j| j.checked_add(CURVE))
        .filter(|&p| p != u32::MAX)
        .unwrap_or(u32::MAX)
}

/// The segment between `p1` and `p2`, its end slopes taken from `p0` and `p3`.
fn segment(p0: DVec2, p1: DVec2, p2: DVec2, p3: DVec2) -> Option<Segment> {
    if (p2.y - p0.y).abs() < EPSILON || (p3.y - p1.y).abs() < EPSILON {
        return None;
    }
    let rhs = DVec4::new(
        p1.x * p1.x,
        p2.x * p2.x,
        2.0 * p1.x * (p2.x - p0.x) / (p2.y - p0.y),
        2.0 * p2.x * (p3.x - p1.x) / (p3.y - p1.y),
    );
    let row = |w: f64| [w * w * w, w * w, w, 1.0];
    let slope = |w: f64| [3.0 * w * w, 2.0 * w, 1.0, 0.0];
    let m =
        DMat4::from_cols_array_2d(&[row(p1.y), row(p2.y), slope(p1.y), slope(p2.y)]).transpose();
    if m.determinant() == 0.0 {
        return None;
    }
    let k = (m.inverse() * rhs)
        .to_array()
        .map(|v| if v.abs() < EPSILON { 0.0 } else { v });
    let (y0, y1) = (p1.y, p2.y);
    let mut x = [p1.x, p2.x, p1.x, p2.x];
    let extremes = spline_roots::solve(&[3.0 * k[0], 2.0 * k[1], k[2]], false);
    for (slot, &y) in extremes.as_slice().iter().enumerate().take(2) {
        if y >= y0 && y <= y1 {
            x[slot] = (y * (y * (y * k[0] + k[1]) + k[2]) + k[3]).sqrt();
        }
    }
    Some(Segment {
        k,
        r2: x.into_iter().fold(f64::NEG_INFINITY, f64::max),
        h1: y0,
        h2: y1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uv_runs_along_segments_and_past_the_caps() {
        // Two segments, heights 0..1 and 1..3; base radius 1, cap radius 2.
        let pts = [(1.0, -1.0), (1.0, 0.0), (1.5, 1.0), (2.0, 3.0), (2.0, 4.0)];
        let s = Sor::new(&desc::Sor {
            points: pts.iter().map(|&(x, y)| DVec2::new(x, y)).collect(),
            open: false,
            sturm: false,
        })
        .expect("valid profile");
        let near = |a: DVec2, b: DVec2| (a - b).length() < 1e-12;
        let on_second = s.uv(DVec3::new(0.0, 2.0, 1.7), curve_part(1));
        assert!(near(on_second, DVec2::new(0.25, 0.75)), "{on_second}");
        let base = s.uv(DVec3::new(-0.5, 0.0, 0.0), BASE);
        assert!(near(base, DVec2::new(0.5, -0.5)), "{base}");
        let cap = s.uv(DVec3::new(1.0, 3.0, 0.0), CAP);
        assert!(near(cap, DVec2::new(0.0, 1.5)), "{cap}");
    }

    #[test]
    fn straight_profile_is_a_capped_cylinder() {
        let pts = [(1.0, -1.0), (1.0, 0.0), (1.0, 1.0), (1.0, 2.0)];
        let s = Sor::new(&desc::Sor {
            points: pts.iter().map(|&(x, y)| DVec2::new(x, y)).collect(),
            open: false,
            sturm: false,
        })
        .expect("valid");
        let mut out = ShapeHits::default();
        s.intersect(
            &Ray::new(DVec3::new(-5.0, 0.5, 0.0), DVec3::new(1.0, 0.0, 0.0)),
            &mut out,
        );
        let mut t: Vec<f64> = out.iter().map(|h| h.0).collect();
        t.sort_by(f64::total_cmp);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(
            (t[0] - 4.0).abs() < 1e-9 && (t[1] - 6.0).abs() < 1e-9,
            "{t:?}"
        );
        let mut out = ShapeHits::default();
        s.intersect(
            &Ray::new(DVec3::new(0.2, 5.0, 0.0), DVec3::new(0.0, -1.0, 0.0)),
            &mut out,
        );
        let parts: Vec<u32> = out.iter().map(|h| h.1).collect();
        assert!(parts.contains(&BASE) && parts.contains(&CAP), "{parts:?}");
        assert!(s.inside(DVec3::new(0.5, 0.5, 0.5)));
        assert!(!s.inside(DVec3::new(0.9, 0.5, 0.9)));
    }
}
