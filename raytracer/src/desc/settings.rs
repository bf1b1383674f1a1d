//! `global_settings` and the other scene-wide values.

use super::colour::Colour;
use super::photons::Photons;
use super::radiosity::Radiosity;

/// `global_settings { ... }` with POV-Ray 3.7's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct GlobalSettings {
    /// `assumed_gamma`, None when the scene does not set it.
    pub assumed_gamma: Option<f64>,
    /// `max_trace_level` (default 5).
    pub max_trace_level: u32,
    /// `adc_bailout` (default 1/255).
    pub adc_bailout: f64,
    /// `ambient_light` (default white).
    pub ambient_light: Colour,
    /// `noise_generator` 1, 2 or 3 (default 2).
    pub noise_generator: u8,
    /// `irid_wavelength` (POV-Ray 3.7's default <0.70, 0.52, 0.48>).
    pub irid_wavelength: Colour,
    /// `number_of_waves` for the wave patterns (default 10).
    pub number_of_waves: u32,
    /// `max_intersections` (accepted, informational).
    pub max_intersections: u32,
    /// `radiosity { }`, None when the scene has no radiosity block.
    pub radiosity: Option<Radiosity>,
    /// `photons { }`, None when the scene has no photons block.
    pub photons: Option<Photons>,
    /// `mm_per_unit` (default 10): the scale subsurface scattering works at.
    pub mm_per_unit: f64,
    /// `#default { radiosity { importance } }` (default 1): the radiosity
    /// importance of objects that set none.
    pub radiosity_importance: f64,
    /// `subsurface { }`, None when the scene has none (subsurface light transport
    /// is then off, whatever the finishes say).
    pub subsurface: Option<SubsurfaceSettings>,
}

/// `global_settings { subsurface { samples A, B radiosity B } }`.
#[derive(Clone, Debug, PartialEq)]
pub struct SubsurfaceSettings {
    /// Samples of the diffuse (multiple) scattering term per shaded point (default 50).
    pub samples_diffuse: u32,
    /// Samples of the single scattering term per shaded point (default 50).
    pub samples_single: u32,
    /// `radiosity`: radiosity light also scattered under the surface (default off).
    pub radiosity: bool,
}

impl Default for SubsurfaceSettings {
    fn default() -> Self {
        Self {
            samples_diffuse: 50,
            samples_single: 50,
            radiosity: false,
        }
    }
}

impl Default for GlobalSettings {
    fn default() -> Self {
        Self {
            assumed_gamma: None,
            max_trace_level: 5,
            adc_bailout: 1.0 / 255.0,
            ambient_light: Colour::WHITE,
            noise_generator: 2,
            irid_wavelength: Colour::rgb(0.70, 0.52, 0.48),
            number_of_waves: 10,
            max_intersections: 64,
            radiosity: None,
            photons: None,
            mm_per_unit: 10.0,
            radiosity_importance: 1.0,
            subsurface: None,
        }
    }
}
