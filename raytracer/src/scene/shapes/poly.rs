//! POV-Ray's polynomial surfaces (`poly`, `cubic`, `quartic`, `polynomial`): the
//! points where a polynomial in x, y and z is zero, inside where it is negative.
//!
//! Along a ray the polynomial becomes one in the distance `t`; its coefficients come
//! from expanding every term with the binomial theorem, and its roots from POV-Ray's
//! solver. As in POV-Ray, the ray's direction is normalised first (so the root and
//! depth tolerances are object-space lengths) and the shape has no bounds of its own:
//! scenes give it `bounded_by` or `clipped_by`.

use glam::DVec3;

use super::super::geometry::Ray;
use super::super::solver::{self, MAX_ORDER};
use super::{Shape, ShapeHits};
use crate::desc::poly_terms::{exponents, term_count};

/// Roots nearer than this (object space, unit direction) are the surface the ray
/// starts from.
const DEPTH_TOLERANCE: f64 = 1.0e-4;
/// A point whose polynomial is below this is inside.
const INSIDE_TOLERANCE: f64 = 1.0e-4;
/// The constant term, relative to the linear one, below which the solver takes `t = 0`
/// as a root and factors it out.
const ROOT_TOLERANCE: f64 = 1.0e-4;
/// Quadratics with a `t^2` (or then `t`) coefficient below this are lower order.
const COEFF_LIMIT: f64 = 1.0e-20;

/// Binomial coefficients `C(n, k)` for `n, k <= MAX_ORDER`.
const BINOMIALS: [[f64; MAX_ORDER + 1]; MAX_ORDER + 1] = binomials();

const fn binomials() -> [[f64; MAX_ORDER + 1]; MAX_ORDER + 1] {
    let mut b = [[0.0; MAX_ORDER + 1]; MAX_ORDER + 1];
    let mut n = 0;
    while n <= MAX_ORDER {
        b[n][0] = 1.0;
        let mut k = 1;
        while k <= n {
            b[n][k] = b[n - 1][k - 1] + b[n - 1][k];
            k += 1;
        }
        n += 1;
    }
    b
}

/// One term with a nonzero coefficient.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Term {
    x: u8,
    y: u8,
    z: u8,
    c: f64,
}

/// A polynomial surface in object space.
#[derive(Clone, Debug, PartialEq)]
pub struct Poly {
    order: usize,
    /// The terms with nonzero coefficients, in POV-Ray's term order: the expansion
    /// sums them in that order, as POV-Ray does, so the same roots come out.
    terms: Vec<Term>,
    sturm: bool,
}

impl Poly {
    /// `None` unless `2 <= order <= MAX_ORDER` and there is one coefficient per term.
    pub fn new(order: usize, coefficients: &[f64], sturm: bool) -> Option<Poly> {
        if !(2..=MAX_ORDER).contains(&order) || coefficients.len() != term_count(order) {
            return None;
        }
        let terms = exponents(order)
            .zip(coefficients)
            .filter(|(_, &c)| c != 0.0)
            .map(|((i, j, k), &c)| Term {
                x: i as u8,
                y: j as u8,
                z: k as u8,
                c,
            })
            .collect();
        Some(Poly {
            order,
            terms,
            sturm,
        })
    }

    /// The surface's crossings along `r`, nearest first when there are more than
    /// `ShapeHits` holds (the farther ones are dropped).
    pub fn intersect_into(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 || !len.is_finite() {
            return;
        }
        let ray = Ray::new(r.origin, r.dir / len);
        // Work arrays sized for the order: most polys are quartics, and clearing
        // arrays for order 35 on every ray would cost as much as solving.
        match self.order {
            2 => {
                let (depths, n) = self.quadratic_roots(&ray);
                push_depths(&depths[..n], len, out);
            }
            3 | 4 => push_depths(self.roots::<5>(&ray).as_slice(), len, out),
            5..=8 => push_depths(self.roots::<9>(&ray).as_slice(), len, out),
            _ => push_depths(self.roots::<{ MAX_ORDER + 1 }>(&ray).as_slice(), len, out),
        }
    }

    /// The polynomial in `t` along a unit-direction ray, highest power first, and its
    /// roots; `N` exceeds the order.
    fn roots<const N: usize>(&self, ray: &Ray) -> solver::PolyRoots {
        let order = self.order;
        let eqn = self.along_ray::<N>(ray);
        // Exactly vanishing leading coefficients lower the order; a linear remainder
        // gives no roots in POV-Ray.
        let lead = eqn[..=order].iter().take_while(|&&v| v == 0.0).count();
        if lead + 1 >= order {
            return solver::PolyRoots::default();
        }
        solver::solve_polynomial(&eqn[lead..=order], self.sturm, ROOT_TOLERANCE)
    }

    /// Substitutes the ray into every term: `(Px + Dx t)^i (Py + Dy t)^j (Pz + Dz t)^k`
    /// expanded by the binomial theorem. `eqn[h]` is the coefficient of `t^(order-h)`.
    fn along_ray<const N: usize>(&self, ray: &Ray) -> [f64; N] {
        let n = self.order;
        let (p, d) = (ray.origin, ray.dir);
        let (px, py, pz) = (
            powers::<N>(p.x, n),
            powers::<N>(p.y, n),
            powers::<N>(p.z, n),
        );
        let (dx, dy, dz) = (
            powers::<N>(d.x, n),
            powers::<N>(d.y, n),
            powers::<N>(d.z, n),
        );
        let mut eqn = [0.0; N];
        let mut tx = [0.0; N];
        let mut ty = [0.0; N];
        let mut tz = [0.0; N];
        // Terms come grouped by x's power, then y's: expand each group's factor once.
        let mut cached: Option<(u8, u8)> = None;
        for term in &self.terms {
            let (i, j, k) = (term.x as usize, term.y as usize, term.z as usize);
            if cached.map(|(ci, _)| ci) != Some(term.x) {
                expand(&mut tx, i, &px, &dx);
                cached = None;
            }
            if cached != Some((term.x, term.y)) {
                expand(&mut ty, j, &py, &dy);
                cached = Some((term.x, term.y));
            }
            expand(&mut tz, k, &pz, &dz);
            let offset = n - (i + j + k);
            for (i1, &a) in tx[..=i].iter().enumerate() {
                for (j1, &b) in ty[..=j].iter().enumerate() {
                    for (k1, &c) in tz[..=k].iter().enumerate() {
                        eqn[offset + i1 + j1 + k1] += term.c * a * b * c;
                    }
                }
            }
        }
        eqn
    }

    /// Order 2 the way POV-Ray intersects it: the quadratic formula directly, both
    /// roots reported even when equal.
    fn quadratic_roots(&self, ray: &Ray) -> ([f64; 2], usize) {
        let eqn = self.along_ray::<3>(ray);
        let (a, b, c) = (eqn[0], eqn[1], eqn[2]);
        if a.abs() < COEFF_LIMIT {
            if b.abs() < COEFF_LIMIT {
                return ([0.0; 2], 0);
            }
            return ([-c / b, 0.0], 1);
        }
        let disc = b * b - 4.0 * a * c;
        if disc < 0.0 {
            return ([0.0; 2], 0);
        }
        let s = disc.sqrt();
        ([(-b + s) / (2.0 * a), (-b - s) / (2.0 * a)], 2)
    }

    /// The powers of `p`'s coordinates up to the order.
    fn point_powers(&self, p: DVec3) -> [[f64; MAX_ORDER + 1]; 3] {
        p.to_array().map(|v| powers(v, self.order))
    }

    /// The polynomial's value at `p`.
    pub fn eval(&self, p: DVec3) -> f64 {
        let [x, y, z] = self.point_powers(p);
        self.terms
            .iter()
            .map(|t| t.c * x[t.x as usize] * y[t.y as usize] * z[t.z as usize])
            .sum()
    }

    /// POV-Ray's inside test: the polynomial below [`INSIDE_TOLERANCE`].
    pub fn inside(&self, p: DVec3) -> bool {
        self.eval(p) < INSIDE_TOLERANCE
    }

    /// The gradient at `p` (unnormalised); POV-Ray uses +x where it vanishes.
    pub fn normal(&self, p: DVec3) -> DVec3 {
        let [x, y, z] = self.point_powers(p);
        let mut n = DVec3::ZERO;
        for t in &self.terms {
            let (i, j, k) = (t.x as usize, t.y as usize, t.z as usize);
            if i >= 1 {
                n.x += i as f64 * t.c * x[i - 1] * y[j] * z[k];
            }
            if j >= 1 {
                n.y += j as f64 * t.c * x[i] * y[j - 1] * z[k];
            }
            if k >= 1 {
                n.z += k as f64 * t.c * x[i] * y[j] * z[k - 1];
            }
        }
        if n.length_squared() > 0.0 {
            n
        } else {
            DVec3::X
        }
    }
}

impl Shape {
    /// The render shape of a description's polynomial; `None`, with a warning, for an
    /// order or a coefficient count POV-Ray would not accept.
    pub fn poly(order: u32, coefficients: &[f64], sturm: bool) -> Option<Shape> {
        let shape = Poly::new(order as usize, coefficients, sturm);
        if shape.is_none() {
            tracing::warn!(
                "poly of order {order} with {} coefficients skipped: orders are 2 to {MAX_ORDER} \
                 with one coefficient per term",
                coefficients.len()
            );
        }
        shape.map(|p| Shape::Poly(Box::new(p)))
    }
}

/// The crossings at object-space `depths` (unit direction) as distances along a
/// ray whose direction has length `len`: roots at the ray's start and repeated
/// roots dropped as POV-Ray drops them (equal roots compare exactly).
fn push_depths(depths: &[f64], len: f64, out: &mut ShapeHits) {
    let valid = |i: usize, d: f64| d > DEPTH_TOLERANCE && !depths[..i].contains(&d);
    let count = (0..depths.len()).filter(|&i| valid(i, depths[i])).count();
    if count <= 4 {
        for (i, &d) in depths.iter().enumerate() {
            if valid(i, d) {
                out.push(d / len, 0, 0.0);
            }
        }
        return;
    }
    let mut kept = [0.0; MAX_ORDER];
    let mut n = 0;
    for (i, &d) in depths.iter().enumerate() {
        if valid(i, d) {
            kept[n] = d / len;
            n += 1;
        }
    }
    kept[..n].sort_by(f64::total_cmp);
    for &t in &kept[..n] {
        out.push(t, 0, 0.0);
    }
}

/// `out[h] = C(n, h) d^(n-h) p^h`: the coefficient of `t^(n-h)` in `(p + d t)^n`,
/// from the powers of `p` and `d`.
fn expand<const N: usize>(out: &mut [f64; N], n: usize, pp: &[f64; N], dp: &[f64; N]) {
    for (h, slot) in out[..=n].iter_mut().enumerate() {
        *slot = BINOMIALS[n][h] * dp[n - h] * pp[h];
    }
}

/// `v^0 ..= v^n` (`n < N`).
fn powers<const N: usize>(v: f64, n: usize) -> [f64; N] {
    let mut out = [1.0; N];
    for i in 1..=n {
        out[i] = out[i - 1] * v;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::poly_terms::term_index;

    /// A sphere of radius 2 as an order-2 poly, and as a quartic (its square minus
    /// 16, which has the same zero set plus none).
    fn unit_sphere_poly(order: usize, radius: f64) -> Poly {
        let mut c = vec![0.0; term_count(order)];
        for (i, j, k) in [(2, 0, 0), (0, 2, 0), (0, 0, 2)] {
            c[term_index(order, i, j, k).unwrap()] = 1.0;
        }
        c[term_index(order, 0, 0, 0).unwrap()] = -radius * radius;
        Poly::new(order, &c, false).unwrap()
    }

    fn hits(p: &Poly, r: &Ray) -> Vec<f64> {
        let mut out = ShapeHits::default();
        p.intersect_into(r, &mut out);
        let mut v: Vec<f64> = out.iter().map(|h| h.0).collect();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn binomials_are_pascals_triangle() {
        assert_eq!(BINOMIALS[4][..5], [1.0, 4.0, 6.0, 4.0, 1.0]);
        assert_eq!(BINOMIALS[35][17], 4_537_567_650.0);
    }

    #[test]
    fn quadratic_sphere_hits_and_inside() {
        let s = unit_sphere_poly(2, 2.0);
        // A direction of length 2 keeps t meaning the caller's parameter.
        let r = Ray::new(DVec3::new(0.0, 0.0, -6.0), DVec3::new(0.0, 0.0, 2.0));
        let got = hits(&s, &r);
        assert_eq!(got.len(), 2);
        assert!(
            (got[0] - 2.0).abs() < 1e-12 && (got[1] - 4.0).abs() < 1e-12,
            "{got:?}"
        );
        assert!(s.inside(DVec3::ZERO));
        assert!(!s.inside(DVec3::new(0.0, 3.0, 0.0)));
        let n = s.normal(DVec3::new(0.0, 2.0, 0.0));
        assert!((n.normalize() - DVec3::Y).length() < 1e-12);
    }

    #[test]
    fn quartic_torus_crosses_four_times() {
        // (x² + y² + z² + R² - r²)² - 4R²(x² + z²) with R = 2, r = 0.5.
        let (big, small) = (2.0f64, 0.5f64);
        let k = big * big - small * small;
        let mut c = vec![0.0; term_count(4)];
        let mut set = |i, j, k2, v: f64| c[term_index(4, i, j, k2).unwrap()] += v;
        for (i, j, kk) in [(4, 0, 0), (0, 4, 0), (0, 0, 4)] {
            set(i, j, kk, 1.0);
        }
        for (i, j, kk) in [(2, 2, 0), (2, 0, 2), (0, 2, 2)] {
            set(i, j, kk, 2.0);
        }
        set(2, 0, 0, 2.0 * k - 4.0 * big * big);
        set(0, 0, 2, 2.0 * k - 4.0 * big * big);
        set(0, 2, 0, 2.0 * k);
        set(0, 0, 0, k * k);
        for sturm in [false, true] {
            let p = Poly::new(4, &c, sturm).unwrap();
            let got = hits(&p, &Ray::new(DVec3::new(-10.0, 0.0, 0.0), DVec3::X));
            let want = [7.5, 8.5, 11.5, 12.5];
            assert_eq!(got.len(), 4, "sturm {sturm}: {got:?}");
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 1e-6, "sturm {sturm}: {got:?}");
            }
            assert!(p.inside(DVec3::new(2.0, 0.0, 0.0)));
            assert!(!p.inside(DVec3::ZERO));
        }
    }

    #[test]
    fn high_order_keeps_the_nearest_hits() {
        // x^6 - 14 x^4 + 49 x^2 - 36 = (x²-1)(x²-4)(x²-9): six parallel planes.
        let mut c = vec![0.0; term_count(6)];
        for (e, v) in [(6, 1.0), (4, -14.0), (2, 49.0), (0, -36.0)] {
            c[term_index(6, e, 0, 0).unwrap()] = v;
        }
        let p = Poly::new(6, &c, true).unwrap();
        let got = hits(&p, &Ray::new(DVec3::new(-10.0, 0.1, 0.2), DVec3::X));
        assert_eq!(got.len(), 4, "{got:?}");
        for (g, w) in got.iter().zip([7.0, 8.0, 9.0, 11.0]) {
            assert!((g - w).abs() < 1e-7, "{got:?}");
        }
    }

    #[test]
    fn bad_orders_and_counts_are_refused() {
        assert!(Poly::new(1, &[0.0; 4], false).is_none());
        assert!(Poly::new(36, &vec![0.0; term_count(36)], false).is_none());
        assert!(Poly::new(3, &[0.0; 19], false).is_none());
        let zero = Poly::new(3, &[0.0; 20], false).unwrap();
        assert!(hits(&zero, &Ray::new(DVec3::ZERO, DVec3::X)).is_empty());
        assert_eq!(zero.normal(DVec3::ONE), DVec3::X);
    }
}
