//! `spline { ... }` values and spline calls `S(t)` / `S(t, cubic_spline)`.
//!
//! The four kinds and their edge cases follow POV-Ray 3.7: outside the entries'
//! range a spline gives its first or last point (a cubic one its second or
//! next-to-last); too few entries lower the order; entries are kept sorted by
//! parameter, and an entry at a parameter already present replaces it.

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use super::value::{Num, Value};

/// Most entries one spline may hold (bounds memory).
const MAX_ENTRIES: usize = 1 << 20;

/// How a spline interpolates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SplineKind {
    Linear,
    Quadratic,
    /// `cubic_spline`: Catmull-Rom.
    Cubic,
    Natural,
}

impl SplineKind {
    fn from_word(w: &str) -> Option<Self> {
        Some(match w {
            "linear_spline" => Self::Linear,
            "quadratic_spline" => Self::Quadratic,
            "cubic_spline" => Self::Cubic,
            "natural_spline" => Self::Natural,
            _ => return None,
        })
    }
}

/// A spline: entries sorted by parameter, and how many components its values have.
#[derive(Clone, Debug, PartialEq)]
pub struct Spline {
    kind: SplineKind,
    entries: Vec<(f64, [f64; 5])>,
    terms: usize,
}

impl Spline {
    /// Adds an entry, replacing one at the same parameter.
    fn insert(&mut self, par: f64, v: [f64; 5]) {
        match self.entries.binary_search_by(|e| e.0.total_cmp(&par)) {
            Ok(i) => self.entries[i].1 = v,
            Err(i) => self.entries.insert(i, (par, v)),
        }
    }

    /// The value at `p`, interpolated as `kind`.
    pub(crate) fn eval(&self, p: f64, kind: SplineKind) -> Num {
        let mut c = [0.0; 5];
        let se = &self.entries;
        let last = se.len() - 1;
        if last == 0 {
            c = se[0].1;
        } else {
            let i = find_segment(se, p);
            let coeffs = match kind {
                SplineKind::Natural => natural_coefficients(se),
                SplineKind::Linear | SplineKind::Quadratic | SplineKind::Cubic => Vec::new(),
            };
            for (k, out) in c.iter_mut().enumerate() {
                *out = component(se, &coeffs, kind, i, k, p);
            }
        }
        Num { c, n: self.terms }
    }
}

/// POV-Ray's `findt`: the index of the entry ending the segment holding `p`
/// (0 before the first entry, `len` from the last on).
fn find_segment(se: &[(f64, [f64; 5])], p: f64) -> usize {
    if p <= se[0].0 {
        return 0;
    }
    if p >= se[se.len() - 1].0 {
        return se.len();
    }
    se.partition_point(|e| e.0 < p)
}

fn component(
    se: &[(f64, [f64; 5])],
    coeffs: &[[f64; 5]],
    kind: SplineKind,
    i: usize,
    k: usize,
    p: f64,
) -> f64 {
    let last = se.len() - 1;
    match kind {
        SplineKind::Cubic if last == 1 => (se[0].1[k] + se[1].1[k]) / 2.0,
        SplineKind::Cubic if i < 2 => se[1].1[k],
        SplineKind::Cubic if i >= last => se[last - 1].1[k],
        SplineKind::Cubic => catmull_rom(se, i - 1, k, p),
        SplineKind::Linear | SplineKind::Quadratic | SplineKind::Natural if i == 0 => se[0].1[k],
        SplineKind::Linear | SplineKind::Quadratic | SplineKind::Natural if i > last => {
            se[last].1[k]
        }
        SplineKind::Linear => linear(se, i - 1, k, p),
        SplineKind::Quadratic if last == 1 => linear(se, i - 1, k, p),
        SplineKind::Quadratic => quadratic(se, if i > 1 { i - 1 } else { i }, k, p),
        SplineKind::Natural => natural(se, coeffs, i - 1, k, p),
    }
}

fn linear(se: &[(f64, [f64; 5])], i: usize, k: usize, p: f64) -> f64 {
    let (p1, p2) = (se[i].0, se[i + 1].0);
    let (v1, v2) = (se[i].1[k], se[i + 1].1[k]);
    (p - p1) * (v2 - v1) / (p2 - p1) + v1
}

/// The parabola through entries `i-1`, `i`, `i+1`.
fn quadratic(se: &[(f64, [f64; 5])], i: usize, k: usize, p: f64) -> f64 {
    let (p1, p2, p3) = (se[i - 1].0, se[i].0, se[i + 1].0);
    let (v1, v2, v3) = (se[i - 1].1[k], se[i].1[k], se[i + 1].1[k]);
    let n = (p2 - p1) * (p3 - p1) * (p3 - p2);
    let a = (-p2 * v1 + p3 * v1 + p1 * v2 - p3 * v2 - p1 * v3 + p2 * v3) / n;
    let b = (p2 * p2 * v1 - p3 * p3 * v1 - p1 * p1 * v2 + p3 * p3 * v2 + p1 * p1 * v3
        - p2 * p2 * v3)
        / n;
    let c = (-p2 * p2 * p3 * v1 + p2 * p3 * p3 * v1 + p1 * p1 * p3 * v2
        - p1 * p3 * p3 * v2
        - p1 * p1 * p2 * v3
        + p1 * p2 * p2 * v3)
        / n;
    (a * p + b) * p + c
}

fn catmull_rom(se: &[(f64, [f64; 5])], i: usize, k: usize, p: f64) -> f64 {
    let dt = se[i + 1].0 - se[i].0;
    let u = (p - se[i].0) / dt;
    let slope = |a: usize| (se[a + 1].1[k] - se[a].1[k]) / (se[a + 1].0 - se[a].0);
    let dp0 = (slope(i - 1) + slope(i)) / 2.0 * dt;
    let dp1 = (slope(i + 1) + slope(i)) / 2.0 * dt;
    let (u2, u3) = (u * u, u * u * u);
    se[i].1[k] * (2.0 * u3 - 3.0 * u2 + 1.0)
        + se[i + 1].1[k] * (3.0 * u2 - 2.0 * u3)
        + dp0 * (u3 - 2.0 * u2 + u)
        + dp1 * (u3 - u2)
}

fn natural(se: &[(f64, [f64; 5])], m: &[[f64; 5]], i: usize, k: usize, p: f64) -> f64 {
    let h = se[i + 1].0 - se[i].0;
    let d = p - se[i].0;
    let mut tmp = m[i][k] / 2.0 + d * (m[i + 1][k] - m[i][k]) / (6.0 * h);
    tmp = -(h / 6.0) * (m[i + 1][k] + 2.0 * m[i][k]) + (se[i + 1].1[k] - se[i].1[k]) / h + d * tmp;
    se[i].1[k] + d * tmp
}

/// Second derivatives of the natural cubic through the entries (zero at both
/// ends), by POV-Ray's tridiagonal sweep.
fn natural_coefficients(se: &[(f64, [f64; 5])]) -> Vec<[f64; 5]> {
    let n = se.len();
    let mut m = vec![[0.0; 5]; n];
    if n < 3 {
        return m;
    }
    let h: Vec<f64> = (0..n - 1).map(|i| se[i + 1].0 - se[i].0).collect();
    for k in 0..5 {
        let column = natural_column(se, &h, k);
        for (row, v) in m.iter_mut().zip(column) {
            row[k] = v;
        }
    }
    m
}

/// One component's second derivatives (see [`natural_coefficients`]).
fn natural_column(se: &[(f64, [f64; 5])], h: &[f64], k: usize) -> Vec<f64> {
    let n = se.len();
    let b: Vec<f64> = (0..n - 1)
        .map(|i| (se[i + 1].1[k] - se[i].1[k]) / h[i])
        .collect();
    let (mut u, mut v) = (vec![0.0; n], vec![0.0; n]);
    u[1] = 2.0 * (h[0] + h[1]);
    v[1] = 6.0 * (b[1] - b[0]);
    for i in 2..n - 1 {
        u[i] = 2.0 * (h[i] + h[i - 1]) - h[i - 1] * h[i - 1] / u[i - 1];
        v[i] = 6.0 * (b[i] - b[i - 1]) - h[i - 1] * v[i - 1] / u[i - 1];
    }
    let mut m = vec![0.0; n];
    for i in (1..n - 1).rev() {
        m[i] = (v[i] - h[i] * m[i + 1]) / u[i];
    }
    m
}

impl Parser<'_> {
    /// `spline { [Id] [kind] t, v [,] t, v ... }` after the keyword.
    pub(crate) fn spline_value(&mut self) -> Result<Value> {
        self.expect("{")?;
        let mut s = Spline {
            kind: SplineKind::Linear,
            entries: Vec::new(),
            terms: 2,
        };
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
                s.kind = kind;
                continue;
            }
            let par = self.float_expr()?;
            self.comma()?;
            let v = self.expr()?.promote(2);
            self.comma()?;
            if s.entries.len() >= MAX_ENTRIES {
                return Err(self.err(format!("a spline has at most {MAX_ENTRIES} entries")));
            }
            s.terms = s.terms.max(v.n);
            s.insert(par, v.c);
        }
        if s.entries.is_empty() {
            return Err(self.err("a spline must have at least one entry"));
        }
        Ok(Value::Spline(std::rc::Rc::new(s)))
    }

    /// `(t [, kind])` after a spline identifier.
    pub(crate) fn spline_call(&mut self, s: &Spline) -> Result<Num> {
        self.expect("(")?;
        let p = self.full_float()?;
        let mut kind = s.kind;
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
        Ok(s.eval(p, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spline(kind: SplineKind, pts: &[(f64, f64)]) -> Spline {
        let mut s = Spline {
            kind,
            entries: Vec::new(),
            terms: 2,
        };
        for &(p, v) in pts {
            s.insert(p, [v, 0.0, 0.0, 0.0, 0.0]);
        }
        s
    }

    #[test]
    fn linear_interpolates_and_clamps() {
        let s = spline(SplineKind::Linear, &[(1.0, 10.0), (0.0, 0.0), (2.0, 0.0)]);
        assert_eq!(s.eval(0.5, s.kind).c[0], 5.0);
        assert_eq!(s.eval(1.5, s.kind).c[0], 5.0);
        assert_eq!(s.eval(-1.0, s.kind).c[0], 0.0);
        assert_eq!(s.eval(9.0, s.kind).c[0], 0.0);
    }

    #[test]
    fn quadratic_and_natural_pass_through_their_points() {
        let pts = [(0.0, 0.0), (1.0, 1.0), (2.0, 4.0), (3.0, 9.0)];
        let q = spline(SplineKind::Quadratic, &pts);
        assert!((q.eval(1.5, q.kind).c[0] - 2.25).abs() < 1e-12);
        let n = spline(SplineKind::Natural, &pts);
        for (p, v) in pts {
            assert!((n.eval(p, n.kind).c[0] - v).abs() < 1e-12);
        }
    }

    #[test]
    fn cubic_holds_its_inner_range() {
        let s = spline(
            SplineKind::Cubic,
            &[(0.0, 5.0), (1.0, 1.0), (2.0, 2.0), (3.0, 7.0)],
        );
        assert_eq!(s.eval(0.5, s.kind).c[0], 1.0);
        assert_eq!(s.eval(2.5, s.kind).c[0], 2.0);
        assert!((s.eval(1.0, s.kind).c[0] - 1.0).abs() < 1e-12);
        assert!((s.eval(2.0, s.kind).c[0] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn same_parameter_replaces() {
        let s = spline(SplineKind::Linear, &[(0.0, 1.0), (0.0, 3.0)]);
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.eval(0.0, s.kind).c[0], 3.0);
    }
}
