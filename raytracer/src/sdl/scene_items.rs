//! Scene-level statements: the top-level loop that places objects (camera and
//! light blocks are parsed in their own modules), global_settings, background and
//! the skipped atmospheric blocks.

use super::error::Result;
use super::lexer::Tok;
use super::objects::is_object_keyword;
use super::parser::Parser;
use super::value::Item;
use crate::desc::{Object, Shape, Texture};
use crate::pattern::NoiseGenerator;

impl Parser<'_> {
    /// Parses statements until the end of the input.
    pub(crate) fn scene(&mut self) -> Result<()> {
        while let Some(t) = self.next()? {
            let w = match &t.tok {
                Tok::Word(w) => w.clone(),
                Tok::Punct(";") => continue,
                _ => {
                    return Err(
                        self.expected("an object, camera, light_source or directive", Some(&t))
                    )
                }
            };
            if is_object_keyword(&w) {
                let item = self.item(&w, &t)?;
                self.place(item);
                continue;
            }
            match w.as_str() {
                "camera" => {
                    let spec = self.camera_block()?;
                    self.scene.camera = self.final_camera(&spec)?;
                }
                "global_settings" => self.global_settings()?,
                // POV-Ray reads `default { }` without its `#` at the top level.
                "default" => self.default_directive()?,
                "background" => self.background_block()?,
                "sky_sphere" | "fog" | "rainbow" => self.atmospheric_item(&w)?,
                "media" => {
                    let m = self.media_block()?;
                    self.scene.atmosphere.media.push(m);
                }
                "atmosphere" | "photons" | "radiosity" => self.skip_block(&w)?,
                _ => {
                    let what = match self.lookup(&w) {
                        Some(v) => format!(
                            "a {} identifier '{w}' (use object {{ {w} }} to place an object)",
                            v.kind()
                        ),
                        None => t.tok.describe(),
                    };
                    return Err(self.err_at(
                        &t,
                        format!("expected an object, camera, light_source or directive but found {what}"),
                    ));
                }
            }
        }
        // Scenes older than 3.5 get the original noise unless they chose one.
        if !self.noise_generator_set && self.scene.version < 3.5 {
            self.scene.global.noise_generator = 1;
        }
        if let Some(open) = self.conds.last() {
            let what = match open.cond {
                super::parser::Cond::Macro => "macro body",
                _ => "#if, #while, #for or #switch",
            };
            return Err(self.err(format!("end of input inside {what}: missing #end")));
        }
        Ok(())
    }

    /// Adds a finished top-level object: lights hoisted, textures inherited, the
    /// `#default` texture given to primitives still without one.
    fn place(&mut self, item: Item) {
        self.scene.lights.extend(item.lights);
        if let Some(mut o) = item.object {
            let default = Texture::Plain(self.default_layer.clone());
            let importance = self.scene.global.radiosity_importance;
            inherit(&mut o, None, &default, importance);
            self.scene.objects.push(o);
        }
    }

    fn global_settings(&mut self) -> Result<()> {
        self.expect("{")?;
        loop {
            let t = self.need("a global setting or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(());
                }
                return Err(self.expected("a global setting or '}'", Some(&t)));
            };
            let g = &mut self.scene.global;
            match w.as_str() {
                "assumed_gamma" => {
                    let v = self.float_expr()?;
                    self.scene.global.assumed_gamma = Some(v);
                }
                "max_trace_level" => {
                    let v = self.float_expr()?;
                    self.scene.global.max_trace_level = v.clamp(1.0, 256.0) as u32;
                }
                "adc_bailout" => {
                    let v = self.float_expr()?;
                    self.scene.global.adc_bailout = v;
                }
                "ambient_light" => {
                    let c = self.rgb_colour()?;
                    self.scene.global.ambient_light = c;
                }
                "irid_wavelength" => {
                    let c = self.colour()?;
                    self.scene.global.irid_wavelength = c;
                }
                "noise_generator" => {
                    let n = self.float_expr()?;
                    if NoiseGenerator::from_number(n as i64).is_none() {
                        return Err(
                            self.err_at(&t, format!("noise_generator must be 1, 2 or 3, not {n}"))
                        );
                    }
                    self.scene.global.noise_generator = n as u8;
                    self.noise_generator_set = true;
                }
                "number_of_waves" => {
                    let n = self.float_expr()?;
                    self.scene.global.number_of_waves = n.clamp(1.0, 1e4) as u32;
                }
                "max_intersections" => {
                    let n = self.float_expr()?;
                    self.scene.global.max_intersections = n.clamp(1.0, 1e6) as u32;
                }
                "hf_gray_16" => {
                    let _ = g;
                    self.optional_bool()?;
                }
                "charset" => {
                    self.need("a charset name")?;
                }
                "mm_per_unit" => {
                    self.scene.global.mm_per_unit = self.float_expr()?;
                }
                "radiosity" => {
                    let base = self.scene.global.radiosity.take();
                    self.scene.global.radiosity = Some(self.radiosity_settings(base)?);
                }
                "photons" => self.scene.global.photons = Some(self.global_photons()?),
                "subsurface" => {
                    let base = self.scene.global.subsurface.take().unwrap_or_default();
                    self.scene.global.subsurface = Some(self.global_subsurface(base)?);
                }
                _ => return Err(self.expected("a global setting or '}'", Some(&t))),
            }
        }
    }
}

/// What a CSG parent passes down to its children at the end of parsing.
struct Inherited<'a> {
    texture: Option<&'a Texture>,
    interior_texture: Option<&'a Texture>,
    interior: Option<&'a crate::desc::Interior>,
    hollow: Option<bool>,
    no_shadow: bool,
    no_image: bool,
    no_reflection: bool,
    double_illuminate: bool,
    photons: &'a crate::desc::ObjectPhotons,
    radiosity_importance: Option<f64>,
}

/// POV-Ray's post-processing of a finished object: CSG children without a texture,
/// interior or `hollow` take their parent's, the parent's `no_shadow`, `no_image`,
/// `no_reflection` and `double_illuminate` apply to every child, children without a radiosity
/// importance take the parent's, and primitives still without a texture get the default one.
fn inherit(o: &mut Object, from: Option<&Inherited>, default: &Texture, importance: f64) {
    if let Some(p) = from {
        if o.texture.is_none() {
            o.texture = p.texture.cloned();
        }
        if o.interior.is_none() {
            o.interior = p.interior.cloned();
        }
        if o.interior_texture.is_none() {
            o.interior_texture = p.interior_texture.cloned();
        }
        o.hollow = o.hollow.or(p.hollow);
        o.no_shadow |= p.no_shadow;
        o.no_image |= p.no_image;
        o.no_reflection |= p.no_reflection;
        o.double_illuminate |= p.double_illuminate;
        if o.photons == crate::desc::ObjectPhotons::default() {
            o.photons = p.photons.clone();
        }
        // As POV-Ray's: a child takes the parent's importance, else the
        // `#default` one of the time the object was finished.
        let parents = p.radiosity_importance.unwrap_or(importance);
        o.radiosity_importance = o.radiosity_importance.or(Some(parents));
    }
    if let Shape::Csg { children, .. } = &mut o.shape {
        let texture = o.texture.take();
        let interior_texture = o.interior_texture.take();
        let pass = Inherited {
            texture: texture.as_ref(),
            interior_texture: interior_texture.as_ref(),
            interior: o.interior.as_ref(),
            hollow: o.hollow,
            no_shadow: o.no_shadow,
            no_image: o.no_image,
            no_reflection: o.no_reflection,
            double_illuminate: o.double_illuminate,
            photons: &o.photons,
            radiosity_importance: o.radiosity_importance,
        };
        for c in children.iter_mut() {
            inherit(c, Some(&pass), default, importance);
        }
    } else if o.texture.is_none() {
        o.texture = Some(default.clone());
    }
}
