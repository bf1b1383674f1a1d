//! The data of the larger shapes (blobs, meshes, height fields), kept out of
//! [`super::object::Shape`] so that enum stays small: each is boxed or shared there.

use std::sync::Arc;

use glam::{DVec2, DVec3};

use super::texture::Texture;
use super::transform::Transform;

/// `blob { threshold t  sphere {..}  cylinder {..} ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Blob {
    /// The field value of the surface (default 1).
    pub threshold: f64,
    /// The components, in the order written.
    pub components: Vec<BlobComponent>,
    /// `sturm` requested (our root finder is exact either way).
    pub sturm: bool,
    /// `hierarchy` (default on): only changes speed.
    pub hierarchy: bool,
}

/// One field source of a blob.
#[derive(Clone, Debug, PartialEq)]
pub struct BlobComponent {
    /// Its shape in its own space.
    pub kind: BlobComponentKind,
    /// Field strength at the centre (negative subtracts).
    pub strength: f64,
    /// Radius of influence.
    pub radius: f64,
    /// The component's own transforms (blob space from component space); the blob's
    /// transform comes on top.
    pub transform: Transform,
    /// The component's own texture, in world space like an object's.
    pub texture: Option<Texture>,
}

/// The shape of a blob component's influence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BlobComponentKind {
    /// A sphere of influence around `center`.
    Sphere {
        /// Centre.
        center: DVec3,
    },
    /// A cylinder of influence from `base` to `apex`, with rounded ends.
    Cylinder {
        /// One end.
        base: DVec3,
        /// The other end.
        apex: DVec3,
    },
}

/// `mesh { triangle {..} smooth_triangle {..} ... }` and `mesh2 { ... }`, both as
/// indexed triangles. Shared between the copies an `object { Mesh }` makes.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Mesh {
    /// Vertex positions.
    pub vertices: Vec<DVec3>,
    /// Vertex normals (smooth triangles index into these).
    pub normals: Vec<DVec3>,
    /// uv coordinates, for `uv_mapping` (triangles index into these).
    pub uvs: Vec<DVec2>,
    /// The triangles.
    pub triangles: Vec<MeshTriangle>,
    /// `inside_vector`: a mesh with one is closed and has an inside.
    pub inside_vector: Option<DVec3>,
}

/// One triangle of a [`Mesh`]: indices into its arrays.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeshTriangle {
    /// Vertex indices.
    pub vertices: [u32; 3],
    /// Normal indices (a smooth triangle), else `None`.
    pub normals: Option<[u32; 3]>,
    /// Index into the textures beside the mesh (`None`: the mesh's own texture).
    pub texture: Option<u32>,
    /// uv indices of the corners (`None`: every corner at uv (0, 0), as POV-Ray).
    pub uvs: Option<[u32; 3]>,
}

/// `height_field { png "file" ... }`: a grid of heights over the unit square in
/// x and z, heights on 0..=65535 mapping to y in [0, 1).
#[derive(Clone, Debug, PartialEq)]
pub struct HeightField {
    /// Heights, `heights[z * width + x]`; row z = 0 is the image's bottom row.
    pub heights: Arc<Vec<u16>>,
    /// Grid columns (x), at least 2.
    pub width: usize,
    /// Grid rows (z), at least 2.
    pub depth: usize,
    /// `smooth`: interpolated normals.
    pub smooth: bool,
    /// `water_level` (0..1): the field below it is cut away.
    pub water_level: f64,
}

/// `julia_fractal { <c> ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct JuliaFractal {
    /// The Julia parameter c (4-D).
    pub parameter: [f64; 4],
    /// `quaternion` (default) or `hypercomplex`.
    pub algebra: JuliaAlgebra,
    /// The map: `sqr` (default), `cube`, or another (not rendered yet).
    pub function: JuliaFunction,
    /// `max_iteration` (default 20).
    pub max_iteration: usize,
    /// The marching step: 1 / `precision` (default 1/20).
    pub precision: f64,
    /// `slice`: the unit normal of the 3-D hyperplane shown (default t).
    pub slice: [f64; 4],
    /// `slice`'s distance from the origin.
    pub slice_distance: f64,
}

/// A Julia fractal's number system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JuliaAlgebra {
    /// Quaternions.
    Quaternion,
    /// Hypercomplex numbers.
    Hypercomplex,
}

/// A Julia fractal's map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JuliaFunction {
    /// z² + c.
    Sqr,
    /// z³ + c.
    Cube,
    /// exp, ln, sin, pwr, reciprocal...: parsed, drawn as sqr with a warning.
    Other,
}

/// `bicubic_patch { type t [flatness f] [u_steps n] [v_steps n] [uv_vectors ...] 16 points }`:
/// a Bézier patch, rendered as POV-Ray renders it, as the flat pieces of its subdivision.
#[derive(Clone, Debug, PartialEq)]
pub struct BicubicPatch {
    /// The control points, `points[u][v]` in the order written (u is the row).
    pub points: [[DVec3; 4]; 4],
    /// `type` 0 (subdivided per ray in POV-Ray) or 1 (subdivided once): the same
    /// pieces either way.
    pub patch_type: u32,
    /// A piece whose control points all lie this close to its corners' plane is
    /// not subdivided further (default 0: subdivide to the step limits).
    pub flatness: f64,
    /// Most halvings along u (`u_steps`, default 0).
    pub u_steps: u32,
    /// Most halvings along v (`v_steps`, default 0).
    pub v_steps: u32,
    /// `uv_vectors`: the texture uv of the corners (u,v) = (0,0), (1,0), (1,1), (0,1).
    pub uv_vectors: [DVec2; 4],
}

/// `sphere_sweep { spline n, <c1>, r1, ... [tolerance t] }`: a sphere moved
/// along a spline through the modelling spheres, its radius interpolated too.
#[derive(Clone, Debug, PartialEq)]
pub struct SphereSweep {
    /// How the modelling spheres are joined.
    pub spline: SweepSpline,
    /// The modelling spheres (centre, radius), at least 2 (linear) or 4.
    pub spheres: Vec<(DVec3, f64)>,
    /// `tolerance`: hits nearer than this are dropped (default 1e-6).
    pub tolerance: f64,
}

/// The interpolation of a [`SphereSweep`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepSpline {
    /// `linear_spline`: straight cones between spheres.
    Linear,
    /// `cubic_spline`: a Catmull-Rom spline through the inner spheres.
    CatmullRom,
    /// `b_spline`: a uniform cubic B-spline approximating the spheres.
    BSpline,
}

impl SweepSpline {
    /// The fewest modelling spheres the spline takes (POV-Ray's rule).
    pub fn min_spheres(self) -> usize {
        match self {
            SweepSpline::Linear => 2,
            SweepSpline::CatmullRom | SweepSpline::BSpline => 4,
        }
    }
}

/// `ovus { bottom_radius, top_radius }`: two spheres, the top one centred at
/// `y = bottom_radius`, joined by a spindle torus.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ovus {
    /// Radius of the sphere at the origin.
    pub bottom_radius: f64,
    /// Radius of the sphere at `<0, bottom_radius, 0>`; less than twice the bottom.
    pub top_radius: f64,
    /// `sturm`: the torus quartic is solved by Sturm sequences.
    pub sturm: bool,
}

/// `parametric { function { x(u,v) }, function { y }, function { z }, <u1,v1>, <u2,v2> ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Parametric {
    /// x, y and z as functions of (u, v) (u is the first parameter, v the second).
    pub functions: [crate::function::FunctionRef; 3],
    /// The lowest (u, v), each at most its [`Parametric::uv_max`] counterpart.
    pub uv_min: DVec2,
    /// The highest (u, v).
    pub uv_max: DVec2,
    /// `contained_by` (default the box from -1 to 1).
    pub container: super::isosurface::Container,
    /// `accuracy` (default 0.001).
    pub accuracy: f64,
    /// `max_gradient` (default 1).
    pub max_gradient: f64,
    /// `precompute depth, x, y, z`: the depth and which coordinates' bounds are
    /// precomputed.
    pub precompute: Option<(u32, [bool; 3])>,
}
