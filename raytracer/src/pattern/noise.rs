//! POV-Ray 3.7's noise functions: the original lattice noise (generators 1 and 2)
//! with its vector twin `DNoise`, and Perlin's gradient noise (generator 3).
//!
//! Matching POV-Ray image for image needs its exact pseudo-random tables, so they
//! are rebuilt here from the procedures that originally produced them:
//!
//! * the 4096-entry permutation ("hash table") is a Fisher–Yates style shuffle
//!   driven by the classic `next = next * 1812433253 + 12345` 32-bit generator
//!   seeded with 0;
//! * the 267 random lattice coefficients are, for each `i`, the CRC-16 (ARC) of the
//!   big-endian bytes of the vector `(0.12345 i, 0.12345 i, 0.12345 i)` scaled to
//!   `[-1, 1]` and rounded to six significant digits — the form in which POV-Ray
//!   3.7 carries the table;
//! * Perlin's gradients and permutation come from the same generator seeded with 1.
//!
//! Every table is built once, on first use, into a `LazyLock` static; evaluation
//! allocates nothing.

use std::sync::LazyLock;

use glam::DVec3;

use super::NoiseGenerator;

/// Lattice offset keeping the lattice coordinates positive before masking.
const MIN_LATTICE: i32 = -10000;
/// POV-Ray's `EPSILON`, used by the floor of negative coordinates.
const EPSILON: f64 = 1.0e-10;
/// Number of random lattice coefficients.
const COEFF_COUNT: usize = 267;
/// Entries of Perlin's gradient table (a power of two: indices are masked).
const PERLIN_ENTRIES: usize = 2048;
/// Shifts Perlin's lattice far from the origin so negative inputs floor cleanly.
const PERLIN_ROLLOVER: f64 = 10_000_000.023_157_213;

/// The 32-bit linear congruential generator POV-Ray uses for its tables.
struct TableRng(i32);

impl TableRng {
    /// Next value in `0..=0x7FFF`.
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(1_812_433_253).wrapping_add(12_345);
        ((self.0 >> 16) & 0x7FFF) as usize
    }
}

/// Number of corner coefficient sets: a corner's set starts at its hash
/// (0..=255) plus 0, 4 or 8 for the x, y and z components of `DNoise`.
const QUAD_COUNT: usize = 256 + 8;

/// Tables of the original noise.
struct LatticeTables {
    /// The permutation, repeated twice so `hash[a] ^ b` never needs a mask.
    hash: [u16; 8192],
    /// The four random coefficients (in `[-1, 1]`) of the set starting at each
    /// index — half the constant term, then the x, y and z slopes.
    quad: [[f64; 4]; QUAD_COUNT],
    /// The same coefficients arranged for `DNoise`: for each hash, row `r`
    /// holds coefficient `r` of the x, y and z sets (`quad[m]`, `quad[m + 4]`,
    /// `quad[m + 8]`) side by side, so the three components are computed lane by
    /// lane with identical arithmetic.
    triple: [[[f64; 4]; 4]; 256],
}

static LATTICE: LazyLock<LatticeTables> = LazyLock::new(|| {
    let coeff = build_coefficients();
    let mut quad = [[0.0; 4]; QUAD_COUNT];
    for (m, q) in quad.iter_mut().enumerate() {
        *q = [coeff[m] * 0.5, coeff[m + 1], coeff[m + 2], coeff[m + 3]];
    }
    let mut triple = [[[0.0; 4]; 4]; 256];
    for (m, rows) in triple.iter_mut().enumerate() {
        for (r, row) in rows.iter_mut().enumerate() {
            *row = [quad[m][r], quad[m + 4][r], quad[m + 8][r], 0.0];
        }
    }
    LatticeTables {
        hash: build_hash_table(),
        quad,
        triple,
    }
});

fn build_hash_table() -> [u16; 8192] {
    let mut hash = [0u16; 8192];
    for (i, h) in hash.iter_mut().take(4096).enumerate() {
        *h = i as u16;
    }
    let mut rng = TableRng(0);
    for i in (0..4096).rev() {
        let j = rng.next() % 4096;
        hash.swap(i, j);
    }
    hash.copy_within(0..4096, 4096);
    hash
}

/// CRC-16/ARC (reflected polynomial 0xA001, initial value 0).
fn crc16(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0u16, |crc, &b| {
        let mut c = (crc ^ u16::from(b)) & 0xFF;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xA001
            } else {
                c >> 1
            };
        }
        (crc >> 8) ^ c
    })
}

fn build_coefficients() -> [f64; COEFF_COUNT] {
    let mut coeff = [0.0; COEFF_COUNT];
    for (i, c) in coeff.iter_mut().enumerate() {
        let v = i as f64 * 0.12345;
        let mut bytes = [0u8; 24];
        for chunk in bytes.chunks_exact_mut(8) {
            chunk.copy_from_slice(&v.to_be_bytes());
        }
        let raw = f64::from(crc16(&bytes)) * (2.0 / 65535.0) - 1.0;
        *c = round_significant(raw);
    }
    coeff
}

/// Rounds to six significant decimal digits (table build only, so the string
/// round trip is fine: it gives exactly the correctly rounded decimal).
fn round_significant(x: f64) -> f64 {
    format!("{x:.5e}").parse().unwrap_or(x)
}

/// One axis of the lattice: the masked cell index and the offset inside the cell.
#[inline(always)]
fn lattice_axis(x: f64) -> (usize, f64) {
    // Truncation toward zero, nudged down for negative values, as POV-Ray does.
    let cell = if x >= 0.0 {
        x as i32
    } else {
        (x - (1.0 - EPSILON)) as i32
    };
    let index = (cell.wrapping_sub(MIN_LATTICE) & 0xFFF) as usize;
    (index, x - f64::from(cell))
}

#[inline(always)]
fn s_curve(a: f64) -> f64 {
    a * a * (3.0 - 2.0 * a)
}

/// Shared lattice set-up of `Noise` and `DNoise`: the coefficient offsets of the
/// eight corners (index bits x = 1, y = 2, z = 4), the point's offsets from the
/// low and the high corner, and the corners' interpolation weights.
struct Cell {
    corner: [usize; 8],
    lo: [f64; 3],
    hi: [f64; 3],
    weight: [f64; 8],
}

/// Masks keep indices visibly in range so the compiler drops bounds checks;
/// they never change a value (the table entries are below 4096 and the lattice
/// indices at most 4096).
const HASH_MASK: usize = 8191;

/// The permutation applied along three integer coordinates (each taken modulo
/// 4096): POV-Ray's 3-D lattice hash, in `0..4096`.
pub(super) fn lattice_hash(x: i32, y: i32, z: i32) -> usize {
    let h = &LATTICE.hash;
    let step = |acc: usize, c: i32| usize::from(h[(acc ^ (c & 0xFFF) as usize) & HASH_MASK]);
    step(step(step(0, x), y), z)
}

/// Entry `i` (taken modulo 4096) of POV-Ray's noise permutation, which its
/// anti-aliasing jitter hashes sample positions through as well.
pub(crate) fn hash_entry(i: usize) -> u16 {
    LATTICE.hash[i & 0xFFF]
}

#[inline(always)]
fn cell_at(t: &LatticeTables, p: DVec3) -> Cell {
    let (ix, fx) = lattice_axis(p.x);
    let (iy, fy) = lattice_axis(p.y);
    let (iz, fz) = lattice_axis(p.z);
    let (sx, sy, sz) = (s_curve(fx), s_curve(fy), s_curve(fz));
    let (tx, ty, tz) = (1.0 - sx, 1.0 - sy, 1.0 - sz);
    let hash = |i: usize| usize::from(t.hash[i & HASH_MASK]);
    let xy = |a: usize, b: usize| hash(hash(a) ^ b);
    let (h00, h10, h01, h11) = (
        xy(ix, iy),
        xy(ix + 1, iy),
        xy(ix, iy + 1),
        xy(ix + 1, iy + 1),
    );
    let c = |hxy: usize, z: usize| hash(hxy ^ z) & 0xFF;
    let (txty, sxty, txsy, sxsy) = (tx * ty, sx * ty, tx * sy, sx * sy);
    Cell {
        corner: [
            c(h00, iz),
            c(h10, iz),
            c(h01, iz),
            c(h11, iz),
            c(h00, iz + 1),
            c(h10, iz + 1),
            c(h01, iz + 1),
            c(h11, iz + 1),
        ],
        lo: [fx, fy, fz],
        hi: [fx - 1.0, fy - 1.0, fz - 1.0],
        weight: [
            txty * tz,
            sxty * tz,
            txsy * tz,
            sxsy * tz,
            txty * sz,
            sxty * sz,
            txsy * sz,
            sxsy * sz,
        ],
    }
}

/// The weighted linear term of one corner, in POV-Ray's operand order so that
/// results agree to the last bit.
#[inline(always)]
fn corner_term(q: &[f64; 4], s: f64, (x, y, z): (f64, f64, f64)) -> f64 {
    s * (q[0] + q[1] * x + q[2] * y + q[3] * z)
}

/// Raw original noise, roughly in `[-1.05, 1]`.
#[inline]
fn lattice_noise(p: DVec3) -> f64 {
    let t = &*LATTICE;
    let c = cell_at(t, p);
    let [x0, y0, z0] = c.lo;
    let [x1, y1, z1] = c.hi;
    let q = |k: usize| &t.quad[c.corner[k] & 0xFF];
    let w = c.weight;
    let mut sum = corner_term(q(0), w[0], (x0, y0, z0));
    sum += corner_term(q(1), w[1], (x1, y0, z0));
    sum += corner_term(q(2), w[2], (x0, y1, z0));
    sum += corner_term(q(3), w[3], (x1, y1, z0));
    sum += corner_term(q(4), w[4], (x0, y0, z1));
    sum += corner_term(q(5), w[5], (x1, y0, z1));
    sum += corner_term(q(6), w[6], (x0, y1, z1));
    sum += corner_term(q(7), w[7], (x1, y1, z1));
    sum
}

/// Scalar noise at `p` for the given generator, in `[0, 1]`.
pub fn noise(p: DVec3, gen: NoiseGenerator) -> f64 {
    let value = match gen {
        NoiseGenerator::Perlin => 0.5 * (1.59 * perlin_noise(p) + 0.985),
        // The measured range of the raw sum is [-1.05242, 0.988997]; stretch it.
        NoiseGenerator::RangeCorrected => (lattice_noise(p) + 1.05242) * 0.489_855_82,
        NoiseGenerator::Original => lattice_noise(p) + 0.5,
    };
    value.clamp(0.0, 1.0)
}

/// Adds one corner's contribution to the three components of `DNoise`, lane
/// by lane (the fourth lane is padding).
#[inline(always)]
fn add_corner(acc: &mut [f64; 4], rows: &[[f64; 4]; 4], s: f64, (dx, dy, dz): (f64, f64, f64)) {
    for (lane, a) in acc.iter_mut().enumerate() {
        *a += s * (rows[0][lane] + rows[1][lane] * dx + rows[2][lane] * dy + rows[3][lane] * dz);
    }
}

/// Vector noise at `p` (POV-Ray's `DNoise`; the same for every generator), each
/// component roughly in `[-1, 1]`.
pub fn dnoise(p: DVec3) -> DVec3 {
    let t = &*LATTICE;
    let c = cell_at(t, p);
    let [x0, y0, z0] = c.lo;
    let [x1, y1, z1] = c.hi;
    let rows = |k: usize| &t.triple[c.corner[k] & 0xFF];
    let w = c.weight;
    let mut acc = [0.0f64; 4];
    // POV-Ray's DNoise visits the corners in this order (unlike Noise), which
    // matters for the last bits of the sums.
    add_corner(&mut acc, rows(0), w[0], (x0, y0, z0));
    add_corner(&mut acc, rows(1), w[1], (x1, y0, z0));
    add_corner(&mut acc, rows(3), w[3], (x1, y1, z0));
    add_corner(&mut acc, rows(2), w[2], (x0, y1, z0));
    add_corner(&mut acc, rows(6), w[6], (x0, y1, z1));
    add_corner(&mut acc, rows(7), w[7], (x1, y1, z1));
    add_corner(&mut acc, rows(5), w[5], (x1, y0, z1));
    add_corner(&mut acc, rows(4), w[4], (x0, y0, z1));
    DVec3::new(acc[0], acc[1], acc[2])
}

/// The x component of [`dnoise`] alone, to the last bit: for callers that
/// read nothing else (marble under a turbulence warp), a third of the work.
pub fn dnoise_x(p: DVec3) -> f64 {
    let t = &*LATTICE;
    let c = cell_at(t, p);
    let [x0, y0, z0] = c.lo;
    let [x1, y1, z1] = c.hi;
    // The x coefficients of a corner are lane 0 of its DNoise rows, the set
    // `quad[m]`; the corners come in DNoise's order and the sum starts at zero.
    let q = |k: usize| &t.quad[c.corner[k] & 0xFF];
    let w = c.weight;
    let mut acc = 0.0;
    acc += corner_term(q(0), w[0], (x0, y0, z0));
    acc += corner_term(q(1), w[1], (x1, y0, z0));
    acc += corner_term(q(3), w[3], (x1, y1, z0));
    acc += corner_term(q(2), w[2], (x0, y1, z0));
    acc += corner_term(q(6), w[6], (x0, y1, z1));
    acc += corner_term(q(7), w[7], (x1, y1, z1));
    acc += corner_term(q(5), w[5], (x1, y0, z1));
    acc += corner_term(q(4), w[4], (x0, y0, z1));
    acc
}

/// Perlin's tables: gradient vectors on the unit sphere and a permutation.
struct PerlinTables {
    perm: [usize; 2 * (PERLIN_ENTRIES + 1)],
    grad: [DVec3; 2 * (PERLIN_ENTRIES + 1)],
}

static PERLIN: LazyLock<Box<PerlinTables>> = LazyLock::new(build_perlin);

fn build_perlin() -> Box<PerlinTables> {
    let mut t = Box::new(PerlinTables {
        perm: [0; 2 * (PERLIN_ENTRIES + 1)],
        grad: [DVec3::ZERO; 2 * (PERLIN_ENTRIES + 1)],
    });
    let n = PERLIN_ENTRIES as i64;
    let mut rng = TableRng(1);
    for i in 0..PERLIN_ENTRIES {
        // Rejection sampling inside the unit ball, then projection onto the sphere.
        let v = loop {
            let mut c = [0.0; 3];
            for x in &mut c {
                *x = ((rng.next() as i64 % (n << 1)) - n) as f64 / n as f64;
            }
            let v = DVec3::from(c);
            let s = v.length_squared();
            if (1.0e-5..=1.0).contains(&s) {
                break v * (1.0 / s.sqrt());
            }
        };
        t.grad[i] = v;
    }
    for (i, p) in t.perm.iter_mut().take(PERLIN_ENTRIES).enumerate() {
        *p = i;
    }
    // Swaps every second entry from the top down, including the (zero) slot just
    // past the end, exactly as the original.
    let mut i = PERLIN_ENTRIES;
    while i > 0 {
        let j = rng.next() % PERLIN_ENTRIES;
        t.perm.swap(i, j);
        i -= 2;
    }
    // Sequential copy (it reads entries this loop has just written).
    for i in 0..PERLIN_ENTRIES + 2 {
        t.perm[PERLIN_ENTRIES + i] = t.perm[i];
        t.grad[PERLIN_ENTRIES + i] = t.grad[i];
    }
    t
}

#[inline(always)]
fn perlin_axis(x: f64) -> (usize, usize, f64) {
    let t = x + PERLIN_ROLLOVER;
    let it = t.floor() as i64;
    let mask = PERLIN_ENTRIES as i64 - 1;
    let b0 = it & mask;
    let b1 = (b0 + 1) & mask;
    (b0 as usize, b1 as usize, t - it as f64)
}

fn lerp(t: f64, a: f64, b: f64) -> f64 {
    a + t * (b - a)
}

/// Perlin's gradient noise, roughly in `[-0.62, 0.62]`.
fn perlin_noise(p: DVec3) -> f64 {
    let t = &**PERLIN;
    let (bx0, bx1, rx0) = perlin_axis(p.x);
    let (by0, by1, ry0) = perlin_axis(p.y);
    let (bz0, bz1, rz0) = perlin_axis(p.z);
    let (rx1, ry1, rz1) = (rx0 - 1.0, ry0 - 1.0, rz0 - 1.0);
    let (i, j) = (t.perm[bx0], t.perm[bx1]);
    let (b00, b10, b01, b11) = (
        t.perm[i + by0],
        t.perm[j + by0],
        t.perm[i + by1],
        t.perm[j + by1],
    );
    let (sx, sy, sz) = (s_curve(rx0), s_curve(ry0), s_curve(rz0));
    let at = |b: usize, x: f64, y: f64, z: f64| {
        let g = t.grad[b];
        x * g.x + y * g.y + z * g.z
    };
    let a = lerp(
        sx,
        at(b00 + bz0, rx0, ry0, rz0),
        at(b10 + bz0, rx1, ry0, rz0),
    );
    let b = lerp(
        sx,
        at(b01 + bz0, rx0, ry1, rz0),
        at(b11 + bz0, rx1, ry1, rz0),
    );
    let c = lerp(sy, a, b);
    let a = lerp(
        sx,
        at(b00 + bz1, rx0, ry0, rz1),
        at(b10 + bz1, rx1, ry0, rz1),
    );
    let b = lerp(
        sx,
        at(b01 + bz1, rx0, ry1, rz1),
        at(b11 + bz1, rx1, ry1, rz1),
    );
    let d = lerp(sy, a, b);
    lerp(sz, c, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_matches_the_arc_check_value() {
        assert_eq!(crc16(b"123456789"), 0xBB3D);
    }

    #[test]
    fn coefficient_table_starts_as_povrays() {
        let c = build_coefficients();
        assert_eq!(c[0], -1.0);
        assert_eq!(c[1], 0.604974);
        assert_eq!(c[2], -0.937102);
        assert_eq!(c[266], 0.566186);
    }

    #[test]
    fn hash_table_is_a_permutation_repeated() {
        let h = &LATTICE.hash;
        let mut seen = [false; 4096];
        for &v in &h[..4096] {
            seen[usize::from(v)] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(h[..4096], h[4096..]);
    }

    #[test]
    fn noise_stays_in_range_for_every_generator() {
        for gen in [
            NoiseGenerator::Original,
            NoiseGenerator::RangeCorrected,
            NoiseGenerator::Perlin,
        ] {
            for i in 0..2000 {
                let f = f64::from(i);
                let p = DVec3::new(f * 0.37 - 300.0, f * 0.11, -f * 0.23);
                let v = noise(p, gen);
                assert!((0.0..=1.0).contains(&v), "{gen:?} {p} {v}");
            }
        }
    }

    #[test]
    fn dnoise_x_is_the_x_of_dnoise() {
        for i in 0..5000 {
            let f = f64::from(i);
            let p = DVec3::new(f * 0.731 - 1800.0, f * 0.113 - 7.0, 40.0 - f * 0.297);
            assert_eq!(dnoise_x(p).to_bits(), dnoise(p).x.to_bits(), "{p}");
        }
    }

    #[test]
    fn noise_is_continuous_across_cells() {
        for gen in [NoiseGenerator::RangeCorrected, NoiseGenerator::Perlin] {
            let a = noise(DVec3::new(2.0 - 1e-9, 0.3, -0.7), gen);
            let b = noise(DVec3::new(2.0 + 1e-9, 0.3, -0.7), gen);
            assert!((a - b).abs() < 1e-6, "{gen:?} {a} {b}");
        }
    }
}
