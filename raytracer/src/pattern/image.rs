//! Images as patterns: POV-Ray 3.7's `image_map`, `bump_map`, `image_pattern` and
//! `material_map`. An [`ImageMap`] is a decoded image (shared, never copied per
//! object) plus how it is laid onto space: the map type that turns a pattern-space
//! point into image coordinates, `once`, repeat and offset, the interpolation,
//! and the `filter`/`transmit all` amounts. Every lookup is a pure function of
//! the point.
//!
//! Image coordinates follow POV-Ray: x grows to the right over `width` pixels,
//! the pattern's v = 0 is the image's bottom row, and row 0 of [`Image`] is the
//! file's top row.

use std::fmt;
use std::sync::Arc;

use glam::DVec3;

/// POV-Ray's `EPSILON`, nudging image coordinates off pixel boundaries.
const EPSILON: f64 = 1.0e-10;

/// A looked-up pixel: rgbft as stored, and its palette index (-1 for direct
/// colour; interpolated indices are truncated, as in POV-Ray).
type Texel = ([f64; 5], i32);

/// What the pixels of a decoded image are.
#[derive(Clone, Debug, PartialEq)]
pub enum Pixels {
    /// Direct colour: red, green, blue, alpha per pixel, rows top first.
    Colour(Vec<[f32; 4]>),
    /// A palette image: each pixel's palette index, and the palette as
    /// red, green, blue, filter, transmit.
    Indexed {
        indices: Vec<u8>,
        palette: Vec<[f32; 5]>,
    },
}

/// A decoded image, in the scene's working gamma.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub pixels: Pixels,
    /// The file had an alpha channel (or transparent palette entries).
    pub has_alpha: bool,
    /// The colour channels are stored multiplied by alpha.
    pub premultiplied: bool,
}

impl Image {
    /// The pixel at (x, y) as rgbft, and its palette index (-1 for direct colour).
    fn texel(&self, x: usize, y: usize) -> Texel {
        let i = y * self.width + x;
        match &self.pixels {
            Pixels::Colour(px) => {
                let [r, g, b, a] = px[i].map(f64::from);
                ([r, g, b, 0.0, 1.0 - a], -1)
            }
            Pixels::Indexed { indices, palette } => {
                let k = indices[i];
                let c = palette.get(usize::from(k)).copied().unwrap_or_default();
                (c.map(f64::from), i32::from(k))
            }
        }
    }

    /// True for a palette image.
    pub fn is_indexed(&self) -> bool {
        matches!(self.pixels, Pixels::Indexed { .. })
    }

    /// True when no pixel lets light through.
    pub fn is_opaque(&self) -> bool {
        match &self.pixels {
            Pixels::Colour(px) => px.iter().all(|p| p[3] >= 1.0),
            Pixels::Indexed { palette, .. } => palette.iter().all(|c| c[3] == 0.0 && c[4] == 0.0),
        }
    }
}

/// How a point in pattern space finds its place on the image (`map_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapType {
    /// 0: the x-y plane, the image covering the unit square.
    Planar,
    /// 1: around the origin, the image wrapped onto the unit sphere.
    Spherical,
    /// 2: around the y axis, the image wrapped onto the unit cylinder.
    Cylindrical,
    /// 5: around a torus of major radius 1 in the x-z plane.
    Torus,
}

impl MapType {
    /// The map type `map_type n` names; None for numbers POV-Ray refuses.
    pub fn from_number(n: i64) -> Option<MapType> {
        match n {
            0 => Some(MapType::Planar),
            1 => Some(MapType::Spherical),
            2 => Some(MapType::Cylindrical),
            5 => Some(MapType::Torus),
            _ => None,
        }
    }
}

/// `interpolate n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interpolation {
    /// No interpolation: the nearest pixel.
    None,
    /// 2: bilinear.
    Bilinear,
    /// 3: bicubic.
    Bicubic,
    /// 4: normalised distance.
    NormalizedDistance,
}

impl Interpolation {
    /// The interpolation `interpolate n` names; None for numbers POV-Ray refuses.
    pub fn from_number(n: i64) -> Option<Interpolation> {
        match n {
            0 => Some(Interpolation::None),
            2 => Some(Interpolation::Bilinear),
            3 => Some(Interpolation::Bicubic),
            4 => Some(Interpolation::NormalizedDistance),
            _ => None,
        }
    }
}

/// What an image gives as a pattern value: `use_color`, `use_index`, `use_alpha`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageUse {
    /// The colour's grey value.
    Colour,
    /// The palette index (for a palette image).
    Index,
    /// The transparency (the red channel when the image has none).
    Alpha,
}

/// An image laid onto pattern space, with its mapping settings.
#[derive(Clone)]
pub struct ImageMap {
    pub image: Arc<Image>,
    pub map_type: MapType,
    pub interpolation: Interpolation,
    pub once: bool,
    pub use_mode: ImageUse,
    /// The image's extent in pixels after `repeat` (its size without one).
    pub extent: (f64, f64),
    /// `offset`, in pixels, negated as POV-Ray stores it.
    pub offset: (f64, f64),
    pub filter_all: f64,
    pub transmit_all: f64,
    /// For a `material_map`: how many textures the index chooses from.
    pub material_count: usize,
}

impl fmt::Debug for ImageMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImageMap")
            .field("size", &(self.image.width, self.image.height))
            .field("map_type", &self.map_type)
            .field("interpolation", &self.interpolation)
            .field("once", &self.once)
            .finish_non_exhaustive()
    }
}

/// Two maps are equal when their images (usually one shared image) and every
/// setting are.
impl PartialEq for ImageMap {
    fn eq(&self, o: &Self) -> bool {
        (Arc::ptr_eq(&self.image, &o.image) || self.image == o.image)
            && self.map_type == o.map_type
            && self.interpolation == o.interpolation
            && self.once == o.once
            && self.use_mode == o.use_mode
            && self.extent == o.extent
            && self.offset == o.offset
            && self.filter_all == o.filter_all
            && self.transmit_all == o.transmit_all
            && self.material_count == o.material_count
    }
}

/// `val` wrapped into `[0, limit)`, as POV-Ray's `wrap`.
fn wrap(val: f64, limit: f64) -> f64 {
    let mut v = val % limit;
    if v < 0.0 {
        v += limit;
    }
    if v >= limit || v.is_nan() {
        0.0
    } else {
        v
    }
}

/// The angle of (x, z) from +x, counter-clockwise seen from +y, over one turn.
fn turn_fraction(x: f64, z: f64, len: f64) -> f64 {
    use std::f64::consts::{PI, TAU};
    let theta = if z == 0.0 {
        if x > 0.0 {
            0.0
        } else {
            PI
        }
    } else {
        let t = (x / len).clamp(-1.0, 1.0).acos();
        if z < 0.0 {
            TAU - t
        } else {
            t
        }
    };
    theta / TAU
}

impl ImageMap {
    /// A map of `image` with POV-Ray's defaults: planar, repeated, no interpolation.
    pub fn new(image: Arc<Image>) -> ImageMap {
        let extent = (image.width as f64, image.height as f64);
        ImageMap {
            image,
            map_type: MapType::Planar,
            interpolation: Interpolation::None,
            once: false,
            use_mode: ImageUse::Colour,
            extent,
            offset: (0.0, 0.0),
            filter_all: 0.0,
            transmit_all: 0.0,
            material_count: 0,
        }
    }

    /// Unwrapped image coordinates (u along the width, v along the height) of
    /// pattern-space point `p`, or None where the map leaves it off the image.
    fn project(&self, p: DVec3) -> Option<(f64, f64)> {
        let (w, h) = self.extent;
        match self.map_type {
            MapType::Planar => {
                if self.once && !((0.0..=1.0).contains(&p.x) && (0.0..=1.0).contains(&p.y)) {
                    return None;
                }
                Some(((p.x * w) % w, (p.y * h) % h))
            }
            MapType::Spherical => {
                let len = p.length();
                if len == 0.0 {
                    return None;
                }
                let q = p / len;
                let phi = 0.5 + q.y.clamp(-1.0, 1.0).asin() / std::f64::consts::PI;
                let flat = (q.x * q.x + q.z * q.z).sqrt();
                let theta = if flat == 0.0 {
                    0.0
                } else {
                    turn_fraction(q.x, q.z, flat)
                };
                Some((theta * w, phi * h))
            }
            MapType::Cylindrical => {
                if self.once && !(0.0..=1.0).contains(&p.y) {
                    return None;
                }
                let v = (p.y * h) % h;
                let len = p.length();
                if len == 0.0 {
                    return None;
                }
                let (x, z) = (p.x / len, p.z / len);
                let flat = (x * x + z * z).sqrt();
                if flat == 0.0 {
                    return None;
                }
                Some((turn_fraction(x, z, flat) * w, v))
            }
            MapType::Torus => self.torus(p),
        }
    }

    /// The torus map: u around the y axis, v around the tube.
    fn torus(&self, p: DVec3) -> Option<(f64, f64)> {
        use std::f64::consts::TAU;
        // POV-Ray takes the major radius from a gradient vector fixed at 1.
        const MAJOR_RADIUS: f64 = 1.0;
        let len = (p.x * p.x + p.z * p.z).sqrt();
        if len == 0.0 {
            return None;
        }
        let theta = -turn_fraction(p.x, p.z, len) * TAU;
        let x = len - MAJOR_RADIUS;
        let tube = (x * x + p.y * p.y).sqrt();
        let mut phi = (-x / tube).clamp(-1.0, 1.0).acos();
        if p.y > 0.0 {
            phi = TAU - phi;
        }
        let (w, h) = self.extent;
        Some((-theta / TAU * w, phi / TAU * h))
    }

    /// Pixel coordinates in `[0, width) x [0, height)` (y from the top) of `p`, or
    /// None off the image: POV-Ray's `map_pos`.
    fn position(&self, p: DVec3) -> Option<(f64, f64)> {
        let (u, v) = self.project(p)?;
        let x = u + self.offset.0 + EPSILON;
        let y = v + self.offset.1 + EPSILON;
        let (iw, ih) = (self.image.width as f64, self.image.height as f64);
        if self.once && (x >= iw || y >= ih || x < 0.0 || y < 0.0) {
            return None;
        }
        Some((wrap(x, iw), wrap(-y, ih)))
    }

    /// The nearest pixel at (x, y), clamped to the edges for `once`, wrapped
    /// otherwise, with the `all` amounts added for direct colour.
    fn nearest(&self, x: f64, y: f64) -> Texel {
        let (w, h) = (self.image.width, self.image.height);
        let pick = |c: f64, n: usize| -> usize {
            if self.once {
                if c < 0.0 {
                    0
                } else {
                    (c as usize).min(n - 1)
                }
            } else {
                (wrap(c, n as f64) as usize).min(n - 1)
            }
        };
        let (mut c, index) = self.image.texel(pick(x, w), pick(y, h));
        if index < 0 {
            c[3] += self.filter_all;
            c[4] += self.transmit_all;
        }
        (c, index)
    }

    /// The interpolated colour and index at pixel coordinates (x, y), as stored
    /// (premultiplied if the image is).
    fn sample(&self, x: f64, y: f64) -> Texel {
        match self.interpolation {
            Interpolation::None => self.nearest(x, y),
            Interpolation::Bicubic => self.bicubic(x + 0.5, y + 0.5),
            Interpolation::Bilinear | Interpolation::NormalizedDistance => {
                self.four_corners(x + 0.5, y + 0.5)
            }
        }
    }

    fn four_corners(&self, x: f64, y: f64) -> Texel {
        let (ix, iy) = (x.trunc(), y.trunc());
        let (p, q) = (x - ix, y - iy);
        let factors = match self.interpolation {
            Interpolation::NormalizedDistance => norm_dist(p, q),
            Interpolation::None | Interpolation::Bilinear | Interpolation::Bicubic => {
                [p * q, (1.0 - p) * q, p * (1.0 - q), (1.0 - p) * (1.0 - q)]
            }
        };
        let corners = [
            (ix, iy),
            (ix - 1.0, iy),
            (ix, iy - 1.0),
            (ix - 1.0, iy - 1.0),
        ];
        let mut colour = [0.0; 5];
        let mut index = 0.0;
        for ((cx, cy), k) in corners.into_iter().zip(factors) {
            let (c, i) = self.nearest(cx, cy);
            colour.iter_mut().zip(c).for_each(|(a, b)| *a += b * k);
            index += f64::from(i) * k;
        }
        (colour, index as i32)
    }

    fn bicubic(&self, x: f64, y: f64) -> Texel {
        let (ix, iy) = (x.trunc(), y.trunc());
        let (fx, fy) = (cubic(x), cubic(y));
        let mut colour = [0.0; 5];
        let mut index = 0.0;
        for (i, kx) in fx.iter().enumerate() {
            for (j, ky) in fy.iter().enumerate() {
                let (c, k) = self.nearest(ix + i as f64 - 2.0, iy + j as f64 - 2.0);
                let w = kx * ky;
                colour.iter_mut().zip(c).for_each(|(a, b)| *a += b * w);
                index += f64::from(k) * w;
            }
        }
        (colour, index as i32)
    }

    /// The image's colour at pattern-space point `p` as `image_map` gives it
    /// (not premultiplied); clear (white, transmit 1) off a `once` image.
    pub fn colour(&self, p: DVec3) -> [f64; 5] {
        let Some((x, y)) = self.position(p) else {
            return [1.0, 1.0, 1.0, 0.0, 1.0];
        };
        let (mut c, _) = self.sample(x, y);
        if self.image.premultiplied {
            let alpha = 1.0 - c[3] - c[4];
            if alpha > EPSILON {
                c[..3].iter_mut().for_each(|v| *v /= alpha);
            }
        }
        c
    }

    /// The colour as stored and the palette index at `p`, None off the image.
    fn stored(&self, p: DVec3) -> Option<(Texel, (f64, f64))> {
        let (x, y) = self.position(p)?;
        Some((self.sample(x, y), (x, y)))
    }

    /// `image_pattern`'s value at `p`, in [0, 1].
    pub fn pattern_value(&self, p: DVec3) -> f64 {
        let Some(((c, index), _)) = self.stored(p) else {
            return 0.0;
        };
        let v = if index == -1 || self.use_mode != ImageUse::Index {
            match self.use_mode {
                ImageUse::Alpha if self.image.has_alpha => c[4],
                ImageUse::Alpha => c[0],
                ImageUse::Colour | ImageUse::Index => greyscale(&c),
            }
        } else {
            f64::from(index) / 255.0
        };
        v.clamp(0.0, 1.0)
    }

    /// A `material_map`'s texture number at `p` (0 off a `once` image).
    pub fn material_index(&self, p: DVec3) -> f64 {
        let n = match self.stored(p) {
            None => 0,
            Some(((c, -1), _)) => (c[0] * 255.0) as i64,
            Some(((_, index), _)) => i64::from(index),
        };
        // POV-Ray wraps numbers past the count (not the count itself), then
        // stops at the last texture.
        let count = self.material_count.max(1) as i64;
        let n = if n > count { n % count } else { n };
        n.clamp(0, count - 1) as f64
    }

    /// `bump_map`: normal `n` (pattern space) tilted by the slope of the image's
    /// heights around `p`, as POV-Ray's `bump_map` does.
    pub fn bump(&self, p: DVec3, n: DVec3, amount: f64) -> DVec3 {
        let Some(((c1, i1), (x, y))) = self.stored(p) else {
            return n;
        };
        let (iw, ih) = (self.image.width as f64, self.image.height as f64);
        let wrap_once = |v: f64, limit: f64| {
            if v < 0.0 {
                v + limit
            } else if v >= limit {
                v - limit
            } else {
                v
            }
        };
        let (x2, y2) = (wrap_once(x - 1.0, iw), wrap_once(y + 1.0, ih));
        let x3 = wrap_once(x2 + 2.0, iw);
        let (c2, i2) = self.sample(x2, y2);
        let (c3, i3) = self.sample(x3, y2);
        let use_colour = self.use_mode != ImageUse::Index || i1 == -1 || i2 == -1 || i3 == -1;
        let height = |c: &[f64; 5], i: i32| {
            amount
                * if use_colour {
                    greyscale(c)
                } else {
                    f64::from(i)
                }
        };
        let p1 = DVec3::new(0.0, height(&c1, i1), 0.0);
        let p2 = DVec3::new(-1.0, height(&c2, i2), 1.0);
        let p3 = DVec3::new(1.0, height(&c3, i3), 1.0);
        let bump = (p3 - p2).cross(p1 - p2).normalize_or_zero();
        tilt(n, bump)
    }
}

/// `bump` expressed in the frame whose y axis is `n`, as POV-Ray builds it.
fn tilt(n: DVec3, bump: DVec3) -> DVec3 {
    const FRAME_EPSILON: f64 = 1.0e-10;
    let mut yp = n;
    let mut xp = yp.cross(DVec3::Y);
    let mut len = xp.length();
    if len < FRAME_EPSILON {
        yp = if (n.y - 1.0).abs() < FRAME_EPSILON {
            DVec3::Y
        } else {
            DVec3::NEG_Y
        };
        xp = DVec3::X;
        len = 1.0;
    }
    xp /= len;
    let zp = xp.cross(yp).normalize_or_zero();
    xp * bump.x + yp * bump.y - zp * bump.z
}

/// POV-Ray's grey value of a colour.
fn greyscale(c: &[f64; 5]) -> f64 {
    0.297 * c[0] + 0.589 * c[1] + 0.114 * c[2]
}

/// Weights of the four corners by inverse squared distance.
fn norm_dist(p: f64, q: f64) -> [f64; 4] {
    let sq = |a: f64, b: f64| a * a + b * b;
    let w = [
        1.0 / sq(1.0 - p, 1.0 - q),
        1.0 / sq(p, 1.0 - q),
        1.0 / sq(1.0 - p, q),
        1.0 / sq(p, q),
    ];
    let sum: f64 = w.iter().sum();
    w.map(|x| x / sum)
}

/// Catmull-Rom weights of the four samples around `x`.
fn cubic(x: f64) -> [f64; 4] {
    let p = x - x.trunc();
    let q = 1.0 - p;
    [
        -0.5 * p * q * q,
        0.5 * q * (q * (3.0 * p + 1.0) + 1.0),
        0.5 * p * (p * (3.0 * q + 1.0) + 1.0),
        -0.5 * q * p * p,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2x2 image: top row red, green; bottom row blue, white.
    fn two_by_two() -> ImageMap {
        let px = vec![
            [1.0, 0.0, 0.0, 1.0],
            [0.0, 1.0, 0.0, 1.0],
            [0.0, 0.0, 1.0, 1.0],
            [1.0, 1.0, 1.0, 1.0],
        ];
        ImageMap::new(Arc::new(Image {
            width: 2,
            height: 2,
            pixels: Pixels::Colour(px),
            has_alpha: false,
            premultiplied: false,
        }))
    }

    #[test]
    fn planar_puts_the_bottom_row_at_small_y() {
        let m = two_by_two();
        assert_eq!(m.colour(DVec3::new(0.25, 0.25, 0.0))[..3], [0.0, 0.0, 1.0]);
        assert_eq!(m.colour(DVec3::new(0.75, 0.75, 0.0))[..3], [0.0, 1.0, 0.0]);
        // Repeats outside the unit square.
        assert_eq!(m.colour(DVec3::new(1.25, -0.75, 5.0))[..3], [0.0, 0.0, 1.0]);
    }

    #[test]
    fn once_is_clear_outside_the_square() {
        let mut m = two_by_two();
        m.once = true;
        assert_eq!(
            m.colour(DVec3::new(1.5, 0.5, 0.0)),
            [1.0, 1.0, 1.0, 0.0, 1.0]
        );
    }

    #[test]
    fn bilinear_weights_sum_to_one() {
        let mut m = two_by_two();
        m.interpolation = Interpolation::Bilinear;
        let c = m.colour(DVec3::new(0.5, 0.5, 0.0));
        assert!((c[0] + c[1] + c[2] - 1.5).abs() < 1e-6, "{c:?}");
        let f = norm_dist(0.3, 0.6);
        assert!((f.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let k = cubic(2.4);
        assert!((k.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn degenerate_points_do_not_panic() {
        for map_type in [
            MapType::Planar,
            MapType::Spherical,
            MapType::Cylindrical,
            MapType::Torus,
        ] {
            let mut m = two_by_two();
            m.map_type = map_type;
            for p in [
                DVec3::ZERO,
                DVec3::Y,
                DVec3::splat(f64::NAN),
                DVec3::splat(f64::INFINITY),
                DVec3::splat(-1e300),
            ] {
                let _ = m.colour(p);
                let _ = m.bump(p, DVec3::Y, 1.0);
                let _ = m.pattern_value(p);
            }
        }
    }

    #[test]
    fn a_flat_bump_map_keeps_the_normal() {
        let m = two_by_two();
        let n = DVec3::new(0.0, 0.0, 1.0);
        let out = m.bump(DVec3::new(0.3, 0.3, 0.0), n, 0.0);
        assert!((out - n).length() < 1e-9, "{out}");
    }
}
