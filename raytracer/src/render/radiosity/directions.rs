//! Sample directions: cosine-weighted over the hemisphere around +Y, from a
//! two-dimensional Halton sequence (bases 2 and 3), the construction POV-Ray
//! 3.7 uses for its radiosity sample directions.

use glam::DVec3;

/// The radical inverse of `i` in `base`: its digits mirrored behind the point.
pub fn radical_inverse(base: u32, mut i: u64) -> f64 {
    let b = u64::from(base);
    let inv = 1.0 / f64::from(base);
    let mut f = inv;
    let mut r = 0.0;
    while i > 0 {
        r += (i % b) as f64 * f;
        i /= b;
        f *= inv;
    }
    r
}

/// `n` directions, cosine-weighted about +Y: a uniform point on the unit disc
/// (radius from base 2, angle from base 3) lifted onto the hemisphere.
pub fn cos_weighted(n: usize) -> Vec<DVec3> {
    (1..=n as u64)
        .map(|i| {
            let u = radical_inverse(2, i);
            let phi = std::f64::consts::TAU * radical_inverse(3, i);
            let r = u.sqrt();
            DVec3::new(r * phi.cos(), (1.0 - u).max(0.0).sqrt(), r * phi.sin())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radical_inverse_mirrors_digits() {
        assert_eq!(radical_inverse(2, 1), 0.5);
        assert_eq!(radical_inverse(2, 6), 0.375);
        assert!((radical_inverse(3, 5) - (2.0 / 3.0 + 1.0 / 9.0)).abs() < 1e-12);
    }

    #[test]
    fn directions_are_unit_and_cosine_weighted() {
        let d = cos_weighted(1600);
        assert!(d
            .iter()
            .all(|v| (v.length() - 1.0).abs() < 1e-9 && v.y >= 0.0));
        // E[cos] under a cosine-weighted hemisphere is 2/3.
        let mean = d.iter().map(|v| v.y).sum::<f64>() / d.len() as f64;
        assert!((mean - 2.0 / 3.0).abs() < 0.01, "{mean}");
    }
}
