//! POV-Ray's polynomial root finder for the spline shapes (prism, lathe, sor, text).
//!
//! The spline shapes decide hit or miss on roots of low-degree polynomials near the
//! edges of the parameter range, so they must find the same roots POV-Ray finds:
//! small leading coefficients are dropped as POV-Ray drops them, quadratics and
//! cubics use its closed forms (no polishing), and higher degrees its Sturm-sequence
//! bisection ([`super::sturm`]).

/// A coefficient this small counts as zero (POV-Ray's `SMALL_ENOUGH`).
const SMALL_ENOUGH: f64 = 1e-10;

/// Up to six real roots, unsorted.
#[derive(Clone, Copy, Debug, Default)]
pub struct Roots {
    vals: [f64; 6],
    len: usize,
}

impl Roots {
    pub(super) fn push(&mut self, v: f64) {
        if self.len < self.vals.len() {
            self.vals[self.len] = v;
            self.len += 1;
        }
    }

    pub fn as_slice(&self) -> &[f64] {
        &self.vals[..self.len]
    }
}

/// Real roots of `c[0] x^n + ... + c[n]`, as POV-Ray's `Solve_Polynomial` finds
/// them (no root elimination). `sturm` asks for Sturm sequences on cubics as well.
pub fn solve(c: &[f64], sturm: bool) -> Roots {
    let lead = c
        .iter()
        .position(|v| v.abs() >= SMALL_ENOUGH)
        .unwrap_or(c.len().saturating_sub(1));
    let c = &c[lead..];
    match c.len() {
        0 | 1 => Roots::default(),
        2 => {
            let mut r = Roots::default();
            if c[0] != 0.0 {
                r.push(-c[1] / c[0]);
            }
            r
        }
        3 => quadratic(c[0], c[1], c[2]),
        4 if !sturm => cubic(c[0], c[1], c[2], c[3]),
        _ => super::sturm::roots(c),
    }
}

/// POV-Ray's `solve_quadratic`: a nearly zero discriminant gives one (double) root.
pub fn quadratic(a: f64, b: f64, c: f64) -> Roots {
    let mut r = Roots::default();
    let b = -b;
    if a == 0.0 {
        if b != 0.0 {
            r.push(c / b);
        }
        return r;
    }
    let (b, c) = (b / a, c / a);
    let d = b * b - 4.0 * c;
    if d > -SMALL_ENOUGH && d < SMALL_ENOUGH {
        r.push(0.5 * b);
        return r;
    }
    if d < 0.0 {
        return r;
    }
    let d = d.sqrt();
    r.push((b + d) / 2.0);
    r.push((b - d) / 2.0);
    r
}

/// POV-Ray's `solve_cubic` (trigonometric form for three real roots, Cardano's
/// otherwise).
pub fn cubic(a0: f64, a1: f64, a2: f64, a3: f64) -> Roots {
    if a0 == 0.0 {
        return quadratic(a1, a2, a3);
    }
    let (a1, a2, a3) = if a0 != 1.0 {
        (a1 / a0, a2 / a0, a3 / a0)
    } else {
        (a1, a2, a3)
    };
    let sq_a1 = a1 * a1;
    let q = (sq_a1 - 3.0 * a2) / 9.0;
    let r = (a1 * (sq_a1 - 4.5 * a2) + 13.5 * a3) / 27.0;
    let q3 = q * q * q;
    let r2 = r * r;
    let an = a1 / 3.0;
    let mut out = Roots::default();
    if q3 - r2 >= 0.0 {
        let theta = (r / q3.sqrt()).acos() / 3.0;
        let sq = -2.0 * q.sqrt();
        out.push(sq * theta.cos() - an);
        out.push(sq * (theta + 2.0 * std::f64::consts::FRAC_PI_3).cos() - an);
        out.push(sq * (theta + 4.0 * std::f64::consts::FRAC_PI_3).cos() - an);
    } else {
        let sq = ((r2 - q3).sqrt() + r.abs()).powf(1.0 / 3.0);
        if r < 0.0 {
            out.push((sq + q / sq) - an);
        } else {
            out.push(-(sq + q / sq) - an);
        }
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
    fn cubic_with_three_roots() {
        // (x - 1)(x - 2)(x + 3) = x^3 - 7x + 6
        let got = sorted(solve(&[1.0, 0.0, -7.0, 6.0], false));
        let want = [-3.0, 1.0, 2.0];
        assert_eq!(got.len(), 3);
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
    }

    #[test]
    fn small_leading_coefficients_lower_the_degree() {
        // 1e-12 x^3 + 0 x^2 + 2x - 1: treated as linear.
        let got = sorted(solve(&[1e-12, 0.0, 2.0, -1.0], false));
        assert_eq!(got, vec![0.5]);
    }

    #[test]
    fn quadratic_double_root_is_reported_once() {
        assert_eq!(sorted(solve(&[1.0, -2.0, 1.0], false)), vec![1.0]);
        assert!(solve(&[1.0, 0.0, 1.0], false).as_slice().is_empty());
    }
}
