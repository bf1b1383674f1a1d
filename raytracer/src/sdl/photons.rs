//! The three `photons { }` blocks: in `global_settings`, in an object and in a
//! light source (POV-Ray 3.7's keywords and defaults).

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use crate::desc::{LightPhotons, ObjectPhotons, PhotonFile, Photons};

impl Parser<'_> {
    /// `global_settings { photons { ... } }` (the keyword already read). As in
    /// POV-Ray, every block starts again from the defaults.
    pub(crate) fn global_photons(&mut self) -> Result<Photons> {
        let mut p = Photons::default();
        self.expect("{")?;
        while let Some(w) = self.photon_word("a photons setting or '}'")? {
            match w.as_str() {
                "spacing" => p.spacing = self.float_expr()?,
                "count" => p.count = self.float_expr()?.clamp(0.0, 1e9) as u32,
                "gather" => {
                    p.gather_min = self.float_expr()?.clamp(0.0, 1e6) as u32;
                    self.expect(",")?;
                    p.gather_max = self.float_expr()?.clamp(0.0, 1e6) as u32;
                }
                "jitter" => p.jitter = self.float_expr()?,
                "autostop" => p.autostop = self.float_expr()?,
                "expand_thresholds" => {
                    p.expand_tolerance = self.float_expr()?.max(0.0);
                    self.expect(",")?;
                    p.expand_min = self.float_expr()?.clamp(0.0, 1e6) as u32;
                }
                "max_trace_level" => {
                    p.max_trace_level = Some(self.float_expr()?.clamp(1.0, 256.0) as u32)
                }
                "adc_bailout" => p.adc_bailout = Some(self.float_expr()?.max(0.0)),
                "radius" => self.photon_radius(&mut p)?,
                "media" => {
                    let steps = self.float_expr()?;
                    if steps < 0.0 {
                        return Err(self.err("max media steps must be non-negative"));
                    }
                    p.media_steps = steps.min(1e6) as u32;
                    if self.peek()? == Some(Tok::Punct(",")) {
                        self.need("','")?;
                        p.media_factor = self.float_expr()?;
                    }
                    if p.media_factor <= 0.0 {
                        return Err(self.err("media spacing factor must be greater than zero"));
                    }
                }
                "save_file" => {
                    let name = self.string_expr()?;
                    super::fileio::check_write_name(&name).map_err(|e| self.err(e))?;
                    p.file = Some(PhotonFile::Save(name));
                }
                "load_file" => {
                    let name = self.string_expr()?;
                    let bytes = self.photon_map_file(&name)?;
                    p.file = Some(PhotonFile::Load { name, bytes });
                }
                _ => {
                    return Err(self.err(format!(
                        "expected a photons setting or '}}' but found '{w}'"
                    )))
                }
            }
        }
        if p.gather_min > p.gather_max {
            return Err(self.err("min_gather_count must be less than max_gather_count"));
        }
        Ok(p)
    }

    /// The bytes of photon map file `name` for `load_file`, checked to be one:
    /// read as `#fopen` reads (the working folder, where `save_file` writes,
    /// then the scene's folder and the include paths) and recorded, so that
    /// distributed slaves load the same map.
    fn photon_map_file(&mut self, name: &str) -> Result<Vec<u8>> {
        let bytes = self.read_user_bytes(name, "photon map")?;
        if let Err(e) = crate::render::photons::file::decode(&bytes) {
            return Err(self.err(format!("cannot load photon map '{name}': {e}")));
        }
        Ok(bytes)
    }

    /// `radius [gather_radius, multiplier, media_radius, media_multiplier]`, every
    /// value optional.
    fn photon_radius(&mut self, p: &mut Photons) -> Result<()> {
        p.radius = self.optional_float()?.filter(|r| *r > 0.0);
        for i in 0..3 {
            if self.peek()? != Some(Tok::Punct(",")) {
                break;
            }
            self.need("','")?;
            let v = self.optional_float()?;
            match i {
                0 => p.radius_factor = v.unwrap_or(1.0),
                1 => p.media_radius = v.filter(|r| *r > 0.0),
                _ => p.media_radius_factor = v.unwrap_or(1.0),
            }
        }
        Ok(())
    }

    /// An object's `photons { ... }` (the keyword already read).
    pub(crate) fn object_photons(&mut self, o: &mut ObjectPhotons) -> Result<()> {
        self.expect("{")?;
        while let Some(w) = self.photon_word("an object photons setting or '}'")? {
            match w.as_str() {
                "target" => {
                    let m = self.optional_float()?.unwrap_or(1.0);
                    o.target = (m > 0.0).then_some(m);
                }
                "refraction" => o.refraction = Some(self.float_expr()? as i64 != 0),
                "reflection" => o.reflection = Some(self.float_expr()? as i64 != 0),
                "collect" => o.collect = self.optional_bool()?,
                "pass_through" => o.pass_through = self.optional_bool()?,
                _ => {
                    return Err(self.err(format!(
                        "expected an object photons setting or '}}' but found '{w}'"
                    )))
                }
            }
        }
        Ok(())
    }

    /// A light's `photons { ... }` (the keyword already read).
    pub(crate) fn light_photons(&mut self, l: &mut LightPhotons) -> Result<()> {
        self.expect("{")?;
        while let Some(w) = self.photon_word("a light photons setting or '}'")? {
            match w.as_str() {
                "refraction" => l.refraction = Some(self.float_expr()? as i64 != 0),
                "reflection" => l.reflection = Some(self.float_expr()? as i64 != 0),
                "area_light" => l.area_light = self.optional_bool()?,
                _ => {
                    return Err(self.err(format!(
                        "expected a light photons setting or '}}' but found '{w}'"
                    )))
                }
            }
        }
        Ok(())
    }

    /// The next keyword of a photons block, or None at its closing brace.
    fn photon_word(&mut self, what: &str) -> Result<Option<String>> {
        let t = self.need(what)?;
        match &t.tok {
            Tok::Word(w) => Ok(Some(w.to_string())),
            Tok::Punct("}") => Ok(None),
            _ => Err(self.expected(what, Some(&t))),
        }
    }
}
