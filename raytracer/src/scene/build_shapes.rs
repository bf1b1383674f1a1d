//! Building the larger shapes (superellipsoids, blobs, meshes) from their
//! descriptions: the parts of [`super::build`] that belong to those shapes.
//!
//! A mesh whose triangles carry textures of their own becomes a union of one
//! mesh per texture, each an ordinary primitive with its material, so the
//! renderer never looks up a texture per triangle. Built meshes are cached by
//! the description they come from: every `object { Mesh }` copy shares one.

use std::collections::HashMap;
use std::sync::Arc;

use glam::DAffine3;

use super::build::BuildError;
use super::material::Material;
use super::object::{CsgOp, Object, Primitive};
use super::shapes::{blob, julia, mesh, poly, superellipsoid, Shape};
use super::transform::Transform;
use crate::desc;
use crate::pattern::NoiseGenerator;

/// Meshes already built, by (description, texture group).
#[derive(Default)]
pub struct MeshCache {
    /// The description is kept alive so its address stays its own.
    built: HashMap<(usize, Option<u32>), (Arc<desc::shapes::Mesh>, Arc<mesh::Mesh>)>,
}

impl MeshCache {
    fn get(
        &mut self,
        data: &Arc<desc::shapes::Mesh>,
        group: Option<u32>,
    ) -> Option<Arc<mesh::Mesh>> {
        let key = (Arc::as_ptr(data) as usize, group);
        if let Some((_, m)) = self.built.get(&key) {
            return Some(m.clone());
        }
        let m = Arc::new(mesh::Mesh::build(data, group)?);
        self.built.insert(key, (data.clone(), m.clone()));
        Some(m)
    }
}

/// `superellipsoid { <e, n> }`.
pub fn superellipsoid(e: f64, n: f64) -> Shape {
    Shape::Superellipsoid(superellipsoid::Superellipsoid::new(e, n))
}

/// `blob { }`.
pub fn blob(b: &desc::shapes::Blob) -> Result<Shape, BuildError> {
    if b.components.iter().any(|c| c.texture.is_some()) {
        tracing::warn!("blob component textures are not rendered yet; the blob's texture is used");
    }
    let built = blob::Blob::new(b).ok_or(BuildError::SingularTransform)?;
    Ok(Shape::Blob(Box::new(built)))
}

/// `poly`, `cubic`, `quartic`.
pub fn poly(order: u32, coefficients: &[f64]) -> Result<Shape, BuildError> {
    let p = poly::Poly::new(order, coefficients).ok_or(BuildError::Degenerate("poly", "order"))?;
    Ok(Shape::Poly(Box::new(p)))
}

/// `julia_fractal { }`.
pub fn julia(j: &desc::shapes::JuliaFractal) -> Shape {
    use desc::shapes::{JuliaAlgebra, JuliaFunction};
    if (j.algebra, j.function) == (JuliaAlgebra::Hypercomplex, JuliaFunction::Cube) {
        tracing::warn!("hypercomplex cube julia_fractal is not rendered yet; sqr is used");
    }
    Shape::Julia(Box::new(julia::Julia::new(j)))
}

/// A mesh object: one primitive per texture group, in a union when there are
/// several. `None` when no triangle is left.
pub fn mesh_object(
    o: &desc::Object,
    data: &Arc<desc::shapes::Mesh>,
    textures: &[desc::Texture],
    inverse: bool,
    gen: NoiseGenerator,
    cache: &mut MeshCache,
) -> Result<Option<Object>, BuildError> {
    let mut groups: Vec<Option<u32>> = data.triangles.iter().map(|t| t.texture).collect();
    groups.sort_unstable();
    groups.dedup();
    let transform = placement(o)?;
    let mut parts = Vec::with_capacity(groups.len());
    for g in groups {
        let Some(m) = cache.get(data, g) else {
            continue;
        };
        let texture = g
            .and_then(|i| textures.get(i as usize))
            .or(o.texture.as_ref());
        let material = Arc::new(Material::from_desc(texture, o.interior.as_ref(), gen));
        parts.push(Object::primitive(
            Primitive {
                shape: Shape::Mesh(m),
                transform,
                material,
            },
            inverse,
        ));
    }
    Ok(match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Object::csg(CsgOp::Union, parts)),
    })
}

/// The object's transform, `None` for the identity.
fn placement(o: &desc::Object) -> Result<Option<Transform>, BuildError> {
    let world = DAffine3::from_mat4(o.transform.matrix);
    if world == DAffine3::IDENTITY {
        return Ok(None);
    }
    Transform::new(world)
        .map(Some)
        .ok_or(BuildError::SingularTransform)
}
