//! `tiling N`: POV-Ray 3.7's 27 periodic and Penrose tilings of the x-z plane.
//!
//! Each tiling folds the point into one fundamental cell by its symmetries and
//! measures how far it is from the tile's edge. A tiling with one kind of tile
//! gives 1 on the edges falling to 0 at the centre; a tiling with `k` kinds of
//! tile gives tile `i` the band `[i/k, (i+1)/k]`, again edge at the top of the
//! band, so a colour map with `k` bands colours each kind of tile. The y
//! coordinate is ignored. The constants (including the small offsets that keep
//! neighbouring bands apart) are POV-Ray's, so values match it exactly.

use glam::DVec3;

const SQRT3: f64 = 1.732_050_807_568_877_2;
const SQRT3_2: f64 = 0.866_025_403_784_438_6;
const SQRT2: f64 = std::f64::consts::SQRT_2;
const SQRT2_2: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// Which tilings exist: `tiling 1` to `tiling 27`.
pub const TILING_COUNT: u8 = 27;

/// The value of tiling `n` (1..=27; anything else is the square tiling) at `p`.
pub fn tiling(n: u8, p: DVec3) -> f64 {
    let (x, z) = (p.x, p.z);
    match n {
        2 => hexagon(x, z),
        3 => triangle(x, z),
        4 => lozenge(x, z),
        5 => rhombus(x, z),
        6 => rectangle(x, z),
        7 => octa_square(x, z),
        8 => square_triangle(x, z),
        9 => hexa_triangle(x, z),
        10 => square_offset(x, z),
        11 => square_rectangle(x, z),
        12 => rectangle_square(x, z),
        13 => square_internal(x, z),
        14 => square_internal_5(x, z),
        15 => square_double(x, z),
        16 => hexa_square_triangle(x, z, false),
        17 => hexa_square_triangle(x, z, true),
        18 => rectangle_pair(x, z),
        19 => hexa_tri(x, z, true),
        20 => hexa_tri(x, z, false),
        21 => square_tri(x, z),
        22 => dodeca_tri(x, z),
        23 => dodeca_hex(x, z, false),
        24 => dodeca_hex(x, z, true),
        25 => penrose::p1(x, z),
        26 => penrose::p2_p3(x, z, false),
        27 => penrose::p2_p3(x, z, true),
        _ => square(x, z),
    }
}

/// `v` reduced into `[0, period)`.
fn wrap(v: f64, period: f64) -> f64 {
    v - period * (v / period).floor()
}

/// Distance to the centre of a unit cell, 0 at the centre and 1 on the edge.
fn centred(v: f64) -> f64 {
    2.0 * (v - 0.5).abs()
}

/// Distance past half a unit from 0, doubled: 0 inside, 1 at the far edge.
fn past_half(v: f64) -> f64 {
    2.0 * (v.abs().max(0.5) - 0.5)
}

fn square(x: f64, z: f64) -> f64 {
    let x = centred(x.abs().fract());
    let z = centred(z.abs().fract());
    x.max(z)
}

fn hexagon(x: f64, z: f64) -> f64 {
    let mut x = wrap(x + 0.5, 3.0);
    let mut z = wrap(z, SQRT3);
    if z > SQRT3_2 {
        z = SQRT3 - z;
    }
    if x > 1.5 {
        x -= 1.5;
        z = SQRT3_2 - z;
    }
    if SQRT3 * x + z < SQRT3_2 {
        x = 0.5 - x;
        z = SQRT3_2 - z;
    }
    if x > 1.0 {
        x = 2.0 - x;
    }
    let d1 = 1.0 - z / SQRT3_2;
    let d2 = 1.0 - (SQRT3 * x + z - SQRT3_2) / SQRT3;
    d1.max(d2).clamp(0.0, 1.0)
}

/// Folds a point of the `[0, 0.5] x [0, √3/2]` strip of the triangle tiling into
/// the one triangle, flipping `delta` when it crosses into the other orientation.
fn fold_triangle(x: &mut f64, z: &mut f64, delta: &mut i32) {
    if *x != 0.0 {
        if *z / *x > SQRT3 {
            *z = SQRT3_2 - *z;
            *x = 0.5 - *x;
            *delta = 1 - *delta;
        }
    } else {
        *z = SQRT3_2 - *z;
        *x = 0.5;
        *delta = 1 - *delta;
    }
}

fn triangle(x: f64, z: f64) -> f64 {
    let mut x = x - x.floor();
    let mut z = wrap(z, SQRT3);
    let mut delta = 0;
    if z > SQRT3_2 {
        z = SQRT3 - z;
        delta = 1 - delta;
    }
    if x > 0.5 {
        x = 1.0 - x;
    }
    // Unlike the other triangle folds, x = 0 keeps delta here.
    if x != 0.0 {
        if z / x > SQRT3 {
            z = SQRT3_2 - z;
            x = 0.5 - x;
            delta = 1 - delta;
        }
    } else {
        z = SQRT3_2 - z;
        x = 0.5;
    }
    let d1 = 1.0 - z * 2.0 * SQRT3;
    let d2 = 1.0 - (SQRT3 * x - z) * SQRT3;
    f64::from(delta) / 2.0 + 0.5 * d1.max(d2)
}

/// The lozenge measure of a point already in the `[0, 1.5] x [0, √3/2]` half cell.
fn lozenge_core(mut x: f64, mut z: f64) -> f64 {
    if 2.0 * z > SQRT3_2 {
        z = SQRT3_2 - z;
        x = 1.5 - x;
    }
    if x > 0.75 {
        x -= 1.0;
    }
    if x != 0.0 && z / x > SQRT3 {
        z = SQRT3_2 - z;
        x = 0.5 - x;
    }
    let d1 = 1.0 - z * 4.0 * SQRT3 / 3.0;
    let d2 = 1.0 - (SQRT3 * x - z).abs() * SQRT3 * 2.0 / 3.0;
    d1.max(d2)
}

fn lozenge(x: f64, z: f64) -> f64 {
    let mut x = x - x.floor();
    let mut z = wrap(z, SQRT3);
    if z > SQRT3_2 {
        z -= SQRT3_2;
        x += 0.5;
    }
    lozenge_core(x, z)
}

fn rhombus(x: f64, z: f64) -> f64 {
    let mut x = wrap(x + 0.5, 3.0);
    let mut z = wrap(z, SQRT3);
    let mut delta = 0;
    if z > SQRT3_2 {
        z = SQRT3 - z;
        delta = 2 - delta;
    }
    if x > 1.5 {
        x -= 1.5;
        z = SQRT3_2 - z;
        delta = 2 - delta;
    }
    if x < 0.5 {
        x = 1.0 - x;
        delta = 2 - delta;
    }
    x -= 0.5;
    // The steep rhombus, turned onto the shallow one beside it.
    if x == 0.0 || z / x > SQRT3 {
        let rx = x / 2.0 + z * SQRT3_2;
        let rz = z / 2.0 - x * SQRT3_2;
        x = rx;
        z = rz;
        delta = 1;
    }
    let v = lozenge_core(x, z) / 3.0 + f64::from(delta) / 3.0;
    v.clamp(0.0, 1.0)
}

/// A 2x1 brick at the origin: horizontal (`delta` 0) or vertical (`delta` 1),
/// its measure in `[0, 1]`.
fn brick_measure(x: f64, z: f64, vertical: bool) -> f64 {
    if vertical {
        centred(x).max(past_half(z))
    } else {
        past_half(x).max(centred(z))
    }
}

fn rectangle(x: f64, z: f64) -> f64 {
    let mut x = wrap(x, 4.0);
    let mut z = wrap(z, 4.0);
    // (x shift, z shift, vertical) of the brick covering each unit square.
    let (dx, dz, vertical) = match x as i32 + (z as i32) * 4 {
        0 | 4 => (0.0, 1.0, true),
        1 | 2 => (2.0, 0.0, false),
        3 => (3.0, 0.0, true),
        5 | 9 => (1.0, 2.0, true),
        6 | 7 => (3.0, 1.0, false),
        8 => (0.0, 2.0, false),
        10 | 14 => (2.0, 3.0, true),
        11 => (4.0, 2.0, false),
        12 | 13 => (1.0, 3.0, false),
        15 => (3.0, 4.0, true),
        _ => (0.0, 0.0, true),
    };
    x -= dx;
    z -= dz;
    let delta = if vertical { 1.0 } else { 0.0 };
    (brick_measure(x, z, vertical) / 2.0 + delta / 2.0).abs()
}

fn octa_square(x: f64, z: f64) -> f64 {
    let period = SQRT2 + 1.0;
    let mut z = (wrap(z, period) - (SQRT2_2 + 0.5)).abs();
    let mut x = (wrap(x, period) - (SQRT2_2 + 0.5)).abs();
    if z > x {
        std::mem::swap(&mut x, &mut z);
    }
    if x + z < SQRT2_2 {
        return (x + z) / SQRT2;
    }
    let d1 = 1.0 - z;
    let d2 = (SQRT2 + SQRT2_2 - (x + z)) / SQRT2;
    0.500_000_000_001_f64.max(d1.max(d2))
}

fn square_triangle(x: f64, z: f64) -> f64 {
    let mut x = x - x.floor();
    let mut z = wrap(z, SQRT3 + 2.0);
    let mut delta = 0;
    if z > SQRT3_2 + 1.0 {
        z -= SQRT3_2 + 1.0;
        x += if x > 0.5 { -0.5 } else { 0.5 };
    }
    if x > 0.5 {
        x = 1.0 - x;
    }
    z -= 1.0;
    if z > 0.0 {
        fold_triangle(&mut x, &mut z, &mut delta);
        let d1 = 1.0 - 2.0 * z * SQRT3;
        let d2 = 1.0 - (SQRT3 * x - z) * SQRT3;
        (f64::from(delta) + d1.max(d2)) / 3.0
    } else {
        if z < -0.5 {
            z = -1.0 - z;
        }
        if x > 0.5 {
            x = 1.0 - x;
        }
        let d1 = (2.0 + 2.0 * SQRT3 * x.abs()).min(3.0);
        let d2 = (2.0 + 2.0 * SQRT3 * z.abs()).min(3.0);
        (5.000_000_1 - d1.min(d2)) / 3.0
    }
}

fn hexa_triangle(x: f64, z: f64) -> f64 {
    let mut x = wrap(x + 0.5, 2.0);
    let mut z = wrap(z, 2.0 * SQRT3);
    let mut delta = 0;
    if z > SQRT3 {
        z -= SQRT3;
        x += if x < 1.0 { 1.0 } else { -1.0 };
    }
    if z > SQRT3_2 {
        z = SQRT3 - z;
        delta = 1 - delta;
    }
    if x > 1.0 {
        x = 2.0 - x;
    }
    if SQRT3 * x + z < SQRT3_2 {
        let d1 = 1.0 - z * 2.0 * SQRT3;
        let d2 = 1.0 + (SQRT3 * x + z - SQRT3_2) * SQRT3;
        (f64::from(delta) + d1.max(d2)) / 3.0
    } else {
        hexagon_band(x, z)
    }
}

/// The hexagon of the hexagon-and-triangle tilings: the top band of three.
fn hexagon_band(x: f64, z: f64) -> f64 {
    let d1 = 2.0 + 2.0 * (z * SQRT3);
    let d2 = 2.0 + 2.0 * (SQRT3 * x + z - SQRT3_2) * SQRT3_2;
    (5.0 - d1.min(d2)).max(2.000_000_1) / 3.0
}

fn square_offset(x: f64, z: f64) -> f64 {
    let mut z = wrap(z, 2.0);
    let mut x = x;
    if z > 1.0 {
        x += 0.5;
        z -= 1.0;
    }
    centred(x - x.floor()).max(centred(z))
}

/// The 3x3 cell shared by tilings 11 and 12: a unit square in the middle,
/// four 2x1 bricks around it; three bands (square, vertical, horizontal).
fn square_rectangle_cell(mut x: f64, mut z: f64) -> f64 {
    let (dx, dz, delta) = match x as i32 + (z as i32) * 3 {
        0 | 3 => (0.0, 1.0, 2.0),
        1 | 2 => (2.0, 0.0, 1.0),
        4 => (1.0, 1.0, 0.0),
        5 | 8 => (2.0, 2.0, 2.0),
        6 | 7 => (1.0, 2.0, 1.0),
        _ => (0.0, 0.0, 2.0),
    };
    x -= dx;
    z -= dz;
    let m = if delta == 1.0 {
        past_half(x).max(centred(z))
    } else if delta == 2.0 {
        centred(x).max(past_half(z))
    } else {
        centred(x).max(centred(z))
    };
    (m + delta) / 3.0
}

fn square_rectangle(x: f64, z: f64) -> f64 {
    square_rectangle_cell(wrap(x, 3.0), wrap(z, 3.0))
}

fn rectangle_square(x: f64, z: f64) -> f64 {
    square_rectangle_cell((wrap(x, 6.0) - 3.0).abs(), (wrap(z, 6.0) - 3.0).abs())
}

/// A coordinate of tilings 13 and 14: scaled by √2, folded about the middle of
/// a 4-wide cell; also whether it was on the low side.
fn internal_fold(v: f64) -> (f64, bool) {
    let v = wrap(v * SQRT2, 4.0) - 2.0;
    (v.abs(), v < 0.0)
}

fn square_internal(x: f64, z: f64) -> f64 {
    let (x, _) = internal_fold(x);
    let (z, _) = internal_fold(z);
    let side_x = |x: f64, z: f64| {
        let a = (2.0 + (1.5 - x).abs() * 2.0) / 3.0;
        a.max((3.0 - SQRT2 * (x - z).abs()) / 3.0)
    };
    let side_z = |x: f64, z: f64| {
        let a = (1.0 + (1.5 - z).abs() * 2.0) / 3.0;
        a.max((2.0 - SQRT2 * (x - z).abs()) / 3.0)
    };
    match x as i32 + (z as i32) * 2 {
        0 => {
            let x = (x - 0.5).max(0.0) * 2.0;
            let z = (z - 0.5).max(0.0) * 2.0;
            x.max(z) / 3.0
        }
        1 if z > 0.5 => side_x(x, z),
        1 => (2.0 + (1.5 - x).abs() * 2.0) / 3.0,
        2 if x > 0.5 => side_z(x, z),
        2 => (1.0 + (1.5 - z).abs() * 2.0) / 3.0,
        3 if x > z => side_x(x, z),
        3 => side_z(x, z),
        _ => 0.0,
    }
}

fn square_internal_5(x: f64, z: f64) -> f64 {
    let (x, low_x) = internal_fold(x);
    let (z, low_z) = internal_fold(z);
    let mir_x = if low_x { 1.0 } else { 0.0 };
    let mir_z = if low_z { 2.0 } else { 3.0 };
    let edge_x = |x: f64, z: f64| ((1.5 - x).abs() * 2.0).max(1.0 - SQRT2 * (x - z).abs());
    let edge_z = |x: f64, z: f64| ((1.5 - z).abs() * 2.0).max(1.0 - SQRT2 * (x - z).abs());
    match x as i32 + (z as i32) * 2 {
        0 => {
            let x = (x - 0.5).max(0.0) * 2.0;
            let z = (z - 0.5).max(0.0) * 2.0;
            (4.000_001 + x.max(z)) / 5.0
        }
        1 if z > 0.5 => (edge_x(x, z) + mir_x) / 5.0,
        1 => ((1.5 - x).abs() * 2.0 + mir_x) / 5.0,
        2 if x > 0.5 => (edge_z(x, z) + mir_z) / 5.0,
        2 => ((1.5 - z).abs() * 2.0 + mir_z) / 5.0,
        3 if x > z => (edge_x(x, z) + mir_x) / 5.0,
        3 => (edge_z(x, z) + mir_z) / 5.0,
        _ => 0.0,
    }
}

fn square_double(x: f64, z: f64) -> f64 {
    let mut x = wrap(x, 5.0);
    let mut z = wrap(z, 5.0);
    const BIG: f64 = 0.500_000_01;
    // (x shift, z shift, band) of the square covering each unit cell.
    let (dx, dz, delta) = match x as i32 + (z as i32) * 5 {
        0 => (0.0, 0.0, 0.0),
        1 | 2 => (2.0, 0.0, BIG),
        3 | 4 | 8 | 9 => (4.0, 1.0, BIG),
        5 | 6 | 10 | 11 => (1.0, 2.0, BIG),
        7 => (2.0, 1.0, 0.0),
        12 | 13 | 17 | 18 => (3.0, 3.0, BIG),
        14 => (4.0, 2.0, 0.0),
        15 | 20 => (0.0, 4.0, BIG),
        16 => (1.0, 3.0, 0.0),
        21 | 22 => (2.0, 5.0, BIG),
        23 => (3.0, 4.0, 0.0),
        19 | 24 => (5.0, 4.0, BIG),
        _ => (0.0, 0.0, BIG),
    };
    x -= dx;
    z -= dz;
    let m = if delta != 0.0 {
        past_half(x).max(past_half(z))
    } else {
        centred(x).max(centred(z))
    };
    (m / 2.0 + delta).abs()
}

/// Tilings 16 and 17: hexagons, squares and triangles. With `six`, each
/// orientation of square and triangle gets a band of its own (6 bands, else 3).
fn hexa_square_triangle(x: f64, z: f64, six: bool) -> f64 {
    let mut x = wrap(x + 0.5, 3.0 + SQRT3);
    let mut z = wrap(z, 2.0 * (1.0 + SQRT3));
    let (mut mir_x, mut mir_z, mut rota) = (0, 0, 0);
    if x > SQRT3_2 + 1.5 {
        x -= SQRT3_2 + 1.5;
        z += if z < SQRT3 + 1.0 {
            SQRT3_2 + 0.5
        } else {
            -(SQRT3_2 + 0.5)
        };
    }
    if z > SQRT3 + 1.0 {
        z -= SQRT3 + 1.0;
    }
    if z > 0.5 + SQRT3_2 {
        z = SQRT3 + 1.0 - z;
        mir_z = 1 - mir_z;
    }
    if x > 1.0 + SQRT3_2 {
        x = SQRT3 + 2.0 - x;
        mir_x = 1 - mir_x;
    }
    if SQRT3 * x + z < SQRT3_2 + 2.0 && x < 0.5 + SQRT3_2 {
        // Turn the lower part by 60° about the cell's centre.
        let cx = x - (1.0 + SQRT3_2);
        let cz = z - (0.5 + SQRT3_2);
        x = (cx / 2.0 - cz * SQRT3_2) + (1.0 + SQRT3_2);
        z = (cz / 2.0 + cx * SQRT3_2) + (0.5 + SQRT3_2);
        rota = 1 - rota;
        if z < 0.0 {
            z = -z;
        }
        if x > 1.0 + SQRT3_2 {
            x = SQRT3 + 2.0 - x;
            mir_x = 1 - mir_x;
            mir_z = 1 - mir_z;
        }
    }
    if SQRT3 * x + z >= SQRT3_2 + 2.0 && z >= 0.5 {
        let z = (z - 0.5).abs();
        let x = (x - SQRT3_2).abs();
        let d1 = 2.0 * z * SQRT3;
        let d2 = (SQRT3 * x + z) * SQRT3 - 1.5;
        return if six {
            (6.0 - d1.min(d2)).max(5.000_001) / 6.0
        } else {
            (3.0 - d1.min(d2)).max(2.000_000_1) / 3.0
        };
    }
    if z >= 0.5 {
        return 0.0;
    }
    if x > SQRT3_2 + 0.5 {
        let x = x - (SQRT3_2 + 0.5);
        let z = z - 0.5;
        let d1 = (1.0 + z * 2.0 * SQRT3).max(0.0);
        let d2 = (1.0 - x * 2.0 * SQRT3).max(0.0);
        if six {
            let band = f64::from(rota) * (1.000_001 + f64::from((mir_x + mir_z) % 2));
            (d1.max(d2) + band) / 6.0
        } else {
            d1.max(d2) / 3.0
        }
    } else {
        let x = (x - (SQRT3_2 + 0.5)).abs();
        let d2 = (SQRT3 * z + x) * SQRT3 + 0.5;
        let d1 = 2.0 - x * 2.0 * SQRT3;
        let m = d1.max(d2);
        if !six {
            m / 3.0
        } else if (rota + mir_x) % 2 != 0 {
            (2.0 + m) / 6.0
        } else {
            (3.0 + m) / 6.0
        }
    }
}

fn rectangle_pair(x: f64, z: f64) -> f64 {
    let mut x = wrap(x, 4.0);
    let mut z = wrap(z, 4.0);
    let (dx, dz, vertical) = match x as i32 + (z as i32) * 4 {
        0 | 4 => (0.0, 1.0, true),
        1 | 5 => (1.0, 1.0, true),
        2 | 3 => (3.0, 0.0, false),
        6 | 7 => (3.0, 1.0, false),
        8 | 9 => (1.0, 2.0, false),
        12 | 13 => (1.0, 3.0, false),
        10 | 14 => (2.0, 3.0, true),
        11 | 15 => (3.0, 3.0, true),
        _ => (0.0, 0.0, true),
    };
    x -= dx;
    z -= dz;
    let delta = if vertical { 1.0 } else { 0.0 };
    ((brick_measure(x, z, vertical) + delta) / 2.0).abs()
}

/// Tilings 19 and 20: hexagons among triangles, turning right or left.
fn hexa_tri(x: f64, z: f64, right: bool) -> f64 {
    // POV-Ray's integer arithmetic: truncations, not floors.
    let mut zzof = (z / SQRT3_2) as i32 / 3;
    if z < 0.0 {
        zzof -= 1;
    }
    let shift = f64::from(zzof) / 2.0;
    let mut x = if right { x + shift } else { x - shift };
    let mut z = wrap(z, 3.0 * SQRT3_2);
    x = wrap(x + 7.0, 7.0);
    if right {
        if x > 4.5 && z > SQRT3 {
            x -= 4.5;
            z -= SQRT3_2;
        }
        if x > 5.0 && z < SQRT3_2 {
            x -= 5.0;
            z += SQRT3;
        }
        if x > 2.5 && z < SQRT3 {
            x -= 2.5;
            z += SQRT3_2;
        }
    } else {
        if x > 2.0 && z < SQRT3_2 {
            x -= 2.0;
            z += SQRT3;
        }
        if x > 4.5 && z < SQRT3 {
            x -= 4.5;
            z += SQRT3_2;
        }
        if x > 2.5 && z > SQRT3 {
            x -= 2.5;
            z -= SQRT3_2;
        }
    }
    let mut delta = 0;
    let mut row = (z / SQRT3_2) as i32;
    if row == 2 {
        row = 1;
        z = 2.0 * SQRT3 - z;
        delta = 1 - delta;
    }
    if row == 0 || x > 2.0 || z + SQRT3 * x < SQRT3 || SQRT3 * x - z > SQRT3 {
        let mut x = x - x.floor();
        let mut z = wrap(z, SQRT3);
        if z > SQRT3_2 {
            z = SQRT3 - z;
            delta = 1 - delta;
        }
        if x > 0.5 {
            x = 1.0 - x;
        }
        fold_triangle(&mut x, &mut z, &mut delta);
        let d1 = 1.0 - z * 2.0 * SQRT3;
        let d2 = 1.0 - (SQRT3 * x - z) * SQRT3;
        (f64::from(delta) + d1.max(d2)) / 3.0
    } else {
        let z = z - SQRT3_2;
        let x = if x > 1.0 { 2.0 - x } else { x };
        let d1 = 2.0 + 2.0 * (z * SQRT3);
        let d2 = 2.0 + 2.0 * (SQRT3 * x + z - SQRT3_2) * SQRT3_2;
        (5.0 - d1.min(d2)).max(2.000_001) / 3.0
    }
}

fn square_tri(x: f64, z: f64) -> f64 {
    let period = 1.0 + SQRT3;
    let half = 0.5 + SQRT3_2;
    let mut x = wrap(x, period);
    let mut z = wrap(z, period);
    let (mut delta, mut beta) = (0, 0);
    if z > half {
        z = period - z;
        delta = 1 - delta;
    }
    if x > half {
        x = period - x;
        delta = 1 - delta;
        beta = 1;
    }
    let xflop = 2.0 * x + (SQRT3 - 1.0) * 2.0 * z / (SQRT3 + 1.0) > SQRT3;
    let zflop = 2.0 * z * SQRT3 + (SQRT3 - 3.0) * 2.0 * x / (SQRT3 + 1.0) > SQRT3;
    let gamma = match (xflop, zflop) {
        (false, false) => 2 * beta,
        (true, false) => {
            let t = x;
            x = z;
            z = half - t;
            if beta != 0 {
                1 + 2 * delta
            } else {
                3 - 2 * delta
            }
        }
        (false, true) => {
            let t = z;
            z = x;
            x = half - t;
            if beta != 0 {
                3 - 2 * delta
            } else {
                1 + 2 * delta
            }
        }
        (true, true) => {
            x = half - x;
            z = half - z;
            if beta != 0 {
                0
            } else {
                2
            }
        }
    };
    if x == 0.0 {
        z = 0.0;
        x = 0.0;
    }
    let s = z * 2.0 * SQRT3 - SQRT3 + x * 2.0;
    if s < 0.0 {
        let d1 = -1.5 / SQRT3 * s;
        let d2 = 2.0 * x * SQRT3;
        (f64::from(gamma) + 1.0 - d1.min(d2)) / 6.0
    } else {
        let s = (s * 1.5 / SQRT3).min(1.0);
        if delta != 0 {
            ((6.0 - s) / 6.0).clamp(5.000_001 / 6.0, 1.0)
        } else {
            ((5.0 - s) / 6.0).clamp(4.000_001 / 6.0, 5.0 / 6.0)
        }
    }
}

fn dodeca_tri(x: f64, z: f64) -> f64 {
    let mut x = wrap(x, 2.0 + SQRT3);
    let mut z = wrap(z, 3.0 + 2.0 * SQRT3);
    let mut toggle = 0;
    if z > SQRT3 + 1.5 {
        z -= SQRT3 + 1.5;
        x += if x < 1.0 + SQRT3_2 { 1.0 } else { -1.0 } * (1.0 + SQRT3_2);
    }
    if x > 1.0 + SQRT3_2 {
        x = 2.0 + SQRT3 - x;
    }
    if z > 1.0 + SQRT3_2 {
        z = 2.0 + SQRT3 - z;
        toggle = 1 - toggle;
    }
    let mut d2 = x - SQRT3_2 - 0.5 + z * SQRT3;
    if d2 < 0.0 {
        let (tx, tz) = (x, z);
        x = (1.0 + SQRT3) / 4.0 + 0.5 * tx - SQRT3_2 * tz;
        z = (3.0 + SQRT3) / 4.0 - SQRT3_2 * tx - 0.5 * tz;
        d2 = -d2;
    }
    let d1 = z * 3.0;
    let d3 = (z - SQRT3_2 - 0.5 + x * SQRT3) * SQRT3;
    let d2 = d2 * SQRT3;
    let d4 = x * 3.0;
    if d3 < 0.0 {
        (d3.max(-1.0) + 1.0 + f64::from(toggle)) / 3.0
    } else {
        let m = d1.min(d2).min(d3).min(d4).min(1.0);
        (3.000_000_1 - m) / 3.0
    }
}

/// Tilings 23 and 24: dodecagons, hexagons and squares; with `five`, the two
/// orientations of square get bands of their own (5 bands, else 3).
fn dodeca_hex(x: f64, z: f64, five: bool) -> f64 {
    let mut x = wrap(x, 3.0 + SQRT3);
    let mut z = wrap(z, 3.0 + 3.0 * SQRT3);
    let (mut mir_x, mut mir_z) = (0, 0);
    if z > 1.5 * SQRT3 + 1.5 {
        z -= 1.5 * SQRT3 + 1.5;
        x += if x < 1.5 + SQRT3_2 { 1.0 } else { -1.0 } * (1.5 + SQRT3_2);
    }
    if x > 1.5 + SQRT3_2 {
        x = 3.0 + SQRT3 - x;
        mir_x = 1 - mir_x;
    }
    if z > 1.0 + SQRT3 {
        z = 2.0 + 2.0 * SQRT3 - z;
        mir_z = 1 - mir_z;
    }
    if x - SQRT3_2 - 1.5 + z * SQRT3 < 0.0 {
        let (tx, tz) = (x, z);
        x = (3.0 + SQRT3) / 4.0 + 0.5 * tx - SQRT3_2 * tz;
        z = (3.0 + 3.0 * SQRT3) / 4.0 - SQRT3_2 * tx - 0.5 * tz;
    }
    let d2 = x - SQRT3_2 - 2.5 + z * SQRT3;
    let d1 = z * 2.0 - SQRT3;
    let d3 = z - 1.5 * SQRT3 - 0.5 + x * SQRT3;
    let d4 = (x - 0.5) * 2.0;
    let bands = if five { 5.0 } else { 3.0 };
    let v = if d2 >= 0.0 && d1 >= 0.0 && d3 >= 0.0 && d4 >= 0.0 {
        let m = d1.min(d2).min(d3).min(d4).min(1.0);
        if five {
            5.000_001 - m
        } else {
            3.000_001 - m
        }
    } else {
        let d5 = 2.0 * z - 2.0 * SQRT3 - 1.0;
        if d5 >= 0.0 {
            2.0 - d5.min(-d4)
        } else {
            let d6 = SQRT3 * x - z - SQRT3_2 + 0.5;
            let d7 = d6 - 2.0;
            match (d6 >= 0.0, d7 >= 0.0) {
                // Left hexagon.
                (false, false) => 1.0 - (-d6).min(-d3).min(-d5).min(1.0),
                // Bottom hexagon.
                (true, true) => 1.0 - d7.min(-d1).min(1.0),
                // The slanted square (d6 < 0 with d7 >= 0 cannot happen).
                _ => {
                    let m = d6.min(-d2).min(-d7);
                    if five {
                        f64::from((mir_z + mir_x) % 2) + 3.0 - m
                    } else {
                        2.0 - m
                    }
                }
            }
        }
    };
    v / bands
}

mod penrose;

#[cfg(test)]
mod tests;
