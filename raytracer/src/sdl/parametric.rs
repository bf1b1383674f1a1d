//! `parametric { function { x(u,v) }, function { y(u,v) }, function { z(u,v) },
//! <u1,v1>, <u2,v2> ... }`: its own items, then the ordinary object modifiers.

use glam::{DVec2, DVec3};

use super::error::{Result, SdlError};
use super::lexer::Tok;
use super::parser::Parser;
use super::value::Item;
use crate::desc::isosurface::Container;
use crate::desc::shapes::Parametric;
use crate::desc::{Object, Shape};
use crate::function::FunctionRef;

/// The deepest `precompute` POV-Ray accepts (it keeps 2^depth bounds per axis).
const MAX_PRECOMPUTE_DEPTH: f64 = 20.0;

impl Parser<'_> {
    /// The parametric object after its keyword.
    pub(crate) fn parametric_item(&mut self) -> Result<Item> {
        self.expect("{")?;
        let fx = self.parametric_function("x")?;
        self.accept(",")?;
        let fy = self.parametric_function("y")?;
        self.accept(",")?;
        let fz = self.parametric_function("z")?;
        let a = self.uv_vector()?;
        self.accept(",")?;
        let b = self.uv_vector()?;
        let mut p = Parametric {
            functions: [fx, fy, fz],
            uv_min: a.min(b),
            uv_max: a.max(b),
            container: Container::Box {
                corner1: DVec3::splat(-1.0),
                corner2: DVec3::splat(1.0),
            },
            accuracy: 0.001,
            max_gradient: 1.0,
            precompute: None,
        };
        let here = self.here();
        while let Some(w) = self.peek_word()? {
            if !self.parametric_param(&w, &mut p)? {
                break;
            }
        }
        // A zero accuracy would never end the subdivision.
        if p.accuracy.is_nan() || p.accuracy <= 0.0 {
            self.warn(format!(
                "{here}: parametric accuracy must be positive, not {}; using 0.001",
                p.accuracy
            ));
            p.accuracy = 0.001;
        }
        let mut item = Item {
            object: Some(Object::new(Shape::Parametric(Box::new(p)))),
            lights: Vec::new(),
        };
        self.modifiers(&mut item)?;
        Ok(item)
    }

    /// `function { body of u, v }`, for coordinate `axis` (named in errors).
    fn parametric_function(&mut self, axis: &str) -> Result<FunctionRef> {
        let t = self.need("a parametric's function")?;
        if !matches!(&t.tok, Tok::Word(w) if w == "function") {
            return Err(self.expected(
                &format!("'function {{ }}' giving the parametric's {axis}"),
                Some(&t),
            ));
        }
        self.function_pattern()
    }

    /// A float or 2-D vector, as POV-Ray's `Parse_UV_Vect`.
    fn uv_vector(&mut self) -> Result<DVec2> {
        let v = self.expr()?.promote(2).c;
        Ok(DVec2::new(v[0], v[1]))
    }

    /// One parametric item (`w` not yet consumed); false if `w` is none.
    fn parametric_param(&mut self, w: &str, p: &mut Parametric) -> Result<bool> {
        match w {
            "accuracy" => {
                self.next()?;
                p.accuracy = self.float_expr()?;
            }
            "max_gradient" => {
                self.next()?;
                p.max_gradient = self.float_expr()?;
            }
            "contained_by" => {
                self.next()?;
                p.container = self.container()?;
            }
            "precompute" => {
                self.next()?;
                p.precompute = self.precompute()?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `depth, [x], [y], [z]`: `None` when no coordinate is named (POV-Ray
    /// then precomputes nothing).
    fn precompute(&mut self) -> Result<Option<(u32, [bool; 3])>> {
        let here = self.here();
        // POV-Ray stores the depth as an int.
        let depth = self.float_expr()?.trunc();
        let mut axes = [false; 3];
        for (i, name) in ["x", "y", "z"].into_iter().enumerate() {
            self.accept(",")?;
            axes[i] = self.accept_word(name)?;
        }
        if !axes.contains(&true) {
            return Ok(None);
        }
        if !(1.0..=MAX_PRECOMPUTE_DEPTH).contains(&depth) {
            return Err(SdlError::at(
                here,
                format!("parametric precompute depth must be 1 to 20, not {depth}"),
            ));
        }
        Ok(Some((depth as u32, axes)))
    }
}
