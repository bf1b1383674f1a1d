//! `height_field`: a grid of heights, two triangles per cell as POV-Ray 3.7
//! splits them (along the diagonal from (x+1, z) to (x, z+1)), in POV-Ray's map
//! space: x in [0, width-1], y in [0, 65536), z in [0, depth-1]; the builder
//! adds the scale to the unit cube. The triangles are intersected through a
//! [`Mesh`] of their own; normals and the inside test follow POV-Ray's cell
//! formulas, and `water_level` cuts away everything below it.

use glam::{DMat3, DVec3};

use super::mesh::Mesh;
use super::ShapeHits;
use crate::desc::shapes::{HeightField as HeightFieldDesc, Mesh as MeshDesc, MeshTriangle};
use crate::scene::geometry::{Aabb, Ray};

/// The height of a map unit: y = 65536 is the top of the unit cube.
pub const HEIGHT_SCALE: f64 = 65536.0;

/// A height field in map space.
#[derive(Debug)]
pub struct HeightField {
    heights: Vec<f64>,
    width: usize,
    depth: usize,
    water: f64,
    /// Per-vertex normals of a smooth field, in world space (normalised).
    normals: Option<Vec<DVec3>>,
    /// World-space normals back to map space.
    from_world: DMat3,
    mesh: Mesh,
}

impl PartialEq for HeightField {
    /// Built once per object and never compared by content.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl HeightField {
    /// The field of `desc`; `None` when nothing lies above the water.
    /// `to_world` maps normals from map space to world space: smoothed normals
    /// are blended in world space, as POV-Ray blends them.
    pub fn new(desc: &HeightFieldDesc, to_world: DMat3) -> Option<HeightField> {
        let (w, d) = (desc.width, desc.depth);
        let heights: Vec<f64> = desc.heights.iter().map(|&h| f64::from(h)).collect();
        let water = HEIGHT_SCALE * desc.water_level;
        let at = |x: usize, z: usize| heights[z * w + x];
        let mut mesh = MeshDesc {
            vertices: (0..d)
                .flat_map(|z| (0..w).map(move |x| (x, z)))
                .map(|(x, z)| DVec3::new(x as f64, at(x, z), z as f64))
                .collect(),
            ..MeshDesc::default()
        };
        let v = |x: usize, z: usize| (z * w + x) as u32;
        for z in 0..d - 1 {
            for x in 0..w - 1 {
                for tri in [
                    [v(x, z), v(x + 1, z), v(x, z + 1)],
                    [v(x + 1, z + 1), v(x, z + 1), v(x + 1, z)],
                ] {
                    let top = tri
                        .iter()
                        .map(|&i| heights[i as usize])
                        .fold(f64::MIN, f64::max);
                    if top >= water {
                        mesh.triangles.push(MeshTriangle {
                            vertices: tri,
                            normals: None,
                            texture: None,
                            uvs: None,
                        });
                    }
                }
            }
        }
        let mesh = Mesh::build(&std::sync::Arc::new(mesh), None)?;
        let normals = desc
            .smooth
            .then(|| smooth_normals(&heights, w, d, to_world));
        let from_world = to_world.inverse();
        Some(HeightField {
            heights,
            width: w,
            depth: d,
            water,
            normals,
            from_world,
            mesh,
        })
    }

    fn height(&self, x: usize, z: usize) -> f64 {
        self.heights[z * self.width + x]
    }

    pub fn bounds(&self) -> Aabb {
        let b = self.mesh.bounds();
        Aabb::new(DVec3::new(b.min.x, b.min.y.max(self.water), b.min.z), b.max)
    }

    /// The crossings along `r` (map space) above the water.
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let mut hits = ShapeHits::default();
        self.mesh.intersect(r, &mut hits);
        for (t, part) in hits.iter() {
            if r.at(t).y >= self.water {
                out.push_sorted(t, part, 0.0);
            }
        }
    }

    /// The cell holding `p` and `p`'s position in it.
    fn cell(&self, p: DVec3) -> (usize, usize, f64, f64) {
        let px = (p.x.max(0.0) as usize).min(self.width - 2);
        let pz = (p.z.max(0.0) as usize).min(self.depth - 2);
        (px, pz, p.x - px as f64, p.z - pz as f64)
    }

    /// POV-Ray's normal at `p` (map space, not normalised).
    pub fn normal(&self, p: DVec3) -> DVec3 {
        let (px, pz, x, z) = self.cell(p);
        if let Some(ns) = &self.normals {
            let n = |i: usize, k: usize| ns[k * self.width + i];
            let (u, v) = (1.0 - x, 1.0 - z);
            let world = (n(px, pz) * u + n(px + 1, pz) * x) * v
                + (n(px, pz + 1) * u + n(px + 1, pz + 1) * x) * z;
            // Map space, which the object's placement turns back into `world`.
            return self.from_world * world;
        }
        if x + z <= 1.0 {
            let (y1, y2, y3) = (
                self.height(px, pz),
                self.height(px + 1, pz),
                self.height(px, pz + 1),
            );
            DVec3::new(y1 - y2, 1.0, y1 - y3)
        } else {
            let (y1, y2, y3) = (
                self.height(px + 1, pz + 1),
                self.height(px, pz + 1),
                self.height(px + 1, pz),
            );
            DVec3::new(y2 - y1, 1.0, y3 - y1)
        }
    }

    /// POV-Ray's inside test: below the surface (or the water) over the grid.
    pub fn inside(&self, p: DVec3) -> bool {
        let (max_x, max_z) = ((self.width - 1) as f64, (self.depth - 1) as f64);
        if p.x < 0.0 || p.x >= max_x || p.z < 0.0 || p.z >= max_z || p.y >= HEIGHT_SCALE {
            return false;
        }
        if p.y < self.water {
            return true;
        }
        let (px, pz, x, z) = self.cell(p);
        let h = |i: usize, k: usize| self.height(i, k).max(self.water);
        let (origin, n) = if x + z < 1.0 {
            let (y1, y2, y3) = (h(px, pz), h(px + 1, pz), h(px, pz + 1));
            (
                DVec3::new(px as f64, y1, pz as f64),
                DVec3::new(y1 - y2, 1.0, y1 - y3),
            )
        } else {
            let (y1, y2, y3) = (h(px + 1, pz + 1), h(px, pz + 1), h(px + 1, pz));
            (
                DVec3::new((px + 1) as f64, y1, (pz + 1) as f64),
                DVec3::new(y2 - y1, 1.0, y3 - y1),
            )
        };
        p.dot(n) < origin.dot(n)
    }
}

/// POV-Ray's vertex normals: the sum of the up to four neighbouring triangle
/// normals (map space), normalised, kept at its 16-bit precision, then carried
/// to world space by `to_world`.
fn smooth_normals(heights: &[f64], w: usize, d: usize, to_world: DMat3) -> Vec<DVec3> {
    let at = |x: i64, z: i64| -> Option<DVec3> {
        (x >= 0 && z >= 0 && (x as usize) < w && (z as usize) < d)
            .then(|| DVec3::new(x as f64, heights[z as usize * w + x as usize], z as f64))
    };
    let face = |x0: i64, z0: i64, x1: i64, z1: i64, x2: i64, z2: i64| -> Option<DVec3> {
        let (v0, v1, v2) = (at(x0, z0)?, at(x1, z1)?, at(x2, z2)?);
        let n = (v2 - v0).cross(v1 - v0).normalize_or_zero();
        Some(if n.y < 0.0 { -n } else { n })
    };
    let mut out = Vec::with_capacity(w * d);
    for z in 0..d as i64 {
        for x in 0..w as i64 {
            let sum: DVec3 = [
                face(x, z, x + 1, z, x, z + 1),
                face(x, z, x, z + 1, x - 1, z),
                face(x, z, x - 1, z, x, z - 1),
                face(x, z, x, z - 1, x + 1, z),
            ]
            .into_iter()
            .flatten()
            .sum();
            let n = sum.normalize_or_zero();
            let quantised = (n * 32767.0).trunc();
            out.push((to_world * quantised).normalize_or_zero());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn field(heights: Vec<u16>, w: usize, d: usize, water: f64) -> HeightField {
        HeightField::new(
            &HeightFieldDesc {
                heights: Arc::new(heights),
                width: w,
                depth: d,
                smooth: false,
                water_level: water,
            },
            IDENTITY,
        )
        .expect("field")
    }

    const IDENTITY: DMat3 = DMat3::IDENTITY;

    #[test]
    fn a_flat_field_is_hit_at_its_height_and_has_an_inside() {
        let f = field(vec![32768; 9], 3, 3, 0.0);
        let mut out = ShapeHits::default();
        f.intersect(
            &Ray::new(DVec3::new(0.7, 60000.0, 1.2), DVec3::new(0.0, -1.0, 0.0)),
            &mut out,
        );
        let t = out.iter().next().expect("hit").0;
        assert!((t - (60000.0 - 32768.0)).abs() < 1e-6, "{t}");
        assert!(f.inside(DVec3::new(1.0, 100.0, 1.0)));
        assert!(!f.inside(DVec3::new(1.0, 40000.0, 1.0)));
        assert!(!f.inside(DVec3::new(5.0, 100.0, 1.0)));
        assert_eq!(f.normal(DVec3::new(0.5, 32768.0, 0.5)), DVec3::Y);
    }

    #[test]
    fn water_cuts_away_the_low_cells() {
        let f = field(vec![0, 0, 0, 65535], 2, 2, 0.5);
        assert!(HeightField::new(
            &HeightFieldDesc {
                heights: Arc::new(vec![0; 4]),
                width: 2,
                depth: 2,
                smooth: true,
                water_level: 0.5,
            },
            IDENTITY
        )
        .is_none());
        // Below the water counts as inside though nothing is drawn there.
        assert!(f.inside(DVec3::new(0.2, 100.0, 0.2)));
    }
}
