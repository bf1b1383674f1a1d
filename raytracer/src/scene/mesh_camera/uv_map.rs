//! `mesh_camera` distribution 3: a pixel's ray starts at the point of the first
//! mesh whose uv is the pixel's place in the unit square (texture baking).
//!
//! POV-Ray finds that face through a 10 x 10 index of the faces by the uv
//! columns and rows they span, then takes the first face in mesh order whose
//! uv triangle holds the point: the same first face is found here, from a
//! per-cell list of faces in mesh order.

use glam::{DVec2, DVec3};

use crate::desc::shapes::Mesh;

/// Cells per side of the uv index.
const CELLS: usize = 10;

/// The faces of the camera's mesh by the uv cells they may cover.
#[derive(Clone, Debug, Default)]
pub(super) struct UvIndex {
    /// Face indices, in mesh order, per cell (`u_cell * CELLS + v_cell`).
    cells: Vec<Vec<u32>>,
}

/// Where a ray of distribution 3 starts on the mesh, in mesh space, and the
/// normal it leaves along.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct FacePoint {
    pub point: DVec3,
    pub normal: DVec3,
}

/// POV-Ray's cell of a uv coordinate: truncated, at most 9 (negative to 0).
fn cell(c: f64) -> usize {
    ((c * CELLS as f64) as u32 as usize).min(CELLS - 1)
}

/// The cell range a face's corners span, as POV-Ray truncates them.
fn span(a: f64, b: f64, c: f64) -> (usize, usize) {
    let t = |x: f64| ((x * CELLS as f64) as i64).clamp(0, CELLS as i64 - 1) as usize;
    let (a, b, c) = (t(a), t(b), t(c));
    (a.min(b).min(c), a.max(b).max(c))
}

fn corner_uvs(m: &Mesh, i: usize) -> [DVec2; 3] {
    match m.triangles[i].uvs {
        Some(idx) => idx.map(|k| m.uvs.get(k as usize).copied().unwrap_or_default()),
        None => [DVec2::ZERO; 3],
    }
}

impl UvIndex {
    pub(super) fn new(m: &Mesh) -> UvIndex {
        let mut cells = vec![Vec::new(); CELLS * CELLS];
        for i in 0..m.triangles.len() {
            let [a, b, c] = corner_uvs(m, i);
            let (u0, u1) = span(a.x, b.x, c.x);
            let (v0, v1) = span(a.y, b.y, c.y);
            for u in u0..=u1 {
                for v in v0..=v1 {
                    cells[u * CELLS + v].push(i as u32);
                }
            }
        }
        UvIndex { cells }
    }

    /// The point of mesh `m` at uv (`u`, `v`) on the first face holding it,
    /// with the face's normal (interpolated when `smooth` and the face has
    /// vertex normals); `None` where no face does.
    pub(super) fn find(&self, m: &Mesh, u: f64, v: f64, smooth: bool) -> Option<FacePoint> {
        let list = self.cells.get(cell(u) * CELLS + cell(v))?;
        list.iter()
            .find_map(|&i| face_point(m, i as usize, u, v, smooth))
    }
}

/// The point of face `i` at uv (`u`, `v`) if its uv triangle holds it.
fn face_point(m: &Mesh, i: usize, u: f64, v: f64, smooth: bool) -> Option<FacePoint> {
    let [p1, p2, p3] = corner_uvs(m, i);
    let scale = (p2.x - p1.x) * (p3.y - p1.y) - (p3.x - p1.x) * (p2.y - p1.y);
    let b1 = ((p2.x - u) * (p3.y - v) - (p3.x - u) * (p2.y - v)) / scale;
    let b2 = ((p3.x - u) * (p1.y - v) - (p1.x - u) * (p3.y - v)) / scale;
    let b3 = ((p1.x - u) * (p2.y - v) - (p2.x - u) * (p1.y - v)) / scale;
    // As POV-Ray: only a weight below zero rejects (NaN from a face without
    // uv area does not).
    if b1 < 0.0 || b2 < 0.0 || b3 < 0.0 {
        return None;
    }
    let tri = &m.triangles[i];
    let [a, b, c] = tri
        .vertices
        .map(|k| m.vertices.get(k as usize).copied().unwrap_or_default());
    let point = a * b1 + b * b2 + c * b3;
    // POV-Ray's face normal: (P3 - P1) x (P2 - P1), unit length.
    let mut normal = (c - a).cross(b - a).normalize_or_zero();
    if let (true, Some(ns)) = (smooth, tri.normals) {
        let [na, nb, nc] = ns.map(|k| m.normals.get(k as usize).copied().unwrap_or_default());
        normal = (na * b1 + nb * b2 + nc * b3).normalize_or(normal);
    }
    Some(FacePoint { point, normal })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::shapes::MeshTriangle;

    /// Two triangles making the unit square in x, y, with uv equal to x, y.
    fn square() -> Mesh {
        let corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
        let tri = |v: [u32; 3]| MeshTriangle {
            vertices: v,
            normals: None,
            texture: None,
            uvs: Some(v),
        };
        Mesh {
            vertices: corners
                .iter()
                .map(|&(x, y)| DVec3::new(x, y, 0.0))
                .collect(),
            uvs: corners.iter().map(|&(x, y)| DVec2::new(x, y)).collect(),
            triangles: vec![tri([0, 1, 2]), tri([0, 2, 3])],
            ..Mesh::default()
        }
    }

    #[test]
    fn finds_the_point_with_that_uv() {
        let m = square();
        let index = UvIndex::new(&m);
        for (u, v) in [(0.25, 0.1), (0.1, 0.8), (0.95, 0.95), (0.55, 0.45)] {
            let f = index.find(&m, u, v, false).expect("a face");
            assert!((f.point - DVec3::new(u, v, 0.0)).length() < 1e-12, "{f:?}");
            assert!((f.normal.z.abs() - 1.0).abs() < 1e-12);
        }
        assert!(index.find(&m, 1.5, 0.5, false).is_none());
    }
}
