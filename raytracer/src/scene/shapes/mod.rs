//! Primitive shapes in their own (object) space: ray intersection, surface normal and
//! inside test, as POV-Ray defines each of them.
//!
//! Cylinders, cones and discs live in a canonical frame (axis along +z, base at the
//! origin, length 1); the builder supplies the transform that places them. Spheres,
//! planes, boxes, tori and quadrics keep POV-Ray's own parameters.

use std::sync::Arc;

use glam::DVec3;

use super::geometry::{Aabb, Ray};
use super::solver;
use crate::stats::ShapeKind;

pub mod bicubic;
pub mod blob;
pub mod glyph;
pub mod height_field;
mod interval_roots;
pub mod isosurface;
pub mod julia;
pub mod lathe;
pub mod mesh;
pub mod ovus;
pub mod parametric;
pub mod poly;
pub mod polygon;
pub mod prism;
pub mod sor;
pub mod sphere_sweep;
mod spline_roots;
mod sturm;
pub mod superellipsoid;
mod uv;

pub use poly::Poly;

/// Hits closer than this are the surface the ray starts from (POV-Ray's depth
/// tolerance for most shapes).
pub const DEPTH_TOLERANCE: f64 = 1e-6;
/// Tori solve a quartic whose roots are less exact.
const TORUS_TOLERANCE: f64 = 1e-4;

/// A primitive in object space.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Sphere {
        center: DVec3,
        radius: f64,
    },
    /// Points with `normal . p < distance` are inside; `normal` is unit length.
    Plane {
        normal: DVec3,
        distance: f64,
    },
    Box {
        min: DVec3,
        max: DVec3,
    },
    /// Canonical cone/cylinder: radius `r1` at z = 0, `r2` at z = 1.
    Cone {
        r1: f64,
        r2: f64,
        open: bool,
        cylinder: bool,
    },
    /// Canonical disc in the z = 0 plane, normal +z; squared radii.
    Disc {
        radius2: f64,
        hole2: f64,
    },
    /// Torus about the y axis; `sturm` solves its quartic as POV-Ray's `sturm` does.
    Torus {
        major: f64,
        minor: f64,
        sturm: bool,
    },
    /// `A x² + B y² + C z² + D xy + E xz + F yz + G x + H y + I z + J`; inside is < 0.
    Quadric {
        c: [f64; 10],
    },
    /// A flat triangle: corner `p0`, edges `e1`, `e2`, unit face normal; `normals` are
    /// smooth_triangle's vertex normals to interpolate.
    Triangle {
        p0: DVec3,
        e1: DVec3,
        e2: DVec3,
        normal: DVec3,
        normals: Option<[DVec3; 3]>,
    },
    Isosurface(Box<isosurface::Isosurface>),
    /// A swept spline outline (see [`prism`]).
    Prism(Box<prism::Prism>),
    /// One character of a text object (see [`glyph`]).
    Glyph(Box<glyph::Glyph>),
    /// A spline profile spun about y (see [`lathe`]).
    Lathe(Box<lathe::Lathe>),
    /// A surface of revolution (see [`sor`]).
    Sor(Box<sor::Sor>),
    Superellipsoid(superellipsoid::Superellipsoid),
    Blob(Box<blob::Blob>),
    /// A triangle mesh (or the part of one that shares a texture); the triangles
    /// and their tree are shared by every copy.
    Mesh(Arc<mesh::Mesh>),
    /// `poly`, `cubic`, `quartic` and `polynomial` surfaces.
    Poly(Box<Poly>),
    Julia(Box<julia::Julia>),
    /// A flat polygon in the z = 0 plane of its frame (see [`polygon`]).
    Polygon(Box<polygon::Polygon>),
    HeightField(Arc<height_field::HeightField>),
    /// A `bicubic_patch`'s flat pieces, in world space (see [`bicubic`]).
    BicubicPatch(Box<bicubic::BicubicPatch>),
    /// A sphere moved along a spline (see [`sphere_sweep`]).
    SphereSweep(Box<sphere_sweep::SphereSweep>),
    Ovus(Box<ovus::Ovus>),
    /// A surface given as x, y, z functions of (u, v) (see [`parametric`]).
    Parametric(Box<parametric::Parametric>),
}

/// Up to four hits of one primitive along a ray: `(t, surface part)`.
///
/// Distances and parts are kept in separate arrays: an array of `(f64, u8)` pairs
/// carries padding that the hottest loops of the renderer then copied byte by byte.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShapeHits {
    t: [f64; 4],
    part: [u32; 4],
    len: usize,
}

impl ShapeHits {
    #[inline(always)]
    fn push(&mut self, t: f64, part: u32, tolerance: f64) {
        if t > tolerance && t.is_finite() && self.len < 4 {
            self.t[self.len] = t;
            self.part[self.len] = part;
            self.len += 1;
        }
    }

    /// Adds a hit keeping the nearest four in order, for shapes that may cross a
    /// ray more often than four times (the nearest are the ones that matter).
    pub(crate) fn push_sorted(&mut self, t: f64, part: u32, tolerance: f64) {
        if !(t > tolerance && t.is_finite()) {
            return;
        }
        let n = self.len();
        let mut i = n;
        while i > 0 && self.t[i - 1] > t {
            i -= 1;
        }
        if i >= 4 {
            return;
        }
        let end = n.min(3);
        self.t.copy_within(i..end, i + 1);
        self.part.copy_within(i..end, i + 1);
        self.t[i] = t;
        self.part[i] = part;
        self.len = (n + 1).min(4);
    }

    /// The farthest hit kept when four are held (beyond it nothing new is kept).
    pub(crate) fn horizon(&self) -> f64 {
        if self.len() == 4 {
            self.t[3]
        } else {
            f64::INFINITY
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len.min(4)
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The hits in the order the shape found them.
    #[inline]
    /// The hits nearest first: a shadow ray crossing a transparent shape must
    /// meet its surfaces in order to know how far it travelled inside.
    pub fn sort(&mut self) {
        let n = self.len();
        for i in 1..n {
            let mut j = i;
            while j > 0 && self.t[j - 1] > self.t[j] {
                self.t.swap(j - 1, j);
                self.part.swap(j - 1, j);
                j -= 1;
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (f64, u32)> + '_ {
        let n = self.len();
        self.t[..n]
            .iter()
            .copied()
            .zip(self.part[..n].iter().copied())
    }
}

impl Shape {
    #[inline]
    pub fn kind(&self) -> ShapeKind {
        match self {
            Shape::Sphere { .. } => ShapeKind::Sphere,
            Shape::Plane { .. } => ShapeKind::Plane,
            Shape::Box { .. } => ShapeKind::Box,
            Shape::Cone { cylinder: true, .. } => ShapeKind::Cylinder,
            Shape::Cone { .. } => ShapeKind::Cone,
            Shape::Disc { .. } => ShapeKind::Disc,
            Shape::Torus { .. } => ShapeKind::Torus,
            Shape::Quadric { .. } => ShapeKind::Quadric,
            Shape::Triangle { .. } => ShapeKind::Triangle,
            Shape::Isosurface(_) => ShapeKind::Isosurface,
            Shape::Prism(_) => ShapeKind::Prism,
            Shape::Glyph(_) => ShapeKind::Glyph,
            Shape::Lathe(_) => ShapeKind::Lathe,
            Shape::Sor(_) => ShapeKind::Sor,
            Shape::Superellipsoid(_) => ShapeKind::Superellipsoid,
            Shape::Blob(_) => ShapeKind::Blob,
            Shape::Mesh(_) => ShapeKind::Mesh,
            Shape::Poly(_) => ShapeKind::Poly,
            Shape::Julia(_) => ShapeKind::Julia,
            Shape::Polygon(_) => ShapeKind::Polygon,
            Shape::HeightField(_) => ShapeKind::HeightField,
            Shape::BicubicPatch(_) => ShapeKind::BicubicPatch,
            Shape::SphereSweep(_) => ShapeKind::SphereSweep,
            Shape::Ovus(_) => ShapeKind::Ovus,
            Shape::Parametric(_) => ShapeKind::Parametric,
        }
    }

    /// Every crossing of the surface with `t` beyond the shape's tolerance.
    #[inline]
    pub fn intersect(&self, r: &Ray) -> ShapeHits {
        let mut out = ShapeHits::default();
        self.intersect_into(r, &mut out);
        out
    }

    /// [`Shape::intersect`] into the caller's buffer, which saves copying the hits
    /// out on the hottest path of the renderer (inlined into its few callers).
    #[inline(always)]
    pub fn intersect_into(&self, r: &Ray, out: &mut ShapeHits) {
        match *self {
            Shape::Sphere { center, radius } => sphere_hits(r, center, radius, out),
            Shape::Plane { normal, distance } => {
                let den = normal.dot(r.dir);
                if den != 0.0 {
                    out.push((distance - normal.dot(r.origin)) / den, 0, DEPTH_TOLERANCE);
                }
            }
            Shape::Box { min, max } => box_hits(r, min, max, out),
            Shape::Cone { r1, r2, open, .. } => cone_hits(r, r1, r2, open, out),
            Shape::Disc { radius2, hole2 } => {
                if r.dir.z != 0.0 {
                    let t = -r.origin.z / r.dir.z;
                    let p = r.at(t);
                    let d2 = p.x * p.x + p.y * p.y;
                    if d2 <= radius2 && d2 >= hole2 {
                        out.push(t, 0, DEPTH_TOLERANCE);
                    }
                }
            }
            Shape::Torus {
                major,
                minor,
                sturm: false,
            } => torus_hits(r, major, minor, out),
            Shape::Torus {
                major,
                minor,
                sturm: true,
            } => sturm_torus_hits(r, major, minor, out),
            Shape::Quadric { ref c } => quadric_hits(r, c, out),
            Shape::Triangle { p0, e1, e2, .. } => triangle_hits(r, p0, e1, e2, out),
            Shape::Isosurface(ref iso) => iso.hits(r, out, DEPTH_TOLERANCE),
            Shape::Prism(ref p) => p.intersect(r, out),
            Shape::Glyph(ref g) => g.intersect(r, out),
            Shape::Lathe(ref l) => l.intersect(r, out),
            Shape::Sor(ref s) => s.intersect(r, out),
            Shape::Superellipsoid(ref s) => s.intersect(r, out),
            Shape::Blob(ref b) => b.intersect(r, out),
            Shape::Mesh(ref m) => m.intersect(r, out),
            Shape::Poly(ref p) => p.intersect_into(r, out),
            Shape::Julia(ref j) => j.intersect(r, out),
            Shape::Polygon(ref g) => g.intersect(r, out),
            Shape::HeightField(ref h) => h.intersect(r, out),
            Shape::BicubicPatch(ref b) => b.intersect(r, out),
            Shape::SphereSweep(ref s) => s.intersect(r, out),
            Shape::Ovus(ref o) => o.intersect(r, out),
            Shape::Parametric(ref p) => p.intersect(r, out),
        }
    }

    /// Outward normal (not normalised) at a surface point `p` of the given part.
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        match *self {
            Shape::Sphere { center, .. } => p - center,
            Shape::Plane { normal, .. } => normal,
            Shape::Box { .. } => {
                let axis = (part / 2) as usize;
                let mut n = DVec3::ZERO;
                n[axis] = if part & 1 == 0 { -1.0 } else { 1.0 };
                n
            }
            Shape::Cone { r1, r2, .. } => match part {
                1 => -DVec3::Z,
                2 => DVec3::Z,
                _ => {
                    let k = r2 - r1;
                    DVec3::new(p.x, p.y, -(r1 + k * p.z) * k)
                }
            },
            Shape::Disc { .. } => DVec3::Z,
            Shape::Isosurface(ref iso) => iso.normal(p, part),
            Shape::Torus { major, minor, .. } => {
                let s = p.length_squared() - major * major - minor * minor;
                DVec3::new(p.x * s, p.y * (s + 2.0 * major * major), p.z * s)
            }
            Shape::Quadric { c } => DVec3::new(
                2.0 * c[0] * p.x + c[3] * p.y + c[4] * p.z + c[6],
                2.0 * c[1] * p.y + c[3] * p.x + c[5] * p.z + c[7],
                2.0 * c[2] * p.z + c[4] * p.x + c[5] * p.y + c[8],
            ),
            Shape::Triangle {
                p0,
                e1,
                e2,
                normal,
                normals,
            } => match normals {
                None => normal,
                Some(n) => {
                    let (u, v) = barycentric(p - p0, e1, e2);
                    let smooth = n[0] * (1.0 - u - v) + n[1] * u + n[2] * v;
                    // A smoothed normal must stay on the face's side, as POV-Ray keeps it.
                    if smooth.dot(normal) < 0.0 {
                        -smooth
                    } else {
                        smooth
                    }
                }
            },
            Shape::Prism(ref s) => s.normal(p, part),
            Shape::Glyph(ref g) => g.normal(p, part),
            Shape::Lathe(ref l) => l.normal(p, part),
            Shape::Sor(ref s) => s.normal(p, part),
            Shape::Superellipsoid(ref s) => s.normal(p),
            Shape::Blob(ref b) => b.normal(p),
            Shape::Mesh(ref m) => m.normal(p, part),
            Shape::Poly(ref q) => q.normal(p),
            Shape::Julia(ref j) => j.normal(p),
            Shape::Polygon(_) => DVec3::Z,
            Shape::HeightField(ref h) => h.normal(p),
            Shape::BicubicPatch(ref b) => b.normal(p, part),
            Shape::SphereSweep(ref s) => s.normal(p, part),
            Shape::Ovus(ref o) => o.normal(p, part),
            Shape::Parametric(ref q) => q.normal(p, part),
        }
    }

    /// POV-Ray's inside test (before any `inverse`).
    pub fn inside(&self, p: DVec3) -> bool {
        match *self {
            Shape::Sphere { center, radius } => (p - center).length_squared() < radius * radius,
            Shape::Plane { normal, distance } => normal.dot(p) < distance,
            Shape::Box { min, max } => p.cmpgt(min).all() && p.cmplt(max).all(),
            Shape::Cone { r1, r2, .. } => {
                let rz = r1 + (r2 - r1) * p.z;
                p.z > 0.0 && p.z < 1.0 && p.x * p.x + p.y * p.y < rz * rz
            }
            // A disc has no volume; POV-Ray treats the side its normal points away
            // from as inside.
            Shape::Disc { .. } => p.z < 0.0,
            Shape::Torus { major, minor, .. } => {
                let q = (p.x * p.x + p.z * p.z).sqrt() - major;
                q * q + p.y * p.y < minor * minor
            }
            Shape::Quadric { ref c } => quadric_eval(c, p) < 0.0,
            // A triangle has no volume: nothing is inside it (POV-Ray's rule), so in CSG
            // it only contributes its own surface.
            Shape::Triangle { .. } => false,
            Shape::Isosurface(ref iso) => iso.inside(p),
            Shape::Prism(ref s) => s.inside(p),
            Shape::Glyph(ref g) => g.inside(p),
            Shape::Lathe(ref l) => l.inside(p),
            Shape::Sor(ref s) => s.inside(p),
            Shape::Superellipsoid(ref s) => s.inside(p),
            Shape::Blob(ref b) => b.inside(p),
            Shape::Mesh(ref m) => m.inside(p),
            Shape::Poly(ref q) => q.inside(p),
            Shape::Julia(ref j) => j.inside(p),
            // A polygon has no volume: nothing is inside it (POV-Ray's rule).
            Shape::Polygon(_) => false,
            Shape::HeightField(ref h) => h.inside(p),
            // A patch has no volume: nothing is inside it (POV-Ray's rule).
            Shape::BicubicPatch(_) => false,
            Shape::SphereSweep(ref s) => s.inside(p),
            Shape::Ovus(ref o) => o.inside(p),
            // A parametric surface has no inside (POV-Ray's rule).
            Shape::Parametric(_) => false,
        }
    }

    /// Bounds in object space; `None` for shapes without finite extent.
    pub fn bounds(&self) -> Option<Aabb> {
        match *self {
            Shape::Sphere { center, radius } => Some(Aabb::new(
                center - DVec3::splat(radius),
                center + DVec3::splat(radius),
            )),
            // Polynomial surfaces are unbounded, as in POV-Ray: scenes bound them.
            Shape::Plane { .. } | Shape::Quadric { .. } | Shape::Poly(_) => None,
            Shape::Isosurface(ref iso) => Some(iso.bounds()),
            Shape::Triangle { p0, e1, e2, .. } => {
                let (p1, p2) = (p0 + e1, p0 + e2);
                let pad = DVec3::splat(1e-6);
                Some(Aabb::new(
                    p0.min(p1).min(p2) - pad,
                    p0.max(p1).max(p2) + pad,
                ))
            }
            Shape::Box { min, max } => Some(Aabb::new(min, max)),
            Shape::Cone { r1, r2, .. } => {
                let r = r1.abs().max(r2.abs());
                Some(Aabb::new(DVec3::new(-r, -r, 0.0), DVec3::new(r, r, 1.0)))
            }
            Shape::Disc { radius2, .. } => {
                let r = radius2.sqrt();
                Some(Aabb::new(DVec3::new(-r, -r, -1e-6), DVec3::new(r, r, 1e-6)))
            }
            Shape::Torus { major, minor, .. } => {
                let r = major.abs() + minor.abs();
                Some(Aabb::new(
                    DVec3::new(-r, -minor, -r),
                    DVec3::new(r, minor, r),
                ))
            }
            Shape::Prism(ref p) => Some(p.bounds()),
            Shape::Glyph(ref g) => Some(g.bounds()),
            Shape::Lathe(ref l) => Some(l.bounds()),
            Shape::Sor(ref s) => Some(s.bounds()),
            Shape::Superellipsoid(ref s) => Some(s.bounds()),
            // A blob without positive components has no surface: an empty box.
            Shape::Blob(ref b) => Some(b.bounds().unwrap_or(Aabb::new(DVec3::ZERO, DVec3::ZERO))),
            Shape::Mesh(ref m) => Some(m.bounds()),
            Shape::Julia(ref j) => Some(j.bounds()),
            Shape::Polygon(ref g) => Some(g.bounds()),
            Shape::HeightField(ref h) => Some(h.bounds()),
            Shape::BicubicPatch(ref b) => Some(b.bounds()),
            Shape::SphereSweep(ref s) => Some(s.bounds()),
            Shape::Ovus(ref o) => Some(o.bounds()),
            Shape::Parametric(ref p) => Some(p.bounds()),
        }
    }
}

/// Möller–Trumbore: the ray's crossing of the triangle's plane inside its edges.
fn triangle_hits(r: &Ray, p0: DVec3, e1: DVec3, e2: DVec3, out: &mut ShapeHits) {
    let pvec = r.dir.cross(e2);
    let det = e1.dot(pvec);
    if det.abs() < 1e-300 {
        return;
    }
    let inv = 1.0 / det;
    let s = r.origin - p0;
    let u = s.dot(pvec) * inv;
    if !(0.0..=1.0).contains(&u) {
        return;
    }
    let q = s.cross(e1);
    let v = r.dir.dot(q) * inv;
    if v < 0.0 || u + v > 1.0 {
        return;
    }
    out.push(e2.dot(q) * inv, 0, DEPTH_TOLERANCE);
}

/// Barycentric coordinates `(u, v)` of `d = p - p0` along edges `e1`, `e2`.
fn barycentric(d: DVec3, e1: DVec3, e2: DVec3) -> (f64, f64) {
    let (d00, d01, d11) = (e1.dot(e1), e1.dot(e2), e2.dot(e2));
    let (d20, d21) = (d.dot(e1), d.dot(e2));
    let den = d00 * d11 - d01 * d01;
    if den == 0.0 {
        return (0.0, 0.0);
    }
    ((d11 * d20 - d01 * d21) / den, (d00 * d21 - d01 * d20) / den)
}

fn sphere_hits(r: &Ray, center: DVec3, radius: f64, out: &mut ShapeHits) {
    let oc = r.origin - center;
    let a = r.dir.length_squared();
    let half_b = oc.dot(r.dir);
    let c = oc.length_squared() - radius * radius;
    let disc = half_b * half_b - a * c;
    if disc < 0.0 {
        return;
    }
    let s = disc.sqrt();
    out.push((-half_b - s) / a, 0, DEPTH_TOLERANCE);
    out.push((-half_b + s) / a, 0, DEPTH_TOLERANCE);
}

fn box_hits(r: &Ray, min: DVec3, max: DVec3, out: &mut ShapeHits) {
    let mut t_near = f64::NEG_INFINITY;
    let mut t_far = f64::INFINITY;
    let (mut near_part, mut far_part) = (0u32, 0u32);
    for axis in 0..3 {
        let (o, d) = (r.origin[axis], r.dir[axis]);
        if d.abs() < 1e-300 {
            if o < min[axis] || o > max[axis] {
                return;
            }
            continue;
        }
        let mut t0 = (min[axis] - o) / d;
        let mut t1 = (max[axis] - o) / d;
        let (mut p0, mut p1) = (axis as u32 * 2, axis as u32 * 2 + 1);
        // By the direction, not by comparing t0 and t1: in a flat box both are
        // equal, and the ray must still enter through the face it comes to.
        if d < 0.0 {
            std::mem::swap(&mut t0, &mut t1);
            std::mem::swap(&mut p0, &mut p1);
        }
        if t0 > t_near {
            t_near = t0;
            near_part = p0;
        }
        if t1 < t_far {
            t_far = t1;
            far_part = p1;
        }
        if t_near > t_far {
            return;
        }
    }
    out.push(t_near, near_part, DEPTH_TOLERANCE);
    out.push(t_far, far_part, DEPTH_TOLERANCE);
}

fn cone_hits(r: &Ray, r1: f64, r2: f64, open: bool, out: &mut ShapeHits) {
    let (o, d) = (r.origin, r.dir);
    let k = r2 - r1;
    let ro = r1 + k * o.z;
    let a = d.x * d.x + d.y * d.y - k * k * d.z * d.z;
    let b = 2.0 * (o.x * d.x + o.y * d.y - ro * k * d.z);
    let c = o.x * o.x + o.y * o.y - ro * ro;
    for &t in solver::quadratic(a, b, c).as_slice() {
        let z = o.z + t * d.z;
        if (0.0..=1.0).contains(&z) {
            out.push(t, 0, DEPTH_TOLERANCE);
        }
    }
    if open || d.z == 0.0 {
        return;
    }
    for (z, rad, part) in [(0.0, r1, 1u32), (1.0, r2, 2u32)] {
        let t = (z - o.z) / d.z;
        let p = r.at(t);
        if p.x * p.x + p.y * p.y <= rad * rad {
            out.push(t, part, DEPTH_TOLERANCE);
        }
    }
}

/// The quartic in s whose roots are where `p + s d` (d of unit length) meets the
/// torus about the y axis with radii `major` and `minor`, highest power first, as
/// POV-Ray's torus writes it (the ovus's spindle torus uses it too).
pub(super) fn torus_quartic(p: DVec3, d: DVec3, major: f64, minor: f64) -> [f64; 5] {
    let (big2, small2) = (major * major, minor * minor);
    let (py2, dy2, pdy) = (p.y * p.y, d.y * d.y, p.y * d.y);
    let k1 = p.x * p.x + p.z * p.z + py2 - big2 - small2;
    let k2 = p.x * d.x + p.z * d.z + pdy;
    [
        1.0,
        4.0 * k2,
        2.0 * (k1 + 2.0 * (k2 * k2 + big2 * dy2)),
        4.0 * (k2 * k1 + 2.0 * big2 * pdy),
        k1 * k1 + 4.0 * big2 * (py2 - small2),
    ]
}

/// A `sturm` torus as POV-Ray intersects it: the start moved to the sphere of radius
/// `major + 2 minor` (amply enclosing the torus), its quartic solved by the Sturm
/// sequence solver, which only looks ahead of that start.
fn sturm_torus_hits(r: &Ray, major: f64, minor: f64, out: &mut ShapeHits) {
    let len = r.dir.length();
    if len == 0.0 {
        return;
    }
    let d = r.dir / len;
    let sphere = major + 2.0 * minor;
    let dist2 = r.origin.length_squared();
    let closer = if dist2 > sphere * sphere {
        dist2.sqrt() - sphere
    } else {
        0.0
    };
    let coeffs = torus_quartic(r.origin + d * closer, d, major, minor);
    let roots = solver::solve_polynomial(&coeffs, true, TORUS_TOLERANCE);
    for &s in roots.as_slice().iter().rev() {
        let t = (s + closer) / len;
        if t < solver::MAX_DISTANCE {
            out.push(t, 0, TORUS_TOLERANCE);
        }
    }
}

fn torus_hits(r: &Ray, major: f64, minor: f64, out: &mut ShapeHits) {
    let len = r.dir.length();
    if len == 0.0 {
        return;
    }
    let u = r.dir / len;
    // Start the polynomial near the torus: far origins make the quartic ill conditioned.
    let bound = major.abs() + minor.abs();
    let s0 = (-r.origin.dot(u) - bound).max(0.0);
    let o = r.origin + u * s0;
    let g = o.dot(u);
    let h = o.length_squared() + major * major - minor * minor;
    let r2 = 4.0 * major * major;
    let coeffs = [
        1.0,
        4.0 * g,
        4.0 * g * g + 2.0 * h - r2 * (u.x * u.x + u.z * u.z),
        4.0 * g * h - 2.0 * r2 * (o.x * u.x + o.z * u.z),
        h * h - r2 * (o.x * o.x + o.z * o.z),
    ];
    let mut roots: [f64; 4] = [f64::INFINITY; 4];
    let found = solver::quartic(coeffs);
    let n = found.as_slice().len();
    roots[..n].copy_from_slice(found.as_slice());
    roots[..n].sort_by(f64::total_cmp);
    for &s in &roots[..n] {
        out.push((s + s0) / len, 0, TORUS_TOLERANCE);
    }
}

fn quadric_eval(c: &[f64; 10], p: DVec3) -> f64 {
    c[0] * p.x * p.x
        + c[1] * p.y * p.y
        + c[2] * p.z * p.z
        + c[3] * p.x * p.y
        + c[4] * p.x * p.z
        + c[5] * p.y * p.z
        + c[6] * p.x
        + c[7] * p.y
        + c[8] * p.z
        + c[9]
}

fn quadric_hits(r: &Ray, c: &[f64; 10], out: &mut ShapeHits) {
    let (o, d) = (r.origin, r.dir);
    let a = c[0] * d.x * d.x
        + c[1] * d.y * d.y
        + c[2] * d.z * d.z
        + c[3] * d.x * d.y
        + c[4] * d.x * d.z
        + c[5] * d.y * d.z;
    let b = 2.0 * (c[0] * o.x * d.x + c[1] * o.y * d.y + c[2] * o.z * d.z)
        + c[3] * (o.x * d.y + o.y * d.x)
        + c[4] * (o.x * d.z + o.z * d.x)
        + c[5] * (o.y * d.z + o.z * d.y)
        + c[6] * d.x
        + c[7] * d.y
        + c[8] * d.z;
    let cc = quadric_eval(c, o);
    for &t in solver::quadratic(a, b, cc).as_slice() {
        out.push(t, 0, DEPTH_TOLERANCE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ray(o: [f64; 3], d: [f64; 3]) -> Ray {
        Ray::new(DVec3::from(o), DVec3::from(d))
    }

    fn ts(s: &Shape, r: &Ray) -> Vec<f64> {
        let mut v: Vec<f64> = s.intersect(r).iter().map(|h| h.0).collect();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn sphere_two_hits_and_inside() {
        let s = Shape::Sphere {
            center: DVec3::ZERO,
            radius: 1.0,
        };
        assert_eq!(
            ts(&s, &ray([0.0, 0.0, -5.0], [0.0, 0.0, 1.0])),
            vec![4.0, 6.0]
        );
        assert!(s.inside(DVec3::splat(0.1)));
        assert!(!s.inside(DVec3::splat(1.0)));
    }

    #[test]
    fn torus_crosses_four_times_along_its_diameter() {
        for sturm in [false, true] {
            let s = Shape::Torus {
                major: 2.0,
                minor: 0.5,
                sturm,
            };
            // A direction of length 2 checks that t keeps the caller's scale.
            let got = ts(&s, &ray([-10.0, 0.0, 0.0], [2.0, 0.0, 0.0]));
            let want = [3.75, 4.25, 5.75, 6.25];
            assert_eq!(got.len(), 4, "sturm {sturm}: {got:?}");
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 1e-7, "sturm {sturm}: {got:?}");
            }
            assert!(s.inside(DVec3::new(2.0, 0.0, 0.0)));
            assert!(!s.inside(DVec3::ZERO));
        }
    }

    #[test]
    fn cylinder_side_and_caps() {
        let s = Shape::Cone {
            r1: 1.0,
            r2: 1.0,
            open: false,
            cylinder: true,
        };
        // Along the axis: both caps.
        assert_eq!(
            ts(&s, &ray([0.0, 0.0, -1.0], [0.0, 0.0, 1.0])),
            vec![1.0, 2.0]
        );
        // Across: both sides.
        assert_eq!(
            ts(&s, &ray([-3.0, 0.0, 0.5], [1.0, 0.0, 0.0])),
            vec![2.0, 4.0]
        );
        let open = Shape::Cone {
            r1: 1.0,
            r2: 1.0,
            open: true,
            cylinder: true,
        };
        assert!(ts(&open, &ray([0.0, 0.0, -1.0], [0.0, 0.0, 1.0])).is_empty());
    }

    #[test]
    fn quadric_hyperboloid() {
        // x² - y² + z² - 0.5 = 0: along x at y = 0, crossings at ±sqrt(0.5).
        let c = [1.0, -1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5];
        let s = Shape::Quadric { c };
        let got = ts(&s, &ray([-5.0, 0.0, 0.0], [1.0, 0.0, 0.0]));
        assert_eq!(got.len(), 2);
        assert!((got[0] - (5.0 - 0.5f64.sqrt())).abs() < 1e-12);
        assert!(s.inside(DVec3::ZERO));
    }

    #[test]
    fn box_faces() {
        let s = Shape::Box {
            min: DVec3::splat(-1.0),
            max: DVec3::splat(1.0),
        };
        let r = ray([0.0, 0.0, -5.0], [0.0, 0.0, 1.0]);
        let hits = s.intersect(&r);
        assert_eq!(hits.iter().collect::<Vec<_>>(), [(4.0, 4), (6.0, 5)]);
        assert_eq!(s.normal(r.at(4.0), 4), -DVec3::Z);
    }

    #[test]
    fn flat_box_is_entered_through_the_face_the_ray_comes_to() {
        let s = Shape::Box {
            min: DVec3::new(-1.0, -1.0, 0.25),
            max: DVec3::new(1.0, 1.0, 0.25),
        };
        let down = ray([0.0, 0.0, 5.0], [0.0, 0.0, -1.0]);
        let hits = s.intersect(&down);
        assert_eq!(hits.iter().collect::<Vec<_>>(), [(4.75, 5), (4.75, 4)]);
        assert_eq!(s.normal(down.at(4.75), 5), DVec3::Z);
    }
}
