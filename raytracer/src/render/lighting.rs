//! What rendering a scene precomputes from it once, before its first pixel: the
//! photon maps (surface and media) and radiosity's settings with their sample cache.
//!
//! The scene (`crate::scene`) is only geometry, materials and settings; this is the
//! renderer's, built from a [`Scene`] alone, so the scene never depends on the
//! renderer. Every worker thread reads one `Lighting`; a distributed slave builds its
//! own from the same scene, and it comes out the same (see [`photons`] and
//! [`radiosity`] for why).

use super::photons::{self, PhotonMap, PhotonSettings};
use super::radiosity::Radiosity;
use crate::scene::Scene;

/// Why a scene's lighting could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum LightingError {
    #[error("cannot load the photon map")]
    PhotonFile(#[from] photons::file::FileError),
}

/// The photon maps and radiosity of one scene.
#[derive(Debug, Default)]
pub struct Lighting {
    radiosity: Option<Radiosity>,
    photons: Option<PhotonMap>,
    media_photons: Option<PhotonMap>,
}

impl Lighting {
    /// Shoots (or loads) the scene's photons and sets up its radiosity; radiosity's
    /// cache itself is built on first use, for the image size asked for.
    pub fn build(scene: &Scene) -> Result<Lighting, LightingError> {
        let s = &scene.settings;
        let mut lighting = Lighting {
            radiosity: s
                .radiosity
                .as_ref()
                .map(|r| Radiosity::new(r, scene.camera.location())),
            ..Lighting::default()
        };
        let photons = s.photons.as_ref();
        if let Some(settings) = photons.and_then(|p| PhotonSettings::from_desc(p, s)) {
            let file = photons.and_then(|p| p.file.as_ref());
            let targets = scene.photon_targets();
            (lighting.photons, lighting.media_photons) =
                photons::build(scene, settings, targets, file)?;
        }
        Ok(lighting)
    }

    /// Radiosity's settings and sample cache, when the scene uses radiosity.
    pub fn radiosity(&self) -> Option<&Radiosity> {
        self.radiosity.as_ref()
    }

    /// The surface photon map, when the scene uses photons and some landed.
    pub fn photons(&self) -> Option<&PhotonMap> {
        self.photons.as_ref()
    }

    /// The media photon map, when photons were left in media (`photons { media }`).
    pub fn media_photons(&self) -> Option<&PhotonMap> {
        self.media_photons.as_ref()
    }
}
