//! Discrete patterns (checker, hexagon, brick): each point gets the index of one
//! of a few colours rather than a colour-map value.

use glam::DVec3;

use super::geometric::floor_pov;
use super::PatternKind;

/// POV-Ray's `EPSILON`: nudges tile boundaries so points exactly on them are
/// classified consistently.
const EPSILON: f64 = 1.0e-10;

/// The colour index of a discrete pattern at `p` (0.0 for non-discrete kinds).
pub(super) fn index(kind: &PatternKind, p: DVec3) -> f64 {
    match *kind {
        PatternKind::Checker => checker(p),
        PatternKind::Hexagon => hexagon(p),
        PatternKind::Brick { size, mortar } => brick(p, size, mortar),
        _ => 0.0,
    }
}

/// Unit-cube checkerboard: 1 where the sum of the cell coordinates is odd.
pub(super) fn checker(p: DVec3) -> f64 {
    let sum = (p.x + EPSILON).floor() + (p.y + EPSILON).floor() + (p.z + EPSILON).floor();
    // Parity through a wrapping integer so far-away cells keep alternating.
    if (sum as i64) & 1 == 1 {
        1.0
    } else {
        0.0
    }
}

/// Width of a grid column: each triangle of the tiling is split in half.
const HEX_X: f64 = 0.5;
/// Height of a grid row: √3/2, the height of an equilateral triangle.
const HEX_Z: f64 = 0.866025404;
/// Six rows of the grid (6·√3/2), the period of the tiling along z.
const HEX_PERIOD_Z: f64 = 5.196152424;

/// Hexagons of unit side in the x-z plane; index 0 for the hexagon centred on
/// the origin, 1 and 2 for its neighbours.
pub(super) fn hexagon(p: DVec3) -> f64 {
    // The tiling is symmetric in x; z is shifted by a whole period so that
    // negative z does not mirror it.
    let x = p.x.abs();
    let z = if p.z < 0.0 {
        HEX_PERIOD_Z - p.z.abs()
    } else {
        p.z
    };
    let mut xs = x / HEX_X;
    let mut zs = z / HEX_Z;
    xs -= (xs / 6.0).floor() * 6.0;
    zs -= (zs / 6.0).floor() * 6.0;
    let xm = (floor_pov(xs) as i64).rem_euclid(6);
    let zm = (floor_pov(zs) as i64).rem_euclid(6);
    let value = match xm {
        0 | 5 => [0, 1, 1, 2, 2, 0][zm as usize],
        2 | 3 => [2, 2, 0, 0, 1, 1][zm as usize],
        _ => {
            // Blocks cut diagonally by a hexagon edge: which side is the point on?
            let mut xl = xs - xm as f64;
            let zl = zs - zm as f64;
            if (xm + zm) % 2 == 1 {
                xl = 1.0 - xl;
            }
            if xl == 0.0 {
                xl = 0.0001;
            }
            if zl / xl < 1.0 {
                [0, 2, 1, 0, 2, 1][zm as usize]
            } else {
                [2, 1, 0, 2, 1, 0][zm as usize]
            }
        }
    };
    f64::from(value)
}

/// Fractional part after truncation toward zero, moved into [0, 1).
fn frac_trunc(v: f64) -> f64 {
    let f = v - v.trunc();
    if f < 0.0 {
        f + 1.0
    } else {
        f
    }
}

/// Running-bond brick wall; 0 in the mortar, 1 in a brick.
///
/// `mortar` is the width as written in the scene; POV-Ray stores it less two
/// `EPSILON`s, which we reproduce here.
pub(super) fn brick(p: DVec3, size: DVec3, mortar: f64) -> f64 {
    // POV-Ray keeps the mortar width in single precision, which rounds its
    // 2e-10 fudge away: a face lying on a joint plane falls on the mortar side.
    let mortar = f64::from((mortar - 2.0 * EPSILON) as f32);
    let fudge = EPSILON + mortar;
    let q = p + DVec3::splat(fudge);
    let m = DVec3::splat(mortar) / size;
    // Horizontal mortar between courses.
    if frac_trunc(q.y / size.y) <= m.y {
        return 0.0;
    }
    // Odd and even courses have their vertical joints offset by half a brick.
    let odd_course = frac_trunc(q.y / size.y * 0.5) <= 0.5;
    let joint_x = if odd_course {
        frac_trunc(q.x / size.x)
    } else {
        frac_trunc(q.x / size.x + 0.5)
    };
    if joint_x <= m.x {
        return 0.0;
    }
    let joint_z = if odd_course {
        frac_trunc(q.z / size.z + 0.5)
    } else {
        frac_trunc(q.z / size.z)
    };
    if joint_z <= m.z {
        return 0.0;
    }
    1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checker_alternates_by_unit_cells() {
        assert_eq!(checker(DVec3::new(0.5, 0.5, 0.5)), 0.0);
        assert_eq!(checker(DVec3::new(1.5, 0.5, 0.5)), 1.0);
        assert_eq!(checker(DVec3::new(1.5, 1.5, 0.5)), 0.0);
        assert_eq!(checker(DVec3::new(-0.5, 0.5, 0.5)), 1.0);
        assert_eq!(checker(DVec3::new(-0.5, -0.5, -0.5)), 1.0);
        // A point a hair below an integer counts as on it.
        assert_eq!(checker(DVec3::new(1.0 - 1e-12, 0.5, 0.5)), 1.0);
    }

    #[test]
    fn hexagon_centre_and_neighbours() {
        assert_eq!(hexagon(DVec3::ZERO), 0.0);
        assert_eq!(hexagon(DVec3::new(0.3, 0.0, 0.2)), 0.0);
        // One hexagon to the +z side (rows of √3/2): the next colour.
        assert_eq!(hexagon(DVec3::new(0.0, 0.0, 3.0f64.sqrt())), 1.0);
        assert_eq!(hexagon(DVec3::new(0.0, 0.0, 2.0 * 3.0f64.sqrt())), 2.0);
        assert_eq!(hexagon(DVec3::new(1.5, 0.0, 3.0f64.sqrt() / 2.0)), 2.0);
        // Symmetric in x.
        assert_eq!(
            hexagon(DVec3::new(-1.5, 0.0, 0.866)),
            hexagon(DVec3::new(1.5, 0.0, 0.866))
        );
    }

    #[test]
    fn brick_face_on_a_joint_plane_is_mortar() {
        // x + mortar lands exactly on the joint: POV-Ray's single-precision
        // mortar puts it in the mortar, not the brick.
        let size = DVec3::new(8.0, 3.0, 4.5);
        assert_eq!(brick(DVec3::new(7.5, 1.5, 1.0), size, 0.5), 0.0);
    }

    #[test]
    fn brick_mortar_and_bricks() {
        let size = DVec3::new(8.0, 3.0, 4.5);
        // Inside a brick of the first course.
        assert_eq!(brick(DVec3::new(4.0, 1.5, 0.5), size, 0.5), 1.0);
        // Horizontal joint: mortar spans y in [2.5, 3) (the wall is shifted by
        // the mortar width so the first joint sits below y = 3).
        assert_eq!(brick(DVec3::new(4.0, 2.8, 0.5), size, 0.5), 0.0);
        // Vertical joint of the first course in x just below 8 ...
        assert_eq!(brick(DVec3::new(7.8, 1.5, 0.5), size, 0.5), 0.0);
        // ... and across the depth, at half a brick depth (z near 2).
        assert_eq!(brick(DVec3::new(4.0, 1.5, 2.0), size, 0.5), 0.0);
        // The second course has its joints shifted by half a brick.
        assert_eq!(brick(DVec3::new(7.8, 4.5, 1.0), size, 0.5), 1.0);
        assert_eq!(brick(DVec3::new(3.8, 4.5, 1.0), size, 0.5), 0.0);
    }
}
