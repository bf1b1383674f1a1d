//! The `mandel` pattern: POV-Ray 3.7's Mandelbrot set in the x-y plane, with its
//! interior and exterior colouring types.

use glam::DVec3;

/// Most iterations a pattern may ask for (bounds the cost of one evaluation).
pub const MAX_ITERATIONS: u32 = 1 << 20;

/// `mandel N [interior T, F] [exterior T, F]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fractal {
    /// Iterations before a point counts as inside.
    pub iterations: u32,
    /// `interior` type (0-6) and factor: how inside points are valued.
    pub interior: (u8, f64),
    /// `exterior` type (0-8) and factor: how escaping points are valued.
    pub exterior: (u8, f64),
}

impl Default for Fractal {
    /// POV-Ray's defaults: interior 0 (the factor), exterior 1 (iteration count
    /// over the maximum), both factors 1.
    fn default() -> Self {
        Self {
            iterations: 0,
            interior: (0, 1.0),
            exterior: (1, 1.0),
        }
    }
}

/// The Mandelbrot pattern at `p` (z is ignored), exponent 2.
pub fn mandel(p: DVec3, f: &Fractal) -> f64 {
    let (x, y) = (p.x, p.y);
    let (mut a, mut b) = (x, y);
    let (mut a2, mut b2) = (a * a, b * b);
    let mut mindist2 = a2 + b2;
    for i in 0..f.iterations {
        b = 2.0 * a * b + y;
        a = a2 - b2 + x;
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
        assert_eq!(mandel(DVec3::ZERO, &f), 1.0, "the origin never escapes");
        // POV-Ray starts from z = c: for c = 2 the first step gives 6 (escaped
        // after 0 iterations), for c = 0.5 the steps 0.75, 1.0625, 1.63, 3.2 escape
        // at the fourth (index 3).
        assert_eq!(mandel(DVec3::new(2.0, 0.0, 0.0), &f), 0.0);
        assert_eq!(mandel(DVec3::new(0.5, 0.0, 0.0), &f), 3.0 / 50.0);
        let none = Fractal::default();
        assert_eq!(mandel(DVec3::new(3.0, 3.0, 0.0), &none), 1.0);
    }
}
