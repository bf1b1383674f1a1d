//! The scene as the renderer sees it: primitives and CSG trees placed in the world,
//! a BVH over the bounded ones, lights, the camera and scene-wide settings.
//!
//! [`Scene::build`] turns a [`crate::desc::SceneDesc`] into this form once; rendering
//! then only reads it, so one `Scene` is shared by every worker thread.

pub mod atmosphere;
pub mod bounding;
pub mod bounds;
pub mod build;
mod build_shapes;
pub mod bvh;
pub mod camera;
pub mod geometry;
pub mod light;
pub mod light_group;
pub mod material;
pub mod mesh_camera;
pub mod object;
pub mod photon_targets;
pub mod shapes;
pub mod solver;
pub mod transform;

use glam::DVec3;

pub use build::BuildError;
pub use camera::Camera;
pub use geometry::{Aabb, Ray, RayInv};
pub use light::Light;
pub use object::{Hit, Object};

use crate::desc::{self, Colour};
use crate::pattern::NoiseGenerator;
use crate::stats::Stats;

/// Why a ray is traced: `no_image` and `no_reflection` objects hide from some.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RayKind {
    Camera,
    /// Any reflection (also of a refracted ray).
    Reflected,
    /// Refracted on the way from the camera, with no reflection before: still an
    /// "image" ray to POV-Ray, so `no_image` objects hide from it.
    Refracted,
    /// Refracted after a reflection: `no_reflection` objects hide from it.
    RefractedAfterReflection,
    /// Radiosity's sample rays see every object.
    Radiosity,
    /// Photons pass `no_shadow` objects, as POV-Ray's photon rays do.
    Photon,
}

impl RayKind {
    /// The kind of a ray refracted from a ray of this kind.
    pub fn refracted(self) -> RayKind {
        match self {
            RayKind::Camera | RayKind::Refracted => RayKind::Refracted,
            RayKind::Reflected | RayKind::RefractedAfterReflection => {
                RayKind::RefractedAfterReflection
            }
            RayKind::Radiosity => RayKind::Radiosity,
            RayKind::Photon => RayKind::Photon,
        }
    }
}

/// Scene-wide values the tracer needs.
#[derive(Clone, Debug)]
pub struct Settings {
    pub max_trace_level: u32,
    pub adc_bailout: f64,
    pub ambient_light: DVec3,
    /// `assumed_gamma`, if the scene set one.
    pub assumed_gamma: Option<f64>,
    /// The scene's language version (POV-Ray treats pre-3.7 scenes differently).
    pub version: f64,
    pub version_set: bool,
    /// `irid_wavelength`: the wavelengths (r, g, b) iridescence interferes at.
    pub irid_wavelength: DVec3,
    /// The noise generator of the scene (iridescence's turbulence uses it).
    pub noise_generator: NoiseGenerator,
    /// Subsurface light transport's samples, None when the scene has no
    /// `global_settings { subsurface { } }` (the finishes' blocks are then ignored).
    pub subsurface: Option<desc::SubsurfaceSettings>,
    /// `mm_per_unit`: millimetres per scene unit, the scale of subsurface scattering.
    pub mm_per_unit: f64,
    /// `global_settings { radiosity { } }`, when the scene uses radiosity.
    pub radiosity: Option<desc::Radiosity>,
    /// The radiosity importance of objects that set none.
    pub radiosity_importance: f32,
    /// `global_settings { photons { } }`, when the scene uses photons.
    pub photons: Option<desc::Photons>,
}

impl Settings {
    /// The working gamma: `assumed_gamma` if given, else 1.0 for scenes that declare
    /// `#version 3.7` or later. None for a legacy scene (an older `#version`, or none)
    /// without `assumed_gamma`: POV-Ray 3.7 then turns gamma correction off for
    /// compatibility, and colours reach the file as they are.
    pub fn working_gamma(&self) -> Option<f64> {
        match self.assumed_gamma {
            Some(g) if g > 0.0 => Some(g),
            _ if self.version_set && self.version >= 3.7 => Some(1.0),
            _ => None,
        }
    }

    /// The exponent taking working colours to anti-aliasing's comparison space
    /// (POV-Ray's `Antialias_Gamma`, 2.5, after the working gamma; with gamma
    /// correction off, the colours are taken as linear).
    pub fn antialias_exponent(&self, antialias_gamma: f64) -> f64 {
        self.working_gamma().unwrap_or(1.0) / antialias_gamma
    }
}

/// A scene ready to render.
#[derive(Debug)]
pub struct Scene {
    pub objects: Vec<Object>,
    bvh: bvh::Bvh,
    unbounded: Vec<usize>,
    pub lights: Vec<Light>,
    pub camera: Camera,
    pub background: Colour,
    pub settings: Settings,
    /// Sky, fogs and rainbows.
    pub atmosphere: atmosphere::Atmosphere,
    /// The objects photons are shot at.
    photon_targets: photon_targets::PhotonTargets,
    /// The `light_group`s objects and lights are in (see [`light_group`]).
    pub light_groups: Vec<desc::LightGroup>,
}

impl Scene {
    /// Objects with finite bounds and objects without, for the parser statistics.
    pub fn finite_and_infinite(&self) -> (usize, usize) {
        let infinite = self.unbounded.len();
        (self.objects.len() - infinite, infinite)
    }

    /// The objects photons are shot at (see [`photon_targets`]).
    pub fn photon_targets(&self) -> &photon_targets::PhotonTargets {
        &self.photon_targets
    }

    /// Builds the render form of a parsed scene. What rendering precomputes from it
    /// (photon maps, radiosity's cache) is `render::Lighting`'s.
    pub fn build(d: &desc::SceneDesc) -> Result<Scene, BuildError> {
        let gen = NoiseGenerator::from_number(d.global.noise_generator.into()).unwrap_or_default();
        let mut objects = Vec::new();
        let mut targets = photon_targets::PhotonTargets::default();
        for mut o in build::build_objects(&d.objects, gen)? {
            targets.register(&mut o, &d.light_groups);
            o.flatten_into(&mut objects);
        }
        let bounded = build::bounds_of(&objects);
        for (i, o) in objects.iter().enumerate() {
            tracing::debug!(object = i, bounds = ?o.bounds, "scene object");
        }
        let unbounded = (0..objects.len())
            .filter(|i| !bounded.iter().any(|(b, _)| b == i))
            .collect();
        let legacy = !(d.version_set && d.version >= 3.7);
        let mut atmosphere = atmosphere::Atmosphere::from_desc(d, gen, legacy);
        atmosphere.camera_inside = atmosphere::containing(&objects, d.camera.location);
        let scene = Scene {
            light_groups: d.light_groups.clone(),
            atmosphere,
            bvh: bvh::Bvh::build(&bounded),
            unbounded,
            objects,
            lights: d
                .lights
                .iter()
                .map(|l| Light::from_desc(l, gen))
                .collect::<Result<_, _>>()?,
            camera: Camera::from_desc(&d.camera, gen)?,
            background: d.background,
            settings: Settings {
                max_trace_level: d.global.max_trace_level,
                adc_bailout: d.global.adc_bailout,
                ambient_light: d.global.ambient_light.rgb_vec(),
                assumed_gamma: d.global.assumed_gamma,
                version: d.version,
                version_set: d.version_set,
                irid_wavelength: d.global.irid_wavelength.rgb_vec(),
                noise_generator: gen,
                subsurface: d.global.subsurface.clone(),
                mm_per_unit: d.global.mm_per_unit,
                radiosity: d.global.radiosity.clone(),
                radiosity_importance: d.global.radiosity_importance as f32,
                photons: d.global.photons.clone(),
            },
            photon_targets: targets,
        };
        Ok(scene)
    }

    /// The nearest surface hit along `ray`. `scratch` is reused between calls so a
    /// ray allocates nothing once it has grown.
    pub fn closest<'a>(
        &'a self,
        ray: &Ray,
        kind: RayKind,
        scratch: &mut Vec<Hit<'a>>,
        stats: &mut Stats,
    ) -> Option<Hit<'a>> {
        let rinv = RayInv::new(ray);
        let mut best: Option<Hit<'a>> = None;
        let mut test =
            |i: usize, t_max: f64, best: &mut Option<Hit<'a>>, scratch: &mut Vec<Hit<'a>>| {
                let obj = &self.objects[i];
                let hidden = match kind {
                    RayKind::Camera | RayKind::Refracted => obj.no_image,
                    RayKind::Reflected | RayKind::RefractedAfterReflection => obj.no_reflection,
                    RayKind::Radiosity => false,
                    RayKind::Photon => obj.no_shadow,
                };
                if hidden {
                    return t_max;
                }
                match obj.nearest(ray, &rinv, t_max, scratch, stats) {
                    Some(h) => {
                        *best = Some(h);
                        h.t
                    }
                    None => t_max,
                }
            };
        let mut t_max = f64::INFINITY;
        for &i in &self.unbounded {
            t_max = test(i, t_max, &mut best, scratch);
        }
        self.bvh
            .traverse(&rinv, t_max, |i, t| test(i, t, &mut best, scratch));
        best
    }

    /// The light let through along a shadow ray up to `max_t`: the product of
    /// `transmit(hit)` over every shadow-casting hit, zero as soon as one is opaque.
    /// `cache` names the object that blocked this light last time; it is tried first
    /// (neighbouring points are usually shadowed by the same object) and updated. A
    /// miss of the cache falls back to the full pass in fixed order, so the product
    /// is computed in the same order, bit for bit, whatever the cache held.
    ///
    /// Inlined into its caller, so that the `transmit` closure's captures are not
    /// passed through memory.
    #[inline(always)]
    pub fn shadow_filter<'a>(
        &'a self,
        ray: &Ray,
        max_t: f64,
        scratch: &mut Vec<Hit<'a>>,
        stats: &mut Stats,
        cache: &mut Option<usize>,
        mut transmit: impl FnMut(&Hit<'a>) -> DVec3,
    ) -> DVec3 {
        let rinv = RayInv::new(ray);
        let mut through = |i: usize, scratch: &mut Vec<Hit<'a>>, stats: &mut Stats| {
            let obj = &self.objects[i];
            let mut f = DVec3::ONE;
            if obj.no_shadow {
                return f;
            }
            if let Some(mut hits) = obj.simple_hits(ray, &rinv, max_t, stats) {
                hits.sort();
                for (t, part) in hits.iter().filter(|h| h.0 < max_t) {
                    f *= transmit(&Hit {
                        t,
                        object: obj,
                        part,
                    });
                    if f.max_element() <= 0.0 {
                        return DVec3::ZERO;
                    }
                }
                return f;
            }
            scratch.clear();
            obj.intersect(ray, &rinv, max_t, scratch, stats);
            scratch.sort_by(|a, b| a.t.total_cmp(&b.t));
            for h in scratch.iter() {
                f *= transmit(h);
                if f.max_element() <= 0.0 {
                    return DVec3::ZERO;
                }
            }
            f
        };
        // The cached object's factor, when it does not block, is reused at its
        // place in the full pass: the same value, without intersecting it twice.
        let mut cached: Option<(usize, DVec3)> = None;
        if let Some(i) = *cache {
            if i < self.objects.len() {
                let f = through(i, scratch, stats);
                if f == DVec3::ZERO {
                    return DVec3::ZERO;
                }
                cached = Some((i, f));
            }
        }
        let mut factor = |i: usize, scratch: &mut Vec<Hit<'a>>, stats: &mut Stats| match cached {
            Some((c, f)) if c == i => f,
            _ => through(i, scratch, stats),
        };
        let mut filter = DVec3::ONE;
        for &i in &self.unbounded {
            filter *= factor(i, scratch, stats);
            if filter == DVec3::ZERO {
                *cache = Some(i);
                return filter;
            }
        }
        let mut blocker = None;
        self.bvh.traverse(&rinv, max_t, |i, t| {
            if blocker.is_some() {
                return -1.0;
            }
            filter *= factor(i, scratch, stats);
            if filter == DVec3::ZERO {
                blocker = Some(i);
                return -1.0;
            }
            t
        });
        if blocker.is_some() {
            *cache = blocker;
            return DVec3::ZERO;
        }
        filter
    }
}
