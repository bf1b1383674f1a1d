//! Light sources, positions already in world space.

use super::colour::Colour;
use super::object::Object;
use glam::DVec3;

/// The kind of a light and the parameters only that kind has.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum LightKind {
    /// Radiates equally in every direction.
    #[default]
    Point,
    /// A cone of light towards `point_at` (angles in degrees, as written in the scene).
    Spot {
        /// Half-angle of the fully lit cone.
        radius: f64,
        /// Half-angle where the light reaches zero.
        falloff: f64,
        /// Exponent of the fall-off inside the cone.
        tightness: f64,
    },
    /// Parallel light along the axis from the position to `point_at`.
    Cylinder {
        /// Radius of the fully lit cylinder.
        radius: f64,
        /// Radius where the light reaches zero.
        falloff: f64,
        /// Exponent of the fall-off inside the cylinder.
        tightness: f64,
    },
}

/// `area_light axis1, axis2, size1, size2` with its sampling options.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaLight {
    /// First edge of the light's rectangle (world space).
    pub axis1: DVec3,
    /// Second edge of the light's rectangle (world space).
    pub axis2: DVec3,
    /// Number of lights along axis1.
    pub size1: u32,
    /// Number of lights along axis2.
    pub size2: u32,
    /// `adaptive` level: the grid is subdivided at least this deep (POV-Ray's
    /// default 100 means the whole grid).
    pub adaptive: u32,
    /// `jitter` requested (the renderer must stay deterministic per pixel).
    pub jitter: bool,
    /// `circular`.
    pub circular: bool,
    /// `orient`.
    pub orient: bool,
}

/// POV-Ray's `adaptive` level when none is given: subdivide the whole grid.
pub const DEFAULT_ADAPTIVE: u32 = 100;

/// One `light_source`.
#[derive(Clone, Debug, PartialEq)]
pub struct Light {
    /// World position.
    pub position: DVec3,
    /// Colour (and intensity) of the light.
    pub colour: Colour,
    /// Point, spot or cylinder.
    pub kind: LightKind,
    /// Where spot, cylinder and parallel lights aim (default `<0, 0, 1>`).
    pub point_at: DVec3,
    /// `fade_distance` (None: no fading).
    pub fade_distance: Option<f64>,
    /// `fade_power` (0: no fading).
    pub fade_power: f64,
    /// `shadowless`: POV-Ray's fill light, which casts no shadows and makes no
    /// highlights (it replaces a spotlight or cylinder kind given before it).
    pub shadowless: bool,
    /// `media_interaction` (default on).
    pub media_interaction: bool,
    /// `media_attenuation` (default off): fog dims the light on its way.
    pub media_attenuation: bool,
    /// `area_light`, if any.
    pub area: Option<AreaLight>,
    /// `parallel`.
    pub parallel: bool,
    /// `projected_through { object }`: the light only reaches points behind it.
    pub projected_through: Option<Box<Object>>,
    /// `photons { }`.
    pub photons: super::photons::LightPhotons,
    /// The `light_group` the light belongs to (it lights only that group's
    /// objects); `None`: a global light.
    pub group: Option<u32>,
}

impl Default for Light {
    fn default() -> Self {
        Self {
            position: DVec3::ZERO,
            colour: Colour::WHITE,
            kind: LightKind::Point,
            point_at: DVec3::Z,
            fade_distance: None,
            fade_power: 0.0,
            shadowless: false,
            media_interaction: true,
            media_attenuation: false,
            area: None,
            parallel: false,
            projected_through: None,
            photons: super::photons::LightPhotons::default(),
            group: None,
        }
    }
}
