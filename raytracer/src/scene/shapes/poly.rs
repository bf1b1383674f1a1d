//! `poly`, `cubic` and `quartic`: the zero set of a polynomial in x, y, z of
//! order 2 to 15, as POV-Ray 3.7 intersects it. The ray is substituted into every
//! term to give a polynomial in t, POV-Ray's tiny-leading-coefficient and
//! root-at-the-origin eliminations are applied, and its real roots are found
//! exactly (whether or not `sturm` was asked for: Sturm sequences and our
//! bracketed solver find the same roots).

use glam::DVec3;

use super::interval_roots::{roots_in, MAX_DEGREE};
use super::ShapeHits;
use crate::scene::geometry::Ray;

/// Hits closer than this (unit-direction space) are the surface left behind.
const DEPTH_TOLERANCE: f64 = 1.0e-4;
/// Values below this count as inside.
const INSIDE_TOLERANCE: f64 = 1.0e-4;
/// A constant term this small against the linear one means the ray starts on the
/// surface: that root is dropped.
const ROOT_TOLERANCE: f64 = 1.0e-4;
/// Leading coefficients smaller than this are zero.
const SMALL_ENOUGH: f64 = 1.0e-10;

/// One non-zero term: coefficient and exponents of x, y, z.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Term {
    coefficient: f64,
    powers: [u8; 3],
}

/// A polynomial surface in object space; inside is where it is negative.
#[derive(Clone, Debug, PartialEq)]
pub struct Poly {
    order: usize,
    terms: Vec<Term>,
}

impl Poly {
    /// From POV-Ray's coefficient order: x's power falling slowest, then y's,
    /// then z's. `None` if the order or the count does not fit.
    pub fn new(order: u32, coefficients: &[f64]) -> Option<Poly> {
        let order = order as usize;
        if !(1..=MAX_DEGREE).contains(&order) {
            return None;
        }
        let mut terms = Vec::new();
        let mut it = coefficients.iter();
        for i in (0..=order).rev() {
            for j in (0..=order - i).rev() {
                for k in (0..=order - i - j).rev() {
                    let &c = it.next()?;
                    if c != 0.0 {
                        terms.push(Term {
                            coefficient: c,
                            powers: [i as u8, j as u8, k as u8],
                        });
                    }
                }
            }
        }
        Some(Poly { order, terms })
    }

    /// The value at `p`.
    fn eval(&self, p: DVec3) -> f64 {
        self.terms
            .iter()
            .map(|t| {
                t.coefficient
                    * p.x.powi(i32::from(t.powers[0]))
                    * p.y.powi(i32::from(t.powers[1]))
                    * p.z.powi(i32::from(t.powers[2]))
            })
            .sum()
    }

    /// The polynomial in t along `o + t d`, highest power first.
    fn along(&self, o: DVec3, d: DVec3, out: &mut [f64; MAX_DEGREE + 1]) {
        let n = self.order;
        out[..=n].fill(0.0);
        // (o + t d)^e for each axis and exponent, lowest power of t first.
        let mut pows = [[[0.0; MAX_DEGREE + 1]; MAX_DEGREE + 1]; 3];
        for axis in 0..3 {
            pows[axis][0][0] = 1.0;
            for e in 1..=n {
                let (prev, cur) = pows[axis].split_at_mut(e);
                let prev = &prev[e - 1];
                for h in 0..=e {
                    let from_o = if h < e { prev[h] * o[axis] } else { 0.0 };
                    let from_d = if h > 0 { prev[h - 1] * d[axis] } else { 0.0 };
                    cur[0][h] = from_o + from_d;
                }
            }
        }
        let mut prod = [0.0; MAX_DEGREE + 1];
        for t in &self.terms {
            let [i, j, k] = t.powers.map(usize::from);
            let mut len = 1;
            prod[0] = t.coefficient;
            for (axis, e) in [(0, i), (1, j), (2, k)] {
                len = multiply(&mut prod, len, &pows[axis][e][..=e]);
            }
            for (h, v) in prod[..len].iter().enumerate() {
                out[n - h] += v;
            }
        }
    }

    /// The crossings along `r` (object space), nearest four kept.
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 {
            return;
        }
        let d = r.dir / len;
        let mut eqn = [0.0; MAX_DEGREE + 1];
        self.along(r.origin, d, &mut eqn);
        let eqn = &eqn[..=self.order];
        let first = eqn
            .iter()
            .position(|c| c.abs() >= SMALL_ENOUGH)
            .unwrap_or(eqn.len());
        let mut c = &eqn[first..];
        // POV-Ray solves nothing below a quadratic once the order has dropped.
        if c.len() < 3 {
            return;
        }
        let n = c.len() - 1;
        if c[n - 1] != 0.0 && (c[n] / c[n - 1]).abs() < ROOT_TOLERANCE {
            c = &c[..n];
        }
        let bound = 1.0 + c[1..].iter().fold(0.0f64, |m, k| m.max((k / c[0]).abs()));
        for &t in roots_in(c, DEPTH_TOLERANCE, bound).as_slice() {
            if t > DEPTH_TOLERANCE {
                out.push_sorted(t / len, 0, 0.0);
            }
        }
    }

    /// The gradient at `p` (outward normal, not normalised).
    pub fn normal(&self, p: DVec3) -> DVec3 {
        let mut g = DVec3::ZERO;
        for t in &self.terms {
            let e = t.powers.map(i32::from);
            let pw = |axis: usize, k: i32| if k < 0 { 0.0 } else { p[axis].powi(k) };
            for axis in 0..3 {
                if e[axis] == 0 {
                    continue;
                }
                let mut v = t.coefficient * f64::from(e[axis]);
                for other in 0..3 {
                    v *= pw(
                        other,
                        if other == axis {
                            e[other] - 1
                        } else {
                            e[other]
                        },
                    );
                }
                g[axis] += v;
            }
        }
        if g.length_squared() == 0.0 {
            DVec3::X
        } else {
            g
        }
    }

    /// POV-Ray's inside test.
    pub fn inside(&self, p: DVec3) -> bool {
        self.eval(p) < INSIDE_TOLERANCE
    }
}

/// `a[..len] *= b` as polynomials (lowest power first); returns the new length.
fn multiply(a: &mut [f64; MAX_DEGREE + 1], len: usize, b: &[f64]) -> usize {
    let mut out = [0.0; MAX_DEGREE + 1];
    for (i, x) in a[..len].iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    let new_len = len + b.len() - 1;
    a[..new_len].copy_from_slice(&out[..new_len]);
    new_len
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The torus (x²+y²+z²+R²-r²)² - 4R²(x²+z²) with R = 2, r = 0.5, in POV-Ray's
    /// quartic coefficient order.
    fn torus() -> Poly {
        let (r2, rr2) = (4.0, 0.25);
        let k = r2 - rr2;
        let mut c = vec![0.0; 35];
        // x^4, x^2 y^2, x^2 z^2, x^2, y^4, y^2 z^2, y^2, z^4, z^2, 1
        c[0] = 1.0;
        c[4] = 2.0;
        c[7] = 2.0;
        c[9] = 2.0 * k - 4.0 * r2;
        c[20] = 1.0;
        c[23] = 2.0;
        c[25] = 2.0 * k;
        c[30] = 1.0;
        c[32] = 2.0 * k - 4.0 * r2;
        c[34] = k * k;
        Poly::new(4, &c).expect("quartic")
    }

    #[test]
    fn quartic_torus_crosses_four_times() {
        let p = torus();
        let mut out = ShapeHits::default();
        p.intersect(&Ray::new(DVec3::new(-10.0, 0.0, 0.0), DVec3::X), &mut out);
        let ts: Vec<f64> = out.iter().map(|h| h.0).collect();
        assert_eq!(ts.len(), 4, "{ts:?}");
        for (g, w) in ts.iter().zip([7.5, 8.5, 11.5, 12.5]) {
            assert!((g - w).abs() < 1e-9, "{ts:?}");
        }
        assert!(p.inside(DVec3::new(2.0, 0.0, 0.0)));
        assert!(!p.inside(DVec3::ZERO));
        let n = p.normal(DVec3::new(2.5, 0.0, 0.0)).normalize();
        assert!((n - DVec3::X).length() < 1e-12, "{n}");
    }

    #[test]
    fn ray_along_a_scaled_direction_keeps_its_distances() {
        let p = torus();
        let mut out = ShapeHits::default();
        p.intersect(
            &Ray::new(DVec3::new(-10.0, 0.0, 0.0), DVec3::X * 2.0),
            &mut out,
        );
        let first = out.iter().next().expect("hit").0;
        assert!((first - 3.75).abs() < 1e-9, "{first}");
    }
}
