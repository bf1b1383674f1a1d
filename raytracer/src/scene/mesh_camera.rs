//! The `mesh_camera` as POV-Ray 3.7 shoots it: a pixel's rays start at the
//! centroids of mesh faces (moved along the face normal by the camera
//! location's z) and leave along the face normals (reversed when the camera
//! direction's z is negative), then go through the mesh's transform.
//!
//! Which face serves which pixel is the distribution's rule, kept with
//! POV-Ray's integer arithmetic (its quirks included), so images match
//! POV-Ray's. Rays are made on demand from the shared mesh data: a pixel's
//! rays depend only on its position.

mod uv_map;

use std::sync::Arc;

use glam::{DAffine3, DMat3, DVec3};

use super::build::BuildError;
use super::geometry::Ray;
use crate::desc;
use crate::desc::camera::MeshDistribution;

/// POV-Ray's threshold for "negative" camera direction z.
const EPSILON: f64 = 1e-10;

/// A mesh camera ready to shoot rays.
#[derive(Clone, Debug)]
pub struct MeshCamera {
    rays_per_pixel: u32,
    distribution: MeshDistribution,
    meshes: Vec<Faces>,
    /// Running face totals: mesh i's faces end at `totals[i]`.
    totals: Vec<usize>,
    /// How far along the normal a ray starts (camera location z).
    offset: f64,
    /// Shoot against the normals (camera direction z < 0).
    reverse: bool,
    /// Distribution 3: the first mesh's faces by uv.
    uv_index: Option<uv_map::UvIndex>,
    /// `smooth`: distribution 3 interpolates vertex normals.
    smooth: bool,
}

/// One mesh's faces in mesh space and its placement.
#[derive(Clone, Debug)]
struct Faces {
    data: Arc<desc::shapes::Mesh>,
    to_world: DAffine3,
    normal_to_world: DMat3,
}

impl MeshCamera {
    /// The camera for `m`, with the camera block's location and direction.
    pub fn new(m: &desc::camera::MeshCamera, c: &desc::Camera) -> Result<Self, BuildError> {
        if m.max_distance > 0.0 {
            tracing::warn!("mesh_camera's maximum ray distance is not supported and was ignored");
        }
        let mut meshes = Vec::with_capacity(m.meshes.len());
        let mut totals = Vec::with_capacity(m.meshes.len());
        let mut total = 0;
        for cm in &m.meshes {
            let to_world = DAffine3::from_mat4(cm.transform.matrix);
            let inv = to_world.matrix3.inverse();
            if !inv.is_finite() {
                return Err(BuildError::SingularTransform);
            }
            total += cm.data.triangles.len();
            totals.push(total);
            meshes.push(Faces {
                data: cm.data.clone(),
                to_world,
                normal_to_world: inv.transpose(),
            });
        }
        let uv_index = match (m.distribution, m.meshes.first()) {
            // (The parser warned about meshes after the first.)
            (MeshDistribution::UvMap, Some(first)) => Some(uv_map::UvIndex::new(&first.data)),
            _ => None,
        };
        Ok(MeshCamera {
            uv_index,
            smooth: m.smooth,
            rays_per_pixel: m.rays_per_pixel,
            distribution: m.distribution,
            meshes,
            totals,
            offset: c.location.z,
            reverse: c.direction.z < -EPSILON,
        })
    }

    /// The average colour of the pixel's rays at (`x`, `y`); black where no
    /// face serves it.
    pub fn colour(
        &self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        mut trace: impl FnMut(&Ray) -> DVec3,
    ) -> DVec3 {
        // POV-Ray works on whole pixels inside the image here; POV-Ray 3.7's
        // rows lag one behind (row r uses the faces of row r - 1, the first
        // row those of row 0), which its sample scenes' meshes allow for.
        let x = x.floor().clamp(0.0, width - 1.0);
        if self.distribution == MeshDistribution::UvMap {
            let row = y.floor().clamp(0.0, height - 1.0);
            return self
                .uv_ray(x, row, width, height)
                .map_or(DVec3::ZERO, |r| trace(&r));
        }
        let y = (y.floor() - 1.0).clamp(0.0, height - 1.0);
        let (mut sum, mut traced) = (DVec3::ZERO, 0u32);
        for n in 0..self.rays_per_pixel {
            if let Some(r) = self.ray(x, y, width, n as usize) {
                sum += trace(&r);
                traced += 1;
            }
        }
        if traced == 0 {
            DVec3::ZERO
        } else {
            sum / f64::from(traced)
        }
    }

    /// Ray `n` of pixel (`x`, `y`) (whole numbers), if a face serves it.
    fn ray(&self, x: f64, y: f64, width: f64, n: usize) -> Option<Ray> {
        let (xi, yi, wi) = (x as usize, y as usize, width as usize);
        let (mesh, face) = match self.distribution {
            MeshDistribution::PerMesh => (n, yi * wi + xi),
            MeshDistribution::Summed => {
                let total = self.totals.last().copied().unwrap_or(0);
                // POV-Ray steps a whole mesh set per ray, so only ray 0 lands.
                let index = yi * wi + xi + n * total;
                let mesh = self.totals.iter().position(|&t| t > index)?;
                let before = if mesh == 0 { 0 } else { self.totals[mesh - 1] };
                (mesh, index - before)
            }
            MeshDistribution::SideBySide => {
                let count = self.meshes.len();
                let mesh = (x / (width / count as f64)) as usize;
                // As POV-Ray: the row length is one camera's, x stays the image's.
                (mesh, yi * (wi / count) + xi)
            }
            // Served by `colour` from the pixel itself (see `uv_ray`).
            MeshDistribution::UvMap => return None,
        };
        self.meshes
            .get(mesh)?
            .face_ray(face, self.offset, self.reverse)
    }
}

impl MeshCamera {
    /// Distribution 3: the ray from the first mesh's point whose uv is that
    /// of pixel (`col`, `row`). POV-Ray takes `((x - 0.5) / width, 1 - (y +
    /// 0.5) / height)` of the point it is handed, the pixel's centre with y a
    /// whole pixel up (the lag of the other distributions): `(col / width, 1 -
    /// row / height)`.
    fn uv_ray(&self, col: f64, row: f64, width: f64, height: f64) -> Option<Ray> {
        let (index, faces) = (self.uv_index.as_ref()?, self.meshes.first()?);
        let u = col / width;
        let v = 1.0 - row / height;
        let f = index.find(&faces.data, u, v, self.smooth)?;
        faces.ray_from(f.point, f.normal, self.offset, self.reverse)
    }
}

impl Faces {
    /// The ray from `point` along unit `normal` (mesh space), moved `offset`
    /// along it, reversed if asked, placed in the world.
    fn ray_from(&self, point: DVec3, normal: DVec3, offset: f64, reverse: bool) -> Option<Ray> {
        let origin = self.to_world.transform_point3(point + normal * offset);
        let dir = if reverse { -normal } else { normal };
        let dir = (self.normal_to_world * dir).normalize_or_zero();
        (dir != DVec3::ZERO).then(|| Ray::new(origin, dir))
    }

    /// The ray from face `i`'s centroid along its normal, placed in the world.
    fn face_ray(&self, i: usize, offset: f64, reverse: bool) -> Option<Ray> {
        let tri = self.data.triangles.get(i)?;
        let [a, b, c] = tri
            .vertices
            .map(|v| self.data.vertices.get(v as usize).copied());
        let (a, b, c) = (a?, b?, c?);
        // POV-Ray's face normal: (P3 - P1) x (P2 - P1), unit length.
        let mut dir = (c - a).cross(b - a).normalize_or_zero();
        let origin = (a + b + c) / 3.0 + dir * offset;
        if reverse {
            dir = -dir;
        }
        let origin = self.to_world.transform_point3(origin);
        let dir = (self.normal_to_world * dir).normalize_or_zero();
        (dir != DVec3::ZERO).then(|| Ray::new(origin, dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::camera::CameraMesh;
    use crate::desc::shapes::{Mesh, MeshTriangle};

    /// A row of `n` unit triangles facing +z (as written: the normal rule gives +z
    /// for this winding) at x = 0, 1, ...
    fn strip(n: usize) -> Arc<Mesh> {
        let mut m = Mesh::default();
        for i in 0..n {
            let x = i as f64;
            let base = m.vertices.len() as u32;
            m.vertices.extend([
                DVec3::new(x, 0.0, 0.0),
                DVec3::new(x + 1.0, 1.0, 0.0),
                DVec3::new(x + 1.0, 0.0, 0.0),
            ]);
            m.triangles.push(MeshTriangle {
                vertices: [base, base + 1, base + 2],
                normals: None,
                texture: None,
                uvs: None,
            });
        }
        Arc::new(m)
    }

    fn camera(distribution: MeshDistribution, rays: u32, meshes: usize) -> MeshCamera {
        let m = desc::camera::MeshCamera {
            rays_per_pixel: rays,
            distribution,
            max_distance: 0.0,
            meshes: (0..meshes)
                .map(|k| CameraMesh {
                    data: strip(4),
                    transform: desc::Transform::translate(DVec3::new(0.0, k as f64, 0.0)),
                })
                .collect(),
            smooth: false,
        };
        MeshCamera::new(&m, &desc::Camera::default()).expect("camera")
    }

    #[test]
    fn per_mesh_rays_start_at_centroids_along_the_normal() {
        let c = camera(MeshDistribution::PerMesh, 2, 2);
        let r = c.ray(2.0, 0.0, 4.0, 1).expect("a ray");
        assert!((r.origin - DVec3::new(2.0 + 2.0 / 3.0, 1.0 + 1.0 / 3.0, 0.0)).length() < 1e-12);
        assert!((r.dir - DVec3::Z).length() < 1e-12);
        // Beyond the mesh's faces no ray is shot.
        assert!(c.ray(0.0, 1.0, 4.0, 0).is_none());
    }

    #[test]
    fn summed_faces_run_on_into_the_next_mesh() {
        let c = camera(MeshDistribution::Summed, 1, 2);
        let r = c.ray(1.0, 1.0, 4.0, 0).expect("a ray");
        // Face 5 is the second mesh's face 1.
        assert!((r.origin.y - (1.0 + 1.0 / 3.0)).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn the_pixel_average_counts_only_traced_rays() {
        let c = camera(MeshDistribution::PerMesh, 2, 2);
        let mut n = 0;
        let colour = c.colour(0.5, 0.5, 4.0, 1.0, |r| {
            n += 1;
            r.origin
        });
        assert_eq!(n, 2);
        assert!((colour.y - (0.5 + 1.0 / 3.0)).abs() < 1e-12, "{colour}");
    }
}
