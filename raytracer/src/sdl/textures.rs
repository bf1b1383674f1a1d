//! Pigments, normals, finishes, textures (plain, layered, mapped), interiors,
//! materials and the maps, with POV-Ray's rule that a new pigment/finish/normal
//! starts from the current `#default` and an identifier inside a block is copied
//! and then modified.

use super::error::Result;
use super::image_map::ImageBlock;
use super::lexer::Tok;
use super::parser::{PTok, Parser};
use super::pattern_defaults::default_colour_map;
use super::uv_mapping::{is_uv_pigment, uv_map_normal, uv_map_pigment, uv_map_texture};
use super::value::Value;
use crate::desc::{
    Colour, ColourMap, Finish, Interior, Layer, MapEntry, Normal, Pigment, PigmentKind, Reflection,
    Texture, Transform,
};
use crate::pattern::fractal::{FractalSet, Magnet};
use crate::pattern::pavement::{setting_byte, Pavement};
use crate::pattern::{CrackleParams, NoiseGenerator, Pattern, PatternKind, Turbulence, WaveType};
use glam::DVec3;

/// Default bump size of a normal pattern given without one.
const DEFAULT_BUMP_SIZE: f64 = 0.5;

/// The pattern named `w`, with its own parameters read, or None.
fn pattern_kind(w: &str) -> Option<PatternKind> {
    Some(match w {
        "checker" => PatternKind::Checker,
        "hexagon" => PatternKind::Hexagon,
        "brick" => PatternKind::default_brick(),
        "gradient" => PatternKind::Gradient { axis: DVec3::X },
        "bozo" => PatternKind::Bozo,
        "spotted" => PatternKind::Spotted,
        "agate" => PatternKind::Agate { turb: 1.0 },
        "marble" => PatternKind::Marble,
        "wood" => PatternKind::Wood,
        "granite" => PatternKind::Granite,
        "leopard" => PatternKind::Leopard,
        "onion" => PatternKind::Onion,
        "radial" => PatternKind::Radial,
        "ripples" => PatternKind::Ripples,
        "waves" => PatternKind::Waves,
        "bumps" => PatternKind::Bumps,
        "wrinkles" => PatternKind::Wrinkles,
        "dents" => PatternKind::Dents,
        "crackle" => PatternKind::Crackle(CrackleParams::default()),
        "spherical" => PatternKind::Spherical,
        "cylindrical" => PatternKind::Cylindrical,
        "boxed" => PatternKind::Boxed,
        "planar" => PatternKind::Planar,
        "cells" => PatternKind::Cells,
        "quilted" => PatternKind::default_quilted(),
        "spiral1" => PatternKind::Spiral1 { arms: 0 },
        "spiral2" => PatternKind::Spiral2 { arms: 0 },
        "mandel" => PatternKind::Mandel(crate::pattern::Fractal::default()),
        "julia" => PatternKind::Mandel(fractal_of(FractalSet::Julia(glam::DVec2::ZERO))),
        "magnet" => PatternKind::Mandel(fractal_of(FractalSet::MagnetMandel(Magnet::One))),
        "average" => PatternKind::Average,
        "aoi" => PatternKind::Aoi,
        "tiling" => PatternKind::Tiling(1),
        "pavement" => PatternKind::Pavement(Pavement::default()),
        "facets" => PatternKind::Facets(crate::pattern::FacetsParams::default()),
        _ => return None,
    })
}

/// A fractal of `set` with POV-Ray's other defaults.
fn fractal_of(set: FractalSet) -> crate::pattern::Fractal {
    crate::pattern::Fractal {
        set,
        ..Default::default()
    }
}

/// True for `object { }`, whose list ends with the pattern's own `}`.
fn is_object_pattern(p: &Pattern) -> bool {
    matches!(p.kind, PatternKind::Object(_))
}

/// True if `w` names a pattern this renderer has.
pub(crate) fn is_pattern_keyword(w: &str) -> bool {
    matches!(
        w,
        "object" | "density_file" | "function" | "pigment_pattern" | "image_pattern" | "slope"
    ) || pattern_kind(w).is_some()
}

/// Puts texture `top` over `bottom` (a second `texture { }` on one object).
pub(crate) fn layer_on(bottom: Texture, top: Texture) -> Texture {
    let mut layers = match bottom {
        Texture::Plain(l) => vec![l],
        Texture::Layered(ls) => ls,
        Texture::Map { .. } => return top,
    };
    match top {
        Texture::Plain(l) => layers.push(l),
        Texture::Layered(ls) => layers.extend(ls),
        Texture::Map { .. } => return top,
    }
    Texture::Layered(layers)
}

/// Moves a texture with its object.
pub(crate) fn transform_texture(tex: &mut Texture, t: &Transform) {
    match tex {
        Texture::Plain(l) => transform_layer(l, t),
        Texture::Layered(ls) => ls.iter_mut().for_each(|l| transform_layer(l, t)),
        // A uv-mapped texture stays in uv space (see `sdl::uv_mapping`).
        Texture::Map { pattern, .. } if pattern.uv_mapping => {}
        Texture::Map { transform, map, .. } => {
            *transform = transform.then(t);
            map.iter_mut()
                .for_each(|e| transform_texture(&mut e.item, t));
        }
    }
}

fn transform_layer(l: &mut Layer, t: &Transform) {
    transform_pigment(&mut l.pigment, t);
    if let Some(n) = l.normal.as_mut() {
        transform_normal(n, t);
    }
}

/// Moves a normal, and the normals of its normal map.
pub(crate) fn transform_normal(n: &mut Normal, t: &Transform) {
    if n.pattern.uv_mapping {
        return;
    }
    n.transform = n.transform.then(t);
    n.map
        .iter_mut()
        .for_each(|e| transform_normal(&mut e.item, t));
}

/// Moves a pigment, and the pigments of its pigment map.
pub(crate) fn transform_pigment(p: &mut Pigment, t: &Transform) {
    if is_uv_pigment(p) {
        return;
    }
    p.transform = p.transform.then(t);
    if let PigmentKind::PigmentMap { map, .. } = &mut p.kind {
        map.iter_mut()
            .for_each(|e| transform_pigment(&mut e.item, t));
    }
}

impl Parser<'_> {
    /// `pigment { ... }` (keyword already read).
    pub(crate) fn pigment_block(&mut self) -> Result<Pigment> {
        self.pigment_block_from(self.default_layer.pigment.clone())
    }

    /// `pigment { ... }` changing `base`: inside a texture, POV-Ray modifies the
    /// pigment the texture already has (`texture { T_Stone1 pigment { scale 2 } }`).
    pub(crate) fn pigment_block_from(&mut self, base: Pigment) -> Result<Pigment> {
        self.nested(|p| p.pigment_inner(base))
    }

    fn pigment_inner(&mut self, base: Pigment) -> Result<Pigment> {
        self.expect("{")?;
        let mut p = base;
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Pigment(id)) = self.lookup(&w).cloned() {
                self.next()?;
                p = id;
            }
        }
        self.pigment_items(&mut p)?;
        self.expect("}")?;
        if matches!(&p.kind, PigmentKind::ColourMap { pattern, .. } if is_average(pattern)) {
            return Err(self.err("an average pigment needs a pigment_map"));
        }
        Ok(p)
    }

    /// Pigment items up to (not including) a closing `}` or `]`: the body of a
    /// pigment block, or of a pigment_map entry written without `pigment { }`.
    fn pigment_items(&mut self, p: &mut Pigment) -> Result<()> {
        let mut uv = false;
        loop {
            if matches!(self.peek()?, Some(Tok::Punct("}")) | Some(Tok::Punct("]"))) {
                self.finish_pavement(pattern_mut(&mut p.kind))?;
                if uv {
                    uv_map_pigment(p);
                }
                return Ok(());
            }
            if self.at_colour()? {
                p.kind = PigmentKind::Solid(self.colour()?);
                continue;
            }
            let t = self.need("a pigment item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                return Err(self.expected("a pigment item or '}'", Some(&t)));
            };
            let w = w.clone();
            if w.as_str() == "uv_mapping" {
                uv = true;
                continue;
            }
            if !self.pigment_item(&w, p)? {
                return Err(self.expected("a pigment item or '}'", Some(&t)));
            }
        }
    }

    fn pigment_item(&mut self, w: &str, p: &mut Pigment) -> Result<bool> {
        if let Some(tr) = self.transform_modifier(w)? {
            transform_pigment(p, &tr);
            return Ok(true);
        }
        if let Some(pattern) = self.pattern_keyword(w)? {
            if matches!(pattern.kind, PatternKind::Facets(_)) {
                return Err(self.err("facets may only be used in a normal"));
            }
            let object = is_object_pattern(&pattern);
            p.kind = self.discrete_list(pattern)?;
            self.end_object_pattern(object)?;
            return Ok(true);
        }
        match w {
            "density_map" => p.kind = self.density_map(self.pattern_of(&p.kind))?,
            "color_map" | "colour_map" => {
                let pattern = self.pattern_of(&p.kind);
                if is_average(&pattern) {
                    return Err(self.err("average takes a pigment_map, not a color_map"));
                }
                let map = self.colour_map_block()?;
                p.kind = PigmentKind::ColourMap { pattern, map };
            }
            "pigment_map" => {
                let pattern = self.pattern_of(&p.kind);
                let mut map = self.pigment_map_entries(MapWeights::of(&pattern))?;
                // POV-Ray evaluates an entry at the point the outer pattern's
                // transform made, so a transform written before the map moves
                // the entries too (those after it reach them through
                // `transform_pigment`).
                map.iter_mut()
                    .for_each(|e| transform_pigment(&mut e.item, &p.transform));
                p.kind = PigmentKind::PigmentMap { pattern, map };
            }
            "image_map" => {
                let map = self.image_block(ImageBlock::Pigment, &mut 0.0)?;
                p.kind = PigmentKind::ImageMap(Pattern::new(PatternKind::ImageMap(map)));
            }
            "quick_color" | "quick_colour" => {
                self.colour()?;
            }
            "warp" => {
                let at = p.transform;
                self.warp_block(pattern_mut(&mut p.kind), &at)?;
            }
            _ => match pattern_mut(&mut p.kind) {
                Some(pat) => return self.pattern_modifier(w, pat),
                None => {
                    // A modifier of a pattern on a solid pigment: POV-Ray accepts
                    // and ignores it; so do we, reading its value.
                    let mut scratch = Pattern::new(PatternKind::Bozo);
                    return self.pattern_modifier(w, &mut scratch);
                }
            },
        }
        Ok(true)
    }

    /// The pattern a map attaches to; a map given before any pattern keeps a
    /// gradient along x until the pattern keyword replaces it.
    fn pattern_of(&self, kind: &PigmentKind) -> Pattern {
        match kind {
            PigmentKind::ColourMap { pattern, .. } | PigmentKind::PigmentMap { pattern, .. } => {
                pattern.clone()
            }
            PigmentKind::Solid(_) | PigmentKind::ImageMap(_) => {
                Pattern::new(PatternKind::Gradient { axis: DVec3::X })
            }
        }
    }

    /// After a pattern keyword in a pigment: the colours or pigments of a discrete
    /// pattern, or an empty colour map for a continuous one.
    fn discrete_list(&mut self, pattern: Pattern) -> Result<PigmentKind> {
        if !pattern.kind.is_discrete() {
            let map = default_colour_map(&pattern.kind);
            return Ok(PigmentKind::ColourMap { pattern, map });
        }
        let n = pattern.kind.colour_count();
        if self.peek_word()?.as_deref() == Some("pigment") {
            let mut map = Vec::new();
            while map.len() < n && self.accept_word("pigment")? {
                let item = self.pigment_block()?;
                map.push(MapEntry {
                    value: map.len() as f64,
                    item,
                });
                self.comma()?;
            }
            return Ok(PigmentKind::PigmentMap { pattern, map });
        }
        let mut colours: Vec<Colour> = default_colour_map(&pattern.kind)
            .into_iter()
            .map(|e| e.item)
            .collect();
        for (i, slot) in colours.iter_mut().enumerate().take(n) {
            if i > 0 {
                self.comma()?;
            }
            if !self.at_colour()? {
                break;
            }
            *slot = self.colour()?;
        }
        let map = colours
            .into_iter()
            .enumerate()
            .map(|(i, c)| MapEntry {
                value: i as f64,
                item: c,
            })
            .collect();
        Ok(PigmentKind::ColourMap { pattern, map })
    }

    /// The pattern keyword `w` with its own parameters, the `function { }`
    /// pattern included; None if `w` names no pattern.
    fn pattern_keyword(&mut self, w: &str) -> Result<Option<Pattern>> {
        if w == "function" {
            let f = self.function_pattern()?;
            return Ok(Some(Pattern::new(PatternKind::Function(f))));
        }
        if w == "slope" {
            let s = self.slope_params()?;
            return Ok(Some(Pattern::new(PatternKind::Slope(s))));
        }
        if w == "pigment_pattern" {
            let f = self.pigment_pattern()?;
            return Ok(Some(Pattern::new(PatternKind::Function(f))));
        }
        if w == "density_file" {
            let d = self.density_file()?;
            return Ok(Some(Pattern::new(PatternKind::DensityFile(d))));
        }
        if w == "object" {
            return self.object_pattern().map(Some);
        }
        if w == "image_pattern" {
            let map = self.image_block(ImageBlock::Pattern, &mut 0.0)?;
            return Ok(Some(Pattern::new(PatternKind::ImagePattern(map))));
        }
        match pattern_kind(w) {
            Some(kind) => self.pattern_params(kind).map(Some),
            None => Ok(None),
        }
    }

    /// A pattern's own parameters right after its keyword.
    fn pattern_params(&mut self, mut kind: PatternKind) -> Result<Pattern> {
        match &mut kind {
            PatternKind::Gradient { axis } => *axis = self.vector_expr()?,
            PatternKind::Spiral1 { arms } | PatternKind::Spiral2 { arms } => {
                *arms = self.float_expr()?.clamp(-1e6, 1e6) as i32;
            }
            PatternKind::Mandel(f) => self.fractal_params(f)?,
            PatternKind::Tiling(n) => *n = self.tiling_number()?,
            _ => {}
        }
        let mut pattern = Pattern::new(kind);
        // POV-Ray reads the setting when it renders; a scene gives it in its
        // global_settings, before the patterns.
        pattern.wave_count = self.scene.global.number_of_waves as usize;
        Ok(pattern)
    }

    /// At the end of a pigment, normal or texture block: POV-Ray checks a
    /// pavement's settings (and wraps its corner settings) once all are read.
    fn finish_pavement(&self, pattern: Option<&mut Pattern>) -> Result<()> {
        if let Some(Pattern {
            kind: PatternKind::Pavement(pv),
            ..
        }) = pattern
        {
            *pv = pv.checked().map_err(|e| self.err(e.to_string()))?;
        }
        Ok(())
    }

    /// The number after `tiling`: POV-Ray takes its whole part and has tilings 1 to 27.
    fn tiling_number(&mut self) -> Result<u8> {
        let v = self.float_expr()?;
        let n = v.trunc();
        if !(1.0..=f64::from(crate::pattern::tiling::TILING_COUNT)).contains(&n) {
            return Err(self.err(format!("tiling number must be between 1 and 27, not {v}")));
        }
        Ok(n as u8)
    }

    /// Pattern modifiers shared by pigments, normals and textures; false if `w`
    /// is none of them.
    fn pattern_modifier(&mut self, w: &str, pat: &mut Pattern) -> Result<bool> {
        match w {
            "turbulence" => {
                let amount = self.vector_expr()?;
                match pat.turbulence.as_mut() {
                    Some(t) => t.amount = amount,
                    None => pat.turbulence = Some(Turbulence::new(amount)),
                }
            }
            "octaves" | "omega" | "lambda" => {
                let v = self.float_expr()?;
                let t = pat.turbulence.get_or_insert_with(Turbulence::default);
                match w {
                    "octaves" => t.octaves = v.clamp(1.0, 10.0) as u32,
                    "omega" => t.omega = v,
                    _ => t.lambda = v,
                }
            }
            "number_of_sides" | "number_of_tiles" | "pattern" | "interior" | "exterior"
            | "form"
                if matches!(pat.kind, PatternKind::Pavement(_)) =>
            {
                let v = setting_byte(self.float_expr()?);
                if let PatternKind::Pavement(pv) = &mut pat.kind {
                    match w {
                        "number_of_sides" => pv.sides = v,
                        "number_of_tiles" => pv.tiles = v,
                        "pattern" => pv.pattern = v,
                        "interior" => pv.interior = v,
                        "exterior" => pv.exterior = v,
                        _ => pv.form = v,
                    }
                }
            }
            "number_of_sides" | "number_of_tiles" | "pattern" => {
                return Err(self.err(format!("{w} can only be used in a pavement pattern")));
            }
            "interior" | "exterior" if matches!(pat.kind, PatternKind::Mandel(_)) => {
                let kind = self.float_expr()?;
                self.comma()?;
                let factor = self.float_expr()?;
                if let PatternKind::Mandel(f) = &mut pat.kind {
                    let v = (kind.clamp(0.0, 255.0) as u8, factor);
                    if w == "interior" {
                        f.interior = v;
                    } else {
                        f.exterior = v;
                    }
                }
            }
            "exponent" if matches!(pat.kind, PatternKind::Mandel(_)) => {
                if let PatternKind::Mandel(f) = &mut pat.kind {
                    self.fractal_exponent(f)?;
                }
            }
            "interpolate" if matches!(pat.kind, PatternKind::DensityFile(_)) => {
                let n = self.float_expr()?;
                if let PatternKind::DensityFile(d) = &mut pat.kind {
                    d.interpolation = n.clamp(-1e9, 1e9) as i32;
                }
            }
            "frequency" => pat.frequency = self.float_expr()?,
            "phase" => pat.phase = self.float_expr()?,
            "ramp_wave" => pat.wave = WaveType::Ramp,
            "sine_wave" => pat.wave = WaveType::Sine,
            "triangle_wave" => pat.wave = WaveType::Triangle,
            "scallop_wave" => pat.wave = WaveType::Scallop,
            "cubic_wave" => pat.wave = WaveType::Cubic,
            "poly_wave" => {
                let e = if matches!(self.peek()?, Some(Tok::Number(_)) | Some(Tok::Punct("("))) {
                    self.float_expr()?
                } else {
                    1.0
                };
                pat.wave = WaveType::Poly(e);
            }
            "noise_generator" => {
                let n = self.float_expr()?;
                // 0 means "the global setting", as in POV-Ray.
                pat.noise_generator = match n as i64 {
                    0 => None,
                    k => Some(NoiseGenerator::from_number(k).ok_or_else(|| {
                        self.err(format!("noise_generator must be 0, 1, 2 or 3, not {n}"))
                    })?),
                };
            }
            "control0" | "control1" => {
                let v = self.float_expr()?;
                if let PatternKind::Quilted { control0, control1 } = &mut pat.kind {
                    if w == "control0" {
                        *control0 = v;
                    } else {
                        *control1 = v;
                    }
                }
            }
            "agate_turb" => {
                let v = self.float_expr()?;
                if let PatternKind::Agate { turb } = &mut pat.kind {
                    *turb = v;
                }
            }
            "brick_size" | "mortar" => {
                let v = self.expr()?;
                if let PatternKind::Brick { size, mortar } = &mut pat.kind {
                    if w == "mortar" {
                        *mortar = v.c[0];
                    } else {
                        *size = v.to_vec3();
                    }
                }
            }
            "form" | "metric" | "offset" | "solid" => {
                let v = if w == "solid" {
                    None
                } else {
                    Some(self.expr()?)
                };
                if let PatternKind::Facets(f) = &mut pat.kind {
                    if let ("metric", Some(v)) = (w, &v) {
                        f.metric = v.c[0];
                    }
                }
                if let PatternKind::Crackle(c) = &mut pat.kind {
                    match (w, v) {
                        ("form", Some(v)) => c.form = v.to_vec3(),
                        ("metric", Some(v)) => c.metric = v.c[0],
                        ("offset", Some(v)) => c.offset = v.c[0],
                        _ => c.solid = true,
                    }
                }
            }
            "coords" | "size" if matches!(pat.kind, PatternKind::Facets(_)) => {
                let v = self.float_expr()?;
                if let PatternKind::Facets(f) = &mut pat.kind {
                    if w == "coords" {
                        f.coords = v;
                    } else {
                        f.size = v;
                    }
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `color_map { ... }` (keyword read): entries or an identifier.
    pub(crate) fn colour_map_block(&mut self) -> Result<ColourMap> {
        self.expect("{")?;
        if let Some(w) = self.peek_word()? {
            if let Some(Value::ColourMap(m)) = self.lookup(&w).cloned() {
                self.next()?;
                self.expect("}")?;
                return Ok(m);
            }
        }
        let mut map: ColourMap = Vec::new();
        while self.accept("[")? {
            let v1 = self.float_expr()?;
            self.comma()?;
            if self.at_colour()? {
                let c = self.colour()?;
                map.push(MapEntry { value: v1, item: c });
            } else {
                // Old form: [v1, v2 colour c1 colour c2].
                let v2 = self.float_expr()?;
                let c1 = self.colour()?;
                self.comma()?;
                let c2 = self.colour()?;
                map.push(MapEntry {
                    value: v1,
                    item: c1,
                });
                map.push(MapEntry {
                    value: v2,
                    item: c2,
                });
            }
            self.expect("]")?;
            if map.len() > 256 {
                return Err(self.err("a color_map has at most 256 entries"));
            }
        }
        self.expect("}")?;
        if map.is_empty() {
            return Err(self.err("empty color_map"));
        }
        Ok(map)
    }

    /// `pigment_map { [v pigment] ... }` (keyword read).
    pub(crate) fn pigment_map_block(&mut self) -> Result<Vec<MapEntry<Pigment>>> {
        self.pigment_map_entries(MapWeights::Required)
    }

    /// A pigment map whose entries' values may be optional weights (under `average`).
    fn pigment_map_entries(&mut self, weights: MapWeights) -> Result<Vec<MapEntry<Pigment>>> {
        self.map_block_weighted(
            weights,
            |v| match v {
                Value::PigmentMap(m) => Some(m.clone()),
                _ => None,
            },
            |p| {
                if p.accept_word("pigment")? {
                    return p.pigment_block();
                }
                // POV-Ray also takes a bare pigment body: `[0.4 radial frequency 10]`,
                // `[0.8 Wood scale 3]`.
                let mut pig = if p.peek_word()?.as_deref().is_some_and(is_pattern_keyword) {
                    p.default_layer.pigment.clone()
                } else {
                    p.pigment_identifier_or_colour()?
                };
                p.pigment_items(&mut pig)?;
                Ok(pig)
            },
        )
    }

    /// A `{ [v item] ... }` map block (opening keyword read): a declared map of that
    /// kind (`declared` picks it out of an identifier's value), or entries whose item
    /// `item` parses.
    pub(crate) fn map_block<T>(
        &mut self,
        declared: impl Fn(&Value) -> Option<Vec<MapEntry<T>>>,
        item: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<MapEntry<T>>> {
        self.map_block_weighted(MapWeights::Required, declared, item)
    }

    /// [`Parser::map_block`] where `weights` says whether an entry may leave out
    /// its value (an `average` map's weight, 1 when left out).
    fn map_block_weighted<T>(
        &mut self,
        weights: MapWeights,
        declared: impl Fn(&Value) -> Option<Vec<MapEntry<T>>>,
        mut item: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<MapEntry<T>>> {
        self.expect("{")?;
        if let Some(w) = self.peek_word()? {
            if let Some(m) = self.lookup(&w).and_then(&declared) {
                self.next()?;
                self.expect("}")?;
                return Ok(m);
            }
        }
        let mut map = Vec::new();
        while self.accept("[")? {
            let value = match weights {
                MapWeights::Optional if !self.starts_number()? => 1.0,
                MapWeights::Optional | MapWeights::Required => self.float_expr()?,
            };
            self.comma()?;
            let item = item(self)?;
            self.expect("]")?;
            map.push(MapEntry { value, item });
        }
        self.expect("}")?;
        Ok(map)
    }

    /// In a pigment map entry: a pigment identifier (with modifiers, as in a
    /// pigment's body: `[0.5 P_Cloud scale 0.25]`) or a colour.
    fn pigment_identifier_or_colour(&mut self) -> Result<Pigment> {
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Pigment(mut p)) = self.lookup(&w).cloned() {
                self.next()?;
                while let Some(w) = self.peek_word()? {
                    let t = self.need("a pigment item or ']'")?;
                    if !self.pigment_item(&w, &mut p)? {
                        return Err(self.expected("a pigment item or ']'", Some(&t)));
                    }
                }
                return Ok(p);
            }
        }
        Ok(Pigment {
            kind: PigmentKind::Solid(self.colour()?),
            transform: Transform::IDENTITY,
        })
    }

    /// `normal { ... }` (keyword read).
    pub(crate) fn normal_block(&mut self) -> Result<Normal> {
        self.normal_block_from(self.default_layer.normal.clone())
    }

    /// `normal { ... }` changing `base` (a texture's own normal, as POV-Ray does).
    pub(crate) fn normal_block_from(&mut self, base: Option<Normal>) -> Result<Normal> {
        self.expect("{")?;
        let mut n = base.unwrap_or_else(fresh_normal);
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Normal(id)) = self.lookup(&w).cloned() {
                self.next()?;
                n = id;
            }
        }
        let mut uv = false;
        loop {
            let t = self.need("a normal item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    self.finish_pavement(Some(&mut n.pattern))?;
                    if uv {
                        uv_map_normal(&mut n);
                    }
                    return Ok(n);
                }
                return Err(self.expected("a normal item or '}'", Some(&t)));
            };
            let w = w.clone();
            if w.as_str() == "uv_mapping" {
                uv = true;
                continue;
            }
            if !self.normal_item(&w, &mut n, &t)? {
                return Err(self.expected("a normal item or '}'", Some(&t)));
            }
        }
    }

    /// One item of a normal block (its word `w`, token `t`, already read);
    /// false if `w` is none.
    fn normal_item(&mut self, w: &str, n: &mut Normal, t: &PTok) -> Result<bool> {
        if let Some(tr) = self.transform_modifier(w)? {
            transform_normal(n, &tr);
        } else if let Some(pattern) = self.pattern_keyword(w)? {
            let discrete = pattern.kind.is_discrete();
            let object = is_object_pattern(&pattern);
            n.pattern = pattern;
            // `gradient x, 5.6`: POV-Ray allows a comma before the amount, and
            // without one keeps the amount the normal has (a `#default` one's).
            self.comma()?;
            if self.starts_number()? {
                n.amount = self.float_expr()?;
            }
            if discrete {
                self.discrete_normals(n)?;
            }
            self.end_object_pattern(object)?;
        } else if w == "bump_map" {
            let map = self.image_block(ImageBlock::Bump, &mut n.amount)?;
            n.pattern = Pattern::new(PatternKind::ImageMap(map));
        } else if w == "bump_size" {
            n.amount = self.float_expr()?;
        } else if w == "accuracy" {
            let a = self.float_expr()?;
            if a <= 0.0 || !a.is_finite() {
                return Err(self.err_at(t, format!("normal accuracy must be positive, not {a}")));
            }
            n.accuracy = a;
        } else if w == "warp" {
            self.warp_block(Some(&mut n.pattern), &n.transform)?;
        } else if w == "slope_map" {
            n.slope_map = self.slope_map_block()?;
        } else if w == "normal_map" {
            n.map = self.normal_map_block(MapWeights::of(&n.pattern))?;
            // As a pigment_map's entries (see `pigment_inner`).
            let at = n.transform;
            n.map
                .iter_mut()
                .for_each(|e| transform_normal(&mut e.item, &at));
        } else if !self.pattern_modifier(w, &mut n.pattern)? {
            return Ok(false);
        }
        Ok(true)
    }

    /// After a discrete pattern in a normal: its normals, `checker normal { }
    /// normal { }`, if given.
    fn discrete_normals(&mut self, n: &mut Normal) -> Result<()> {
        let count = n.pattern.kind.colour_count();
        let mut map = Vec::new();
        while map.len() < count && self.accept_word("normal")? {
            let item = self.normal_block()?;
            map.push(MapEntry {
                value: map.len() as f64,
                item,
            });
            self.comma()?;
        }
        if !map.is_empty() {
            n.map = map;
        }
        Ok(())
    }

    /// `normal_map { [v normal] ... }` (keyword read); an entry is a `normal { }`,
    /// a normal identifier with modifiers, or a bare normal body.
    /// Under `average` an entry may leave out its weight (see [`MapWeights`]).
    pub(crate) fn normal_map_block(
        &mut self,
        weights: MapWeights,
    ) -> Result<Vec<MapEntry<Normal>>> {
        let map = self.map_block_weighted(
            weights,
            |v| match v {
                Value::NormalMap(m) => Some(m.clone()),
                _ => None,
            },
            |p| {
                if p.accept_word("normal")? {
                    return p.normal_block();
                }
                let mut n = p.default_layer.normal.clone().unwrap_or_else(fresh_normal);
                if let Some(w) = p.peek_word()? {
                    if let Some(Value::Normal(id)) = p.lookup(&w).cloned() {
                        p.next()?;
                        n = id;
                    }
                }
                while let Some(w) = p.peek_word()? {
                    let t = p.need("a normal item or ']'")?;
                    if !p.normal_item(&w, &mut n, &t)? {
                        return Err(p.expected("a normal item or ']'", Some(&t)));
                    }
                }
                Ok(n)
            },
        )?;
        if map.is_empty() {
            return Err(self.err("empty normal_map"));
        }
        Ok(map)
    }

    /// `slope_map { [v <height, slope>] ... }` (keyword read).
    pub(crate) fn slope_map_block(&mut self) -> Result<Vec<MapEntry<(f64, f64)>>> {
        let map = self.map_block(
            |v| match v {
                Value::SlopeMap(m) => Some(m.clone()),
                _ => None,
            },
            |p| {
                let v = p.expr()?.promote(2);
                Ok((v.c[0], v.c[1]))
            },
        )?;
        if map.is_empty() {
            return Err(self.err("empty slope_map"));
        }
        Ok(map)
    }

    /// True if the next token starts a float (number, '(', '-', float identifier).
    pub(crate) fn starts_number(&mut self) -> Result<bool> {
        Ok(match self.peek()? {
            Some(Tok::Number(_))
            | Some(Tok::Punct("("))
            | Some(Tok::Punct("-"))
            | Some(Tok::Punct("+")) => true,
            Some(Tok::Word(w)) => {
                matches!(self.lookup(&w), Some(Value::Num(n)) if n.is_float())
                    || super::keywords::is_float_function(&w)
            }
            _ => false,
        })
    }

    /// `finish { ... }` (keyword read).
    pub(crate) fn finish_block(&mut self) -> Result<Finish> {
        self.finish_block_from(self.default_layer.finish.clone())
    }

    /// `finish { ... }` changing `base` (a texture's own finish, as POV-Ray does).
    pub(crate) fn finish_block_from(&mut self, base: Finish) -> Result<Finish> {
        self.expect("{")?;
        let mut f = base;
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Finish(id)) = self.lookup(&w).cloned() {
                self.next()?;
                f = id;
            }
        }
        let mut albedo = Albedo::default();
        loop {
            let t = self.need("a finish item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    if let Some(sub) = f.subsurface.as_mut() {
                        sub.raw_diffuse = f.diffuse;
                    }
                    albedo.apply(&mut f);
                    return Ok(f);
                }
                return Err(self.expected("a finish item or '}'", Some(&t)));
            };
            let w = w.clone();
            if !self.finish_item(&w, &mut f, &mut albedo)? {
                return Err(self.expected("a finish item or '}'", Some(&t)));
            }
        }
    }

    fn finish_item(&mut self, w: &str, f: &mut Finish, albedo: &mut Albedo) -> Result<bool> {
        match w {
            "ambient" => f.ambient = self.rgb_colour()?,
            "emission" => f.emission = self.rgb_colour()?,
            "diffuse" => {
                albedo.diffuse = self.accept_word("albedo")?;
                f.diffuse = self.float_expr()?;
                self.comma()?;
                f.diffuse_back = self.optional_float()?.unwrap_or(0.0);
            }
            "brilliance" => f.brilliance = self.float_expr()?,
            "phong" => {
                albedo.phong = self.accept_word("albedo")?;
                f.phong = self.float_expr()?;
            }
            "phong_size" => f.phong_size = self.float_expr()?,
            "specular" => {
                albedo.specular = self.accept_word("albedo")?;
                f.specular = self.float_expr()?;
            }
            "roughness" => f.roughness = self.float_expr()?,
            "metallic" => f.metallic = self.optional_float()?.unwrap_or(1.0),
            "reflection" => self.reflection(&mut f.reflection)?,
            "reflection_exponent" => f.reflection.exponent = self.float_expr()?,
            "crand" => f.crand = self.float_expr()?,
            "conserve_energy" => f.conserve_energy = self.optional_bool()?,
            "irid" => self.irid(f)?,
            "refraction" | "ior" | "caustics" | "fade_distance" | "fade_power" => {
                self.float_expr()?;
                let here = self.here();
                self.warn(format!(
                    "{here}: '{w}' inside finish is obsolete; use interior {{ }}"
                ));
            }
            "subsurface" => {
                let sub = self.finish_subsurface(f.subsurface.take())?;
                f.subsurface = Some(sub);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `irid { amount [thickness t] [turbulence t] }` (keyword read).
    fn irid(&mut self, f: &mut Finish) -> Result<()> {
        self.expect("{")?;
        f.irid = self.float_expr()?;
        loop {
            let t = self.need("'}' closing irid")?;
            match &t.tok {
                Tok::Punct("}") => return Ok(()),
                Tok::Word(w) if w == "thickness" => f.irid_thickness = self.float_expr()?,
                // POV-Ray reads a vector and keeps its x.
                Tok::Word(w) if w == "turbulence" => f.irid_turbulence = self.vector_expr()?.x,
                _ => return Err(self.expected("thickness, turbulence or '}'", Some(&t))),
            }
        }
    }

    /// `reflection 0.3`, `reflection rgb ...` or `reflection { min, max ... }`.
    fn reflection(&mut self, r: &mut Reflection) -> Result<()> {
        if !self.accept("{")? {
            let c = self.rgb_colour()?;
            r.min = c;
            r.max = c;
            return Ok(());
        }
        let first = self.rgb_colour()?;
        r.min = first;
        r.max = first;
        self.comma()?;
        let second = !matches!(self.peek()?, Some(Tok::Word(_)) | Some(Tok::Punct("}")))
            || self.at_colour()?;
        if second {
            r.max = self.rgb_colour()?;
        }
        loop {
            let t = self.need("a reflection item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(());
                }
                return Err(self.expected("a reflection item or '}'", Some(&t)));
            };
            match w.as_str() {
                "falloff" => r.falloff = self.float_expr()?,
                "exponent" => r.exponent = self.float_expr()?,
                "metallic" => r.metallic = self.optional_float()?.unwrap_or(1.0),
                "fresnel" => {
                    r.fresnel = self.optional_bool()?;
                    // As POV-Ray: fresnel with one colour reflects from none
                    // (head-on) up to it, or it would change nothing.
                    if r.fresnel && !second {
                        r.min = Colour::BLACK;
                    }
                }
                _ => {
                    return Err(
                        self.expected("falloff, exponent, metallic, fresnel or '}'", Some(&t))
                    )
                }
            }
        }
    }

    /// `texture { ... }` (keyword read).
    pub(crate) fn texture_block(&mut self) -> Result<Texture> {
        self.nested(|p| p.texture_inner())
    }

    fn texture_inner(&mut self) -> Result<Texture> {
        self.expect("{")?;
        let mut tex = Texture::Plain(self.default_layer.clone());
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Texture(id)) = self.lookup(&w).cloned() {
                self.next()?;
                tex = id;
            }
        }
        let mut uv = false;
        loop {
            let t = self.need("a texture item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    if matches!(&tex, Texture::Map { pattern, map, .. } if is_average(pattern) && map.is_empty())
                    {
                        return Err(self.err_at(&t, "an average texture needs a texture_map"));
                    }
                    self.finish_pavement(texture_pattern_mut(&mut tex))?;
                    if uv {
                        uv_map_texture(&mut tex);
                    }
                    return Ok(tex);
                }
                return Err(self.expected("a texture item or '}'", Some(&t)));
            };
            let w = w.clone();
            if w.as_str() == "uv_mapping" {
                uv = true;
                continue;
            }
            if !self.texture_item(&w, &mut tex, &t)? {
                return Err(self.expected("a texture item or '}'", Some(&t)));
            }
        }
    }

    /// A texture_map entry written without `texture { }`: `[0.2 pigment {..}
    /// finish {..} rotate ..]`, as POV-Ray accepts. Items run to the `]`.
    fn bare_map_texture(&mut self) -> Result<Texture> {
        let mut tex = Texture::Plain(self.default_layer.clone());
        let mut uv = false;
        while let Some(w) = self.peek_word()? {
            let t = self.need("a texture item")?;
            if w.as_str() == "uv_mapping" {
                uv = true;
                continue;
            }
            if !self.texture_item(&w, &mut tex, &t)? {
                return Err(self.expected("a texture item or ']'", Some(&t)));
            }
        }
        self.finish_pavement(texture_pattern_mut(&mut tex))?;
        if uv {
            uv_map_texture(&mut tex);
        }
        Ok(tex)
    }

    fn texture_item(&mut self, w: &str, tex: &mut Texture, t: &PTok) -> Result<bool> {
        if let Some(tr) = self.transform_modifier(w)? {
            transform_texture(tex, &tr);
            return Ok(true);
        }
        if let Some(pattern) = self.pattern_keyword(w)? {
            let object = is_object_pattern(&pattern);
            *tex = self.texture_pattern(pattern)?;
            self.end_object_pattern(object)?;
            return Ok(true);
        }
        match w {
            // Each changes what the texture (perhaps an identifier) already has.
            "pigment" => {
                let base = self.layer_of(tex, t)?.pigment.clone();
                let p = self.pigment_block_from(base)?;
                self.layer_of(tex, t)?.pigment = p;
            }
            "normal" => {
                let base = self.layer_of(tex, t)?.normal.clone();
                let n = self.normal_block_from(base)?;
                self.layer_of(tex, t)?.normal = Some(n);
            }
            "finish" => {
                let base = self.layer_of(tex, t)?.finish.clone();
                let f = self.finish_block_from(base)?;
                self.layer_of(tex, t)?.finish = f;
            }
            "material_map" => *tex = self.material_map()?,
            "tiles" => *tex = self.tiles_block()?,
            "texture_map" => {
                let weights = match tex {
                    Texture::Map { pattern, .. } => MapWeights::of(pattern),
                    Texture::Plain(_) | Texture::Layered(_) => MapWeights::Required,
                };
                let mut map = self.texture_map_entries(weights)?;
                let (pattern, transform) = match tex {
                    Texture::Map {
                        pattern, transform, ..
                    } => (pattern.clone(), *transform),
                    _ => (
                        Pattern::new(PatternKind::Gradient { axis: DVec3::X }),
                        Transform::IDENTITY,
                    ),
                };
                // As a pigment_map's entries (see `pigment_inner`).
                map.iter_mut()
                    .for_each(|e| transform_texture(&mut e.item, &transform));
                *tex = Texture::Map {
                    pattern,
                    transform,
                    map,
                };
            }
            "warp" => {
                if let Texture::Map {
                    pattern, transform, ..
                } = tex
                {
                    self.warp_block(Some(pattern), transform)?;
                } else {
                    self.warp_block(None, &Transform::IDENTITY)?;
                }
            }
            _ => {
                if let Texture::Map { pattern, .. } = tex {
                    return self.pattern_modifier(w, pattern);
                }
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `material_map { image textures... }` (keyword read): the image's index
    /// (or red) picks a texture, wrapping past the last.
    fn material_map(&mut self) -> Result<Texture> {
        let mut image = self.image_block(ImageBlock::Material, &mut 0.0)?;
        image.use_mode = crate::pattern::image::ImageUse::Index;
        let mut map = Vec::new();
        while self.accept_word("texture")? {
            let item = self.texture_block()?;
            map.push(MapEntry {
                value: map.len() as f64,
                item,
            });
        }
        self.expect("}")?;
        if map.is_empty() {
            return Err(self.err("a material_map needs at least one texture"));
        }
        image.material_count = map.len();
        Ok(Texture::Map {
            pattern: Pattern::new(PatternKind::ImageMap(image)),
            transform: Transform::IDENTITY,
            map,
        })
    }

    /// The layer a statement inside `texture { }` changes.
    fn layer_of<'t>(&self, tex: &'t mut Texture, t: &PTok) -> Result<&'t mut Layer> {
        match tex {
            Texture::Plain(l) => Ok(l),
            Texture::Layered(ls) => ls
                .last_mut()
                .ok_or_else(|| self.err_at(t, "empty layered texture")),
            Texture::Map { .. } => Err(self.err_at(
                t,
                "a pattern texture cannot take a pigment, normal or finish",
            )),
        }
    }

    /// After a pattern keyword in a texture: a discrete texture list or a map to come.
    fn texture_pattern(&mut self, pattern: Pattern) -> Result<Texture> {
        let mut map = Vec::new();
        if pattern.kind.is_discrete() {
            let n = pattern.kind.colour_count();
            while map.len() < n && self.accept_word("texture")? {
                let item = self.texture_block()?;
                map.push(MapEntry {
                    value: map.len() as f64,
                    item,
                });
                self.comma()?;
            }
        }
        Ok(Texture::Map {
            pattern,
            transform: Transform::IDENTITY,
            map,
        })
    }

    /// `texture_map { [v texture] ... }` (keyword read).
    pub(crate) fn texture_map_block(&mut self) -> Result<Vec<MapEntry<Texture>>> {
        self.texture_map_entries(MapWeights::Required)
    }

    /// A texture map whose entries' values may be optional weights (under `average`).
    fn texture_map_entries(&mut self, weights: MapWeights) -> Result<Vec<MapEntry<Texture>>> {
        self.map_block_weighted(
            weights,
            |v| match v {
                Value::TextureMap(m) => Some(m.clone()),
                _ => None,
            },
            |p| {
                if p.accept_word("texture")? {
                    return p.texture_block();
                }
                if matches!(
                    p.peek_word()?.as_deref(),
                    Some("pigment" | "normal" | "finish")
                ) {
                    return p.bare_map_texture();
                }
                let t = p.need("a texture identifier")?;
                match &t.tok {
                    Tok::Word(w) => match p.lookup(w).cloned() {
                        Some(Value::Texture(x)) => Ok(x),
                        _ => Err(p.expected("a texture", Some(&t))),
                    },
                    _ => Err(p.expected("a texture", Some(&t))),
                }
            },
        )
    }

    /// `interior { ... }` (keyword read).
    pub(crate) fn interior_block(&mut self) -> Result<Interior> {
        self.expect("{")?;
        let mut i = Interior::default();
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Interior(id)) = self.lookup(&w).cloned() {
                self.next()?;
                i = id;
            }
        }
        loop {
            let t = self.need("an interior item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(i);
                }
                return Err(self.expected("an interior item or '}'", Some(&t)));
            };
            match w.as_str() {
                "ior" => i.ior = self.float_expr()?,
                "fade_distance" => i.fade_distance = self.float_expr()?,
                "fade_power" => i.fade_power = self.float_expr()?,
                "fade_color" | "fade_colour" => i.fade_colour = self.colour()?,
                "caustics" => i.caustics = self.float_expr()?,
                "dispersion" => i.dispersion = self.float_expr()?,
                "dispersion_samples" => {
                    let n = self.float_expr()?;
                    if n < 2.0 {
                        return Err(self.err("dispersion samples minimum is 2"));
                    }
                    // POV-Ray truncates; beyond a few hundred bands nothing changes.
                    i.dispersion_samples = n.min(10_000.0) as u32;
                }
                "media" => {
                    let m = self.media_block()?;
                    i.media.push(m);
                }
                _ => return Err(self.expected("an interior item or '}'", Some(&t))),
            }
        }
    }

    /// `material { texture {} interior {} }` (keyword read).
    pub(crate) fn material_block(&mut self) -> Result<(Option<Texture>, Option<Interior>)> {
        self.expect("{")?;
        let (mut tex, mut interior) = (None, None);
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Material(t, i)) = self.lookup(&w).cloned() {
                self.next()?;
                (tex, interior) = (t, i);
            }
        }
        loop {
            let t = self.need("texture, interior or '}'")?;
            match &t.tok {
                Tok::Punct("}") => return Ok((tex, interior)),
                Tok::Word(w) if w == "texture" => {
                    let nt = self.texture_block()?;
                    tex = Some(match tex {
                        Some(old) => layer_on(old, nt),
                        None => nt,
                    });
                }
                Tok::Word(w) if w == "interior" => interior = Some(self.interior_block()?),
                Tok::Word(w) => {
                    let w = w.clone();
                    match self.transform_modifier(&w)? {
                        Some(tr) => {
                            if let Some(x) = tex.as_mut() {
                                transform_texture(x, &tr);
                            }
                        }
                        None => return Err(self.expected("texture, interior or '}'", Some(&t))),
                    }
                }
                _ => return Err(self.expected("texture, interior or '}'", Some(&t))),
            }
        }
    }
}

/// A normal block's start when there is no `#default` normal: POV-Ray's
/// bump size, and bumps until a pattern keyword replaces them.
fn fresh_normal() -> Normal {
    Normal::new(Pattern::new(PatternKind::Bumps), DEFAULT_BUMP_SIZE)
}

/// Whether a map's entries must give their value or may leave out their weight.
#[derive(Clone, Copy)]
pub(crate) enum MapWeights {
    Required,
    /// `average`: `[pigment {..}]` weighs 1, as in POV-Ray.
    Optional,
}

impl MapWeights {
    fn of(pattern: &Pattern) -> Self {
        if is_average(pattern) {
            Self::Optional
        } else {
            Self::Required
        }
    }
}

fn is_average(pattern: &Pattern) -> bool {
    matches!(pattern.kind, PatternKind::Average)
}

/// The pattern of a patterned texture.
fn texture_pattern_mut(tex: &mut Texture) -> Option<&mut Pattern> {
    match tex {
        Texture::Map { pattern, .. } => Some(pattern),
        Texture::Plain(_) | Texture::Layered(_) => None,
    }
}

fn pattern_mut(kind: &mut PigmentKind) -> Option<&mut Pattern> {
    match kind {
        PigmentKind::ColourMap { pattern, .. }
        | PigmentKind::PigmentMap { pattern, .. }
        | PigmentKind::ImageMap(pattern) => Some(pattern),
        PigmentKind::Solid(_) => None,
    }
}

/// Which of a finish block's `diffuse`, `phong`, `specular` were given as
/// `albedo`: POV-Ray rescales them once the block is read, so that 1 reflects
/// all incoming light whatever the brilliance, size or roughness.
#[derive(Default)]
struct Albedo {
    diffuse: bool,
    phong: bool,
    specular: bool,
}

impl Albedo {
    fn apply(&self, f: &mut Finish) {
        if self.diffuse {
            let k = (f.brilliance + 1.0) / 2.0;
            f.diffuse *= k;
            f.diffuse_back *= k;
        }
        if self.phong {
            f.phong *= (f.phong_size + 1.0) / 2.0;
        }
        if self.specular {
            // POV-Ray's roughness exponent is the reciprocal of `roughness`.
            let r = 1.0 / f.roughness;
            f.specular *= (r + 2.0) / (4.0 * (2.0 - 2f64.powf(-r / 2.0)));
        }
    }
}
