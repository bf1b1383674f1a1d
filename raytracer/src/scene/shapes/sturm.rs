//! Sturm-sequence root isolation as POV-Ray's `polysolve` does it: roots in
//! `[0, MAX_DISTANCE]` only, isolated by bisection on sign changes and refined by
//! regula falsi. Used for the lathe's sextics and wherever a scene asks for `sturm`.

use super::spline_roots::Roots;

const MAX_ORDER: usize = 6;
const MAX_ITERATIONS: usize = 50;
const SMALL_ENOUGH: f64 = 1e-10;
const RELERROR: f64 = 1e-12;
/// The bracket POV-Ray searches (its `MAX_DISTANCE`).
const MAX_DISTANCE: f64 = 1e7;

/// A polynomial with `coef[i]` the coefficient of `x^i`.
#[derive(Clone, Copy, Debug, Default)]
struct Poly {
    ord: usize,
    coef: [f64; MAX_ORDER + 1],
}

impl Poly {
    fn eval(&self, x: f64) -> f64 {
        self.coef[..=self.ord]
            .iter()
            .rev()
            .fold(0.0, |acc, &c| acc * x + c)
    }
}

/// Positive roots of `c[0] x^n + ... + c[n]` (`c[0]` non-zero, `n <= 6`).
pub fn roots(c: &[f64]) -> Roots {
    let mut out = Roots::default();
    let order = c.len() - 1;
    if order == 0 || order > MAX_ORDER || c[0] == 0.0 {
        return out;
    }
    let mut seq = [Poly::default(); MAX_ORDER + 1];
    for (i, &v) in c.iter().enumerate() {
        seq[0].coef[order - i] = v / c[0];
    }
    seq[0].ord = order;
    let np = build(&mut seq);
    let seq = &seq[..=np];
    let at_min = changes(seq, 0.0);
    let at_max = changes(seq, MAX_DISTANCE);
    if at_min == at_max {
        return out;
    }
    bisect(seq, 0.0, MAX_DISTANCE, at_min, at_max, &mut out);
    out
}

/// Builds the Sturm sequence in place; returns the index of its last member.
fn build(seq: &mut [Poly; MAX_ORDER + 1]) -> usize {
    let ord = seq[0].ord;
    let f = (seq[0].coef[ord] * ord as f64).abs();
    seq[1].ord = ord - 1;
    for i in 1..=ord {
        seq[1].coef[i - 1] = seq[0].coef[i] * i as f64 / f;
    }
    let mut k = 2;
    loop {
        let (u, v) = (seq[k - 2], seq[k - 1]);
        let r = remainder(&u, &v);
        seq[k] = r;
        if r.ord == 0 || k == MAX_ORDER {
            break;
        }
        let f = -seq[k].coef[seq[k].ord].abs();
        for c in &mut seq[k].coef[..=r.ord] {
            *c /= f;
        }
        k += 1;
    }
    seq[k].coef[0] = -seq[k].coef[0];
    k
}

/// The remainder of `u / v` (`v` has leading coefficient ±1), small trailing
/// high-order terms dropped as POV-Ray's `modp` drops them.
fn remainder(u: &Poly, v: &Poly) -> Poly {
    let mut r = *u;
    if u.ord >= v.ord {
        let neg = v.coef[v.ord] < 0.0;
        if neg {
            let mut k = u.ord as isize - v.ord as isize - 1;
            while k >= 0 {
                r.coef[k as usize] = -r.coef[k as usize];
                k -= 2;
            }
        }
        for k in (0..=u.ord - v.ord).rev() {
            for j in (k..v.ord + k).rev() {
                let q = r.coef[v.ord + k] * v.coef[j - k];
                r.coef[j] = if neg { -r.coef[j] - q } else { r.coef[j] - q };
            }
        }
    }
    let mut k = v.ord as isize - 1;
    while k >= 0 && r.coef[k as usize].abs() < SMALL_ENOUGH {
        r.coef[k as usize] = 0.0;
        k -= 1;
    }
    r.ord = k.max(0) as usize;
    r
}

/// Sign changes along the sequence at `a`.
fn changes(seq: &[Poly], a: f64) -> usize {
    let mut n = 0;
    let mut lf = seq[0].eval(a);
    for s in &seq[1..] {
        let f = s.eval(a);
        if lf == 0.0 || lf * f < 0.0 {
            n += 1;
        }
        lf = f;
    }
    n
}

fn converged(mid: f64, lo: f64, hi: f64) -> bool {
    if mid.abs() > RELERROR {
        ((hi - lo) / mid).abs() < RELERROR
    } else {
        (hi - lo).abs() < RELERROR
    }
}

/// Isolates the roots between `lo` and `hi` (`at_lo - at_hi` of them).
fn bisect(seq: &[Poly], mut lo: f64, mut hi: f64, at_lo: usize, at_hi: usize, out: &mut Roots) {
    if at_lo.saturating_sub(at_hi) == 1 {
        if let Some(x) = regula_falsa(&seq[0], lo, hi) {
            out.push(x);
            return;
        }
        let mut mid = lo;
        for _ in 0..MAX_ITERATIONS {
            mid = (lo + hi) / 2.0;
            let at_mid = changes(seq, mid);
            if converged(mid, lo, hi) {
                break;
            }
            if at_lo == at_mid {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        out.push(mid);
        return;
    }
    let mut mid = lo;
    for _ in 0..MAX_ITERATIONS {
        mid = (lo + hi) / 2.0;
        let at_mid = changes(seq, mid);
        if converged(mid, lo, hi) {
            break;
        }
        let n1 = at_lo.saturating_sub(at_mid);
        let n2 = at_mid.saturating_sub(at_hi);
        if n1 != 0 && n2 != 0 {
            bisect(seq, lo, mid, at_lo, at_mid, out);
            bisect(seq, mid, hi, at_mid, at_hi, out);
            return;
        }
        if n1 == 0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    out.push(mid);
}

/// Regula falsi (Illinois variant) on a bracketed root; `None` if it does not
/// converge.
fn regula_falsa(p: &Poly, mut a: f64, mut b: f64) -> Option<f64> {
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
        let done = if x.abs() > RELERROR {
            (fx / x).abs() < RELERROR
        } else {
            fx.abs() < RELERROR
        };
        if done {
            return Some(x);
        }
        // Move the end on fx's side; halve the other end's value when the same
        // end moves twice (the Illinois step).
        if (fa < 0.0) == (fx < 0.0) {
            a = x;
            fa = fx;
            if lfx * fx > 0.0 {
                fb /= 2.0;
            }
        } else {
            b = x;
            fb = fx;
            if lfx * fx > 0.0 {
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

    #[test]
    fn finds_the_positive_roots_of_a_sextic() {
        // (x-1)(x-2)(x-3)(x+1)(x+2)(x-0.5)
        let mut c = vec![1.0];
        for r in [1.0, 2.0, 3.0, -1.0, -2.0, 0.5] {
            let mut n = vec![0.0; c.len() + 1];
            for (i, v) in c.iter().enumerate() {
                n[i] += v;
                n[i + 1] -= v * r;
            }
            c = n;
        }
        let mut got = roots(&c).as_slice().to_vec();
        got.sort_by(f64::total_cmp);
        let want = [0.5, 1.0, 2.0, 3.0];
        assert_eq!(got.len(), 4, "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-8, "{got:?}");
        }
    }
}
