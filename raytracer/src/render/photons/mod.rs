//! POV-Ray 3.7's photon mapping (caustics only, as POV-Ray 3.7 has): before the
//! render, photons are shot from every light at every `photons { target }` object
//! ([`shoot`]), stored where they land after a reflection or refraction, and kept
//! in a kd-tree ([`map`]); the tracer then adds, at every surface that collects
//! photons, the light of the photons gathered around the point ([`estimate`]).
//! With `photons { media }`, photons also leave photons along their way through
//! scattering media after the first reflection or refraction, in a second map
//! that media samples gather ([`media`]).
//!
//! The map is built once per scene on one thread, photons in a fixed order and
//! every random choice a hash of the photon's place in that order, so every
//! thread and every distributed slave sees the same map.

pub mod estimate;
pub mod file;
mod map;
mod media;
mod shoot;

pub use estimate::Gathered;
pub use map::{MapKind, PhotonMap};

use crate::desc;
use crate::scene::geometry::Aabb;
use crate::scene::object::ObjectKind;
use crate::scene::{light_group, Object, Scene};

/// What the render needs of `global_settings { photons { } }`.
#[derive(Clone, Debug)]
pub struct PhotonSettings {
    pub spacing: f64,
    /// `count`: photons wanted, the spacing derived from it (0: use `spacing`).
    pub count: u32,
    pub gather_min: usize,
    pub gather_max: usize,
    pub jitter: f64,
    pub autostop: f64,
    pub expand_tolerance: f64,
    pub expand_min: usize,
    pub max_trace_level: u32,
    pub adc_bailout: f64,
    pub radius: Option<f64>,
    pub radius_factor: f64,
    /// `media max_steps, factor`: at most `media_steps` photons per interval of
    /// media a photon crosses (0: none), spaced `media_factor` photon spacings.
    pub media_steps: u32,
    pub media_factor: f64,
    /// The media map's first gather radius (None: estimated) and multiplier.
    pub media_radius: Option<f64>,
    pub media_radius_factor: f64,
}

impl PhotonSettings {
    /// The settings with the scene's trace limits filled in where the block left
    /// them out. None when photons stay off (`gather` with a zero maximum).
    pub fn from_desc(p: &desc::Photons, g: &desc::GlobalSettings) -> Option<PhotonSettings> {
        if p.gather_max == 0 {
            return None;
        }
        Some(PhotonSettings {
            spacing: p.spacing,
            count: p.count,
            gather_min: p.gather_min as usize,
            gather_max: p.gather_max as usize,
            jitter: p.jitter,
            autostop: p.autostop,
            expand_tolerance: p.expand_tolerance,
            expand_min: p.expand_min as usize,
            max_trace_level: p.max_trace_level.unwrap_or(g.max_trace_level),
            adc_bailout: p.adc_bailout.unwrap_or(g.adc_bailout),
            radius: p.radius,
            radius_factor: p.radius_factor,
            media_steps: p.media_steps,
            media_factor: p.media_factor,
            media_radius: p.media_radius,
            media_radius_factor: p.media_radius_factor,
        })
    }
}

/// An object's photon flags on every primitive of it (a CSG's pass to children).
#[derive(Clone, Debug, PartialEq)]
pub struct PhotonFlags {
    /// The photon target this primitive is part of (an index into
    /// [`PhotonTargets`]), when its top-level object is a target.
    pub group: Option<u32>,
    /// `target`'s spacing multiplier.
    pub target: Option<f64>,
    pub refraction: Option<bool>,
    pub reflection: Option<bool>,
    pub collect: bool,
    pub pass_through: bool,
}

impl Default for PhotonFlags {
    fn default() -> Self {
        Self::from_desc(&desc::ObjectPhotons::default())
    }
}

impl PhotonFlags {
    pub fn from_desc(p: &desc::ObjectPhotons) -> Self {
        PhotonFlags {
            group: None,
            target: p.target,
            refraction: p.refraction,
            reflection: p.reflection,
            collect: p.collect,
            pass_through: p.pass_through,
        }
    }

    /// Whether photons from a light with `light`'s setting refract (or reflect,
    /// given those flags) here: on for one of the two and off for neither.
    pub fn enabled(object: Option<bool>, light: Option<bool>) -> bool {
        (object == Some(true) && light != Some(false))
            || (object != Some(false) && light == Some(true))
    }

    /// POV-Ray's full shadow: a target that refracts this light's photons casts a
    /// black shadow, the photons bringing its light instead.
    pub fn blocks(&self, light: &desc::LightPhotons) -> bool {
        self.group.is_some()
            && self.refraction != Some(false)
            && light.refraction != Some(false)
            && (self.refraction == Some(true) || light.refraction == Some(true))
    }
}

/// The objects photons are shot at: world bounds and spacing multiplier.
#[derive(Clone, Debug, Default)]
pub struct PhotonTargets {
    pub targets: Vec<Target>,
}

/// One photon target.
#[derive(Clone, Debug)]
pub struct Target {
    pub bounds: Aabb,
    pub flags: PhotonFlags,
    /// Whether the global lights shoot at it. POV-Ray 3.7 shoots photons from
    /// global lights only (a `light_group`'s lights shoot none), and none at a
    /// target that sees no global light, in a group without `global_lights
    /// on` (the outermost group deciding). Such a target still casts a
    /// target's full shadow.
    pub shot: bool,
}

impl PhotonTargets {
    /// Records `o` (a top-level object) if it is a target, marking its
    /// primitives as part of it; else the targets among its CSG children, as
    /// POV-Ray searches them. `groups` are the scene's `light_group`s.
    pub fn register(&mut self, o: &mut Object, groups: &[desc::LightGroup]) {
        self.register_in(o, None, groups);
    }

    /// `outer`: the outermost `light_group` `o` is in.
    fn register_in(&mut self, o: &mut Object, outer: Option<u32>, groups: &[desc::LightGroup]) {
        let outer = outer.or(o.light_group);
        if o.photons.target.is_none() {
            if let ObjectKind::Csg { children, .. } = &mut o.kind {
                for c in children {
                    self.register_in(c, outer, groups);
                }
            }
            return;
        }
        let Some(bounds) = o.bounds else {
            tracing::warn!("an unbounded photon target gets no photons");
            return;
        };
        let shot = light_group::lights(None, outer, groups);
        let id = self.targets.len() as u32;
        self.targets.push(Target {
            bounds,
            flags: o.photons.clone(),
            shot,
        });
        mark(o, id);
    }
}

fn mark(o: &mut Object, id: u32) {
    o.photons.group = Some(id);
    if let ObjectKind::Csg { children, .. } = &mut o.kind {
        for c in children {
            mark(c, id);
        }
    }
}

/// The surface and media maps (each None when no photon landed there).
pub type Maps = (Option<PhotonMap>, Option<PhotonMap>);

/// Shoots the scene's photons and builds the surface and media maps, or
/// reads them from `load_file`'s bytes instead.
pub fn build(
    scene: &Scene,
    settings: PhotonSettings,
    targets: &PhotonTargets,
    file: Option<&desc::PhotonFile>,
) -> Result<Maps, file::FileError> {
    let started = std::time::Instant::now();
    let (mut surface, mut media, shot) = match file {
        Some(desc::PhotonFile::Load { bytes, .. }) => {
            let saved = file::decode(bytes)?;
            let surface = PhotonMap::from_tree(saved.surface, settings.clone(), MapKind::Surface);
            let media = PhotonMap::from_tree(saved.media, settings, MapKind::Media);
            (surface, media, saved.shot)
        }
        Some(desc::PhotonFile::Save(_)) | None => {
            let (stored, shot) = shoot::shoot_all(scene, &settings, targets);
            let surface = PhotonMap::new(stored.surface, settings.clone(), MapKind::Surface);
            let media = PhotonMap::new(stored.media, settings, MapKind::Media);
            (surface, media, shot)
        }
    };
    let elapsed = started.elapsed();
    for m in surface.iter_mut().chain(media.iter_mut()) {
        m.shot = shot;
        m.build_time = elapsed;
    }
    tracing::info!(
        shot,
        stored = surface.as_ref().map_or(0, |m| m.len()),
        media = media.as_ref().map_or(0, |m| m.len()),
        seconds = elapsed.as_secs_f64(),
        "photon map"
    );
    Ok((surface, media))
}

/// The photon map file of the scene's maps (see [`file`]), None when it has
/// no photons (POV-Ray then saves nothing either).
pub fn saved_maps(scene: &Scene) -> Option<Vec<u8>> {
    let (surface, media) = (scene.photons.as_ref(), scene.media_photons.as_ref());
    let shot = surface.or(media)?.shot;
    fn photons(m: Option<&PhotonMap>) -> &[map::Photon] {
        m.map_or(&[], |m| m.photons())
    }
    Some(file::encode(shot, photons(surface), photons(media)))
}

/// A number in [0, 1) that depends only on `keys` (splitmix64 over them): the
/// photon pass's random numbers, so its choices do not depend on any order.
pub(crate) fn unit_random(keys: &[u64]) -> f64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &k in keys {
        h = (h ^ k).wrapping_add(0x9E37_79B9_7F4A_7C15);
        h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        h ^= h >> 31;
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}
