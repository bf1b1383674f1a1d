use super::*;

fn all_layouts() -> impl Iterator<Item = (u8, usize, usize, &'static Layout)> {
    [3u8, 4, 6].into_iter().flat_map(|sides| {
        let table = layouts_of(sides).unwrap();
        table.iter().enumerate().flat_map(move |(t, group)| {
            group
                .iter()
                .enumerate()
                .map(move |(p, layout)| (sides, t + 1, p + 1, layout))
        })
    })
}

#[test]
fn every_layout_fills_its_period() {
    for (sides, tiles, pattern, layout) in all_layouts() {
        assert_eq!(
            layout.cells.len(),
            layout.lattice.len(),
            "{sides} sides, {tiles} tiles, pattern {pattern}"
        );
    }
}

#[test]
fn layout_counts_are_povray_s() {
    let counts =
        |sides| -> Vec<usize> { layouts_of(sides).unwrap().iter().map(|g| g.len()).collect() };
    assert_eq!(counts(3), [1, 1, 1, 3, 4, 12]);
    assert_eq!(counts(4), [1, 1, 2, 5, 12, 35]);
    assert_eq!(counts(6), [1, 1, 3, 7, 22]);
}

#[test]
fn checks_wrap_and_refuse_as_povray() {
    let p = Pavement {
        sides: 4,
        tiles: 6,
        pattern: 35,
        exterior: 5,
        interior: 3,
        form: 7,
    };
    let c = p.checked().unwrap();
    assert_eq!((c.exterior, c.interior, c.form), (2, 0, 3));
    let tri = Pavement {
        form: 3,
        ..Pavement::default()
    }
    .checked()
    .unwrap();
    assert_eq!(tri.form, 0);
    assert_eq!(
        Pavement {
            sides: 5,
            ..Pavement::default()
        }
        .checked(),
        Err(PavementError::Sides(5))
    );
    assert!(matches!(
        Pavement {
            sides: 6,
            tiles: 6,
            ..Pavement::default()
        }
        .checked(),
        Err(PavementError::Tiles { max: 5, .. })
    ));
    assert!(matches!(
        Pavement {
            sides: 3,
            tiles: 6,
            pattern: 13,
            ..Pavement::default()
        }
        .checked(),
        Err(PavementError::Pattern { max: 12, .. })
    ));
    assert_eq!(setting_byte(-1.0), 255);
    assert_eq!(setting_byte(258.9), 2);
}

#[test]
fn single_squares_are_the_square_tiling() {
    let p = Pavement {
        sides: 4,
        ..Pavement::default()
    };
    for &(x, z) in &[(0.5, 0.5), (0.1, 0.5), (0.5, 0.95), (-0.3, -2.2)] {
        let fx: f64 = x - f64::floor(x);
        let fz: f64 = z - f64::floor(z);
        let want = (2.0 * (fx - 0.5)).abs().max((2.0 * (fz - 0.5)).abs());
        let got = p.value(DVec3::new(x, 0.0, z));
        assert!((got - want).abs() < 1e-12, "({x}, {z}): {got} vs {want}");
    }
}

#[test]
fn single_triangles_are_one_at_edges_and_zero_at_centres() {
    let p = Pavement::default();
    let at = |x, z| p.value(DVec3::new(x, 0.0, z));
    assert!(at(CENTRE.0, CENTRE.1).abs() < 1e-12);
    assert!((at(0.5, 0.0) - 1.0).abs() < 1e-12);
    // The inverted triangle's centre, one row up and half across.
    assert!(at(1.0, SQRT3_2 - CENTRE.1).abs() < 1e-12);
}

#[test]
fn values_stay_in_range() {
    for (sides, tiles, pattern, _) in all_layouts() {
        for form in 0..3 {
            for corner in 0..3 {
                let p = Pavement {
                    sides,
                    tiles: tiles as u8,
                    pattern: pattern as u8,
                    exterior: corner,
                    interior: corner,
                    form,
                };
                for i in 0..400 {
                    let (x, z) = (i as f64 * 0.173 - 31.0, i as f64 * 0.311 - 57.0);
                    let v = p.value(DVec3::new(x, 0.0, z));
                    assert!(
                        (-1e-9..=1.0 + 1e-9).contains(&v),
                        "{p:?} at ({x}, {z}): {v}"
                    );
                }
            }
        }
    }
}
