//! `blob { }` as POV-Ray 3.7 intersects it.
//!
//! Each component adds `s (1 - r²/R²)²` to the field inside its radius of
//! influence R (r: distance to a sphere's centre or a cylinder's axis; cylinders
//! get hemispherical end caps as two more components). Along a ray the field is a
//! quartic in t between consecutive entries and exits of the components' regions,
//! so the ray is cut into those intervals, the coefficients of the components
//! present are summed, and the quartic minus the threshold is solved on each
//! interval. POV-Ray first rejects an interval whose Bézier control values all
//! have one sign; so do we.

use glam::{DAffine3, DMat3, DVec3};

use super::interval_roots::roots_in;
use super::ShapeHits;
use crate::desc::shapes::{Blob as BlobDesc, BlobComponentKind};
use crate::scene::geometry::{Aabb, Ray};
use crate::scene::transform::Transform;

/// Blob hits closer than this are the surface the ray leaves (POV-Ray's value).
const DEPTH_TOLERANCE: f64 = 1.0e-2;
/// A point this close below the threshold still counts as inside.
const INSIDE_TOLERANCE: f64 = 1.0e-6;
/// POV-Ray's general small number.
const EPSILON: f64 = 1.0e-10;
/// Interval starts this close to the ray origin are taken as the origin.
const SMALL_TOLERANCE: f64 = 1.0e-3;

/// Where a component's field lives.
#[derive(Clone, Debug)]
enum Region {
    /// A sphere in blob space.
    Sphere { center: DVec3 },
    /// A sphere in the component's own space (`to_local` maps blob space there).
    Ellipsoid { center: DVec3, local: Transform },
    /// A cylinder's body: its axis is local z from 0 to `len`.
    Cylinder { local: Transform, len: f64 },
    /// The cap at z = 0 (the half with z <= 0).
    BaseCap { local: Transform },
    /// The cap at z = len (the half with z >= len).
    ApexCap { local: Transform, len: f64 },
}

/// One field source: its region and `density(r²) = c0 r⁴ + c1 r² + c2`.
#[derive(Clone, Debug)]
struct Element {
    region: Region,
    rad2: f64,
    c: [f64; 3],
    /// Bounding sphere in blob space, to skip the element cheaply.
    bound_center: DVec3,
    bound_rad2: f64,
    /// The component (as written) this element belongs to, for its texture.
    component: u32,
}

/// A blob in its own space.
#[derive(Clone, Debug)]
pub struct Blob {
    threshold: f64,
    elements: Vec<Element>,
    bounds: Option<Aabb>,
}

impl PartialEq for Blob {
    /// Blobs are built once per object and never compared by content.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// A component's entry into or exit from its region along the ray.
#[derive(Clone, Copy, Debug)]
struct Crossing {
    t: f64,
    element: u32,
    entering: bool,
}

impl Blob {
    /// Builds the elements of `desc`; `None` if a component transform is singular.
    pub fn new(desc: &BlobDesc) -> Option<Blob> {
        let mut elements = Vec::new();
        for (i, comp) in desc.components.iter().enumerate() {
            let m = DAffine3::from_mat4(comp.transform.matrix);
            let rad2 = comp.radius * comp.radius;
            let s = comp.strength;
            let c = [s / (rad2 * rad2), -2.0 * s / rad2, s];
            let i = i as u32;
            match comp.kind {
                BlobComponentKind::Sphere { center } => {
                    elements.push(sphere_element(center, rad2, c, m, i)?);
                }
                BlobComponentKind::Cylinder { base, apex } => {
                    let axis = apex - base;
                    let len = axis.length();
                    let frame = DAffine3::from_mat3_translation(axis_rotation(axis / len), base);
                    let local = Transform::new(m * frame)?;
                    let mk = |region| element(region, rad2, c, i);
                    elements.push(mk(Region::Cylinder { local, len }));
                    elements.push(mk(Region::BaseCap { local }));
                    elements.push(mk(Region::ApexCap { local, len }));
                }
            }
        }
        let bounds = elements
            .iter()
            .filter(|e| e.c[2] > 0.0)
            .map(|e| {
                let r = DVec3::splat(e.bound_rad2.sqrt());
                Aabb::new(e.bound_center - r, e.bound_center + r)
            })
            .reduce(|a, b| a.union(&b));
        Some(Blob {
            threshold: desc.threshold,
            elements,
            bounds,
        })
    }

    /// Bounds in blob space: the regions of the positive components (negative
    /// ones only take away). `None` when there is none: nothing to hit.
    pub fn bounds(&self) -> Option<Aabb> {
        self.bounds
    }

    /// The surface crossings along `r` (blob space), nearest first.
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 || self.bounds.is_none() {
            return;
        }
        let d = r.dir / len;
        let mut crossings = self.influences(r.origin, d);
        if crossings.is_empty() {
            return;
        }
        crossings.sort_by(|a, b| a.t.total_cmp(&b.t));
        // Work from the first interval, scaled so the intervals span [0, 1].
        let mut start = crossings[0].t;
        if start < SMALL_TOLERANCE {
            start = 0.0;
        }
        let mut max_bound = 0.0f64;
        for c in crossings.iter_mut() {
            c.t -= start;
            max_bound = max_bound.max(c.t);
        }
        if max_bound == 0.0 {
            max_bound = 1.0;
        } else {
            crossings.iter_mut().for_each(|c| c.t /= max_bound);
        }
        let p = r.origin + d * start;
        let dd = d * max_bound;
        self.solve_intervals(&crossings, p, dd, |t| {
            out.push_sorted((t * max_bound + start) / len, 0, DEPTH_TOLERANCE)
        });
    }

    /// Steps through the intervals adding and removing the elements' polynomials
    /// and reports each root (in interval units) to `hit`.
    fn solve_intervals(
        &self,
        crossings: &[Crossing],
        p: DVec3,
        d: DVec3,
        mut hit: impl FnMut(f64),
    ) {
        let mut sum = [0.0, 0.0, 0.0, 0.0, -self.threshold];
        let mut element_coeffs = vec![[0.0; 5]; self.elements.len()];
        let mut active = 0usize;
        for (i, c) in crossings.iter().enumerate() {
            let e = c.element as usize;
            if c.entering {
                active += 1;
                element_coeffs[e] = self.elements[e].ray_polynomial(p, d);
                for (s, k) in sum.iter_mut().zip(element_coeffs[e]) {
                    *s += k;
                }
            } else {
                for (s, k) in sum.iter_mut().zip(element_coeffs[e]) {
                    *s -= k;
                }
                active = active.saturating_sub(1);
                if active == 0 {
                    continue;
                }
            }
            let Some(next) = crossings.get(i + 1) else {
                continue;
            };
            // Crossings this close are handled together.
            if (c.t - next.t).abs() < EPSILON {
                continue;
            }
            if !hull_crosses_zero(&sum, c.t, next.t - c.t) {
                continue;
            }
            for &t in roots_in(&sum, c.t, next.t).as_slice() {
                hit(t);
            }
        }
    }

    /// The entry and exit of every element whose region the ray (unit `d`) meets.
    fn influences(&self, p: DVec3, d: DVec3) -> Vec<Crossing> {
        let mut out = Vec::new();
        for (i, e) in self.elements.iter().enumerate() {
            let v = e.bound_center - p;
            let b = v.dot(d);
            if v.length_squared() - b * b > e.bound_rad2 {
                continue;
            }
            if let Some((t0, t1)) = e.crossing(p, d, DEPTH_TOLERANCE) {
                let element = i as u32;
                out.push(Crossing {
                    t: t0,
                    element,
                    entering: true,
                });
                out.push(Crossing {
                    t: t1,
                    element,
                    entering: false,
                });
            }
        }
        out
    }

    /// The field at `p` (blob space).
    pub fn field(&self, p: DVec3) -> f64 {
        self.elements.iter().map(|e| e.density(p)).sum()
    }

    /// POV-Ray's inside test.
    pub fn inside(&self, p: DVec3) -> bool {
        self.field(p) > self.threshold - INSIDE_TOLERANCE
    }

    /// Outward normal (not normalised) at `p`: minus the field's gradient.
    pub fn normal(&self, p: DVec3) -> DVec3 {
        let n: DVec3 = self.elements.iter().map(|e| e.normal_part(p)).sum();
        if n.length_squared() == 0.0 {
            DVec3::X
        } else {
            n
        }
    }

    /// The elements whose field reaches `p`, each as its component (as
    /// written) and its share of the field (the shares sum to 1), as POV-Ray
    /// weighs component textures.
    pub fn texture_weights(&self, p: DVec3, out: &mut Vec<(u32, f64)>) {
        out.clear();
        out.extend(
            self.elements
                .iter()
                .map(|e| (e.component, e.density(p).abs()))
                .filter(|&(_, w)| w > 0.0),
        );
        let sum: f64 = out.iter().map(|(_, w)| w).sum();
        if sum > 0.0 {
            let scale = 1.0 / sum;
            out.iter_mut().for_each(|(_, w)| *w *= scale);
        }
    }
}

/// False when the quartic `c` cannot change sign on `[l, l + w]`: the control
/// values of its Bézier form there all have one sign.
fn hull_crosses_zero(c: &[f64; 5], l: f64, w: f64) -> bool {
    let n = [
        c[0] * w * w * w * w,
        (c[1] + 4.0 * c[0] * l) * w * w * w,
        (3.0 * l * (2.0 * c[0] * l + c[1]) + c[2]) * w * w,
        (2.0 * l * (2.0 * l * (c[0] * l + 0.75 * c[1]) + c[2]) + c[3]) * w,
        l * (l * (l * (c[0] * l + c[1]) + c[2]) + c[3]) + c[4],
    ];
    let dk = [
        n[4],
        n[4] + 0.25 * n[3],
        n[4] + 0.50 * (n[3] + n[2] / 3.0),
        n[4] + 0.50 * (1.5 * n[3] + n[2] + 0.5 * n[1]),
        n[4] + n[3] + n[2] + n[1] + n[0],
    ];
    !(dk.iter().all(|&v| v >= 0.0) || dk.iter().all(|&v| v <= 0.0))
}

/// A rotation taking +z to unit `axis`.
fn axis_rotation(axis: DVec3) -> DMat3 {
    let helper = if axis.x.abs() < 0.9 {
        DVec3::X
    } else {
        DVec3::Y
    };
    let u = helper.cross(axis).normalize();
    let v = axis.cross(u);
    DMat3::from_cols(u, v, axis)
}

fn element(region: Region, rad2: f64, c: [f64; 3], component: u32) -> Element {
    let (bound_center, bound_rad2) = bounding_sphere(&region, rad2);
    Element {
        region,
        rad2,
        c,
        bound_center,
        bound_rad2,
        component,
    }
}

/// A sphere component: it stays a sphere under similarities (as POV-Ray keeps it),
/// otherwise it becomes an ellipsoid in its own space.
fn sphere_element(center: DVec3, rad2: f64, c: [f64; 3], m: DAffine3, i: u32) -> Option<Element> {
    let a = m.matrix3;
    let s2 = a.x_axis.length_squared();
    let gram = a.transpose() * a;
    let similar = (gram - DMat3::from_diagonal(DVec3::splat(s2)))
        .to_cols_array()
        .iter()
        .all(|v| v.abs() <= 1e-12 * s2);
    if similar && s2 > 0.0 {
        let region = Region::Sphere {
            center: m.transform_point3(center),
        };
        // The field falls to zero at the scaled radius: POV-Ray scales the
        // radius and then derives the coefficients from it.
        let r2 = rad2 * s2;
        let c = [c[2] / (r2 * r2), -2.0 * c[2] / r2, c[2]];
        return Some(element(region, r2, c, i));
    }
    let local = Transform::new(m)?;
    Some(element(Region::Ellipsoid { center, local }, rad2, c, i))
}

/// A sphere in blob space holding the element's region.
fn bounding_sphere(region: &Region, rad2: f64) -> (DVec3, f64) {
    let (local, center, r2) = match region {
        Region::Sphere { center } => return (*center, rad2),
        Region::Ellipsoid { center, local } => (local, *center, rad2),
        Region::BaseCap { local } => (local, DVec3::ZERO, rad2),
        Region::ApexCap { local, len } => (local, DVec3::new(0.0, 0.0, *len), rad2),
        Region::Cylinder { local, len } => (
            local,
            DVec3::new(0.0, 0.0, 0.5 * len),
            rad2 + 0.25 * len * len,
        ),
    };
    // The largest stretch of the map bounds how far the sphere reaches.
    let m = local.to_world.matrix3;
    let stretch2 =
        m.x_axis.length_squared() + m.y_axis.length_squared() + m.z_axis.length_squared();
    (
        local.to_world.transform_point3(center),
        r2 * stretch2 + EPSILON,
    )
}

impl Element {
    /// The ray in this element's local space: origin and (not normalised) direction.
    fn local_ray(local: &Transform, p: DVec3, d: DVec3) -> (DVec3, DVec3) {
        (
            local.to_object.transform_point3(p),
            local.to_object.transform_vector3(d),
        )
    }

    /// Where the ray (unit `d`) enters and leaves the region, POV-Ray's rules: ends
    /// before `mindist` are moved to 0, and an empty span is no crossing.
    fn crossing(&self, p: DVec3, d: DVec3, mindist: f64) -> Option<(f64, f64)> {
        let clamp = |t: f64| if t < mindist { 0.0 } else { t };
        match &self.region {
            Region::Sphere { center } => {
                let (t0, t1) = sphere_span(p - *center, d, self.rad2)?;
                ordered(clamp(t0), clamp(t1))
            }
            Region::Ellipsoid { center, local } => {
                let (pp, dd) = Self::local_ray(local, p, d);
                let len = dd.length();
                let (t0, t1) = sphere_span(pp - *center, dd / len, self.rad2)?;
                ordered(clamp(t0 / len), clamp(t1 / len))
            }
            Region::BaseCap { local } => {
                let (pp, dd) = Self::local_ray(local, p, d);
                self.cap_crossing(pp, dd, mindist, true)
            }
            Region::ApexCap { local, len } => {
                let (pp, dd) = Self::local_ray(local, p, d);
                self.cap_crossing(pp - DVec3::new(0.0, 0.0, *len), dd, mindist, false)
            }
            Region::Cylinder { local, len } => {
                let (pp, dd) = Self::local_ray(local, p, d);
                self.cylinder_crossing(pp, dd, *len, mindist)
            }
        }
    }

    /// A hemisphere about the local origin: the half below z = 0 (`base`) or above.
    fn cap_crossing(&self, pp: DVec3, dd: DVec3, mindist: f64, base: bool) -> Option<(f64, f64)> {
        let len = dd.length();
        let dd = dd / len;
        let (mut tmin, mut tmax) = sphere_span(pp, dd, self.rad2)?;
        let z1 = pp.z + tmin * dd.z;
        let z2 = pp.z + tmax * dd.z;
        let inside = |z: f64| if base { z >= 0.0 } else { z <= 0.0 };
        if inside(z1) && inside(z2) {
            return None;
        }
        if inside(z1) || inside(z2) {
            let t = -pp.z / dd.z;
            let t = if t < mindist { 0.0 } else { t };
            if inside(z1) {
                tmin = t;
            } else {
                tmax = t;
            }
        }
        Some((tmin / len, tmax / len))
    }

    fn cylinder_crossing(
        &self,
        pp: DVec3,
        dd: DVec3,
        zlen: f64,
        mindist: f64,
    ) -> Option<(f64, f64)> {
        let len = dd.length();
        let dd = dd / len;
        let (mut tmin, mut tmax) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut take = |t: f64| {
            tmin = tmin.min(t);
            tmax = tmax.max(t);
        };
        let a = dd.x * dd.x + dd.y * dd.y;
        if a > EPSILON {
            let b = pp.x * dd.x + pp.y * dd.y;
            let c = pp.x * pp.x + pp.y * pp.y - self.rad2;
            let disc = b * b - a * c;
            if disc > EPSILON {
                let s = disc.sqrt();
                for t in [(-b + s) / a, (-b - s) / a] {
                    let w = pp.z + t * dd.z;
                    if (0.0..=zlen).contains(&w) {
                        take(t);
                    }
                }
            }
        }
        if dd.z.abs() > EPSILON {
            for z in [0.0, zlen] {
                let t = (z - pp.z) / dd.z;
                let (u, v) = (pp.x + t * dd.x, pp.y + t * dd.y);
                if u * u + v * v <= self.rad2 {
                    take(t);
                }
            }
        }
        if tmin < mindist {
            tmin = 0.0;
        }
        if tmax < mindist {
            tmax = 0.0;
        }
        (tmin < tmax).then_some((tmin / len, tmax / len))
    }

    /// The element's density along `p + t d` as a quartic in t (highest first).
    fn ray_polynomial(&self, p: DVec3, d: DVec3) -> [f64; 5] {
        let (t0, t1, t2) = match &self.region {
            Region::Sphere { center } => {
                let v = p - *center;
                (v.length_squared(), v.dot(d), d.length_squared())
            }
            Region::Ellipsoid { center, local } => {
                let (pp, dd) = Self::local_ray(local, p, d);
                let v = pp - *center;
                (v.length_squared(), v.dot(dd), dd.length_squared())
            }
            Region::BaseCap { local } => {
                let (pp, dd) = Self::local_ray(local, p, d);
                (pp.length_squared(), pp.dot(dd), dd.length_squared())
            }
            Region::ApexCap { local, len } => {
                let (pp, dd) = Self::local_ray(local, p, d);
                let pp = pp - DVec3::new(0.0, 0.0, *len);
                (pp.length_squared(), pp.dot(dd), dd.length_squared())
            }
            Region::Cylinder { local, .. } => {
                let (pp, dd) = Self::local_ray(local, p, d);
                (
                    pp.x * pp.x + pp.y * pp.y,
                    pp.x * dd.x + pp.y * dd.y,
                    dd.x * dd.x + dd.y * dd.y,
                )
            }
        };
        let [c0, c1, c2] = self.c;
        [
            c0 * t2 * t2,
            4.0 * c0 * t1 * t2,
            2.0 * c0 * (2.0 * t1 * t1 + t0 * t2) + c1 * t2,
            2.0 * t1 * (2.0 * c0 * t0 + c1),
            t0 * (c0 * t0 + c1) + c2,
        ]
    }

    /// The squared distance that sets the density at `p`, and the vector (blob
    /// space) it is measured along, or `None` outside the region.
    fn radial(&self, p: DVec3) -> Option<(f64, DVec3)> {
        match &self.region {
            Region::Sphere { center } => {
                let v = p - *center;
                let r2 = v.length_squared();
                (r2 < self.rad2).then_some((r2, v))
            }
            Region::Ellipsoid { center, local } => {
                let v = local.point_to_object(p) - *center;
                let r2 = v.length_squared();
                (r2 < self.rad2).then(|| (r2, local.normal_to_world(v)))
            }
            Region::BaseCap { local } => {
                let pp = local.point_to_object(p);
                let r2 = pp.length_squared();
                (pp.z <= 0.0 && r2 <= self.rad2).then(|| (r2, local.normal_to_world(pp)))
            }
            Region::ApexCap { local, len } => {
                let pp = local.point_to_object(p) - DVec3::new(0.0, 0.0, *len);
                let r2 = pp.length_squared();
                (pp.z >= 0.0 && r2 <= self.rad2).then(|| (r2, local.normal_to_world(pp)))
            }
            Region::Cylinder { local, len } => {
                let pp = local.point_to_object(p);
                let r2 = pp.x * pp.x + pp.y * pp.y;
                let v = DVec3::new(pp.x, pp.y, 0.0);
                ((0.0..=*len).contains(&pp.z) && r2 <= self.rad2)
                    .then(|| (r2, local.normal_to_world(v)))
            }
        }
    }

    fn density(&self, p: DVec3) -> f64 {
        match self.radial(p) {
            Some((r2, _)) => r2 * (r2 * self.c[0] + self.c[1]) + self.c[2],
            None => 0.0,
        }
    }

    fn normal_part(&self, p: DVec3) -> DVec3 {
        match self.radial(p) {
            Some((r2, v)) => v * (-2.0 * self.c[0] * r2 - self.c[1]),
            None => DVec3::ZERO,
        }
    }
}

/// Where a unit-direction ray from `v` (relative to the centre) crosses the sphere
/// of squared radius `rad2`; `None` if it misses or only grazes it.
fn sphere_span(v: DVec3, d: DVec3, rad2: f64) -> Option<(f64, f64)> {
    let b = v.dot(d);
    let disc = b * b - v.length_squared() + rad2;
    if disc < EPSILON {
        return None;
    }
    let s = disc.sqrt();
    Some((-b - s, -b + s))
}

fn ordered(t0: f64, t1: f64) -> Option<(f64, f64)> {
    if t0 == t1 {
        None
    } else {
        Some((t0.min(t1), t0.max(t1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::shapes::BlobComponent;
    use crate::desc::Transform as DescTransform;

    fn sphere(center: [f64; 3], radius: f64, strength: f64) -> BlobComponent {
        BlobComponent {
            kind: BlobComponentKind::Sphere {
                center: DVec3::from(center),
            },
            strength,
            radius,
            transform: DescTransform::IDENTITY,
            texture: None,
        }
    }

    fn blob(threshold: f64, components: Vec<BlobComponent>) -> Blob {
        Blob::new(&BlobDesc {
            threshold,
            components,
            sturm: false,
            hierarchy: true,
        })
        .expect("valid blob")
    }

    fn hits(b: &Blob, o: [f64; 3], d: [f64; 3]) -> Vec<f64> {
        let mut out = ShapeHits::default();
        b.intersect(&Ray::new(DVec3::from(o), DVec3::from(d)), &mut out);
        out.iter().map(|h| h.0).collect()
    }

    #[test]
    fn single_component_is_a_sphere_of_known_radius() {
        // s (1 - r²/R²)² = t  =>  r = R sqrt(1 - sqrt(t/s)).
        let b = blob(0.25, vec![sphere([0.0, 0.0, 0.0], 2.0, 1.0)]);
        let r = 2.0 * (1.0 - 0.5f64).sqrt();
        let got = hits(&b, [0.0, 0.0, -5.0], [0.0, 0.0, 1.0]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!((got[0] - (5.0 - r)).abs() < 1e-9, "{got:?}");
        assert!((got[1] - (5.0 + r)).abs() < 1e-9, "{got:?}");
        assert!(b.inside(DVec3::ZERO));
        assert!(!b.inside(DVec3::new(0.0, r + 0.01, 0.0)));
        let n = b.normal(DVec3::new(0.0, r, 0.0)).normalize();
        assert!((n - DVec3::Y).length() < 1e-12, "{n}");
    }

    #[test]
    fn two_components_merge_between_them() {
        let b = blob(
            0.5,
            vec![
                sphere([-0.6, 0.0, 0.0], 1.0, 1.0),
                sphere([0.6, 0.0, 0.0], 1.0, 1.0),
            ],
        );
        // Either alone does not reach 0.5 at the middle; together they do.
        assert!(b.inside(DVec3::ZERO));
        let got = hits(&b, [0.0, -3.0, 0.0], [0.0, 1.0, 0.0]);
        assert_eq!(got.len(), 2, "{got:?}");
        let along = hits(&b, [-3.0, 0.0, 0.0], [1.0, 0.0, 0.0]);
        assert_eq!(along.len(), 2, "{along:?}");
    }

    #[test]
    fn negative_component_carves_a_hole() {
        let b = blob(
            0.5,
            vec![
                sphere([0.0, 0.0, 0.0], 2.0, 2.0),
                sphere([0.0, 0.0, 0.0], 0.5, -4.0),
            ],
        );
        assert!(!b.inside(DVec3::ZERO));
        let got = hits(&b, [0.0, 0.0, -5.0], [0.0, 0.0, 1.0]);
        assert_eq!(got.len(), 4, "{got:?}");
    }

    #[test]
    fn cylinder_component_is_round_at_the_ends() {
        let c = BlobComponent {
            kind: BlobComponentKind::Cylinder {
                base: DVec3::new(-1.0, 0.0, 0.0),
                apex: DVec3::new(1.0, 0.0, 0.0),
            },
            strength: 1.0,
            radius: 1.0,
            transform: DescTransform::IDENTITY,
            texture: None,
        };
        let b = blob(0.25, vec![c]);
        let r = (0.5f64).sqrt();
        // Across the body.
        let got = hits(&b, [0.0, -5.0, 0.0], [0.0, 1.0, 0.0]);
        assert!((got[0] - (5.0 - r)).abs() < 1e-9, "{got:?}");
        // Along the axis: the caps reach r beyond each end.
        let got = hits(&b, [-5.0, 0.0, 0.0], [1.0, 0.0, 0.0]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!((got[0] - (4.0 - r)).abs() < 1e-9, "{got:?}");
    }
}
