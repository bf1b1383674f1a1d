//! `warp { ... }` inside a pigment, normal, texture or density: one warp type with
//! its own options, recorded in the pattern with the transforms written before it
//! (see `pattern::warp`).

use glam::DVec3;

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use crate::desc::Transform;
use crate::pattern::warp::{BlackHole, Mapping, Repeat};
use crate::pattern::{Pattern, Turbulence, Warp, WarpKind};

/// What POV-Ray calls EPSILON when it checks a black hole's repeat vector.
const BH_EPSILON: f64 = 1e-10;

impl Parser<'_> {
    /// `warp { ... }` (keyword read) on `pat`, whose transforms so far are `at`.
    /// Without a pattern (a warp on a solid pigment) the warp is read and dropped,
    /// as POV-Ray's plain pigment ignores it.
    pub(crate) fn warp_block(&mut self, pat: Option<&mut Pattern>, at: &Transform) -> Result<()> {
        self.expect("{")?;
        let t = self.need("a warp type")?;
        let kind = match &t.tok {
            Tok::Word(w) => match w.as_str() {
                "turbulence" => WarpKind::Turbulence(self.turbulence_warp()?),
                "repeat" => WarpKind::Repeat(self.repeat_warp()?),
                "black_hole" => WarpKind::BlackHole(self.black_hole_warp()?),
                "planar" => self.planar_warp()?,
                "cylindrical" => WarpKind::Cylindrical(self.mapping(&[])?.0),
                "spherical" => WarpKind::Spherical(self.mapping(&[])?.0),
                "toroidal" => {
                    let (mapping, major_radius) = self.mapping(&["major_radius"])?;
                    WarpKind::Toroidal {
                        mapping,
                        major_radius: major_radius.unwrap_or(1.0),
                    }
                }
                "cubic" => WarpKind::Cubic,
                _ => return Err(self.expected("a warp type", Some(&t))),
            },
            _ => return Err(self.expected("a warp type", Some(&t))),
        };
        self.expect("}")?;
        if let Some(pat) = pat {
            pat.warps.push(Warp::new(kind, at.matrix, at.inverse));
        }
        Ok(())
    }

    /// `turbulence <v> [octaves n] [omega w] [lambda l]`.
    fn turbulence_warp(&mut self) -> Result<Turbulence> {
        let mut t = Turbulence::new(self.vector_expr()?);
        loop {
            match self.peek_word()?.as_deref() {
                Some("octaves") => {
                    self.next()?;
                    t.octaves = self.float_expr()?.clamp(1.0, 10.0) as u32;
                }
                Some("omega") => {
                    self.next()?;
                    t.omega = self.float_expr()?;
                }
                Some("lambda") => {
                    self.next()?;
                    t.lambda = self.float_expr()?;
                }
                _ => return Ok(t),
            }
        }
    }

    /// `repeat <v> [offset <o>] [flip <f>]`: `v` names one axis and the width.
    fn repeat_warp(&mut self) -> Result<Repeat> {
        let v = self.vector_expr()?;
        let axes: Vec<usize> = (0..3).filter(|&i| v[i] != 0.0).collect();
        let axis = match axes.as_slice() {
            [a] => *a,
            [] => return Err(self.err("no axis given in warp repeat")),
            _ => return Err(self.err("warp repeat can only repeat along one axis")),
        };
        let mut r = Repeat {
            axis,
            width: v[axis],
            offset: DVec3::ZERO,
            flip: DVec3::ONE,
        };
        loop {
            match self.peek_word()?.as_deref() {
                Some("offset") => {
                    self.next()?;
                    r.offset = self.vector_expr()?;
                }
                Some("flip") => {
                    self.next()?;
                    let f = self.vector_expr()?;
                    r.flip = DVec3::select(f.cmpne(DVec3::ZERO), DVec3::NEG_ONE, DVec3::ONE);
                }
                _ => return Ok(r),
            }
        }
    }

    /// `black_hole <c>, r [strength s] [falloff f] [inverse] [type t] [repeat <v>]
    /// [turbulence <u>]`.
    fn black_hole_warp(&mut self) -> Result<BlackHole> {
        let centre = self.vector_expr()?;
        self.comma()?;
        let radius = self.float_expr()?;
        if radius <= 0.0 {
            return Err(self.err("a black hole's radius must be positive"));
        }
        let mut b = BlackHole {
            centre,
            radius,
            strength: 1.0,
            falloff: 2.0,
            inverse: false,
            repeat: None,
            uncertainty: None,
        };
        loop {
            match self.peek_word()?.as_deref() {
                Some("strength") => {
                    self.next()?;
                    b.strength = self.float_expr()?;
                }
                Some("falloff") => {
                    self.next()?;
                    b.falloff = self.float_expr()?;
                }
                Some("inverse") => {
                    self.next()?;
                    b.inverse = true;
                }
                Some("type") => {
                    self.next()?;
                    let here = self.here();
                    if self.float_expr()? != 0.0 {
                        self.warn(format!(
                            "{here}: black_hole types other than 0 do nothing in POV-Ray 3.7"
                        ));
                    }
                }
                Some("repeat") => {
                    self.next()?;
                    b.repeat = Some(self.vector_expr()?);
                    self.check_black_hole(&mut b);
                }
                Some("turbulence") => {
                    self.next()?;
                    b.uncertainty = Some(self.vector_expr()?);
                    self.check_black_hole(&mut b);
                }
                _ => return Ok(b),
            }
        }
    }

    /// POV-Ray's corrections to a repeated black hole: the centre at least a
    /// radius into its block, and each block wide enough to hold the hole.
    fn check_black_hole(&mut self, b: &mut BlackHole) {
        let Some(mut rv) = b.repeat else {
            return;
        };
        let u = b.uncertainty.unwrap_or(DVec3::ZERO);
        for (i, axis) in ["x", "y", "z"].iter().enumerate() {
            if rv[i] <= 0.0 {
                continue;
            }
            b.centre[i] = b.centre[i].max(b.radius);
            let least = b.centre[i] + b.radius + u[i];
            if rv[i] < least {
                rv[i] = least;
                let here = self.here();
                self.warn(format!(
                    "{here}: black hole repeat vector {axis} too small; increased to {least}"
                ));
            }
            if rv[i] < BH_EPSILON {
                rv[i] = 0.0;
            }
        }
        b.repeat = Some(rv);
    }

    /// `planar [<orientation>, offset]`.
    fn planar_warp(&mut self) -> Result<WarpKind> {
        if matches!(self.peek()?, Some(Tok::Punct("}"))) {
            return Ok(WarpKind::Planar {
                orientation: DVec3::Z,
                offset: 0.0,
            });
        }
        let orientation = self.orientation()?;
        self.comma()?;
        let offset = self.float_expr()?;
        Ok(WarpKind::Planar {
            orientation,
            offset,
        })
    }

    /// `[orientation <v>] [dist_exp d]` and the one extra float option `extra`
    /// names (toroidal's `major_radius`), in any order.
    fn mapping(&mut self, extra: &[&str]) -> Result<(Mapping, Option<f64>)> {
        let mut m = Mapping::default();
        let mut value = None;
        loop {
            match self.peek_word()? {
                Some(w) if w == "orientation" => {
                    self.next()?;
                    m.orientation = self.orientation()?;
                }
                Some(w) if w == "dist_exp" => {
                    self.next()?;
                    m.dist_exp = self.float_expr()?;
                }
                Some(w) if extra.contains(&w.as_str()) => {
                    self.next()?;
                    value = Some(self.float_expr()?);
                }
                _ => return Ok((m, value)),
            }
        }
    }

    /// A warp's orientation vector, normalised (a zero vector is an error).
    fn orientation(&mut self) -> Result<DVec3> {
        let v = self.vector_expr()?;
        v.try_normalize()
            .ok_or_else(|| self.err("a warp orientation must not be the zero vector"))
    }
}
