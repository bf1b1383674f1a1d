//! POV-Ray 3.7's root finder for polynomials of any order up to [`MAX_ORDER`], as its
//! polynomial shapes and tori call it: closed forms for orders 2 to 4 and a Sturm
//! sequence with regula falsi and bisection for higher orders, for `sturm` shapes and
//! for quartics whose coefficients span too many magnitudes.
//!
//! The closed forms here are POV-Ray's own variants (not the ones in the parent
//! module): they differ near double roots and tangents, which is where images of
//! polynomial surfaces show it. Everything is on the stack; nothing allocates.

/// The highest order POV-Ray solves, which is the highest it parses.
pub const MAX_ORDER: usize = crate::desc::poly_terms::MAX_POLY_ORDER;

/// A coefficient smaller than this is zero.
const SMALL_ENOUGH: f64 = 1.0e-10;
/// The relative error a Sturm root is refined to.
const RELERROR: f64 = 1.0e-12;
/// Iterations of regula falsi or bisection before giving up on better precision.
const MAX_ITERATIONS: usize = 50;
/// POV-Ray's farthest distance: Sturm roots are searched in `[0, MAX_DISTANCE]`.
pub const MAX_DISTANCE: f64 = 1.0e7;
/// A quartic whose largest coefficient exceeds another by this factor goes to the
/// Sturm solver: the closed form loses too much there on 64-bit floats.
const DIFFICULT_RATIO: f64 = 1.0e12;

const TWO_PI_3: f64 = 2.094_395_102_393_195_4;
const FOUR_PI_3: f64 = 4.188_790_204_786_391;

/// Real roots found by [`solve_polynomial`], in the order the solver found them
/// (Sturm roots ascend; closed-form ones do not). They may include NaNs where POV-Ray's
/// closed forms produce them; callers' depth tests drop those.
#[derive(Clone, Copy, Debug)]
pub struct PolyRoots {
    vals: [f64; MAX_ORDER],
    len: usize,
}

impl Default for PolyRoots {
    fn default() -> Self {
        PolyRoots {
            vals: [0.0; MAX_ORDER],
            len: 0,
        }
    }
}

impl PolyRoots {
    pub fn as_slice(&self) -> &[f64] {
        &self.vals[..self.len]
    }

    fn push(&mut self, v: f64) {
        if self.len < MAX_ORDER {
            self.vals[self.len] = v;
            self.len += 1;
        }
    }
}

/// Roots of `c[0] x^n + c[1] x^(n-1) + ... + c[n]`, as POV-Ray's `Solve_Polynomial`:
/// leading coefficients below [`SMALL_ENOUGH`] are dropped, a constant term below
/// `epsilon` times the linear one means a root at zero that is factored out (the
/// surface the ray starts on), and `sturm` (or an ill-conditioned quartic) selects
/// the Sturm solver, which only reports roots in `[0, 1e7]`.
pub fn solve_polynomial(c: &[f64], sturm: bool, epsilon: f64) -> PolyRoots {
    let mut out = PolyRoots::default();
    if c.len() < 2 || c.len() > MAX_ORDER + 1 {
        return out;
    }
    let lead = c[..c.len() - 1]
        .iter()
        .take_while(|v| v.abs() < SMALL_ENOUGH)
        .count();
    let c = &c[lead..];
    let n = c.len() - 1;
    let tiny_constant =
        |k: usize| epsilon > 0.0 && c[k - 1] != 0.0 && (c[k] / c[k - 1]).abs() < epsilon;
    match n {
        0 => {}
        1 => {
            if c[0] != 0.0 {
                out.push(-c[1] / c[0]);
            }
        }
        2 => solve_quadratic(c, &mut out),
        3 if tiny_constant(3) => solve_quadratic(c, &mut out),
        3 if sturm => polysolve(&c[..4], &mut out),
        3 => solve_cubic(c, &mut out),
        4 if tiny_constant(4) => {
            if sturm {
                polysolve(&c[..4], &mut out)
            } else {
                solve_cubic(c, &mut out)
            }
        }
        4 if sturm || difficult_coeffs(&c[..5]) => polysolve(c, &mut out),
        4 => solve_quartic(c, &mut out),
        // POV-Ray also tries eliminating a zero root here but then solves the full
        // polynomial anyway, overwriting that result: only the full solve counts.
        _ => polysolve(c, &mut out),
    }
    out
}

/// `x[0] t^2 + x[1] t + x[2]`, with discriminants within [`SMALL_ENOUGH`] of zero
/// taken as a double root (reported once).
fn solve_quadratic(x: &[f64], out: &mut PolyRoots) {
    let a = x[0];
    let b = -x[1];
    let c = x[2];
    if a == 0.0 {
        if b != 0.0 {
            out.push(c / b);
        }
        return;
    }
    let (b, c) = (b / a, c / a);
    let d = b * b - 4.0 * c;
    if d > -SMALL_ENOUGH && d < SMALL_ENOUGH {
        out.push(0.5 * b);
        return;
    }
    if d < 0.0 {
        return;
    }
    let d = d.sqrt();
    out.push((b + d) / 2.0);
    out.push((b - d) / 2.0);
}

/// `x[0] t^3 + ... + x[3]` by the trigonometric form for three real roots and
/// Cardano's for one.
fn solve_cubic(x: &[f64], out: &mut PolyRoots) {
    let a0 = x[0];
    if a0 == 0.0 {
        solve_quadratic(&x[1..], out);
        return;
    }
    let (a1, a2, a3) = if a0 != 1.0 {
        (x[1] / a0, x[2] / a0, x[3] / a0)
    } else {
        (x[1], x[2], x[3])
    };
    let sq_a1 = a1 * a1;
    let q = (sq_a1 - 3.0 * a2) / 9.0;
    let r = (a1 * (sq_a1 - 4.5 * a2) + 13.5 * a3) / 27.0;
    let q3 = q * q * q;
    let r2 = r * r;
    let an = a1 / 3.0;
    if q3 - r2 >= 0.0 {
        let theta = (r / q3.sqrt()).acos() / 3.0;
        let sq = -2.0 * q.sqrt();
        out.push(sq * theta.cos() - an);
        out.push(sq * (theta + TWO_PI_3).cos() - an);
        out.push(sq * (theta + FOUR_PI_3).cos() - an);
    } else {
        let sq = ((r2 - q3).sqrt() + r.abs()).powf(1.0 / 3.0);
        let s = sq + q / sq;
        out.push(if r < 0.0 { s - an } else { -s - an });
    }
}

/// True when a quartic's coefficients span more than [`DIFFICULT_RATIO`].
///
/// POV-Ray keeps the largest coefficient with its sign, so once it has met a negative
/// one every later coefficient replaces it; the test follows it to pick the same
/// solver for the same equations.
fn difficult_coeffs(x: &[f64]) -> bool {
    let mut biggest = 0.0;
    for &v in x {
        if v.abs() > biggest {
            biggest = v;
        }
    }
    if biggest == 0.0 {
        return false;
    }
    x.iter()
        .any(|&v| v != 0.0 && (biggest / v).abs() > DIFFICULT_RATIO)
}

/// `x[0] t^4 + ... + x[4]` by Ferrari's method through the depressed quartic's
/// resolvent cubic, as POV-Ray's default `solve_quartic`.
fn solve_quartic(x: &[f64], out: &mut PolyRoots) {
    let c0 = x[0];
    let (c1, c2, c3, c4) = if c0 != 1.0 {
        (x[1] / c0, x[2] / c0, x[3] / c0, x[4] / c0)
    } else {
        (x[1], x[2], x[3], x[4])
    };
    let c12 = c1 * c1;
    let p = -0.375 * c12 + c2;
    let q = 0.125 * c12 * c1 - 0.5 * c1 * c2 + c3;
    let r = -0.011_718_75 * c12 * c12 + 0.0625 * c12 * c2 - 0.25 * c1 * c3 + c4;
    let mut cubic = PolyRoots::default();
    solve_cubic(
        &[1.0, -0.5 * p, -r, 0.5 * r * p - 0.125 * q * q],
        &mut cubic,
    );
    let Some(&z) = cubic.as_slice().first() else {
        return;
    };
    let mut d1 = 2.0 * z - p;
    if d1 < 0.0 {
        if d1 > -SMALL_ENOUGH {
            d1 = 0.0;
        } else {
            return;
        }
    }
    let d2 = if d1 < SMALL_ENOUGH {
        let d2 = z * z - r;
        if d2 < 0.0 {
            return;
        }
        d2.sqrt()
    } else {
        d1 = d1.sqrt();
        0.5 * q / d1
    };
    let q1 = d1 * d1;
    let q2 = -0.25 * c1;
    for (sign, dd) in [(-1.0, z - d2), (1.0, z + d2)] {
        let p = q1 - 4.0 * dd;
        if p == 0.0 {
            out.push(sign * 0.5 * d1 - q2);
        } else if p > 0.0 {
            let p = p.sqrt();
            out.push(sign * 0.5 * (d1 + p) + q2);
            out.push(sign * 0.5 * (d1 - p) + q2);
        }
    }
}

/// One polynomial of a Sturm sequence, coefficients by ascending power.
#[derive(Clone, Copy, Debug)]
struct SturmPoly<const N: usize> {
    ord: usize,
    coef: [f64; N],
}

impl<const N: usize> SturmPoly<N> {
    const ZERO: Self = SturmPoly {
        ord: 0,
        coef: [0.0; N],
    };

    fn eval(&self, x: f64) -> f64 {
        let mut v = self.coef[self.ord];
        for i in (0..self.ord).rev() {
            v = v * x + self.coef[i];
        }
        v
    }

    fn leading(&self) -> f64 {
        self.coef[self.ord]
    }
}

/// Roots in `[0, MAX_DISTANCE]` of `c[0] t^n + ... + c[n]` by Sturm's theorem, with
/// storage sized for the order: the sequence has `n + 1` members of `n + 1` terms.
fn polysolve(c: &[f64], out: &mut PolyRoots) {
    let order = c.len() - 1;
    if order < 8 {
        polysolve_n::<8>(c, out);
    } else {
        polysolve_n::<{ MAX_ORDER + 1 }>(c, out);
    }
}

fn polysolve_n<const N: usize>(c: &[f64], out: &mut PolyRoots) {
    let order = c.len() - 1;
    let mut seq = [SturmPoly::<N>::ZERO; N];
    seq[0].ord = order;
    for (i, &v) in c.iter().enumerate() {
        seq[0].coef[order - i] = v / c[0];
    }
    let np = build_sturm(&mut seq);
    let seq = &seq[..=np];
    if visible_roots(seq) == 0 {
        return;
    }
    let at_min = sign_changes(seq, 0.0);
    let at_max = sign_changes(seq, MAX_DISTANCE);
    if at_min == at_max {
        return;
    }
    let mut roots = [0.0; MAX_ORDER];
    let n = bisect(seq, 0.0, MAX_DISTANCE, at_min, at_max, &mut roots);
    for &r in &roots[..n.min(MAX_ORDER)] {
        out.push(r);
    }
}

/// Fills `seq[1..]` from `seq[0]`: its derivative, then negated remainders, each
/// normalised to a leading coefficient of magnitude one. Returns the index of the
/// last (constant) member.
fn build_sturm<const N: usize>(seq: &mut [SturmPoly<N>; N]) -> usize {
    let ord = seq[0].ord;
    seq[1].ord = ord - 1;
    let f = (seq[0].coef[ord] * ord as f64).abs();
    for i in 1..=ord {
        seq[1].coef[i - 1] = seq[0].coef[i] * i as f64 / f;
    }
    let mut sp = 2;
    loop {
        let (done, rest) = seq.split_at_mut(sp);
        let r = &mut rest[0];
        if remainder(&done[sp - 2], &done[sp - 1], r) == 0 {
            r.coef[0] = -r.coef[0];
            return sp;
        }
        let f = -r.leading().abs();
        for v in r.coef[..=r.ord].iter_mut() {
            *v /= f;
        }
        sp += 1;
    }
}

/// `r = u mod v` as POV-Ray's `modp` computes it (dividing through by a negative
/// leading coefficient of `v` without a division), with coefficients below
/// [`SMALL_ENOUGH`] cut from the top. Returns the remainder's order.
fn remainder<const N: usize>(u: &SturmPoly<N>, v: &SturmPoly<N>, r: &mut SturmPoly<N>) -> usize {
    *r = *u;
    let (uo, vo) = (u.ord as isize, v.ord as isize);
    if v.leading() < 0.0 {
        let mut k = uo - vo - 1;
        while k >= 0 {
            r.coef[k as usize] = -r.coef[k as usize];
            k -= 2;
        }
        for k in (0..=(uo - vo).max(-1)).rev() {
            for j in (k..vo + k).rev() {
                let (j, k) = (j as usize, k as usize);
                r.coef[j] = -r.coef[j] - r.coef[v.ord + k] * v.coef[j - k];
            }
        }
    } else {
        for k in (0..=(uo - vo).max(-1)).rev() {
            for j in (k..vo + k).rev() {
                let (j, k) = (j as usize, k as usize);
                r.coef[j] -= r.coef[v.ord + k] * v.coef[j - k];
            }
        }
    }
    let mut k = vo - 1;
    while k >= 0 && r.coef[k as usize].abs() < SMALL_ENOUGH {
        r.coef[k as usize] = 0.0;
        k -= 1;
    }
    r.ord = k.max(0) as usize;
    r.ord
}

/// Sign changes along a sequence of values; a zero counts as a change, as in POV-Ray.
fn count_changes(values: impl Iterator<Item = f64>) -> i32 {
    let mut changes = 0;
    let mut last: Option<f64> = None;
    for f in values {
        if let Some(lf) = last {
            if lf == 0.0 || lf * f < 0.0 {
                changes += 1;
            }
        }
        last = Some(f);
    }
    changes
}

/// Roots in `(0, +inf)` by the signs at zero and at infinity.
fn visible_roots<const N: usize>(seq: &[SturmPoly<N>]) -> i32 {
    let at_inf = count_changes(seq.iter().map(|s| s.leading()));
    let at_zero = count_changes(seq.iter().map(|s| s.coef[0]));
    at_zero - at_inf
}

fn sign_changes<const N: usize>(seq: &[SturmPoly<N>], x: f64) -> i32 {
    count_changes(seq.iter().map(|s| s.eval(x)))
}

/// The interval is small enough relative to its midpoint.
fn converged(min: f64, max: f64, mid: f64) -> bool {
    if mid.abs() > RELERROR {
        ((max - min) / mid).abs() < RELERROR
    } else {
        (max - min).abs() < RELERROR
    }
}

/// Isolates the `at_min - at_max` roots in `[min, max]` by bisection and refines each
/// isolated one, writing them ascending into `roots`; returns how many it wrote.
fn bisect<const N: usize>(
    seq: &[SturmPoly<N>],
    mut min: f64,
    mut max: f64,
    at_min: i32,
    at_max: i32,
    roots: &mut [f64],
) -> usize {
    if roots.is_empty() {
        return 0;
    }
    let single = at_min - at_max == 1;
    if single {
        if let Some(r) = regula_falsi(&seq[0], min, max) {
            roots[0] = r;
            return 1;
        }
    }
    let mut mid = min;
    for _ in 0..MAX_ITERATIONS {
        mid = (min + max) / 2.0;
        let at_mid = sign_changes(seq, mid);
        // Rounding can make the counts inconsistent; POV-Ray then gives up.
        if at_mid < at_max || at_mid > at_min {
            return 0;
        }
        if converged(min, max, mid) {
            roots[0] = mid;
            return 1;
        }
        let (below, above) = (at_min - at_mid, at_mid - at_max);
        if below != 0 && above != 0 {
            let n1 = bisect(seq, min, mid, at_min, at_mid, roots);
            let n2 = bisect(seq, mid, max, at_mid, at_max, &mut roots[n1..]);
            return n1 + n2;
        }
        if below == 0 {
            min = mid;
        } else {
            max = mid;
        }
    }
    // Out of iterations: the midpoint is as good as it gets.
    roots[0] = mid;
    1
}

/// The root of `p` in `[a, b]` (where `p` changes sign) by the Illinois variant of
/// regula falsi; `None` when it does not converge in [`MAX_ITERATIONS`].
fn regula_falsi<const N: usize>(p: &SturmPoly<N>, mut a: f64, mut b: f64) -> Option<f64> {
    let mut fa = p.eval(a);
    let mut fb = p.eval(b);
    if fa * fb > 0.0 {
        return None;
    }
    if fa.abs() < SMALL_ENOUGH {
        return Some(a);
    }
    if fb.abs() < SMALL_ENOUGH {
        return Some(b);
    }
    let mut lfx = fa;
    for _ in 0..MAX_ITERATIONS {
        let x = (fb * a - fa * b) / (fb - fa);
        let fx = p.eval(x);
        let close = if x.abs() > RELERROR {
            (fx / x).abs() < RELERROR
        } else {
            fx.abs() < RELERROR
        };
        if close {
            return Some(x);
        }
        // Move the end with the same sign as fx; halve the other end's value when
        // the same end moves twice, so the iteration cannot stall.
        let repeat = lfx * fx > 0.0;
        if (fa < 0.0) == (fx < 0.0) {
            a = x;
            fa = fx;
            if repeat {
                fb /= 2.0;
            }
        } else {
            b = x;
            fb = fx;
            if repeat {
                fa /= 2.0;
            }
        }
        if (b - a).abs() < RELERROR {
            return Some(x);
        }
        lfx = fx;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Coefficients (highest power first) of the monic polynomial with these roots.
    fn from_roots(roots: &[f64]) -> Vec<f64> {
        let mut p = vec![1.0];
        for &r in roots {
            let mut next = vec![0.0; p.len() + 1];
            for (i, k) in p.iter().enumerate() {
                next[i] += k;
                next[i + 1] -= k * r;
            }
            p = next;
        }
        p
    }

    fn sorted(r: PolyRoots) -> Vec<f64> {
        let mut v: Vec<f64> = r
            .as_slice()
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }

    fn assert_roots(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < tol, "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn closed_forms_find_known_roots() {
        let quad = sorted(solve_polynomial(&from_roots(&[1.0, 3.0]), false, 0.0));
        assert_roots(&quad, &[1.0, 3.0], 1e-12);
        let cubic = sorted(solve_polynomial(&from_roots(&[-2.0, 0.5, 4.0]), false, 0.0));
        assert_roots(&cubic, &[-2.0, 0.5, 4.0], 1e-9);
        let quartic = [-3.0, 0.5, 1.0, 2.0];
        let got = sorted(solve_polynomial(&from_roots(&quartic), false, 0.0));
        assert_roots(&got, &quartic, 1e-8);
    }

    #[test]
    fn sturm_finds_only_positive_roots_ascending() {
        let c = from_roots(&[-3.0, 0.5, 1.0, 2.0]);
        let got = solve_polynomial(&c, true, 0.0);
        assert_roots(got.as_slice(), &[0.5, 1.0, 2.0], 1e-9);
    }

    #[test]
    fn sturm_solves_high_orders() {
        let want = [0.25, 0.75, 1.5, 2.0, 3.5, 5.0, 6.25, 8.0, 9.5];
        let mut all = want.to_vec();
        all.extend([-1.0, -4.0]);
        let got = solve_polynomial(&from_roots(&all), false, 0.0);
        assert_roots(got.as_slice(), &want, 1e-7);
    }

    #[test]
    fn double_roots() {
        // (t - 2)^2 (t - 5): the closed form meets the double root, Sturm counts it once.
        let c = from_roots(&[2.0, 2.0, 5.0]);
        let closed = sorted(solve_polynomial(&c, false, 0.0));
        assert!(closed.iter().any(|r| (r - 2.0).abs() < 1e-6), "{closed:?}");
        assert!(closed.iter().any(|r| (r - 5.0).abs() < 1e-9), "{closed:?}");
        let sturm = solve_polynomial(&c, true, 0.0);
        assert_roots(sturm.as_slice(), &[2.0, 5.0], 1e-6);
        // (t - 1)^2: a zero discriminant is one root.
        assert_roots(
            solve_polynomial(&[1.0, -2.0, 1.0], false, 0.0).as_slice(),
            &[1.0],
            1e-12,
        );
    }

    #[test]
    fn sturm_sequence_counts_roots_in_intervals() {
        let mut seq = [SturmPoly::<8>::ZERO; 8];
        let c = from_roots(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        seq[0].ord = 5;
        for (i, &v) in c.iter().enumerate() {
            seq[0].coef[5 - i] = v;
        }
        let np = build_sturm(&mut seq);
        let seq = &seq[..=np];
        let count = |a: f64, b: f64| sign_changes(seq, a) - sign_changes(seq, b);
        assert_eq!(count(0.0, 10.0), 5);
        assert_eq!(count(0.5, 2.5), 2);
        assert_eq!(count(3.5, 4.5), 1);
        assert_eq!(count(5.5, 100.0), 0);
        assert_eq!(visible_roots(seq), 5);
    }

    #[test]
    fn no_real_roots() {
        assert!(sorted(solve_polynomial(&[1.0, 0.0, 0.0, 0.0, 1.0], false, 0.0)).is_empty());
        assert!(solve_polynomial(&[1.0, 0.0, 0.0, 0.0, 1.0], true, 0.0)
            .as_slice()
            .is_empty());
        assert!(solve_polynomial(&[1.0, 0.0, 1.0], false, 0.0)
            .as_slice()
            .is_empty());
    }

    #[test]
    fn tiny_leading_coefficients_lower_the_order() {
        // 1e-12 t^3 + t^2 - 3t + 2 is the quadratic (t - 1)(t - 2).
        let got = sorted(solve_polynomial(&[1e-12, 1.0, -3.0, 2.0], false, 0.0));
        assert_roots(&got, &[1.0, 2.0], 1e-12);
    }

    #[test]
    fn a_root_at_the_origin_is_factored_out() {
        // t (t - 1)(t - 2): with an epsilon the zero root is not reported.
        let c = [1.0, -3.0, 2.0, 1e-9];
        let got = sorted(solve_polynomial(&c, false, 1e-4));
        assert_roots(&got, &[1.0, 2.0], 1e-12);
    }

    #[test]
    fn degenerate_input_gives_no_roots() {
        assert!(solve_polynomial(&[], false, 0.0).as_slice().is_empty());
        assert!(solve_polynomial(&[0.0, 0.0, 0.0], true, 0.0)
            .as_slice()
            .is_empty());
        assert!(solve_polynomial(&[f64::NAN; 5], true, 0.0).as_slice().len() <= 4);
    }
}
