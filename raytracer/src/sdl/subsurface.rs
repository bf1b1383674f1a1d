//! The two `subsurface { }` blocks: in `global_settings` (samples and radiosity,
//! which also switch subsurface light transport on) and in a finish
//! (translucency and anisotropy), with POV-Ray 3.7's keywords and defaults.

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use crate::desc::{Subsurface, SubsurfaceSettings};

impl Parser<'_> {
    /// `global_settings { subsurface { samples A, B radiosity B } }` (the keyword
    /// already read); a later block changes only what it names.
    pub(crate) fn global_subsurface(
        &mut self,
        mut s: SubsurfaceSettings,
    ) -> Result<SubsurfaceSettings> {
        self.expect("{")?;
        loop {
            let t = self.need("samples, radiosity or '}'")?;
            match &t.tok {
                Tok::Punct("}") => return Ok(s),
                Tok::Word(w) if w == "samples" => {
                    s.samples_diffuse = self.float_expr()?.clamp(0.0, 1e6) as u32;
                    self.comma()?;
                    s.samples_single = self.float_expr()?.clamp(0.0, 1e6) as u32;
                }
                Tok::Word(w) if w == "radiosity" => {
                    s.radiosity = self.optional_bool()?;
                    if s.radiosity {
                        let here = self.here();
                        self.warn(format!(
                            "{here}: subsurface radiosity is not supported and was ignored"
                        ));
                    }
                }
                _ => return Err(self.expected("samples, radiosity or '}'", Some(&t))),
            }
        }
    }

    /// A finish's `subsurface { translucency C anisotropy C }` (the keyword read).
    pub(crate) fn finish_subsurface(&mut self, base: Option<Subsurface>) -> Result<Subsurface> {
        let mut s = base.unwrap_or_default();
        self.expect("{")?;
        loop {
            let t = self.need("translucency, anisotropy or '}'")?;
            match &t.tok {
                Tok::Punct("}") => return Ok(s),
                Tok::Word(w) if w == "translucency" => s.translucency = self.colour()?,
                Tok::Word(w) if w == "anisotropy" => s.anisotropy = self.colour()?,
                _ => return Err(self.expected("translucency, anisotropy or '}'", Some(&t))),
            }
        }
    }
}
