//! The fractal patterns' own syntax: `mandel N`, `julia <c>, N`,
//! `magnet 1|2 mandel N`, `magnet 1|2 julia <c>, N`, and `exponent`.

use glam::DVec2;

use super::error::Result;
use super::parser::Parser;
use crate::pattern::fractal::{Fractal, FractalSet, Magnet, MAX_EXPONENT, MAX_ITERATIONS};

impl Parser<'_> {
    /// What follows a fractal keyword; `f.set` says which keyword it was.
    pub(crate) fn fractal_params(&mut self, f: &mut Fractal) -> Result<()> {
        match f.set {
            FractalSet::Mandel => {}
            FractalSet::Julia(_) => f.set = FractalSet::Julia(self.julia_coord()?),
            FractalSet::MagnetMandel(_) | FractalSet::MagnetJulia(..) => {
                f.set = self.magnet_set()?;
            }
        }
        let max = f64::from(MAX_ITERATIONS);
        let n = self.float_expr()?;
        if n < 1.0 {
            return Err(self.err("a fractal pattern needs at least 1 iteration"));
        }
        f.iterations = n.min(max) as u32;
        Ok(())
    }

    /// `<u, v>,` the julia parameter.
    fn julia_coord(&mut self) -> Result<DVec2> {
        let v = self.expr()?;
        self.comma()?;
        Ok(DVec2::new(v.c[0], v.c[1]))
    }

    /// `1|2 mandel` or `1|2 julia <c>,`.
    fn magnet_set(&mut self) -> Result<FractalSet> {
        let n = self.float_expr()?;
        let m = match n as i64 {
            1 => Magnet::One,
            2 => Magnet::Two,
            _ => return Err(self.err(format!("magnet type must be 1 or 2, not {n}"))),
        };
        if self.accept_word("mandel")? {
            return Ok(FractalSet::MagnetMandel(m));
        }
        if self.accept_word("julia")? {
            return Ok(FractalSet::MagnetJulia(m, self.julia_coord()?));
        }
        Err(self.err("expected mandel or julia after magnet's type"))
    }

    /// `exponent E` (keyword read). As in POV-Ray, an exponent turns a magnet
    /// into the plain set it derives from, and a bad one warns and gives 2.
    pub(crate) fn fractal_exponent(&mut self, f: &mut Fractal) -> Result<()> {
        let here = self.here();
        let e = self.float_expr()? as i64;
        f.exponent = match u32::try_from(e) {
            Ok(e) if (2..=MAX_EXPONENT).contains(&e) => e,
            _ => {
                self.warn(format!(
                    "{here}: fractal exponents run from 2 to {MAX_EXPONENT}, not {e}; using 2"
                ));
                2
            }
        };
        f.set = match f.set {
            FractalSet::MagnetMandel(_) => FractalSet::Mandel,
            FractalSet::MagnetJulia(_, c) => FractalSet::Julia(c),
            other => other,
        };
        Ok(())
    }
}
