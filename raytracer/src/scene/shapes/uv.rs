//! Surface uv coordinates for `uv_mapping`, shape by shape as POV-Ray 3.7's
//! `UVCoord` methods give them: sphere, box, torus, mesh/mesh2 and
//! bicubic_patch have their own (lathe and sor theirs, in their modules; a
//! parametric the u, v of its hit); every other shape takes POV-Ray's default,
//! the world hit point's x and y (which [`Shape::uv`] leaves to the caller,
//! who has the world point).

use std::f64::consts::{PI, TAU};

use glam::{DVec2, DVec3};

use super::Shape;

/// POV-Ray's threshold for a point on a sphere's pole.
const POLE_EPSILON: f64 = 1e-10;

impl Shape {
    /// The uv at object-space point `p` of hit part `part`; `None` for the
    /// shapes POV-Ray gives no uv of their own (their uv is the world x, y).
    pub fn uv(&self, p: DVec3, part: u32) -> Option<DVec2> {
        match self {
            Shape::Sphere { center, .. } => Some(sphere_uv(p - *center)),
            Shape::Box { min, max } => Some(box_uv(p, *min, *max, part)),
            Shape::Torus { major, .. } => Some(torus_uv(p, *major)),
            Shape::Mesh(m) => Some(m.uv(p, part)),
            Shape::BicubicPatch(b) => Some(b.uv(p, part)),
            Shape::Lathe(l) => Some(l.uv(p, part)),
            Shape::Sor(s) => Some(s.uv(p, part)),
            // POV-Ray's parametric gives the u, v its intersection found.
            Shape::Parametric(q) => Some(q.part_uv(part)),
            _ => None,
        }
    }
}

/// The angle about y from +x towards +z, over a turn (0 on the axis).
pub(super) fn turn_about_y(p: DVec3) -> f64 {
    let len = p.x * p.x + p.z * p.z;
    if len <= POLE_EPSILON {
        return 0.0;
    }
    let len = len.sqrt();
    let theta = if p.z == 0.0 {
        if p.x > 0.0 {
            0.0
        } else {
            PI
        }
    } else {
        let t = (p.x / len).acos();
        if p.z < 0.0 {
            TAU - t
        } else {
            t
        }
    };
    theta / TAU
}

/// Longitude and latitude of direction `d` from the centre, each over [0, 1].
fn sphere_uv(d: DVec3) -> DVec2 {
    let len = d.length();
    if len == 0.0 {
        // POV-Ray leaves its result unset here; zero is as good.
        return DVec2::ZERO;
    }
    let d = d / len;
    let v = 0.5 + d.y.clamp(-1.0, 1.0).asin() / PI;
    DVec2::new(turn_about_y(d), v)
}

/// POV-Ray's cube map: the six faces laid out as a cross on the unit square,
/// none mirrored seen from outside. `part` is the face (axis * 2 + max side).
fn box_uv(p: DVec3, min: DVec3, max: DVec3, part: u32) -> DVec2 {
    let q = (p - min) / (max - min);
    let (u, v) = match part {
        0 => (q.z / 4.0, 1.0 / 3.0 + q.y / 3.0),
        1 => (0.75 - q.z / 4.0, 1.0 / 3.0 + q.y / 3.0),
        2 => (0.25 + q.x / 4.0, q.z / 3.0),
        3 => (0.25 + q.x / 4.0, 1.0 - q.z / 3.0),
        4 => (1.0 - q.x / 4.0, 1.0 / 3.0 + q.y / 3.0),
        _ => (0.25 + q.x / 4.0, 1.0 / 3.0 + q.y / 3.0),
    };
    DVec2::new(u, v)
}

/// u around the y axis (decreasing from -x), v around the tube.
fn torus_uv(p: DVec3, major: f64) -> DVec2 {
    let u = 1.0 - (p.z.atan2(p.x) + PI) / TAU;
    let x = (p.x * p.x + p.z * p.z).sqrt() - major;
    let v = (p.y.atan2(x) + PI) / TAU;
    DVec2::new(u, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: DVec2, b: DVec2) -> bool {
        (a - b).length() < 1e-12
    }

    #[test]
    fn sphere_longitude_and_latitude() {
        assert!(near(sphere_uv(DVec3::X), DVec2::new(0.0, 0.5)));
        assert!(near(sphere_uv(DVec3::Z), DVec2::new(0.25, 0.5)));
        assert!(near(sphere_uv(-DVec3::X), DVec2::new(0.5, 0.5)));
        assert!(near(sphere_uv(-DVec3::Z * 2.0), DVec2::new(0.75, 0.5)));
        assert!(near(sphere_uv(DVec3::Y), DVec2::new(0.0, 1.0)));
        assert!(near(sphere_uv(-DVec3::Y), DVec2::new(0.0, 0.0)));
    }

    #[test]
    fn box_faces_form_a_cross() {
        let (min, max) = (DVec3::splat(-1.0), DVec3::splat(1.0));
        // The front (-z) face's centre sits in the cross's middle row.
        let front = box_uv(DVec3::new(0.0, 0.0, -1.0), min, max, 4);
        assert!(near(front, DVec2::new(0.875, 0.5)), "{front}");
        let top = box_uv(DVec3::new(0.0, 1.0, 0.0), min, max, 3);
        assert!(near(top, DVec2::new(0.375, 5.0 / 6.0)), "{top}");
        let right = box_uv(DVec3::new(1.0, -1.0, -1.0), min, max, 1);
        assert!(near(right, DVec2::new(0.75, 1.0 / 3.0)), "{right}");
    }

    #[test]
    fn torus_angles() {
        // On the outer equator at +x: u = 1/2, v = 1/2.
        let uv = torus_uv(DVec3::new(1.25, 0.0, 0.0), 1.0);
        assert!(near(uv, DVec2::new(0.5, 0.5)), "{uv}");
        // The tube's top at +z: a quarter turn either way.
        let uv = torus_uv(DVec3::new(0.0, 0.25, 1.0), 1.0);
        assert!(near(uv, DVec2::new(0.25, 0.75)), "{uv}");
    }

    #[test]
    fn default_shapes_have_no_uv_of_their_own() {
        let plane = Shape::Plane {
            normal: DVec3::Y,
            distance: 0.0,
        };
        assert_eq!(plane.uv(DVec3::ONE, 0), None);
    }
}
