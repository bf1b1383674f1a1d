//! Rays and axis-aligned bounding boxes: the two small value types every shape,
//! the BVH and the tracer share.

use glam::DVec3;

/// A ray in world or object space. The direction is not required to be unit length:
/// transforming a world ray into object space keeps the parameter `t` meaning the same
/// point, so hits from differently transformed shapes stay comparable.
#[derive(Clone, Copy, Debug)]
pub struct Ray {
    pub origin: DVec3,
    pub dir: DVec3,
}

impl Ray {
    pub fn new(origin: DVec3, dir: DVec3) -> Self {
        Ray { origin, dir }
    }

    #[inline]
    pub fn at(&self, t: f64) -> DVec3 {
        self.origin + self.dir * t
    }
}

/// Precomputed reciprocal direction for fast slab tests against many boxes.
#[derive(Clone, Copy, Debug)]
pub struct RayInv {
    pub origin: DVec3,
    pub inv_dir: DVec3,
    /// Origin, direction and reciprocals are all finite (no direction component
    /// is zero), so no slab distance is NaN, even to a box with infinite sides.
    finite: bool,
}

impl RayInv {
    pub fn new(ray: &Ray) -> Self {
        let inv_dir = ray.dir.recip();
        RayInv {
            origin: ray.origin,
            inv_dir,
            finite: ray.dir.is_finite() && inv_dir.is_finite() && ray.origin.is_finite(),
        }
    }
}

/// `a.min(b)` for operands known not to be NaN: one instruction, where
/// `f64::min` spends several on NaN handling.
#[inline(always)]
fn min_fast(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

#[inline(always)]
fn max_fast(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

/// An axis-aligned box. Unbounded objects have no box at all (`Option<Aabb>`), so
/// this type is always finite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aabb {
    pub min: DVec3,
    pub max: DVec3,
}

impl Aabb {
    pub fn new(a: DVec3, b: DVec3) -> Self {
        Aabb {
            min: a.min(b),
            max: a.max(b),
        }
    }

    pub fn union(&self, o: &Aabb) -> Aabb {
        Aabb {
            min: self.min.min(o.min),
            max: self.max.max(o.max),
        }
    }

    /// Overlap of two boxes; `None` when they do not meet.
    pub fn intersection(&self, o: &Aabb) -> Option<Aabb> {
        let min = self.min.max(o.min);
        let max = self.max.min(o.max);
        (min.cmple(max).all()).then_some(Aabb { min, max })
    }

    pub fn centroid(&self) -> DVec3 {
        (self.min + self.max) * 0.5
    }

    pub fn surface_area(&self) -> f64 {
        let d = (self.max - self.min).max(DVec3::ZERO);
        2.0 * (d.x * d.y + d.y * d.z + d.z * d.x)
    }

    /// Slab test; returns the entry distance when the ray meets the box before `t_max`.
    #[inline]
    pub fn hit(&self, r: &RayInv, t_max: f64) -> Option<f64> {
        if r.finite {
            // Finite box, origin and reciprocals: no slab distance is NaN. (`t_max`
            // may be infinite; comparisons with it are ordered.)
            let t0 = (self.min - r.origin) * r.inv_dir;
            let t1 = (self.max - r.origin) * r.inv_dir;
            let enter = max_fast(
                max_fast(min_fast(t0.x, t1.x), min_fast(t0.y, t1.y)),
                min_fast(t0.z, t1.z),
            );
            let exit = min_fast(
                min_fast(
                    min_fast(max_fast(t0.x, t1.x), max_fast(t0.y, t1.y)),
                    max_fast(t0.z, t1.z),
                ),
                t_max,
            );
            return (exit >= max_fast(enter, 0.0)).then_some(enter);
        }
        let t0 = (self.min - r.origin) * r.inv_dir;
        let t1 = (self.max - r.origin) * r.inv_dir;
        let tmin = t0.min(t1);
        let tmax = t0.max(t1);
        // NaN from 0 * inf (origin on a slab face, ray parallel) must not reject the box.
        let enter = tmin.x.max(tmin.y).max(tmin.z);
        let exit = tmax.x.min(tmax.y).min(tmax.z).min(t_max);
        if enter.is_nan() || exit.is_nan() {
            return Some(0.0);
        }
        (exit >= enter.max(0.0)).then_some(enter)
    }

    /// The box enclosing this one after an affine map (all eight corners).
    pub fn transformed(&self, m: &glam::DAffine3) -> Aabb {
        let mut out: Option<Aabb> = None;
        for i in 0..8 {
            let c = DVec3::new(
                if i & 1 == 0 { self.min.x } else { self.max.x },
                if i & 2 == 0 { self.min.y } else { self.max.y },
                if i & 4 == 0 { self.min.z } else { self.max.z },
            );
            let p = m.transform_point3(c);
            let b = Aabb { min: p, max: p };
            out = Some(out.map_or(b, |o| o.union(&b)));
        }
        out.unwrap_or(*self)
    }

    #[inline]
    pub fn contains(&self, p: DVec3) -> bool {
        p.cmpge(self.min).all() && p.cmple(self.max).all()
    }

    pub fn is_finite(&self) -> bool {
        self.min.is_finite() && self.max.is_finite()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slab_hit_and_miss() {
        let b = Aabb::new(DVec3::splat(-1.0), DVec3::splat(1.0));
        let r = Ray::new(DVec3::new(0.0, 0.0, -5.0), DVec3::Z);
        assert_eq!(b.hit(&RayInv::new(&r), f64::INFINITY), Some(4.0));
        let r = Ray::new(DVec3::new(2.0, 0.0, -5.0), DVec3::Z);
        assert_eq!(b.hit(&RayInv::new(&r), f64::INFINITY), None);
        let r = Ray::new(DVec3::new(0.0, 0.0, -5.0), DVec3::Z);
        assert_eq!(b.hit(&RayInv::new(&r), 3.0), None);
    }
}
