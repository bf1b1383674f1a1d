//! POV-Ray's anti-aliasing jitter: a fixed offset per sample position, looked up
//! through the noise permutation, so a sample's jitter depends only on where it is.

use std::sync::LazyLock;

use crate::pattern::hash_entry;

/// The 256 jitter offsets in [-0.5, 0.5): a Gray-code-like sequence in which entry
/// `i` is the XOR of `3 << k` over the set bits `k` of `i`, with the parity of `i`
/// in bit 8 and a 1/32768 nudge, spread over 512 steps.
static OFFSETS: LazyLock<[f64; 256]> = LazyLock::new(|| {
    let mut t = [0.0; 256];
    for (i, v) in t.iter_mut().enumerate() {
        let parity = (i.count_ones() & 1) as usize;
        let steps = ((i ^ (i << 1)) ^ (parity << 8)) & 0x1FF;
        *v = steps as f64 / 512.0 + parity as f64 / 32768.0 - 0.5;
    }
    t
});

/// The offset a hashed integer position selects.
fn lookup(ix: i32, iy: i32) -> f64 {
    let inner = i32::from(hash_entry((ix & 0xFFF) as usize));
    let outer = hash_entry(((inner ^ iy) & 0xFFF) as usize);
    OFFSETS[usize::from(outer & 0xFF)]
}

/// The jitter `(jx, jy)`, each in [-0.5, 0.5), of a sample at image position
/// (`x`, `y`) (pixel corners at integers). The coordinates are scaled by two primes
/// and truncated toward zero, as POV-Ray does, before hashing.
pub fn offset(x: f64, y: f64) -> (f64, f64) {
    let scaled = |v: f64, k: f64| (v * k) as i32;
    (
        lookup(scaled(x, 1021.0), scaled(y, 1019.0)),
        lookup(scaled(x, 1019.0), scaled(y, 1021.0)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_a_permutation_of_512ths_in_range() {
        let mut steps: Vec<i64> = OFFSETS
            .iter()
            .map(|v| ((v + 0.5) * 512.0).floor() as i64)
            .collect();
        assert!(OFFSETS.iter().all(|v| (-0.5..0.5).contains(v)));
        steps.sort_unstable();
        steps.dedup();
        assert_eq!(steps.len(), 256, "every offset is distinct");
        assert_eq!(OFFSETS[0], -0.5);
        assert!((OFFSETS[3] - (5.0 / 512.0 - 0.5)).abs() < 1e-12);
    }

    #[test]
    fn jitter_depends_only_on_position() {
        for i in -50..50 {
            let (x, y) = (f64::from(i) * 0.37, 5.25);
            assert_eq!(offset(x, y), offset(x, y));
            let (jx, jy) = offset(x, y);
            assert!((-0.5..0.5).contains(&jx) && (-0.5..0.5).contains(&jy));
        }
    }
}
