//! `bounded_by` as POV-Ray applies it to the objects that keep their bounding objects
//! at render time (polynomial surfaces; POV-Ray drops the bounds of cheap shapes and
//! only narrows their boxes): a ray that neither crosses every bounding object nor
//! starts inside it misses the object, even where the object's surface lies outside
//! the bound. Infinite polynomial surfaces are cut to their bounding spheres this way.

use super::geometry::{Ray, RayInv};
use super::object::Object;
use crate::render::stats::Stats;

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
