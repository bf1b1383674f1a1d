//! POV-Ray 3.7's built-in functions, `function { internal(n) }`, numbered as
//! `functions.inc` declares them (f_algbr_cyl1 is 0 ... f_noise_generator is 78).
//!
//! Each takes x, y, z and its own parameters and follows POV-Ray's formula and
//! constants, clamps included (most algebraic surfaces clamp the field to ±10), so
//! isosurfaces built on them match POV-Ray's. The noise-based ones use
//! [`crate::pattern::noise`], the same generators as the patterns.

use std::cell::RefCell;
use std::f64::consts::{PI, TAU};

use glam::DVec3;

use crate::pattern::{noise, NoiseGenerator};

/// x, y, z and up to ten parameters.
pub const MAX_ARGS: usize = 13;

/// The arguments of one call: `a[0..3]` is the point, `a[3 + i]` parameter i.
pub type Args = [f64; MAX_ARGS];

type Imp = fn(&mut Args, NoiseGenerator) -> f64;

/// One of the internal functions, with the scene's noise generator (for f_noise3d).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Internal {
    id: usize,
    gen: NoiseGenerator,
}

impl Internal {
    /// `internal(n)`, if n names one.
    pub fn new(n: usize, gen: NoiseGenerator) -> Option<Internal> {
        (n < TABLE.len() && n != PATTERN_SLOT).then_some(Internal { id: n, gen })
    }

    /// Parameters a call passes: x, y, z and the function's own.
    pub fn params(&self) -> usize {
        TABLE[self.id].1 + 3
    }

    /// Evaluates the function; it may overwrite its arguments.
    pub fn eval(&self, a: &mut Args) -> f64 {
        (TABLE[self.id].0)(a, self.gen)
    }
}

/// internal(77) is POV-Ray's hook for pattern functions, which are not declared
/// through `internal`.
const PATTERN_SLOT: usize = 77;

/// Implementation and number of extra parameters, by number.
const TABLE: [(Imp, usize); 79] = [
    (algbr_cyl1, 5),
    (algbr_cyl2, 5),
    (algbr_cyl3, 5),
    (algbr_cyl4, 5),
    (bicorn, 2),
    (bifolia, 2),
    (blob, 5),
    (blob2, 4),
    (boy_surface, 2),
    (comma, 1),
    (cross_ellipsoids, 4),
    (crossed_trough, 1),
    (cubic_saddle, 1),
    (cushion, 1),
    (devils_curve, 1),
    (devils_curve_2d, 6),
    (dupin_cyclid, 6),
    (ellipsoid, 3),
    (enneper, 1),
    (flange_cover, 4),
    (folium_surface, 3),
    (folium_surface_2d, 6),
    (glob, 1),
    (heart, 1),
    (helical_torus, 10),
    (helix1, 7),
    (helix2, 7),
    (hex_x, 1),
    (hex_y, 1),
    (hetero_mf, 6),
    (hunt_surface, 1),
    (hyperbolic_torus, 3),
    (isect_ellipsoids, 4),
    (kampyle_of_eudoxus, 3),
    (kampyle_of_eudoxus_2d, 6),
    (klein_bottle, 1),
    (kummer_surface_v1, 1),
    (kummer_surface_v2, 4),
    (lemniscate_of_gerono, 1),
    (lemniscate_of_gerono_2d, 6),
    (mesh1, 5),
    (mitre, 1),
    (nodal_cubic, 1),
    (odd, 1),
    (ovals_of_cassini, 4),
    (paraboloid, 1),
    (parabolic_torus, 3),
    (ph, 0),
    (pillow, 1),
    (piriform, 1),
    (piriform_2d, 7),
    (poly4, 5),
    (polytubes, 6),
    (quantum, 1),
    (quartic_paraboloid, 1),
    (quartic_saddle, 1),
    (quartic_cylinder, 3),
    (r, 0),
    (ridge, 6),
    (ridged_mf, 6),
    (rounded_box, 4),
    (sphere, 1),
    (spikes, 5),
    (spikes_2d, 4),
    (spiral, 6),
    (steiners_roman, 1),
    (strophoid, 4),
    (strophoid_2d, 7),
    (superellipsoid, 2),
    (th, 0),
    (torus, 2),
    (torus2, 3),
    (torus_gumdrop, 1),
    (umbrella, 1),
    (witch_of_agnesi, 2),
    (witch_of_agnesi_2d, 6),
    (noise3d, 0),
    (zero, 0),
    (noise_generator, 1),
];

const X: usize = 0;
const Y: usize = 1;
const Z: usize = 2;

/// Parameter `i` (after x, y, z).
#[inline]
fn k(a: &Args, i: usize) -> f64 {
    a[3 + i]
}

/// C++'s `std::max`: the first operand unless it is less than the second.
#[inline]
fn cmax(a: f64, b: f64) -> f64 {
    if a < b {
        b
    } else {
        a
    }
}

/// C++'s `std::min`: the first operand unless the second is less.
#[inline]
fn cmin(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// The field clamp most algebraic surfaces share: `strength * r` within ±10.
#[inline]
fn field(strength: f64, r: f64) -> f64 {
    cmin(10.0, cmax(strength * r, -10.0))
}

/// The generator a `noise_generator` parameter selects (`(int)n & 3`).
fn generator(n: f64) -> NoiseGenerator {
    match (n as i32) & 3 {
        2 => NoiseGenerator::RangeCorrected,
        3 => NoiseGenerator::Perlin,
        _ => NoiseGenerator::Original,
    }
}

/// The "surface of revolution" option of the 2-D curves: with `switch > 0` the
/// curve in the x-y plane is revolved about y at distance `offset`, tilted by
/// `angle` degrees. Returns the (possibly replaced) x² and y².
fn rot2d(a: &mut Args, switch: f64, offset: f64, angle: f64, x2: f64, y2: f64) -> (f64, f64) {
    if switch <= 0.0 {
        return (x2, y2);
    }
    let d = (x2 + a[Z] * a[Z]).sqrt() - offset;
    let th = angle * (PI / 180.0);
    if th != 0.0 {
        let y = a[Y];
        a[X] = d * th.cos() - y * th.sin();
        a[Y] = d * th.sin() + y * th.cos();
    } else {
        a[X] = d;
    }
    (a[X] * a[X], a[Y] * a[Y])
}

fn squares(a: &Args) -> (f64, f64, f64) {
    (a[X] * a[X], a[Y] * a[Y], a[Z] * a[Z])
}

fn algbr_cyl1(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 2), k(a, 3), k(a, 4), x2, y2);
    a[X] = a[X].abs();
    let r = -(x2 * a[X] - x2 + y2);
    -cmin(k(a, 1), cmax(k(a, 0) * r, -k(a, 1)))
}

fn algbr_cyl2(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 2), k(a, 3), k(a, 4), x2, y2);
    let y = a[Y];
    let r = -(2.0 * x2 * x2 - 3.0 * x2 * y + y2 - 2.0 * y2 * y + y2 * y2);
    cmin(k(a, 1), cmax(k(a, 0) * r, -k(a, 1)))
}

fn algbr_cyl3(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 2), k(a, 3), k(a, 4), x2, y2);
    let (x, y) = (a[X], a[Y]);
    let r = -(x2 * x2 + x2 * y2 - 2.0 * x2 * y - x * y2 + y2);
    cmin(k(a, 1), cmax(k(a, 0) * r, -k(a, 1)))
}

fn algbr_cyl4(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 2), k(a, 3), k(a, 4), x2, y2);
    let y = a[Y];
    let r = -(x2 * x2 + y2 * y2 + 2.0 * x2 * y2 + 3.0 * x2 * y - y2 * y);
    cmin(k(a, 1), cmax(k(a, 0) * r, -k(a, 1)))
}

fn bicorn(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let s = k(a, 1) * k(a, 1);
    let r2 = x2 + z2 + 2.0 * k(a, 1) * a[Y] - s;
    let r = y2 * (s - (x2 + z2)) - r2 * r2;
    field(k(a, 0), r)
}

fn bifolia(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = x2 + y2 + z2;
    let r = -(r * r - k(a, 1) * (x2 + z2) * a[Y]);
    field(k(a, 0), r)
}

fn blob(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (_, y2, z2) = squares(a);
    let half = k(a, 0) * 0.5;
    let x = a[X];
    let r = cmin(((x + half) * (x + half) + y2 + z2) * k(a, 2) * k(a, 2), 1.0);
    let t = cmin(((x - half) * (x - half) + y2 + z2) * k(a, 4) * k(a, 4), 1.0);
    -(k(a, 1) * (1.0 - r) * (1.0 - r) + k(a, 3) * (1.0 - t) * (1.0 - t))
}

fn blob2(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let dx = a[X] - k(a, 0);
    let r = (-(x2 + y2 + z2) * k(a, 1)).exp() + (-(dx * dx + y2 + z2) * k(a, 1)).exp();
    k(a, 3) - r * k(a, 2)
}

fn boy_surface(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (x, y, z) = (a[X], a[Y], a[Z]);
    let r2 = 1.0 - z;
    let ph = x2 + y2;
    let s2 = 2.0f64.sqrt();
    let r = k(a, 1)
        * (64.0 * r2 * r2 * r2 * z2 * z - 48.0 * r2 * r2 * z2 * (3.0 * x2 + 3.0 * y2 + 2.0 * z2)
            + 12.0
                * r2
                * z
                * (27.0 * ph * ph - 24.0 * z2 * ph
                    + 36.0 * s2 * y * z * (y2 - 3.0 * x2)
                    + 4.0 * z2 * z2)
            + (9.0 * x2 + 9.0 * y2 - 2.0 * z2)
                * (-81.0 * ph * ph - 72.0 * z2 * ph
                    + 108.0 * s2 * x * z * (x2 - 3.0 * y2)
                    + 4.0 * z2 * z2));
    field(k(a, 0), r)
}

fn comma(a: &mut Args, _: NoiseGenerator) -> f64 {
    if a[X] == 0.0 && a[Z] == 0.0 {
        a[X] = 0.0001;
    }
    let (x, y, z, s) = (a[X], a[Y], a[Z], k(a, 0));
    let th = z.atan2(x);
    let r = ((x + s * 0.25) * (x + s * 0.25) + z * z).sqrt();
    let t = (th * 0.5).cos() * s * 0.5 - ((r - s * 0.75) * (r - s * 0.75) + y * y).sqrt();
    let t = cmin(z, t);
    let r = s * 0.5 - ((x - s * 0.5) * (x - s * 0.5) + z * z + y * y).sqrt();
    -cmax(t, r)
}

/// exp(-(ax² + by² + cz²) * p1) for the ellipsoid families.
fn gauss(x2: f64, y2: f64, z2: f64, p1: f64) -> f64 {
    (-(x2 + y2 + z2) * p1).exp()
}

fn cross_ellipsoids(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (e, s) = (k(a, 0), k(a, 1));
    let r = cmax(gauss(x2 * e, y2 * e, z2, s), gauss(x2 * e, y2, z2 * e, s));
    let r = cmax(r, gauss(x2, y2 * e, z2 * e, s));
    k(a, 3) - r * k(a, 2)
}

fn crossed_trough(a: &mut Args, _: NoiseGenerator) -> f64 {
    let r = a[X] * a[X] * a[Z] * a[Z] - a[Y];
    field(k(a, 0), r)
}

fn cubic_saddle(a: &mut Args, _: NoiseGenerator) -> f64 {
    let r = -(a[X] * a[X] * a[X] - a[Y] * a[Y] * a[Y] - a[Z]);
    field(k(a, 0), r)
}

fn cushion(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let z = a[Z];
    let r = z2 * x2 - z2 * z2 - 2.0 * z * x2 + 2.0 * z2 * z + x2
        - z2
        - (x2 - z) * (x2 - z)
        - y2 * y2
        - 2.0 * x2 * y2
        - y2 * z2
        + 2.0 * y2 * z
        + y2;
    field(k(a, 0), r)
}

fn devils_curve(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = -(x2 * x2 + 2.0 * x2 * z2 - 0.36 * x2 - y2 * y2 + 0.25 * y2 + z2 * z2);
    field(k(a, 0), r)
}

fn devils_curve_2d(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 3), k(a, 4), k(a, 5), x2, y2);
    let r = -(x2 * (x2 - k(a, 1) * k(a, 1)) - y2 * (y2 - k(a, 2) * k(a, 2)));
    field(k(a, 0), r)
}

fn dupin_cyclid(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (x, y) = (a[X], a[Y]);
    let (p1, p2, p3, p4, p5) = (k(a, 1), k(a, 2), k(a, 3), k(a, 4), k(a, 5));
    let r2 = p5 * p5;
    let ph = p2 * p2;
    let th = p4 * p4;
    let q1 = ph - th - (p3 + p1) * (p3 + p1);
    let q2 = ph - th - (p3 - p1) * (p3 - p1);
    let q3 = p3 * p3;
    let q4 = p1 * p1;
    let r = -(q1 * q2 * (x2 * x2 + y2 * y2 + z2 * z2)
        + 2.0 * (q1 * q2 * (x2 * y2 + x2 * z2 + y2 * z2))
        + 2.0
            * r2
            * ((-th - q3 + ph + q4) * (2.0 * x * p3 + 2.0 * y * p4 - r2) - 4.0 * p4 * ph * y)
            * (x2 + y2 + z2)
        + 4.0 * r2 * r2 * (p3 * x + p4 * y) * (-r2 + p4 * y + p3 * x)
        + 4.0 * r2 * r2 * q4 * y2
        + r2 * r2 * r2 * r2);
    field(k(a, 0), r)
}

fn ellipsoid(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    (x2 * k(a, 0) * k(a, 0) + y2 * k(a, 1) * k(a, 1) + z2 * k(a, 2) * k(a, 2)).sqrt()
}

fn enneper(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    if a[Z].abs() < 0.2 {
        a[Z] = 0.2;
    }
    let z = a[Z];
    let r = (y2 - x2) / (2.0 * z) + 2.0 * z2 / 9.0 + 2.0 / 3.0;
    let r2 = (y2 - x2) / (4.0 * z) - 0.25 * (x2 + y2 + (8.0 / 9.0) * z2) + 2.0 / 9.0;
    let r = -(r * r * r - 6.0 * r2 * r2);
    field(k(a, 0), r)
}

fn flange_cover(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (e, s) = (k(a, 0), k(a, 1));
    let r =
        gauss(x2 * e, y2 * e, z2, s) + gauss(x2 * e, y2, z2 * e, s) + gauss(x2, y2 * e, z2 * e, s);
    k(a, 3) - r * k(a, 2)
}

fn folium_surface(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = (y2 + z2) * (1.0 + (k(a, 2) - 4.0 * k(a, 1)) * a[X]) + x2 * (1.0 + k(a, 2));
    field(k(a, 0), r)
}

fn folium_surface_2d(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 3), k(a, 4), k(a, 5), x2, y2);
    let r = -(y2 * (1.0 + (k(a, 2) - 4.0 * k(a, 1)) * a[X]) + x2 * (1.0 + k(a, 2)));
    field(k(a, 0), r)
}

fn glob(a: &mut Args, _: NoiseGenerator) -> f64 {
    let x2 = a[X] * a[X];
    let r = 0.5 * x2 * x2 * a[X] + 0.5 * x2 * x2 - (a[Y] * a[Y] + a[Z] * a[Z]);
    field(k(a, 0), r)
}

fn heart(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let z = a[Z];
    let s = 2.0 * x2 + y2 + z2 - 1.0;
    let r = -(s * s * s - 0.1 * x2 * z2 * z - y2 * z2 * z);
    field(k(a, 0), r)
}

fn helical_torus(a: &mut Args, _: NoiseGenerator) -> f64 {
    let r2 = (a[X] * a[X] + a[Z] * a[Z]).sqrt();
    if a[X] == 0.0 && a[Z] == 0.0 {
        a[X] = 0.000001;
    }
    let (x, y, z) = (a[X], a[Y], a[Z]);
    let p = |i| k(a, i);
    let ph = x.atan2(z);
    let t = (r2 - p(0)).atan2(y);
    let r = ((r2 - p(0)) * (r2 - p(0)) + y * y).sqrt();
    let mut th = (ph * p(1) + t * p(2)) % TAU;
    if th < 0.0 {
        th += TAU;
    }
    let t = ((th - PI) * p(8)).atan2(r - p(5));
    let t = (t * p(7) + ph * p(9)).cos() * p(3) + p(4);
    let r2 = p(4) + p(5) - p(0) - r2;
    let th = th - PI;
    let t = t - cmin(((r - p(5)) * (r - p(5)) + th * th * p(6)).sqrt(), r + p(5));
    -cmax(r2, t)
}

/// The cross-section shared by the helices and the spiral: a circle (1), a
/// diamond (2), a rounded rectangle (other) or a square (0).
fn section(u: f64, v: f64, shape: f64, root: impl Fn(f64, f64) -> f64) -> f64 {
    if shape != 0.0 {
        let e = 2.0 / shape;
        root(u.abs().powf(e) + v.abs().powf(e), e)
    } else {
        cmax(u.abs(), v.abs())
    }
}

fn helix1(a: &mut Args, _: NoiseGenerator) -> f64 {
    let r = (a[X] * a[X] + a[Z] * a[Z]).sqrt();
    if a[X] == 0.0 && a[Z] == 0.0 {
        a[X] = 0.000001;
    }
    let p = |i| k(a, i);
    let th = a[Z].atan2(a[X]);
    let mut th = (th * p(0) + a[Y] * p(1) * p(0)) % TAU;
    if th < 0.0 {
        th += TAU;
    }
    let mut z = (th - PI) / p(4) / (p(1) * p(0));
    let mut x = r - p(3);
    let r2 = if p(5) == 1.0 {
        (x * x + z * z).sqrt()
    } else {
        if p(6) != 0.0 {
            let (c, s) = ((p(6) * PI / 180.0).cos(), (p(6) * PI / 180.0).sin());
            let nx = x * c - z * s;
            z = x * s + z * c;
            x = nx;
        }
        section(x, z, p(5), |sum, _| sum.powf(p(5) * 0.5))
    };
    -p(2) + cmin(p(3) + r, r2)
}

fn helix2(a: &mut Args, _: NoiseGenerator) -> f64 {
    let p = |i| k(a, i);
    let th = a[Y] * p(1);
    let (c, s) = (th.cos(), th.sin());
    let x2 = a[X] - p(3) * c;
    let z2 = a[Z] - p(3) * s;
    let x = x2 * c + z2 * s;
    let z = -x2 * s + z2 * c;
    if p(5) == 1.0 {
        return (x * x + z * z).sqrt() - p(2);
    }
    section(x, z, p(5), |sum, _| sum.powf(p(5) * 0.5)) - p(2)
}

/// The hexagonal tiling of f_hex_x/f_hex_y: the point folded into one cell
/// corner, and whether it lies past the 30° line.
fn hex_fold(a: &Args) -> (f64, f64, bool) {
    let s3 = 3.0f64.sqrt();
    let mut x1 = ((a[X].abs() % s3) - s3 / 2.0).abs();
    let mut y1 = ((a[Y].abs() % 3.0) - 1.5).abs();
    let x2 = s3 / 2.0 - x1;
    let y2 = 1.5 - y1;
    if x1 * x1 + y1 * y1 > x2 * x2 + y2 * y2 {
        x1 = x2;
        y1 = y2;
    }
    let th = y1.atan2(x1);
    (x1, y1, th >= PI / 6.0)
}

fn hex_x(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x1, y1, past) = hex_fold(a);
    if past {
        (PI / 3.0).cos() * x1 + (PI / 3.0).sin() * y1
    } else {
        x1
    }
}

fn hex_y(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x1, y1, past) = hex_fold(a);
    if past {
        (-(PI / 3.0).sin() * x1 + (PI / 3.0).cos() * y1).abs()
    } else {
        y1
    }
}

fn hetero_mf(a: &mut Args, _: NoiseGenerator) -> f64 {
    let p = |i| k(a, i);
    let mut v = DVec3::new(a[X], a[Y], a[Z]);
    let gen = generator(p(5));
    let n = |v: DVec3| noise(v, gen) * 2.0 - 1.0;
    let mut signal = n(v) + p(3);
    v *= p(1);
    let step = p(1).powf(-p(0));
    let mut ea = step;
    let mut i = 1.0;
    while i < p(2) {
        let mut inc = (n(v) + p(3)) * ea;
        for _ in 0..(p(4) as i32).max(0) {
            inc *= signal;
        }
        signal += inc;
        v *= p(1);
        ea *= step;
        i += 1.0;
    }
    let rem = p(2) - f64::from(p(2) as i32);
    if rem != 0.0 {
        let inc = (n(v) + p(3)) * ea;
        signal += rem * inc * signal;
    }
    signal
}

fn hunt_surface(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let s = x2 + y2 + z2 - 13.0;
    let t = 3.0 * x2 + y2 - 4.0 * z2 - 12.0;
    let r = -(4.0 * s * s * s + 27.0 * t * t);
    field(k(a, 0), r)
}

fn hyperbolic_torus(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let ph = k(a, 1) * k(a, 1);
    let th = k(a, 2) * k(a, 2);
    let r = -(x2 * x2 + 2.0 * x2 * y2 - 2.0 * x2 * z2 - 2.0 * (ph + th) * x2 + y2 * y2
        - 2.0 * y2 * z2
        + 2.0 * (ph - th) * y2
        + z2 * z2
        + 2.0 * (ph + th) * z2
        + (ph - th) * (ph - th));
    field(k(a, 0), r)
}

fn isect_ellipsoids(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (e, s) = (k(a, 0), k(a, 1));
    let r = cmin(gauss(x2 * e, y2 * e, z2, s), gauss(x2 * e, y2, z2 * e, s));
    let r = cmin(r, gauss(x2, y2 * e, z2 * e, s));
    k(a, 3) - r * k(a, 2)
}

fn kampyle_of_eudoxus(a: &mut Args, _: NoiseGenerator) -> f64 {
    let x2 = a[X] * a[X];
    let (p1, p2) = (k(a, 1), k(a, 2));
    let r = -((a[Y] * a[Y] + a[Z] * a[Z]) - p2 * p2 * x2 * x2 + p2 * p2 * p1 * p1 * x2);
    field(k(a, 0), r)
}

fn kampyle_of_eudoxus_2d(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 3), k(a, 4), k(a, 5), x2, y2);
    let (p1, p2) = (k(a, 1), k(a, 2));
    // POV-Ray's formula multiplies by p1 * p2 here (unlike the 3-D version).
    let r = -(y2 - p2 * p2 * x2 * x2 + p2 * p2 * p1 * p2 * x2);
    field(k(a, 0), r)
}

fn klein_bottle(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (x, y, z) = (a[X], a[Y], a[Z]);
    let s = x2 + y2 + z2;
    let m = s - 2.0 * y - 1.0;
    let r = -((s + 2.0 * y - 1.0) * (m * m - 8.0 * z2) + 16.0 * x * z * m);
    field(k(a, 0), r)
}

fn kummer_surface_v1(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = -(x2 * x2 + y2 * y2 + z2 * z2 - x2 - y2 - z2 - x2 * y2 - x2 * z2 - y2 * z2 + 1.0);
    field(k(a, 0), r)
}

fn kummer_surface_v2(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (x, y, z) = (a[X], a[Y], a[Z]);
    let r = -(x2 * x2
        + y2 * y2
        + z2 * z2
        + k(a, 1) * (x2 + y2 + z2)
        + k(a, 2) * (x2 * y2 + x2 * z2 + y2 * z2)
        + k(a, 3) * x * y * z
        - 1.0);
    field(k(a, 0), r)
}

fn lemniscate_of_gerono(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = -(x2 * x2 - x2 + y2 + z2);
    field(k(a, 0), r)
}

fn lemniscate_of_gerono_2d(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 3), k(a, 4), k(a, 5), x2, y2);
    let (p1, p2) = (k(a, 1), k(a, 2));
    let r = -(y2 - p2 * p2 * p1 * p1 * x2 + p2 * p2 * x2 * x2);
    field(k(a, 0), r)
}

/// One strand of f_mesh1: the distance from a wavy line, `period` apart.
fn strand(u: f64, shift: f64, period: f64, along: f64, p: &Args) -> f64 {
    let mut r = (u - shift) % (period * 2.0);
    if r < 0.0 {
        r += period * 2.0;
    }
    let r = (r - period).abs() * k(p, 2);
    let r2 = (p[Y] + along * k(p, 3)) * k(p, 4);
    -(r2 * r2 + r * r).sqrt()
}

fn mesh1(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (p0, p1) = (k(a, 0), k(a, 1));
    let th = PI / p0;
    let ph = PI / p1;
    let (x, z) = (a[X], a[Z]);
    let t = strand(x, 0.0, p0, -(z * ph).cos(), a);
    let t = cmax(strand(x, p0, p0, (z * ph).cos(), a), t);
    let t = cmax(strand(z, 0.0, p1, (x * th).cos(), a), t);
    -cmax(strand(z, p1, p1, -(x * th).cos(), a), t)
}

fn mitre(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = -(4.0 * x2 * (x2 + y2 + z2) - y2 * (1.0 - y2 - z2));
    field(k(a, 0), r)
}

fn nodal_cubic(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (y, z) = (a[Y], a[Z]);
    let r = -(y * y * y + z * z * z - 6.0 * y * z);
    field(k(a, 0), r)
}

fn odd(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let z = a[Z];
    let r = z2 * x2 - z2 * z2 - 2.0 * z * x2 + 2.0 * z2 * z + x2
        - z2
        - (x2 - z) * (x2 - z)
        - y2 * y2
        - 2.0 * y2 * x2
        - y2 * z2
        + 2.0 * y2 * z
        + y2;
    field(k(a, 0), r)
}

fn ovals_of_cassini(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let p1 = k(a, 1);
    let r2 = x2 + y2 + z2 + p1 * p1;
    let r = -(r2 * r2 - k(a, 3) * p1 * p1 * (x2 + z2) - k(a, 2) * k(a, 2));
    field(k(a, 0), r)
}

fn paraboloid(a: &mut Args, _: NoiseGenerator) -> f64 {
    let r = -(a[X] * a[X] - a[Y] + a[Z] * a[Z]);
    field(k(a, 0), r)
}

fn parabolic_torus(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let z = a[Z];
    let ph = k(a, 1) * k(a, 1);
    let th = k(a, 2) * k(a, 2);
    let r = -(x2 * x2 + 2.0 * x2 * y2 - 2.0 * x2 * z - (ph + th) * x2 + y2 * y2 - 2.0 * y2 * z
        + (ph - th) * y2
        + z2
        + (ph + th) * z
        + (ph - th) * (ph - th));
    field(k(a, 0), r)
}

fn ph(a: &mut Args, _: NoiseGenerator) -> f64 {
    (a[X] * a[X] + a[Z] * a[Z]).sqrt().atan2(a[Y])
}

fn pillow(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = x2 * x2 + y2 * y2 + z2 * z2 - (x2 + y2 + z2);
    field(k(a, 0), r)
}

fn piriform(a: &mut Args, _: NoiseGenerator) -> f64 {
    let x2 = a[X] * a[X];
    let r = -((x2 * x2 - x2 * a[X]) + a[Y] * a[Y] + a[Z] * a[Z]);
    -field(k(a, 0), r)
}

fn piriform_2d(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, _) = rot2d(a, k(a, 4), k(a, 5), k(a, 6), x2, y2);
    let (x, y) = (a[X], a[Y]);
    let p3 = k(a, 3);
    let r = -(y * y - k(a, 1) * p3 * p3 * x2 * x - k(a, 2) * p3 * p3 * x2 * x2);
    field(k(a, 0), r)
}

fn poly4(a: &mut Args, _: NoiseGenerator) -> f64 {
    let y = a[Y];
    let y2 = y * y;
    let t = k(a, 0) + k(a, 1) * y + k(a, 2) * y2 + k(a, 3) * y2 * y + k(a, 4) * y2 * y2;
    let t = if t < -5.0 { -5.0 } else { t };
    -t + (a[X] * a[X] + a[Z] * a[Z]).sqrt()
}

fn polytubes(a: &mut Args, _: NoiseGenerator) -> f64 {
    let y = a[Y];
    let y2 = y * y;
    let p = |i| k(a, i);
    let r2 = p(1) + p(2) * y + p(3) * y2 + p(4) * y2 * y + p(5) * y2 * y2;
    let n = p(0) as i32;
    let mut r = -10000.0;
    for i in 0..n.max(0) {
        let ang = 2.0 * PI / p(0) * f64::from(i);
        let x2 = a[X] - r2 * ang.sin();
        let z2 = a[Z] - r2 * ang.cos();
        r = cmax(r, -(x2 * x2 + z2 * z2).sqrt());
    }
    -r
}

fn quantum(a: &mut Args, _: NoiseGenerator) -> f64 {
    if a[X] == 0.0 && a[Z] == 0.0 {
        a[X] = 1e-6;
    }
    let r = (a[X] * a[X] + a[Z] * a[Z]).sqrt();
    let th = r.atan2(a[Y]).cos();
    let r = (r * r + a[Y] * a[Y]).sqrt() * 2.0;
    let t = r * r * (-r * 0.333_333_33).exp() * (3.0 * th * th - 1.0);
    (t * t - 12.0) * (-0.1)
}

fn quartic_paraboloid(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, _, z2) = squares(a);
    let r = -(x2 * x2 + z2 * z2 - a[Y]);
    field(k(a, 0), r)
}

fn quartic_saddle(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, _, z2) = squares(a);
    let r = -(x2 * x2 - z2 * z2 - a[Y]);
    field(k(a, 0), r)
}

fn quartic_cylinder(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (p1, p2) = (k(a, 1), k(a, 2));
    let r = -((x2 + z2) * y2 + p2 * p2 * (x2 + z2) - p2 * p2 * p1 * p1);
    field(k(a, 0), r)
}

fn r(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    (x2 + y2 + z2).sqrt()
}

fn ridge(a: &mut Args, _: NoiseGenerator) -> f64 {
    let p = |i| k(a, i);
    let e = DVec3::new(a[X], a[Y], a[Z]);
    let gen = generator(p(5));
    let lambda = p(0);
    let octaves = p(1) as i32;
    let omega = p(2);
    let (off, ridge) = (p(3), p(4));
    let rscale = 1.0 / cmax(ridge, 1.0 - ridge);
    let scale = 1.0 / cmax(off, 1.0 - off);
    let resid = p(1) - f64::from(octaves);
    let (mut l, mut o) = (lambda, omega);
    let mut value = (noise(e, gen) - ridge).abs() * rscale - off;
    let mut tot = 1.0;
    for _ in 2..=octaves {
        let v = (noise(e * l, gen) - ridge).abs() * rscale;
        value += o * (v - off);
        tot += o;
        l *= lambda;
        o *= omega;
    }
    if resid != 0.0 {
        let v = (noise(e * l, gen) - ridge).abs() * rscale;
        value += o * (v - off) * resid;
        tot += o * resid;
    }
    value * scale / tot
}

fn ridged_mf(a: &mut Args, _: NoiseGenerator) -> f64 {
    let p = |i| k(a, i);
    let gen = generator(p(5));
    let (h, lacunarity, octaves, offset, gain) = (p(0), p(1), p(2), p(3), p(4));
    let ridged = |v: DVec3| {
        let s = offset - (noise(v, gen) * 2.0 - 1.0).abs();
        s * s
    };
    let mut v = DVec3::new(a[X], a[Y], a[Z]);
    let mut signal = ridged(v);
    let mut result = signal;
    OCTAVE_WEIGHTS.with_borrow_mut(|weights| {
        weights.select(h, lacunarity);
        let mut octave = 0;
        let mut i = 1.0;
        while i < octaves {
            v *= lacunarity;
            let weight = (signal * gain).clamp(0.0, 1.0);
            signal = ridged(v) * weight;
            result += signal * weights.get(octave);
            octave += 1;
            i += 1.0;
        }
    });
    result
}

/// f_ridged_mf's octave weights `freq^-H`, `freq` multiplied up by the
/// lacunarity from 1 (POV-Ray tabulates them too). One call costs a `pow` per
/// octave otherwise, and an isosurface asks again with the same `H` and
/// lacunarity millions of times, so each thread keeps the table of the last
/// pair it saw. The table holds exactly the values the loop would compute.
struct OctaveWeights {
    h: f64,
    lacunarity: f64,
    /// Weight of octave `i + 1`, for as many octaves as have been asked for.
    weights: Vec<f64>,
    /// `lacunarity^(weights.len())`, the frequency the next entry starts from.
    freq: f64,
}

/// Octaves beyond this are weighed on the fly rather than tabulated.
const MAX_TABULATED_OCTAVES: usize = 64;

impl OctaveWeights {
    const fn new() -> Self {
        OctaveWeights {
            h: f64::NAN,
            lacunarity: f64::NAN,
            weights: Vec::new(),
            freq: 1.0,
        }
    }

    /// Starts a new table unless `h` and `lacunarity` are those of the last
    /// call (compared bit for bit, so -0 and NaN never alias another value).
    fn select(&mut self, h: f64, lacunarity: f64) {
        if h.to_bits() != self.h.to_bits() || lacunarity.to_bits() != self.lacunarity.to_bits() {
            self.h = h;
            self.lacunarity = lacunarity;
            self.weights.clear();
            self.freq = 1.0;
        }
    }

    /// The weight of octave `i + 1`.
    fn get(&mut self, i: usize) -> f64 {
        while self.weights.len() <= i && self.weights.len() < MAX_TABULATED_OCTAVES {
            self.freq *= self.lacunarity;
            self.weights.push(self.freq.powf(-self.h));
        }
        match self.weights.get(i) {
            Some(&w) => w,
            None => {
                let mut freq = self.freq;
                for _ in self.weights.len()..=i {
                    freq *= self.lacunarity;
                }
                freq.powf(-self.h)
            }
        }
    }
}

thread_local! {
    static OCTAVE_WEIGHTS: RefCell<OctaveWeights> = const { RefCell::new(OctaveWeights::new()) };
}

fn rounded_box(a: &mut Args, _: NoiseGenerator) -> f64 {
    let p = |i| k(a, i);
    let out = |c: f64, lim: f64| if c < lim { 0.0 } else { c - lim };
    let inn = |c: f64, lim: f64| if c > lim { 0.0 } else { lim - c };
    let (r, bx, by, bz) = (p(0), p(1), p(2), p(3));
    let dx = cmax(inn(a[X], r - bx), out(a[X], bx - r));
    let dy = cmax(inn(a[Y], r - by), out(a[Y], by - r));
    let dz = cmax(inn(a[Z], r - bz), out(a[Z], bz - r));
    -r + (dx * dx + dy * dy + dz * dz).sqrt() - 1e-6
}

fn sphere(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    -k(a, 0) + (x2 + y2 + z2).sqrt()
}

fn spikes(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let (e, s) = (k(a, 0), k(a, 1));
    let r = gauss(x2, y2, z2, k(a, 3)) * k(a, 4)
        - gauss(x2 * e, y2 * e, z2, s)
        - gauss(x2 * e, y2, z2 * e, s)
        - gauss(x2, y2 * e, z2 * e, s);
    -r * k(a, 2)
}

fn spikes_2d(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x, y, z) = (a[X], a[Y], a[Z]);
    -(k(a, 0) * (k(a, 1) * x).cos() * (k(a, 2) * z).cos() * (-k(a, 3) * (x * x + z * z)).exp() - y)
}

fn spiral(a: &mut Args, _: NoiseGenerator) -> f64 {
    let r = (a[X] * a[X] + a[Z] * a[Z]).sqrt();
    if a[X] == 0.0 && a[Z] == 0.0 {
        a[X] = 0.000001;
    }
    let p = |i| k(a, i);
    let th = a[Z].atan2(a[X]);
    let r = r + p(0) * th / TAU;
    let r2 = (r % p(0)) - p(0) * 0.5;
    let y = a[Y];
    let r2 = if p(5) == 1.0 {
        (r2 * r2 + y * y).sqrt()
    } else {
        section(r2, y, p(5), |sum, e| sum.powf(1.0 / e))
    };
    let r = (a[X] * a[X] + y * y + a[Z] * a[Z]).sqrt();
    -cmin(p(2) - r, p(1) - cmin(r2, r))
}

fn steiners_roman(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = -(x2 * y2 + x2 * z2 + y2 * z2 + a[X] * a[Y] * a[Z]);
    field(k(a, 0), r)
}

fn strophoid(a: &mut Args, _: NoiseGenerator) -> f64 {
    let x = a[X];
    let x2 = x * x;
    let r2 = k(a, 3) * k(a, 3);
    let r = -((k(a, 2) - x) * (a[Y] * a[Y] + a[Z] * a[Z]) - r2 * k(a, 1) * x2 - r2 * x2 * x);
    field(k(a, 0), r)
}

fn strophoid_2d(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, y2) = rot2d(a, k(a, 4), k(a, 5), k(a, 6), x2, y2);
    let x = a[X];
    let r2 = k(a, 3) * k(a, 3);
    let r = -((k(a, 2) - x) * y2 - r2 * k(a, 1) * x2 - r2 * x2 * x);
    field(k(a, 0), r)
}

fn superellipsoid(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (e, n) = (k(a, 0), k(a, 1));
    let p = 2.0 / e;
    let inv_n = 1.0 / n;
    let xy = a[X].abs().powf(p) + a[Y].abs().powf(p);
    1.0 - (xy.powf(e * inv_n) + a[Z].abs().powf(2.0 * inv_n)).powf(n * 0.5)
}

fn th(a: &mut Args, _: NoiseGenerator) -> f64 {
    a[X].atan2(a[Z])
}

fn torus(a: &mut Args, _: NoiseGenerator) -> f64 {
    let d = (a[X] * a[X] + a[Z] * a[Z]).sqrt() - k(a, 0);
    -k(a, 1) + (d * d + a[Y] * a[Y]).sqrt()
}

fn torus2(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let ph = k(a, 1) * k(a, 1);
    let th = k(a, 2) * k(a, 2);
    let r = -(x2 * x2 + y2 * y2 + z2 * z2 + 2.0 * x2 * y2 + 2.0 * x2 * z2 + 2.0 * y2 * z2
        - 2.0 * (ph + th) * x2
        + 2.0 * (ph - th) * y2
        - 2.0 * (ph + th) * z2
        + (ph - th) * (ph - th));
    field(k(a, 0), r)
}

fn torus_gumdrop(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, z2) = squares(a);
    let r = -(4.0 * (x2 * x2 + (y2 + z2) * (y2 + z2)) + 17.0 * x2 * (y2 + z2)
        - 20.0 * (x2 + y2 + z2)
        + 17.0);
    field(k(a, 0), r)
}

fn umbrella(a: &mut Args, _: NoiseGenerator) -> f64 {
    let r = -(a[X] * a[X] - a[Y] * a[Z] * a[Z]);
    field(k(a, 0), r)
}

fn witch_of_agnesi(a: &mut Args, _: NoiseGenerator) -> f64 {
    let r = -(k(a, 1) * (a[Y] - 1.0) + (a[X] * a[X] + a[Z] * a[Z]) * a[Y]);
    field(k(a, 0), r)
}

fn witch_of_agnesi_2d(a: &mut Args, _: NoiseGenerator) -> f64 {
    let (x2, y2, _) = squares(a);
    let (x2, _) = rot2d(a, k(a, 3), k(a, 4), k(a, 5), x2, y2);
    let y = a[Y];
    let r = -(k(a, 1) * k(a, 1) * y + x2 * y - k(a, 2));
    field(k(a, 0), r)
}

fn noise3d(a: &mut Args, gen: NoiseGenerator) -> f64 {
    noise(DVec3::new(a[X], a[Y], a[Z]), gen)
}

fn zero(_: &mut Args, _: NoiseGenerator) -> f64 {
    0.0
}

fn noise_generator(a: &mut Args, _: NoiseGenerator) -> f64 {
    noise(DVec3::new(a[X], a[Y], a[Z]), generator(k(a, 0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(n: usize, point: [f64; 3], params: &[f64]) -> f64 {
        let f = Internal::new(n, NoiseGenerator::RangeCorrected).expect("exists");
        let mut a = [0.0; MAX_ARGS];
        a[..3].copy_from_slice(&point);
        a[3..3 + params.len()].copy_from_slice(params);
        f.eval(&mut a)
    }

    /// f_ridged_mf as written out with a `pow` per octave: the tabulated
    /// weights must give the same bits, whatever pairs of arguments alternate.
    fn ridged_mf_by_pow(p: [f64; 3], h: f64, lac: f64, octaves: f64, off: f64, gain: f64) -> f64 {
        let ridged = |v: DVec3| {
            let s = off - (noise(v, NoiseGenerator::Original) * 2.0 - 1.0).abs();
            s * s
        };
        let mut v = DVec3::from(p);
        let mut signal = ridged(v);
        let mut result = signal;
        let (mut freq, mut i) = (1.0f64, 1.0);
        while i < octaves {
            freq *= lac;
            v *= lac;
            let weight = (signal * gain).clamp(0.0, 1.0);
            signal = ridged(v) * weight;
            result += signal * freq.powf(-h);
            i += 1.0;
        }
        result
    }

    #[test]
    fn ridged_mf_weights_match_pow_per_octave() {
        let cases = [
            (0.07, 2.2, 7.0, 0.6, 0.9),
            (0.1, 3.1, 8.0, 0.7, 0.8),
            (0.25, 1.9, 70.5, 1.0, 2.0),
            (0.07, 2.2, 3.0, 0.6, 0.9),
        ];
        for step in 0..40 {
            let t = f64::from(step);
            let p = [t * 0.173 - 2.0, 0.31 * t, 1.7 - 0.05 * t];
            for &(h, lac, oct, off, gain) in &cases {
                let got = call(59, p, &[h, lac, oct, off, gain, 1.0]);
                let want = ridged_mf_by_pow(p, h, lac, oct, off, gain);
                assert_eq!(got.to_bits(), want.to_bits(), "{p:?} {h} {lac} {oct}");
            }
        }
    }

    #[test]
    fn distance_functions() {
        assert_eq!(call(61, [3.0, 4.0, 0.0], &[1.0]), 4.0); // f_sphere
        assert_eq!(call(57, [0.0, 3.0, 4.0], &[]), 5.0); // f_r
        let t = call(70, [2.0, 0.5, 0.0], &[2.0, 0.5]); // f_torus on its tube
        assert!(t.abs() < 1e-12);
        let b = call(60, [1.0, 0.0, 0.0], &[0.1, 1.0, 1.0, 1.0]); // f_rounded_box face
        assert!((b + 1e-6).abs() < 1e-9, "{b}");
    }

    #[test]
    fn clamped_fields() {
        // f_heart at the origin: -((-1)^3) = 1, times strength, clamped to 10.
        assert_eq!(call(23, [0.0; 3], &[1.0]), 1.0);
        assert_eq!(call(23, [0.0; 3], &[100.0]), 10.0);
    }

    #[test]
    fn superellipsoid_is_a_sphere_at_one_one() {
        let v = call(68, [0.6, 0.8, 0.0], &[1.0, 1.0]);
        assert!(v.abs() < 1e-12, "{v}");
    }

    #[test]
    fn noise_matches_the_pattern_generators() {
        let p = [0.3, 1.7, -2.2];
        let q = DVec3::from_array(p);
        assert_eq!(call(76, p, &[]), noise(q, NoiseGenerator::RangeCorrected));
        assert_eq!(call(78, p, &[3.0]), noise(q, NoiseGenerator::Perlin));
        assert_eq!(call(78, p, &[1.0]), noise(q, NoiseGenerator::Original));
    }

    #[test]
    fn every_internal_survives_odd_points() {
        for n in 0..TABLE.len() {
            let Some(f) = Internal::new(n, NoiseGenerator::Perlin) else {
                continue;
            };
            for p in [[0.0; 3], [1e9, -1e9, 3.0], [f64::NAN, 0.0, 1.0]] {
                let mut a = [0.5; MAX_ARGS];
                a[..3].copy_from_slice(&p);
                let _ = f.eval(&mut a);
            }
        }
    }
}
