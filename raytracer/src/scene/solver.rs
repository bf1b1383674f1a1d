//! Real roots of quadratics, cubics and quartics, for tori and other polynomial shapes.
//!
//! Closed forms (Cardano, Ferrari) followed by Newton polishing on the original
//! polynomial: the closed forms lose digits near double roots, and the polish recovers
//! them cheaply. Callers move the ray origin close to the surface first so that the
//! coefficients stay well scaled.
//!
//! [`solve_polynomial`] is POV-Ray's own solver for any order (its closed forms and
//! its Sturm sequences), for shapes that must find exactly the roots POV-Ray finds.

mod polysolve;

pub use polysolve::{solve_polynomial, PolyRoots, MAX_DISTANCE, MAX_ORDER};

/// Up to four real roots, unsorted.
#[derive(Clone, Copy, Debug, Default)]
pub struct Roots {
    vals: [f64; 4],
    len: usize,
}

impl Roots {
    fn push(&mut self, v: f64) {
        if self.len < 4 && v.is_finite() {
            self.vals[self.len] = v;
            self.len += 1;
        }
    }

    pub fn as_slice(&self) -> &[f64] {
        &self.vals[..self.len]
    }
}

/// Roots of `a x^2 + b x + c` (a may be zero).
pub fn quadratic(a: f64, b: f64, c: f64) -> Roots {
    let mut r = Roots::default();
    if a == 0.0 {
        if b != 0.0 {
            r.push(-c / b);
        }
        return r;
    }
    let disc = b * b - 4.0 * a * c;
    if disc < 0.0 {
        return r;
    }
    // Numerically stable form: never subtract nearly equal numbers.
    let q = -0.5 * (b + b.signum() * disc.sqrt());
    if q != 0.0 {
        r.push(q / a);
        r.push(c / q);
    } else {
        r.push(0.0);
    }
    r
}

/// Roots of the monic cubic `x^3 + a x^2 + b x + c`.
fn cubic_monic(a: f64, b: f64, c: f64) -> Roots {
    let mut r = Roots::default();
    let a3 = a / 3.0;
    let q = (a * a - 3.0 * b) / 9.0;
    let rr = (2.0 * a * a * a - 9.0 * a * b + 27.0 * c) / 54.0;
    let q3 = q * q * q;
    if rr * rr < q3 {
        let theta = (rr / q3.sqrt()).clamp(-1.0, 1.0).acos();
        let s = -2.0 * q.sqrt();
        r.push(s * (theta / 3.0).cos() - a3);
        r.push(s * ((theta + 2.0 * std::f64::consts::PI) / 3.0).cos() - a3);
        r.push(s * ((theta - 2.0 * std::f64::consts::PI) / 3.0).cos() - a3);
    } else {
        let big_a = -rr.signum() * (rr.abs() + (rr * rr - q3).sqrt()).cbrt();
        let big_b = if big_a != 0.0 { q / big_a } else { 0.0 };
        r.push(big_a + big_b - a3);
    }
    r
}

fn eval4(c: &[f64; 5], x: f64) -> (f64, f64) {
    let mut p = c[0];
    let mut d = 0.0;
    for &k in &c[1..] {
        d = d * x + p;
        p = p * x + k;
    }
    (p, d)
}

/// Roots of `c[0] x^4 + c[1] x^3 + c[2] x^2 + c[3] x + c[4]`.
pub fn quartic(c: [f64; 5]) -> Roots {
    if c[0].abs() < 1e-300 {
        return Roots::default();
    }
    let (a, b, cc, d) = (c[1] / c[0], c[2] / c[0], c[3] / c[0], c[4] / c[0]);
    // Depressed quartic y^4 + p y^2 + q y + r with x = y - a/4.
    let a2 = a * a;
    let p = b - 3.0 * a2 / 8.0;
    let q = cc - a * b / 2.0 + a2 * a / 8.0;
    let r = d - a * cc / 4.0 + a2 * b / 16.0 - 3.0 * a2 * a2 / 256.0;
    let mut ys = Roots::default();
    if q.abs() < 1e-14 * (1.0 + p.abs() + r.abs()) {
        // Biquadratic.
        for z in quadratic(1.0, p, r).as_slice() {
            if *z >= 0.0 {
                let s = z.sqrt();
                ys.push(s);
                ys.push(-s);
            }
        }
    } else {
        // Ferrari: (y^2 + p/2 + m)^2 = 2m y^2 - q y + ..., with m the largest root of
        // the resolvent cubic, which is positive whenever q != 0.
        let res = cubic_monic(p, p * p / 4.0 - r, -q * q / 8.0);
        let m = res
            .as_slice()
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        if m <= 0.0 {
            return Roots::default();
        }
        let w = (2.0 * m).sqrt();
        let half = q / (2.0 * w);
        for y in quadratic(1.0, -w, p / 2.0 + m + half).as_slice() {
            ys.push(*y);
        }
        for y in quadratic(1.0, w, p / 2.0 + m - half).as_slice() {
            ys.push(*y);
        }
    }
    let mut out = Roots::default();
    for y in ys.as_slice() {
        let mut x = y - a / 4.0;
        for _ in 0..3 {
            let (f, df) = eval4(&c, x);
            if df == 0.0 {
                break;
            }
            let nx = x - f / df;
            if !nx.is_finite() {
                break;
            }
            x = nx;
        }
        out.push(x);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(r: Roots) -> Vec<f64> {
        let mut v = r.as_slice().to_vec();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn quartic_with_four_known_roots() {
        // (x-1)(x-2)(x+3)(x-0.5)
        let roots = [1.0, 2.0, -3.0, 0.5];
        let mut c = [1.0, 0.0, 0.0, 0.0, 0.0];
        // Expand the product one root at a time.
        let mut poly = vec![1.0];
        for r in roots {
            let mut next = vec![0.0; poly.len() + 1];
            for (i, k) in poly.iter().enumerate() {
                next[i] += k;
                next[i + 1] -= k * r;
            }
            poly = next;
        }
        c.copy_from_slice(&poly);
        let got = sorted(quartic(c));
        assert_eq!(got.len(), 4);
        for (g, w) in got.iter().zip([-3.0, 0.5, 1.0, 2.0]) {
            assert!((g - w).abs() < 1e-9, "{got:?}");
        }
    }

    #[test]
    fn quartic_without_real_roots() {
        assert!(quartic([1.0, 0.0, 0.0, 0.0, 1.0]).as_slice().is_empty());
    }

    #[test]
    fn quadratic_roots() {
        let got = sorted(quadratic(1.0, -3.0, 2.0));
        assert_eq!(got, vec![1.0, 2.0]);
    }
}
