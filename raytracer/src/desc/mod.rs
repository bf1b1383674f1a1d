//! The scene description: plain data produced by the scene-language parser
//! ([`crate::sdl`]) and consumed by the scene builder ([`crate::scene`]).
//!
//! Nothing here renders or parses; it is the contract between the two halves. Values
//! are POV-Ray 3.7's after parsing: camera vectors final ([`Camera`]), lights and
//! objects in world space, transforms composed and flattened, textures inherited from
//! CSG parents and defaults applied (see [`object`]). Defaults are POV-Ray 3.7's.

pub mod atmosphere;
pub mod camera;
pub mod colour;
pub mod isosurface;
pub mod light;
pub mod media;
pub mod object;
pub mod outline;
pub mod photons;
pub mod poly_terms;
pub mod radiosity;
pub mod settings;
pub mod shapes;
pub mod texture;
pub mod transform;

pub use atmosphere::{Atmosphere, Fog, FogKind, Rainbow, SkySphere};
pub use camera::{Camera, Projection};
pub use colour::Colour;
pub use light::{AreaLight, Light, LightKind};
pub use media::{Media, Scattering};
pub use object::{CsgOp, Object, Shape};
pub use outline::{Glyph, GlyphSegment, Lathe, Polygon, Prism, Sor, SplineKind, Sweep};
pub use photons::{LightPhotons, ObjectPhotons, PhotonFile, Photons};
pub use radiosity::Radiosity;
pub use settings::{GlobalSettings, SubsurfaceSettings};
pub use texture::{
    ColourMap, Finish, Interior, Layer, MapEntry, Normal, Pigment, PigmentKind, Reflection,
    Subsurface, Texture,
};
pub use transform::Transform;

/// Everything a scene file describes.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SceneDesc {
    /// The (last) camera; POV-Ray's default camera if none was given.
    pub camera: Camera,
    /// Every light source, in world space (lights inside CSG are hoisted here).
    pub lights: Vec<Light>,
    /// Top-level objects in scene order.
    pub objects: Vec<Object>,
    /// `global_settings`.
    pub global: GlobalSettings,
    /// `background { colour }` (default black), already composed for output
    /// without alpha as POV-Ray 3.7 does when it parses it.
    pub background: Colour,
    /// `sky_sphere`, `fog`, `rainbow`.
    pub atmosphere: Atmosphere,
    /// The language version in effect at the end of the scene (`#version`, or the
    /// version given in the parse options).
    pub version: f64,
    /// True if the scene itself set `#version` (POV-Ray 3.7 treats scenes without
    /// it as legacy ones, e.g. for gamma handling).
    pub version_set: bool,
    /// The `light_group`s, numbered by their place here (see
    /// [`Light::group`] and [`Object::light_group`]).
    pub light_groups: Vec<LightGroup>,
}

/// A `light_group { }`: its lights light only its objects, which see the
/// scene's other lights only with `global_lights on`.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct LightGroup {
    /// `global_lights`: the group's objects are lit by the global lights too.
    pub global_lights: bool,
}
