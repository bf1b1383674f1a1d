//! `spline { ... }` values and spline calls `S(t)` / `S(t, cubic_spline)`; the
//! splines themselves are [`crate::function::spline`].

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use super::value::{Num, Value};
use crate::function::spline::{Spline, SplineKind};

/// Most entries one spline may hold (bounds memory).
const MAX_ENTRIES: usize = 1 << 20;

impl Parser<'_> {
    /// `spline { [Id] [kind] t, v [,] t, v ... }` after the keyword.
    pub(crate) fn spline_value(&mut self) -> Result<Value> {
        Ok(Value::Spline(std::rc::Rc::new(self.spline_block()?)))
    }

    /// The spline of a `spline { ... }` block, after the keyword.
    pub(crate) fn spline_block(&mut self) -> Result<Spline> {
        self.expect("{")?;
        let mut s = Spline::new();
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Spline(base)) = self.lookup(&w) {
                s = (**base).clone();
                self.next()?;
            }
        }
        loop {
            if self.accept("}")? {
                break;
            }
            if let Some(kind) = self.peek_word()?.as_deref().and_then(SplineKind::from_word) {
                self.next()?;
                s.set_kind(kind);
                continue;
            }
            let par = self.float_expr()?;
            self.comma()?;
            let v = self.expr()?.promote(2);
            self.comma()?;
            if s.len() >= MAX_ENTRIES {
                return Err(self.err(format!("a spline has at most {MAX_ENTRIES} entries")));
            }
            s.insert_value(par, v.c, v.n);
        }
        if s.is_empty() {
            return Err(self.err("a spline must have at least one entry"));
        }
        Ok(s)
    }

    /// `(t [, kind])` after a spline identifier.
    pub(crate) fn spline_call(&mut self, s: &Spline) -> Result<Num> {
        self.expect("(")?;
        let p = self.full_float()?;
        let mut kind = s.kind();
        if self.accept(",")? {
            let t = self.need("linear_spline, quadratic_spline, cubic_spline or natural_spline")?;
            kind = match &t.tok {
                Tok::Word(w) => SplineKind::from_word(w),
                _ => None,
            }
            .ok_or_else(|| {
                self.expected(
                    "linear_spline, quadratic_spline, cubic_spline or natural_spline",
                    Some(&t),
                )
            })?;
        }
        self.expect(")")?;
        Ok(Num {
            c: s.eval(p, kind),
            n: s.terms(),
        })
    }
}
