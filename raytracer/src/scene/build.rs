//! Turning the scene description into render objects.
//!
//! CSG `inverse` is pushed down to the primitives with De Morgan's laws (as POV-Ray
//! inverts CSG), differences become intersections with inverted later children,
//! cylinders, cones and discs get the transform that places their canonical shape,
//! and every texture's pattern transforms are inverted once here.

use std::sync::Arc;

use glam::{DAffine3, DMat3, DMat4, DVec3};
use thiserror::Error;

use super::build_shapes::{self, MeshCache};
use super::geometry::Aabb;
use super::material::Material;
use super::object::{CsgOp, Object, ObjectKind, Primitive};
use super::shapes::glyph::Glyph;
use super::shapes::lathe::Lathe;
use super::shapes::polygon::Polygon;
use super::shapes::prism::Prism;
use super::shapes::sor::Sor;
use super::shapes::Shape;
use super::transform::Transform;
use crate::desc;
use crate::pattern::NoiseGenerator;

/// Why a description cannot be rendered.
#[derive(Debug, Error)]
pub enum BuildError {
    #[error("object has a degenerate transform (a zero scale or singular matrix)")]
    SingularTransform,
    #[error("{0} has a zero-length {1}")]
    Degenerate(&'static str, &'static str),
    #[error("the {0} camera is not supported; use another camera type")]
    UnsupportedCamera(&'static str),
}

/// Converts the description's objects; shapes that cannot be rendered are left out
/// with a warning.
pub fn build_objects(
    objs: &[desc::Object],
    gen: NoiseGenerator,
) -> Result<Vec<Object>, BuildError> {
    let mut out = Vec::with_capacity(objs.len());
    let mut meshes = MeshCache::default();
    for o in objs {
        if let Some(obj) = convert(o, false, gen, &mut meshes)? {
            out.push(obj);
        }
    }
    let mut next_id = 0;
    for obj in &mut out {
        number_interiors(obj, &mut Vec::new(), &mut next_id);
    }
    Ok(out)
}

/// Numbers the interiors of one top-level object: its primitives with equal
/// interiors (a CSG's children inherit its one) share a number, unlike those of
/// different objects.
fn number_interiors(
    obj: &mut Object,
    seen: &mut Vec<(Option<desc::Interior>, bool, u32)>,
    next_id: &mut u32,
) {
    match &mut obj.kind {
        ObjectKind::Primitive(p) => {
            let m = &p.material;
            let id = match seen
                .iter()
                .find(|(i, hollow, _)| *i == m.interior && *hollow == m.hollow)
            {
                Some(&(_, _, id)) => id,
                None => {
                    *next_id += 1;
                    seen.push((m.interior.clone(), m.hollow, *next_id));
                    *next_id
                }
            };
            Arc::make_mut(&mut p.material).interior_id = id;
        }
        ObjectKind::Csg { children, .. } => {
            for c in children {
                number_interiors(c, seen, next_id);
            }
        }
    }
}

fn convert(
    o: &desc::Object,
    parent_inverse: bool,
    gen: NoiseGenerator,
    meshes: &mut MeshCache,
) -> Result<Option<Object>, BuildError> {
    let inverse = parent_inverse != o.inverse;
    let mut obj = match &o.shape {
        desc::Shape::Csg { op, children } => {
            let Some(node) = convert_csg(*op, children, inverse, gen, meshes)? else {
                return Ok(None);
            };
            node
        }
        desc::Shape::HeightField(h) => {
            let Some(node) = build_shapes::height_field_object(o, h, inverse, gen)? else {
                tracing::warn!("a height_field wholly under its water_level was skipped");
                return Ok(None);
            };
            node
        }
        desc::Shape::BicubicPatch(p) => build_shapes::bicubic_patch_object(o, p, inverse, gen)?,
        desc::Shape::Mesh { data, textures } => {
            let Some(node) = build_shapes::mesh_object(o, data, textures, inverse, gen, meshes)?
            else {
                return Ok(None);
            };
            node
        }
        shape => {
            // Shapes left out say why themselves.
            let Some((shape, local)) = convert_shape(shape)? else {
                tracing::warn!("an object without surface was skipped");
                return Ok(None);
            };
            let world = DAffine3::from_mat4(o.transform.matrix);
            let to_world = match local {
                Some(l) => world * l,
                None => world,
            };
            let transform = if to_world == DAffine3::IDENTITY {
                None
            } else {
                Some(Transform::new(to_world).ok_or(BuildError::SingularTransform)?)
            };
            let (shape, transform) = bake_transform(shape, transform);
            let mut material = Material::from_desc(o.texture.as_ref(), o.interior.as_ref(), gen);
            if let (desc::Shape::Blob(b), Shape::Blob(field)) = (&o.shape, &shape) {
                material = material.with_blob_textures(b, field, transform, gen);
            }
            let mut material = material.with_interior_texture(o.interior_texture.as_ref(), gen);
            material.hollow = o.hollow.unwrap_or(false);
            let material = Arc::new(material);
            Object::primitive(
                Primitive {
                    shape,
                    transform,
                    material,
                },
                inverse,
            )
        }
    };
    obj.no_shadow = o.no_shadow;
    obj.light_group = o.light_group;
    obj.radiosity_importance = o.radiosity_importance.map(|i| i as f32);
    obj.no_image = o.no_image;
    obj.no_reflection = o.no_reflection;
    obj.double_illuminate = o.double_illuminate;
    obj.photons = crate::scene::photon_targets::PhotonFlags::from_desc(&o.photons);
    // POV-Ray 3.7's bicubic patch ignores its clipping objects, which only
    // shrink its bounding box.
    let cuts = !matches!(o.shape, desc::Shape::BicubicPatch(_));
    if !cuts && !o.clipped_by.is_empty() {
        tracing::warn!(
            "clipped_by does not cut a bicubic_patch (as in POV-Ray 3.7); only its bounds shrink"
        );
    }
    for c in &o.clipped_by {
        if let Some(clip) = convert(c, false, gen, meshes)? {
            obj.restrict_bounds(clip.bounds);
            if cuts {
                obj.clip.push(clip);
            }
        }
    }
    // POV-Ray keeps polynomial surfaces' bounding objects for a per-ray test. Such an
    // object's inside reaches past its bound, so once inverted it stays unbounded.
    let keeps_bound = matches!(o.shape, desc::Shape::Poly { .. });
    for b in &o.bounded_by {
        if let Some(bound) = convert(b, false, gen, meshes)? {
            if !(keeps_bound && inverse) {
                obj.restrict_bounds(bound.bounds);
            }
            if keeps_bound {
                obj.bound.push(bound);
            }
        }
    }
    Ok(Some(obj))
}

fn convert_csg(
    op: desc::CsgOp,
    children: &[desc::Object],
    inverse: bool,
    gen: NoiseGenerator,
    meshes: &mut MeshCache,
) -> Result<Option<Object>, BuildError> {
    // (operation, per-child extra inversion) before applying the node's own inverse.
    let (mut op, first_inv, rest_inv) = match op {
        desc::CsgOp::Union => (CsgOp::Union, false, false),
        desc::CsgOp::Merge => (CsgOp::Merge, false, false),
        desc::CsgOp::Intersection => (CsgOp::Intersection, false, false),
        desc::CsgOp::Difference => (CsgOp::Intersection, false, true),
    };
    if inverse {
        op = match op {
            CsgOp::Union | CsgOp::Merge => CsgOp::Intersection,
            CsgOp::Intersection => CsgOp::Merge,
        };
    }
    let mut kids = Vec::with_capacity(children.len());
    for (i, c) in children.iter().enumerate() {
        let extra = if i == 0 { first_inv } else { rest_inv };
        if let Some(k) = convert(c, inverse != extra, gen, meshes)? {
            kids.push(k);
        }
    }
    if kids.is_empty() {
        return Ok(None);
    }
    Ok(Some(Object::csg(op, kids)))
}

/// The render shape and the map from its canonical frame to the description's
/// object space (`None` when they coincide). `None` overall for unsupported shapes.
fn convert_shape(s: &desc::Shape) -> Result<Option<(Shape, Option<DAffine3>)>, BuildError> {
    let shape = match *s {
        desc::Shape::Sphere { center, radius } => (Shape::Sphere { center, radius }, None),
        desc::Shape::Plane { normal, distance } => {
            let len = normal.length();
            if len == 0.0 {
                return Err(BuildError::Degenerate("plane", "normal"));
            }
            (
                Shape::Plane {
                    normal: normal / len,
                    distance: distance / len,
                },
                None,
            )
        }
        desc::Shape::Box { corner1, corner2 } => (
            Shape::Box {
                min: corner1.min(corner2),
                max: corner1.max(corner2),
            },
            None,
        ),
        desc::Shape::Cylinder {
            base,
            cap,
            radius,
            open,
        } => {
            let frame = axis_frame(base, cap, DVec3::new(radius, radius, 1.0), "cylinder")?;
            (
                Shape::Cone {
                    r1: 1.0,
                    r2: 1.0,
                    open,
                    cylinder: true,
                },
                Some(frame),
            )
        }
        desc::Shape::Cone {
            base,
            base_radius,
            cap,
            cap_radius,
            open,
        } => {
            let frame = axis_frame(base, cap, DVec3::ONE, "cone")?;
            (
                Shape::Cone {
                    r1: base_radius,
                    r2: cap_radius,
                    open,
                    cylinder: false,
                },
                Some(frame),
            )
        }
        desc::Shape::Disc {
            center,
            normal,
            radius,
            hole_radius,
        } => {
            if normal.length() == 0.0 {
                return Err(BuildError::Degenerate("disc", "normal"));
            }
            let frame = axis_frame(center, center + normal.normalize(), DVec3::ONE, "disc")?;
            (
                Shape::Disc {
                    radius2: radius * radius,
                    hole2: hole_radius * hole_radius,
                },
                Some(frame),
            )
        }
        desc::Shape::Torus {
            major,
            minor,
            sturm,
        } => (
            Shape::Torus {
                major,
                minor,
                sturm,
            },
            None,
        ),
        desc::Shape::Triangle { points, normals } => {
            let (e1, e2) = (points[1] - points[0], points[2] - points[0]);
            let n = e1.cross(e2);
            if n.length_squared() == 0.0 {
                // POV-Ray drops degenerate triangles with a warning; so do we.
                tracing::warn!("degenerate triangle ignored");
                return Ok(None);
            }
            (
                Shape::Triangle {
                    p0: points[0],
                    e1,
                    e2,
                    normal: n.normalize(),
                    normals: normals.map(|ns| ns.map(|v| v.normalize_or_zero())),
                },
                None,
            )
        }
        desc::Shape::Quadric {
            squares: a,
            mixed: m,
            linear: l,
            constant,
        } => (
            Shape::Quadric {
                c: [a.x, a.y, a.z, m.x, m.y, m.z, l.x, l.y, l.z, constant],
            },
            None,
        ),
        desc::Shape::Isosurface(ref iso) => (
            Shape::Isosurface(Box::new(super::shapes::isosurface::Isosurface::from_desc(
                iso,
            ))),
            None,
        ),
        desc::Shape::Prism(ref p) => (Shape::Prism(Box::new(Prism::new(p))), None),
        desc::Shape::Glyph(ref g) => (Shape::Glyph(Box::new(Glyph::new(g))), None),
        desc::Shape::Lathe(ref l) => (Shape::Lathe(Box::new(Lathe::new(l))), None),
        desc::Shape::Sor(ref s) => {
            let sor = Sor::new(s).ok_or(BuildError::Degenerate("sor", "profile"))?;
            (Shape::Sor(Box::new(sor)), None)
        }
        desc::Shape::Superellipsoid { e, n } => (build_shapes::superellipsoid(e, n), None),
        desc::Shape::Blob(ref b) => (build_shapes::blob(b)?, None),
        desc::Shape::JuliaFractal(ref j) => (build_shapes::julia(j), None),
        desc::Shape::SphereSweep(ref s) => (build_shapes::sphere_sweep(s), None),
        desc::Shape::Ovus(o) => (build_shapes::ovus(o), None),
        desc::Shape::Parametric(ref p) => (build_shapes::parametric(p), None),
        desc::Shape::Poly {
            order,
            ref coefficients,
            sturm,
        } => match Shape::poly(order, coefficients, sturm) {
            Some(shape) => (shape, None),
            None => return Ok(None),
        },
        desc::Shape::Polygon(ref p) => match Polygon::new(&p.points) {
            Ok((polygon, frame)) => (Shape::Polygon(Box::new(polygon)), Some(frame)),
            Err(why) => {
                // POV-Ray ignores such polygons with a warning; so do we.
                tracing::warn!("polygon ignored: its points are {why:?}");
                return Ok(None);
            }
        },
        desc::Shape::HeightField(_)
        | desc::Shape::Mesh { .. }
        | desc::Shape::BicubicPatch(_)
        | desc::Shape::Csg { .. } => return Ok(None),
    };
    Ok(Some(shape))
}

/// Maps the canonical frame (axis +z from 0 to 1, scaled by `scale` across and along)
/// onto the segment `from`..`to`.
fn axis_frame(
    from: DVec3,
    to: DVec3,
    scale: DVec3,
    what: &'static str,
) -> Result<DAffine3, BuildError> {
    let axis = to - from;
    let len = axis.length();
    if len == 0.0 || !len.is_finite() {
        return Err(BuildError::Degenerate(what, "axis"));
    }
    let w = axis / len;
    let helper = if w.x.abs() < 0.9 { DVec3::X } else { DVec3::Y };
    let u = helper.cross(w).normalize();
    let v = w.cross(u);
    let rot = DMat3::from_cols(u, v, w);
    let m = rot * DMat3::from_diagonal(DVec3::new(scale.x, scale.y, len));
    Ok(DAffine3::from_mat3_translation(m, from))
}

/// Folds the transform into shapes that stay the same kind of shape under it, so
/// they are intersected without mapping every ray: planes and quadrics under any
/// affine map, spheres under translation and uniform scaling.
fn bake_transform(shape: Shape, transform: Option<Transform>) -> (Shape, Option<Transform>) {
    let Some(t) = transform else {
        return (shape, None);
    };
    match shape {
        Shape::Plane { normal, distance } => {
            let n = t.normal_to_world(normal);
            let len = n.length();
            if len == 0.0 || !len.is_finite() {
                return (shape, Some(t));
            }
            let n = n / len;
            let p0 = t.to_world.transform_point3(normal * distance);
            (
                Shape::Plane {
                    normal: n,
                    distance: n.dot(p0),
                },
                None,
            )
        }
        Shape::Quadric { c } => (
            Shape::Quadric {
                c: quadric_to_world(&c, &t),
            },
            None,
        ),
        Shape::Sphere { center, radius } => {
            let m = t.to_world.matrix3;
            let s = m.x_axis.x;
            let uniform = s > 0.0
                && (m - DMat3::from_diagonal(DVec3::splat(s)))
                    .to_cols_array()
                    .iter()
                    .all(|v| v.abs() < 1e-15 * s);
            if !uniform {
                return (shape, Some(t));
            }
            let center = t.to_world.transform_point3(center);
            (
                Shape::Sphere {
                    center,
                    radius: radius * s,
                },
                None,
            )
        }
        other => (other, Some(t)),
    }
}

/// The quadric's coefficients after the object-to-world map: with the symmetric
/// matrix Q of the quadric in homogeneous coordinates, world points satisfy
/// p^T (M^-T Q M^-1) p, where M^-1 is the world-to-object map.
fn quadric_to_world(c: &[f64; 10], t: &Transform) -> [f64; 10] {
    let q = DMat4::from_cols_array(&[
        c[0],
        c[3] / 2.0,
        c[4] / 2.0,
        c[6] / 2.0,
        c[3] / 2.0,
        c[1],
        c[5] / 2.0,
        c[7] / 2.0,
        c[4] / 2.0,
        c[5] / 2.0,
        c[2],
        c[8] / 2.0,
        c[6] / 2.0,
        c[7] / 2.0,
        c[8] / 2.0,
        c[9],
    ]);
    let inv = DMat4::from(t.to_object);
    let w = inv.transpose() * q * inv;
    let at = |r: usize, col: usize| w.col(col)[r];
    [
        at(0, 0),
        at(1, 1),
        at(2, 2),
        at(0, 1) + at(1, 0),
        at(0, 2) + at(2, 0),
        at(1, 2) + at(2, 1),
        at(0, 3) + at(3, 0),
        at(1, 3) + at(3, 1),
        at(2, 3) + at(3, 2),
        at(3, 3),
    ]
}

/// World bounds of an object list, for statistics and the BVH.
pub fn bounds_of(objs: &[Object]) -> Vec<(usize, Aabb)> {
    objs.iter()
        .enumerate()
        .filter_map(|(i, o)| o.bounds.filter(Aabb::is_finite).map(|b| (i, b)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baked_quadric_has_the_same_inside_as_the_transformed_one() {
        let c = [1.0, -1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5];
        let m = DAffine3::from_scale_rotation_translation(
            DVec3::new(20.0, 25.0, 15.0),
            glam::DQuat::from_euler(glam::EulerRot::XYZ, 0.3, -0.7, 1.1),
            DVec3::new(3.0, -70.0, 8.0),
        );
        let t = Transform::new(m).expect("invertible");
        let baked = Shape::Quadric {
            c: quadric_to_world(&c, &t),
        };
        let local = Shape::Quadric { c };
        for i in 0..200 {
            let f = i as f64;
            let p = DVec3::new(
                (f * 0.37).sin() * 40.0,
                (f * 0.11).cos() * 90.0 - 70.0,
                (f * 0.73).sin() * 30.0,
            );
            assert_eq!(
                baked.inside(p),
                local.inside(t.point_to_object(p)),
                "at {p}"
            );
        }
    }

    #[test]
    fn baked_plane_keeps_its_inside() {
        let t = Transform::new(DAffine3::from_scale_rotation_translation(
            DVec3::new(2.0, 3.0, 4.0),
            glam::DQuat::from_rotation_y(0.8),
            DVec3::new(1.0, 2.0, 3.0),
        ))
        .expect("invertible");
        let plane = Shape::Plane {
            normal: DVec3::new(0.0, 0.6, 0.8),
            distance: 0.5,
        };
        let (baked, rest) = bake_transform(plane.clone(), Some(t));
        assert!(rest.is_none());
        for i in 0..100 {
            let f = i as f64;
            let p = DVec3::new(f.sin() * 9.0, (f * 0.3).cos() * 9.0, (f * 0.7).sin() * 9.0);
            assert_eq!(
                baked.inside(p),
                plane.inside(t.point_to_object(p)),
                "at {p}"
            );
        }
    }
}
