//! Where lights reach along a ray through media: spotlight cones cut into the
//! ray, merged into lit and unlit stretches, then split into the sampling
//! intervals, as POV-Ray 3.7 distributes media samples.

use glam::DVec3;

use crate::scene::Ray;

/// POV-Ray's `MAX_DISTANCE`: how far an open-ended lit stretch reaches.
const MAX_DISTANCE: f64 = 1e7;
/// POV-Ray's EPSILON.
const EPSILON: f64 = 1e-10;
/// A lit stretch must reach beyond this to count (POV-Ray's SMALL_TOLERANCE).
const SMALL_TOLERANCE: f64 = 1e-3;

/// A stretch `[s0, s1]` of the ray, lit by some light or by none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stretch {
    pub lit: bool,
    pub s0: f64,
    pub s1: f64,
}

/// The part of `[0, depth]` a spotlight at `centre` aiming along unit `axis`
/// with cone cosine `cos_falloff` lights, if any.
pub fn spot(
    ray: &Ray,
    centre: DVec3,
    axis: DVec3,
    cos_falloff: f64,
    depth: f64,
) -> Option<(f64, f64)> {
    let (t1, t2) = spot_cone(ray, centre, axis, cos_falloff)?;
    (t1 < depth && t2 > SMALL_TOLERANCE).then(|| (t1.max(0.0), t2.min(depth)))
}

/// POV-Ray's intersection of a ray with a spotlight's cone.
fn spot_cone(ray: &Ray, centre: DVec3, axis: DVec3, cos_falloff: f64) -> Option<(f64, f64)> {
    let m = 1.0 / (cos_falloff * cos_falloff);
    let v1 = ray.origin - centre;
    let k1 = ray.dir.dot(axis);
    let k2 = v1.dot(axis);
    let l = v1.length();
    let in_cone = l > EPSILON && k2 / l >= cos_falloff;
    if k1 <= 0.0 && k2 < 0.0 {
        return None;
    }
    let k3 = v1.dot(ray.dir);
    let k4 = v1.dot(v1);
    let a = 1.0 - k1 * k1 * m;
    let b = k3 - k1 * k2 * m;
    let c = k4 - k2 * k2 * m;
    if a == 0.0 {
        return in_cone.then(|| (0.0, -c / b));
    }
    let d = b * b - a * c;
    if d > EPSILON {
        let d = d.sqrt();
        let (mut t1, mut t2) = ((-b + d) / a, (-b - d) / a);
        if t1 > t2 {
            std::mem::swap(&mut t1, &mut t2);
        }
        let (l1, l2) = (k2 + t1 * k1, k2 + t2 * k1);
        if l1 <= 0.0 && l2 <= 0.0 {
            return None;
        }
        if l1 <= 0.0 {
            return Some(if in_cone {
                (0.0, if t2 > 0.0 { t2 } else { MAX_DISTANCE })
            } else {
                (t2, MAX_DISTANCE)
            });
        }
        if l2 <= 0.0 {
            return Some(if in_cone {
                (0.0, t1)
            } else {
                (t1, MAX_DISTANCE)
            });
        }
        return Some((t1, t2));
    }
    if d > -EPSILON {
        return Some(if in_cone {
            (0.0, -b / a)
        } else {
            (-b / a, MAX_DISTANCE)
        });
    }
    None
}

/// The lit and unlit stretches of `[0, depth]` given each light's lit part
/// (POV-Ray sorts the starts and the ends separately).
pub fn stretches(lights: &[(f64, f64)], depth: f64) -> Vec<Stretch> {
    if lights.is_empty() {
        return vec![Stretch {
            lit: false,
            s0: 0.0,
            s1: depth,
        }];
    }
    let mut s0: Vec<f64> = lights.iter().map(|l| l.0).collect();
    let mut s1: Vec<f64> = lights.iter().map(|l| l.1).collect();
    s0.sort_by(f64::total_cmp);
    s1.sort_by(f64::total_cmp);
    let mut out = Vec::with_capacity(2 * lights.len() + 1);
    if s0[0] > 0.0 {
        out.push(Stretch {
            lit: false,
            s0: 0.0,
            s1: s0[0],
        });
    }
    out.push(Stretch {
        lit: true,
        s0: s0[0],
        s1: s1[0],
    });
    let mut end = s1[0];
    for (&a, &b) in s0.iter().zip(&s1).skip(1) {
        if a > end {
            out.push(Stretch {
                lit: false,
                s0: end,
                s1: a,
            });
            out.push(Stretch {
                lit: true,
                s0: a,
                s1: b,
            });
            end = b;
        } else if b > end {
            end = b;
            if let Some(last) = out.last_mut() {
                last.s1 = b;
            }
        }
    }
    if end < depth {
        out.push(Stretch {
            lit: false,
            s0: end,
            s1: depth,
        });
    }
    out
}

/// The sampling intervals over the stretches, as `(lit, s0, ds)`: `intervals`
/// (at least one per stretch) shared out by `ratio` between lit and unlit ones;
/// a single unlit stretch of constant media needs only one.
pub fn intervals(
    stretches: &[Stretch],
    intervals: usize,
    ratio: f64,
    constant: bool,
) -> Vec<(bool, f64, f64)> {
    let count = intervals.max(stretches.len());
    if let [only] = stretches {
        let ds = only.s1 - only.s0;
        if !only.lit && constant {
            return vec![(false, only.s0, ds)];
        }
        let delta = ds / count as f64;
        return (0..count)
            .map(|i| (only.lit, only.s0 + delta * i as f64, delta))
            .collect();
    }
    let weight = |s: &Stretch| if s.lit { ratio } else { 1.0 - ratio };
    let sum: f64 = stretches.iter().map(weight).sum();
    let mut remaining = count;
    let mut out = Vec::new();
    for (i, s) in stretches.iter().enumerate() {
        let n = (weight(s) / sum * count as f64) as usize + 1;
        let room = (remaining + i + 1).saturating_sub(stretches.len()).max(1);
        let n = n.min(room);
        let delta = (s.s1 - s.s0) / n as f64;
        out.extend((0..n).map(|j| (s.lit, s.s0 + delta * j as f64, delta)));
        remaining = remaining.saturating_sub(n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ray_across_a_spot_cone_is_lit_between_its_walls() {
        // A spot at 5 above the origin pointing down with a 45 degree cone.
        let ray = Ray::new(DVec3::new(-10.0, 0.0, 0.0), DVec3::X);
        let cos = std::f64::consts::FRAC_PI_4.cos();
        let (t1, t2) = spot(&ray, DVec3::new(0.0, 5.0, 0.0), -DVec3::Y, cos, 100.0).expect("lit");
        assert!(
            (t1 - 5.0).abs() < 1e-9 && (t2 - 15.0).abs() < 1e-9,
            "{t1} {t2}"
        );
    }

    #[test]
    fn a_ray_behind_the_spot_is_dark() {
        let ray = Ray::new(DVec3::new(-10.0, 10.0, 0.0), DVec3::X);
        let cos = 0.9;
        assert_eq!(
            spot(&ray, DVec3::new(0.0, 5.0, 0.0), -DVec3::Y, cos, 100.0),
            None
        );
    }

    #[test]
    fn overlapping_lights_merge_into_one_lit_stretch() {
        let s = stretches(&[(2.0, 5.0), (4.0, 7.0)], 10.0);
        assert_eq!(s.len(), 3);
        assert_eq!((s[1].lit, s[1].s0, s[1].s1), (true, 2.0, 7.0));
        assert_eq!((s[2].lit, s[2].s0, s[2].s1), (false, 7.0, 10.0));
    }

    #[test]
    fn lit_stretches_get_most_intervals() {
        let s = stretches(&[(2.0, 5.0)], 10.0);
        let iv = intervals(&s, 10, 0.9, true);
        let lit = iv.iter().filter(|i| i.0).count();
        assert!(lit > iv.len() / 2, "{iv:?}");
        let total: f64 = iv.iter().map(|i| i.2).sum();
        assert!((total - 10.0).abs() < 1e-9);
    }
}
