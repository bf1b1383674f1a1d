//! Surfaces as the renderer evaluates them: pigments, normal perturbations, finishes,
//! layered and mapped textures, and the interior.
//!
//! Built from the description's textures with every pattern transform turned into a
//! precomputed world-to-pattern map, so evaluating a pattern at a hit costs one affine
//! transform and no inversion.

use glam::{DAffine3, DMat3, DVec2, DVec3};

use crate::desc::{self, Colour, Finish, Interior};
use crate::pattern::normal::{search_map, Slope};
use crate::pattern::{turbulence, NoiseGenerator, Pattern, PatternKind, Surface, Turbulence};

/// A pattern with the map from world space into its own space.
#[derive(Clone, Debug)]
pub struct PlacedPattern {
    pub pattern: Pattern,
    to_pattern: DAffine3,
    to_world: DAffine3,
    /// Carries pattern-space normals back to world space.
    normal_to_world: DMat3,
    /// Carries world normals into pattern space.
    normal_to_pattern: DMat3,
    /// `uv_mapping`: evaluated at the hit's uv rather than the point.
    uv: bool,
}

impl PlacedPattern {
    pub(crate) fn new(mut pattern: Pattern, xf: &desc::Transform, gen: NoiseGenerator) -> Self {
        pattern.resolve_noise_generator(gen);
        let to_pattern = DAffine3::from_mat4(xf.inverse);
        let to_world = DAffine3::from_mat4(xf.matrix);
        PlacedPattern {
            to_pattern,
            to_world,
            normal_to_world: to_pattern.matrix3.transpose(),
            normal_to_pattern: to_world.matrix3.transpose(),
            uv: pattern.uv_mapping,
            pattern,
        }
    }

    /// Where the pattern is evaluated: the hit's <u, v, 0> for a uv-mapped
    /// pattern at a hit that has one, else `world`.
    #[inline]
    fn point_for(&self, world: DVec3, hit: Option<&Surface>) -> DVec3 {
        match hit.and_then(|h| h.uv) {
            Some(uv) if self.uv => uv_point(uv),
            _ => world,
        }
    }

    /// Out of line: the pattern code is large, and its result is a register.
    #[inline(never)]
    pub fn value_at(&self, world: DVec3) -> f64 {
        self.value_on(world, None)
    }

    /// [`PlacedPattern::value_at`] at a surface hit (for slope and aoi).
    #[inline(never)]
    pub fn value_on(&self, world: DVec3, hit: Option<&Surface>) -> f64 {
        let p = self.point_for(world, hit);
        self.pattern
            .value_on(self.to_pattern.transform_point3(p), hit)
    }

    /// Where the entries of this pattern's map are evaluated: POV-Ray hands them
    /// the point after the pattern's warps and turbulence. Entries carry their
    /// whole transform to world space, so the displaced point goes back there.
    #[inline]
    pub fn entry_point(&self, world: DVec3) -> DVec3 {
        if !self.pattern.displaces() {
            return world;
        }
        let q = self
            .pattern
            .displace(self.to_pattern.transform_point3(world));
        self.to_world.transform_point3(q)
    }

    /// An image pattern's colour at `world` (black for any other pattern).
    #[inline(never)]
    pub fn image_colour_at(&self, world: DVec3) -> Colour {
        let Some(image) = self.pattern.image_map() else {
            return Colour::BLACK;
        };
        let q = self
            .pattern
            .displace(self.to_pattern.transform_point3(world));
        Colour::from_array(image.colour(q))
    }
}

/// What a pigment evaluates to.
#[derive(Clone, Debug)]
pub enum Pigment {
    Solid(Colour),
    ColourMap {
        pattern: PlacedPattern,
        map: Vec<(f64, Colour)>,
    },
    PigmentMap {
        pattern: PlacedPattern,
        map: Vec<(f64, Pigment)>,
    },
    /// `image_map`: the pattern is an image (see [`PlacedPattern::image_colour_at`]).
    ImageMap(PlacedPattern),
    /// `average`: every entry's colour, weighted by its value.
    Average {
        pattern: PlacedPattern,
        map: Averaged<Pigment>,
    },
    /// `uv_mapping`: the pigment evaluated at the hit's <u, v, 0>.
    Uv(Box<Pigment>),
}

/// The point a uv-mapped pattern is evaluated at.
#[inline]
fn uv_point(uv: DVec2) -> DVec3 {
    DVec3::new(uv.x, uv.y, 0.0)
}

/// The entries of an `average` map with their weights already divided by the
/// total, so evaluation is one weighted sum.
#[derive(Clone, Debug)]
pub struct Averaged<T> {
    pub entries: Vec<(f64, T)>,
}

impl<T> Averaged<T> {
    /// Normalises the weights. POV-Ray divides by the total even when it is zero
    /// (an image of NaN); a zero total gives black here, with no division.
    fn new(entries: Vec<(f64, T)>) -> Self {
        let total: f64 = entries.iter().map(|(w, _)| w).sum();
        let scale = if total == 0.0 { 0.0 } else { 1.0 / total };
        Averaged {
            entries: entries.into_iter().map(|(w, t)| (w * scale, t)).collect(),
        }
    }

    /// The weighted sum of `eval` over the entries.
    pub fn sum<V>(&self, zero: V, mut eval: impl FnMut(&T) -> V) -> V
    where
        V: std::ops::Add<Output = V> + std::ops::Mul<f64, Output = V>,
    {
        self.entries
            .iter()
            .fold(zero, |acc, (w, t)| acc + eval(t) * *w)
    }
}

/// A normal perturbation.
#[derive(Clone, Debug)]
pub struct Bump {
    pub pattern: PlacedPattern,
    pub amount: f64,
    /// `accuracy`: the distance between slope samples.
    pub delta: f64,
    /// `slope_map` entries: value, (height, slope).
    pub slope_map: Vec<(f64, (f64, f64))>,
    /// `normal_map` entries: the pattern blends their perturbed normals.
    pub map: Vec<(f64, Bump)>,
}

#[derive(Clone, Debug)]
pub struct Layer {
    pub pigment: Pigment,
    pub normal: Option<Bump>,
    pub finish: Finish,
}

#[derive(Clone, Debug)]
pub enum Texture {
    /// Layers bottom first; a plain texture is one layer.
    Layers(Vec<Layer>),
    Map {
        pattern: Box<PlacedPattern>,
        map: Vec<(f64, Texture)>,
    },
    /// `average`: every entry shaded, weighted by its value.
    Average(Averaged<Texture>),
    /// A blob whose components carry textures: every texture shaded, weighted
    /// by its components' share of the field at the point.
    Blob(Box<BlobTextures>),
}

/// The textures of a blob's components and the field that weighs them, as
/// POV-Ray's blob blends them: each element of the blob whose field reaches
/// the point adds its component's texture (the blob's own for a component
/// without one) with its field strength as weight, and the weights are
/// divided by their sum.
#[derive(Clone, Debug)]
pub struct BlobTextures {
    field: crate::scene::shapes::blob::Blob,
    /// From world space into the blob's.
    to_blob: Option<super::transform::Transform>,
    /// The blob's own texture first, then the components' own textures.
    textures: Vec<Texture>,
    /// Per component as written, its index in `textures`.
    of_component: Vec<usize>,
}

impl BlobTextures {
    /// `textures[0]` is the blob's own texture; `of_component[c]` the texture
    /// of component `c`.
    pub fn new(
        field: crate::scene::shapes::blob::Blob,
        to_blob: Option<super::transform::Transform>,
        textures: Vec<Texture>,
        of_component: Vec<usize>,
    ) -> Self {
        Self {
            field,
            to_blob,
            textures,
            of_component,
        }
    }

    /// The textures at world point `p` with their weights (summing to 1), one
    /// entry per element of the blob whose field reaches `p`.
    pub fn weighted(&self, p: DVec3) -> Vec<(f64, &Texture)> {
        let local = self.to_blob.as_ref().map_or(p, |t| t.point_to_object(p));
        let mut weights = Vec::new();
        self.field.texture_weights(local, &mut weights);
        weights
            .into_iter()
            .map(|(c, w)| {
                let i = self.of_component.get(c as usize).copied().unwrap_or(0);
                (w, &self.textures[i])
            })
            .collect()
    }

    fn all(&self) -> impl Iterator<Item = &Texture> {
        self.textures.iter()
    }
}

/// Everything the shader needs about a primitive's surface and inside.
#[derive(Clone, Debug)]
pub struct Material {
    pub texture: Texture,
    /// `interior_texture`: what a ray sees where it meets the surface from inside
    /// (its normal pointing away from the ray, as POV-Ray decides).
    pub interior_texture: Option<Texture>,
    pub interior: Option<Interior>,
    /// True when no point of the texture lets light through (every colour it can
    /// take has zero filter and transmit): a shadow ray that meets it is blocked
    /// without evaluating its pattern, with the same zero the evaluation would give.
    pub opaque: bool,
    /// `hollow`: fog and atmosphere reach inside (solid objects keep them out).
    pub hollow: bool,
    /// Some pattern of a texture is uv-mapped: hits need their surface uv.
    pub uses_uv: bool,
    /// The interior's media (seen only inside hollow objects).
    pub media: Vec<super::atmosphere::media::Medium>,
    /// Which interior this is: the children of a CSG that share its interior
    /// share the number (each has its own copy of the material), so a ray that
    /// enters through one child and leaves through another leaves the same
    /// interior, as POV-Ray's shared interior pointer makes it.
    pub interior_id: u32,
}

impl Material {
    pub fn from_desc(
        tex: Option<&desc::Texture>,
        interior: Option<&Interior>,
        gen: NoiseGenerator,
    ) -> Material {
        let texture = match tex {
            Some(t) => Texture::from_desc(t, gen),
            None => Texture::from_desc(&desc::Texture::default(), gen),
        };
        Material {
            uses_uv: tex.is_some_and(desc::Texture::uses_uv),
            opaque: texture.is_opaque(),
            texture,
            media: interior.map_or_else(Vec::new, |i| {
                i.media
                    .iter()
                    .map(|m| super::atmosphere::media::Medium::from_desc(m, gen))
                    .collect()
            }),
            interior: interior.cloned(),
            hollow: false,
            interior_id: 0,
            interior_texture: None,
        }
    }

    /// Adds the object's `interior_texture`; the material stays opaque only if
    /// both textures are.
    pub fn with_interior_texture(
        mut self,
        tex: Option<&desc::Texture>,
        gen: NoiseGenerator,
    ) -> Self {
        if let Some(t) = tex {
            let inside = Texture::from_desc(t, gen);
            self.opaque &= inside.is_opaque();
            self.uses_uv |= t.uses_uv();
            self.interior_texture = Some(inside);
        }
        self
    }

    /// Gives a blob whose components carry textures the blend of them (the
    /// material's texture standing for components without one); `to_world`
    /// is the blob's placement. The material stays opaque only if every
    /// texture is.
    pub fn with_blob_textures(
        mut self,
        blob: &desc::shapes::Blob,
        field: &crate::scene::shapes::blob::Blob,
        to_world: Option<super::transform::Transform>,
        gen: NoiseGenerator,
    ) -> Self {
        if blob.components.iter().all(|c| c.texture.is_none()) {
            return self;
        }
        let own = std::mem::replace(&mut self.texture, Texture::Layers(Vec::new()));
        let mut textures = vec![own];
        let of_component = blob
            .components
            .iter()
            .map(|c| match &c.texture {
                Some(t) => {
                    textures.push(Texture::from_desc(t, gen));
                    textures.len() - 1
                }
                None => 0,
            })
            .collect();
        self.texture = Texture::Blob(Box::new(BlobTextures::new(
            field.clone(),
            to_world,
            textures,
            of_component,
        )));
        self.opaque = self.texture.is_opaque();
        self
    }

    /// The texture of a hit: the interior texture where the ray leaves through
    /// the surface (`exiting`), if there is one.
    #[inline]
    pub fn texture_seen(&self, exiting: bool) -> &Texture {
        match &self.interior_texture {
            Some(t) if exiting => t,
            _ => &self.texture,
        }
    }
}

impl Texture {
    /// Whether the light this texture lets through (`rgb * filter + transmit`,
    /// multiplied over layers, blended over maps) is zero at every point. Every
    /// colour must be finite so that zero times another layer's factor stays zero.
    fn is_opaque(&self) -> bool {
        self.all_finite() && self.blocks()
    }

    fn blocks(&self) -> bool {
        match self {
            Texture::Layers(layers) => layers.iter().any(|l| l.pigment.is_opaque()),
            Texture::Map { map, .. } => map.iter().all(|(_, t)| t.blocks()),
            Texture::Average(a) => a.entries.iter().all(|(_, t)| t.blocks()),
            Texture::Blob(b) => b.all().all(Texture::blocks),
        }
    }

    fn all_finite(&self) -> bool {
        match self {
            Texture::Layers(layers) => layers.iter().all(|l| l.pigment.all_finite()),
            Texture::Map { map, .. } => map.iter().all(|(_, t)| t.all_finite()),
            Texture::Average(a) => a.entries.iter().all(|(_, t)| t.all_finite()),
            Texture::Blob(b) => b.all().all(Texture::all_finite),
        }
    }

    pub(crate) fn from_desc(t: &desc::Texture, gen: NoiseGenerator) -> Texture {
        match t {
            desc::Texture::Plain(l) => Texture::Layers(vec![Layer::from_desc(l, gen)]),
            desc::Texture::Layered(ls) => {
                Texture::Layers(ls.iter().map(|l| Layer::from_desc(l, gen)).collect())
            }
            desc::Texture::Map { pattern, map, .. } if is_average(pattern) => {
                Texture::Average(Averaged::new(
                    map.iter()
                        .map(|e| (e.value, Texture::from_desc(&e.item, gen)))
                        .collect(),
                ))
            }
            desc::Texture::Map {
                pattern,
                transform,
                map,
            } => Texture::Map {
                pattern: Box::new(PlacedPattern::new(pattern.clone(), transform, gen)),
                map: map
                    .iter()
                    .map(|e| (e.value, Texture::from_desc(&e.item, gen)))
                    .collect(),
            },
        }
    }
}

impl Layer {
    fn from_desc(l: &desc::Layer, gen: NoiseGenerator) -> Layer {
        Layer {
            pigment: Pigment::from_desc(&l.pigment, gen),
            normal: l.normal.as_ref().map(|n| Bump::from_desc(n, gen)),
            finish: l.finish.clone(),
        }
    }

    /// The layer's normal at `p`, perturbed when the layer has a normal pattern.
    pub fn perturb(&self, p: DVec3, n: DVec3) -> DVec3 {
        self.perturb_on(p, n, None)
    }

    /// [`Layer::perturb`] at a surface hit (a uv-mapped normal reads its uv).
    pub fn perturb_on(&self, p: DVec3, n: DVec3, hit: Option<&Surface>) -> DVec3 {
        match &self.normal {
            None => n,
            Some(b) => b.perturb(b.pattern.point_for(p, hit), n),
        }
    }
}

impl Bump {
    pub fn from_desc(n: &desc::Normal, gen: NoiseGenerator) -> Bump {
        Bump {
            pattern: PlacedPattern::new(n.pattern.clone(), &n.transform, gen),
            amount: n.amount,
            delta: n.accuracy,
            slope_map: n.slope_map.iter().map(|e| (e.value, e.item)).collect(),
            map: n
                .map
                .iter()
                .map(|e| (e.value, Bump::from_desc(&e.item, gen)))
                .collect(),
        }
    }

    /// Unit normal `n` at `p` perturbed by the pattern (`n` if the result degenerates).
    pub fn perturb(&self, p: DVec3, n: DVec3) -> DVec3 {
        if !self.map.is_empty() {
            return self.perturb_mapped(p, n);
        }
        let pp = self.pattern.to_pattern.transform_point3(p);
        let np = (self.pattern.normal_to_pattern * n).normalize_or_zero();
        let slope = Slope {
            delta: self.delta,
            map: &self.slope_map,
        };
        let out = self
            .pattern
            .pattern
            .perturb_normal_with(pp, np, self.amount, &slope);
        let w = (self.pattern.normal_to_world * out).normalize_or_zero();
        if w == DVec3::ZERO {
            n
        } else {
            w
        }
    }
}

impl Bump {
    /// A normal map: the normals of the two entries around the pattern's value,
    /// blended by where the value lies between them (POV-Ray's order: the
    /// entry at or above the value, then the one below).
    #[inline(never)]
    fn perturb_mapped(&self, p: DVec3, n: DVec3) -> DVec3 {
        if let PatternKind::Average = self.pattern.pattern.kind {
            return self.perturb_averaged(p, n);
        }
        let v = self.pattern.value_at(p);
        if self.pattern.pattern.kind.is_discrete() {
            return discrete_entry(&self.map, v).map_or(n, |b| b.perturb(p, n));
        }
        let (prev, cur) = search_map(&self.map, v);
        let (pv, pb) = &self.map[prev];
        let (cv, cb) = &self.map[cur];
        let c = cb.perturb(p, n);
        if prev == cur {
            return c;
        }
        let f = (v - pv) / (cv - pv);
        let blended = pb.perturb(p, n) * (1.0 - f) + c * f;
        blended.normalize_or(n)
    }

    /// `average`: every entry's perturbed normal weighted by its value (kept in
    /// single precision, as POV-Ray keeps map values), over the total.
    fn perturb_averaged(&self, p: DVec3, n: DVec3) -> DVec3 {
        let (sum, total) = self
            .map
            .iter()
            .fold((DVec3::ZERO, 0.0), |(sum, total), (w, b)| {
                let w = f64::from(*w as f32);
                (sum + b.perturb(p, n) * w, total + w)
            });
        if total == 0.0 {
            return n;
        }
        (sum / total).normalize_or(n)
    }
}

impl Pigment {
    pub(crate) fn from_desc(p: &desc::Pigment, gen: NoiseGenerator) -> Pigment {
        if let Some(inner) = without_uv_mapping(p) {
            return Pigment::Uv(Box::new(Pigment::from_desc(&inner, gen)));
        }
        match &p.kind {
            desc::PigmentKind::Solid(c) => Pigment::Solid(*c),
            desc::PigmentKind::ColourMap { pattern, map } => Pigment::ColourMap {
                pattern: PlacedPattern::new(pattern.clone(), &p.transform, gen),
                map: map.iter().map(|e| (e.value, e.item)).collect(),
            },
            desc::PigmentKind::PigmentMap { pattern, map } if is_average(pattern) => {
                Pigment::Average {
                    pattern: PlacedPattern::new(pattern.clone(), &p.transform, gen),
                    map: Averaged::new(
                        map.iter()
                            .map(|e| (e.value, Pigment::from_desc(&e.item, gen)))
                            .collect(),
                    ),
                }
            }
            desc::PigmentKind::PigmentMap { pattern, map } => Pigment::PigmentMap {
                pattern: PlacedPattern::new(pattern.clone(), &p.transform, gen),
                map: map
                    .iter()
                    .map(|e| (e.value, Pigment::from_desc(&e.item, gen)))
                    .collect(),
            },
            desc::PigmentKind::ImageMap(pattern) => {
                Pigment::ImageMap(PlacedPattern::new(pattern.clone(), &p.transform, gen))
            }
        }
    }

    /// True when every colour the pigment can take (the default black included)
    /// has zero filter and transmit.
    fn is_opaque(&self) -> bool {
        match self {
            Pigment::Solid(c) => c.f == 0.0 && c.t == 0.0,
            Pigment::ColourMap { map, .. } => map.iter().all(|(_, c)| c.f == 0.0 && c.t == 0.0),
            Pigment::PigmentMap { map, .. } => map.iter().all(|(_, p)| p.is_opaque()),
            Pigment::ImageMap(pattern) => pattern.pattern.image_map().is_some_and(|m| {
                !m.once && m.image.is_opaque() && m.filter_all == 0.0 && m.transmit_all == 0.0
            }),
            Pigment::Average { map, .. } => map.entries.iter().all(|(_, p)| p.is_opaque()),
            Pigment::Uv(inner) => inner.is_opaque(),
        }
    }

    fn all_finite(&self) -> bool {
        let finite = |c: &Colour| c.to_array().iter().all(|v| v.is_finite());
        match self {
            Pigment::Solid(c) => finite(c),
            Pigment::ColourMap { map, .. } => map.iter().all(|(_, c)| finite(c)),
            Pigment::PigmentMap { map, .. } => map.iter().all(|(_, p)| p.all_finite()),
            Pigment::ImageMap(_) => true,
            Pigment::Average { map, .. } => map.entries.iter().all(|(_, p)| p.all_finite()),
            Pigment::Uv(inner) => inner.all_finite(),
        }
    }

    /// [`Pigment::colour_at`] as the shader takes it apart: rgb, filter, transmit.
    /// Converting in every arm keeps the merged value in the vector's own layout,
    /// so reading it back does not wait on store forwarding.
    #[inline(always)]
    pub fn rgb_ft_at(&self, p: DVec3, hit: Option<&Surface>) -> (DVec3, f64, f64) {
        let split = |c: Colour| (DVec3::new(c.r, c.g, c.b), c.f, c.t);
        match self {
            Pigment::Solid(c) => split(*c),
            Pigment::ColourMap { pattern, map } => {
                let v = pattern.value_on(p, hit);
                if pattern.pattern.kind.is_discrete() {
                    return split(discrete_entry(map, v).copied().unwrap_or(Colour::BLACK));
                }
                split(blend_lookup(map, v, |c| *c, Colour::BLACK))
            }
            Pigment::ImageMap(pattern) => split(pattern.image_colour_at(p)),
            Pigment::PigmentMap { pattern, map } => {
                split(pigment_map_colour_at(pattern, map, p, hit))
            }
            Pigment::Average { pattern, map } => split(average_colour_at(pattern, map, p, hit)),
            Pigment::Uv(inner) => split(uv_colour_at(inner, p, hit)),
        }
    }

    /// The pigment's colour at world point `p`.
    ///
    /// Inlined into the shader: a colour returned from a call comes back through
    /// memory and stalls the loads that follow, while the pattern value (the
    /// expensive part, left out of line) comes back in a register.
    #[inline(always)]
    pub fn colour_at(&self, p: DVec3) -> Colour {
        self.colour_on(p, None)
    }

    /// [`Pigment::colour_at`] at a surface hit (for slope and aoi patterns).
    #[inline(always)]
    pub fn colour_on(&self, p: DVec3, hit: Option<&Surface>) -> Colour {
        match self {
            Pigment::Solid(c) => *c,
            Pigment::ColourMap { pattern, map } => {
                let v = pattern.value_on(p, hit);
                if pattern.pattern.kind.is_discrete() {
                    return discrete_entry(map, v).copied().unwrap_or(Colour::BLACK);
                }
                blend_lookup(map, v, |c| *c, Colour::BLACK)
            }
            Pigment::ImageMap(pattern) => pattern.image_colour_at(p),
            Pigment::PigmentMap { pattern, map } => pigment_map_colour_at(pattern, map, p, hit),
            Pigment::Average { pattern, map } => average_colour_at(pattern, map, p, hit),
            Pigment::Uv(inner) => uv_colour_at(inner, p, hit),
        }
    }
}

/// A uv-mapped pigment's colour: at the hit's uv when it has one, else (no hit
/// record, as in a function) at `p`.
#[inline(never)]
fn uv_colour_at(inner: &Pigment, p: DVec3, hit: Option<&Surface>) -> Colour {
    let q = hit.and_then(|h| h.uv).map_or(p, uv_point);
    inner.colour_on(q, hit)
}

/// The pigment of a uv-mapped description with the mark taken off its
/// pattern; `None` when the pigment is not uv-mapped.
fn without_uv_mapping(p: &desc::Pigment) -> Option<desc::Pigment> {
    fn pattern_of(kind: &mut desc::PigmentKind) -> Option<&mut Pattern> {
        match kind {
            desc::PigmentKind::ColourMap { pattern, .. }
            | desc::PigmentKind::PigmentMap { pattern, .. }
            | desc::PigmentKind::ImageMap(pattern) => Some(pattern),
            desc::PigmentKind::Solid(_) => None,
        }
    }
    let marked = match &p.kind {
        desc::PigmentKind::ColourMap { pattern, .. }
        | desc::PigmentKind::PigmentMap { pattern, .. }
        | desc::PigmentKind::ImageMap(pattern) => pattern.uv_mapping,
        desc::PigmentKind::Solid(_) => false,
    };
    if !marked {
        return None;
    }
    let mut inner = p.clone();
    if let Some(pattern) = pattern_of(&mut inner.kind) {
        pattern.uv_mapping = false;
    }
    Some(inner)
}

/// A pigment map's colour at `p` (out of line: it recurses into its entries).
#[inline(never)]
fn pigment_map_colour_at(
    pattern: &PlacedPattern,
    map: &[(f64, Pigment)],
    p: DVec3,
    hit: Option<&Surface>,
) -> Colour {
    let v = pattern.value_on(p, hit);
    let p = pattern.entry_point(p);
    if pattern.pattern.kind.is_discrete() {
        return discrete_entry(map, v).map_or(Colour::BLACK, |pg| pg.colour_on(p, hit));
    }
    blend_lookup(map, v, |pg| pg.colour_on(p, hit), Colour::BLACK)
}

/// An average pigment's colour at `p` (out of line: it recurses into its entries).
#[inline(never)]
fn average_colour_at(
    pattern: &PlacedPattern,
    a: &Averaged<Pigment>,
    p: DVec3,
    hit: Option<&Surface>,
) -> Colour {
    let p = pattern.entry_point(p);
    let mut sum = [0.0; 5];
    for (w, pg) in &a.entries {
        let c = pg.colour_on(p, hit).to_array();
        sum.iter_mut().zip(c).for_each(|(s, v)| *s += v * w);
    }
    Colour::from_array(sum)
}

/// Entry `index` of a map used by a discrete pattern (clamped to the last entry).
pub fn discrete_entry<T>(map: &[(f64, T)], index: f64) -> Option<&T> {
    if map.is_empty() {
        return None;
    }
    let i = (index.max(0.0) as usize).min(map.len() - 1);
    Some(&map[i].1)
}

/// Two neighbouring entries of a continuous map and the weight of the second.
#[inline]
pub fn bracket<T>(map: &[(f64, T)], v: f64) -> Option<(&T, &T, f64)> {
    let first = map.first()?;
    if v <= first.0 {
        return Some((&first.1, &first.1, 0.0));
    }
    for w in map.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if v < b.0 {
            let span = b.0 - a.0;
            let f = if span > 0.0 { (v - a.0) / span } else { 0.0 };
            return Some((&a.1, &b.1, f));
        }
    }
    let last = map.last()?;
    Some((&last.1, &last.1, 0.0))
}

#[inline]
fn blend_lookup<T>(
    map: &[(f64, T)],
    v: f64,
    eval: impl Fn(&T) -> Colour,
    default: Colour,
) -> Colour {
    match bracket(map, v) {
        None => default,
        Some((a, b, f)) => {
            let ca = eval(a);
            if f == 0.0 {
                return ca;
            }
            lerp(ca, eval(b), f)
        }
    }
}

#[inline]
pub fn lerp(a: Colour, b: Colour, f: f64) -> Colour {
    let (x, y) = (a.to_array(), b.to_array());
    Colour::from_array(std::array::from_fn(|i| x[i] + (y[i] - x[i]) * f))
}

/// POV-Ray's iridescence: the thin-film interference tint that multiplies one
/// light's contribution, from the angles of the light (`l`) and the eye ray (`eye`)
/// to the normal and the film thickness (varied by turbulence at `p`).
pub fn irid_tint(
    f: &Finish,
    wavelengths: DVec3,
    l: DVec3,
    eye: DVec3,
    n: DVec3,
    p: DVec3,
    gen: NoiseGenerator,
) -> DVec3 {
    let mut thickness = f.irid_thickness;
    if f.irid_turbulence != 0.0 {
        // POV-Ray's fixed octaves, omega and lambda for the film.
        let t = Turbulence {
            octaves: 5,
            omega: 0.5,
            lambda: 2.0,
            ..Turbulence::new(DVec3::ZERO)
        };
        let noise = 2.0 * turbulence(p, &t, gen) - 1.0;
        thickness *= 1.0 + noise * f.irid_turbulence;
    }
    let phase = std::f64::consts::TAU * thickness * (n.dot(l).abs() + n.dot(eye).abs());
    let w = wavelengths;
    let tint = |wl: f64| 1.0 + f.irid * (phase / wl).cos();
    DVec3::new(tint(w.x), tint(w.y), tint(w.z))
}

/// `average` maps are built into [`Pigment::Average`] / [`Texture::Average`].
fn is_average(pattern: &Pattern) -> bool {
    matches!(pattern.kind, PatternKind::Average)
}
