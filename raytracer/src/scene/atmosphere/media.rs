//! Participating media: POV-Ray 3.7's integration of absorption, emission and
//! scattering along a ray segment, with its sampling methods.
//!
//! The integrator is independent of the tracer: light reaching a sample point
//! comes from a [`LightProbe`] the tracer supplies (light colour after its
//! shadow tests), so this module never traces rays itself. Sample positions are
//! a function of the ray alone: POV-Ray's random sample positions of method 1
//! become the stratified centres, and `jitter` (methods 2 and 3) moves a sample
//! by a hash of where it would be, so renders are reproducible.
//!
//! Media photons (photons the photon pass left inside media, see
//! `render::photons::media`) add to every sample's scattered light, lit
//! interval or not: the probe gathers them around the sample and weighs each
//! by the phase function of the direction it came from.

use glam::DVec3;

use super::lit;
use crate::desc::{self, Scattering};
use crate::pattern::NoiseGenerator;
use crate::scene::light::jitter_hash;
use crate::scene::material::Pigment;
use crate::scene::Ray;
use crate::stats::MediaCounts;
use std::sync::Arc;

/// Keeps media jitter's hash apart from the other users of [`jitter_hash`].
const MEDIA_JITTER_KEY: u64 = 0x6d65_6469_615f_6a69;

/// One medium, ready to sample.
#[derive(Clone, Debug)]
pub struct Medium {
    emission: DVec3,
    scattering: DVec3,
    /// Absorption plus scattering times its `extinction`.
    extinction: DVec3,
    kind: Scattering,
    /// Shared, so that the media of overlapping interiors can be gathered into
    /// one list per ray cheaply.
    density: Arc<[Pigment]>,
    intervals: usize,
    min_samples: u32,
    method: u8,
    aa_level: u32,
    aa_threshold: f64,
    ratio: f64,
    /// `jitter`: how far samples move from their places, in sample spacings.
    jitter: f64,
    /// `collect`: photons are deposited here and light it past photon targets.
    collect: bool,
}

impl Medium {
    pub fn from_desc(m: &desc::Media, gen: NoiseGenerator) -> Medium {
        let scattering = m.scattering.rgb_vec();
        Medium {
            emission: m.emission.rgb_vec(),
            scattering,
            extinction: m.absorption.rgb_vec() + scattering * m.extinction,
            kind: m.scattering_type,
            density: m
                .density
                .iter()
                .map(|d| Pigment::from_desc(d, gen))
                .collect::<Vec<_>>()
                .into(),
            intervals: m.intervals.max(1) as usize,
            min_samples: m.min_samples.max(1),
            method: m.method,
            aa_level: m.aa_level.max(1),
            aa_threshold: m.aa_threshold,
            ratio: m.ratio,
            jitter: m.jitter,
            collect: m.collect,
        }
    }

    /// The product of the densities at `p`. Once the product is zero the
    /// remaining densities (each a pattern evaluation, often turbulence) can
    /// only keep it zero, so they are not evaluated: colour-map colours are
    /// finite, and a product's sign of zero is lost in the sums it feeds.
    fn density_at(&self, p: DVec3) -> DVec3 {
        let mut d = DVec3::ONE;
        for pig in self.density.iter() {
            d *= pig.colour_at(p).rgb_vec();
            if d == DVec3::ZERO {
                break;
            }
        }
        d
    }

    /// The phase function's weight for light arriving along `to_light` and
    /// leaving along the ray's `dir`.
    fn phase(&self, to_light: DVec3, dir: DVec3) -> f64 {
        let alpha = to_light.dot(dir);
        match self.kind {
            Scattering::Isotropic => 1.0,
            Scattering::Rayleigh => 0.799372013 * (1.0 + alpha * alpha),
            Scattering::MieHazy => 0.576655375 * (1.0 + 9.0 * (0.5 * (1.0 + alpha)).powi(8)),
            Scattering::MieMurky => 0.495714547 * (1.0 + 50.0 * (0.5 * (1.0 + alpha)).powi(32)),
            Scattering::HenyeyGreenstein(g) => {
                (1.0 - g * g) / (1.0 + g * g - 2.0 * g * alpha).powf(1.5)
            }
        }
    }
}

/// Light arriving at a point in the media: for light `i` of the scene (those with
/// `media_interaction`), its colour after shadows and the unit direction from the
/// point towards it; None when it does not reach the point.
pub trait LightProbe {
    fn interacting_lights(&self) -> usize;
    /// The stretch of `[0, depth]` along `ray` light `i` can reach (a
    /// spotlight's cone; all of it for other lights), if any.
    fn lit_part(&self, i: usize, ray: &Ray, depth: f64) -> Option<(f64, f64)>;
    fn light_at(&mut self, i: usize, p: DVec3) -> Option<(DVec3, DVec3)>;
    /// The light media photons bring to `p` per unit volume, each weighted by
    /// `phase` of the unit direction it arrived from (none by default).
    fn photon_light(&mut self, _p: DVec3, _phase: &dyn Fn(DVec3) -> f64) -> DVec3 {
        DVec3::ZERO
    }
}

/// Whether photons crossing `media` leave photons in them (POV-Ray's test:
/// some medium scatters, and not all of them are `collect off`).
pub fn collects_photons(media: &[Medium]) -> bool {
    media.iter().any(|m| m.scattering != DVec3::ZERO) && any_collects(media)
}

/// Whether some medium of `media` collects photons (`collect`, on by default):
/// the lights reaching it are then shadowed by photon targets as surfaces are.
pub fn any_collects(media: &[Medium]) -> bool {
    media.iter().any(|m| m.collect)
}

/// The medium whose intervals set the sampling: the one with the most.
fn lead(media: &[Medium]) -> Option<&Medium> {
    media
        .iter()
        .reduce(|a, b| if b.intervals > a.intervals { b } else { a })
}

/// The sampling intervals, as `(lit, s0, ds)`, of `[0, depth]` through `media`
/// when lights reach the stretches `lit` of it (POV-Ray's media intervals).
pub fn sample_intervals(media: &[Medium], lit: &[(f64, f64)], depth: f64) -> Vec<(bool, f64, f64)> {
    let Some(lead) = lead(media) else {
        return Vec::new();
    };
    let constant = media.iter().all(|m| m.density.is_empty());
    let stretches = lit::stretches(lit, depth);
    lit::intervals(&stretches, lead.intervals, lead.ratio, constant)
}

/// A stretch of the ray sampled together, and what its samples gathered.
#[derive(Clone, Copy, Debug)]
struct Interval {
    lit: bool,
    s0: f64,
    ds: f64,
    samples: u32,
    /// Emitted and scattered light.
    te: DVec3,
    /// Optical depth.
    od: DVec3,
}

impl Interval {
    fn new(lit: bool, s0: f64, ds: f64) -> Self {
        Interval {
            lit,
            s0,
            ds,
            samples: 0,
            te: DVec3::ZERO,
            od: DVec3::ZERO,
        }
    }
}

/// The media along one ray segment.
struct Segment<'m, 'p, P: LightProbe> {
    media: &'m [Medium],
    ray: &'m Ray,
    probe: &'p mut P,
    /// The lights whose light reaches the ray, each with the stretch it lights.
    lights: &'m [(usize, f64, f64)],
    scattering: bool,
    /// Neighbouring samples further apart than this are refined (method 3).
    aa_threshold: f64,
    /// A shadow ray: only extinction counts.
    light_ray: bool,
    /// Samples taken so far.
    samples: u64,
    /// The leading medium's `jitter`.
    jitter: f64,
}

/// `colour` at `depth` along `ray` as it reaches the ray's origin through `media`.
pub fn through_media<P: LightProbe>(
    media: &[Medium],
    ray: &Ray,
    depth: f64,
    colour: DVec3,
    probe: &mut P,
    counts: &mut MediaCounts,
) -> DVec3 {
    integrate(media, ray, depth, colour, probe, false, counts)
}

/// What `media` let through over `depth` along a shadow ray: light rays see
/// only the media's extinction.
pub fn transmittance(media: &[Medium], ray: &Ray, depth: f64, counts: &mut MediaCounts) -> DVec3 {
    if media.iter().all(|m| m.extinction == DVec3::ZERO) {
        return DVec3::ONE;
    }
    if media.iter().all(|m| m.density.is_empty()) {
        let extinction: DVec3 = media.iter().map(|m| m.extinction).sum();
        return exp(-extinction * depth);
    }
    integrate(media, ray, depth, DVec3::ONE, &mut NoLights, true, counts)
}

/// The probe of a shadow ray: media do not scatter into it.
struct NoLights;

impl LightProbe for NoLights {
    fn interacting_lights(&self) -> usize {
        0
    }

    fn lit_part(&self, _: usize, _: &Ray, _: f64) -> Option<(f64, f64)> {
        None
    }

    fn light_at(&mut self, _: usize, _: DVec3) -> Option<(DVec3, DVec3)> {
        None
    }
}

fn integrate<P: LightProbe>(
    media: &[Medium],
    ray: &Ray,
    depth: f64,
    colour: DVec3,
    probe: &mut P,
    light_ray: bool,
    counts: &mut MediaCounts,
) -> DVec3 {
    // The medium with the most intervals sets the sampling; the smallest
    // aa_threshold applies.
    let Some(lead) = lead(media) else {
        return colour;
    };
    let aa_threshold = media
        .iter()
        .map(|m| m.aa_threshold)
        .fold(f64::INFINITY, f64::min);
    let scattering = media.iter().any(|m| m.scattering != DVec3::ZERO);
    // Shadow rays gather no light: their whole length is unlit.
    let lights: Vec<(usize, f64, f64)> = if light_ray {
        Vec::new()
    } else {
        (0..probe.interacting_lights())
            .filter_map(|i| probe.lit_part(i, ray, depth).map(|(a, b)| (i, a, b)))
            .collect()
    };
    let parts: Vec<(f64, f64)> = lights.iter().map(|l| (l.1, l.2)).collect();
    let mut intervals: Vec<Interval> = sample_intervals(media, &parts, depth)
        .into_iter()
        .map(|(lit, s0, ds)| Interval::new(lit, s0, ds))
        .collect();
    let mut seg = Segment {
        media,
        ray,
        probe,
        lights: &lights,
        scattering,
        aa_threshold,
        light_ray,
        samples: 0,
        jitter: lead.jitter,
    };
    for iv in &mut intervals {
        if lead.method == 3 {
            seg.adaptive(iv, lead);
        } else {
            seg.regular(iv, lead);
        }
    }
    counts.add(MediaCounts {
        intervals: intervals.len() as u64,
        samples: seg.samples,
    });
    let (mut te, mut od) = (DVec3::ZERO, DVec3::ZERO);
    for iv in &intervals {
        let n = 1.0 / f64::from(iv.samples.max(1));
        te += iv.te * n * exp(-od);
        od += iv.od * n;
    }
    colour * exp(-od) + te
}

impl<P: LightProbe> Segment<'_, '_, P> {
    /// One sample at fraction `d0` of the interval: its light (emission and
    /// scattering, times the interval's length) and its optical depth.
    fn sample(&mut self, iv: &Interval, d0: f64) -> (DVec3, DVec3) {
        self.samples += 1;
        let d1 = iv.s0 + d0 * iv.ds;
        let p = self.ray.at(d1);
        let (mut extinction, mut emission, mut scattering) =
            (DVec3::ZERO, DVec3::ZERO, DVec3::ZERO);
        for m in self.media {
            let density = m.density_at(p);
            extinction += density * m.extinction;
            if !self.light_ray {
                emission += density * m.emission;
                scattering += density * m.scattering;
            }
        }
        let (media, dir) = (self.media, self.ray.dir);
        let phase = |to_light: DVec3| {
            media.iter().map(|m| m.phase(to_light, dir)).sum::<f64>() / media.len() as f64
        };
        if self.scattering && iv.lit && !self.light_ray {
            for &(i, s0, s1) in self.lights {
                if d1 < s0 || d1 > s1 {
                    continue;
                }
                if let Some((light, to_light)) = self.probe.light_at(i, p) {
                    emission += phase(to_light) * scattering * light;
                }
            }
        }
        // Media photons light every sample, lit interval or not.
        if self.scattering && !self.light_ray && scattering != DVec3::ZERO {
            emission += scattering * self.probe.photon_light(p, &phase);
        }
        (emission * iv.ds, extinction * iv.ds)
    }

    /// A number in `[-0.5, 0.5)` fixed by where along the ray fraction `d0` of
    /// the interval lies: POV-Ray's random jitter, reproducibly.
    fn wobble(&self, iv: &Interval, d0: f64) -> f64 {
        jitter_hash(self.ray.at(iv.s0 + d0 * iv.ds), MEDIA_JITTER_KEY)
    }

    /// `d0` moved by up to half of `spread` times the jitter either way.
    fn jittered(&self, iv: &Interval, d0: f64, spread: f64) -> f64 {
        if self.jitter == 0.0 {
            d0
        } else {
            d0 + spread * self.jitter * self.wobble(iv, d0)
        }
    }

    /// Methods 1 and 2: `min_samples` samples at the centres of equal strata
    /// (method 2 moves each forward by up to `jitter` of a stratum, as POV-Ray
    /// does), each attenuated as if the extinction were constant over the interval.
    fn regular(&mut self, iv: &mut Interval, lead: &Medium) {
        let n = lead.min_samples;
        for j in 0..n {
            let mut d0 = (f64::from(j) + 0.5) / f64::from(n);
            if lead.method == 2 && self.jitter != 0.0 {
                d0 += (self.wobble(iv, d0) + 0.5) * self.jitter / f64::from(n);
            }
            let (c, od) = self.sample(iv, d0);
            iv.te += c * exp(-od * d0);
            iv.od += od;
            iv.samples += 1;
        }
    }

    /// Method 3: samples in order along the interval, refined recursively where
    /// neighbouring samples differ by more than `aa_threshold`.
    fn adaptive(&mut self, iv: &mut Interval, lead: &Medium) {
        let count = (lead.min_samples / 2 + 1).max(2);
        let dd = 1.0 / f64::from(count + 1);
        let mut d0 = 0.0;
        let (mut c0, mut od0) = self.sample(iv, self.jittered(iv, d0, dd));
        iv.te = DVec3::ZERO;
        iv.od = DVec3::ZERO;
        let n = 1.0 / f64::from(count);
        for _ in 0..count {
            d0 += dd;
            let (c1, od1) = self.sample(iv, self.jittered(iv, d0, dd));
            let (result, od_result) =
                self.recursive(iv, d0 - dd, d0, (c0, od0), (c1, od1), lead.aa_level - 1);
            iv.te += result * exp(-iv.od * n);
            iv.od += od_result;
            (c0, od0) = (c1, od1);
        }
        iv.samples = count;
    }

    /// POV-Ray's recursive refinement between fractions `d1` and `d3` with their
    /// samples; the averaging weights are POV-Ray's (1:1:1 at the deepest level).
    fn recursive(
        &mut self,
        iv: &Interval,
        d1: f64,
        d3: f64,
        s1: (DVec3, DVec3),
        s3: (DVec3, DVec3),
        depth: u32,
    ) -> (DVec3, DVec3) {
        let d2 = 0.5 * (d1 + d3);
        let s2 = self.sample(iv, self.jittered(iv, d2, d3 - d1));
        if depth == 0 {
            return ((s1.0 + s2.0 + s3.0) / 3.0, (s1.1 + s2.1 + s3.1) / 3.0);
        }
        let left = if distance(s1.0, s2.0) > self.aa_threshold {
            let (c, od) = self.recursive(iv, d1, d2, s1, s2, depth - 1);
            (c / 2.0, od / 2.0)
        } else {
            (s1.0 / 3.0 + s2.0 / 6.0, s1.1 / 3.0 + s2.1 / 6.0)
        };
        let right = if distance(s2.0, s3.0) > self.aa_threshold {
            let (c, od) = self.recursive(iv, d2, d3, s2, s3, depth - 1);
            (c / 2.0, od / 2.0)
        } else {
            (s2.0 / 6.0 + s3.0 / 3.0, s2.1 / 6.0 + s3.1 / 3.0)
        };
        (left.0 + right.0, left.1 + right.1)
    }
}

fn distance(a: DVec3, b: DVec3) -> f64 {
    (a - b).abs().element_sum()
}

fn exp(v: DVec3) -> DVec3 {
    DVec3::new(v.x.exp(), v.y.exp(), v.z.exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn medium(f: impl FnOnce(&mut desc::Media)) -> Medium {
        let mut m = desc::Media::new(false);
        f(&mut m);
        Medium::from_desc(&m, NoiseGenerator::default())
    }

    #[test]
    fn constant_absorption_is_beer_lambert() {
        let m = medium(|m| m.absorption = desc::Colour::rgb(0.5, 1.0, 2.0));
        let ray = Ray::new(DVec3::ZERO, DVec3::Z);
        let c = through_media(
            &[m],
            &ray,
            2.0,
            DVec3::ONE,
            &mut NoLights,
            &mut MediaCounts::default(),
        );
        let want = DVec3::new((-1.0f64).exp(), (-2.0f64).exp(), (-4.0f64).exp());
        assert!((c - want).length() < 1e-12, "{c}");
    }

    #[test]
    fn emission_adds_light_proportional_to_length() {
        let m = medium(|m| m.emission = desc::Colour::rgb(0.1, 0.2, 0.3));
        let ray = Ray::new(DVec3::ZERO, DVec3::Z);
        let c = through_media(
            &[m],
            &ray,
            2.0,
            DVec3::ZERO,
            &mut NoLights,
            &mut MediaCounts::default(),
        );
        assert!((c - DVec3::new(0.2, 0.4, 0.6)).length() < 1e-12, "{c}");
    }

    #[test]
    fn henyey_greenstein_without_eccentricity_is_isotropic() {
        let m = medium(|m| m.scattering_type = Scattering::HenyeyGreenstein(0.0));
        assert!((m.phase(DVec3::X, DVec3::Z) - 1.0).abs() < 1e-12);
    }
}
