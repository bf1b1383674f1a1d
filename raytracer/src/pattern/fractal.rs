//! The fractal patterns: POV-Ray 3.7's `mandel`, `julia` and `magnet` sets in the
//! x-y plane, with their exponents and interior and exterior colouring types.

use glam::{DVec2, DVec3};

/// Most iterations a pattern may ask for (bounds the cost of one evaluation).
pub const MAX_ITERATIONS: u32 = 1 << 20;

/// Largest exponent POV-Ray accepts for mandel and julia.
pub const MAX_EXPONENT: u32 = 33;

/// Which set a fractal pattern draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FractalSet {
    /// `mandel`: z starts at the point, c is the point.
    Mandel,
    /// `julia <c>`: z starts at the point, c is fixed.
    Julia(DVec2),
    /// `magnet 1 mandel` / `magnet 2 mandel`: the magnetism formulas, c the point.
    MagnetMandel(Magnet),
    /// `magnet 1 julia <c>` / `magnet 2 julia <c>`.
    MagnetJulia(Magnet, DVec2),
}

/// POV-Ray's two magnetism formulas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magnet {
    /// z ← ((z² + c - 1) / (2z + c - 2))².
    One,
    /// z ← ((z³ + 3(c-1)z + (c-1)(c-2)) / (3z² + 3(c-2)z + (c-1)(c-2) + 1))².
    Two,
}

/// `mandel N`, `julia <c>, N`, `magnet 1|2 mandel|julia ...` with
/// `[exponent E] [interior T, F] [exterior T, F]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fractal {
    /// The set drawn.
    pub set: FractalSet,
    /// `exponent` of mandel and julia (2 to 33; the magnets ignore it).
    pub exponent: u32,
    /// Iterations before a point counts as inside.
    pub iterations: u32,
    /// `interior` type (0-6) and factor: how inside points are valued.
    pub interior: (u8, f64),
    /// `exterior` type (0-8) and factor: how escaping points are valued.
    pub exterior: (u8, f64),
}

impl Default for Fractal {
    /// POV-Ray's defaults: the Mandelbrot set with exponent 2, interior 0 (the
    /// factor), exterior 1 (iteration count over the maximum), both factors 1.
    fn default() -> Self {
        Self {
            set: FractalSet::Mandel,
            exponent: 2,
            iterations: 0,
            interior: (0, 1.0),
            exterior: (1, 1.0),
        }
    }
}

/// The fractal pattern at `p` (z is ignored).
pub fn value(p: DVec3, f: &Fractal) -> f64 {
    let z = DVec2::new(p.x, p.y);
    match f.set {
        FractalSet::Mandel => power_set(f, z, z),
        FractalSet::Julia(c) => power_set(f, z, c),
        FractalSet::MagnetMandel(m) => magnet_set(f, m, DVec2::ZERO, z, 10000.0),
        FractalSet::MagnetJulia(m, c) => magnet_set(f, m, z, c, z.length_squared()),
    }
}

/// z ← z^e + c from `z`, escaping beyond radius 2.
fn power_set(f: &Fractal, z: DVec2, c: DVec2) -> f64 {
    let (mut a, mut b) = (z.x, z.y);
    let (mut a2, mut b2) = (a * a, b * b);
    let mut mindist2 = a2 + b2;
    for i in 0..f.iterations {
        (a, b) = power_step(f.exponent, a, b, a2, b2);
        a += c.x;
        b += c.y;
        a2 = a * a;
        b2 = b * b;
        let dist2 = a2 + b2;
        mindist2 = mindist2.min(dist2);
        if dist2 > 4.0 {
            return exterior(f, i, a, b);
        }
    }
    interior(f, a, b, mindist2)
}

/// z^e for z = a + bi (`a2`, `b2` its squared parts), with POV-Ray's expanded
/// forms for exponents 2 to 4.
fn power_step(exponent: u32, a: f64, b: f64, a2: f64, b2: f64) -> (f64, f64) {
    match exponent {
        3 => (a2 * a - 3.0 * a * b2, 3.0 * a2 * b - b2 * b),
        4 => (
            a2 * a2 - 6.0 * a2 * b2 + b2 * b2,
            4.0 * (a2 * a * b - a * b2 * b),
        ),
        e if e > 4 => {
            let (mut x, mut y) = (a, b);
            for _ in 1..e {
                (x, y) = (x * a - y * b, x * b + y * a);
            }
            (x, y)
        }
        _ => (a2 - b2, 2.0 * a * b),
    }
}

/// The magnet formulas from `z` with parameter `c`, escaping beyond radius 100
/// or when z comes within 0.01 of 1 (the formulas' fixed point).
fn magnet_set(f: &Fractal, m: Magnet, z: DVec2, c: DVec2, mut mindist2: f64) -> f64 {
    let (mut a, mut b) = (z.x, z.y);
    let (mut a2, mut b2) = (a * a, b * b);
    for i in 0..f.iterations {
        let (num, den) = match m {
            Magnet::One => magnet1_terms(a, b, a2, b2, c),
            Magnet::Two => magnet2_terms(a, b, a2, b2, c),
        };
        let t = den.length_squared();
        a = (num.x * den.x + num.y * den.y) / t;
        b = (num.y * den.x - num.x * den.y) / t;
        let bb = b * b;
        b *= 2.0 * a;
        a = a * a - bb;
        a2 = a * a;
        b2 = b * b;
        let dist2 = a2 + b2;
        mindist2 = mindist2.min(dist2);
        let near_one = (a - 1.0) * (a - 1.0) + b2;
        if dist2 > 10000.0 || near_one < 1.0 / 10000.0 {
            return exterior(f, i, a, b);
        }
    }
    interior(f, a, b, mindist2)
}

/// Numerator and denominator of magnet 1's fraction.
fn magnet1_terms(a: f64, b: f64, a2: f64, b2: f64, c: DVec2) -> (DVec2, DVec2) {
    let num = DVec2::new(a2 - b2 + c.x - 1.0, 2.0 * a * b + c.y);
    let den = DVec2::new(2.0 * a + c.x - 2.0, 2.0 * b + c.y);
    (num, den)
}

/// Numerator and denominator of magnet 2's fraction.
fn magnet2_terms(a: f64, b: f64, a2: f64, b2: f64, c: DVec2) -> (DVec2, DVec2) {
    let (c1r, c2r) = (c.x - 1.0, c.x - 2.0);
    let c1c2r = c1r * c2r - c.y * c.y;
    let c1c2i = (c1r + c2r) * c.y;
    let num = DVec2::new(
        a2 * a - 3.0 * a * b2 + 3.0 * (a * c1r - b * c.y) + c1c2r,
        3.0 * a2 * b - b2 * b + 3.0 * (a * c.y + b * c1r) + c1c2i,
    );
    let den = DVec2::new(
        3.0 * (a2 - b2) + 3.0 * (a * c2r - b * c.y) + c1c2r + 1.0,
        6.0 * a * b + 3.0 * (a * c.y + b * c2r) + c1c2i,
    );
    (num, den)
}

fn exterior(f: &Fractal, iters: u32, a: f64, b: f64) -> f64 {
    let (kind, factor) = f.exterior;
    let modulo = |n: f64| {
        // POV-Ray's unsigned conversion; a zero modulus has no value.
        let m = n as u32;
        if m == 0 {
            0.0
        } else {
            f64::from(iters % m) / factor
        }
    };
    match kind {
        0 => factor,
        1 => f64::from(iters) / f64::from(f.iterations.max(1)),
        2 => a * factor,
        3 => b * factor,
        4 => a * a * factor,
        5 => b * b * factor,
        6 => (a * a + b * b).sqrt() * factor,
        7 => modulo(factor),
        8 => modulo(1.0 + factor),
        _ => 0.0,
    }
}

fn interior(f: &Fractal, a: f64, b: f64, mindist2: f64) -> f64 {
    let (kind, factor) = f.interior;
    match kind {
        0 => factor,
        1 => mindist2.sqrt() * factor,
        2 => a * factor,
        3 => b * factor,
        4 => a * a * factor,
        5 => b * b * factor,
        // POV-Ray's own precedence: only b*b is scaled.
        6 => a * a + b * b * factor,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_and_escaping_points() {
        let f = Fractal {
            iterations: 50,
            ..Fractal::default()
        };
        assert_eq!(value(DVec3::ZERO, &f), 1.0, "the origin never escapes");
        // POV-Ray starts from z = c: for c = 2 the first step gives 6 (escaped
        // after 0 iterations), for c = 0.5 the steps 0.75, 1.0625, 1.63, 3.2 escape
        // at the fourth (index 3).
        assert_eq!(value(DVec3::new(2.0, 0.0, 0.0), &f), 0.0);
        assert_eq!(value(DVec3::new(0.5, 0.0, 0.0), &f), 3.0 / 50.0);
        let none = Fractal::default();
        assert_eq!(value(DVec3::new(3.0, 3.0, 0.0), &none), 1.0);
    }

    #[test]
    fn higher_exponents_agree_with_the_general_power() {
        for e in [3, 4] {
            let (a, b) = (0.3, -0.7);
            let fast = power_step(e, a, b, a * a, b * b);
            let general = power_step_general(e, a, b);
            assert!((fast.0 - general.0).abs() < 1e-12 && (fast.1 - general.1).abs() < 1e-12);
        }
    }

    fn power_step_general(e: u32, a: f64, b: f64) -> (f64, f64) {
        let (mut x, mut y) = (a, b);
        for _ in 1..e {
            (x, y) = (x * a - y * b, x * b + y * a);
        }
        (x, y)
    }

    #[test]
    fn julia_and_magnets_escape_or_stay() {
        let julia = Fractal {
            set: FractalSet::Julia(DVec2::new(-0.5, 0.5)),
            iterations: 40,
            ..Fractal::default()
        };
        assert_eq!(value(DVec3::new(5.0, 0.0, 0.0), &julia), 0.0);
        assert_eq!(value(DVec3::ZERO, &julia), 1.0);
        for m in [Magnet::One, Magnet::Two] {
            let f = Fractal {
                set: FractalSet::MagnetMandel(m),
                iterations: 60,
                ..Fractal::default()
            };
            for i in 0..50 {
                let v = value(DVec3::new(f64::from(i) * 0.1 - 2.0, 0.37, 0.0), &f);
                assert!(v.is_finite() && (0.0..=1.0).contains(&v), "{m:?}: {v}");
            }
        }
    }
}
