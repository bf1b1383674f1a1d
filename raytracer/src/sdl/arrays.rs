//! Arrays: `array[n][m]... [{ ... }]`, reading and assigning elements, and the
//! `dimensions`/`dimension_size` queries.
//!
//! A multi-dimensional array is held as nested [`Value::Array`]s, one level per
//! dimension, so `A[i][j]` is simply two lookups. As in POV-Ray, an element is
//! resolved where the identifier is read ([`Parser::array_element_token`]): the
//! element's value stands in for `A[i]` in whatever context reads it, a float in an
//! expression as much as a texture in `texture { T[i] }`.

use super::error::{Result, SdlError};
use super::lexer::{Tok, Word};
use super::parser::{PTok, Parser};
use super::value::Value;

/// Most elements one array may hold, all dimensions together (bounds memory).
const MAX_ELEMENTS: usize = 1 << 22;

/// Hidden names (they start with a space, so no scene can write them) that carry
/// resolved elements from the tokenizer to the reader. A few are kept in turn so an
/// element resolved while another is still in flight (`A[B[1]]`) cannot overwrite it.
const ELEMENT_SLOTS: usize = 8;

impl Parser<'_> {
    /// `array[n][m]... [{ ... }]` after the keyword `array`.
    pub(crate) fn array_value(&mut self) -> Result<Value> {
        let mut dims = Vec::new();
        loop {
            self.expect("[")?;
            let n = self.full_float()?;
            self.expect("]")?;
            if !(1.0..=MAX_ELEMENTS as f64).contains(&n) {
                return Err(self.err(format!("array size {n} out of range")));
            }
            dims.push(n as usize);
            // Raw peeks: a directive after the declaration must not run before it.
            if !matches!(self.peek_raw()?, Some(Tok::Punct("["))) {
                break;
            }
        }
        if dims.iter().product::<usize>() > MAX_ELEMENTS {
            return Err(self.err(format!(
                "array of {dims:?} elements is larger than {MAX_ELEMENTS}"
            )));
        }
        if matches!(self.peek_raw()?, Some(Tok::Punct("{"))) {
            return self.array_initialiser(&dims);
        }
        Ok(empty_array(&dims))
    }

    /// `{ v, v, ... }` for an array of dimensions `dims` (`{` not yet read); inner
    /// dimensions nest their own braces.
    fn array_initialiser(&mut self, dims: &[usize]) -> Result<Value> {
        self.expect("{")?;
        let mut items = Vec::with_capacity(dims[0]);
        loop {
            if self.accept("}")? {
                break;
            }
            if items.len() == dims[0] {
                return Err(self.err(format!(
                    "too many initializers: this dimension of the array has {}",
                    dims[0]
                )));
            }
            let v = match dims.get(1..).filter(|rest| !rest.is_empty()) {
                Some(rest) => self.array_initialiser(rest)?,
                None => self.rvalue()?,
            };
            items.push(Some(v));
            self.comma()?;
        }
        items.resize(dims[0], None);
        Ok(Value::Array(items))
    }

    /// `[i][j]...` after an array identifier: as many indices as are written.
    pub(crate) fn array_indices(&mut self) -> Result<Vec<f64>> {
        let mut out = Vec::new();
        while matches!(self.peek_raw()?, Some(Tok::Punct("["))) {
            self.expect("[")?;
            out.push(self.full_float()?);
            self.expect("]")?;
        }
        Ok(out)
    }

    /// Token `t` names array `name`: if `[` follows, reads the indices and returns
    /// the element as a token of a hidden identifier bound to it; else `t` itself.
    pub(crate) fn resolve_array_element(&mut self, t: PTok, name: &str) -> Result<PTok> {
        // Looking for `[` may run the `#end` of the macro whose local the array is
        // (`#macro M() #local A = array[2] ... A #end`): the array is then the macro's
        // value, taken before its scope closed.
        let depth = self.scopes.len();
        if !matches!(self.peek_raw()?, Some(Tok::Punct("["))) {
            let closed = self.scopes.len() < depth;
            let whole = closed
                .then(|| self.closed_macro_scope.as_mut()?.remove(name))
                .flatten();
            return Ok(match whole {
                Some(v) => self.hidden_value_token(v, t),
                None => t,
            });
        }
        let indices = self.array_indices()?;
        let here = self.loc_of(&t);
        let mut v = self
            .lookup(name)
            .ok_or_else(|| SdlError::at(here.clone(), format!("undeclared array '{name}'")))?;
        for &i in &indices {
            let Value::Array(items) = v else {
                return Err(SdlError::at(
                    here,
                    format!("too many indices for array '{name}'"),
                ));
            };
            v = element(items, i)
                .map_err(|e| SdlError::at(here.clone(), format!("'{name}': {e}")))?;
        }
        let v = v.clone();
        Ok(self.hidden_value_token(v, t))
    }

    /// A token (at `t`'s place) of a hidden identifier bound to `v`: how a value
    /// computed while reading tokens is handed to whatever reads the next one.
    pub(crate) fn hidden_value_token(&mut self, v: Value, t: PTok) -> PTok {
        self.element_slot = (self.element_slot + 1) % ELEMENT_SLOTS;
        let hidden = format!(" element {}", self.element_slot);
        if let Some(global) = self.scopes.first_mut() {
            global.insert(hidden.clone(), v);
        }
        PTok {
            tok: Tok::Word(Word::new(&hidden)),
            ..t
        }
    }

    /// For `#ifdef (Name)` and `defined(Name)`: whether `name` is bound, or with
    /// indices written after it (`A[i]`), whether that element was set.
    pub(crate) fn is_defined(&mut self, name: &str) -> Result<bool> {
        let indices = self.array_indices()?;
        let mut v = self.lookup(name);
        for &i in &indices {
            v = match v {
                Some(Value::Array(items)) => index(i, items.len()).and_then(|i| items[i].as_ref()),
                _ => None,
            };
        }
        Ok(v.is_some())
    }

    /// `#declare A[i][j]... = value`.
    pub(crate) fn set_array_element(
        &mut self,
        name: &str,
        indices: &[f64],
        value: Value,
    ) -> Result<()> {
        let here = self.here();
        let Some(slot) = self.scopes.iter_mut().rev().find_map(|s| s.get_mut(name)) else {
            return Err(SdlError::at(here, format!("undeclared array '{name}'")));
        };
        let mut slot = slot;
        for (depth, &i) in indices.iter().enumerate() {
            let Value::Array(items) = slot else {
                let what = if depth == 0 {
                    format!("'{name}' is not an array")
                } else {
                    format!("too many indices for array '{name}'")
                };
                return Err(SdlError::at(here, what));
            };
            let len = items.len();
            let Some(e) = index(i, len).and_then(|i| items.get_mut(i)) else {
                return Err(SdlError::at(
                    here,
                    format!("array index {i} out of range for '{name}' (size {len})"),
                ));
            };
            if depth + 1 == indices.len() {
                if matches!(e, Some(Value::Array(_))) && !matches!(value, Value::Array(_)) {
                    return Err(SdlError::at(
                        here,
                        format!("too few indices for array '{name}'"),
                    ));
                }
                *e = Some(value);
                return Ok(());
            }
            slot = match e {
                Some(v) => v,
                None => return Err(SdlError::at(here, format!("too many indices for '{name}'"))),
            };
        }
        Err(SdlError::at(here, format!("no index for array '{name}'")))
    }

    /// `dimensions(A)` and `dimension_size(A, k)` after the function name.
    pub(crate) fn array_dimension_query(&mut self, size: bool, t: &PTok) -> Result<f64> {
        self.expect("(")?;
        let name = self.raw_ident("an array identifier")?;
        let dims = match self.lookup(&name) {
            Some(v @ Value::Array(_)) => dimensions(v),
            _ => return Err(self.err_at(t, format!("'{name}' is not an array"))),
        };
        let r = if size {
            self.comma()?;
            let k = self.full_float()?;
            // POV-Ray answers 0 for a dimension the array does not have.
            index(k - 1.0, dims.len()).map_or(0.0, |k| dims[k] as f64)
        } else {
            dims.len() as f64
        };
        self.expect(")")?;
        Ok(r)
    }
}

/// An array of `dims` with no element set.
fn empty_array(dims: &[usize]) -> Value {
    let inner = dims
        .get(1..)
        .filter(|rest| !rest.is_empty())
        .map(empty_array);
    Value::Array(vec![inner; dims[0]])
}

/// The sizes of each dimension of array `v`.
fn dimensions(v: &Value) -> Vec<usize> {
    let mut out = Vec::new();
    let mut v = v;
    while let Value::Array(items) = v {
        out.push(items.len());
        match items.first() {
            Some(Some(inner @ Value::Array(_))) => v = inner,
            _ => break,
        }
    }
    out
}

/// Index `i` truncated as POV-Ray does, if it lies in `0..len`.
fn index(i: f64, len: usize) -> Option<usize> {
    (i >= 0.0 && i < len as f64).then_some(i as usize)
}

/// Element `i` of `items`, or why there is none.
fn element(items: &[Option<Value>], i: f64) -> std::result::Result<&Value, String> {
    match index(i, items.len()).map(|i| &items[i]) {
        Some(Some(v)) => Ok(v),
        Some(None) => Err(format!("element {i} was never set")),
        None => Err(format!("index {i} out of range (size {})", items.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdl::value::Num;

    #[test]
    fn nested_arrays_report_their_dimensions() {
        let a = empty_array(&[2, 3, 4]);
        assert_eq!(dimensions(&a), vec![2, 3, 4]);
        let Value::Array(items) = &a else {
            panic!("not an array")
        };
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn indices_truncate_and_are_bounded() {
        assert_eq!(index(1.9, 3), Some(1));
        assert_eq!(index(3.0, 3), None);
        assert_eq!(index(-0.5, 3), None);
        assert_eq!(index(f64::NAN, 3), None);
        let items = vec![Some(Value::Num(Num::float(1.0))), None];
        assert!(element(&items, 0.0).is_ok());
        assert!(element(&items, 1.0).unwrap_err().contains("never set"));
        assert!(element(&items, 2.0).unwrap_err().contains("out of range"));
    }
}
