//! Objects: shapes in their own space, the transform placing them in the world, CSG,
//! and the modifiers POV-Ray allows on any object.
//!
//! The description is flattened as POV-Ray flattens it at parse time: a CSG child's
//! `transform` already includes its parents' transforms, so every object's transform
//! maps its own space straight to world space. Likewise every primitive carries its
//! final texture: a CSG parent's texture is copied to children without one and the
//! `#default` texture fills the rest, so the renderer never walks up the tree. The
//! same goes for the interior and `hollow` (children without their own take the
//! parent's) and for `no_shadow`, `no_image`, `no_reflection` (a parent's apply to
//! all its children). A CSG node's own `transform` stays the identity.

use std::sync::Arc;

use super::photons::ObjectPhotons;
use super::shapes;
use super::texture::{Interior, Texture};
use super::transform::Transform;
use glam::DVec3;

/// How a CSG node combines its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsgOp {
    /// `union`: all children; interior surfaces kept.
    Union,
    /// `merge`: all children; interior surfaces removed.
    Merge,
    /// `intersection`: points inside every child.
    Intersection,
    /// `difference`: inside the first child and outside all the others (the parser
    /// keeps the children as written; the renderer inverts the later ones).
    Difference,
}

/// A shape in its own (object) space.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// `sphere { center, radius }`.
    Sphere {
        /// Centre.
        center: DVec3,
        /// Radius.
        radius: f64,
    },
    /// `plane { normal, distance }`: points p with `normal·p < distance` are inside.
    Plane {
        /// Surface normal as written (not normalised).
        normal: DVec3,
        /// Offset along the normal, in units of the normal's length as POV-Ray does.
        distance: f64,
    },
    /// `box { corner1, corner2 }` (corners as written).
    Box {
        /// One corner.
        corner1: DVec3,
        /// The opposite corner.
        corner2: DVec3,
    },
    /// `cylinder { base, cap, radius [open] }`.
    Cylinder {
        /// Centre of the base end.
        base: DVec3,
        /// Centre of the cap end.
        cap: DVec3,
        /// Radius.
        radius: f64,
        /// No end caps.
        open: bool,
    },
    /// `cone { base, base_radius, cap, cap_radius [open] }`.
    Cone {
        /// Centre of the base end.
        base: DVec3,
        /// Radius at the base.
        base_radius: f64,
        /// Centre of the cap end.
        cap: DVec3,
        /// Radius at the cap.
        cap_radius: f64,
        /// No end caps.
        open: bool,
    },
    /// `disc { center, normal, radius [, hole_radius] }`.
    Disc {
        /// Centre.
        center: DVec3,
        /// Normal as written.
        normal: DVec3,
        /// Outer radius.
        radius: f64,
        /// Inner radius (0: no hole).
        hole_radius: f64,
    },
    /// `triangle { p1, p2, p3 }`, or `smooth_triangle { p1, n1, p2, n2, p3, n3 }` when
    /// `normals` holds the vertex normals to interpolate.
    Triangle {
        /// The corners.
        points: [DVec3; 3],
        /// Vertex normals as written (smooth_triangle), else `None`.
        normals: Option<[DVec3; 3]>,
    },
    /// `torus { major, minor }` about the y axis.
    Torus {
        /// Distance from the origin to the tube's centre line.
        major: f64,
        /// Tube radius.
        minor: f64,
        /// `sturm` requested.
        sturm: bool,
    },
    /// `quadric { <A,B,C>, <D,E,F>, <G,H,I>, J }`:
    /// A x² + B y² + C z² + D xy + E xz + F yz + G x + H y + I z + J = 0, inside < 0.
    Quadric {
        /// A, B, C.
        squares: DVec3,
        /// D, E, F.
        mixed: DVec3,
        /// G, H, I.
        linear: DVec3,
        /// J.
        constant: f64,
    },
    /// `poly { order, <coefficients> }`, `cubic` (order 3) and `quartic` (order 4),
    /// coefficients in POV-Ray's term order.
    Poly {
        /// Polynomial order.
        order: u32,
        /// Coefficients as written.
        coefficients: Vec<f64>,
        /// `sturm` requested.
        sturm: bool,
    },
    /// `isosurface { }`.
    Isosurface(Box<super::isosurface::Isosurface>),
    /// `prism { }`.
    Prism(Box<super::outline::Prism>),
    /// `lathe { }`.
    Lathe(Box<super::outline::Lathe>),
    /// `sor { }`.
    Sor(Box<super::outline::Sor>),
    /// `polygon { }`.
    Polygon(Box<super::outline::Polygon>),
    /// One character of a `text { }` object (text is a union of glyphs, as in
    /// POV-Ray).
    Glyph(Box<super::outline::Glyph>),
    /// `superellipsoid { <e, n> }`: |x|^(2/e) + |y|^(2/e))^(e/n) + |z|^(2/n) = 1.
    Superellipsoid {
        /// East-west exponent.
        e: f64,
        /// North-south exponent.
        n: f64,
    },
    /// `blob { ... }`.
    Blob(Box<shapes::Blob>),
    /// `mesh { ... }` / `mesh2 { ... }`: the geometry is shared by every copy.
    Mesh {
        /// Vertices, normals and triangles.
        data: Arc<shapes::Mesh>,
        /// Per-triangle textures (world space, moved with the object).
        textures: Vec<Texture>,
    },
    /// `height_field { ... }`.
    HeightField(Box<shapes::HeightField>),
    /// `julia_fractal { ... }`.
    JuliaFractal(Box<shapes::JuliaFractal>),
    /// `bicubic_patch { ... }`.
    BicubicPatch(Box<shapes::BicubicPatch>),
    /// `sphere_sweep { ... }`.
    SphereSweep(Box<shapes::SphereSweep>),
    /// `ovus { bottom, top }`.
    Ovus(shapes::Ovus),
    /// `parametric { ... }`.
    Parametric(Box<shapes::Parametric>),
    /// A CSG combination of child objects.
    Csg {
        /// The combination.
        op: CsgOp,
        /// The children, already flattened into world space.
        children: Vec<Object>,
    },
}

/// An object: a shape with its placement and modifiers.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    /// The geometry, in object space.
    pub shape: Shape,
    /// Object space to world space (all transforms, parents' included).
    pub transform: Transform,
    /// Final texture (None only for CSG nodes, whose children hold theirs, and for
    /// bounding/clipping objects).
    pub texture: Option<Texture>,
    /// `interior { }`, if any (inherited by CSG children without one).
    pub interior: Option<Interior>,
    /// `interior_texture { }`: the texture of the surface seen from inside
    /// (inherited like the texture; world space like it).
    pub interior_texture: Option<Texture>,
    /// `inverse`: inside and outside swapped.
    pub inverse: bool,
    /// `hollow` (None: not said).
    pub hollow: Option<bool>,
    /// `no_shadow`: casts no shadow.
    pub no_shadow: bool,
    /// `no_image`: invisible to primary rays.
    pub no_image: bool,
    /// `no_reflection`: invisible in reflections.
    pub no_reflection: bool,
    /// `double_illuminate`.
    pub double_illuminate: bool,
    /// `bounded_by { }` objects, world space.
    pub bounded_by: Vec<Object>,
    /// `clipped_by { }` objects, world space.
    pub clipped_by: Vec<Object>,
    /// `photons { }` (CSG children without their own take the parent's).
    pub photons: ObjectPhotons,
    /// The `light_group` the object is in (an index into the scene's
    /// `light_groups`); `None`: lit by the global lights.
    pub light_group: Option<u32>,
    /// `radiosity { importance }`, in (0, 1] (CSG children without their own
    /// take the parent's; `None`: the global `radiosity`'s `importance`).
    pub radiosity_importance: Option<f64>,
}

impl Object {
    /// A shape with identity transform and no modifiers.
    pub fn new(shape: Shape) -> Self {
        Self {
            shape,
            transform: Transform::IDENTITY,
            texture: None,
            interior: None,
            interior_texture: None,
            inverse: false,
            hollow: None,
            no_shadow: false,
            no_image: false,
            no_reflection: false,
            double_illuminate: false,
            bounded_by: Vec::new(),
            clipped_by: Vec::new(),
            photons: ObjectPhotons::default(),
            light_group: None,
            radiosity_importance: None,
        }
    }

    /// The CSG children, empty for a primitive.
    pub fn children(&self) -> &[Object] {
        match &self.shape {
            Shape::Csg { children, .. } => children,
            _ => &[],
        }
    }
}
