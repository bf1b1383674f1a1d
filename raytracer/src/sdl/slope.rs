//! The `slope` pattern's two forms: `slope <direction>` and
//! `slope { [point_at] <direction> [, low, high] [altitude <direction> [, low, high]] }`.

use glam::DVec3;

use super::error::Result;
use super::parser::Parser;
use crate::pattern::Slope;

impl Parser<'_> {
    /// The slope pattern's parameters (keyword read).
    pub(crate) fn slope_params(&mut self) -> Result<Slope> {
        if !self.accept("{")? {
            let v = self.vector_expr()?;
            return self.slope_of(v, (0.0, 0.0), DVec3::ZERO, (0.0, 0.0));
        }
        let point_at = self.accept_word("point_at")?;
        let direction = self.vector_expr()?;
        let range = self.slope_range()?;
        if point_at {
            if self.peek_word()?.as_deref() == Some("altitude") {
                return Err(self.err("slope's altitude cannot be used with point_at"));
            }
            self.expect("}")?;
            return Ok(Slope::towards(direction, range));
        }
        let (altitude, altitude_range) = if self.accept_word("altitude")? {
            let v = self.vector_expr()?;
            (v, self.slope_range()?)
        } else {
            (DVec3::ZERO, (0.0, 0.0))
        };
        self.expect("}")?;
        self.slope_of(direction, range, altitude, altitude_range)
    }

    fn slope_of(
        &self,
        direction: DVec3,
        range: (f64, f64),
        altitude: DVec3,
        altitude_range: (f64, f64),
    ) -> Result<Slope> {
        Slope::new(direction, range, altitude, altitude_range)
            .ok_or_else(|| self.err("slope: zero length for both slope and altitude"))
    }

    /// `[, low [, high]]` as POV-Ray stores it: low and width; equal bounds
    /// (other than zero) mean no range, with a warning.
    fn slope_range(&mut self) -> Result<(f64, f64)> {
        self.comma()?;
        let low = self.optional_float()?.unwrap_or(0.0);
        self.comma()?;
        let high = self.optional_float()?.unwrap_or(0.0);
        if high != 0.0 && high == low {
            let here = self.here();
            self.warn(format!("{here}: zero gradient range in slope, ignoring it"));
            return Ok((0.0, 0.0));
        }
        Ok((low, high - low))
    }
}
