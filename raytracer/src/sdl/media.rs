//! `media { ... }` blocks and their `density { ... }` patterns.

use std::sync::Arc;

use super::error::{Result, SdlError};
use super::lexer::Tok;
use super::parser::Parser;
use super::textures::transform_pigment;
use super::value::Value;
use crate::desc::{Media, Pigment, PigmentKind, Scattering, Transform};
use crate::pattern::density_file::{DensityFile, Df3};

impl Parser<'_> {
    /// `media { ... }` (keyword read).
    pub(crate) fn media_block(&mut self) -> Result<Media> {
        self.expect("{")?;
        let legacy = self.scene.version < 3.5;
        let mut m = Media::new(legacy);
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Media(id)) = self.lookup(&w).cloned() {
                self.next()?;
                m = *id;
            }
        }
        let start = self.here();
        loop {
            let t = self.need("a media item or '}'")?;
            let w = match &t.tok {
                Tok::Punct("}") => {
                    self.warn_unrendered_sampling(&m, &start);
                    return Ok(m);
                }
                Tok::Word(w) => w.clone(),
                _ => return Err(self.expected("a media item or '}'", Some(&t))),
            };
            if let Some(tr) = self.transform_modifier(&w)? {
                transform_densities(&mut m, &tr);
            } else if !self.media_item(&w, &mut m)? {
                return Err(self.expected("a media item or '}'", Some(&t)));
            }
        }
    }

    /// POV-Ray's random sampling choices have no reproducible equivalent: say
    /// what is sampled instead.
    fn warn_unrendered_sampling(&mut self, m: &Media, at: &super::error::Location) {
        if m.method != 3 && m.max_samples > m.min_samples {
            self.warn(format!(
                "{at}: media method {} takes {} samples per interval; the extra samples up to {} \
                 (confidence, variance) are not taken",
                m.method, m.min_samples, m.max_samples
            ));
        }
    }

    fn media_item(&mut self, w: &str, m: &mut Media) -> Result<bool> {
        match w {
            "intervals" => {
                let n = self.float_expr()?;
                if n < 1.0 {
                    return Err(self.err("media needs at least one interval"));
                }
                m.intervals = n.min(1e4) as u32;
            }
            "samples" => {
                let min = self.float_expr()?;
                self.comma()?;
                let max = if self.starts_number()? {
                    self.float_expr()?
                } else {
                    min
                };
                if min < 1.0 {
                    return Err(self.err("media needs at least one sample per interval"));
                }
                if max < min {
                    return Err(self.err("media's maximum samples are fewer than its minimum"));
                }
                (m.min_samples, m.max_samples) = (min.min(1e4) as u32, max.min(1e4) as u32);
            }
            "method" => {
                let n = self.float_expr()?;
                if ![1.0, 2.0, 3.0].contains(&n) {
                    return Err(self.err(format!("media method must be 1, 2 or 3, not {n}")));
                }
                m.method = n as u8;
            }
            "jitter" => m.jitter = self.float_expr()?,
            "aa_threshold" => {
                m.aa_threshold = self.float_expr()?;
                if m.aa_threshold <= 0.0 {
                    return Err(self.err("media aa_threshold must be greater than zero"));
                }
            }
            "aa_level" => {
                let n = self.float_expr()?;
                if n < 1.0 {
                    return Err(self.err("media aa_level must be at least one"));
                }
                m.aa_level = n.min(16.0) as u32;
            }
            "collect" => m.collect = self.optional_bool()?,
            "absorption" => m.absorption = self.colour()?,
            "emission" => m.emission = self.colour()?,
            "scattering" => self.scattering_block(m)?,
            "confidence" => {
                m.confidence = self.float_expr()?;
                if !(0.0..1.0).contains(&m.confidence) {
                    return Err(self.err("media confidence must be in [0, 1)"));
                }
            }
            "variance" => m.variance = self.float_expr()?,
            "ratio" => m.ratio = self.float_expr()?,
            "density" => {
                let d = self.density_block()?;
                m.density.push(d);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `scattering { type, colour [eccentricity e] [extinction x] }`.
    fn scattering_block(&mut self, m: &mut Media) -> Result<()> {
        self.expect("{")?;
        let kind = self.float_expr()?;
        self.comma()?;
        m.scattering = self.colour()?;
        let mut eccentricity = 0.0;
        loop {
            if self.accept("}")? {
                break;
            }
            let t = self.need("eccentricity, extinction or '}'")?;
            match &t.tok {
                Tok::Word(w) if w == "eccentricity" => {
                    if kind as i64 != 5 {
                        return Err(self.err_at(
                            &t,
                            "eccentricity needs Henyey-Greenstein scattering (type 5)",
                        ));
                    }
                    eccentricity = self.float_expr()?;
                }
                Tok::Word(w) if w == "extinction" => m.extinction = self.float_expr()?,
                _ => return Err(self.expected("eccentricity, extinction or '}'", Some(&t))),
            }
        }
        m.scattering_type = match kind as i64 {
            2 => Scattering::MieHazy,
            3 => Scattering::MieMurky,
            4 => Scattering::Rayleigh,
            5 => Scattering::HenyeyGreenstein(eccentricity),
            1 => Scattering::Isotropic,
            other => {
                let here = self.here();
                self.warn(format!(
                    "{here}: unknown scattering type {other}, using isotropic scattering"
                ));
                Scattering::Isotropic
            }
        };
        Ok(())
    }

    /// `density { ... }` (keyword read): a pigment-like pattern whose colour is
    /// the medium's density (`density_map` is its colour map).
    pub(crate) fn density_block(&mut self) -> Result<Pigment> {
        let mut d = self.pigment_block()?;
        if d == self.default_layer.pigment {
            // An empty density block is POV-Ray's plain pattern: density 1.
            d.kind = PigmentKind::Solid(crate::desc::Colour::WHITE);
        }
        Ok(d)
    }
}

impl Parser<'_> {
    /// `df3 "file"` after `density_file`: the voxels read and checked; the
    /// `interpolate` modifier comes later with the other pattern modifiers.
    pub(crate) fn density_file(&mut self) -> Result<DensityFile> {
        let here = self.here();
        let t = self.need("df3")?;
        if !matches!(&t.tok, Tok::Word(w) if w == "df3") {
            return Err(self.expected("df3", Some(&t)));
        }
        let name = self.string_expr()?;
        let bytes = self.read_data_file(&name, "density")?;
        let data = Df3::parse(&bytes).map_err(|e| {
            SdlError::at(here, format!("cannot use '{name}' as a density file: {e}"))
        })?;
        Ok(DensityFile {
            data: Arc::new(data),
            interpolation: 0,
        })
    }
}

/// Moves a medium's density patterns (with the object that holds it).
pub(crate) fn transform_densities(m: &mut Media, t: &Transform) {
    m.density.iter_mut().for_each(|d| transform_pigment(d, t));
}

impl Parser<'_> {
    /// `density_map { [v colour] [v Density] [v density {..}] }` (keyword read):
    /// a colour map when every entry is a colour, else a map of densities.
    pub(crate) fn density_map(&mut self, pattern: crate::pattern::Pattern) -> Result<PigmentKind> {
        let declared = |v: &Value| match v {
            Value::ColourMap(m) => Some(
                m.iter()
                    .map(|e| crate::desc::MapEntry {
                        value: e.value,
                        item: Pigment {
                            kind: PigmentKind::Solid(e.item),
                            transform: Transform::IDENTITY,
                        },
                    })
                    .collect(),
            ),
            Value::PigmentMap(m) => Some(m.clone()),
            _ => None,
        };
        let map = self.map_block(declared, |p| {
            if p.accept_word("density")? {
                return p.density_block();
            }
            if let Some(w) = p.peek_word()? {
                if let Some(Value::Pigment(d)) = p.lookup(&w).cloned() {
                    p.next()?;
                    return Ok(d);
                }
            }
            Ok(Pigment {
                kind: PigmentKind::Solid(p.colour()?),
                transform: Transform::IDENTITY,
            })
        })?;
        if map.is_empty() {
            return Err(self.err("empty density_map"));
        }
        let solid = |d: &Pigment| match d.kind {
            PigmentKind::Solid(c) => Some(c),
            PigmentKind::ColourMap { .. }
            | PigmentKind::PigmentMap { .. }
            | PigmentKind::ImageMap(_) => None,
        };
        if map.iter().all(|e| solid(&e.item).is_some()) {
            let map = map
                .iter()
                .filter_map(|e| {
                    solid(&e.item).map(|c| crate::desc::MapEntry {
                        value: e.value,
                        item: c,
                    })
                })
                .collect();
            return Ok(PigmentKind::ColourMap { pattern, map });
        }
        Ok(PigmentKind::PigmentMap { pattern, map })
    }
}
