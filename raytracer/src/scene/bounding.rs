//! `bounded_by` as POV-Ray applies it to the objects that keep their bounding objects
//! at render time (polynomial surfaces; POV-Ray drops the bounds of cheap shapes and
//! only narrows their boxes): a ray that neither crosses every bounding object nor
//! starts inside it misses the object, even where the object's surface lies outside
//! the bound. Infinite polynomial surfaces are cut to their bounding spheres this way.
//! The inside test (for CSG and clipping) ignores the bounding objects, as POV-Ray's.

use super::geometry::{Ray, RayInv};
use super::object::Object;
use crate::stats::Stats;

/// True when `ray` may hit an object bounded by `bound`: it crosses each bounding
/// object somewhere ahead or starts inside it (POV-Ray's `Ray_In_Bound`).
pub fn ray_in_bound(bound: &[Object], ray: &Ray, rinv: &RayInv, stats: &mut Stats) -> bool {
    bound
        .iter()
        .all(|b| crosses(b, ray, rinv, stats) || b.inside(ray.origin))
}

fn crosses(b: &Object, ray: &Ray, rinv: &RayInv, stats: &mut Stats) -> bool {
    if let Some(hits) = b.simple_hits(ray, rinv, f64::INFINITY, stats) {
        return !hits.is_empty();
    }
    // A CSG or clipped bound: rare, and the list only allocates once it has a hit.
    let mut hits = Vec::new();
    b.intersect(ray, rinv, f64::INFINITY, &mut hits, stats);
    !hits.is_empty()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use glam::DVec3;

    use super::*;
    use crate::desc::poly_terms::{term_count, term_index};
    use crate::pattern::NoiseGenerator;
    use crate::scene::material::Material;
    use crate::scene::object::Primitive;
    use crate::scene::shapes::Shape;

    fn object(shape: Shape) -> Object {
        let material = Arc::new(Material::from_desc(None, None, NoiseGenerator::default()));
        Object::primitive(
            Primitive {
                shape,
                transform: None,
                material,
            },
            false,
        )
    }

    /// `x² - 1 = 0` (the planes x = ±1) bounded by a sphere of radius 2.
    fn bounded_planes() -> Object {
        let mut c = vec![0.0; term_count(2)];
        c[term_index(2, 2, 0, 0).unwrap()] = 1.0;
        c[term_index(2, 0, 0, 0).unwrap()] = -1.0;
        let mut o = object(Shape::poly(2, &c, false).unwrap());
        o.bound.push(object(Shape::Sphere {
            center: DVec3::ZERO,
            radius: 2.0,
        }));
        o
    }

    fn hit_count(o: &Object, origin: DVec3, dir: DVec3) -> usize {
        let ray = Ray::new(origin, dir);
        let mut hits = Vec::new();
        o.intersect(
            &ray,
            &RayInv::new(&ray),
            f64::INFINITY,
            &mut hits,
            &mut Stats::default(),
        );
        hits.len()
    }

    #[test]
    fn the_inside_test_ignores_the_bound() {
        let mut o = bounded_planes();
        o.restrict_bounds(Some(crate::scene::Aabb::new(
            DVec3::splat(-2.0),
            DVec3::splat(2.0),
        )));
        // Between the planes, far outside the bounding sphere: inside, as in POV-Ray.
        assert!(o.inside(DVec3::new(0.0, 10.0, 0.0)));
        assert!(!o.inside(DVec3::new(3.0, 10.0, 0.0)));
    }

    #[test]
    fn rays_missing_the_bound_miss_the_object() {
        let o = bounded_planes();
        // Crosses both planes inside the sphere.
        assert_eq!(hit_count(&o, DVec3::new(-5.0, 0.5, 0.0), DVec3::X), 2);
        // Crosses the planes at y = 3, but never the sphere: POV-Ray reports nothing.
        assert_eq!(hit_count(&o, DVec3::new(-5.0, 3.0, 0.0), DVec3::X), 0);
        // Starts inside the sphere heading out: still tested, and the hit outside
        // the sphere counts (the bound prunes rays, it does not clip).
        assert_eq!(
            hit_count(&o, DVec3::new(0.0, 1.9, 0.0), DVec3::new(1.0, 0.1, 0.0)),
            1
        );
    }
}
