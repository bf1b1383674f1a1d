//! Triangle meshes (`mesh`, `mesh2`): triangles with precomputed edges and normals
//! under a bounding volume hierarchy of their own, so a ray visits only the few
//! triangles near it. Built once per declared mesh and shared (`Arc`) by every
//! copy an `object { }` makes.
//!
//! A mesh with an `inside_vector` is closed: a point is inside when a ray from it
//! along that vector crosses the surface an odd number of times (POV-Ray's rule).
//! Without one nothing is inside, as for a lone triangle.

use glam::{DVec2, DVec3};

use super::ShapeHits;
use crate::desc::shapes::Mesh as MeshDesc;
use crate::scene::bvh::Bvh;
use crate::scene::geometry::{Aabb, Ray, RayInv};

/// Mesh hits closer than this are the surface the ray starts from (POV-Ray's).
const DEPTH_TOLERANCE: f64 = 1e-6;

/// One triangle: corner, edges, unit face normal and the vertex normals of a
/// smooth triangle (turned to the face's side).
#[derive(Clone, Debug, PartialEq)]
struct Tri {
    p0: DVec3,
    e1: DVec3,
    e2: DVec3,
    normal: DVec3,
    normals: Option<[DVec3; 3]>,
    /// The corners' uv coordinates (for uv_mapping).
    uv: [DVec2; 3],
}

/// A triangle mesh in its own space.
#[derive(Debug)]
pub struct Mesh {
    tris: Vec<Tri>,
    bvh: Bvh,
    bounds: Aabb,
    inside_vector: Option<DVec3>,
}

impl PartialEq for Mesh {
    /// Meshes are shared, never compared by content: the same mesh is equal.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Mesh {
    /// The triangles of `desc` whose texture index is `texture` (`None`: those
    /// with none), or `None` if there are none. Indices were checked by the parser.
    pub fn build(desc: &MeshDesc, texture: Option<u32>) -> Option<Mesh> {
        let tris: Vec<Tri> = desc
            .triangles
            .iter()
            .filter(|t| t.texture == texture)
            .filter_map(|t| {
                let p = t.vertices.map(|i| desc.vertices[i as usize]);
                let (e1, e2) = (p[1] - p[0], p[2] - p[0]);
                let normal = e1.cross(e2).try_normalize()?;
                let normals = t
                    .normals
                    .map(|ns| ns.map(|i| desc.normals[i as usize].normalize_or_zero()))
                    .filter(|n| {
                        (n[0] - n[1]).length_squared() > 1e-20
                            || (n[0] - n[2]).length_squared() > 1e-20
                    });
                let uv = t.uvs.map_or([DVec2::ZERO; 3], |us| {
                    us.map(|i| desc.uvs.get(i as usize).copied().unwrap_or_default())
                });
                Some(Tri {
                    p0: p[0],
                    e1,
                    e2,
                    normal,
                    normals,
                    uv,
                })
            })
            .collect();
        if tris.is_empty() {
            return None;
        }
        let boxes: Vec<(usize, Aabb)> = tris
            .iter()
            .enumerate()
            .map(|(i, t)| (i, t.bounds()))
            .collect();
        let bounds = boxes
            .iter()
            .skip(1)
            .fold(boxes[0].1, |a, (_, b)| a.union(b));
        Some(Mesh {
            bvh: Bvh::build(&boxes),
            tris,
            bounds,
            inside_vector: desc.inside_vector,
        })
    }

    pub fn bounds(&self) -> Aabb {
        self.bounds
    }

    /// The nearest (up to four) crossings along `r`; the part is the triangle.
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let rinv = RayInv::new(r);
        self.bvh.traverse(&rinv, f64::INFINITY, |i, _| {
            if let Some(t) = self.tris[i].hit(r) {
                out.push_sorted(t, i as u32, DEPTH_TOLERANCE);
            }
            out.horizon()
        });
    }

    /// Outward normal of triangle `part` at `p`.
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        let Some(t) = self.tris.get(part as usize) else {
            return DVec3::Z;
        };
        let Some(n) = t.normals else {
            return t.normal;
        };
        let (u, v) = barycentric(p - t.p0, t.e1, t.e2);
        let smooth = n[0] * (1.0 - u - v) + n[1] * u + n[2] * v;
        if smooth.dot(t.normal) < 0.0 {
            -smooth
        } else {
            smooth
        }
    }

    /// The uv of triangle `part` at `p`: its corners' uv weighted by where `p`
    /// lies between them, as POV-Ray's Mesh::UVCoord.
    pub fn uv(&self, p: DVec3, part: u32) -> DVec2 {
        let Some(t) = self.tris.get(part as usize) else {
            return DVec2::ZERO;
        };
        let (u, v) = barycentric(p - t.p0, t.e1, t.e2);
        t.uv[0] * (1.0 - u - v) + t.uv[1] * u + t.uv[2] * v
    }

    /// Odd crossings along the inside vector: inside (only for closed meshes).
    pub fn inside(&self, p: DVec3) -> bool {
        let Some(dir) = self.inside_vector else {
            return false;
        };
        if !self.bounds.contains(p) {
            return false;
        }
        let r = Ray::new(p, dir);
        let rinv = RayInv::new(&r);
        let mut crossings = 0u32;
        self.bvh.traverse(&rinv, f64::INFINITY, |i, _| {
            if self.tris[i].hit(&r).is_some_and(|t| t > DEPTH_TOLERANCE) {
                crossings += 1;
            }
            f64::INFINITY
        });
        crossings % 2 == 1
    }
}

impl Tri {
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
    fn cube(inside: Option<DVec3>) -> MeshDesc {
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
