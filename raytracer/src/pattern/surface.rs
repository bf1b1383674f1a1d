//! Patterns of the surface rather than of space: `slope` (the normal's angle to a
//! direction, optionally mixed with the altitude along another) and `aoi` (the
//! angle between the normal and the ray).
//!
//! Both read the hit's unperturbed normal, turned towards the viewer, in world
//! space, as POV-Ray's intersection record holds it; without a hit (in a function,
//! a media density, a shadow test) POV-Ray gives them the value 0, and so does this.

use glam::{DVec2, DVec3};

/// POV-Ray's EPSILON, which keeps a slope of exactly 1 off the bottom of the map.
const EPSILON: f64 = 1e-10;

/// What a surface pattern needs of the hit: world-space unit vectors.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Surface {
    /// The hit point in world space.
    pub point: DVec3,
    /// The raw surface normal, facing the ray's origin.
    pub normal: DVec3,
    /// The ray's direction.
    pub dir: DVec3,
    /// The surface uv at the hit, for `uv_mapping` (`None` when the surface's
    /// texture has no uv-mapped part and it was not computed).
    pub uv: Option<DVec2>,
}

/// `slope { <direction>, low, high altitude <direction>, low, high }` with POV-Ray's
/// preprocessing: directions normalised, their lengths turned into weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slope {
    /// Unit slope direction (or the `point_at` target).
    pub direction: DVec3,
    /// `point_at`: slope towards a point instead of along a direction.
    pub point_at: bool,
    /// Share of the slope term (1 without altitude).
    pub slope_weight: f64,
    /// `low` and `high - low` of the slope range (width 0: the whole range).
    pub slope_range: (f64, f64),
    /// Unit altitude direction.
    pub altitude: DVec3,
    /// Share of the altitude term (0: none).
    pub altitude_weight: f64,
    /// `low` and `high - low` of the altitude range.
    pub altitude_range: (f64, f64),
}

impl Slope {
    /// Builds the pattern from the vectors as written; None when both are zero.
    pub fn new(
        slope: DVec3,
        slope_range: (f64, f64),
        altitude: DVec3,
        altitude_range: (f64, f64),
    ) -> Option<Self> {
        let (sl, al) = (slope.length(), altitude.length());
        // POV-Ray sums the lengths in single precision.
        let total = f64::from((sl + al) as f32);
        if total == 0.0 {
            return None;
        }
        let slope_weight = sl / total;
        Some(Slope {
            direction: slope.normalize_or_zero(),
            point_at: false,
            slope_weight,
            slope_range,
            altitude: altitude.normalize_or_zero(),
            altitude_weight: if al == 0.0 { 0.0 } else { 1.0 - slope_weight },
            altitude_range,
        })
    }

    /// `slope { point_at <p>, low, high }`.
    pub fn towards(point: DVec3, slope_range: (f64, f64)) -> Self {
        Slope {
            direction: point,
            point_at: true,
            slope_weight: 1.0,
            slope_range,
            altitude: DVec3::ZERO,
            altitude_weight: 0.0,
            altitude_range: (0.0, 0.0),
        }
    }

    /// The value at pattern-space point `p` of a surface `hit`.
    pub fn value(&self, p: DVec3, hit: Option<&Surface>) -> f64 {
        let Some(hit) = hit else {
            return 0.0;
        };
        let cos = if self.point_at {
            hit.normal
                .dot(self.direction - hit.point.normalize_or_zero())
        } else {
            hit.normal.dot(self.direction)
        };
        let mut v = (cos.clamp(-1.0, 1.0).asin() / std::f64::consts::PI * 2.0 + 1.0) * 0.5;
        v = in_range(v, self.slope_range);
        if self.altitude_weight == 0.0 {
            if v == 1.0 {
                return 1.0 - EPSILON;
            }
            return wrap(v);
        }
        let a = in_range(p.dot(self.altitude), self.altitude_range);
        let v = self.slope_weight * v + self.altitude_weight * a;
        if (1.0..1.0 + EPSILON).contains(&v) {
            return v - EPSILON;
        }
        wrap(v)
    }
}

/// `(v - low) / width`, or `v` when no range was given.
fn in_range(v: f64, (low, width): (f64, f64)) -> f64 {
    if width == 0.0 {
        v
    } else {
        (v - low) / width
    }
}

/// POV-Ray's wrap of a slope value into [0, 1).
fn wrap(v: f64) -> f64 {
    if v < 0.0 {
        1.0 + v % 1.0
    } else {
        v % 1.0
    }
}

/// `aoi`: the angle between the normal and the ray, 0 to 1 for 0 to 180 degrees.
pub fn aoi(hit: Option<&Surface>) -> f64 {
    match hit {
        None => 0.0,
        Some(h) => {
            let c = h.normal.normalize_or_zero().dot(h.dir.normalize_or_zero());
            c.clamp(-1.0, 1.0).acos() / std::f64::consts::PI
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(normal: DVec3) -> Surface {
        Surface {
            point: DVec3::ZERO,
            normal,
            dir: -normal,
            uv: None,
        }
    }

    #[test]
    fn slope_runs_from_facing_away_to_facing_along() {
        let s = Slope::new(DVec3::Y, (0.0, 0.0), DVec3::ZERO, (0.0, 0.0)).unwrap();
        let p = DVec3::ZERO;
        let up = s.value(p, Some(&hit(DVec3::Y)));
        let side = s.value(p, Some(&hit(DVec3::X)));
        let down = s.value(p, Some(&hit(-DVec3::Y)));
        assert!((up - (1.0 - EPSILON)).abs() < 1e-12, "{up}");
        assert!((side - 0.5).abs() < 1e-12, "{side}");
        assert!(down.abs() < 1e-12, "{down}");
        assert_eq!(s.value(p, None), 0.0);
    }

    #[test]
    fn altitude_mixes_by_the_vectors_lengths() {
        // Slope 3 and altitude 1: weights 0.75 and 0.25.
        let s = Slope::new(DVec3::Y * 3.0, (0.0, 0.0), DVec3::Y, (0.0, 0.0)).unwrap();
        let p = DVec3::new(0.0, 0.4, 0.0);
        let v = s.value(p, Some(&hit(DVec3::X)));
        assert!((v - (0.75 * 0.5 + 0.25 * 0.4)).abs() < 1e-6, "{v}");
        assert!(Slope::new(DVec3::ZERO, (0.0, 0.0), DVec3::ZERO, (0.0, 0.0)).is_none());
    }

    #[test]
    fn aoi_is_half_at_grazing_and_one_head_on() {
        let n = DVec3::Z;
        assert!((aoi(Some(&hit(n))) - 1.0).abs() < 1e-12);
        let grazing = Surface {
            point: DVec3::ZERO,
            normal: n,
            dir: DVec3::X,
            uv: None,
        };
        assert!((aoi(Some(&grazing)) - 0.5).abs() < 1e-12);
    }
}
