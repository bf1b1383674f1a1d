//! Tilings 25-27: Penrose's P1 (pentagons, stars, boats, diamonds), P2 (kites and
//! darts) and P3 (rhombs), found by deflating the point down to the tile it lies
//! in: the depth is chosen from the point's distance to the centre, then each
//! step maps the point into the sub-tile it falls in, scaled by the golden ratio.

const SIN18: f64 = 0.309_016_994_374_947_4;
const SIN36: f64 = 0.587_785_252_292_473_1;
const SIN54: f64 = 0.809_016_994_374_947_4;
const SIN72: f64 = 0.951_056_516_295_153_5;
const SIN108: f64 = SIN72;
const SIN144: f64 = SIN36;
const SIN162: f64 = SIN18;
const COS18: f64 = SIN72;
const COS36: f64 = SIN54;
const COS72: f64 = SIN18;
const COS108: f64 = -COS72;
const COS144: f64 = -COS36;
const COS162: f64 = -COS18;
const TAN18: f64 = 0.324_919_696_232_906_3;
const TAN36: f64 = 0.726_542_528_005_360_9;
const TAN54: f64 = 1.376_381_920_471_173_5;
const TAN72: f64 = 3.077_683_537_175_253_4;
const TAN108: f64 = -TAN72;
const TAN126: f64 = -TAN54;
const TAN144: f64 = -TAN36;
const TAN162: f64 = -TAN18;
const PHI: f64 = 1.618_033_988_749_895;
const INVPHI: f64 = 0.618_033_988_749_894_8;
const SQRPHI: f64 = 2.618_033_988_749_895;
const INVSQRPHI: f64 = 0.381_966_011_250_105_1;

/// Keeps the tiles' bands from touching.
const BAND_GAP: f64 = 1e-6;
/// Below this distance from the centre the value is 1 (POV-Ray's EPSILON).
const CENTRE: f64 = 1e-10;
/// POV-Ray's empirical scale of the edge distance of P2 tiles.
const KITE_EDGE: f64 = 4.46;
/// The same for P3 and P1 tiles.
const RHOMB_EDGE: f64 = 5.55;

fn max3(a: f64, b: f64, c: f64) -> f64 {
    a.max(b).max(c)
}

/// `(x, z)` turned by the angle of cosine `c` and sine `s` (clockwise in x-z).
fn turn(x: f64, z: f64, c: f64, s: f64) -> (f64, f64) {
    (x * c + z * s, z * c - x * s)
}

/// Folds a point into the wedge of a five-fold star around the x axis, `r` its
/// distance from the centre.
fn pentagon_fold(x: f64, z: f64, r: f64) -> (f64, f64) {
    let z = z.abs();
    if x >= r * COS36 {
        return (x, z);
    }
    let (c, s) = if x < r * COS108 {
        (COS144, SIN144)
    } else {
        (COS72, SIN72)
    };
    let (x, z) = turn(x, z, c, s);
    (x, z.abs())
}

fn pentagon_fold_here(x: f64, z: f64) -> (f64, f64) {
    pentagon_fold(x, z, (x * x + z * z).sqrt())
}

/// Tilings 26 (kites and darts, `rhombs` false) and 27 (rhombs).
pub(super) fn p2_p3(x: f64, z: f64, rhombs: bool) -> f64 {
    let r = (x * x + z * z).sqrt();
    if r <= CENTRE {
        return 1.0;
    }
    let (mut x, mut z) = pentagon_fold(x, z, r);
    if rhombs {
        x *= INVPHI;
        z *= INVPHI;
    }
    let dist = (SIN108 * x - COS108 * z).abs() / COS18;
    let depth = ((dist.ln() / SQRPHI.ln()).ceil() as i32).max(0);
    let shrink = INVSQRPHI.powf(f64::from(depth));
    x *= shrink;
    z *= shrink;
    if depth % 2 != 0 {
        let (rx, rz) = turn(x, z, COS36, SIN36);
        x = rx;
        z = rz.abs();
    }
    half_kite(x, z, depth * 2, rhombs)
}

fn half_kite(x: f64, z: f64, depth: i32, rhombs: bool) -> f64 {
    let z = z.abs();
    if depth > 0 {
        if z < (x - INVPHI) * TAN144 {
            return half_dart(x * PHI, z * PHI, depth - 1, rhombs);
        }
        let (x, z) = (x - COS36, z - SIN36);
        let (rx, rz) = (x * COS108 - z * SIN108, z * COS108 + x * SIN108);
        return half_kite(rx * PHI, rz * PHI, depth - 1, rhombs);
    }
    if rhombs {
        if z < (x - INVPHI) * TAN72 {
            let d1 = (SIN72 * (x - INVPHI) - COS72 * z).abs() * RHOMB_EDGE;
            let d2 = (SIN108 * (x - 1.0) - COS108 * z).abs() * RHOMB_EDGE;
            max3(1.0 - d1 / 2.0, 1.0 - d2 / 2.0, 0.5 + BAND_GAP)
        } else {
            let d1 = z.abs() * RHOMB_EDGE;
            let d2 = (SIN72 * (x - INVPHI) - COS72 * z).abs() * RHOMB_EDGE;
            max3(0.5 - d1 / 2.0, 0.5 - d2 / 2.0, 0.0).min(0.5 - BAND_GAP)
        }
    } else {
        let d1 = (SIN36 * x - COS36 * z).abs() * KITE_EDGE;
        let d2 = (SIN108 * (x - 1.0) - COS108 * z).abs() * KITE_EDGE;
        max3(0.5 - d1 / 2.0, 0.5 - d2 / 2.0, 0.0).min(0.5 - BAND_GAP)
    }
}

fn half_dart(x: f64, z: f64, depth: i32, rhombs: bool) -> f64 {
    let z = z.abs();
    if depth > 0 {
        if z < (x - INVPHI) * TAN108 {
            let (rx, rz) = turn(x, z, COS36, SIN36);
            return half_kite(rx * PHI, rz * PHI, depth - 1, rhombs);
        }
        let (rx, rz) = turn(x - 1.0, z, COS144, SIN144);
        return half_dart(rx * PHI, rz * PHI, depth - 1, rhombs);
    }
    if rhombs {
        let d1 = (SIN36 * x - COS36 * z).abs() * RHOMB_EDGE;
        let d2 = (SIN144 * (x - 1.0) - COS144 * z).abs() * RHOMB_EDGE;
        max3(0.5 - d1 / 2.0, 0.5 - d2 / 2.0, 0.0).min(0.5 - BAND_GAP)
    } else {
        let d1 = z.abs() * KITE_EDGE;
        let d2 = (SIN144 * (x - 1.0) - COS144 * z).abs() * KITE_EDGE;
        max3(1.0 - d1 / 2.0, 1.0 - d2 / 2.0, 0.5 + BAND_GAP)
    }
}

/// Tiling 25: Penrose's P1, a pentagon at the centre; six bands (three
/// pentagons, star, boat, diamond).
pub(super) fn p1(x: f64, z: f64) -> f64 {
    let r = (x * x + z * z).sqrt();
    if r <= CENTRE {
        return 1.0;
    }
    let (x, z) = pentagon_fold(x, z, r);
    let dist = x * 2.0 * TAN36;
    let depth = ((dist.ln() / (SQRPHI * SQRPHI).ln()).ceil() as i32).max(0);
    let shrink = (INVSQRPHI * INVSQRPHI).powf(f64::from(depth));
    pentagon1(x * shrink, z * shrink, depth * 4)
}

/// The edge distance of a pentagon folded into its wedge.
fn pentagon_dist(x: f64) -> f64 {
    (x - 0.5 / TAN36).abs() * RHOMB_EDGE * INVPHI
}

/// The value of band `k` (1..=6) of six at edge distance `dist`.
fn band(k: f64, dist: f64) -> f64 {
    let low = if k > 1.0 {
        (k - 1.0) / 6.0 + BAND_GAP
    } else {
        0.0
    };
    (k / 6.0 - dist / 6.0).max(low).min(k / 6.0 - BAND_GAP)
}

fn pentagon1(x: f64, z: f64, depth: i32) -> f64 {
    let (x, z) = pentagon_fold_here(x, z.abs());
    if depth == 0 {
        return band(1.0, pentagon_dist(x));
    }
    if z < (x - 0.5 / TAN36) * TAN54 + 0.5 {
        let rx = x - 0.5 / TAN36 - INVPHI * 0.5 * COS72 / SIN36;
        pentagon2(rx * PHI, z * PHI, depth - 1, false)
    } else {
        let (rx, rz) = turn(x, z, COS36, SIN36);
        star(rx * PHI, rz * PHI, depth - 1)
    }
}

fn pentagon2(x: f64, z: f64, depth: i32, inside_quad: bool) -> f64 {
    let z = z.abs();
    if depth <= 0 {
        let (x, _) = pentagon_fold_here(x, z);
        return band(2.0, pentagon_dist(x));
    }
    if inside_quad {
        if z < (x - INVSQRPHI * 0.5 / SIN36) * TAN54 {
            pentagon1((x - 0.5 / SIN36) * PHI, z * PHI, depth - 1)
        } else if z < (x - INVSQRPHI * 0.5 / SIN36) * TAN162 {
            diamond(-x * PHI, z * PHI, depth - 1, true)
        } else {
            let rx = x * COS108 - z * SIN108 + INVPHI * 0.5 / SIN36;
            let rz = z * COS108 + x * SIN108;
            pentagon2(rx * PHI, rz * PHI, depth - 1, true)
        }
    } else if z < (x + 0.5 / SIN36) * TAN18 {
        let rx = x + 0.5 / SIN36 - INVSQRPHI * 0.5 / SIN36;
        diamond(rx * PHI, z * PHI, depth - 1, false)
    } else {
        let rx = -(x * COS36 + z * SIN36) - COS72 * 0.5 / SIN36;
        let rz = (z * COS36 - x * SIN36) - SIN72 * 0.5 / SIN36;
        pentagon3(rx * PHI, rz * PHI, depth - 1, false)
    }
}

fn pentagon3(x: f64, z: f64, depth: i32, inside_wedge: bool) -> f64 {
    let z = z.abs();
    if depth <= 0 {
        let (x, _) = pentagon_fold_here(x, z);
        return band(3.0, pentagon_dist(x));
    }
    if inside_wedge && x > INVSQRPHI * 0.5 * COS72 / SIN36 {
        let rx = -(x - INVSQRPHI * 0.5 * COS72 / SIN36 - INVPHI * 0.5 / TAN36);
        pentagon2(rx * PHI, z * PHI, depth - 1, true)
    } else if !inside_wedge && x < 0.5 * COS108 / SIN36 {
        let rx = x * COS144 + z * SIN144 - 0.5 / SIN36;
        let rz = z * COS144 - x * SIN144;
        pentagon2(rx * PHI, rz * PHI, depth - 1, false)
    } else if !inside_wedge && z > (x - INVSQRPHI * 0.5 / SIN36) * TAN126 {
        let rx = -(x * COS36 - z * SIN36) - COS72 * 0.5 / SIN36;
        let rz = (z * COS36 + x * SIN36) - SIN72 * 0.5 / SIN36;
        pentagon3(rx * PHI, rz * PHI, depth - 1, false)
    } else {
        boat(x * PHI, z * PHI, depth - 1, inside_wedge)
    }
}

/// The edge distance of a star point or a boat's side.
fn star_dist(x: f64, z: f64) -> f64 {
    (SIN162 * (x - PHI * 0.5 / SIN36) - COS162 * z).abs() * RHOMB_EDGE * INVPHI
}

fn star(x: f64, z: f64, depth: i32) -> f64 {
    let z = z.abs();
    if depth <= 0 {
        return band(4.0, star_dist(x, z));
    }
    if x < INVPHI * 0.5 / TAN36 {
        pentagon1(x * PHI, z * PHI, depth - 1)
    } else {
        let rx = -(x - INVPHI / TAN36);
        pentagon3(rx * PHI, z * PHI, depth - 1, true)
    }
}

fn boat(x: f64, z: f64, depth: i32, inside_wedge: bool) -> f64 {
    let z = z.abs();
    if depth <= 0 {
        let d1 = (x - INVPHI * 0.5 * COS72 / SIN36).abs() * RHOMB_EDGE * INVPHI;
        let (fx, fz) = pentagon_fold_here(-x, z);
        let d2 = star_dist(fx, fz);
        return max3(
            5.0 / 6.0 - d1 / 6.0,
            5.0 / 6.0 - d2 / 6.0,
            4.0 / 6.0 + BAND_GAP,
        )
        .min(5.0 / 6.0 - BAND_GAP);
    }
    if inside_wedge && x > PHI * 0.5 * COS108 / SIN36 {
        return pentagon1(-x * PHI, z * PHI, depth - 1);
    }
    let (rx, rz) = if inside_wedge {
        (x, z)
    } else {
        (x * COS72 - z * SIN72, z * COS72 + x * SIN72)
    };
    pentagon3((rx + 0.5 / SIN36) * PHI, rz * PHI, depth - 1, true)
}

fn diamond(x: f64, z: f64, depth: i32, side_a: bool) -> f64 {
    let z = z.abs();
    if depth <= 0 {
        let dist = (SIN18 * (x + INVPHI * 0.5 / SIN36) - COS18 * z).abs() * RHOMB_EDGE * INVPHI;
        return band(6.0, dist);
    }
    if side_a {
        pentagon1(x * PHI, z * PHI, depth - 1)
    } else {
        pentagon3(x * PHI, z * PHI, depth - 1, true)
    }
}
