//! Textures: pigment, normal, finish, their maps and layers, and the interior.
//!
//! Every pattern-bearing part carries its own [`Transform`], mapping pattern space to
//! world space: the transforms written inside the block followed by every transform
//! applied to the object afterwards (POV-Ray transforms an object's texture with it).

use super::colour::Colour;
use super::transform::Transform;
use crate::pattern::Pattern;

/// One `[value entry]` of a colour map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapEntry<T> {
    /// Position in [0, 1] (or the index for discrete patterns).
    pub value: f64,
    /// What the pattern gives at that position.
    pub item: T,
}

/// A colour map: entries sorted by value.
pub type ColourMap = Vec<MapEntry<Colour>>;

/// What a pigment is made of.
#[derive(Clone, Debug, PartialEq)]
pub enum PigmentKind {
    /// One colour everywhere.
    Solid(Colour),
    /// A pattern looked up in a colour map. Discrete patterns (checker, hexagon,
    /// brick) use entry `i` for index `i`, whatever its value.
    ColourMap {
        /// The pattern.
        pattern: Pattern,
        /// Its colours.
        map: ColourMap,
    },
    /// A pattern choosing between whole pigments (`pigment_map`, or checker/hexagon/
    /// brick with pigments as entries). Entries' transforms are relative to world space.
    PigmentMap {
        /// The pattern.
        pattern: Pattern,
        /// The pigments blended.
        map: Vec<MapEntry<Pigment>>,
    },
    /// `image_map`: the colours of an image. The pattern is a
    /// [`PatternKind::ImageMap`](crate::pattern::PatternKind::ImageMap); its
    /// turbulence moves the point before the image is looked up.
    ImageMap(Pattern),
}

/// A pigment and the transform of its pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Pigment {
    /// Solid colour or pattern.
    pub kind: PigmentKind,
    /// Pattern space to world space.
    pub transform: Transform,
}

impl Default for Pigment {
    /// POV-Ray's default pigment is black.
    fn default() -> Self {
        Self {
            kind: PigmentKind::Solid(Colour::BLACK),
            transform: Transform::IDENTITY,
        }
    }
}

/// A normal perturbation: `normal { bumps 0.5 scale 2 }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Normal {
    /// The perturbing pattern.
    pub pattern: Pattern,
    /// Bump size (`bumps 0.5` or `bump_size`).
    pub amount: f64,
    /// Pattern space to world space.
    pub transform: Transform,
    /// `accuracy`: the distance between the samples of a pattern's slope.
    pub accuracy: f64,
    /// `slope_map`: `[value, <height, slope>]` entries (empty: none).
    pub slope_map: Vec<MapEntry<(f64, f64)>>,
    /// `normal_map`, or a discrete pattern's normals: the normals the pattern
    /// blends (empty: none). Entries' transforms are relative to world space.
    pub map: Vec<MapEntry<Normal>>,
}

impl Normal {
    /// A normal of `pattern` and bump size `amount` with POV-Ray's defaults.
    pub fn new(pattern: Pattern, amount: f64) -> Normal {
        Normal {
            pattern,
            amount,
            transform: Transform::IDENTITY,
            accuracy: crate::pattern::normal::SLOPE_DELTA,
            slope_map: Vec::new(),
            map: Vec::new(),
        }
    }
}

/// `reflection` as 3.7 reads it: `reflection 0.3` gives min = max = 0.3.
#[derive(Clone, Debug, PartialEq)]
pub struct Reflection {
    /// Reflection at normal incidence.
    pub min: Colour,
    /// Reflection at grazing incidence.
    pub max: Colour,
    /// `falloff` exponent between min and max.
    pub falloff: f64,
    /// `exponent` applied to the reflected light.
    pub exponent: f64,
    /// `metallic` amount tinting the reflection by the surface colour.
    pub metallic: f64,
    /// `fresnel` on.
    pub fresnel: bool,
}

impl Default for Reflection {
    fn default() -> Self {
        Self {
            min: Colour::BLACK,
            max: Colour::BLACK,
            falloff: 1.0,
            exponent: 1.0,
            metallic: 0.0,
            fresnel: false,
        }
    }
}

/// `finish { ... }` with POV-Ray 3.7's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Finish {
    /// `ambient` (default 0.1 grey).
    pub ambient: Colour,
    /// `emission` (default black).
    pub emission: Colour,
    /// `diffuse` (default 0.6).
    pub diffuse: f64,
    /// `diffuse a, b`: the diffuse light a surface gets from lights behind it.
    pub diffuse_back: f64,
    /// `brilliance` (default 1).
    pub brilliance: f64,
    /// `phong` (default 0).
    pub phong: f64,
    /// `phong_size` (default 40).
    pub phong_size: f64,
    /// `specular` (default 0).
    pub specular: f64,
    /// `roughness` (default 0.05).
    pub roughness: f64,
    /// `metallic` amount for highlights (default 0).
    pub metallic: f64,
    /// `reflection`.
    pub reflection: Reflection,
    /// `crand` (accepted; the renderer may ignore it).
    pub crand: f64,
    /// `conserve_energy`.
    pub conserve_energy: bool,
    /// `irid` amount: strength of the thin-film interference tint.
    pub irid: f64,
    /// `irid { thickness }` of the film.
    pub irid_thickness: f64,
    /// `irid { turbulence }` varying the film's thickness.
    pub irid_turbulence: f64,
    /// `subsurface { }`: light carried under the surface (used only when
    /// `global_settings` has a `subsurface` block too).
    pub subsurface: Option<Subsurface>,
}

/// A finish's `subsurface { translucency C anisotropy C }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Subsurface {
    /// `translucency`: per channel, the reciprocal of the reduced scattering
    /// coefficient in 1/mm (the mean distance light travels before it scatters).
    pub translucency: Colour,
    /// `anisotropy` (read; POV-Ray 3.7 does not use it either).
    pub anisotropy: Colour,
    /// `diffuse` as written, before `albedo` rescales it: the diffuse
    /// reflectance the scattering reproduces.
    pub raw_diffuse: f64,
}

impl Default for Subsurface {
    fn default() -> Self {
        Self {
            translucency: Colour::BLACK,
            anisotropy: Colour::BLACK,
            raw_diffuse: 0.6,
        }
    }
}

impl Default for Finish {
    fn default() -> Self {
        Self {
            ambient: Colour::rgb(0.1, 0.1, 0.1),
            emission: Colour::BLACK,
            diffuse: 0.6,
            diffuse_back: 0.0,
            brilliance: 1.0,
            phong: 0.0,
            phong_size: 40.0,
            specular: 0.0,
            roughness: 0.05,
            metallic: 0.0,
            reflection: Reflection::default(),
            crand: 0.0,
            conserve_energy: false,
            irid: 0.0,
            irid_thickness: 0.0,
            irid_turbulence: 0.0,
            subsurface: None,
        }
    }
}

/// One plain texture layer.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layer {
    /// Colour source.
    pub pigment: Pigment,
    /// Optional normal perturbation.
    pub normal: Option<Normal>,
    /// Surface finish.
    pub finish: Finish,
}

/// A texture: one layer, layers stacked bottom-first, or a pattern of textures.
// Built once per object at parse time; boxing the common plain layer would only
// add indirection to every match in the scene builder.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Texture {
    /// A plain texture.
    Plain(Layer),
    /// Layered textures, listed bottom layer first (POV-Ray draws later ones on top).
    Layered(Vec<Layer>),
    /// `texture_map` or a checker/hexagon/brick of textures.
    Map {
        /// The pattern.
        pattern: Pattern,
        /// Pattern space to world space.
        transform: Transform,
        /// The textures blended.
        map: Vec<MapEntry<Texture>>,
    },
}

impl Default for Texture {
    /// POV-Ray 3.7's default texture: black pigment, default finish, no normal.
    fn default() -> Self {
        Texture::Plain(Layer::default())
    }
}

/// `interior { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Interior {
    /// Index of refraction (default 1: no bending).
    pub ior: f64,
    /// `fade_distance` (0: no fading).
    pub fade_distance: f64,
    /// `fade_power`.
    pub fade_power: f64,
    /// `fade_color`.
    pub fade_colour: Colour,
    /// `caustics` (accepted).
    pub caustics: f64,
    /// `dispersion`: the ratio of violet's index to red's is its square (1: none).
    pub dispersion: f64,
    /// `dispersion_samples`: the wavelength bands a dispersive refraction is
    /// split into (at least 2, default 7).
    pub dispersion_samples: u32,
    /// `media` filling the object (seen only when it is `hollow`).
    pub media: Vec<super::media::Media>,
}

impl Default for Interior {
    fn default() -> Self {
        Self {
            ior: 1.0,
            fade_distance: 0.0,
            fade_power: 0.0,
            fade_colour: Colour::BLACK,
            caustics: 0.0,
            dispersion: 1.0,
            dispersion_samples: 7,
            media: Vec::new(),
        }
    }
}

impl Texture {
    /// Whether any pattern of the texture is `uv_mapping`ed, so its hits need
    /// their surface uv.
    pub fn uses_uv(&self) -> bool {
        match self {
            Texture::Plain(l) => l.uses_uv(),
            Texture::Layered(ls) => ls.iter().any(Layer::uses_uv),
            Texture::Map { pattern, map, .. } => {
                pattern.uv_mapping || map.iter().any(|e| e.item.uses_uv())
            }
        }
    }
}

impl Layer {
    fn uses_uv(&self) -> bool {
        self.pigment.uses_uv() || self.normal.as_ref().is_some_and(Normal::uses_uv)
    }
}

impl Pigment {
    fn uses_uv(&self) -> bool {
        match &self.kind {
            PigmentKind::Solid(_) => false,
            PigmentKind::ColourMap { pattern, .. } | PigmentKind::ImageMap(pattern) => {
                pattern.uv_mapping
            }
            PigmentKind::PigmentMap { pattern, map } => {
                pattern.uv_mapping || map.iter().any(|e| e.item.uses_uv())
            }
        }
    }
}

impl Normal {
    fn uses_uv(&self) -> bool {
        self.pattern.uv_mapping || self.map.iter().any(|e| e.item.uses_uv())
    }
}
