//! Affine transforms as POV-Ray composes them: a matrix from local to world space and
//! its inverse, kept together so the renderer never has to invert at render time.

use glam::{DMat4, DVec3};

/// A local-to-world affine transform and its inverse.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    /// Maps local (object, pattern) space to world space.
    pub matrix: DMat4,
    /// Maps world space back to local space.
    pub inverse: DMat4,
}

impl Default for Transform {
    fn default() -> Self {
        Self::IDENTITY
    }
}

impl Transform {
    /// The transform that changes nothing.
    pub const IDENTITY: Transform = Transform {
        matrix: DMat4::IDENTITY,
        inverse: DMat4::IDENTITY,
    };

    /// `translate v`.
    pub fn translate(v: DVec3) -> Self {
        Self {
            matrix: DMat4::from_translation(v),
            inverse: DMat4::from_translation(-v),
        }
    }

    /// `scale v`. A zero component is replaced by 1, as POV-Ray does (with a warning).
    pub fn scale(v: DVec3) -> Self {
        let fix = |c: f64| if c == 0.0 { 1.0 } else { c };
        let v = DVec3::new(fix(v.x), fix(v.y), fix(v.z));
        Self {
            matrix: DMat4::from_scale(v),
            inverse: DMat4::from_scale(v.recip()),
        }
    }

    /// `rotate v`: degrees about x, then y, then z, as POV-Ray orders them.
    pub fn rotate(degrees: DVec3) -> Self {
        let r = degrees * (std::f64::consts::PI / 180.0);
        let m =
            DMat4::from_rotation_z(r.z) * DMat4::from_rotation_y(r.y) * DMat4::from_rotation_x(r.x);
        Self {
            matrix: m,
            inverse: m.transpose(),
        }
    }

    /// `matrix <...12 values...>` in POV-Ray's row-vector order (last row is the
    /// translation). Returns `None` when the matrix is singular.
    pub fn from_pov_matrix(m: &[f64; 12]) -> Option<Self> {
        let matrix = DMat4::from_cols_array(&[
            m[0], m[1], m[2], 0.0, m[3], m[4], m[5], 0.0, m[6], m[7], m[8], 0.0, m[9], m[10],
            m[11], 1.0,
        ]);
        Self::from_matrix(matrix)
    }

    /// A transform from a local-to-world matrix; `None` when it cannot be inverted.
    pub fn from_matrix(matrix: DMat4) -> Option<Self> {
        let det = matrix.determinant();
        if det.abs() < 1e-300 || !det.is_finite() {
            return None;
        }
        Some(Self {
            matrix,
            inverse: matrix.inverse(),
        })
    }

    /// Applies `self` first and `then` afterwards (POV-Ray's modifier order).
    pub fn then(&self, then: &Transform) -> Transform {
        Transform {
            matrix: then.matrix * self.matrix,
            inverse: self.inverse * then.inverse,
        }
    }

    /// The inverse transform.
    pub fn inverted(&self) -> Transform {
        Transform {
            matrix: self.inverse,
            inverse: self.matrix,
        }
    }

    /// Maps a point from local to world space.
    pub fn point(&self, p: DVec3) -> DVec3 {
        self.matrix.transform_point3(p)
    }

    /// Maps a direction (no translation) from local to world space.
    pub fn direction(&self, d: DVec3) -> DVec3 {
        self.matrix.transform_vector3(d)
    }

    /// Maps a surface normal from local to world space (inverse transpose).
    pub fn normal(&self, n: DVec3) -> DVec3 {
        self.inverse.transpose().transform_vector3(n)
    }

    /// True when this is exactly the identity.
    pub fn is_identity(&self) -> bool {
        self.matrix == DMat4::IDENTITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotate_about_z_turns_x_into_y() {
        let t = Transform::rotate(DVec3::new(0.0, 0.0, 90.0));
        assert!((t.point(DVec3::X) - DVec3::Y).length() < 1e-12);
    }

    #[test]
    fn then_orders_like_pov_modifiers() {
        let t = Transform::scale(DVec3::splat(2.0)).then(&Transform::translate(DVec3::X));
        assert!((t.point(DVec3::X) - DVec3::new(3.0, 0.0, 0.0)).length() < 1e-12);
        assert!((t.inverted().point(DVec3::new(3.0, 0.0, 0.0)) - DVec3::X).length() < 1e-12);
    }

    #[test]
    fn pov_matrix_last_row_translates() {
        let m = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 3.0];
        let t = Transform::from_pov_matrix(&m).expect("invertible");
        assert_eq!(t.point(DVec3::ZERO), DVec3::new(1.0, 2.0, 3.0));
        assert!(Transform::from_pov_matrix(&[0.0; 12]).is_none());
    }
}
