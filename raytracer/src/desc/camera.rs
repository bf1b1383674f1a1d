//! The camera as POV-Ray 3.7 leaves it after parsing: `look_at`, `angle`, `sky` and the
//! camera's transforms are already folded into the four vectors the renderer uses.

use glam::DVec3;

/// Projection of the camera. Only the perspective camera is rendered; the others are
/// recorded so a scene that names them can be rejected with a clear message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Projection {
    /// The default pinhole camera.
    #[default]
    Perspective,
    /// `orthographic`.
    Orthographic,
    /// Any other projection keyword (fisheye, panoramic...), not supported.
    Other,
}

/// The final camera: a primary ray through image coordinates (u, v) in [-0.5, 0.5]
/// has origin `location` and direction `direction + u * right + v * up` (v upward),
/// exactly as POV-Ray builds its perspective rays.
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
    /// Horizontal field of view in degrees if `angle` was given (already folded in).
    pub angle: Option<f64>,
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
            angle: None,
        }
    }
}
