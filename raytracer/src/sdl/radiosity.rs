//! The `radiosity { }` block of `global_settings`.

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use crate::desc::Radiosity;

impl Parser<'_> {
    /// An `importance` value (the keyword read): in (0, 1], as POV-Ray demands.
    pub(crate) fn radiosity_importance(&mut self) -> Result<f64> {
        let v = self.float_expr()?;
        if v <= 0.0 || v > 1.0 || v.is_nan() {
            return Err(self.err(format!(
                "radiosity importance must be greater than 0.0 and at most 1.0, not {v}"
            )));
        }
        Ok(v)
    }

    /// An object's `radiosity { [importance I] }` (the keyword read).
    pub(crate) fn object_radiosity(&mut self, importance: &mut Option<f64>) -> Result<()> {
        self.expect("{")?;
        loop {
            let t = self.need("importance or '}'")?;
            match &t.tok {
                Tok::Punct("}") => return Ok(()),
                Tok::Word(w) if w == "importance" => {
                    *importance = Some(self.radiosity_importance()?)
                }
                _ => return Err(self.expected("importance or '}'", Some(&t))),
            }
        }
    }

    /// Parses `radiosity { ... }` (the keyword already read) into POV-Ray 3.7's
    /// settings; a repeated block changes the settings the earlier one made.
    pub(crate) fn radiosity_settings(&mut self, base: Option<Radiosity>) -> Result<Radiosity> {
        let mut r = base.unwrap_or_default();
        self.expect("{")?;
        loop {
            let t = self.need("a radiosity setting or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(r);
                }
                return Err(self.expected("a radiosity setting or '}'", Some(&t)));
            };
            let here = self.here();
            match w.as_str() {
                "adc_bailout" => r.adc_bailout = self.float_expr()?.max(0.0),
                "always_sample" => r.always_sample = self.optional_bool()?,
                "brightness" => r.brightness = self.float_expr()?,
                "count" => {
                    r.count = self.float_expr()?.clamp(1.0, 1e6) as u32;
                    if let Some(n) = self.second_value()? {
                        r.direction_pool = n.clamp(1.0, 1e7) as u32;
                    }
                }
                "error_bound" => r.error_bound = self.float_expr()?.max(0.0),
                "gray_threshold" => r.gray_threshold = self.float_expr()?.clamp(0.0, 1.0),
                "low_error_factor" => r.low_error_factor = self.float_expr()?.max(0.0),
                "max_sample" => r.max_sample = self.float_expr()?,
                "maximum_reuse" => r.maximum_reuse = self.float_expr()?.max(0.0),
                "minimum_reuse" => r.minimum_reuse = self.float_expr()?.max(0.0),
                "nearest_count" => {
                    r.nearest_count = self.float_expr()?.clamp(1.0, 20.0) as u32;
                    if self.second_value()?.is_some() {
                        self.warn(format!(
                            "{here}: radiosity's adaptive pretrace (nearest_count's second value) is not supported and was ignored"
                        ));
                    }
                }
                "recursion_limit" => r.recursion_limit = self.float_expr()?.clamp(1.0, 20.0) as u32,
                "pretrace_start" => r.pretrace_start = self.float_expr()?.max(0.0),
                "pretrace_end" => r.pretrace_end = self.float_expr()?.max(0.0),
                "normal" => r.normal = self.optional_bool()?,
                "media" => r.media = self.optional_bool()?,
                "subsurface" => {
                    if self.optional_bool()? {
                        self.warn(format!(
                            "{here}: radiosity subsurface is not supported and was ignored"
                        ));
                    }
                }
                // Obsolete 3.5 settings POV-Ray 3.7 still reads and ignores.
                "distance_maximum" => {
                    self.float_expr()?;
                }
                "save_file" | "load_file" => {
                    let w = w.clone();
                    self.string_expr()?;
                    self.warn(format!(
                        "{here}: radiosity {w} is not supported and was ignored"
                    ));
                }
                _ => return Err(self.expected("a radiosity setting or '}'", Some(&t))),
            }
        }
    }

    /// An optional `, value` after a setting's first value.
    fn second_value(&mut self) -> Result<Option<f64>> {
        if self.peek()? != Some(Tok::Punct(",")) {
            return Ok(None);
        }
        self.need("','")?;
        Ok(Some(self.float_expr()?))
    }
}
