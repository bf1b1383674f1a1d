//! Building the larger shapes (superellipsoids, blobs, meshes, sweeps) from their
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
use super::shapes::{
    bicubic, blob, height_field, julia, mesh, ovus, parametric, sphere_sweep, superellipsoid, Shape,
};
use super::transform::Transform;
use crate::desc;
use crate::pattern::NoiseGenerator;

/// A built mesh and the description it came from, kept alive so that its
/// address, the cache key, stays its own.
type Built = (Arc<desc::shapes::Mesh>, Arc<mesh::Mesh>);

/// Meshes already built, by (description address, texture group).
#[derive(Default)]
pub struct MeshCache {
    built: HashMap<(usize, Option<u32>), Built>,
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

/// `sphere_sweep { }`.
pub fn sphere_sweep(s: &desc::shapes::SphereSweep) -> Shape {
    if s.spheres.len() > sphere_sweep::MAX_SHADED_SEGMENTS {
        tracing::warn!(
            "a sphere_sweep of {} spheres: past segment {} its sides are shaded with wrong normals",
            s.spheres.len(),
            sphere_sweep::MAX_SHADED_SEGMENTS
        );
    }
    Shape::SphereSweep(Box::new(sphere_sweep::SphereSweep::new(s)))
}

/// `ovus { }`.
pub fn ovus(o: desc::shapes::Ovus) -> Shape {
    Shape::Ovus(Box::new(ovus::Ovus::new(
        o.bottom_radius,
        o.top_radius,
        o.sturm,
    )))
}

/// `parametric { }`.
pub fn parametric(p: &desc::shapes::Parametric) -> Shape {
    Shape::Parametric(Box::new(parametric::Parametric::new(p)))
}

/// `blob { }`.
pub fn blob(b: &desc::shapes::Blob) -> Result<Shape, BuildError> {
    let built = blob::Blob::new(b).ok_or(BuildError::SingularTransform)?;
    Ok(Shape::Blob(Box::new(built)))
}

/// `julia_fractal { }`.
pub fn julia(j: &desc::shapes::JuliaFractal) -> Shape {
    use desc::shapes::{JuliaAlgebra, JuliaFunction};
    if (j.algebra, j.function) == (JuliaAlgebra::Hypercomplex, JuliaFunction::Cube) {
        tracing::warn!("hypercomplex cube julia_fractal is not rendered yet; sqr is used");
    }
    Shape::Julia(Box::new(julia::Julia::new(j)))
}

/// A `height_field { }` object: the field in its map space, placed by the
/// scale to the unit cube and then the object's transform. `None` when all of
/// it lies under the water.
pub fn height_field_object(
    o: &desc::Object,
    h: &desc::shapes::HeightField,
    inverse: bool,
    gen: NoiseGenerator,
) -> Result<Option<Object>, BuildError> {
    let (w, d) = (h.width as f64, h.depth as f64);
    let scale = DAffine3::from_scale(glam::DVec3::new(
        1.0 / (w - 1.0),
        1.0 / height_field::HEIGHT_SCALE,
        1.0 / (d - 1.0),
    ));
    let to_world = DAffine3::from_mat4(o.transform.matrix) * scale;
    let transform = Transform::new(to_world).ok_or(BuildError::SingularTransform)?;
    let normal_to_world = to_world.matrix3.inverse().transpose();
    let Some(field) = height_field::HeightField::new(h, normal_to_world) else {
        return Ok(None);
    };
    let material = Arc::new(
        Material::from_desc(o.texture.as_ref(), o.interior.as_ref(), gen)
            .with_interior_texture(o.interior_texture.as_ref(), gen),
    );
    Ok(Some(Object::primitive(
        Primitive {
            shape: Shape::HeightField(Arc::new(field)),
            transform: Some(transform),
            material,
        },
        inverse,
    )))
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
    // The texture groups in order (triangles of one group usually come together).
    let mut groups = std::collections::BTreeSet::new();
    let mut last = None;
    for t in &data.triangles {
        if last != Some(t.texture) {
            last = Some(t.texture);
            groups.insert(t.texture);
        }
    }
    let transform = placement(o)?;
    let mut parts = Vec::with_capacity(groups.len());
    for g in groups {
        let Some(m) = cache.get(data, g) else {
            continue;
        };
        let texture = g
            .and_then(|i| textures.get(i as usize))
            .or(o.texture.as_ref());
        let material = Arc::new(
            Material::from_desc(texture, o.interior.as_ref(), gen)
                .with_interior_texture(o.interior_texture.as_ref(), gen),
        );
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

/// A `bicubic_patch` object: its control points moved into world space and
/// subdivided there, as POV-Ray transforms a patch (see [`bicubic`]).
pub fn bicubic_patch_object(
    o: &desc::Object,
    p: &desc::shapes::BicubicPatch,
    inverse: bool,
    gen: NoiseGenerator,
) -> Result<Object, BuildError> {
    let world = DAffine3::from_mat4(o.transform.matrix);
    let points = p.points.map(|row| row.map(|c| world.transform_point3(c)));
    if points.iter().flatten().any(|c| !c.is_finite()) {
        return Err(BuildError::SingularTransform);
    }
    let sub = bicubic::Subdivision {
        flatness: p.flatness,
        u_steps: p.u_steps,
        v_steps: p.v_steps,
    };
    let patch = bicubic::BicubicPatch::new(&points, sub, p.uv_vectors);
    let mut material = Material::from_desc(o.texture.as_ref(), o.interior.as_ref(), gen)
        .with_interior_texture(o.interior_texture.as_ref(), gen);
    material.hollow = o.hollow.unwrap_or(false);
    Ok(Object::primitive(
        Primitive {
            shape: Shape::BicubicPatch(Box::new(patch)),
            transform: None,
            material: Arc::new(material),
        },
        inverse,
    ))
}
