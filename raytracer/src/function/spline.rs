//! POV-Ray 3.7's splines as values: the four kinds and their edge cases.
//! Outside the entries' range a spline gives its first or last point (a cubic
//! one its second or next-to-last); too few entries lower the order; entries
//! are kept sorted by parameter, and an entry at a parameter already present
//! replaces it. Shared by parse-time calls (`S(t)`) and spline functions
//! (`function { spline { ... } }`), so it holds no parser state.

/// How a spline interpolates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplineKind {
    Linear,
    Quadratic,
    /// `cubic_spline`: Catmull-Rom.
    Cubic,
    Natural,
}

impl SplineKind {
    /// The kind a keyword names.
    pub fn from_word(w: &str) -> Option<Self> {
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

impl Default for Spline {
    fn default() -> Self {
        Self::new()
    }
}

impl Spline {
    /// An empty linear spline of two-component values.
    pub fn new() -> Spline {
        Spline {
            kind: SplineKind::Linear,
            entries: Vec::new(),
            terms: 2,
        }
    }

    /// How the spline interpolates by default.
    pub fn kind(&self) -> SplineKind {
        self.kind
    }

    pub fn set_kind(&mut self, kind: SplineKind) {
        self.kind = kind;
    }

    /// How many components its values have (2 to 5).
    pub fn terms(&self) -> usize {
        self.terms
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds an entry of `n` components, replacing one at the same parameter.
    pub fn insert_value(&mut self, par: f64, v: [f64; 5], n: usize) {
        self.terms = self.terms.max(n);
        self.insert(par, v);
    }

    /// Adds an entry, replacing one at the same parameter.
    fn insert(&mut self, par: f64, v: [f64; 5]) {
        match self.entries.binary_search_by(|e| e.0.total_cmp(&par)) {
            Ok(i) => self.entries[i].1 = v,
            Err(i) => self.entries.insert(i, (par, v)),
        }
    }

    /// The value at `p`, interpolated as `kind` (components past
    /// [`Spline::terms`] are 0). An empty spline gives 0.
    pub fn eval(&self, p: f64, kind: SplineKind) -> [f64; 5] {
        let mut c = [0.0; 5];
        let se = &self.entries;
        if se.is_empty() {
            return c;
        }
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
        c
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
        assert_eq!(s.eval(0.5, s.kind)[0], 5.0);
        assert_eq!(s.eval(1.5, s.kind)[0], 5.0);
        assert_eq!(s.eval(-1.0, s.kind)[0], 0.0);
        assert_eq!(s.eval(9.0, s.kind)[0], 0.0);
    }

    #[test]
    fn quadratic_and_natural_pass_through_their_points() {
        let pts = [(0.0, 0.0), (1.0, 1.0), (2.0, 4.0), (3.0, 9.0)];
        let q = spline(SplineKind::Quadratic, &pts);
        assert!((q.eval(1.5, q.kind)[0] - 2.25).abs() < 1e-12);
        let n = spline(SplineKind::Natural, &pts);
        for (p, v) in pts {
            assert!((n.eval(p, n.kind)[0] - v).abs() < 1e-12);
        }
    }

    #[test]
    fn cubic_holds_its_inner_range() {
        let s = spline(
            SplineKind::Cubic,
            &[(0.0, 5.0), (1.0, 1.0), (2.0, 2.0), (3.0, 7.0)],
        );
        assert_eq!(s.eval(0.5, s.kind)[0], 1.0);
        assert_eq!(s.eval(2.5, s.kind)[0], 2.0);
        assert!((s.eval(1.0, s.kind)[0] - 1.0).abs() < 1e-12);
        assert!((s.eval(2.0, s.kind)[0] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn same_parameter_replaces() {
        let s = spline(SplineKind::Linear, &[(0.0, 1.0), (0.0, 3.0)]);
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.eval(0.0, s.kind)[0], 3.0);
    }
}
