//! What surrounds the objects: the sky sphere, fogs and rainbows, as the parser
//! leaves them (vectors normalised, angles in radians, POV-Ray 3.7's defaults).

use glam::DVec3;

use super::colour::Colour;
use super::media::Media;
use super::texture::{ColourMap, Pigment};
use super::transform::Transform;
use crate::pattern::Turbulence;

/// Everything atmospheric a scene declares.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Atmosphere {
    /// The (last) `sky_sphere`.
    pub sky_sphere: Option<SkySphere>,
    /// Every `fog`, in scene order.
    pub fogs: Vec<Fog>,
    /// Every `rainbow`, in scene order.
    pub rainbows: Vec<Rainbow>,
    /// Top-level `media`: the atmosphere's.
    pub media: Vec<Media>,
}

/// `sky_sphere { pigment {..} ... emission c }`.
#[derive(Clone, Debug, PartialEq)]
pub struct SkySphere {
    /// The pigments, bottom first (later ones are drawn over earlier ones), each
    /// with its own transform.
    pub pigments: Vec<Pigment>,
    /// `emission` (default white): scales the sky's colour.
    pub emission: Colour,
    /// The sky sphere's transforms, wherever they stand in the block: a ray's
    /// direction is carried into sky space by its inverse before any pigment sees it.
    pub transform: Transform,
}

/// How a fog's density varies.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FogKind {
    /// `fog_type 1`: the same density everywhere.
    Constant,
    /// `fog_type 2`: full density below `offset` along `up`, falling off as
    /// `1 / (1 + h²)` above it, with `h` the height over `offset` in units of `alt`.
    Ground {
        /// `fog_offset`.
        offset: f64,
        /// `fog_alt`.
        alt: f64,
    },
}

/// `fog { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fog {
    /// Constant or ground fog.
    pub kind: FogKind,
    /// `distance`: where the fog lets 1/e of the light through.
    pub distance: f64,
    /// The fog's colour; filter tints what is seen through it, transmit is the
    /// least light it lets through.
    pub colour: Colour,
    /// The unit `up` direction of ground fog (default +y).
    pub up: DVec3,
    /// Turbulence of the fog's thickness, if any (`turbulence`, `octaves`...).
    pub turbulence: Option<Turbulence>,
    /// `turb_depth` (default 0.5).
    pub turb_depth: f64,
}

impl Default for Fog {
    fn default() -> Self {
        Self {
            kind: FogKind::Constant,
            distance: 0.0,
            colour: Colour::BLACK,
            up: DVec3::Y,
            turbulence: None,
            turb_depth: 0.5,
        }
    }
}

/// `rainbow { ... }` after POV-Ray's set-up: angles in radians, the band's inner
/// edge in `angle`, vectors unit and perpendicular.
#[derive(Clone, Debug, PartialEq)]
pub struct Rainbow {
    /// Inner edge of the band: the angle from the antisolar direction.
    pub angle: f64,
    /// Width of the band.
    pub width: f64,
    /// `distance`: how far away the rainbow is, for the fading of what lies behind.
    pub distance: f64,
    /// `jitter` of the colour-map index.
    pub jitter: f64,
    /// Half of `arc_angle`: the band is drawn this far around from `up`.
    pub arc_angle: f64,
    /// Half of `falloff_angle`, where the band starts to fade out.
    pub falloff_angle: f64,
    /// `arc_angle - falloff_angle` (halves), the fading region.
    pub falloff_width: f64,
    /// Unit direction away from the sun (`direction`).
    pub antisolar: DVec3,
    /// Unit up, perpendicular to `antisolar`.
    pub up: DVec3,
    /// Unit right, perpendicular to both.
    pub right: DVec3,
    /// The band's colours across its width (`color_map`); None draws nothing.
    pub colour_map: Option<ColourMap>,
}
