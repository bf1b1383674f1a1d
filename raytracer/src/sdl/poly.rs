//! Polynomial shapes' parameters: `poly { order, <c...> }`, `cubic { <20 c> }`,
//! `quartic { <35 c> }` with coefficients in POV-Ray's term order, and POV-Ray 3.7's
//! `polynomial { order, xyz(i, j, k): c, ... }` naming terms by their exponents.

use super::error::Result;
use super::parser::Parser;
use crate::desc::poly_terms::{term_count, term_index, MAX_POLY_ORDER};
use crate::desc::Shape;

impl Parser<'_> {
    /// The parameters of `poly`, `cubic`, `quartic` or `polynomial` (keyword `w`, the
    /// `{` already read).
    pub(crate) fn poly_params(&mut self, w: &str) -> Result<Shape> {
        let (order, coefficients) = match w {
            "cubic" => (3, self.coefficient_list(3)?),
            "quartic" => (4, self.coefficient_list(4)?),
            "polynomial" => {
                let order = self.poly_order("polynomial")?;
                (order, self.named_terms(order)?)
            }
            _ => {
                let order = self.poly_order("poly")?;
                (order, self.coefficient_list(order)?)
            }
        };
        Ok(Shape::Poly {
            order: order as u32,
            coefficients,
            sturm: false,
        })
    }

    /// The leading order (truncated, as POV-Ray reads it) and its optional comma.
    fn poly_order(&mut self, what: &str) -> Result<usize> {
        let o = self.float_expr()?.trunc();
        self.comma()?;
        if !(2.0..=MAX_POLY_ORDER as f64).contains(&o) {
            return Err(self.err(format!(
                "{what} order must be 2 to {MAX_POLY_ORDER}, not {o}"
            )));
        }
        Ok(o as usize)
    }

    /// `<c0, c1, ...>`: one coefficient per term; the commas are optional, as
    /// between all of POV-Ray's parameters.
    fn coefficient_list(&mut self, order: usize) -> Result<Vec<f64>> {
        let count = term_count(order);
        self.expect("<")?;
        let mut coefficients = Vec::with_capacity(count);
        for i in 0..count {
            if i > 0 {
                self.comma()?;
            }
            coefficients.push(self.poly_coefficient()?);
        }
        self.expect(">")?;
        Ok(coefficients)
    }

    /// `xyz(i, j, k): c` entries, each optionally followed by a comma; terms not
    /// named are zero and a term named twice keeps its last value.
    fn named_terms(&mut self, order: usize) -> Result<Vec<f64>> {
        let mut coefficients = vec![0.0; term_count(order)];
        while self.accept_word("xyz")? {
            self.expect("(")?;
            let mut exps = [0.0; 3];
            for (n, e) in exps.iter_mut().enumerate() {
                if n > 0 {
                    self.comma()?;
                }
                *e = self.float_expr()?.trunc();
            }
            self.expect(")")?;
            self.expect(":")?;
            let value = self.float_expr()?;
            let slot = exponent_index(order, exps).ok_or_else(|| {
                self.err(format!(
                    "polynomial term xyz({}, {}, {}) is out of range for order {order}",
                    exps[0], exps[1], exps[2]
                ))
            })?;
            coefficients[slot] = value;
            self.comma()?;
        }
        Ok(coefficients)
    }
}

/// The term index of exponents read as floats; `None` for negative ones or a degree
/// above `order`.
fn exponent_index(order: usize, exps: [f64; 3]) -> Option<usize> {
    let [i, j, k] = exps.map(|e| {
        (0.0..=MAX_POLY_ORDER as f64)
            .contains(&e)
            .then_some(e as usize)
    });
    term_index(order, i?, j?, k?)
}
