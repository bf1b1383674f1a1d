//! The tracer's side of the atmosphere: what a ray sees between its origin and
//! where it ends (interior media, rainbows, atmospheric media, fogs, in POV-Ray's
//! order), the light media receive, and media in the way of shadow rays.
//!
//! Media that collect photons see photon targets as surfaces do (a target
//! refracting a light's photons shadows it fully, its photons bringing the
//! light instead), and gather the media photon map at every sample.

use std::borrow::Cow;

use glam::DVec3;

use super::tracer::Tracer;
use crate::scene::atmosphere::lit;
use crate::scene::atmosphere::media::{
    any_collects, through_media, transmittance, LightProbe, Medium,
};
use crate::scene::material::Material;
use crate::scene::{Hit, Ray};
use crate::stats::MediaCounts;

impl<'a> Tracer<'a> {
    /// `colour`, seen at `depth` along `ray`, through what lies in between, in
    /// POV-Ray's order: the medium of the object the ray is inside (when it hit
    /// the object's surface), rainbows, the atmosphere's media, fogs. Rays inside
    /// solid (non-hollow) objects see none of them. `hit`: the `light_group`
    /// of the object the ray ends on (None when it ends on none), which picks
    /// the lights the media see.
    pub(super) fn between(
        &mut self,
        ray: &Ray,
        depth: f64,
        colour: DVec3,
        hit: Option<Option<u32>>,
    ) -> DVec3 {
        if !self.hollow {
            return colour;
        }
        let mut c = colour;
        let lights = hit.flatten().map_or(0, |g| g as usize + 1);
        if hit.is_some() {
            // The media of every interior the ray is in are sampled together, as
            // one list in the order the ray entered them (POV-Ray's): overlapping
            // media share their samples, the first with the most intervals leading.
            let mut with_media = self.inside.iter().filter(|m| !m.media.is_empty());
            let media: Cow<'a, [Medium]> = match (with_media.next(), with_media.next()) {
                (None, _) => Cow::Borrowed(&[]),
                (Some(only), None) => Cow::Borrowed(&only.media),
                (Some(_), Some(_)) => Cow::Owned(
                    self.inside
                        .iter()
                        .flat_map(|m| m.media.iter().cloned())
                        .collect(),
                ),
            };
            if !media.is_empty() {
                let mut counts = MediaCounts::default();
                let probe = &mut MediaLights::new(self, &media, lights);
                c = through_media(&media, ray, depth, c, probe, &mut counts);
                self.stats.media.add(counts);
            }
        }
        let atmosphere = &self.scene.atmosphere;
        if atmosphere.is_clear() {
            return c;
        }
        c = atmosphere.through_rainbows(ray, depth, c);
        if !atmosphere.media.is_empty() {
            let media = &atmosphere.media;
            let mut counts = MediaCounts::default();
            let probe = &mut MediaLights::new(self, media, lights);
            c = through_media(media, ray, depth, c, probe, &mut counts);
            self.stats.media.add(counts);
        }
        self.scene.atmosphere.through_fogs(ray, depth, c)
    }

    /// Light `index` arriving at `p` inside media (`collects`: photons' media):
    /// its colour after fading and shadows, and the direction towards it.
    fn light_in_media(&mut self, index: usize, p: DVec3, collects: bool) -> Option<(DVec3, DVec3)> {
        let scene = self.scene;
        let light = scene.lights.get(index)?;
        let lray = light.ray_from(p, DVec3::ZERO);
        let l = lray.dir;
        let mut lc = light.colour * light.attenuation(p, &lray);
        if lc.max_element() <= 0.0 {
            return None;
        }
        if !light.shadowless || light.projects_through() {
            let outer = self.photon_shadows;
            self.photon_shadows = collects && self.lighting.photons().is_some();
            lc = self.light_shadow(index, light, p, &lray, lc);
            self.photon_shadows = outer;
            if light.media_attenuation {
                lc *= scene.atmosphere.light_through(
                    p,
                    l,
                    lray.depth,
                    self.hollow,
                    &mut self.stats.media,
                );
            }
        }
        (lc.max_element() > 0.0).then_some((lc, l))
    }
}

/// The tracer as the media integrator sees it: the scene's interacting lights
/// and media photons, for media that do or do not collect photons.
struct MediaLights<'t, 'a> {
    tracer: &'t mut Tracer<'a>,
    collects: bool,
    /// Which of the tracer's media light lists the ray's media see.
    lights: usize,
}

impl<'t, 'a> MediaLights<'t, 'a> {
    fn new(tracer: &'t mut Tracer<'a>, media: &[Medium], lights: usize) -> Self {
        MediaLights {
            tracer,
            collects: any_collects(media),
            lights,
        }
    }

    /// The scene index of the `i`th light these media see.
    fn light(&self, i: usize) -> Option<usize> {
        self.tracer.media_lights.get(self.lights)?.get(i).copied()
    }
}

impl LightProbe for MediaLights<'_, '_> {
    fn interacting_lights(&self) -> usize {
        self.tracer
            .media_lights
            .get(self.lights)
            .map_or(0, Vec::len)
    }

    fn lit_part(&self, i: usize, ray: &Ray, depth: f64) -> Option<(f64, f64)> {
        let light = &self.tracer.scene.lights[self.light(i)?];
        match light.spot_cone() {
            Some((direction, cos_falloff)) => {
                lit::spot(ray, light.position, direction, cos_falloff, depth)
            }
            None => Some((0.0, depth)),
        }
    }

    fn light_at(&mut self, i: usize, p: DVec3) -> Option<(DVec3, DVec3)> {
        let index = self.light(i)?;
        self.tracer.light_in_media(index, p, self.collects)
    }

    fn photon_light(&mut self, p: DVec3, phase: &dyn Fn(DVec3) -> f64) -> DVec3 {
        let t = &mut *self.tracer;
        match t.lighting.media_photons() {
            Some(map) => map.light_in_media(p, phase, &mut t.media_gather),
            None => DVec3::ZERO,
        }
    }
}

/// What the media of a hit object let through along a shadow ray: nothing at the
/// surface where the ray enters (remembered in `entry`), the media's
/// transmittance over the stretch inside where it leaves (from its start when
/// it started inside).
pub(super) fn media_shadow<'a>(
    entry: &mut Option<(&'a Material, f64)>,
    h: &Hit<'a>,
    ray: &Ray,
    counts: &mut MediaCounts,
) -> DVec3 {
    let Some(m) = h.object.material() else {
        return DVec3::ONE;
    };
    let m: &'a Material = m;
    let mut outward = h.object.normal(ray.at(h.t), h.part);
    if h.object.inverse {
        outward = -outward;
    }
    if outward.dot(ray.dir) <= 0.0 {
        *entry = Some((m, h.t));
        return DVec3::ONE;
    }
    let t0 = match entry.take() {
        Some((e, t)) if e.interior_id == m.interior_id => t,
        _ => 0.0,
    };
    transmittance(&m.media, &Ray::new(ray.at(t0), ray.dir), h.t - t0, counts)
}
