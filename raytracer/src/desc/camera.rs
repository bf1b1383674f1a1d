//! The camera as POV-Ray 3.7 leaves it after parsing: `look_at`, `angle`, `sky` and the
//! camera's transforms are already folded into the four vectors the renderer uses.

use std::sync::Arc;

use glam::DVec3;

use super::texture::Normal;

/// Projection of the camera: how an image position becomes a primary ray.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Projection {
    /// The default pinhole camera.
    #[default]
    Perspective,
    /// `orthographic`: parallel rays from the image rectangle.
    Orthographic,
    /// `fisheye`: a circle of `angle` degrees.
    Fisheye,
    /// `ultra_wide_angle`: image positions are angles (spherical mapping).
    UltraWideAngle,
    /// `omnimax`: the 180 degree dome projection.
    Omnimax,
    /// `panoramic`: 180 degrees around `up`, tangent mapping vertically.
    Panoramic,
    /// `cylinder 1..4`: the four cylindrical projections.
    Cylinder(CylinderKind),
    /// `spherical`: `angle h, v` degrees of longitude and latitude.
    Spherical,
    /// `mesh_camera`: rays from a mesh's faces (see [`MeshCamera`]).
    Mesh,
}

/// `cylinder 1` to `cylinder 4` of the camera.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CylinderKind {
    /// Type 1: vertical cylinder, viewpoint at the axis.
    Vertical,
    /// Type 2: horizontal cylinder, viewpoint at the axis.
    Horizontal,
    /// Type 3: vertical cylinder, rays parallel along `up`.
    VerticalParallel,
    /// Type 4: horizontal cylinder, rays parallel along `right`.
    HorizontalParallel,
}

impl CylinderKind {
    /// The kind for POV-Ray's type number, if it is one of 1 to 4.
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Vertical),
            2 => Some(Self::Horizontal),
            3 => Some(Self::VerticalParallel),
            4 => Some(Self::HorizontalParallel),
            _ => None,
        }
    }
}

/// `aperture`, `blur_samples`, `focal_point`, `confidence`, `variance`.
#[derive(Clone, Debug, PartialEq)]
pub struct FocalBlur {
    /// Diameter of the lens (0: no blur).
    pub aperture: f64,
    /// Most rays per pixel.
    pub samples: u32,
    /// Fewest rays per pixel before the confidence test may stop (0: no minimum).
    pub min_samples: u32,
    /// Distance from `location` to the plane in focus.
    pub focal_distance: f64,
    /// Confidence of the variance test (default 0.9).
    pub confidence: f64,
    /// Variance bound of the test (default 1/10000).
    pub variance: f64,
}

/// The final camera: a perspective ray through image coordinates (u, v) in
/// [-0.5, 0.5] has origin `location` and direction `direction + u * right + v * up`
/// (v upward); the other projections use the same vectors their own way.
#[derive(Clone, Debug, PartialEq)]
pub struct Camera {
    /// Projection type.
    pub projection: Projection,
    /// Eye point.
    pub location: DVec3,
    /// Centre of the image plane relative to `location`; its length is the focal length.
    pub direction: DVec3,
    /// Vertical extent of the image plane.
    pub up: DVec3,
    /// Horizontal extent of the image plane (its sign encodes handedness).
    pub right: DVec3,
    /// Sky vector used by `look_at` (informational once folded in).
    pub sky: DVec3,
    /// Viewing angle in degrees (POV-Ray's default 90). Folded into `direction` for
    /// perspective and orthographic cameras; the other projections read it.
    pub angle: f64,
    /// The spherical camera's horizontal and vertical angles (default 360, 180).
    pub spherical_angles: (f64, f64),
    /// Focal blur, if the aperture and sample count ask for it.
    pub focal_blur: Option<FocalBlur>,
    /// `normal { }` perturbing the primary rays' directions.
    pub normal: Option<Normal>,
    /// The `mesh_camera`'s meshes and settings (projection [`Projection::Mesh`]).
    pub mesh: Option<Arc<MeshCamera>>,
}

/// `mesh_camera { rays distribution [max_distance] mesh { } ... [smooth] }`: each
/// pixel's rays start on mesh faces and leave along their normals.
#[derive(Clone, Debug, PartialEq)]
pub struct MeshCamera {
    /// Rays per pixel (at least 1), averaged.
    pub rays_per_pixel: u32,
    /// How pixels map to faces.
    pub distribution: MeshDistribution,
    /// Longest ray (0: no limit).
    pub max_distance: f64,
    /// The meshes in the order written, each with its transform.
    pub meshes: Vec<CameraMesh>,
    /// `smooth`: interpolated normals (distribution 3 only).
    pub smooth: bool,
}

/// `mesh_camera`'s distribution types 0 to 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeshDistribution {
    /// 0: pixel (x, y) is face `y * width + x`; the n-th ray of a pixel uses the
    /// n-th mesh.
    PerMesh,
    /// 1: the meshes' faces are numbered on across meshes.
    Summed,
    /// 2: the meshes are cameras side by side across the image.
    SideBySide,
    /// 3: the pixel's (u, v) is found in the first mesh's uv map.
    UvMap,
}

impl MeshDistribution {
    /// The type for POV-Ray's number.
    pub fn from_number(n: u32) -> Option<Self> {
        match n {
            0 => Some(Self::PerMesh),
            1 => Some(Self::Summed),
            2 => Some(Self::SideBySide),
            3 => Some(Self::UvMap),
            _ => None,
        }
    }
}

/// One mesh of a mesh camera: its triangles and its placement.
#[derive(Clone, Debug, PartialEq)]
pub struct CameraMesh {
    /// The triangles (shared with any object made from the same mesh).
    pub data: Arc<super::shapes::Mesh>,
    /// Mesh space to world space.
    pub transform: super::transform::Transform,
}

impl Default for Camera {
    /// POV-Ray 3.7's default camera.
    fn default() -> Self {
        Self {
            projection: Projection::Perspective,
            location: DVec3::ZERO,
            direction: DVec3::Z,
            up: DVec3::Y,
            right: DVec3::new(1.33, 0.0, 0.0),
            sky: DVec3::Y,
            angle: 90.0,
            spherical_angles: (360.0, 180.0),
            focal_blur: None,
            normal: None,
            mesh: None,
        }
    }
}
