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
use crate::scene::photon_targets::PhotonTargets;
use crate::scene::Scene;

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
    pub fn from_desc(p: &desc::Photons, g: &crate::scene::Settings) -> Option<PhotonSettings> {
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
pub fn saved_maps(lighting: &super::Lighting) -> Option<Vec<u8>> {
    let (surface, media) = (lighting.photons(), lighting.media_photons());
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
