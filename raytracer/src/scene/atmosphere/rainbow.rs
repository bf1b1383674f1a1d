//! Rainbows: a colour map spread over a ring around the antisolar direction,
//! blended over what lies behind as POV-Ray 3.7 does.

use glam::DVec3;

use crate::desc::{self, Colour};
use crate::scene::material::{bracket, lerp};
use crate::scene::Ray;

/// POV-Ray's EPSILON: the colour map is read up to just below 1.
const EPSILON: f64 = 1e-10;

#[derive(Debug)]
pub struct Rainbow {
    r: desc::Rainbow,
    map: Vec<(f64, Colour)>,
}

impl Rainbow {
    /// A rainbow without colours, distance or width shows nothing and is dropped.
    pub fn from_desc(r: &desc::Rainbow) -> Option<Rainbow> {
        let map = r.colour_map.as_ref()?;
        if r.distance == 0.0 || r.width == 0.0 {
            return None;
        }
        Some(Rainbow {
            r: r.clone(),
            map: map.iter().map(|e| (e.value, e.item)).collect(),
        })
    }

    /// The rainbow's colour and how much of what is behind shows through, for a
    /// ray in unit direction `dir` ending at `depth`; None off the band.
    fn sample(&self, dir: DVec3, depth: f64) -> Option<(Colour, f64)> {
        let r = &self.r;
        let (x, mut y) = (dir.dot(r.right), dir.dot(r.up));
        let l = x * x + y * y;
        if l > 0.0 {
            y /= l.sqrt();
        }
        let angle = y.acos().abs();
        if angle > r.arc_angle {
            return None;
        }
        let along = dir.dot(r.antisolar);
        if along < 0.0 {
            return None;
        }
        let mut index = (along.acos() - r.angle) / r.width;
        if r.jitter > 0.0 {
            index += (2.0 * unit_hash(dir) - 1.0) * r.jitter;
        }
        if !(0.0..=1.0 - EPSILON).contains(&index) {
            return None;
        }
        let (a, b, f) = bracket(&self.map, index)?;
        let c = if f == 0.0 { *a } else { lerp(*a, *b, f) };
        let fade = if r.falloff_width > 0.0 && angle > r.falloff_angle {
            let f = (angle - r.falloff_angle) / r.falloff_width;
            (3.0 - 2.0 * f) * f * f
        } else {
            0.0
        };
        // The colour's transmit is the least of what lies behind that shows.
        let k = (-depth / r.distance).exp().max(fade * (1.0 - c.t) + c.t);
        Some((c, k))
    }
}

/// `colour` at `depth` along `ray` seen through the rainbows: the average over
/// the rainbows whose band the ray crosses.
pub fn through_rainbows(rainbows: &[Rainbow], ray: &Ray, depth: f64, colour: DVec3) -> DVec3 {
    let mut sum = DVec3::ZERO;
    let mut n = 0u32;
    for rainbow in rainbows {
        let Some((c, k)) = rainbow.sample(ray.dir, depth) else {
            continue;
        };
        let ki = 1.0 - k;
        let f = c.f * ki;
        let rgb = c.rgb_vec();
        sum += k * colour * (DVec3::splat(1.0 - f) + rgb * f) + ki * rgb;
        n += 1;
    }
    if n == 0 {
        colour
    } else {
        sum / f64::from(n)
    }
}

/// A number in [0, 1) that depends only on the direction's bits: jitter that is
/// the same whichever thread or host traces the ray.
fn unit_hash(dir: DVec3) -> f64 {
    let mut h = 0x9e37_79b9_7f4a_7c15u64;
    for v in [dir.x, dir.y, dir.z] {
        h = (h ^ v.to_bits()).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^= h >> 31;
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::MapEntry;

    fn rainbow() -> Rainbow {
        let map = vec![
            MapEntry {
                value: 0.0,
                item: Colour::rgb(1.0, 0.0, 0.0),
            },
            MapEntry {
                value: 1.0,
                item: Colour::rgb(0.0, 0.0, 1.0),
            },
        ];
        Rainbow::from_desc(&desc::Rainbow {
            angle: 40f64.to_radians(),
            width: 4f64.to_radians(),
            distance: 1e7,
            jitter: 0.0,
            arc_angle: 180.0,
            falloff_angle: 180.0,
            falloff_width: 0.0,
            antisolar: DVec3::Z,
            up: DVec3::Y,
            right: DVec3::X,
            colour_map: Some(map),
        })
        .expect("a visible rainbow")
    }

    #[test]
    fn band_centre_takes_the_middle_colour() {
        let r = rainbow();
        let a = 42f64.to_radians();
        let dir = DVec3::new(0.0, a.sin(), a.cos());
        let ray = Ray::new(DVec3::ZERO, dir);
        let c = through_rainbows(&[r], &ray, 2e10, DVec3::ZERO);
        assert!((c - DVec3::new(0.5, 0.0, 0.5)).length() < 1e-9, "{c}");
    }

    #[test]
    fn outside_the_band_nothing_changes() {
        let r = rainbow();
        let ray = Ray::new(DVec3::ZERO, DVec3::Z);
        let c = through_rainbows(&[r], &ray, 2e10, DVec3::ONE);
        assert_eq!(c, DVec3::ONE);
    }

    #[test]
    fn jitter_hash_is_in_the_unit_interval() {
        for d in [DVec3::X, DVec3::new(0.3, -0.2, 0.9), DVec3::splat(-1.0)] {
            let h = unit_hash(d);
            assert!((0.0..1.0).contains(&h));
            assert_eq!(h, unit_hash(d));
        }
    }
}
