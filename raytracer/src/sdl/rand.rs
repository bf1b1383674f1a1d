//! `seed()` and `rand()`: POV-Ray 3.7's scene-language random streams.
//!
//! Each `seed(n)` opens a new stream and returns its number; `rand(stream)` steps
//! that stream's 32-bit linear congruential state (multiplier 1812433253,
//! increment 12345, as POV-Ray 3.7) and returns the whole new state divided by
//! 2^32 - 1, so values lie in [0, 1] and scenes placing objects with `rand` put
//! them exactly where POV-Ray does. The streams are parser state, so a parse is
//! deterministic: the same scene always gives the same numbers.

/// The random streams opened so far, indexed by the number `seed` returned.
#[derive(Clone, Debug, Default)]
pub(crate) struct RandStreams {
    states: Vec<u32>,
}

/// POV-Ray's generator multiplier.
const MULTIPLIER: u32 = 1_812_433_253;
/// POV-Ray's generator increment.
const INCREMENT: u32 = 12_345;

impl RandStreams {
    /// Opens a stream seeded with `seed` (converted as C converts a double to
    /// `int`, then to `unsigned int`); returns its number.
    pub fn seed(&mut self, seed: f64) -> usize {
        self.states.push(seed as i32 as u32);
        self.states.len() - 1
    }

    /// The next value of stream `stream`, or None if `seed` never opened it.
    pub fn next(&mut self, stream: f64) -> Option<f64> {
        if stream.is_nan() || stream < 0.0 {
            return None;
        }
        let state = self.states.get_mut(stream as usize)?;
        *state = state.wrapping_mul(MULTIPLIER).wrapping_add(INCREMENT);
        Some(f64::from(*state) / f64::from(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_32_bit_lcg() {
        let mut r = RandStreams::default();
        let s = r.seed(0.0);
        // 0 * a + c = 12345; then 12345 * a + c, both mod 2^32.
        assert_eq!(r.next(s as f64), Some(12345.0 / 4294967295.0));
        let second = 12345u32.wrapping_mul(MULTIPLIER).wrapping_add(INCREMENT);
        assert_eq!(r.next(s as f64), Some(f64::from(second) / 4294967295.0));
    }

    #[test]
    fn streams_are_independent_and_checked() {
        let mut r = RandStreams::default();
        let a = r.seed(7.0);
        let b = r.seed(7.0);
        assert_eq!(r.next(a as f64), r.next(b as f64));
        assert_eq!(r.next(2.0), None);
        assert_eq!(r.next(-1.0), None);
        assert_eq!(r.next(f64::NAN), None);
    }

    #[test]
    fn negative_seeds_wrap_like_c() {
        let mut r = RandStreams::default();
        let s = r.seed(-1.0);
        let want = u32::MAX.wrapping_mul(MULTIPLIER).wrapping_add(INCREMENT);
        assert_eq!(r.next(s as f64), Some(f64::from(want) / 4294967295.0));
    }
}
