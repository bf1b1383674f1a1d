//! `isosurface { function { } contained_by { } ... }`: its own items, then the
//! ordinary object modifiers.

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use super::value::Item;
use crate::desc::isosurface::{Container, Isosurface};
use crate::desc::{Object, Shape};

/// `max_trace` given by `all_intersections` (POV-Ray's "as many as there are").
const ALL_INTERSECTIONS: u32 = 10_000;

impl Parser<'_> {
    /// The isosurface after its keyword.
    pub(crate) fn isosurface_item(&mut self) -> Result<Item> {
        self.expect("{")?;
        let here = self.here();
        let t = self.need("'function' opening the isosurface")?;
        if !matches!(&t.tok, Tok::Word(w) if w == "function") {
            return Err(self.expected("'function' opening the isosurface", Some(&t)));
        }
        let function = self.function_pattern()?;
        let mut iso = Isosurface::new(function);
        while let Some(w) = self.peek_word()? {
            if !self.isosurface_param(&w, &mut iso)? {
                break;
            }
        }
        if iso.max_gradient <= 0.0 {
            self.warn(format!(
                "{here}: isosurface max_gradient must be positive; using 1.1"
            ));
            iso.max_gradient = 1.1;
        }
        let mut item = Item {
            object: Some(Object::new(Shape::Isosurface(Box::new(iso)))),
            lights: Vec::new(),
        };
        self.modifiers(&mut item)?;
        Ok(item)
    }

    /// One isosurface item (`w` not yet consumed); false if `w` is none.
    fn isosurface_param(&mut self, w: &str, iso: &mut Isosurface) -> Result<bool> {
        match w {
            "contained_by" => {
                self.next()?;
                iso.container = self.container()?;
            }
            "threshold" | "accuracy" | "max_gradient" | "max_trace" => {
                self.next()?;
                let v = self.float_expr()?;
                match w {
                    "threshold" => iso.threshold = v,
                    "accuracy" => iso.accuracy = v,
                    "max_gradient" => iso.max_gradient = v,
                    _ => iso.max_trace = v.clamp(1.0, f64::from(ALL_INTERSECTIONS)) as u32,
                }
            }
            "evaluate" => {
                self.next()?;
                let a = self.float_expr()?;
                self.comma()?;
                let b = self.float_expr()?;
                self.comma()?;
                let c = self.float_expr()?;
                iso.evaluate = Some([a, b.max(1.0), c.min(1.0)]);
            }
            "open" => {
                self.next()?;
                iso.closed = false;
            }
            "all_intersections" => {
                self.next()?;
                iso.max_trace = ALL_INTERSECTIONS;
            }
            "method" => {
                // POV-Ray 3.5's solver choice; 3.7 has one method and ignores it.
                let here = self.here();
                self.next()?;
                self.float_expr()?;
                self.warn(format!(
                    "{here}: isosurface 'method' is obsolete and was ignored"
                ));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `{ box { a, b } }` or `{ sphere { c, r } }`.
    pub(super) fn container(&mut self) -> Result<Container> {
        self.expect("{")?;
        let t = self.need("box or sphere")?;
        let c = match &t.tok {
            Tok::Word(w) if w == "box" => {
                self.expect("{")?;
                let corner1 = self.vector_expr()?;
                self.comma()?;
                let corner2 = self.vector_expr()?;
                self.expect("}")?;
                Container::Box { corner1, corner2 }
            }
            Tok::Word(w) if w == "sphere" => {
                self.expect("{")?;
                let center = self.vector_expr()?;
                self.comma()?;
                let radius = self.float_expr()?;
                self.expect("}")?;
                Container::Sphere { center, radius }
            }
            _ => return Err(self.expected("box or sphere in contained_by", Some(&t))),
        };
        self.expect("}")?;
        Ok(c)
    }
}
