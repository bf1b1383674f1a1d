//! POV-Ray's table of pattern random numbers, which cells and crackle index by
//! the lattice hash of a unit cube.

use std::sync::LazyLock;

/// How many of POV-Ray's pattern random numbers crackle can reach: a cube's
/// hash is below 4096 and its point reads three consecutive numbers.
const RAND_COUNT: usize = 4096 + 2;

/// POV-Ray's pattern random numbers: the first outputs of a default-seeded
/// 32-bit Mersenne Twister (MT19937, seed 5489), each divided by 2³² to give a
/// uniform value in [0, 1).
static PATTERN_RANDS: LazyLock<[f64; RAND_COUNT]> = LazyLock::new(|| {
    let mut mt = Mt19937::new(5489);
    let mut out = [0.0; RAND_COUNT];
    for v in &mut out {
        *v = f64::from(mt.next_u32()) / 4_294_967_296.0;
    }
    out
});

/// The MT19937 generator (Matsumoto & Nishimura), only as far as seeding and
/// drawing 32-bit outputs.
struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    fn new(seed: u32) -> Self {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Self { state, index: 624 }
    }

    fn twist(&mut self) {
        for i in 0..624 {
            let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % 624] & 0x7fff_ffff);
            let mut next = self.state[(i + 397) % 624] ^ (y >> 1);
            if y & 1 != 0 {
                next ^= 0x9908_b0df;
            }
            self.state[i] = next;
        }
        self.index = 0;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }
}

/// Pattern random number `i` (`i` below 4098, which the lattice hash plus two
/// never exceeds), uniform in [0, 1).
pub(super) fn pattern_rand(i: usize) -> f64 {
    PATTERN_RANDS[i.min(RAND_COUNT - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mersenne_twister_reference_output() {
        // The 10000th output of MT19937 seeded with 5489 is 4123659995
        // (the C++ standard's conformance check).
        let mut mt = Mt19937::new(5489);
        let mut last = 0;
        for _ in 0..10000 {
            last = mt.next_u32();
        }
        assert_eq!(last, 4_123_659_995);
    }
}
