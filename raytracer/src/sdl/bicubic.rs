//! The body of `bicubic_patch`: its options (`type`, `flatness`, `u_steps`,
//! `v_steps`, `accuracy`, `uv_vectors`, or the old positional floats) and its 16
//! control points, up to the object modifiers [`super::objects`] reads.

use glam::{DVec2, DVec3};

use super::error::{Result, SdlError};
use super::lexer::Tok;
use super::parser::Parser;
use crate::desc::shapes::BicubicPatch;
use crate::desc::Shape;

/// More halvings than this per direction would build millions of pieces (POV-Ray
/// would subdivide as long as asked; a scene asking that much is a mistake).
const MAX_STEPS: u32 = 10;

impl Parser<'_> {
    /// The parameters after `bicubic_patch {`.
    pub(crate) fn bicubic_patch_params(&mut self) -> Result<Shape> {
        let start = self.here();
        let mut p = BicubicPatch {
            points: [[DVec3::ZERO; 4]; 4],
            patch_type: 0,
            flatness: 0.0,
            u_steps: 0,
            v_steps: 0,
            uv_vectors: [
                DVec2::new(0.0, 0.0),
                DVec2::new(1.0, 0.0),
                DVec2::new(1.0, 1.0),
                DVec2::new(0.0, 1.0),
            ],
        };
        let patch_type = self.bicubic_options(&mut p)?;
        let Some(patch_type) = patch_type else {
            return Err(SdlError::at(start, "bicubic_patch needs a type (0 or 1)"));
        };
        if patch_type < 0.0 || !patch_type.is_finite() {
            return Err(SdlError::at(
                start,
                format!("undefined bicubic_patch type {patch_type}"),
            ));
        }
        p.patch_type = patch_type as u32;
        if p.patch_type > 1 {
            self.warn(format!(
                "{start}: bicubic_patch type {} is no longer supported; type 1 is used",
                p.patch_type
            ));
            p.patch_type = 1;
        }
        self.clamp_steps(&start, &mut p);
        self.comma()?;
        for row in p.points.iter_mut() {
            for point in row.iter_mut() {
                *point = self.vector_expr()?;
                self.comma()?;
            }
        }
        Ok(Shape::BicubicPatch(Box::new(p)))
    }

    /// The keyword options (or the positional floats of old scenes); the type as
    /// written, `None` when not given.
    fn bicubic_options(&mut self, p: &mut BicubicPatch) -> Result<Option<f64>> {
        let mut patch_type = None;
        loop {
            if matches!(self.peek()?, Some(Tok::Number(_))) {
                return self.bicubic_positional(p).map(Some);
            }
            let Some(w) = self.peek_word()? else {
                return Ok(patch_type);
            };
            match w.as_str() {
                "type" | "flatness" | "u_steps" | "v_steps" | "accuracy" | "uv_vectors" => {
                    self.next()?;
                }
                _ => return Ok(patch_type),
            }
            match w.as_str() {
                "type" => patch_type = Some(self.float_expr()?),
                "flatness" => p.flatness = self.float_expr()?,
                "u_steps" => p.u_steps = steps(self.float_expr()?),
                "v_steps" => p.v_steps = steps(self.float_expr()?),
                // Only used by POV-Ray for patch types it no longer has.
                "accuracy" => {
                    self.float_expr()?;
                }
                _ => {
                    for (i, st) in p.uv_vectors.iter_mut().enumerate() {
                        if i > 0 {
                            self.comma()?;
                        }
                        let v = self.expr()?.promote(2).c;
                        *st = DVec2::new(v[0], v[1]);
                    }
                    // POV-Ray ends the options at uv_vectors.
                    return Ok(patch_type);
                }
            }
        }
    }

    /// `type, [flatness,] u_steps, v_steps` as POV-Ray 1.0 wrote them.
    fn bicubic_positional(&mut self, p: &mut BicubicPatch) -> Result<f64> {
        let patch_type = self.float_expr()?;
        self.comma()?;
        p.flatness = 0.1;
        if patch_type == 2.0 || patch_type == 3.0 {
            p.flatness = self.float_expr()?;
            self.comma()?;
        }
        p.u_steps = steps(self.float_expr()?);
        self.comma()?;
        p.v_steps = steps(self.float_expr()?);
        Ok(patch_type)
    }

    fn clamp_steps(&mut self, at: &super::error::Location, p: &mut BicubicPatch) {
        if p.u_steps > MAX_STEPS || p.v_steps > MAX_STEPS {
            self.warn(format!(
                "{at}: bicubic_patch u_steps/v_steps above {MAX_STEPS} were reduced to {MAX_STEPS}"
            ));
            p.u_steps = p.u_steps.min(MAX_STEPS);
            p.v_steps = p.v_steps.min(MAX_STEPS);
        }
    }
}

/// A step count as POV-Ray reads it (truncated), never negative.
fn steps(f: f64) -> u32 {
    if f.is_finite() && f > 0.0 {
        f.min(u32::MAX as f64) as u32
    } else {
        0
    }
}
