//! What a ray meets besides surfaces: the sky it escapes into (sky sphere over
//! background), and the rainbows and fogs along its way, evaluated as POV-Ray 3.7
//! does at the end of tracing each ray.
//!
//! Everything is built once from the description; evaluation is a pure function
//! of the ray (rainbow jitter included), so distributed renders stay identical.

mod fog;
pub mod lit;
pub mod media;
mod rainbow;
mod sky;

use glam::DVec3;

use super::material::Material;
use super::object::ObjectKind;
use super::{Object, Ray};
use crate::desc;
use crate::pattern::NoiseGenerator;
use fog::Fog;
use rainbow::Rainbow;
use sky::Sky;

/// How far a ray that hits nothing is taken to travel (POV-Ray's `BOUND_HUGE`),
/// for the fog and rainbow in front of the sky.
pub const ESCAPE_DEPTH: f64 = 2.0e10;

/// The scene's sky, fogs and rainbows.
#[derive(Debug)]
pub struct Atmosphere {
    sky: Sky,
    fogs: Vec<Fog>,
    rainbows: Vec<Rainbow>,
    /// The atmosphere's media (top-level `media`).
    pub media: Vec<media::Medium>,
    gen: NoiseGenerator,
    /// The objects the camera is inside (see [`containing`]).
    pub camera_inside: Vec<usize>,
}

impl Atmosphere {
    /// Builds the atmosphere of a parsed scene. `legacy` selects POV-Ray 3.6's
    /// sky-sphere compositing (scenes without `#version 3.7`).
    pub fn from_desc(d: &desc::SceneDesc, gen: NoiseGenerator, legacy: bool) -> Atmosphere {
        let a = &d.atmosphere;
        Atmosphere {
            sky: Sky::from_desc(a.sky_sphere.as_ref(), d.background, gen, legacy),
            fogs: a.fogs.iter().filter_map(Fog::from_desc).collect(),
            rainbows: a.rainbows.iter().filter_map(Rainbow::from_desc).collect(),
            media: a
                .media
                .iter()
                .map(|m| media::Medium::from_desc(m, gen))
                .collect(),
            gen,
            camera_inside: Vec::new(),
        }
    }

    /// The colour seen along a ray that escapes the scene in direction `dir`.
    pub fn sky(&self, dir: DVec3) -> DVec3 {
        self.sky.colour(dir)
    }

    /// Whether rays see anything between them and what they hit.
    pub fn is_clear(&self) -> bool {
        self.fogs.is_empty() && self.rainbows.is_empty() && self.media.is_empty()
    }

    /// `colour`, seen at distance `depth` along `ray`, through the rainbows (the
    /// first of what POV-Ray puts between a ray and what it hits).
    #[inline]
    pub fn through_rainbows(&self, ray: &Ray, depth: f64, colour: DVec3) -> DVec3 {
        if self.rainbows.is_empty() {
            return colour;
        }
        rainbow::through_rainbows(&self.rainbows, ray, depth, colour)
    }

    /// `colour`, seen at distance `depth` along `ray`, through the fogs (the last
    /// of what POV-Ray puts between a ray and what it hits).
    #[inline]
    pub fn through_fogs(&self, ray: &Ray, depth: f64, colour: DVec3) -> DVec3 {
        if self.fogs.is_empty() {
            return colour;
        }
        fog::through_fogs(&self.fogs, ray, depth, colour, self.gen)
    }

    /// The part of a light's colour that reaches `p` from `dist` away in unit
    /// direction `l` through the atmosphere's media and fogs (for lights with
    /// `media_attenuation`).
    pub fn light_through(
        &self,
        p: DVec3,
        l: DVec3,
        dist: f64,
        hollow: bool,
        counts: &mut crate::stats::MediaCounts,
    ) -> DVec3 {
        if !hollow || (self.fogs.is_empty() && self.media.is_empty()) {
            return DVec3::ONE;
        }
        let ray = Ray::new(p, l);
        let mut through = DVec3::ONE;
        if !self.media.is_empty() {
            through = media::transmittance(&self.media, &ray, dist, counts);
        }
        if !self.fogs.is_empty() {
            through *= fog::attenuation(&self.fogs, &ray, dist, self.gen);
        }
        through
    }
}

/// The objects a camera at `p` is inside, by index: their interiors are where
/// its rays start (POV-Ray's initial interior list).
pub fn containing(objects: &[Object], p: DVec3) -> Vec<usize> {
    (0..objects.len())
        .filter(|&i| objects[i].inside(p))
        .collect()
}

/// An object's interior: a CSG's children inherit theirs from it, so its first
/// primitive's material stands for it.
pub fn interior_of(o: &Object) -> Option<&Material> {
    match &o.kind {
        ObjectKind::Primitive(p) => Some(&p.material),
        ObjectKind::Csg { children, .. } => children.first().and_then(interior_of),
    }
}
