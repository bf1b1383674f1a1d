//! The ovus: a bottom sphere at the origin and a top sphere at `y = bottom`,
//! joined by the inside of a spindle torus about y, intersected as POV-Ray 3.7's
//! `ovus.cpp` does: each sphere's hits count only beyond the height where the
//! torus takes over, and the torus's only between those heights.

use glam::DVec3;

use super::ShapeHits;
use crate::scene::geometry::{Aabb, Ray};
use crate::scene::solver;

/// POV-Ray's `EPSILON`: the nearest distance a hit may have.
const EPSILON: f64 = 1.0e-10;
/// POV-Ray's tolerance for the torus quartic and for accepting its roots.
const ROOT_TOLERANCE: f64 = 1.0e-4;

/// Surface parts (the normal of each is computed differently).
const PART_BOTTOM: u32 = 1;
const PART_TOP: u32 = 2;
const PART_TORUS: u32 = 3;

/// An ovus with POV-Ray's precomputed connecting torus.
#[derive(Clone, Debug, PartialEq)]
pub struct Ovus {
    bottom: f64,
    top: f64,
    /// The torus's tube radius.
    connecting: f64,
    /// The torus's centre height.
    vertical: f64,
    /// The torus's major radius (its tube centre lies at `-horizontal` across y).
    horizontal: f64,
    /// Below this height the bottom sphere is the surface.
    bottom_vertical: f64,
    /// Above this height the top sphere is the surface.
    top_vertical: f64,
    sturm: bool,
}

impl Ovus {
    /// The ovus of radii `bottom` and `top` (`top < 2 bottom`, both positive: the
    /// parser turns other radii into a sphere or an error, as POV-Ray does).
    pub fn new(bottom: f64, top: f64, sturm: bool) -> Ovus {
        let (connecting, vertical, horizontal, bottom_vertical, top_vertical);
        if bottom > top {
            connecting = 2.0 * bottom;
            vertical = 2.0 * top - bottom - top * top / (2.0 * bottom);
            horizontal = (bottom * bottom - vertical * vertical).sqrt();
            bottom_vertical = -vertical;
            top_vertical = (bottom - vertical) * top / (connecting - top) + bottom;
        } else {
            connecting = 2.0 * top;
            vertical = -2.0 * top + bottom + 1.5 * top * top / bottom;
            horizontal = (top * top - (vertical - bottom) * (vertical - bottom)).sqrt();
            top_vertical = 2.0 * bottom - vertical;
            bottom_vertical = -vertical * bottom / (connecting - bottom);
        }
        Ovus {
            bottom,
            top,
            connecting,
            vertical,
            horizontal,
            bottom_vertical,
            top_vertical,
            sturm,
        }
    }

    /// POV-Ray's box: the widest of the spheres and the torus across, from the
    /// bottom sphere's foot to the top sphere's crown.
    pub fn bounds(&self) -> Aabb {
        let widest = (self.connecting - self.horizontal)
            .max(self.bottom)
            .max(self.top);
        Aabb::new(
            DVec3::new(-widest, -self.bottom, -widest),
            DVec3::new(widest, self.bottom + self.top, widest),
        )
    }

    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 {
            return;
        }
        let d = r.dir / len;
        let p = r.origin;
        let depths = self.depths(p, d);
        let at = |s: f64| p + d * s;
        for (i, &s) in depths.iter().enumerate() {
            if s <= EPSILON {
                continue;
            }
            let keep = match i {
                0 | 1 => at(s).y < self.bottom_vertical,
                2 | 3 => at(s).y > self.top_vertical,
                _ => true,
            };
            if keep {
                let part = match i {
                    0 | 1 => PART_BOTTOM,
                    2 | 3 => PART_TOP,
                    _ => PART_TORUS,
                };
                out.push_sorted(s / len, part, 0.0);
            }
        }
    }

    /// POV-Ray's six candidate distances along the unit direction `d`: the
    /// bottom sphere's two, the top sphere's two, the torus's two (-100: none).
    fn depths(&self, p: DVec3, d: DVec3) -> [f64; 6] {
        let mut depth = [-100.0; 6];
        let mut count = 0;
        for (k, center, radius, below) in [
            (0, DVec3::ZERO, self.bottom, true),
            (2, DVec3::new(0.0, self.bottom, 0.0), self.top, false),
        ] {
            let oc = center - p;
            let oc2 = oc.length_squared();
            let closest = oc.dot(d);
            let r2 = radius * radius;
            if oc2 < r2 || closest > EPSILON {
                let half2 = r2 - oc2 + closest * closest;
                if half2 > EPSILON {
                    let half = half2.sqrt();
                    depth[k] = closest - half;
                    depth[k + 1] = closest + half;
                    for s in [depth[k], depth[k + 1]] {
                        let y = (p + d * s).y;
                        let counts = if below {
                            y < self.bottom_vertical
                        } else {
                            y > self.top_vertical
                        };
                        if counts {
                            count += 1;
                        }
                    }
                }
            }
            // Two sphere hits already bound the ovus along this ray.
            if count > 1 {
                return depth;
            }
        }
        self.torus_depths(p, d, &mut depth);
        depth
    }

    /// The connecting torus's roots between the two heights, into `depth[4..6]`
    /// (the first found in 4, each later one in 5, as POV-Ray keeps them).
    fn torus_depths(&self, p: DVec3, d: DVec3, depth: &mut [f64; 6]) {
        let q = p - DVec3::new(0.0, self.vertical, 0.0);
        let c = super::torus_quartic(q, d, self.horizontal, self.connecting);
        let roots = solver::solve_polynomial(&c, self.sturm, ROOT_TOLERANCE);
        for &s in roots.as_slice().iter().rev() {
            let hit = p + d * s;
            if hit.y > self.bottom_vertical && hit.y < self.top_vertical {
                let across = hit.x.hypot(hit.z) + self.horizontal;
                let dist2 = across * across + (hit.y - self.vertical) * (hit.y - self.vertical);
                // Only the spindle's inner "lemon" is the ovus, not its outer "apple".
                if (dist2 - self.connecting * self.connecting).abs() < ROOT_TOLERANCE {
                    if depth[4] < 0.0 {
                        depth[4] = s;
                    } else {
                        depth[5] = s;
                    }
                }
            }
        }
    }

    /// The outward normal (not normalised) at `p` on `part`.
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        match part {
            PART_BOTTOM => p / self.bottom,
            PART_TOP => (p - DVec3::new(0.0, self.bottom, 0.0)) / self.top,
            _ => {
                let mut n = p - DVec3::new(0.0, self.vertical, 0.0);
                let across = n.x.hypot(n.z);
                if across > 0.0 {
                    n.x += n.x * self.horizontal / across;
                    n.z += n.z * self.horizontal / across;
                }
                n.normalize_or_zero()
            }
        }
    }

    /// Inside either sphere or, between the two heights, inside the torus.
    pub fn inside(&self, p: DVec3) -> bool {
        if p.length_squared() < self.bottom * self.bottom {
            return true;
        }
        if (p - DVec3::new(0.0, self.bottom, 0.0)).length_squared() < self.top * self.top {
            return true;
        }
        if p.y > self.bottom_vertical && p.y < self.top_vertical {
            let across = p.x.hypot(p.z) + self.horizontal;
            let dy = p.y - self.vertical;
            return across * across + dy * dy < self.connecting * self.connecting;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(o: &Ovus, origin: DVec3, dir: DVec3) -> Vec<(f64, u32)> {
        let mut out = ShapeHits::default();
        o.intersect(&Ray::new(origin, dir), &mut out);
        out.iter().collect()
    }

    #[test]
    fn the_axis_meets_the_bottom_foot_and_the_top_crown() {
        let o = Ovus::new(1.0, 0.6, false);
        let h = hits(&o, DVec3::new(0.0, -5.0, 0.0), DVec3::Y);
        assert_eq!(h.len(), 2, "{h:?}");
        assert!(
            (h[0].0 - 4.0).abs() < 1e-9 && h[0].1 == PART_BOTTOM,
            "{h:?}"
        );
        assert!((h[1].0 - 6.6).abs() < 1e-9 && h[1].1 == PART_TOP, "{h:?}");
    }

    #[test]
    fn the_waist_is_the_torus_and_it_is_smooth_with_the_spheres() {
        let o = Ovus::new(1.0, 0.6, false);
        // The surface is continuous at both seams: the torus meets each sphere.
        for y in [o.bottom_vertical, o.top_vertical] {
            let h = hits(&o, DVec3::new(-5.0, y + 1e-3, 0.0), DVec3::X);
            assert_eq!(h.len(), 2, "y {y}: {h:?}");
            assert!(o.inside(DVec3::new(0.0, y, 0.0)));
        }
        let mid = 0.5 * (o.bottom_vertical + o.top_vertical);
        let h = hits(&o, DVec3::new(-5.0, mid, 0.0), DVec3::X);
        assert!(h.iter().all(|&(_, p)| p == PART_TORUS), "{h:?}");
        let x = 5.0 - h[0].0;
        let n = o.normal(DVec3::new(-x, mid, 0.0), PART_TORUS);
        assert!(n.x < -0.5, "outward normal {n:?}");
        assert!(!o.inside(DVec3::new(0.0, -1.01, 0.0)));
        assert!(!o.inside(DVec3::new(0.0, 1.61, 0.0)));
    }

    #[test]
    fn a_top_larger_than_the_bottom_also_closes() {
        let o = Ovus::new(0.5, 0.8, true);
        let h = hits(&o, DVec3::new(-5.0, 0.6, 0.0), DVec3::new(2.0, 0.0, 0.0));
        assert_eq!(h.len(), 2, "{h:?}");
        let b = o.bounds();
        assert!(b.min.y == -0.5 && (b.max.y - 1.3).abs() < 1e-12);
    }
}
