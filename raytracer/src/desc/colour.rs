//! Colours as POV-Ray stores them: red, green, blue, filter, transmit.

use glam::DVec3;

/// An rgbft colour; filter and transmit are 0 for an opaque colour.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Colour {
    /// Red.
    pub r: f64,
    /// Green.
    pub g: f64,
    /// Blue.
    pub b: f64,
    /// Filtered (tinted) transparency.
    pub f: f64,
    /// Non-filtered transparency.
    pub t: f64,
}

impl Colour {
    /// Opaque black.
    pub const BLACK: Colour = Colour::rgb(0.0, 0.0, 0.0);
    /// Opaque white.
    pub const WHITE: Colour = Colour::rgb(1.0, 1.0, 1.0);

    /// An opaque colour.
    pub const fn rgb(r: f64, g: f64, b: f64) -> Self {
        Self {
            r,
            g,
            b,
            f: 0.0,
            t: 0.0,
        }
    }

    /// All five channels.
    pub const fn rgbft(r: f64, g: f64, b: f64, f: f64, t: f64) -> Self {
        Self { r, g, b, f, t }
    }

    /// The colour channels as a vector.
    pub fn rgb_vec(&self) -> DVec3 {
        DVec3::new(self.r, self.g, self.b)
    }

    /// The five channels in order.
    pub fn to_array(&self) -> [f64; 5] {
        [self.r, self.g, self.b, self.f, self.t]
    }

    /// From five channels in order.
    pub fn from_array(a: [f64; 5]) -> Self {
        Self::rgbft(a[0], a[1], a[2], a[3], a[4])
    }
}
