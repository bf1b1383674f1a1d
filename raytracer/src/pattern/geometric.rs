//! Patterns defined by plain geometry (no noise): gradient, onion, radial,
//! leopard and the density-style spherical, cylindrical, boxed and planar.

use glam::DVec3;

/// Projection on the (normalised) axis; values above 1 wrap, negative ones are
/// left to the wave shaping, exactly as POV-Ray does.
pub(super) fn gradient(p: DVec3, axis: DVec3) -> f64 {
    let axis = axis.try_normalize().unwrap_or(DVec3::ZERO);
    let v = p.dot(axis);
    if v > 1.0 {
        v % 1.0
    } else {
        v
    }
}

/// Sum of sines, squared: round spots on a regular lattice.
pub(super) fn leopard(p: DVec3) -> f64 {
    let s = (p.x.sin() + p.y.sin() + p.z.sin()) / 3.0;
    s * s
}

/// Distance from the origin, repeating every unit.
pub(super) fn onion(p: DVec3) -> f64 {
    (p.x * p.x + p.y * p.y + p.z * p.z).sqrt() % 1.0
}

/// Angle around the y axis as a fraction of a turn (0.25 on the axis itself,
/// where the angle is undefined).
pub(super) fn radial(p: DVec3) -> f64 {
    if p.x.abs() < 0.001 && p.z.abs() < 0.001 {
        0.25
    } else {
        0.25 + (p.x.atan2(p.z) + std::f64::consts::PI) / std::f64::consts::TAU
    }
}

/// Maps a distance to POV-Ray's density ramp: 1 at 0 falling to 0 at 1, and
/// (as POV-Ray) 1 for negative and 0 beyond 1.
fn density(d: f64) -> f64 {
    if d < 0.0 {
        1.0
    } else if d > 1.0 {
        0.0
    } else {
        1.0 - d
    }
}

pub(super) fn spherical(p: DVec3) -> f64 {
    density(p.length())
}

pub(super) fn cylindrical(p: DVec3) -> f64 {
    density((p.x * p.x + p.z * p.z).sqrt())
}

pub(super) fn boxed(p: DVec3) -> f64 {
    density(p.x.abs().max(p.y.abs().max(p.z.abs())))
}

pub(super) fn planar(p: DVec3) -> f64 {
    density(p.y.abs())
}

/// `1/√(3/4)`, rounded as POV-Ray rounds it.
const INV_SQRT_3_4: f64 = 1.154700538;

/// POV-Ray's `FLOOR`, which for negative integers returns one less than `floor`.
pub(super) fn floor_pov(x: f64) -> f64 {
    if x >= 0.0 {
        x.floor()
    } else {
        0.0 - (0.0 - x).floor() - 1.0
    }
}

/// The cushion offset inside a unit cube: the vector from the cube's centre,
/// scaled by the cubic Bézier of its length (ends 0 and 1, inner controls
/// `c0` and `c1`).
pub(super) fn quilt_offset(p: DVec3, c0: f64, c1: f64) -> DVec3 {
    let v = DVec3::new(
        p.x - floor_pov(p.x) - 0.5,
        p.y - floor_pov(p.y) - 0.5,
        p.z - floor_pov(p.z) - 0.5,
    );
    let t = (v.x * v.x + v.y * v.y + v.z * v.z).sqrt();
    let it = 1.0 - t;
    let cubic = (t * t * t + 3.0 * t * (it * it) * c0 + 3.0 * (t * t) * it * c1) * INV_SQRT_3_4;
    v * cubic
}

/// Quilted: the mean absolute component of the cushion offset.
pub(super) fn quilted(p: DVec3, c0: f64, c1: f64) -> f64 {
    let v = quilt_offset(p, c0, c1);
    (v.x.abs() + v.y.abs() + v.z.abs()) / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_wraps_above_one_only() {
        assert_eq!(gradient(DVec3::new(0.25, 7.0, 0.0), DVec3::X), 0.25);
        assert_eq!(gradient(DVec3::new(1.75, 0.0, 0.0), DVec3::X), 0.75);
        assert_eq!(gradient(DVec3::new(-0.25, 0.0, 0.0), DVec3::X), -0.25);
        // The axis is normalised.
        assert_eq!(
            gradient(DVec3::new(0.0, 0.5, 0.0), DVec3::new(0.0, 4.0, 0.0)),
            0.5
        );
    }

    #[test]
    fn radial_quarter_turns() {
        assert!((radial(DVec3::new(0.0, 0.0, 1.0)) - 0.75).abs() < 1e-12);
        assert!((radial(DVec3::new(1.0, 0.0, 0.0)) - 1.0).abs() < 1e-12);
        assert_eq!(radial(DVec3::new(0.0, 5.0, 0.0)), 0.25);
    }

    #[test]
    fn density_patterns() {
        assert_eq!(spherical(DVec3::new(0.5, 0.0, 0.0)), 0.5);
        assert_eq!(spherical(DVec3::new(2.0, 0.0, 0.0)), 0.0);
        assert_eq!(boxed(DVec3::new(0.25, -0.5, 0.1)), 0.5);
        assert_eq!(planar(DVec3::new(9.0, -0.25, 9.0)), 0.75);
        assert_eq!(cylindrical(DVec3::new(0.0, 9.0, 0.0)), 1.0);
        assert!((onion(DVec3::new(0.0, 2.5, 0.0)) - 0.5).abs() < 1e-12);
        assert_eq!(leopard(DVec3::ZERO), 0.0);
    }
}
