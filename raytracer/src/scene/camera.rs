//! Primary rays as POV-Ray 3.7's perspective and orthographic cameras build them.

use glam::DVec3;

use super::geometry::Ray;
use crate::desc;

/// The camera with its final vectors (see [`desc::Camera`]).
#[derive(Clone, Debug)]
pub struct Camera {
    orthographic: bool,
    location: DVec3,
    direction: DVec3,
    up: DVec3,
    right: DVec3,
}

impl Camera {
    pub fn from_desc(c: &desc::Camera) -> Camera {
        Camera {
            orthographic: c.projection == desc::Projection::Orthographic,
            location: c.location,
            direction: c.direction,
            up: c.up,
            right: c.right,
        }
    }

    /// The ray through image position (`x`, `y`) in pixels from the top-left corner
    /// (pixel centres are at +0.5) of a `width` x `height` image.
    pub fn ray(&self, x: f64, y: f64, width: f64, height: f64) -> Ray {
        let x0 = x / width - 0.5;
        let y0 = 0.5 - y / height;
        if self.orthographic {
            let origin = self.location + self.right * x0 + self.up * y0;
            return Ray::new(origin, self.direction.normalize_or_zero());
        }
        let dir = self.direction + self.right * x0 + self.up * y0;
        Ray::new(self.location, dir.normalize_or_zero())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centre_pixel_looks_along_direction() {
        let c = Camera::from_desc(&desc::Camera::default());
        let r = c.ray(50.0, 50.0, 100.0, 100.0);
        assert!((r.dir - DVec3::Z).length() < 1e-12);
        // Top-left corner looks up and left (right is +x, so left is -x).
        let r = c.ray(0.0, 0.0, 100.0, 100.0);
        assert!(r.dir.x < 0.0 && r.dir.y > 0.0);
    }
}
