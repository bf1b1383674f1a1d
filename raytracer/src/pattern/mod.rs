//! POV-Ray 3.7's patterns, noise and turbulence, as plain data plus pure functions.
//!
//! A [`Pattern`] describes one pattern block of a pigment or normal: its kind and
//! parameters, optional classic turbulence, the wave shaping (ramp, sine, ...,
//! frequency, phase) and the noise generator. It is plain data so the scene
//! description can hold it, and every evaluation is a pure function of the point,
//! so a pixel gets the same value whatever thread or host renders it.
//!
//! # Spaces and ranges
//!
//! Every function here takes the point in *pattern space*: the caller has already
//! applied the inverse of the pattern's own transform (the `scale`, `rotate`,
//! `translate` written inside the pigment/normal block, after the object's ones),
//! exactly as POV-Ray transforms the intersection point before evaluating a pattern.
//! Turbulence is applied here, inside [`Pattern::value`], because POV-Ray applies it
//! in pattern space after that transform.
//!
//! * Continuous patterns ([`PatternKind::is_discrete`] is false) give a value in
//!   `[0, 1]` after frequency, phase and wave shaping, ready to be looked up in a
//!   colour map by the caller.
//! * Discrete patterns (checker, hexagon, brick) give the index of the colour as a
//!   float: checker `0.0`/`1.0`, hexagon `0.0`/`1.0`/`2.0`, brick `0.0` for the
//!   mortar (its first colour) and `1.0` for the brick.
//!
//! Normal perturbation ([`Pattern::perturb_normal`]) also works in pattern space:
//! the normal is given and returned in pattern space (the caller maps it with the
//! inverse-transpose of the pattern transform, as for any normal) and the result
//! is normalised.
//!
//! # Modules
//!
//! `noise` (the generators and their tables), `turbulence`, `wave` (frequency,
//! phase and wave types), `discrete` (checker, hexagon, brick), `geometric`
//! (gradient, onion, radial, leopard, quilted, density shapes), `noise_patterns`
//! (agate, marble, wood, granite, wrinkles, dents, spirals, ripples, waves),
//! `cells` (cells, crackle), `random` (the pattern random numbers), `normal`
//! (normal perturbation), `warp` (the `warp { }` list), `surface` (slope and aoi,
//! which read the hit), `solid` (the object of `object { }`), `fractal` (mandel, julia, magnet), `tiling` (the 27
//! tilings of `tiling N`) and `pavement` (tiles of 1 to 6 squares, triangles or hexagons).

mod cells;
pub mod density_file;
mod discrete;
pub mod fractal;
mod geometric;
pub mod image;
mod noise;
mod noise_patterns;
pub mod normal;
pub mod pavement;
mod random;
pub mod solid;
pub mod surface;
pub mod tiling;
mod turbulence;
pub mod warp;
mod wave;

pub(crate) use noise::hash_entry;

use glam::DVec3;

use crate::function::FunctionRef;
pub use fractal::Fractal;
pub use surface::{Slope, Surface};
pub use warp::{Warp, WarpKind};

pub use noise::{dnoise, noise};
pub use noise_patterns::{MAX_WAVE_COUNT, WAVE_COUNT};
pub use turbulence::{dturbulence, turbulence};

/// Which of POV-Ray 3.7's noise functions a pattern uses (`noise_generator 1|2|3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum NoiseGenerator {
    /// 1: the original noise of POV-Ray 3.1 and earlier, with its plateaus at the ends.
    Original,
    /// 2: the original noise with its range corrected to fill [0, 1] (3.7's default).
    #[default]
    RangeCorrected,
    /// 3: Ken Perlin's gradient ("solid") noise.
    Perlin,
}

impl NoiseGenerator {
    /// The generator for the number written after `noise_generator`, if valid.
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Original),
            2 => Some(Self::RangeCorrected),
            3 => Some(Self::Perlin),
            _ => None,
        }
    }
}

/// Classic turbulence (`turbulence`, `octaves`, `omega`, `lambda`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Turbulence {
    /// The displacement strength per axis (`turbulence 0.3` is `<0.3, 0.3, 0.3>`).
    pub amount: DVec3,
    /// Number of noise octaves summed (default 6, POV-Ray clamps to 1..=10).
    pub octaves: u32,
    /// Amplitude factor between octaves (default 0.5).
    pub omega: f64,
    /// Frequency factor between octaves (default 2).
    pub lambda: f64,
}

impl Turbulence {
    /// Turbulence of the given strength with POV-Ray's default octaves/omega/lambda.
    pub fn new(amount: DVec3) -> Self {
        Self {
            amount,
            octaves: 6,
            omega: 0.5,
            lambda: 2.0,
        }
    }
}

impl Default for Turbulence {
    fn default() -> Self {
        Self::new(DVec3::ZERO)
    }
}

/// How the raw pattern value is shaped before the colour-map lookup.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum WaveType {
    /// Saw-tooth: the value wraps from 1 back to 0 (the default).
    #[default]
    Ramp,
    /// `(sin(2πv) + 1) / 2`.
    Sine,
    /// Goes 0 → 1 → 0 over one period.
    Triangle,
    /// `|sin(πv)|`.
    Scallop,
    /// Smooth cubic ease `3v² − 2v³`.
    Cubic,
    /// `v^exponent` (`poly_wave exponent`, default 1).
    Poly(f64),
}

/// Crackle's parameters (`form`, `metric`, `offset`, `solid`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CrackleParams {
    /// Weights of the nearest, second and third cell distances (default `<-1, 1, 0>`).
    pub form: DVec3,
    /// Minkowski metric exponent (default 2, Euclidean; `metric` may be written
    /// as a vector, of which POV-Ray uses the x component).
    pub metric: f64,
    /// Added to each of the three distances before they are weighted (default 0).
    pub offset: f64,
    /// Give each cell one constant value instead of the crack distance.
    pub solid: bool,
}

impl Default for CrackleParams {
    fn default() -> Self {
        Self {
            form: DVec3::new(-1.0, 1.0, 0.0),
            metric: 2.0,
            offset: 0.0,
            solid: false,
        }
    }
}

/// The `facets` normal's parameters (`coords`, `size`, `metric`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FacetsParams {
    /// 0: facets follow the normal; otherwise they follow the point, and this
    /// weighs the noise gradient that tilts each facet.
    pub coords: f64,
    /// Cell size (default 0.1).
    pub size: f64,
    /// Minkowski metric exponent (default 2).
    pub metric: f64,
}

impl Default for FacetsParams {
    fn default() -> Self {
        Self {
            coords: 0.0,
            size: 0.1,
            metric: 2.0,
        }
    }
}

/// The pattern kinds and their own parameters.
#[derive(Clone, Debug, PartialEq)]
pub enum PatternKind {
    /// 3-D checkerboard of unit cubes; index 0 or 1.
    Checker,
    /// Hexagonal tiling of the x-z plane; index 0, 1 or 2.
    Hexagon,
    /// Brick wall; index 0 = mortar, 1 = brick. Defaults: size `<8, 3, 4.5>`, mortar 0.5.
    Brick { size: DVec3, mortar: f64 },
    /// Linear ramp along `axis`.
    Gradient { axis: DVec3 },
    /// Smooth noise (bozo).
    Bozo,
    /// Smooth noise (identical to bozo in 3.7).
    Spotted,
    /// Agate; `agate_turb` defaults to 1.
    Agate { turb: f64 },
    /// Marble: a triangle-wave ramp along x, disturbed by turbulence.
    Marble,
    /// Wood: concentric cylinders about z, disturbed by turbulence.
    Wood,
    /// Granite: fractal sum of the absolute noise.
    Granite,
    /// Leopard: spots from a sum of sines.
    Leopard,
    /// Onion: concentric spheres.
    Onion,
    /// Radial: angle around the y axis.
    Radial,
    /// Ripples: concentric waves from random centres (also a normal).
    Ripples,
    /// Waves: like ripples but with varying amplitudes (also a normal).
    Waves,
    /// Bumps: plain noise (as a normal: noise-driven perturbation).
    Bumps,
    /// Wrinkles: turbulence-like noise sum (also a normal).
    Wrinkles,
    /// Dents: cubed noise (also a normal).
    Dents,
    /// Crackle: Voronoi cells.
    Crackle(CrackleParams),
    /// Spherical: 1 at the origin falling to 0 at distance 1.
    Spherical,
    /// Cylindrical: 1 on the y axis falling to 0 at distance 1.
    Cylindrical,
    /// Boxed: 1 at the origin falling to 0 on the unit cube.
    Boxed,
    /// Planar: 1 on the x-z plane falling to 0 at |y| = 1.
    Planar,
    /// Cells: one random value per unit cube.
    Cells,
    /// Quilted: cushions in every unit cube, shaped by `control0`/`control1`
    /// (both default 1). Like the discrete patterns it ignores frequency/phase.
    Quilted { control0: f64, control1: f64 },
    /// Spiral1: a spiral ramp around the z axis with `arms` arms.
    Spiral1 { arms: i32 },
    /// Spiral2: two crossing spirals around the z axis with `arms` arms.
    Spiral2 { arms: i32 },
    /// `function { ... }`: a user-defined function of the point, values above 1
    /// wrapped into [0, 1) as POV-Ray does before the wave shaping.
    Function(FunctionRef),
    /// The fractals: mandel, julia and magnet sets in the x-y plane.
    Mandel(Fractal),
    /// An image used by `image_map`, `bump_map` or `material_map` (POV-Ray's
    /// bitmap pattern): as a value it gives the material number.
    ImageMap(image::ImageMap),
    /// `image_pattern`: the image's grey, index or alpha as the value.
    ImagePattern(image::ImageMap),
    /// `density_file df3 "file"`: voxels filling the unit cube.
    DensityFile(density_file::DensityFile),
    /// `slope`: the surface normal's angle to a direction, perhaps with altitude.
    Slope(Slope),
    /// `aoi`: the angle of incidence of the ray on the surface.
    Aoi,
    /// `facets`: a normal-only pattern of flat facets; 0 as a value.
    Facets(FacetsParams),
    /// `object { O }`: 1 inside the object, 0 outside; discrete, two colours.
    Object(solid::SolidRef),
    /// `tiling N`: one of POV-Ray 3.7's 27 tilings of the x-z plane (1..=27).
    Tiling(u8),
    /// `pavement`: tiles of 1 to 6 squares, triangles or hexagons (see `pavement`).
    Pavement(pavement::Pavement),
    /// `average`: no value of its own. A map under it blends every entry by the
    /// weight written in place of the entry's value (see `scene::material`).
    Average,
}

impl PatternKind {
    /// True for patterns that pick a colour by index instead of a colour map.
    pub fn is_discrete(&self) -> bool {
        matches!(
            self,
            Self::Checker
                | Self::Hexagon
                | Self::Brick { .. }
                | Self::ImageMap(_)
                | Self::Object(_)
        )
    }

    /// How many colours a discrete pattern chooses from (0 for continuous ones).
    pub fn colour_count(&self) -> usize {
        match self {
            Self::Checker | Self::Brick { .. } | Self::Object(_) => 2,
            Self::Hexagon => 3,
            _ => 0,
        }
    }

    /// POV-Ray's default quilted pattern.
    pub fn default_quilted() -> Self {
        Self::Quilted {
            control0: 1.0,
            control1: 1.0,
        }
    }

    /// POV-Ray's default brick.
    pub fn default_brick() -> Self {
        Self::Brick {
            size: DVec3::new(8.0, 3.0, 4.5),
            mortar: 0.5,
        }
    }
}

/// One pattern with everything needed to evaluate it at a point.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    /// What pattern and its own parameters.
    pub kind: PatternKind,
    /// Classic turbulence, if any was given.
    pub turbulence: Option<Turbulence>,
    /// Wave shaping (ignored by discrete patterns).
    pub wave: WaveType,
    /// `frequency` (default 1; ignored by discrete patterns).
    pub frequency: f64,
    /// `phase` (default 0; ignored by discrete patterns).
    pub phase: f64,
    /// The pattern's own `noise_generator`; `None` means the global setting, which
    /// the scene builder fills in with [`Pattern::resolve_noise_generator`].
    pub noise_generator: Option<NoiseGenerator>,
    /// `warp { }` statements in the order written (see [`warp`]).
    pub warps: Vec<Warp>,
    /// `uv_mapping`: the pattern is evaluated at the hit's surface uv, <u, v, 0>,
    /// instead of the point in space (its transform maps from uv space).
    pub uv_mapping: bool,
    /// How many wave sources ripples and waves sum (the scene's
    /// `number_of_waves`, default 10, at most [`MAX_WAVE_COUNT`]).
    pub wave_count: usize,
}

impl Pattern {
    /// A pattern of the given kind with every other setting at POV-Ray's default
    /// for that kind (marble and wood default to the triangle wave; discrete kinds
    /// ignore frequency, phase and wave).
    pub fn new(kind: PatternKind) -> Self {
        let wave = match &kind {
            PatternKind::Marble
            | PatternKind::Wood
            | PatternKind::Spiral1 { .. }
            | PatternKind::Spiral2 { .. } => WaveType::Triangle,
            _ => WaveType::Ramp,
        };
        // Quilted, like the discrete patterns, is used unwrapped.
        let frequency = match &kind {
            PatternKind::Quilted { .. } => 0.0,
            _ => 1.0,
        };
        Self {
            kind,
            turbulence: None,
            wave,
            frequency,
            phase: 0.0,
            noise_generator: None,
            warps: Vec::new(),
            uv_mapping: false,
            wave_count: WAVE_COUNT,
        }
    }

    /// Use `global` (from `global_settings { noise_generator }`) unless the pattern
    /// chose its own generator.
    pub fn resolve_noise_generator(&mut self, global: NoiseGenerator) {
        self.noise_generator.get_or_insert(global);
    }

    /// The wave sources ripples and waves use, kept within the table.
    fn waves(&self) -> usize {
        self.wave_count.clamp(1, MAX_WAVE_COUNT)
    }

    /// The generator in effect (3.7's default, range-corrected, if unresolved).
    fn generator(&self) -> NoiseGenerator {
        self.noise_generator.unwrap_or_default()
    }

    /// The pattern's value at `p` (pattern space, see the module doc).
    ///
    /// Continuous patterns return `[0, 1]` after wave shaping (at most 1.00001,
    /// POV-Ray's wrap modulus); discrete ones return the colour index.
    pub fn value(&self, p: DVec3) -> f64 {
        self.value_on(p, None)
    }

    /// [`Pattern::value`] at a surface hit, which the surface patterns (slope,
    /// aoi) read; the others ignore it.
    pub fn value_on(&self, p: DVec3, hit: Option<&Surface>) -> f64 {
        if let Some(x) = self.marble_x(p) {
            return wave::shape(x, self.wave, self.frequency, self.phase);
        }
        self.value_unwarped(self.displace(p), hit)
    }

    /// Marble without turbulence of its own reads only the x of its warped
    /// point; under a single turbulence warp that x costs a third of the full
    /// vector turbulence (see [`Warp::apply_x`]). None when that does not hold.
    fn marble_x(&self, p: DVec3) -> Option<f64> {
        match (&self.kind, &self.turbulence, self.warps.as_slice()) {
            (PatternKind::Marble, None, [w]) => w.apply_x(p),
            _ => None,
        }
    }

    /// The point the pattern proper sees: `p` after every `warp { }` (the last
    /// written acting first) and then classic turbulence.
    pub fn displace(&self, p: DVec3) -> DVec3 {
        let q = self.warps.iter().rev().fold(p, |q, w| w.apply(q));
        self.warp(q)
    }

    /// True when [`Pattern::displace`] can move a point.
    pub fn displaces(&self) -> bool {
        !self.warps.is_empty()
            || (self.turbulence.is_some()
                && !matches!(self.kind, PatternKind::Marble | PatternKind::Wood))
    }

    /// The value at an already turbulence-displaced point: POV-Ray's pattern
    /// evaluation proper, which slope normals call on points around a displaced
    /// centre.
    fn value_unwarped(&self, p: DVec3, hit: Option<&Surface>) -> f64 {
        let gen = self.generator();
        if let PatternKind::ImageMap(m) = &self.kind {
            return m.material_index(p);
        }
        if let PatternKind::Object(s) = &self.kind {
            return s.index(p);
        }
        if self.kind.is_discrete() {
            return discrete::index(&self.kind, p);
        }
        let raw = self.raw_value(p, gen, hit);
        wave::shape(raw, self.wave, self.frequency, self.phase)
    }

    /// The unshaped pattern value (before frequency/phase/wave).
    fn raw_value(&self, p: DVec3, gen: NoiseGenerator, hit: Option<&Surface>) -> f64 {
        let turb = self.turbulence.as_ref();
        match self.kind {
            PatternKind::Function(ref f) => function_value(f, p),
            PatternKind::Gradient { axis } => geometric::gradient(p, axis),
            PatternKind::Bozo | PatternKind::Spotted | PatternKind::Bumps => noise::noise(p, gen),
            PatternKind::Agate { turb: scale } => noise_patterns::agate(p, turb, scale, gen),
            PatternKind::Marble => noise_patterns::marble(p, turb, gen),
            PatternKind::Wood => noise_patterns::wood(p, turb),
            PatternKind::Granite => noise_patterns::granite(p, gen),
            PatternKind::Leopard => geometric::leopard(p),
            PatternKind::Onion => geometric::onion(p),
            PatternKind::Radial => geometric::radial(p),
            PatternKind::Ripples => {
                noise_patterns::ripples(p, self.frequency, self.phase, self.waves())
            }
            PatternKind::Waves => {
                noise_patterns::waves(p, self.frequency, self.phase, self.waves())
            }
            PatternKind::Wrinkles => noise_patterns::wrinkles(p, gen),
            PatternKind::Dents => noise_patterns::dents(p, gen),
            PatternKind::Crackle(params) => cells::crackle(p, &params, gen),
            PatternKind::Spherical => geometric::spherical(p),
            PatternKind::Cylindrical => geometric::cylindrical(p),
            PatternKind::Boxed => geometric::boxed(p),
            PatternKind::Planar => geometric::planar(p),
            PatternKind::Cells => cells::cells(p),
            PatternKind::Quilted { control0, control1 } => {
                geometric::quilted(p, control0, control1)
            }
            PatternKind::Spiral1 { arms } => noise_patterns::spiral1(p, arms, turb, gen),
            PatternKind::Spiral2 { arms } => noise_patterns::spiral2(p, arms, turb, gen),
            PatternKind::Mandel(f) => fractal::value(p, &f),
            PatternKind::ImagePattern(ref m) => m.pattern_value(p),
            PatternKind::DensityFile(ref d) => d.value(p),
            PatternKind::ImageMap(ref m) => m.material_index(p),
            PatternKind::Slope(ref s) => s.value(p, hit),
            PatternKind::Aoi => surface::aoi(hit),
            PatternKind::Tiling(n) => tiling::tiling(n, p),
            PatternKind::Pavement(ref pv) => pv.value(p),
            PatternKind::Object(ref s) => s.index(p),
            // Normal-only: POV-Ray refuses it in pigments.
            PatternKind::Facets(_) => 0.0,
            // Never looked up: its maps are averaged, not indexed.
            PatternKind::Average => 0.0,
            PatternKind::Checker | PatternKind::Hexagon | PatternKind::Brick { .. } => {
                discrete::index(&self.kind, p)
            }
        }
    }

    /// Applies classic turbulence as a displacement of the point. Marble and wood
    /// fold turbulence into their own formulas instead, as POV-Ray does.
    pub(crate) fn warp(&self, p: DVec3) -> DVec3 {
        match (&self.turbulence, &self.kind) {
            (_, PatternKind::Marble | PatternKind::Wood) | (None, _) => p,
            (Some(t), _) => p + turbulence::dturbulence(p, t) * t.amount,
        }
    }

    /// The image of an `image_map`, `bump_map` or `material_map` pattern.
    pub fn image_map(&self) -> Option<&image::ImageMap> {
        if let PatternKind::ImageMap(m) = &self.kind {
            Some(m)
        } else {
            None
        }
    }

    /// Perturbs the surface normal `n` at `p` by this pattern used as a normal
    /// (`normal { bumps 0.5 }`), with `amount` the bump size.
    ///
    /// `p` and `n` are in pattern space: the caller maps the (unit) world normal
    /// with the transpose of the linear part `L` of the pattern-to-world transform
    /// and normalises it; the result is normalised and maps back with `L⁻ᵀ`
    /// (normalise again), as POV-Ray's normal warps do.
    pub fn perturb_normal(&self, p: DVec3, n: DVec3, amount: f64) -> DVec3 {
        normal::perturb(self, p, n, amount, &normal::Slope::DEFAULT)
    }

    /// [`Pattern::perturb_normal`] with a normal block's `accuracy` and `slope_map`.
    pub fn perturb_normal_with(
        &self,
        p: DVec3,
        n: DVec3,
        amount: f64,
        slope: &normal::Slope,
    ) -> DVec3 {
        normal::perturb(self, p, n, amount, slope)
    }
}

/// A function pattern's raw value: POV-Ray wraps values above 1 (only those).
#[inline(never)]
fn function_value(f: &FunctionRef, p: DVec3) -> f64 {
    let v = f.eval_point(p);
    if v > 1.0 {
        v % 1.0
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marble_under_one_turbulence_warp_takes_the_x_only_path_unchanged() {
        use glam::DMat4;
        let mut t = Turbulence::new(DVec3::new(1.65, 0.7, 2.0));
        t.octaves = 7;
        let scaled = DMat4::from_scale(DVec3::new(2.0, 0.5, 3.0))
            * DMat4::from_translation(DVec3::new(1.0, -2.0, 0.25));
        let rotated = DMat4::from_rotation_z(0.4);
        for m in [DMat4::IDENTITY, scaled, rotated] {
            let mut marble = Pattern::new(PatternKind::Marble);
            marble.noise_generator = Some(NoiseGenerator::Original);
            marble
                .warps
                .push(Warp::new(WarpKind::Turbulence(t), m, m.inverse()));
            assert_eq!(marble.marble_x(DVec3::ONE).is_some(), m != rotated);
            for i in 0..300 {
                let f = f64::from(i);
                let p = DVec3::new(f * 0.173 - 20.0, 4.0 - f * 0.061, f * 0.029);
                let general = marble.value_unwarped(marble.displace(p), None);
                assert_eq!(marble.value(p), general, "{m} {p}");
            }
        }
    }

    fn every_kind() -> Vec<PatternKind> {
        vec![
            PatternKind::Checker,
            PatternKind::Hexagon,
            PatternKind::default_brick(),
            PatternKind::Gradient { axis: DVec3::Y },
            PatternKind::Gradient { axis: DVec3::ZERO },
            PatternKind::Bozo,
            PatternKind::Spotted,
            PatternKind::Agate { turb: 1.0 },
            PatternKind::Marble,
            PatternKind::Wood,
            PatternKind::Granite,
            PatternKind::Leopard,
            PatternKind::Onion,
            PatternKind::Radial,
            PatternKind::Ripples,
            PatternKind::Waves,
            PatternKind::Bumps,
            PatternKind::Wrinkles,
            PatternKind::Dents,
            PatternKind::Crackle(CrackleParams::default()),
            PatternKind::Spherical,
            PatternKind::Cylindrical,
            PatternKind::Boxed,
            PatternKind::Planar,
            PatternKind::Cells,
            PatternKind::default_quilted(),
            PatternKind::Spiral1 { arms: 3 },
            PatternKind::Spiral2 { arms: 5 },
            PatternKind::Tiling(5),
            PatternKind::Tiling(27),
            PatternKind::Pavement(pavement::Pavement::default()),
            PatternKind::Mandel(Fractal {
                iterations: 30,
                ..Fractal::default()
            }),
        ]
    }

    #[test]
    fn no_panic_on_extreme_points() {
        let points = [
            DVec3::ZERO,
            DVec3::splat(1.0e12),
            DVec3::splat(-1.0e12),
            DVec3::new(f64::NAN, 0.0, 0.0),
            DVec3::splat(f64::INFINITY),
            DVec3::splat(f64::NEG_INFINITY),
        ];
        for kind in every_kind() {
            for gen in [
                NoiseGenerator::Original,
                NoiseGenerator::RangeCorrected,
                NoiseGenerator::Perlin,
            ] {
                let mut pat = Pattern::new(kind.clone());
                pat.noise_generator = Some(gen);
                pat.turbulence = Some(Turbulence::new(DVec3::splat(0.5)));
                for p in points {
                    let _ = pat.value(p);
                    let _ = pat.perturb_normal(p, DVec3::Y, 0.5);
                }
            }
        }
    }

    #[test]
    fn continuous_values_stay_in_the_colour_map_range() {
        for kind in every_kind().into_iter().filter(|k| !k.is_discrete()) {
            let pat = Pattern::new(kind.clone());
            for i in 0..500 {
                let f = f64::from(i);
                let p = DVec3::new(f * 0.31 - 70.0, f * -0.17 + 3.0, f * 0.07);
                let v = pat.value(p);
                assert!((0.0..=1.00001).contains(&v), "{kind:?} at {p}: {v}");
            }
        }
    }

    #[test]
    fn discrete_values_are_colour_indices() {
        for kind in every_kind().into_iter().filter(PatternKind::is_discrete) {
            let pat = Pattern::new(kind.clone());
            for i in 0..500 {
                let f = f64::from(i);
                let v = pat.value(DVec3::new(f * 0.37 - 90.0, f * 0.13, -f * 0.29));
                assert!(
                    v.fract() == 0.0 && (v as usize) < kind.colour_count(),
                    "{kind:?}: {v}"
                );
            }
        }
    }

    #[test]
    fn turbulence_displaces_but_marble_and_wood_fold_it_in() {
        let p = DVec3::new(0.3, 0.7, 1.1);
        let mut bozo = Pattern::new(PatternKind::Bozo);
        let plain = bozo.value(p);
        bozo.turbulence = Some(Turbulence::new(DVec3::splat(1.0)));
        assert_ne!(plain, bozo.value(p));
        let mut marble = Pattern::new(PatternKind::Marble);
        assert_eq!(marble.wave, WaveType::Triangle);
        let plain = marble.value(p);
        marble.turbulence = Some(Turbulence::new(DVec3::splat(1.0)));
        assert_ne!(plain, marble.value(p));
    }

    #[test]
    fn waves_and_ripples_sum_number_of_waves_sources() {
        let p = DVec3::new(0.3, 0.7, 1.1);
        for kind in [PatternKind::Waves, PatternKind::Ripples] {
            let ten = Pattern::new(kind.clone());
            assert_eq!(ten.wave_count, WAVE_COUNT);
            let mut one = Pattern::new(kind.clone());
            one.wave_count = 1;
            assert_ne!(ten.value(p), one.value(p), "{kind:?}");
            assert_ne!(
                ten.perturb_normal(p, DVec3::Y, 0.5),
                one.perturb_normal(p, DVec3::Y, 0.5),
                "{kind:?}"
            );
            // Out of range counts stay within the source table.
            one.wave_count = usize::MAX;
            assert!(one.value(p).is_finite());
        }
    }

    #[test]
    fn resolve_keeps_an_explicit_generator() {
        let mut a = Pattern::new(PatternKind::Bozo);
        a.resolve_noise_generator(NoiseGenerator::Original);
        assert_eq!(a.noise_generator, Some(NoiseGenerator::Original));
        let mut b = Pattern::new(PatternKind::Bozo);
        b.noise_generator = Some(NoiseGenerator::Perlin);
        b.resolve_noise_generator(NoiseGenerator::Original);
        assert_eq!(b.noise_generator, Some(NoiseGenerator::Perlin));
    }

    #[test]
    fn perturbed_normals_are_unit_and_bent() {
        let n = DVec3::Z;
        for kind in [
            PatternKind::Bumps,
            PatternKind::Dents,
            PatternKind::Wrinkles,
            PatternKind::Ripples,
            PatternKind::Waves,
            PatternKind::Granite,
        ] {
            let pat = Pattern::new(kind.clone());
            let mut bent = 0;
            for i in 0..50 {
                let p = DVec3::new(f64::from(i) * 0.23, 0.4, 0.9);
                let out = pat.perturb_normal(p, n, 0.5);
                assert!((out.length() - 1.0).abs() < 1e-9, "{kind:?}");
                if out.dot(n) < 1.0 - 1e-6 {
                    bent += 1;
                }
            }
            assert!(bent > 25, "{kind:?} barely perturbs the normal");
        }
    }
}
