//! Affine transforms with their inverse precomputed, so a shape can take world rays
//! into its own space and send normals back without inverting anything per ray.

use glam::{DAffine3, DMat3, DVec3};

use super::geometry::Ray;

/// Object-to-world map plus its inverse and the matrix that carries normals to world.
#[derive(Clone, Copy, Debug)]
pub struct Transform {
    pub to_world: DAffine3,
    pub to_object: DAffine3,
    normal_to_world: DMat3,
}

impl Transform {
    /// `None` when the matrix cannot be inverted (a zero scale), which callers report.
    pub fn new(to_world: DAffine3) -> Option<Self> {
        let det = to_world.matrix3.determinant();
        if !det.is_finite() || det.abs() < 1e-300 {
            return None;
        }
        let to_object = to_world.inverse();
        Some(Transform {
            to_world,
            to_object,
            normal_to_world: to_object.matrix3.transpose(),
        })
    }

    pub fn identity() -> Self {
        Transform {
            to_world: DAffine3::IDENTITY,
            to_object: DAffine3::IDENTITY,
            normal_to_world: DMat3::IDENTITY,
        }
    }

    /// `self` applied after `inner`.
    pub fn compose(&self, inner: &Transform) -> Transform {
        let to_world = self.to_world * inner.to_world;
        let to_object = inner.to_object * self.to_object;
        Transform {
            to_world,
            to_object,
            normal_to_world: to_object.matrix3.transpose(),
        }
    }

    /// The ray in object space; `t` keeps its meaning because the direction is not
    /// renormalised.
    #[inline]
    pub fn ray_to_object(&self, r: &Ray) -> Ray {
        Ray {
            origin: self.to_object.transform_point3(r.origin),
            dir: self.to_object.transform_vector3(r.dir),
        }
    }

    #[inline]
    pub fn point_to_object(&self, p: DVec3) -> DVec3 {
        self.to_object.transform_point3(p)
    }

    #[inline]
    pub fn normal_to_world(&self, n: DVec3) -> DVec3 {
        self.normal_to_world * n
    }
}
