//! Photons in media (POV-Ray 3.7's media photons, `photons { media steps,
//! factor }`).
//!
//! Shooting: once a photon has been reflected or refracted, every stretch it
//! crosses inside scattering media (of hollow objects) leaves photons along it.
//! The stretch is cut into the media's sampling intervals (split where
//! spotlights' cones reach it, as a media ray's are), and each interval gets
//! one photon per `factor` photon spacings of length, at most `steps` of them
//! (the spacing then widens to fit), each jittered along its stratum. A photon
//! carries the light entering the stretch (not dimmed along it, as in
//! POV-Ray) times the volume it stands for: the spacing across the beam at its
//! distance from the light squared, times its length along the beam.
//!
//! Rendering: a media sample gathers the photons nearest it in a sphere (the
//! map's adaptive radius, see [`super::map`]) and adds the light of each,
//! weighted by the media's phase function for the direction it came from, over
//! the sphere's volume. The integrator multiplies by the media's scattering.

use glam::DVec3;

use super::estimate::direction;
use super::map::PhotonMap;
use super::{unit_random, Gathered};
use crate::scene::atmosphere::lit;
use crate::scene::atmosphere::media::{sample_intervals, Medium};
use crate::scene::{Ray, Scene};

/// Salt of the media photons' jitter.
const SALT_MEDIA: u64 = 4;

/// A photon's path where it crosses media, as the shooter knows it.
pub(super) struct Crossing<'r> {
    pub ray: &'r Ray,
    /// Length of the stretch inside the media.
    pub length: f64,
    /// Path length from the light to the stretch's start.
    pub depth: f64,
    /// Distance between neighbouring photons one unit from the light (from a
    /// parallel light: everywhere).
    pub spread: f64,
    pub parallel: bool,
    /// The light the photon brings into the stretch.
    pub colour: DVec3,
    /// A number unique to this stretch in the shooting order, for the jitter.
    pub key: u64,
}

/// One media photon to store: where, the light it stands for (before the
/// light's distance scaling the store applies) and its path length from the
/// light.
pub(super) struct Deposit {
    pub point: DVec3,
    pub colour: DVec3,
    pub depth: f64,
}

/// The media photons `c` leaves in `media`, given the scene's lights (their
/// spotlight cones split the sampling intervals), `max_steps` and `factor`
/// (`photons { media }`) and the shooting `jitter`.
pub(super) fn deposits(
    scene: &Scene,
    media: &[Medium],
    c: &Crossing,
    (max_steps, factor): (u32, f64),
    jitter: f64,
    out: &mut impl FnMut(Deposit),
) {
    if max_steps == 0 || c.length <= 0.0 {
        return;
    }
    let lit = lit_parts(scene, c.ray, c.length);
    // The photon spacing across the beam where the stretch starts.
    let unit = if c.parallel {
        c.spread
    } else {
        c.spread * c.depth
    };
    if unit <= 0.0 || !unit.is_finite() {
        return;
    }
    for (k, (_, s0, ds)) in sample_intervals(media, &lit, c.length)
        .into_iter()
        .enumerate()
    {
        let (n, spacing) = steps(ds, unit, max_steps, factor);
        for j in 0..n {
            let r = unit_random(&[SALT_MEDIA, c.key, k as u64, u64::from(j)]);
            let d0 = (f64::from(j) + 0.5 + (r - 0.5) * jitter) / f64::from(n);
            let d = s0 + d0 * ds;
            let along = if c.parallel {
                spacing * c.spread
            } else {
                spacing * c.spread * (c.depth + d)
            };
            out(Deposit {
                point: c.ray.at(d),
                colour: c.colour * along,
                depth: c.depth + d,
            });
        }
    }
}

/// How many photons an interval of length `ds` gets with photons `unit` apart
/// across the beam, and the spacing factor each then stands for: one per
/// `factor` units, or `max_steps` spread over it when that is more.
fn steps(ds: f64, unit: f64, max_steps: u32, factor: f64) -> (u32, f64) {
    let n = (ds / (unit * factor)).floor();
    if n <= f64::from(max_steps) {
        (n as u32, factor)
    } else {
        (max_steps, ds / (unit * f64::from(max_steps)))
    }
}

/// The stretches of `[0, depth]` along a photon's `ray` the media lights reach
/// (a spotlight's cone, all of it for other lights), as a media ray's.
fn lit_parts(scene: &Scene, ray: &Ray, depth: f64) -> Vec<(f64, f64)> {
    scene
        .lights
        .iter()
        .filter(|l| l.media_interaction && !l.shadowless && l.group.is_none())
        .filter_map(|l| match l.spot_cone() {
            Some((axis, cos_falloff)) => lit::spot(ray, l.position, axis, cos_falloff, depth),
            None => Some((0.0, depth)),
        })
        .collect()
}

impl PhotonMap {
    /// The light of the media photons around `p` per unit volume, each photon
    /// weighted by `phase` of the direction it came from.
    pub fn light_in_media(
        &self,
        p: DVec3,
        phase: &dyn Fn(DVec3) -> f64,
        g: &mut Gathered,
    ) -> DVec3 {
        let r = self.gather_adaptive(p, None, &mut g.found, &mut g.spare);
        if r <= 0.0 {
            return DVec3::ZERO;
        }
        let sum: DVec3 = g
            .found
            .items
            .iter()
            .map(|&(_, i)| {
                let photon = self.photon(i);
                glam::Vec3::from_array(photon.colour).as_dvec3() * phase(direction(photon))
            })
            .sum();
        sum * (3.0 / (4.0 * std::f64::consts::PI * r * r * r))
    }
}

#[cfg(test)]
mod tests {
    use super::super::map::{MapKind, Photon};
    use super::super::PhotonSettings;
    use super::*;

    #[test]
    fn a_uniform_cloud_gives_its_light_per_volume() {
        // Photons of light 0.001 on a grid 0.1 apart: 1 per unit volume, whatever
        // the gather radius (isotropic phase).
        let mut photons = Vec::new();
        for i in 0..40 {
            for j in 0..40 {
                for k in 0..40 {
                    let p = DVec3::new(i as f64, j as f64, k as f64) * 0.1;
                    photons.push(Photon::new(p, p + DVec3::Y, DVec3::splat(0.001)));
                }
            }
        }
        let settings = PhotonSettings {
            spacing: 1.0,
            count: 0,
            gather_min: 20,
            gather_max: 100,
            jitter: 0.0,
            autostop: 0.5,
            expand_tolerance: 0.2,
            expand_min: 35,
            max_trace_level: 5,
            adc_bailout: 1.0 / 255.0,
            radius: None,
            radius_factor: 1.0,
            media_steps: 10,
            media_factor: 1.0,
            media_radius: None,
            media_radius_factor: 1.0,
        };
        let map = PhotonMap::new(photons, settings, MapKind::Media).expect("map");
        let mut g = Gathered::default();
        let light = map.light_in_media(DVec3::splat(2.03), &|_| 1.0, &mut g);
        assert!((light.x - 1.0).abs() < 0.15, "{light}");
    }

    #[test]
    fn steps_follow_the_spacing_until_the_cap() {
        // 10 units long, photons 0.5 apart, factor 2: one photon per unit.
        assert_eq!(steps(10.0, 0.5, 100, 2.0), (10, 2.0));
        // Capped at 4: each stands for 2.5 units, a factor of 5.
        let (n, f) = steps(10.0, 0.5, 4, 2.0);
        assert_eq!(n, 4);
        assert!((f - 5.0).abs() < 1e-12);
        // Shorter than one spacing: none.
        assert_eq!(steps(0.5, 0.5, 100, 2.0).0, 0);
    }
}
