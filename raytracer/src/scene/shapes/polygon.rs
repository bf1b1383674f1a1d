//! POV-Ray's polygon: flat sub-polygons in the z = 0 plane of their own frame (the
//! builder finds the frame from the points, as POV-Ray's `Compute_Polygon` does).
//! It has no inside; a ray hits it where it crosses the plane inside the outline
//! by the even-odd rule.

use glam::{DAffine3, DMat3, DVec2, DVec3};

use super::ShapeHits;
use crate::scene::geometry::{Aabb, Ray};

/// POV-Ray's minimal hit distance for polygons.
const DEPTH_TOLERANCE: f64 = 1e-8;
const ZERO_TOLERANCE: f64 = 1e-10;
const EPSILON: f64 = 1e-10;
const MAX_DISTANCE: f64 = 1e7;

/// A polygon in its frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Polygon {
    points: Vec<DVec2>,
    min: DVec2,
    max: DVec2,
}

/// Why points make no polygon (POV-Ray ignores such polygons with a warning).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Degenerate {
    Colinear,
    NotCoplanar,
}

impl Polygon {
    /// The polygon and the map from its frame to the description's space.
    pub fn new(points: &[DVec3]) -> Result<(Polygon, DAffine3), Degenerate> {
        let o = *points.first().ok_or(Degenerate::Colinear)?;
        let mut rest = points.iter().map(|p| *p - o);
        let u = rest
            .by_ref()
            .find(|u| u.length_squared() > EPSILON)
            .ok_or(Degenerate::Colinear)?;
        let (v, w) = rest
            .map(|v| (v, u.cross(v)))
            .find(|(v, w)| v.length_squared() > EPSILON && w.length_squared() > EPSILON)
            .ok_or(Degenerate::Colinear)?;
        let u2 = v.cross(w);
        let v2 = w.cross(u2);
        let (u, v, w) = (u2.normalize(), v2.normalize(), w.normalize());
        let mut flat = Vec::with_capacity(points.len());
        for p in points {
            let d = *p - o;
            if d.dot(w).abs() > ZERO_TOLERANCE {
                return Err(Degenerate::NotCoplanar);
            }
            flat.push(DVec2::new(d.dot(u), d.dot(v)));
        }
        let min = flat.iter().fold(DVec2::INFINITY, |m, p| m.min(*p));
        let max = flat.iter().fold(DVec2::NEG_INFINITY, |m, p| m.max(*p));
        let frame = DAffine3::from_mat3_translation(DMat3::from_cols(u, v, w), o);
        Ok((
            Polygon {
                points: flat,
                min,
                max,
            },
            frame,
        ))
    }

    pub fn bounds(&self) -> Aabb {
        Aabb::new(
            DVec3::new(self.min.x, self.min.y, -1e-6),
            DVec3::new(self.max.x, self.max.y, 1e-6),
        )
    }

    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 {
            return;
        }
        let d = r.dir / len;
        if d.z.abs() < ZERO_TOLERANCE {
            return;
        }
        let depth = -r.origin.z / d.z;
        if !(DEPTH_TOLERANCE..=MAX_DISTANCE).contains(&depth) {
            return;
        }
        let at = r.origin + d * depth;
        if self.contains(at.x, at.y) {
            out.push(depth / len, 0, 0.0);
        }
    }

    /// POV-Ray's crossing test (Haines' "CrossingsMultiplyTest"), a repeated first
    /// point starting the next sub-polygon.
    fn contains(&self, tx: f64, ty: f64) -> bool {
        let pts = &self.points;
        let n = pts.len();
        if n < 2 {
            return false;
        }
        let (mut i0, mut i1, mut first) = (0, 1, 0);
        let mut yflag0 = pts[0].y >= ty;
        let mut inside = false;
        let mut i = 1;
        while i < n {
            let (v0, v1) = (pts[i0], pts[i1]);
            let yflag1 = v1.y >= ty;
            if yflag0 != yflag1
                && (((v1.y - ty) * (v0.x - v1.x) >= (v1.x - tx) * (v0.y - v1.y)) == yflag1)
            {
                inside = !inside;
            }
            if i + 2 < n && v1 == pts[first] {
                i += 1;
                i0 = i;
                i += 1;
                i1 = i;
                yflag0 = pts[i0].y >= ty;
                first = i0;
            } else {
                i0 = i1;
                i += 1;
                i1 = i.min(n - 1);
                yflag0 = yflag1;
            }
        }
        inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_with_a_square_hole() {
        let pts: Vec<DVec3> = [
            (0.0, 0.0),
            (4.0, 0.0),
            (4.0, 4.0),
            (0.0, 4.0),
            (0.0, 0.0),
            (1.0, 1.0),
            (3.0, 1.0),
            (3.0, 3.0),
            (1.0, 3.0),
            (1.0, 1.0),
        ]
        .iter()
        .map(|&(x, y)| DVec3::new(x, y, 2.0))
        .collect();
        let (p, frame) = Polygon::new(&pts).expect("planar");
        let local = |x: f64, y: f64| frame.inverse().transform_point3(DVec3::new(x, y, 2.0));
        let hit = |x: f64, y: f64| {
            let o = local(x, y) + frame.inverse().transform_vector3(DVec3::Z * -3.0);
            let d = frame.inverse().transform_vector3(DVec3::Z);
            let mut out = ShapeHits::default();
            p.intersect(&Ray::new(o, d), &mut out);
            out.len()
        };
        assert_eq!(hit(0.5, 0.5), 1);
        assert_eq!(hit(2.0, 2.0), 0, "the hole");
        assert_eq!(hit(5.0, 2.0), 0);
        assert_eq!(
            Polygon::new(&[DVec3::ZERO, DVec3::X, DVec3::X * 2.0]).err(),
            Some(Degenerate::Colinear)
        );
    }
}
