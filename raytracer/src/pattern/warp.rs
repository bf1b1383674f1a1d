//! POV-Ray 3.7's `warp { }` statements: displacements and mappings of the point a
//! pattern is evaluated at.
//!
//! A pattern keeps its warps in the order they were written. Each warp sits between
//! the transforms written before it and those written after it, so it records the
//! map from pattern space into its own space (the transforms before it) and back.
//! Evaluation runs the list backwards, as POV-Ray does: the last warp written acts
//! first on the point, in the space of the transforms around it, and the point ends
//! in pattern space. Classic `turbulence` is not a warp here: it acts after every
//! warp, in pattern space (see [`super::Pattern::displace`]).

use glam::{DAffine3, DMat4, DVec3};

use super::noise::lattice_hash;
use super::random::pattern_rand;
use super::turbulence::{dturbulence, dturbulence_x};
use super::Turbulence;

/// Below this a black hole's repeat component means "no repeat" (POV-Ray's EPSILON).
const EPSILON: f64 = 1e-10;

/// One warp and where it sits among the pattern's transforms.
#[derive(Clone, Debug, PartialEq)]
pub struct Warp {
    /// What the warp does to a point in its own space.
    pub kind: WarpKind,
    /// Pattern space to the warp's space (the transforms written before it).
    to_warp: DAffine3,
    /// The warp's space back to pattern space.
    from_warp: DAffine3,
}

/// The warp types.
#[derive(Clone, Debug, PartialEq)]
pub enum WarpKind {
    /// `turbulence`: a displacement by vector turbulence, with its own octaves.
    Turbulence(Turbulence),
    /// `repeat`: copies one slab of the pattern along an axis.
    Repeat(Repeat),
    /// `black_hole`: pulls (or pushes) points towards a centre.
    BlackHole(BlackHole),
    /// `planar`: the pattern's x-y plane laid flat, at a fixed depth.
    Planar {
        /// Direction the plane faces (unit; default +z).
        orientation: DVec3,
        /// The depth of the plane sampled.
        offset: f64,
    },
    /// `cylindrical`: the pattern's x-y plane wrapped around the y axis.
    Cylindrical(Mapping),
    /// `spherical`: the pattern's x-y plane wrapped around a sphere.
    Spherical(Mapping),
    /// `toroidal`: the pattern's x-y plane wrapped around a torus.
    Toroidal {
        /// Orientation and distance exponent.
        mapping: Mapping,
        /// The torus' major radius (default 1).
        major_radius: f64,
    },
    /// `cubic`: the pattern's x-y plane folded onto the six faces of a cube.
    Cubic,
}

/// `repeat <v> offset <o> flip <f>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeat {
    /// The axis repeated along (0, 1 or 2).
    pub axis: usize,
    /// The slab width (the vector's component on that axis).
    pub width: f64,
    /// Added once per slab.
    pub offset: DVec3,
    /// -1 on each axis flipped in odd slabs, else 1.
    pub flip: DVec3,
}

/// `black_hole <centre>, radius ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct BlackHole {
    pub centre: DVec3,
    pub radius: f64,
    /// `strength` (default 1).
    pub strength: f64,
    /// `falloff` (default 2).
    pub falloff: f64,
    /// `inverse`: push points away instead.
    pub inverse: bool,
    /// `repeat <v>`: a black hole in every block of this size (0: no repeat).
    pub repeat: Option<DVec3>,
    /// `turbulence <v>`: each repeated hole moved by up to this much at random.
    pub uncertainty: Option<DVec3>,
}

/// The `orientation` and `dist_exp` of the wrapping warps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mapping {
    /// The direction the wrapped plane's z maps to (unit; default +z).
    pub orientation: DVec3,
    /// `dist_exp`: the wrapped coordinates are scaled by distance to this power.
    pub dist_exp: f64,
}

impl Default for Mapping {
    fn default() -> Self {
        Self {
            orientation: DVec3::Z,
            dist_exp: 0.0,
        }
    }
}

impl Warp {
    /// A warp written after transforms whose pattern-to-current-space matrix is
    /// `matrix` (and `inverse` its inverse).
    pub fn new(kind: WarpKind, matrix: DMat4, inverse: DMat4) -> Self {
        Self {
            kind,
            to_warp: DAffine3::from_mat4(matrix),
            from_warp: DAffine3::from_mat4(inverse),
        }
    }

    /// The point `p` (pattern space, after the warps written later) moved by this warp.
    pub fn apply(&self, p: DVec3) -> DVec3 {
        let q = self.to_warp.transform_point3(p);
        let q = match &self.kind {
            WarpKind::Turbulence(t) => q + dturbulence(q, t) * t.amount,
            WarpKind::Repeat(r) => repeat(q, r),
            WarpKind::BlackHole(b) => black_hole(q, b),
            WarpKind::Planar {
                orientation,
                offset,
            } => orient(DVec3::new(q.x, q.y, *offset), *orientation),
            WarpKind::Cylindrical(m) => cylindrical(q, m).unwrap_or(q),
            WarpKind::Spherical(m) => spherical(q, m).unwrap_or(q),
            WarpKind::Toroidal {
                mapping,
                major_radius,
            } => toroidal(q, mapping, *major_radius).unwrap_or(q),
            WarpKind::Cubic => cubic(q),
        };
        self.from_warp.transform_point3(q)
    }
}

impl Warp {
    /// The x coordinate of [`Warp::apply`] alone, when it can be had for less:
    /// a turbulence warp whose way back to pattern space takes x from x alone
    /// needs only the x of the vector turbulence. None for every other warp.
    ///
    /// The result is `apply(p).x` to the last bit, but for the sign of a zero
    /// (the general transform adds `0 * y` and `0 * z`).
    pub fn apply_x(&self, p: DVec3) -> Option<f64> {
        let WarpKind::Turbulence(t) = &self.kind else {
            return None;
        };
        let back = &self.from_warp;
        if back.matrix3.y_axis.x != 0.0 || back.matrix3.z_axis.x != 0.0 {
            return None;
        }
        let q = self.to_warp.transform_point3(p);
        let x = q.x + dturbulence_x(q, t) * t.amount.x;
        Some(back.matrix3.x_axis.x * x + back.translation.x)
    }
}

fn repeat(mut p: DVec3, r: &Repeat) -> DVec3 {
    // POV-Ray keeps the slab number in single precision.
    let block = (p[r.axis] / r.width).floor() as f32;
    p[r.axis] -= f64::from(block) * r.width;
    if (block as i32) & 1 != 0 {
        p *= r.flip;
        if r.flip[r.axis] < 0.0 {
            p[r.axis] += r.width;
        }
    }
    p + f64::from(block) * r.offset
}

fn black_hole(p: DVec3, b: &BlackHole) -> DVec3 {
    let mut c = b.centre;
    if let Some(rv) = b.repeat {
        let block = |i: usize| {
            if rv[i] >= EPSILON {
                (p[i] / rv[i]).floor() as i32
            } else {
                0
            }
        };
        let (bx, by, bz) = (block(0), block(1), block(2));
        if let Some(u) = b.uncertainty {
            let seed = lattice_hash(bx, by, bz);
            c += DVec3::new(
                pattern_rand(seed),
                pattern_rand(seed + 1),
                pattern_rand(seed + 2),
            ) * u;
        }
        c += rv * DVec3::new(f64::from(bx), f64::from(by), f64::from(bz));
    }
    let delta = p - c;
    let len = delta.length();
    if len >= b.radius {
        return p;
    }
    let s = (((b.radius - len) / b.radius).powf(b.falloff) * b.strength).min(1.0);
    p + delta * if b.inverse { -s } else { s }
}

/// The angle of `(x, z)` from +x, counter-clockwise seen from -y, as a fraction of
/// a turn in [0, 1) (POV-Ray's formula, with its exact cases on the axis).
fn turn_fraction(x: f64, z: f64, len: f64) -> f64 {
    let theta = if z == 0.0 {
        if x > 0.0 {
            0.0
        } else {
            std::f64::consts::PI
        }
    } else {
        let t = (x / len).clamp(-1.0, 1.0).acos();
        if z < 0.0 {
            std::f64::consts::TAU - t
        } else {
            t
        }
    };
    theta / std::f64::consts::TAU
}

/// `len^dist_exp`, with POV-Ray's shortcuts for 0 and 1.
fn dist_scale(len: f64, dist_exp: f64) -> f64 {
    if dist_exp == 1.0 {
        len
    } else if dist_exp == 0.0 {
        1.0
    } else {
        len.powf(dist_exp)
    }
}

/// Turns the wrapped coordinates (`u`, `v`, depth) so the depth runs along `o`.
fn orient(q: DVec3, o: DVec3) -> DVec3 {
    if o == DVec3::Z {
        return q;
    }
    let (x, y, z) = (q.x, q.y, q.z);
    DVec3::new(
        o.x * z + o.y * x + o.z * x,
        o.x * y - o.y * z + o.z * y,
        -o.x * x + o.y * y + o.z * z,
    )
}

fn cylindrical(p: DVec3, m: &Mapping) -> Option<DVec3> {
    let len = (p.x * p.x + p.z * p.z).sqrt();
    if len == 0.0 {
        return None;
    }
    let theta = turn_fraction(p.x, p.z, len) * dist_scale(len, m.dist_exp);
    Some(orient(DVec3::new(theta, p.y, len), m.orientation))
}

fn spherical(p: DVec3, m: &Mapping) -> Option<DVec3> {
    let dist = p.length();
    if dist == 0.0 {
        return None;
    }
    let u = p / dist;
    let phi = 0.5 + u.y.clamp(-1.0, 1.0).asin() / std::f64::consts::PI;
    let len = (u.x * u.x + u.z * u.z).sqrt();
    let theta = if len == 0.0 {
        0.0
    } else {
        turn_fraction(u.x, u.z, len)
    };
    let k = dist_scale(dist, m.dist_exp);
    Some(orient(DVec3::new(theta * k, phi * k, dist), m.orientation))
}

fn toroidal(p: DVec3, m: &Mapping, major_radius: f64) -> Option<DVec3> {
    let len = (p.x * p.x + p.z * p.z).sqrt();
    if len == 0.0 {
        return None;
    }
    let theta = turn_fraction(p.x, p.z, len);
    let x = len - major_radius;
    let minor = (x * x + p.y * p.y).sqrt();
    let mut phi = (-x / minor).clamp(-1.0, 1.0).acos();
    if p.y > 0.0 {
        phi = std::f64::consts::TAU - phi;
    }
    let phi = phi / std::f64::consts::TAU;
    let k = dist_scale(minor, m.dist_exp);
    Some(orient(DVec3::new(theta * k, phi * k, minor), m.orientation))
}

/// The cube's six faces laid out as a cross in [0, 1]²; depth is the distance
/// along the dominant axis.
fn cubic(p: DVec3) -> DVec3 {
    let (x, y, z) = (p.x, p.y, p.z);
    let (ax, ay, az) = (x.abs(), y.abs(), z.abs());
    let third = 1.0 / 3.0;
    let half = |a: f64, b: f64| (a / b + 1.0) / 2.0;
    if x >= 0.0 && x >= ay && x >= az {
        DVec3::new(0.75 - 0.25 * half(z, x), third + third * half(y, x), x)
    } else if y >= 0.0 && y >= ax && y >= az {
        DVec3::new(0.25 + 0.25 * half(x, y), 1.0 - third * half(z, y), y)
    } else if z >= 0.0 && z >= ax && z >= ay {
        DVec3::new(0.25 + 0.25 * half(x, z), third + third * half(y, z), z)
    } else if x < 0.0 && x <= -ay && x <= -az {
        let x = -x;
        DVec3::new(0.25 * half(z, x), third + third * half(y, x), x)
    } else if y < 0.0 && y <= -ax && y <= -az {
        let y = -y;
        DVec3::new(0.25 + 0.25 * half(x, y), third * half(z, y), y)
    } else {
        let z = -z;
        DVec3::new(1.0 - 0.25 * half(x, z), third + third * half(y, z), z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(kind: WarpKind) -> Warp {
        Warp::new(kind, DMat4::IDENTITY, DMat4::IDENTITY)
    }

    #[test]
    fn repeat_copies_the_first_slab_and_flips_odd_ones() {
        let w = plain(WarpKind::Repeat(Repeat {
            axis: 0,
            width: 2.0,
            offset: DVec3::ZERO,
            flip: DVec3::new(-1.0, 1.0, 1.0),
        }));
        let a = w.apply(DVec3::new(0.5, 1.0, 0.0));
        assert!((a - DVec3::new(0.5, 1.0, 0.0)).length() < 1e-12);
        // Slab 1 is mirrored: 2.5 maps to 2 - 0.5.
        let b = w.apply(DVec3::new(2.5, 1.0, 0.0));
        assert!((b - DVec3::new(1.5, 1.0, 0.0)).length() < 1e-12, "{b}");
        // Slab 2 is a plain copy.
        let c = w.apply(DVec3::new(4.5, 1.0, 0.0));
        assert!((c - DVec3::new(0.5, 1.0, 0.0)).length() < 1e-12, "{c}");
    }

    #[test]
    fn black_hole_pulls_only_inside_its_radius() {
        let hole = BlackHole {
            centre: DVec3::ZERO,
            radius: 1.0,
            strength: 1.0,
            falloff: 2.0,
            inverse: false,
            repeat: None,
            uncertainty: None,
        };
        let w = plain(WarpKind::BlackHole(hole));
        let far = DVec3::new(2.0, 0.0, 0.0);
        assert_eq!(w.apply(far), far);
        // Halfway in: moved by 0.5² of its offset from the centre.
        let p = w.apply(DVec3::new(0.5, 0.0, 0.0));
        assert!((p.x - 0.625).abs() < 1e-12, "{p}");
    }

    #[test]
    fn wrapping_warps_give_unit_turns_and_depth() {
        let c = plain(WarpKind::Cylindrical(Mapping::default()));
        let p = c.apply(DVec3::new(0.0, 0.3, 2.0));
        assert!((p - DVec3::new(0.25, 0.3, 2.0)).length() < 1e-12, "{p}");
        let s = plain(WarpKind::Spherical(Mapping::default()));
        let q = s.apply(DVec3::new(0.0, 3.0, 0.0));
        assert!((q - DVec3::new(0.0, 1.0, 3.0)).length() < 1e-12, "{q}");
        // The origin has no angle: left alone, as in POV-Ray.
        assert_eq!(s.apply(DVec3::ZERO), DVec3::ZERO);
    }

    #[test]
    fn cubic_faces_tile_the_unit_square() {
        let w = plain(WarpKind::Cubic);
        for i in 0..200 {
            let f = f64::from(i);
            let p = DVec3::new((f * 0.37).sin(), (f * 0.91).cos(), (f * 0.13).sin() - 0.2);
            let q = w.apply(p);
            assert!(
                (0.0..=1.0).contains(&q.x) && (0.0..=1.0).contains(&q.y),
                "{p} -> {q}"
            );
        }
    }

    #[test]
    fn a_warp_acts_in_the_space_of_the_transforms_before_it() {
        // scale 2 then planar: a point at depth z is sampled on the plane at
        // offset 1, which is z = 0.5 in pattern space.
        let scale = DMat4::from_scale(DVec3::splat(2.0));
        let w = Warp::new(
            WarpKind::Planar {
                orientation: DVec3::Z,
                offset: 1.0,
            },
            scale,
            scale.inverse(),
        );
        let p = w.apply(DVec3::new(1.0, 1.0, 7.0));
        assert!((p - DVec3::new(1.0, 1.0, 0.5)).length() < 1e-12, "{p}");
    }
}
