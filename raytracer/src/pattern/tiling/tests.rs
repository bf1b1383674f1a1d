use super::*;

fn grid() -> impl Iterator<Item = DVec3> {
    (0..40).flat_map(|i| {
        (0..40)
            .map(move |j| DVec3::new(f64::from(i) * 0.377 - 7.3, 0.25, f64::from(j) * 0.291 - 5.9))
    })
}

#[test]
fn every_tiling_stays_in_the_colour_map_range() {
    for n in 1..=TILING_COUNT {
        for p in grid() {
            let v = tiling(n, p);
            assert!((0.0..=1.0).contains(&v), "tiling {n} at {p}: {v}");
        }
    }
}

#[test]
fn square_tiling_is_zero_at_centres_and_one_on_edges() {
    assert!(tiling(1, DVec3::new(0.5, 0.0, 0.5)).abs() < 1e-12);
    assert!((tiling(1, DVec3::new(1.0, 0.0, 0.3)) - 1.0).abs() < 1e-12);
    assert!((tiling(1, DVec3::new(0.75, 9.0, 0.5)) - 0.5).abs() < 1e-12);
}

#[test]
fn tilings_ignore_y() {
    for n in 1..=TILING_COUNT {
        let a = tiling(n, DVec3::new(1.23, 0.0, -0.71));
        let b = tiling(n, DVec3::new(1.23, 55.0, -0.71));
        assert_eq!(a, b, "tiling {n}");
    }
}

#[test]
fn periodic_tilings_repeat_with_their_cell() {
    // (tiling, x period, z period).
    let cells = [
        (1, 1.0, 1.0),
        (2, 3.0, SQRT3),
        (3, 1.0, SQRT3),
        (5, 3.0, SQRT3),
        (6, 4.0, 4.0),
        (7, 1.0 + SQRT2, 1.0 + SQRT2),
        (10, 1.0, 2.0),
        (11, 3.0, 3.0),
        (12, 6.0, 6.0),
        (15, 5.0, 5.0),
        (18, 4.0, 4.0),
        (21, 1.0 + SQRT3, 1.0 + SQRT3),
    ];
    for (n, px, pz) in cells {
        for p in grid().take(200) {
            let a = tiling(n, p);
            let b = tiling(n, p + DVec3::new(px, 0.0, pz));
            assert!((a - b).abs() < 1e-6, "tiling {n} at {p}: {a} vs {b}");
        }
    }
}

#[test]
fn multi_tile_tilings_use_every_band() {
    // (tiling, number of kinds of tile).
    for (n, kinds) in [(3, 2), (5, 3), (9, 3), (14, 5), (17, 6), (24, 5), (25, 6)] {
        let mut seen = vec![false; kinds];
        for p in (0..200).flat_map(|i| {
            (0..200).map(move |j| DVec3::new(f64::from(i) * 0.05, 0.0, f64::from(j) * 0.05))
        }) {
            let v = tiling(n, p);
            seen[((v * kinds as f64) as usize).min(kinds - 1)] = true;
        }
        assert!(seen.iter().all(|s| *s), "tiling {n}: bands {seen:?}");
    }
}

#[test]
fn penrose_centre_is_one_and_far_points_are_finite() {
    for n in 25..=27 {
        assert_eq!(tiling(n, DVec3::ZERO), 1.0);
        let v = tiling(n, DVec3::new(1.0e6, 0.0, -3.0e5));
        assert!(v.is_finite(), "tiling {n}");
    }
}
