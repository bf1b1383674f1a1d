//! The image blocks of textures: `image_map` (pigments), `bump_map` (normals),
//! `image_pattern` (a pattern for any map) and the image of a `material_map`.
//! Each reads its file through the scene's loader (so distributed slaves get
//! it with the scene), decodes it with the gamma POV-Ray 3.7 would use at this
//! point of the scene, and reads the block's settings into an [`ImageMap`].

use std::sync::Arc;

use super::error::Result;
use super::image_file::{self, Curve, Format, GammaOptions};
use super::lexer::Tok;
use super::parser::Parser;
use crate::pattern::image::{Image, ImageMap, ImageUse, Interpolation, MapType, Pixels};

/// Which block an image is read for: what it may contain and its defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImageBlock {
    /// `image_map`: gamma-corrected colours, filter and transmit.
    Pigment,
    /// `bump_map`: heights, `bump_size`.
    Bump,
    /// `image_pattern`: a value, `use_alpha`.
    Pattern,
    /// `material_map`: texture numbers.
    Material,
}

impl ImageBlock {
    /// POV-Ray gamma-corrects only the images whose colours are seen.
    fn gamma_corrected(self) -> bool {
        match self {
            ImageBlock::Pigment => true,
            ImageBlock::Bump | ImageBlock::Pattern | ImageBlock::Material => false,
        }
    }
}

/// POV-Ray 3.7's gamma handling as the scene has set it so far.
#[derive(Clone, Copy, Debug, PartialEq)]
enum GammaMode {
    /// A pre-3.7 scene without `assumed_gamma`: no conversion.
    Off,
    /// A pre-3.7 scene with `assumed_gamma`: files without a gamma of their
    /// own are taken to be in it.
    Legacy(f64),
    /// A 3.7 scene: files are converted to the working gamma.
    Working(f64),
}

impl Parser<'_> {
    /// An image block after its keyword: `{ [type] "file" [gamma g]
    /// [premultiplied b] settings... }`. `amount` receives a `bump_size`; for a
    /// material map the settings stop at the first `texture`, and the caller
    /// reads the textures and the closing brace.
    pub(crate) fn image_block(&mut self, block: ImageBlock, amount: &mut f64) -> Result<ImageMap> {
        self.expect("{")?;
        let mut image = self.image_source(block)?;
        let mut map = ImageMap::new(Arc::new(Image {
            width: image.width,
            height: image.height,
            pixels: Pixels::Colour(Vec::new()),
            has_alpha: false,
            premultiplied: false,
        }));
        while let Some(w) = self.peek_word()? {
            if !self.image_setting(&w, block, &mut map, &mut image, amount)? {
                break;
            }
        }
        map.image = Arc::new(image);
        if block != ImageBlock::Material {
            self.expect("}")?;
        }
        Ok(map)
    }

    /// One setting of an image block (the word peeked); false if `w` is none.
    fn image_setting(
        &mut self,
        w: &str,
        block: ImageBlock,
        map: &mut ImageMap,
        image: &mut Image,
        amount: &mut f64,
    ) -> Result<bool> {
        let t = self.need("an image setting")?;
        match w {
            "once" => map.once = true,
            "interpolate" => {
                let n = self.float_expr()?;
                map.interpolation = Interpolation::from_number(n as i64)
                    .ok_or_else(|| self.err_at(&t, format!("invalid interpolate value {n}")))?;
            }
            "map_type" => {
                let n = self.float_expr()?;
                map.map_type = MapType::from_number(n as i64).ok_or_else(|| {
                    self.err_at(&t, format!("map_type must be 0, 1, 2 or 5, not {n}"))
                })?;
            }
            "use_color" | "use_colour" => map.use_mode = ImageUse::Colour,
            "use_index" => map.use_mode = ImageUse::Index,
            "use_alpha" if block == ImageBlock::Pattern => map.use_mode = ImageUse::Alpha,
            "bump_size" if block == ImageBlock::Bump => *amount = self.float_expr()?,
            "repeat" => {
                let r = self.expr()?.promote(2);
                if r.c[0] <= 0.0 || r.c[1] <= 0.0 {
                    return Err(self.err_at(&t, "zero or negative image repeat vector"));
                }
                map.extent = (image.width as f64 * r.c[0], image.height as f64 * r.c[1]);
            }
            "offset" => {
                let o = self.expr()?.promote(2);
                map.offset = (
                    o.c[0] * -(image.width as f64),
                    o.c[1] * -(image.height as f64),
                );
            }
            "filter" | "transmit" | "alpha" if block == ImageBlock::Pigment => {
                self.image_transparency(w, map, image)?;
            }
            _ => {
                self.unget(t);
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `filter all f`, `filter index, f` and the same for `transmit`.
    fn image_transparency(&mut self, w: &str, map: &mut ImageMap, image: &mut Image) -> Result<()> {
        if w == "alpha" {
            let here = self.here();
            self.warn(format!(
                "{here}: keyword alpha is discontinued; use filter instead"
            ));
        }
        let channel = if w == "transmit" { 4 } else { 3 };
        let palette = match &mut image.pixels {
            Pixels::Indexed { palette, .. } => Some(palette),
            Pixels::Colour(_) => None,
        };
        if self.accept_word("all")? {
            let v = self.float_expr()?;
            if channel == 4 {
                map.transmit_all = v;
            } else {
                map.filter_all = v;
            }
            if let Some(palette) = palette {
                palette.iter_mut().for_each(|c| c[channel] = v as f32);
            }
            return Ok(());
        }
        let reg = (self.float_expr()? + 0.01) as i64;
        self.comma()?;
        let v = self.float_expr()?;
        let Some(palette) = palette else {
            return Err(self.err(format!(
                "{w} with a palette index needs a palette image; use {w} all"
            )));
        };
        let n = palette.len();
        let entry = usize::try_from(reg)
            .ok()
            .and_then(|i| palette.get_mut(i))
            .ok_or_else(|| {
                self.err(format!(
                    "{w} colour register {reg} is out of range (the palette has {n})"
                ))
            })?;
        entry[channel] = v as f32;
        Ok(())
    }

    /// The file of an image block, read and decoded.
    fn image_source(&mut self, block: ImageBlock) -> Result<Image> {
        let start = self.here();
        if matches!(self.peek()?, Some(Tok::Punct("<"))) {
            self.vector_expr()?;
            self.warn(format!(
                "{start}: old style orientation vector or map type not supported; ignoring it"
            ));
        }
        if self.accept_word("function")? {
            return Ok(self.function_image()?.image());
        }
        let keyword = match self.peek_word()? {
            Some(w) => Format::from_keyword(&w).map(|f| (f, w)),
            None => None,
        };
        if keyword.is_some() {
            self.next()?;
        }
        let name = self.string_expr()?;
        let format = match keyword {
            Some((f, _)) => f,
            None => Format::from_name(&name).ok_or_else(|| {
                self.err(format!(
                    "cannot tell the image type of '{name}' from its name; \
                     write png, jpeg, tga, ... before it"
                ))
            })?,
        };
        let mut gamma = self.image_gamma(block, None);
        let mut premultiplied = None;
        loop {
            if self.accept_word("gamma")? {
                let curve = self.gamma_curve()?;
                gamma = self.image_gamma(block, Some(curve));
            } else if self.accept_word("premultiplied")? {
                premultiplied = Some(self.float_expr()? != 0.0);
            } else {
                break;
            }
        }
        let bytes = self.read_image(&name)?;
        let mut image = image_file::decode(&bytes, format, &gamma)
            .map_err(|e| self.err(format!("cannot use image '{name}': {e}")))?;
        if let Some(p) = premultiplied {
            image.premultiplied = p;
        }
        Ok(image)
    }

    /// `gamma srgb` or `gamma g`.
    fn gamma_curve(&mut self) -> Result<Curve> {
        if self.accept_word("srgb")? {
            return Ok(Curve::Srgb);
        }
        let g = self.float_expr()?;
        if g <= 0.0 || !g.is_finite() {
            return Err(self.err(format!("gamma must be positive, not {g}")));
        }
        Ok(Curve::Power(g))
    }

    /// How an image read now is converted: POV-Ray's read options for the
    /// scene's gamma mode, the block, and the file's `gamma` if given.
    fn image_gamma(&self, block: ImageBlock, file_gamma: Option<Curve>) -> GammaOptions {
        let mode = self.gamma_mode();
        let working = match mode {
            GammaMode::Off => None,
            GammaMode::Legacy(g) | GammaMode::Working(g) => Some(g),
        };
        let corrected = block.gamma_corrected();
        if let Some(curve) = file_gamma {
            return GammaOptions {
                correct: true,
                file_gamma: Some(curve),
                default: None,
                working: if corrected { working } else { None },
            };
        }
        GammaOptions {
            correct: corrected && mode != GammaMode::Off,
            file_gamma: None,
            default: match mode {
                GammaMode::Legacy(g) => Some(Curve::Power(g)),
                GammaMode::Off | GammaMode::Working(_) => None,
            },
            working,
        }
    }

    /// The gamma mode POV-Ray has at this point of the parse.
    fn gamma_mode(&self) -> GammaMode {
        let v37 = self.scene.version >= 3.7;
        match self.scene.global.assumed_gamma {
            Some(g) if g > 0.0 && v37 => GammaMode::Working(g),
            Some(g) if g > 0.0 => GammaMode::Legacy(g),
            Some(_) | None if self.scene.version_set && v37 => GammaMode::Working(1.0),
            Some(_) | None => GammaMode::Off,
        }
    }
}
