//! Triangle meshes (`mesh`, `mesh2`): the description's own triangles, vertices
//! and normals under a bounding volume hierarchy, so a ray visits only the few
//! triangles near it. Built once per declared mesh and shared (`Arc`) by every
//! copy an `object { }` makes.
//!
//! Nothing per triangle is copied: the hierarchy's items are the description's
//! triangle numbers, and a triangle's edges, face normal and unit vertex normals
//! are computed from the shared arrays when a ray needs them, by the same
//! arithmetic as a copy made at build time would hold, so a million-triangle
//! mesh costs its description plus the tree.
//!
//! A mesh with an `inside_vector` is closed: a point is inside when a ray from it
//! along that vector crosses the surface an odd number of times (POV-Ray's rule).
//! Without one nothing is inside, as for a lone triangle.

use std::sync::Arc;

use glam::{DVec2, DVec3};

use super::ShapeHits;
use crate::desc::shapes::Mesh as MeshDesc;
use crate::scene::bvh::Bvh;
use crate::scene::geometry::{Aabb, Ray, RayInv};

/// Mesh hits closer than this are the surface the ray starts from (POV-Ray's).
const DEPTH_TOLERANCE: f64 = 1e-6;

/// A triangle mesh in its own space: the triangles of one texture group of a
/// description.
#[derive(Debug)]
pub struct Mesh {
    data: Arc<MeshDesc>,
    /// Over the group's triangles (with area); its items are triangle numbers.
    bvh: Bvh,
    bounds: Aabb,
}

impl PartialEq for Mesh {
    /// Meshes are shared, never compared by content: the same mesh is equal.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// A triangle's first corner and its two edges from it.
#[derive(Clone, Copy)]
struct Corners {
    p0: DVec3,
    e1: DVec3,
    e2: DVec3,
}

impl Mesh {
    /// The triangles of `desc` whose texture index is `texture` (`None`: those
    /// with none), or `None` if there are none. Indices were checked by the parser.
    pub fn build(desc: &Arc<MeshDesc>, texture: Option<u32>) -> Option<Mesh> {
        let items: Vec<u32> = (0..desc.triangles.len() as u32)
            .filter(|&i| {
                desc.triangles[i as usize].texture == texture
                    && face_normal(corners(desc, i as usize)).is_some()
            })
            .collect();
        let bvh = Bvh::build_with(items, |i| corners(desc, i as usize).bounds());
        Some(Mesh {
            bounds: bvh.bounds()?,
            bvh,
            data: desc.clone(),
        })
    }

    pub fn bounds(&self) -> Aabb {
        self.bounds
    }

    /// The nearest (up to four) crossings along `r`; the part is the triangle.
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let rinv = RayInv::new(r);
        self.bvh.traverse(&rinv, f64::INFINITY, |i, _| {
            if let Some(t) = corners(&self.data, i).hit(r) {
                out.push_sorted(t, i as u32, DEPTH_TOLERANCE);
            }
            out.horizon()
        });
    }

    /// Outward normal of triangle `part` at `p`.
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        let Some(t) = self.data.triangles.get(part as usize) else {
            return DVec3::Z;
        };
        let c = corners(&self.data, part as usize);
        let Some(normal) = face_normal(c) else {
            return DVec3::Z;
        };
        // The unit vertex normals of a smooth triangle; three equal ones make
        // it flat.
        let normals = t
            .normals
            .map(|ns| ns.map(|i| self.data.normals[i as usize].normalize_or_zero()))
            .filter(|n| {
                (n[0] - n[1]).length_squared() > 1e-20 || (n[0] - n[2]).length_squared() > 1e-20
            });
        let Some(n) = normals else {
            return normal;
        };
        let (u, v) = barycentric(p - c.p0, c.e1, c.e2);
        let smooth = n[0] * (1.0 - u - v) + n[1] * u + n[2] * v;
        if smooth.dot(normal) < 0.0 {
            -smooth
        } else {
            smooth
        }
    }

    /// The uv of triangle `part` at `p`: its corners' uv weighted by where `p`
    /// lies between them, as POV-Ray's Mesh::UVCoord.
    pub fn uv(&self, p: DVec3, part: u32) -> DVec2 {
        let Some(t) = self.data.triangles.get(part as usize) else {
            return DVec2::ZERO;
        };
        let uv = t.uvs.map_or([DVec2::ZERO; 3], |us| {
            us.map(|i| self.data.uvs.get(i as usize).copied().unwrap_or_default())
        });
        let c = corners(&self.data, part as usize);
        let (u, v) = barycentric(p - c.p0, c.e1, c.e2);
        uv[0] * (1.0 - u - v) + uv[1] * u + uv[2] * v
    }

    /// Odd crossings along the inside vector: inside (only for closed meshes).
    pub fn inside(&self, p: DVec3) -> bool {
        let Some(dir) = self.data.inside_vector else {
            return false;
        };
        if !self.bounds.contains(p) {
            return false;
        }
        let r = Ray::new(p, dir);
        let rinv = RayInv::new(&r);
        let mut crossings = 0u32;
        self.bvh.traverse(&rinv, f64::INFINITY, |i, _| {
            if corners(&self.data, i)
                .hit(&r)
                .is_some_and(|t| t > DEPTH_TOLERANCE)
            {
                crossings += 1;
            }
            f64::INFINITY
        });
        crossings % 2 == 1
    }
}

/// Triangle `i`'s corner and edges (its indices were checked by the parser).
#[inline]
fn corners(desc: &MeshDesc, i: usize) -> Corners {
    let [a, b, c] = desc.triangles[i]
        .vertices
        .map(|k| desc.vertices[k as usize]);
    Corners {
        p0: a,
        e1: b - a,
        e2: c - a,
    }
}

/// The unit face normal; `None` for a triangle without area.
fn face_normal(c: Corners) -> Option<DVec3> {
    c.e1.cross(c.e2).try_normalize()
}

impl Corners {
    fn bounds(&self) -> Aabb {
        let (p1, p2) = (self.p0 + self.e1, self.p0 + self.e2);
        let pad = DVec3::splat(1e-9 * (1.0 + self.p0.abs().max_element()));
        Aabb::new(self.p0.min(p1).min(p2) - pad, self.p0.max(p1).max(p2) + pad)
    }

    /// Möller–Trumbore.
    #[inline]
    fn hit(&self, r: &Ray) -> Option<f64> {
        let pvec = r.dir.cross(self.e2);
        let det = self.e1.dot(pvec);
        if det.abs() < 1e-300 {
            return None;
        }
        let inv = 1.0 / det;
        let s = r.origin - self.p0;
        let u = s.dot(pvec) * inv;
        if !(0.0..=1.0).contains(&u) {
            return None;
        }
        let q = s.cross(self.e1);
        let v = r.dir.dot(q) * inv;
        if v < 0.0 || u + v > 1.0 {
            return None;
        }
        Some(self.e2.dot(q) * inv)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::shapes::MeshTriangle;

    /// The unit cube [0,1]³ as 12 triangles.
    fn cube(inside: Option<DVec3>) -> Arc<MeshDesc> {
        let vertices: Vec<DVec3> = (0..8)
            .map(|i| DVec3::new((i & 1) as f64, ((i >> 1) & 1) as f64, ((i >> 2) & 1) as f64))
            .collect();
        let quads = [
            [0, 1, 3, 2],
            [4, 5, 7, 6],
            [0, 1, 5, 4],
            [2, 3, 7, 6],
            [0, 2, 6, 4],
            [1, 3, 7, 5],
        ];
        let mut triangles = Vec::new();
        for q in quads {
            for t in [[q[0], q[1], q[2]], [q[0], q[2], q[3]]] {
                triangles.push(MeshTriangle {
                    vertices: t,
                    normals: None,
                    texture: None,
                    uvs: None,
                });
            }
        }
        MeshDesc {
            vertices,
            triangles,
            inside_vector: inside,
            ..MeshDesc::default()
        }
        .into()
    }

    #[test]
    fn ray_through_a_closed_cube() {
        let m =
            Mesh::build(&cube(Some(DVec3::new(0.3, 0.2, 1.0).normalize())), None).expect("mesh");
        let mut out = ShapeHits::default();
        m.intersect(&Ray::new(DVec3::new(0.5, 0.4, -2.0), DVec3::Z), &mut out);
        let ts: Vec<f64> = out.iter().map(|h| h.0).collect();
        assert_eq!(ts.len(), 2, "{ts:?}");
        assert!(
            (ts[0] - 2.0).abs() < 1e-12 && (ts[1] - 3.0).abs() < 1e-12,
            "{ts:?}"
        );
        assert!(m.inside(DVec3::splat(0.5)));
        assert!(!m.inside(DVec3::splat(1.5)));
        let n = m.normal(DVec3::new(0.5, 0.4, 0.0), out.iter().next().expect("hit").1);
        assert!(n.z.abs() > 0.99, "{n}");
    }

    #[test]
    fn open_mesh_has_no_inside() {
        let m = Mesh::build(&cube(None), None).expect("mesh");
        assert!(!m.inside(DVec3::splat(0.5)));
    }
}
