//! Render objects: primitives placed in the world and CSG trees over them.
//!
//! CSG follows POV-Ray: a union keeps every hit of its children; a merge keeps the hits
//! of each child that lie outside all the others; an intersection keeps the hits of
//! each child that lie inside all the others; a difference is an intersection whose
//! later children are inverted, and the builder rewrites `inverse` on a CSG node with
//! De Morgan's laws, so at render time only primitives carry the inverse flag.
//! `clipped_by` keeps only hits inside every clipping object.

use std::sync::Arc;

use glam::{DVec2, DVec3};

use super::bounding;
use super::geometry::{Aabb, Ray, RayInv};
use super::material::Material;
use super::shapes::{Shape, ShapeHits};
use super::transform::Transform;
use crate::stats::ShapeKind;
use crate::stats::Stats;

/// How a CSG node combines its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsgOp {
    Union,
    Merge,
    Intersection,
}

/// A primitive with its placement and surface.
#[derive(Debug)]
pub struct Primitive {
    pub shape: Shape,
    /// Object-to-world placement; `None` when the shape is already in world space.
    pub transform: Option<Transform>,
    pub material: Arc<Material>,
}

// Primitives are read on every intersection; keeping them inline (not boxed) saves
// a pointer chase on the hottest path, at the cost of larger CSG nodes.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum ObjectKind {
    Primitive(Primitive),
    Csg { op: CsgOp, children: Vec<Object> },
}

/// One node of the object tree.
#[derive(Debug)]
pub struct Object {
    pub kind: ObjectKind,
    /// Only meaningful on primitives (see the module doc).
    pub inverse: bool,
    pub clip: Vec<Object>,
    /// `bounded_by` objects tested against every ray (see [`super::bounding`]);
    /// empty for the objects whose bounds only narrow `bounds`.
    pub bound: Vec<Object>,
    /// World bounds; `None` for unbounded objects (planes, quadrics, inverses).
    pub bounds: Option<Aabb>,
    pub no_shadow: bool,
    /// `no_image`: invisible to camera rays.
    pub no_image: bool,
    /// `no_reflection`: invisible to reflected rays.
    pub no_reflection: bool,
    /// `double_illuminate`: lit from behind as well.
    pub double_illuminate: bool,
    /// `photons { }` (a CSG's are on every primitive of it too).
    pub photons: crate::scene::photon_targets::PhotonFlags,
    /// The `light_group` the object is in (see [`super::light_group`]).
    pub light_group: Option<u32>,
    /// `radiosity { importance }` (None: the scene's default importance).
    pub radiosity_importance: Option<f32>,
    /// For a CSG intersection of untransformed planes (see [`Object::csg`]), each
    /// child's half-space `normal . p < distance` with its `inverse` folded in (a
    /// sign flip, exact in floating point); empty for every other object.
    halfspaces: Box<[(DVec3, f64)]>,
}

/// One crossing of a ray with a primitive's surface.
#[derive(Clone, Copy, Debug)]
pub struct Hit<'a> {
    pub t: f64,
    pub object: &'a Object,
    pub part: u32,
}

impl Object {
    /// A primitive object with its world bounds computed.
    pub fn primitive(prim: Primitive, inverse: bool) -> Object {
        let bounds = if inverse {
            None
        } else {
            prim.shape.bounds().map(|b| match &prim.transform {
                Some(t) => b.transformed(&t.to_world),
                None => b,
            })
        };
        Object {
            kind: ObjectKind::Primitive(prim),
            inverse,
            clip: Vec::new(),
            bound: Vec::new(),
            bounds,
            no_shadow: false,
            no_image: false,
            no_reflection: false,
            double_illuminate: false,
            photons: Default::default(),
            light_group: None,
            radiosity_importance: None,
            halfspaces: Box::new([]),
        }
    }

    /// A CSG node; bounds follow from the children.
    pub fn csg(op: CsgOp, children: Vec<Object>) -> Object {
        let bounds = csg_bounds(op, &children);
        let mut o = Object {
            kind: ObjectKind::Csg { op, children },
            inverse: false,
            clip: Vec::new(),
            bound: Vec::new(),
            bounds,
            no_shadow: false,
            no_image: false,
            no_reflection: false,
            double_illuminate: false,
            photons: Default::default(),
            light_group: None,
            radiosity_importance: None,
            halfspaces: Box::new([]),
        };
        // An intersection of bare planes is a convex polyhedron: one slab pass finds
        // its entry and exit instead of an inside test per plane per hit.
        if let (ObjectKind::Csg { children, .. }, CsgOp::Intersection) = (&o.kind, op) {
            let halfspaces: Option<Box<[(DVec3, f64)]>> = children
                .iter()
                .map(|c| match &c.kind {
                    ObjectKind::Primitive(Primitive {
                        shape: Shape::Plane { normal, distance },
                        transform: None,
                        ..
                    }) if c.clip.is_empty() => {
                        let sign = if c.inverse { -1.0 } else { 1.0 };
                        Some((*normal * sign, distance * sign))
                    }
                    _ => None,
                })
                .collect();
            o.halfspaces = halfspaces.unwrap_or_default();
        }
        if o.bounds.is_none() && op == CsgOp::Intersection {
            // Half-spaces and quadrics are unbounded alone but often bounded together
            // (skyvase's vase is two planes and two hyperboloids).
            let all = Aabb {
                min: DVec3::NEG_INFINITY,
                max: DVec3::INFINITY,
            };
            let b = o.clip_bounds(all);
            o.bounds = b.is_finite().then_some(b);
        }
        o
    }

    /// Appends this top-level object to `out`, split into its members when it is a
    /// union that only groups them (no clipping, no `bounded_by` narrower than its
    /// members): a union's hits are exactly its members' hits, so the scene can
    /// index the members one by one in its BVH, and a query skips the grouping
    /// level. Members take the union's visibility flags, which are the ones queries
    /// have always read for the whole top-level object.
    pub fn flatten_into(self, out: &mut Vec<Object>) {
        let splits = match &self.kind {
            ObjectKind::Csg {
                op: CsgOp::Union,
                children,
            } => {
                self.clip.is_empty()
                    && self.bound.is_empty()
                    && self.bounds == csg_bounds(CsgOp::Union, children)
            }
            _ => false,
        };
        if !splits {
            out.push(self);
            return;
        }
        let (no_shadow, no_image, no_reflection) =
            (self.no_shadow, self.no_image, self.no_reflection);
        let double_illuminate = self.double_illuminate;
        if let ObjectKind::Csg { children, .. } = self.kind {
            for mut child in children {
                // A child's own flags stay: the union's only add to them.
                child.no_shadow |= no_shadow;
                child.no_image |= no_image;
                child.no_reflection |= no_reflection;
                child.double_illuminate |= double_illuminate;
                child.flatten_into(out);
            }
        }
    }

    /// A box holding every point of this object that lies in `within` (possibly
    /// infinite); `within` itself when nothing better is known.
    pub fn clip_bounds(&self, within: Aabb) -> Aabb {
        let clipped = match (&self.kind, self.bounds) {
            (_, Some(b)) => b.intersection(&within).unwrap_or(Aabb {
                min: b.min,
                max: b.min,
            }),
            (ObjectKind::Primitive(p), None) => {
                super::bounds::primitive_within(p, self.inverse, within)
            }
            (
                ObjectKind::Csg {
                    op: CsgOp::Intersection,
                    children,
                },
                None,
            ) => {
                let mut b = within;
                // Two passes: a quadric is bounded only once the planes have cut the box.
                for _ in 0..2 {
                    for c in children {
                        b = c.clip_bounds(b);
                    }
                }
                b
            }
            (ObjectKind::Csg { children, .. }, None) => {
                let mut acc: Option<Aabb> = None;
                for c in children {
                    let b = c.clip_bounds(within);
                    acc = Some(acc.map_or(b, |a| a.union(&b)));
                }
                acc.unwrap_or(within)
            }
        };
        self.clip.iter().fold(clipped, |b, c| c.clip_bounds(b))
    }

    /// Pushes every valid hit of this object along `ray` closer than `t_max` onto
    /// `out`. Whether a CSG hit is valid depends only on where it lies, so hits beyond
    /// `t_max` are dropped before paying for their inside tests.
    pub fn intersect<'a>(
        &'a self,
        ray: &Ray,
        rinv: &RayInv,
        t_max: f64,
        out: &mut Vec<Hit<'a>>,
        stats: &mut Stats,
    ) {
        if let Some(b) = &self.bounds {
            if b.hit(rinv, t_max).is_none() {
                return;
            }
        }
        if !self.bound.is_empty() && !bounding::ray_in_bound(&self.bound, ray, rinv, stats) {
            return;
        }
        let start = out.len();
        if !self.ray_in_bound(ray, rinv, out, stats) {
            return;
        }
        match &self.kind {
            ObjectKind::Primitive(p) => {
                let hits = primitive_hits(p, ray, stats);
                for (t, part) in hits.iter().filter(|h| h.0 < t_max) {
                    out.push(Hit {
                        t,
                        object: self,
                        part,
                    });
                }
            }
            ObjectKind::Csg { children, .. } if !self.halfspaces.is_empty() => {
                convex_hits(children, &self.halfspaces, ray, t_max, out, stats);
            }
            ObjectKind::Csg { op, children } => {
                for (i, child) in children.iter().enumerate() {
                    let from = out.len();
                    child.intersect(ray, rinv, t_max, out, stats);
                    if *op != CsgOp::Union {
                        retain_from(out, from, |h| {
                            let p = ray.at(h.t);
                            children
                                .iter()
                                .enumerate()
                                .filter(|(j, _)| *j != i)
                                .all(|(_, o)| {
                                    let inside = o.inside(p);
                                    if *op == CsgOp::Merge {
                                        !inside
                                    } else {
                                        inside
                                    }
                                })
                        });
                    }
                }
            }
        }
        if !self.clip.is_empty() {
            retain_from(out, start, |h| {
                let p = ray.at(h.t);
                self.clip.iter().all(|c| c.inside(p))
            });
        }
    }

    /// The crossings of an unclipped primitive (none when its box is missed before
    /// `t_max`; callers drop those at or beyond `t_max`), without going through a
    /// hit list; `None` for the other objects, whose hits need
    /// [`Object::intersect`]. Every crossing of such a primitive is a valid hit, so
    /// this is the same set of hits in the same order.
    #[inline(always)]
    pub fn simple_hits(
        &self,
        ray: &Ray,
        rinv: &RayInv,
        t_max: f64,
        stats: &mut Stats,
    ) -> Option<ShapeHits> {
        let ObjectKind::Primitive(p) = &self.kind else {
            return None;
        };
        if !self.clip.is_empty() || !self.bound.is_empty() {
            return None;
        }
        if let Some(b) = &self.bounds {
            if b.hit(rinv, t_max).is_none() {
                return Some(ShapeHits::default());
            }
        }
        Some(primitive_hits(p, ray, stats))
    }

    /// The nearest valid hit of this top-level object closer than `t_max` (the
    /// first of equally near ones, in the order [`Object::intersect_closest`]
    /// finds them). `scratch` holds the hit list when one is needed. Inlined into
    /// the scene's query: a hit returned from a call comes back through memory,
    /// and reading it stalled on store forwarding.
    #[inline(always)]
    pub fn nearest<'a>(
        &'a self,
        ray: &Ray,
        rinv: &RayInv,
        t_max: f64,
        scratch: &mut Vec<Hit<'a>>,
        stats: &mut Stats,
    ) -> Option<Hit<'a>> {
        let mut best = None;
        let mut t_best = t_max;
        if let Some(hits) = self.simple_hits(ray, rinv, t_max, stats) {
            for (t, part) in hits.iter() {
                if t < t_best {
                    t_best = t;
                    best = Some(Hit {
                        t,
                        object: self,
                        part,
                    });
                }
            }
            return best;
        }
        scratch.clear();
        self.intersect_closest(ray, rinv, t_max, scratch, stats);
        for h in scratch.iter() {
            if h.t < t_best {
                t_best = h.t;
                best = Some(*h);
            }
        }
        best
    }

    /// Like [`Object::intersect`] for a closest-hit query on a top-level object: the
    /// hits of an unclipped union are final, so each child after the first is only
    /// searched up to the nearest hit found so far. Returns that nearest distance.
    pub fn intersect_closest<'a>(
        &'a self,
        ray: &Ray,
        rinv: &RayInv,
        t_max: f64,
        out: &mut Vec<Hit<'a>>,
        stats: &mut Stats,
    ) -> f64 {
        let nearest = |out: &[Hit<'a>], t: f64| out.iter().fold(t, |m, h| m.min(h.t));
        match &self.kind {
            ObjectKind::Csg {
                op: CsgOp::Union,
                children,
            } if self.clip.is_empty() && self.bound.is_empty() => {
                if let Some(b) = &self.bounds {
                    if b.hit(rinv, t_max).is_none() {
                        return t_max;
                    }
                }
                let mut t = t_max;
                for child in children {
                    t = child.intersect_closest(ray, rinv, t, out, stats);
                }
                t
            }
            _ => {
                let from = out.len();
                self.intersect(ray, rinv, t_max, out, stats);
                nearest(&out[from..], t_max)
            }
        }
    }

    /// Whether the ray meets every `bounded_by` object (or starts inside it); the
    /// bound's hits are looked at in `scratch` beyond its length and removed.
    fn ray_in_bound<'a>(
        &'a self,
        ray: &Ray,
        rinv: &RayInv,
        scratch: &mut Vec<Hit<'a>>,
        stats: &mut Stats,
    ) -> bool {
        self.bound.iter().all(|b| {
            let from = scratch.len();
            b.intersect(ray, rinv, f64::INFINITY, scratch, stats);
            let met = scratch.len() > from;
            scratch.truncate(from);
            met || b.inside(ray.origin)
        })
    }

    /// POV-Ray's inside test for the whole object (clipping included).
    pub fn inside(&self, p: DVec3) -> bool {
        // Inside points of a bounded object lie within its bounds: a cheap rejection.
        // Not when the bounds come from kept bounding objects: POV-Ray's inside test
        // ignores `bounded_by`, so such an object's inside reaches past them.
        if let (Some(b), true) = (&self.bounds, self.bound.is_empty()) {
            if !b.contains(p) {
                return false;
            }
        }
        let inside = match &self.kind {
            ObjectKind::Primitive(prim) => {
                let local = match &prim.transform {
                    Some(t) => t.point_to_object(p),
                    None => p,
                };
                prim.shape.inside(local) != self.inverse
            }
            ObjectKind::Csg {
                op: CsgOp::Intersection,
                children,
            } => children.iter().all(|c| c.inside(p)),
            ObjectKind::Csg { children, .. } => children.iter().any(|c| c.inside(p)),
        };
        inside && self.clip.iter().all(|c| c.inside(p))
    }

    /// Unit world normal of a primitive at a hit point (outward, before `inverse`).
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        match &self.kind {
            ObjectKind::Primitive(prim) => {
                let n = match &prim.transform {
                    Some(t) => t.normal_to_world(prim.shape.normal(t.point_to_object(p), part)),
                    None => prim.shape.normal(p, part),
                };
                n.normalize_or_zero()
            }
            ObjectKind::Csg { .. } => DVec3::ZERO,
        }
    }

    /// The uv of a primitive at a hit point, for `uv_mapping`: the shape's own
    /// (from the point in object space), else POV-Ray's default, the world
    /// point's x and y.
    pub fn uv(&self, p: DVec3, part: u32) -> DVec2 {
        let own = match &self.kind {
            ObjectKind::Primitive(prim) => match &prim.transform {
                Some(t) => prim.shape.uv(t.point_to_object(p), part),
                None => prim.shape.uv(p, part),
            },
            ObjectKind::Csg { .. } => None,
        };
        own.unwrap_or(DVec2::new(p.x, p.y))
    }

    /// The surface of a primitive hit (CSG nodes pass theirs down when built).
    pub fn material(&self) -> Option<&Arc<Material>> {
        match &self.kind {
            ObjectKind::Primitive(p) => Some(&p.material),
            ObjectKind::Csg { .. } => None,
        }
    }

    pub fn shape_kind(&self) -> Option<ShapeKind> {
        match &self.kind {
            ObjectKind::Primitive(p) => Some(p.shape.kind()),
            ObjectKind::Csg { .. } => None,
        }
    }

    /// Restricts the object's bounds (from `bounded_by` or clipping).
    pub fn restrict_bounds(&mut self, b: Option<Aabb>) {
        if let Some(b) = b {
            self.bounds = Some(match self.bounds {
                Some(old) => old.intersection(&b).unwrap_or(Aabb {
                    min: b.min,
                    max: b.min,
                }),
                None => b,
            });
        }
    }
}

/// A primitive's crossings along a world ray, counted in the statistics.
#[inline(always)]
fn primitive_hits(p: &Primitive, ray: &Ray, stats: &mut Stats) -> ShapeHits {
    let mut hits = ShapeHits::default();
    match &p.transform {
        Some(t) => p.shape.intersect_into(&t.ray_to_object(ray), &mut hits),
        None => p.shape.intersect_into(ray, &mut hits),
    }
    stats.count_test(p.shape.kind(), !hits.is_empty());
    hits
}

/// Entry and exit of a ray through the intersection of `halfspaces`, those of the
/// plane primitives `planes` (in the same order).
fn convex_hits<'a>(
    planes: &'a [Object],
    halfspaces: &[(DVec3, f64)],
    ray: &Ray,
    t_max: f64,
    out: &mut Vec<Hit<'a>>,
    stats: &mut Stats,
) {
    let (mut t_in, mut t_out) = (f64::NEG_INFINITY, f64::INFINITY);
    let (mut obj_in, mut obj_out): (Option<&Object>, Option<&Object>) = (None, None);
    for (c, &(normal, distance)) in planes.iter().zip(halfspaces) {
        let den = normal.dot(ray.dir);
        let dist = distance - normal.dot(ray.origin);
        stats.count_test(ShapeKind::Plane, den != 0.0);
        if den == 0.0 {
            if dist <= 0.0 {
                return;
            }
            continue;
        }
        let t = dist / den;
        if den < 0.0 {
            if t > t_in {
                t_in = t;
                obj_in = Some(c);
            }
        } else if t < t_out {
            t_out = t;
            obj_out = Some(c);
        }
        // The interval only shrinks: once it is empty, ends before the surface
        // tolerance or starts beyond `t_max`, neither end can become a hit.
        if t_in >= t_out || t_out <= super::shapes::DEPTH_TOLERANCE || t_in >= t_max {
            return;
        }
    }
    if t_in >= t_out {
        return;
    }
    for (t, obj) in [(t_in, obj_in), (t_out, obj_out)] {
        if let Some(object) = obj {
            if t > super::shapes::DEPTH_TOLERANCE && t < t_max {
                out.push(Hit { t, object, part: 0 });
            }
        }
    }
}

fn csg_bounds(op: CsgOp, children: &[Object]) -> Option<Aabb> {
    match op {
        CsgOp::Union | CsgOp::Merge => {
            let mut acc: Option<Aabb> = None;
            for c in children {
                let b = c.bounds?;
                acc = Some(acc.map_or(b, |a| a.union(&b)));
            }
            acc
        }
        CsgOp::Intersection => {
            let mut acc: Option<Aabb> = None;
            for b in children.iter().filter_map(|c| c.bounds) {
                // An empty intersection still needs a (degenerate) box, never "unbounded".
                acc = Some(match acc {
                    Some(a) => a.intersection(&b).unwrap_or(Aabb {
                        min: b.min,
                        max: b.min,
                    }),
                    None => b,
                });
            }
            acc
        }
    }
}

/// Keeps, among `out[from..]`, the hits for which `keep` is true (in place, in order).
fn retain_from<'a>(out: &mut Vec<Hit<'a>>, from: usize, mut keep: impl FnMut(&Hit<'a>) -> bool) {
    let mut w = from;
    for r in from..out.len() {
        let h = out[r];
        if keep(&h) {
            out[w] = h;
            w += 1;
        }
    }
    out.truncate(w);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::NoiseGenerator;

    fn prim(shape: Shape, inverse: bool) -> Object {
        let material = Arc::new(Material::from_desc(None, None, NoiseGenerator::default()));
        Object::primitive(
            Primitive {
                shape,
                transform: None,
                material,
            },
            inverse,
        )
    }

    fn plane(n: DVec3, d: f64, inverse: bool) -> Object {
        prim(
            Shape::Plane {
                normal: n,
                distance: d,
            },
            inverse,
        )
    }

    /// The unit cube as six half-spaces (three of them written inverted), which takes
    /// the convex slab path, must give the same hits as the box primitive and as the
    /// general CSG path.
    #[test]
    fn plane_intersection_matches_box() {
        let cube = || {
            vec![
                plane(DVec3::X, 1.0, false),
                plane(DVec3::X, -1.0, true),
                plane(DVec3::Y, 1.0, false),
                plane(-DVec3::Y, 1.0, false),
                plane(DVec3::Z, 1.0, false),
                plane(DVec3::Z, -1.0, true),
            ]
        };
        let convex = Object::csg(CsgOp::Intersection, cube());
        assert_eq!(convex.halfspaces.len(), 6);
        let mut general = Object::csg(CsgOp::Intersection, cube());
        general.halfspaces = Box::new([]);
        let b = prim(
            Shape::Box {
                min: DVec3::splat(-1.0),
                max: DVec3::splat(1.0),
            },
            false,
        );
        let mut stats = Stats::default();
        for i in 0..300 {
            let f = i as f64;
            let o = DVec3::new(
                (f * 0.7).sin() * 4.0,
                (f * 1.3).cos() * 4.0,
                (f * 0.3).sin() * 4.0,
            );
            let d = (DVec3::new((f * 0.9).cos(), (f * 0.4).sin(), 0.5) - o * 0.2).normalize();
            let ray = Ray::new(o, d);
            let rinv = RayInv::new(&ray);
            let ts = |obj: &Object, stats: &mut Stats| {
                let mut out = Vec::new();
                obj.intersect(&ray, &rinv, f64::INFINITY, &mut out, stats);
                let mut t: Vec<f64> = out.iter().map(|h| h.t).collect();
                t.sort_by(f64::total_cmp);
                t
            };
            let want = ts(&b, &mut stats);
            for got in [ts(&convex, &mut stats), ts(&general, &mut stats)] {
                assert_eq!(got.len(), want.len(), "ray {i}: {got:?} vs {want:?}");
                for (g, w) in got.iter().zip(&want) {
                    assert!((g - w).abs() < 1e-9, "ray {i}: {got:?} vs {want:?}");
                }
            }
        }
    }
}
