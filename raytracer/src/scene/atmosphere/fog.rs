//! Fog: constant and ground fog, with turbulent thickness, several at once, as
//! POV-Ray 3.7 attenuates a ray's colour by them.

use glam::DVec3;

use crate::desc::{self, Colour, FogKind};
use crate::pattern::{turbulence, NoiseGenerator, Turbulence};
use crate::scene::Ray;

/// Below this a fog's distance counts as zero (POV-Ray's EPSILON).
const EPSILON: f64 = 1e-10;

/// One fog, ready to evaluate.
#[derive(Debug)]
pub struct Fog {
    kind: FogKind,
    distance: f64,
    colour: Colour,
    up: DVec3,
    turbulence: Option<Turbulence>,
    turb_depth: f64,
}

impl Fog {
    /// A fog with a zero distance has no effect and is dropped.
    pub fn from_desc(f: &desc::Fog) -> Option<Fog> {
        (f.distance.abs() > EPSILON).then_some(Fog {
            kind: f.kind,
            distance: f.distance,
            colour: f.colour,
            up: f.up,
            turbulence: f.turbulence,
            turb_depth: f.turb_depth,
        })
    }

    /// The fraction of light this fog lets through over `width` along `ray`, and
    /// that fraction per channel as its filter tints it. The fog's transmit is
    /// the least it lets through.
    fn transmission(&self, ray: &Ray, width: f64, gen: NoiseGenerator) -> (f64, DVec3) {
        let att = self.attenuation(ray, width, gen).max(self.colour.t);
        let f = self.colour.f;
        let filter = att * (DVec3::splat(1.0 - f) + self.colour.rgb_vec() * f);
        (att, filter)
    }

    /// The fraction of light that crosses `width` of this fog along `ray`.
    fn attenuation(&self, ray: &Ray, width: f64, gen: NoiseGenerator) -> f64 {
        match self.kind {
            FogKind::Constant => {
                let mid = ray.at(width / 2.0);
                let width = self.turbulent_width(mid, width, gen);
                (-width / self.distance).exp()
            }
            FogKind::Ground { offset, alt } => {
                let (p1, p2) = (ray.origin, ray.at(width));
                let start = (p1.dot(self.up) - offset) / alt;
                let end = (p2.dot(self.up) - offset) / alt;
                let density = ground_density(start, end);
                let width = self.turbulent_width((p1 + p2) * 0.5, width, gen);
                (-width * density / self.distance).exp()
            }
        }
    }

    /// The width of fog crossed, thinned or thickened by turbulence sampled once,
    /// at `mid`; the farther the less turbulence matters.
    fn turbulent_width(&self, mid: DVec3, width: f64, gen: NoiseGenerator) -> f64 {
        let Some(t) = &self.turbulence else {
            return width;
        };
        let p = mid * t.amount;
        let k = (-width / self.distance).exp();
        width * (1.0 - k * (turbulence(p, t, gen) * self.turb_depth).min(1.0))
    }
}

/// Mean density of ground fog between heights `start` and `end` (in units of its
/// altitude over its offset): 1 below zero, `1 / (1 + h²)` above, whose integral
/// is `atan`.
fn ground_density(start: f64, end: f64) -> f64 {
    if start <= 0.0 {
        if end <= 0.0 {
            1.0
        } else {
            (end.atan() - start) / (end - start)
        }
    } else if end <= 0.0 {
        (start.atan() - end) / (start - end)
    } else {
        let delta = start - end;
        if delta.abs() > EPSILON {
            (start.atan() - end.atan()) / delta
        } else {
            1.0 / (start * start + 1.0)
        }
    }
}

/// `colour` at `depth` along `ray` seen through every fog.
pub fn through_fogs(
    fogs: &[Fog],
    ray: &Ray,
    depth: f64,
    colour: DVec3,
    gen: NoiseGenerator,
) -> DVec3 {
    let mut attenuation = DVec3::ONE;
    let mut added = DVec3::ZERO;
    for fog in fogs {
        let (att, filter) = fog.transmission(ray, depth, gen);
        attenuation *= filter;
        added += fog.colour.rgb_vec() * (1.0 - att);
    }
    added + attenuation * colour
}

/// What the fogs let through over `depth` along `ray`, per channel (the light
/// a shadow ray carries: fog adds no colour of its own to it).
pub fn attenuation(fogs: &[Fog], ray: &Ray, depth: f64, gen: NoiseGenerator) -> DVec3 {
    fogs.iter()
        .map(|fog| fog.transmission(ray, depth, gen).1)
        .product()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fog(kind: FogKind, colour: Colour) -> Fog {
        Fog::from_desc(&desc::Fog {
            kind,
            distance: 10.0,
            colour,
            ..desc::Fog::default()
        })
        .expect("a fog with a distance")
    }

    #[test]
    fn constant_fog_is_exponential_in_distance() {
        let f = fog(FogKind::Constant, Colour::rgb(1.0, 1.0, 1.0));
        let ray = Ray::new(DVec3::ZERO, DVec3::Z);
        let c = through_fogs(&[f], &ray, 10.0, DVec3::ZERO, NoiseGenerator::default());
        let e = 1.0 - (-1.0f64).exp();
        assert!((c - DVec3::splat(e)).length() < 1e-12, "{c}");
    }

    #[test]
    fn ground_fog_is_full_below_its_offset_and_thins_above() {
        assert_eq!(ground_density(-2.0, -1.0), 1.0);
        let d = ground_density(0.0, 1.0);
        assert!((d - std::f64::consts::FRAC_PI_4).abs() < 1e-12);
        assert!((ground_density(1.0, 1.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn transmit_bounds_the_attenuation() {
        let f = fog(FogKind::Constant, Colour::rgbft(0.0, 0.0, 0.0, 0.0, 0.4));
        let ray = Ray::new(DVec3::ZERO, DVec3::Z);
        let c = through_fogs(&[f], &ray, 1e10, DVec3::ONE, NoiseGenerator::default());
        assert!((c - DVec3::splat(0.4)).length() < 1e-12, "{c}");
    }

    #[test]
    fn zero_distance_fog_is_dropped() {
        assert!(Fog::from_desc(&desc::Fog::default()).is_none());
    }
}
