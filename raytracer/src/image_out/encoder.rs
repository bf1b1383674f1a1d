//! The colour encoding from the scene's working gamma to a file's values: sRGB codes
//! for 8- and 16-bit formats, linear light for float formats; or, for a legacy scene
//! whose gamma correction is off, the colours as they are.

use glam::DVec3;

/// Maps working-space colours to 8-bit sRGB file values.
///
/// The exact mapping ([`Encoder::channel_exact`]: gamma, sRGB curve, rounding) takes
/// two `pow` calls per channel, a noticeable share of a render. It is monotonic, so
/// it is tabulated once as the 255 working values where the code steps up, and a
/// channel is then encoded by a binary search over them, giving the same byte.
#[derive(Clone, Copy, Debug)]
pub struct Encoder {
    working_gamma: f64,
    /// False when gamma correction is off: values are written without the sRGB curve.
    srgb: bool,
    /// `steps[k - 1]`: the least working value whose code is `k` or more; `None`
    /// when the table could not be trusted (a gamma for which the mapping is not
    /// monotonic), and then every channel is computed exactly.
    steps: Option<[f64; 255]>,
}

impl Encoder {
    pub fn new(working_gamma: f64) -> Self {
        Encoder::build(working_gamma, true)
    }

    /// The encoder for a scene's working gamma, or (None) for a legacy scene whose
    /// gamma correction POV-Ray turns off: colours are written as they are.
    pub fn for_gamma(working_gamma: Option<f64>) -> Self {
        match working_gamma {
            Some(g) => Encoder::build(g, true),
            None => Encoder::build(1.0, false),
        }
    }

    fn build(working_gamma: f64, srgb: bool) -> Self {
        let mut enc = Encoder {
            working_gamma,
            srgb,
            steps: None,
        };
        enc.steps = enc.step_table();
        enc
    }

    /// Linear light for a working-space channel: what float formats store.
    pub fn linear(&self, v: f64) -> f32 {
        let v = if v.is_nan() { 0.0 } else { v.max(0.0) };
        let linear = if self.working_gamma == 1.0 {
            v
        } else {
            v.powf(self.working_gamma)
        };
        linear as f32
    }

    /// The sRGB-encoded value of one channel in `[0, 1]`.
    fn unit(&self, v: f64) -> f64 {
        let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
        let linear = if self.working_gamma == 1.0 {
            v
        } else {
            v.powf(self.working_gamma)
        };
        if !self.srgb {
            linear
        } else if linear <= 0.003_130_8 {
            12.92 * linear
        } else {
            1.055 * linear.powf(1.0 / 2.4) - 0.055
        }
    }

    /// The code of one channel, computed directly.
    fn channel_exact(&self, v: f64) -> u8 {
        (self.unit(v) * 255.0 + 0.5).floor().clamp(0.0, 255.0) as u8
    }

    /// A pixel as 16-bit codes (computed exactly: 16-bit files are rare, and a
    /// table of 65535 steps would cost more than it saves).
    pub fn encode16(&self, c: DVec3) -> [u16; 3] {
        let ch = |v: f64| (self.unit(v) * 65535.0 + 0.5).floor().clamp(0.0, 65535.0) as u16;
        [ch(c.x), ch(c.y), ch(c.z)]
    }

    /// Finds, by bisection over the bit patterns of `[0, 1]` (ordered like the
    /// values for non-negative floats), the least value reaching each code.
    fn step_table(&self) -> Option<[f64; 255]> {
        if self.channel_exact(0.0) != 0 || self.channel_exact(1.0) != 255 {
            return None;
        }
        let top = 1.0f64.to_bits();
        let mut steps = [0.0; 255];
        let mut lo = 0u64;
        for (i, step) in steps.iter_mut().enumerate() {
            let code = i as u8 + 1;
            // Invariant: code(lo) < code <= code(hi).
            let mut hi = top;
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if self.channel_exact(f64::from_bits(mid)) >= code {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            *step = f64::from_bits(hi);
            lo = hi - 1;
        }
        // The search assumed monotonicity; check that each step is where its code
        // starts and that the steps are ordered.
        let ok = steps.windows(2).all(|w| w[0] <= w[1])
            && steps.iter().enumerate().all(|(i, &s)| {
                let below = f64::from_bits(s.to_bits() - 1);
                usize::from(self.channel_exact(s)) > i
                    && usize::from(self.channel_exact(below)) <= i
            });
        ok.then_some(steps)
    }

    #[inline]
    fn channel(&self, v: f64) -> u8 {
        match &self.steps {
            // NaN compares false everywhere and lands on code 0, as clamping it does.
            Some(steps) => steps.partition_point(|&s| s <= v) as u8,
            None => self.channel_exact(v),
        }
    }

    pub fn encode(&self, c: DVec3) -> [u8; 3] {
        [self.channel(c.x), self.channel(c.y), self.channel(c.z)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tabulated encoder gives the exact mapping's byte everywhere: on a fine
    /// sweep, at every step and at the floats either side of it, and out of range.
    #[test]
    fn step_table_matches_exact_encoding() {
        let gammas = [Some(1.0), Some(2.2), Some(1.8), Some(0.45), Some(3.0), None];
        for gamma in gammas {
            let enc = Encoder::for_gamma(gamma);
            let steps = enc.steps.expect("a table for an ordinary gamma");
            let check = |v: f64| {
                assert_eq!(
                    enc.channel(v),
                    enc.channel_exact(v),
                    "gamma {gamma:?}, v {v:e}"
                )
            };
            for i in 0..=200_000 {
                check(i as f64 / 200_000.0);
            }
            for s in steps {
                for v in [
                    s,
                    f64::from_bits(s.to_bits() - 1),
                    f64::from_bits(s.to_bits() + 1),
                ] {
                    check(v);
                }
            }
            for v in [
                -1.0,
                -0.0,
                1e-300,
                1.0 + f64::EPSILON,
                7.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
            ] {
                check(v);
            }
        }
    }

    #[test]
    fn encoding_follows_working_gamma() {
        // Linear 0.5 becomes sRGB 188; with gamma 2.2 the value stays near 128.
        assert_eq!(Encoder::new(1.0).encode(DVec3::splat(0.5)), [188; 3]);
        assert_eq!(Encoder::new(2.2).encode(DVec3::splat(0.5)), [128; 3]);
        // Gamma correction off (a legacy scene without assumed_gamma): as they are.
        let raw = Encoder::for_gamma(None);
        assert_eq!(raw.encode(DVec3::new(0.1, 0.2, 0.3)), [26, 51, 77]);
        assert_eq!(raw.encode16(DVec3::splat(0.5)), [32768; 3]);
        assert_eq!(
            Encoder::for_gamma(Some(2.2)).encode(DVec3::splat(0.5)),
            [128; 3]
        );
        assert_eq!(
            Encoder::new(1.0).encode(DVec3::new(2.0, -1.0, f64::NAN)),
            [255, 0, 0]
        );
    }

    #[test]
    fn sixteen_bit_codes_agree_with_eight_bit_ones() {
        let enc = Encoder::new(2.2);
        for i in 0..=100 {
            let c = DVec3::splat(f64::from(i) / 100.0);
            let wide = enc.encode16(c)[0];
            let narrow = enc.encode(c)[0];
            assert!((f64::from(wide) / 257.0 - f64::from(narrow)).abs() <= 0.51);
        }
        assert_eq!(enc.encode16(DVec3::ONE), [65535; 3]);
        assert_eq!(Encoder::new(1.0).linear(-1.0), 0.0);
        assert!((Encoder::new(2.0).linear(3.0) - 9.0).abs() < 1e-6);
    }
}
