//! Every real root of a polynomial of degree up to 15 inside an interval.
//!
//! The roots of the derivative split the interval into pieces on which the
//! polynomial is monotonic; each piece with a sign change holds exactly one root,
//! found by Newton steps kept inside a shrinking bracket. Unlike closed forms this
//! loses no digits near double roots, which is what blobs and POV-Ray's Sturm
//! sequences need: a tangent ray must not sprout phantom hits.

/// The highest degree solved (POV-Ray's largest poly order).
pub const MAX_DEGREE: usize = 15;

/// Up to `N` values, ascending as they are produced.
#[derive(Clone, Copy, Debug)]
pub struct RootList<const N: usize> {
    vals: [f64; N],
    len: usize,
}

impl<const N: usize> Default for RootList<N> {
    fn default() -> Self {
        Self {
            vals: [0.0; N],
            len: 0,
        }
    }
}

impl<const N: usize> RootList<N> {
    fn push(&mut self, v: f64) {
        if self.len < N {
            self.vals[self.len] = v;
            self.len += 1;
        }
    }

    pub fn as_slice(&self) -> &[f64] {
        &self.vals[..self.len]
    }
}

/// `c[0] x^n + ... + c[n]` (Horner).
fn eval(c: &[f64], x: f64) -> f64 {
    c.iter().fold(0.0, |acc, &k| acc * x + k)
}

/// The derivative's coefficients (highest first), into `out`; returns its length.
fn derivative(c: &[f64], out: &mut [f64; MAX_DEGREE]) -> usize {
    let n = c.len() - 1;
    for (i, &k) in c[..n].iter().enumerate() {
        out[i] = k * (n - i) as f64;
    }
    n
}

/// The real roots of `c` (highest power first, at most degree [`MAX_DEGREE`]) in
/// `[lo, hi]`, ascending. A root where the polynomial only touches zero is found
/// when the value there is exactly zero or changes sign within rounding.
pub fn roots_in(c: &[f64], lo: f64, hi: f64) -> RootList<MAX_DEGREE> {
    let mut out = RootList::default();
    // Leading zero coefficients lower the degree.
    let first = c.iter().position(|&k| k != 0.0).unwrap_or(c.len());
    let c = &c[first..];
    if c.len() < 2 || c.len() > MAX_DEGREE + 1 || lo > hi {
        return out;
    }
    if c.len() == 2 {
        let x = -c[1] / c[0];
        if (lo..=hi).contains(&x) {
            out.push(x);
        }
        return out;
    }
    let mut d = [0.0; MAX_DEGREE];
    let dn = derivative(c, &mut d);
    let crit = roots_in(&d[..dn], lo, hi);
    let mut a = lo;
    let mut fa = eval(c, a);
    for &b in crit.as_slice().iter().chain(std::iter::once(&hi)) {
        let fb = eval(c, b);
        if fa == 0.0 {
            push_unique(&mut out, a);
        } else if fa * fb < 0.0 {
            push_unique(&mut out, bracketed(c, &d[..dn], a, b, fa));
        }
        a = b;
        fa = fb;
    }
    if fa == 0.0 {
        push_unique(&mut out, a);
    }
    out
}

fn push_unique(out: &mut RootList<MAX_DEGREE>, x: f64) {
    if out.as_slice().last() != Some(&x) {
        out.push(x);
    }
}

/// The single root of monotonic `c` in `[a, b]`, where `c(a)` has sign of `fa` and
/// `c(b)` the other.
fn bracketed(c: &[f64], d: &[f64], mut a: f64, mut b: f64, fa: f64) -> f64 {
    let rising = fa < 0.0;
    let mut x = 0.5 * (a + b);
    for _ in 0..100 {
        let f = eval(c, x);
        if f == 0.0 {
            return x;
        }
        if (f < 0.0) == rising {
            a = x;
        } else {
            b = x;
        }
        let df = eval(d, x);
        let newton = x - f / df;
        let next = if df != 0.0 && newton > a && newton < b {
            newton
        } else {
            0.5 * (a + b)
        };
        if next == x || b - a <= f64::EPSILON * (a.abs() + b.abs()) {
            return next;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartic_with_four_roots() {
        // (x-1)(x-2)(x-3)(x-4) = x^4 - 10x^3 + 35x^2 - 50x + 24
        let c = [1.0, -10.0, 35.0, -50.0, 24.0];
        let r = roots_in(&c, 0.0, 5.0);
        assert_eq!(r.as_slice().len(), 4);
        for (got, want) in r.as_slice().iter().zip([1.0, 2.0, 3.0, 4.0]) {
            assert!((got - want).abs() < 1e-12, "{:?}", r.as_slice());
        }
        let r = roots_in(&c, 1.5, 3.5);
        assert_eq!(r.as_slice().len(), 2);
    }

    #[test]
    fn tangent_double_root_is_not_split() {
        // (x-1)^2 (x+2)^2 stays >= 0: roots only where it is exactly zero.
        let c = [1.0, 2.0, -3.0, -4.0, 4.0];
        let r = roots_in(&c, -3.0, 3.0);
        assert!(r.as_slice().len() <= 2, "{:?}", r.as_slice());
        // Slightly lifted, no root at all.
        let lifted = [1.0, 2.0, -3.0, -4.0, 4.0 + 1e-9];
        assert!(roots_in(&lifted, -3.0, 3.0).as_slice().is_empty());
    }

    #[test]
    fn lower_degrees() {
        assert_eq!(
            roots_in(&[0.0, 0.0, 2.0, -1.0], 0.0, 1.0).as_slice(),
            &[0.5]
        );
        let r = roots_in(&[0.0, 1.0, 0.0, -4.0], -5.0, 5.0);
        assert_eq!(r.as_slice().len(), 2);
        assert!((r.as_slice()[0] + 2.0).abs() < 1e-12);
    }
}
