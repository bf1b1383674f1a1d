//! Photon mapping settings: `global_settings { photons { } }`, an object's
//! `photons { }` and a light's `photons { }`, with POV-Ray 3.7's defaults.

/// `global_settings { photons { ... } }`. Its presence turns photons on.
#[derive(Clone, Debug, PartialEq)]
pub struct Photons {
    /// `spacing`: the distance between photons at one unit from the light
    /// (POV-Ray's surface separation, default 1).
    pub spacing: f64,
    /// `count`: the number of photons wanted instead of a spacing (0: none).
    pub count: u32,
    /// `gather min, max`: photons a gather tries to find (default 20, 100).
    pub gather_min: u32,
    pub gather_max: u32,
    /// `jitter` (default 0.4): how far, in grid steps, a photon's direction moves.
    pub jitter: f64,
    /// `autostop` (default 0.5): the fraction of a target's angular radius past
    /// which shooting stops once a ring misses it.
    pub autostop: f64,
    /// `expand_thresholds`: the density change allowed when a gather expands, and
    /// the count below which it always expands (default 0.2, 35).
    pub expand_tolerance: f64,
    pub expand_min: u32,
    /// `max_trace_level` and `adc_bailout` of photon rays (None: the scene's).
    pub max_trace_level: Option<u32>,
    pub adc_bailout: Option<f64>,
    /// `radius`: the first gather radius (None: estimated from the map), its
    /// multiplier, and the same two for the media map.
    pub radius: Option<f64>,
    pub radius_factor: f64,
    pub media_radius: Option<f64>,
    pub media_radius_factor: f64,
    /// `media max_steps [, factor]` (0: no media photons).
    pub media_steps: u32,
    pub media_factor: f64,
    /// `save_file` or `load_file`, whichever came last (as in POV-Ray).
    pub file: Option<PhotonFile>,
}

/// Where a photon map comes from or goes to.
#[derive(Clone, Debug, PartialEq)]
pub enum PhotonFile {
    /// `save_file "name"`: the map is written there once built (by the
    /// process that renders locally or is the master, never by a slave).
    Save(String),
    /// `load_file "name"`: the map is read, not shot. The parse read the
    /// bytes (and records them, so distributed slaves load the same map).
    Load { name: String, bytes: Vec<u8> },
}

impl Default for Photons {
    fn default() -> Self {
        Self {
            spacing: 1.0,
            count: 0,
            gather_min: 20,
            gather_max: 100,
            jitter: 0.4,
            autostop: 0.5,
            expand_tolerance: 0.2,
            expand_min: 35,
            max_trace_level: None,
            adc_bailout: None,
            radius: None,
            radius_factor: 1.0,
            media_radius: None,
            media_radius_factor: 1.0,
            media_steps: 0,
            media_factor: 1.0,
            file: None,
        }
    }
}

/// An object's `photons { }`. The `Option`s are POV-Ray's pairs of on/off flags:
/// None when the scene said neither.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectPhotons {
    /// `target [spacing multiplier]`: photons are shot at this object.
    pub target: Option<f64>,
    /// `refraction on|off`.
    pub refraction: Option<bool>,
    /// `reflection on|off`.
    pub reflection: Option<bool>,
    /// `collect` (default on): the surface stores and shows photons.
    pub collect: bool,
    /// `pass_through`: photons cross the object unchanged.
    pub pass_through: bool,
}

impl Default for ObjectPhotons {
    fn default() -> Self {
        Self {
            target: None,
            refraction: None,
            reflection: None,
            collect: true,
            pass_through: false,
        }
    }
}

/// A light's `photons { }`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LightPhotons {
    /// `refraction on|off` (None: not said).
    pub refraction: Option<bool>,
    /// `reflection on|off` (None: not said).
    pub reflection: Option<bool>,
    /// `area_light`: photons leave from every point of the area light's grid.
    pub area_light: bool,
}
