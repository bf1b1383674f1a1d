//! `pavement`: POV-Ray 3.7's pavements of the x-z plane, whose tiles are made
//! of 1 to 6 equal cells — unit squares, unit triangles or hexagons (made of
//! six unit triangles) — joined edge to edge.
//!
//! The plane is cut into a grid of unit cells (squares, or triangles for the
//! 3- and 6-sided pavements). A layout (see `layouts`) flags, for each cell of
//! one period of the grid, which of the cell's sides lie on a tile's border and
//! which of its corners meet a border that runs along the neighbouring cells.
//! The value is 1 on a border, falling to 0 inside a tile, 1/2 of a cell (a
//! square) or the triangle's inradius away. `interior` shapes the inner corners
//! of a tile (0 sharp, 1 cut off, 2 rounded), `exterior` its outer corners (not
//! for hexagons) and `form` the cells where a tile turns a corner. The y
//! coordinate is ignored.

use glam::DVec3;

mod layouts;
#[cfg(test)]
mod tests;

const SQRT3: f64 = 1.732_050_807_568_877_2;
const SQRT3_2: f64 = 0.866_025_403_784_438_6;

/// What a pavement's settings allow; the parser's message for each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PavementError {
    #[error("pavement number_of_sides must be 3, 4 or 6, not {0}")]
    Sides(u8),
    #[error("pavement number_of_tiles must be 1 to {max} with {sides} sides, not {tiles}")]
    Tiles { sides: u8, tiles: u8, max: usize },
    #[error(
        "pavement pattern must be 1 to {max} with {sides} sides and {tiles} tiles, not {pattern}"
    )]
    Pattern {
        sides: u8,
        tiles: u8,
        pattern: u8,
        max: usize,
    },
}

/// A pavement's settings. POV-Ray keeps each in a byte, so the parser stores a
/// number's whole part wrapped into 0..=255 and then calls [`Pavement::checked`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pavement {
    /// `number_of_sides`: 3, 4 or 6.
    pub sides: u8,
    /// `number_of_tiles`: cells per tile.
    pub tiles: u8,
    /// `pattern`: which layout of that many cells, from 1.
    pub pattern: u8,
    /// `exterior`: outer corners, 0 sharp, 1 cut, 2 rounded.
    pub exterior: u8,
    /// `interior`: inner corners, 0 sharp, 1 cut, 2 rounded.
    pub interior: u8,
    /// `form`: the cells where a tile turns (0 to 2, and 3 for squares).
    pub form: u8,
}

impl Default for Pavement {
    /// POV-Ray's: single triangles, sharp corners.
    fn default() -> Self {
        Self {
            sides: 3,
            tiles: 1,
            pattern: 1,
            exterior: 0,
            interior: 0,
            form: 0,
        }
    }
}

/// A scene number as POV-Ray's byte-sized settings keep it: the whole part,
/// wrapped into a byte.
pub fn setting_byte(v: f64) -> u8 {
    (v.trunc() as i32) as u8
}

impl Pavement {
    /// The settings as POV-Ray's parser leaves them: `interior`, `exterior` and
    /// `form` wrap around (form by 4 for squares, else by 3); the sides, the
    /// tiles and the pattern must name a layout.
    pub fn checked(mut self) -> Result<Self, PavementError> {
        self.interior %= 3;
        self.exterior %= 3;
        let table = layouts_of(self.sides).ok_or(PavementError::Sides(self.sides))?;
        let Some(group) = usize::from(self.tiles)
            .checked_sub(1)
            .and_then(|i| table.get(i))
        else {
            return Err(PavementError::Tiles {
                sides: self.sides,
                tiles: self.tiles,
                max: table.len(),
            });
        };
        if self.pattern == 0 || usize::from(self.pattern) > group.len() {
            return Err(PavementError::Pattern {
                sides: self.sides,
                tiles: self.tiles,
                pattern: self.pattern,
                max: group.len(),
            });
        }
        self.form %= if self.sides == 4 { 4 } else { 3 };
        Ok(self)
    }

    /// The pattern's value at `p`, in [0, 1].
    pub fn value(&self, p: DVec3) -> f64 {
        match self.sides {
            4 => self.square(p.x, p.z),
            6 => self.triangular(p.x, p.z, true),
            _ => self.triangular(p.x, p.z, false),
        }
    }

    /// The layout the settings name (the first one if they name none).
    fn layout(&self) -> &'static Layout {
        let table = layouts_of(self.sides).unwrap_or(&layouts::TRIANGLES);
        let group = usize::from(self.tiles)
            .checked_sub(1)
            .and_then(|i| table.get(i))
            .unwrap_or(&table[0]);
        usize::from(self.pattern)
            .checked_sub(1)
            .and_then(|i| group.get(i))
            .unwrap_or(&group[0])
    }
}

/// The layouts of the pavements with `sides` sides, by tile count.
fn layouts_of(sides: u8) -> Option<&'static [&'static [Layout]]> {
    match sides {
        3 => Some(&layouts::TRIANGLES),
        4 => Some(&layouts::SQUARES),
        6 => Some(&layouts::HEXAGONS),
        _ => None,
    }
}

/// How a cell's grid numbers wrap into a layout's period.
#[derive(Clone, Copy, Debug)]
enum Slide {
    /// A plain `cols` x `rows` block.
    None,
    /// Each group of `per` rows is shifted `step` cells along x against the
    /// group before; the shifts repeat after `period` rows.
    AlongX { period: i64, step: i64, per: i64 },
    /// As `AlongX` with the axes swapped: columns shift along z.
    AlongZ { period: i64, step: i64, per: i64 },
}

/// One period of a layout's cell grid.
#[derive(Clone, Copy, Debug)]
struct Lattice {
    cols: i64,
    rows: i64,
    slide: Slide,
}

impl Lattice {
    const fn grid(cols: i64, rows: i64) -> Self {
        Self {
            cols,
            rows,
            slide: Slide::None,
        }
    }

    const fn slide_x(cols: i64, rows: i64, period: i64, step: i64, per: i64) -> Self {
        Self {
            cols,
            rows,
            slide: Slide::AlongX { period, step, per },
        }
    }

    const fn slide_z(cols: i64, rows: i64, period: i64, step: i64, per: i64) -> Self {
        Self {
            cols,
            rows,
            slide: Slide::AlongZ { period, step, per },
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        (self.cols * self.rows) as usize
    }

    /// Where the cell in column `col`, row `row` of the grid falls in the period.
    fn index(&self, col: i64, row: i64) -> usize {
        let (c, r) = match self.slide {
            Slide::None => (col, row),
            Slide::AlongX { period, step, per } => {
                let r = row.rem_euclid(period);
                (col + step * (r / per), r)
            }
            Slide::AlongZ { period, step, per } => {
                let c = col.rem_euclid(period);
                (c, row + step * (c / per))
            }
        };
        (c.rem_euclid(self.cols) + self.cols * r.rem_euclid(self.rows)) as usize
    }
}

/// A layout: its period and the flags of each cell in it, row by row.
#[derive(Clone, Copy, Debug)]
struct Layout {
    lattice: Lattice,
    cells: &'static [u16],
}

impl Layout {
    const fn new(lattice: Lattice, cells: &'static [u16]) -> Self {
        Self { lattice, cells }
    }

    fn cell(&self, col: i64, row: i64) -> u16 {
        self.cells[self.lattice.index(col, row)]
    }
}

// ---------------------------------------------------------------------------
// Squares. A cell is the unit square [0,1]² of (x, z); its flags:

/// The cell's sides on a tile border: z = 1, x = 1, z = 0, x = 0.
const SQ_NORTH: u16 = 0x01;
const SQ_EAST: u16 = 0x02;
const SQ_SOUTH: u16 = 0x04;
const SQ_WEST: u16 = 0x08;

/// A square cell's corner: where it is, the flag saying a border meets it from
/// outside the cell (an inner corner of the tile), the two sides that make it
/// an outer corner when both are borders, and the straight cut of a turning
/// cell whose inner corner it is (from 2x and 2z, kept in POV-Ray's arithmetic
/// so that values on a lattice of pixels round alike).
struct SquareCorner {
    x: f64,
    z: f64,
    inner: u16,
    sides: u16,
    cut: fn(f64, f64) -> f64,
}

impl SquareCorner {
    /// Twice the distance of (x, z) from the corner along each axis.
    fn offset(&self, x: f64, z: f64) -> (f64, f64) {
        (2.0 * (x - self.x).abs(), 2.0 * (z - self.z).abs())
    }

    /// True if (x, z) is in the quarter of the cell at this corner (edges included).
    fn holds(&self, x: f64, z: f64) -> bool {
        (x - 0.5) * (self.x - 0.5) >= 0.0 && (z - 0.5) * (self.z - 0.5) >= 0.0
    }
}

/// The corners, in the order POV-Ray tries the turning cells; each one's
/// opposite is two places on.
const SQUARE_CORNERS: [SquareCorner; 4] = [
    SquareCorner {
        x: 1.0,
        z: 0.0,
        inner: 0x40,
        sides: SQ_EAST | SQ_SOUTH,
        cut: |x2, z2| (z2 - x2 + 1.0).abs(),
    },
    SquareCorner {
        x: 0.0,
        z: 0.0,
        inner: 0x80,
        sides: SQ_WEST | SQ_SOUTH,
        cut: |x2, z2| (x2 - (2.0 - z2) + 1.0).abs(),
    },
    SquareCorner {
        x: 0.0,
        z: 1.0,
        inner: 0x10,
        sides: SQ_NORTH | SQ_WEST,
        cut: |x2, z2| (x2 - z2 + 1.0).abs(),
    },
    SquareCorner {
        x: 1.0,
        z: 1.0,
        inner: 0x20,
        sides: SQ_NORTH | SQ_EAST,
        cut: |x2, z2| ((2.0 - z2) - x2 + 1.0).abs(),
    },
];

/// How near (x, z) is to each side of a square cell: 1 on it, 0 at the
/// centre line, -1 on the side opposite.
fn square_sides(x: f64, z: f64) -> [(u16, f64); 4] {
    [
        (SQ_NORTH, 2.0 * z - 1.0),
        (SQ_EAST, 2.0 * x - 1.0),
        (SQ_SOUTH, 1.0 - 2.0 * z),
        (SQ_WEST, 1.0 - 2.0 * x),
    ]
}

/// The nearness to each of `flags`' sides, combined by `f`.
fn sides_of(sides: &[(u16, f64); 4], flags: u16, f: fn(f64, f64) -> f64) -> f64 {
    sides
        .iter()
        .filter(|(flag, _)| flags & flag != 0)
        .map(|&(_, d)| d)
        .reduce(f)
        .unwrap_or(0.0)
}

impl Pavement {
    fn square(&self, x: f64, z: f64) -> f64 {
        let (col, row) = (x.floor(), z.floor());
        let how = self.layout().cell(lattice(col), lattice(row));
        let (x, z) = (x - col, z - row);
        let sides = square_sides(x, z);
        if let Some(v) = self.square_turn(how, x, z, &sides) {
            return v;
        }
        let mut v = sides
            .iter()
            .filter(|(flag, _)| how & flag != 0)
            .fold(0.0_f64, |v, &(_, d)| v.max(d));
        for c in SQUARE_CORNERS.iter().filter(|c| how & c.inner != 0) {
            let (u, w) = c.offset(x, z);
            let d = match self.interior {
                1 => 1.0 - (u + w),
                2 => 1.0 - (u * u + w * w).sqrt(),
                _ => sides_of(&sides, c.sides, f64::min),
            };
            v = v.max(d);
        }
        for c in SQUARE_CORNERS.iter().filter(|c| how & c.sides == c.sides) {
            match self.exterior {
                1 => {
                    let (u, w) = c.offset(x, z);
                    v = v.max((2.0 - (u + w)).min(1.0));
                }
                2 if c.holds(x, z) => {
                    let (a, b) = (2.0 * x - 1.0, 2.0 * z - 1.0);
                    v = v.max((a * a + b * b).sqrt().min(1.0));
                }
                _ => {}
            }
        }
        v
    }

    /// A cell where the tile turns: two border sides meeting at one corner and
    /// an inner corner opposite. `form` 0 draws it square, 1 cut, 2 as a quarter
    /// ring about the inner corner; 3 leaves it to the sides and corners.
    fn square_turn(&self, how: u16, x: f64, z: f64, sides: &[(u16, f64); 4]) -> Option<f64> {
        if self.form == 3 {
            return None;
        }
        (0..4).find_map(|i| {
            let outer = &SQUARE_CORNERS[i];
            let inner = &SQUARE_CORNERS[(i + 2) % 4];
            let flags = outer.sides | inner.inner;
            if how & flags != flags {
                return None;
            }
            Some(match self.form {
                2 => {
                    let (u, w) = inner.offset(x, z);
                    ((u * u + w * w).sqrt() - 1.0).abs().min(1.0)
                }
                1 => (inner.cut)(2.0 * x, 2.0 * z).min(1.0),
                _ => sides_of(sides, outer.sides, f64::max).max(sides_of(
                    sides,
                    inner.sides,
                    f64::min,
                )),
            })
        })
    }
}

// ---------------------------------------------------------------------------
// Triangles. Every point is folded into the upright unit triangle with corners
// left (0,0), right (1,0) and apex (1/2, √3/2); the flags of a triangle cell:

/// Its sides on a tile border: left–apex, right–apex, left–right.
const TRI_LEFT: u16 = 0x01;
const TRI_RIGHT: u16 = 0x02;
const TRI_BASE: u16 = 0x04;
/// No corner of this cell is an inner corner.
const TRI_NO_INNER: u16 = 0x80;
/// Turning cells: a side flag and a corner flag; the tile's border curves
/// about that corner, in the sector of the side's other end.
const TURN_LEFT_SIDE: u16 = 0x100;
const TURN_RIGHT_SIDE: u16 = 0x200;
const TURN_BASE: u16 = 0x400;
const TURN_ABOUT_RIGHT: u16 = 0x10;
const TURN_ABOUT_LEFT: u16 = 0x20;
const TURN_ABOUT_APEX: u16 = 0x40;

/// Indices of the corners in [`TRI_CORNERS`].
const APEX: usize = 0;
const LEFT: usize = 1;
const RIGHT: usize = 2;

/// The centre of the triangle.
const CENTRE: (f64, f64) = (0.5, SQRT3_2 / 3.0);

/// A corner of the folded triangle.
struct TriCorner {
    x: f64,
    z: f64,
    /// The two sides meeting there.
    sides: u16,
    /// In hexagon layouts, a flag making it an inner corner whatever the sides.
    hex_inner: u16,
    /// Its sector (the kite between it and the centre): the sector lines
    /// through the other two corners, and the sign each has inside.
    sector: [(usize, f64); 2],
}

const TRI_CORNERS: [TriCorner; 3] = [
    TriCorner {
        x: 0.5,
        z: SQRT3_2,
        sides: TRI_LEFT | TRI_RIGHT,
        hex_inner: 0x4000,
        sector: [(RIGHT, -1.0), (LEFT, -1.0)],
    },
    TriCorner {
        x: 0.0,
        z: 0.0,
        sides: TRI_LEFT | TRI_BASE,
        hex_inner: 0x2000,
        sector: [(RIGHT, 1.0), (APEX, 1.0)],
    },
    TriCorner {
        x: 1.0,
        z: 0.0,
        sides: TRI_RIGHT | TRI_BASE,
        hex_inner: 0x1000,
        sector: [(APEX, -1.0), (LEFT, 1.0)],
    },
];

/// The turning cells, in POV-Ray's order: flags, the sector they apply in, and
/// the corner the border turns about.
const TURNS: [(u16, usize, usize); 6] = [
    (TURN_LEFT_SIDE | TURN_ABOUT_LEFT, APEX, LEFT),
    (TURN_LEFT_SIDE | TURN_ABOUT_APEX, LEFT, APEX),
    (TURN_RIGHT_SIDE | TURN_ABOUT_RIGHT, APEX, RIGHT),
    (TURN_RIGHT_SIDE | TURN_ABOUT_APEX, RIGHT, APEX),
    (TURN_BASE | TURN_ABOUT_RIGHT, LEFT, RIGHT),
    (TURN_BASE | TURN_ABOUT_LEFT, RIGHT, LEFT),
];

/// A point folded into the triangle, with the lines that split it into the
/// three corner sectors.
struct TriPoint {
    x: f64,
    z: f64,
    /// Per corner, the line from it through the centre: 0 on it, signed.
    lines: [f64; 3],
}

impl TriPoint {
    fn new(x: f64, z: f64) -> Self {
        let lines = [
            1.0 - x * 2.0,
            1.0 - (SQRT3 * z - x + 1.0).abs(),
            1.0 - (SQRT3 * z + x).abs(),
        ];
        Self { x, z, lines }
    }

    /// Twice the distance from the left corner along the left side.
    fn toward_left(&self) -> f64 {
        (SQRT3 * self.z + self.x).abs()
    }

    /// Twice the distance from the right corner along the right side.
    fn toward_right(&self) -> f64 {
        (SQRT3 * self.z - self.x + 1.0).abs()
    }

    /// True inside corner `c`'s sector; `edges` counts its boundary in.
    fn in_sector(&self, c: usize, edges: bool) -> bool {
        TRI_CORNERS[c].sector.iter().all(|&(l, sign)| {
            let s = sign * self.lines[l];
            if edges {
                s >= 0.0
            } else {
                s > 0.0
            }
        })
    }

    fn distance_to(&self, (x, z): (f64, f64)) -> f64 {
        let (dx, dz) = (self.x - x, self.z - z);
        (dx * dx + dz * dz).sqrt()
    }

    /// 1 on each side falling to 0 at the inradius from it: left, right, base.
    fn side_values(&self) -> [(u16, f64); 3] {
        [
            (TRI_LEFT, 1.0 - (SQRT3 * self.x - self.z).abs() * SQRT3),
            (
                TRI_RIGHT,
                1.0 - (SQRT3 * (1.0 - self.x) - self.z).abs() * SQRT3,
            ),
            (TRI_BASE, 1.0 - self.z * 2.0 * SQRT3),
        ]
    }
}

/// A whole lattice coordinate as an integer, kept far from overflow: beyond
/// 2^40 cells a point has no fraction left to pattern, and the layouts repeat
/// long before (NaN lands on 0).
fn lattice(v: f64) -> i64 {
    const FAR: f64 = (1u64 << 40) as f64;
    v.clamp(-FAR, FAR) as i64
}

/// Folds (x, z) into the upright unit triangle: returns the triangle's column
/// (two per unit of x, odd ones inverted) and row (one per √3/2 of z) and the
/// point in it. An inverted triangle is turned half a turn onto the upright one.
fn fold_triangle(x: f64, z: f64) -> (i64, i64, f64, f64) {
    let (cx, cz) = (x.floor(), (z / SQRT3).floor());
    let (mut x, mut z) = (x - cx, z - SQRT3 * cz);
    let (mut col, mut row) = (2 * lattice(cx), 2 * lattice(cz));
    if z > SQRT3_2 {
        // The upper row is offset by half a triangle.
        z -= SQRT3_2;
        if x > 0.5 {
            x -= 0.5;
            col += 1;
        } else {
            x += 0.5;
            col -= 1;
        }
        row += 1;
    }
    if x == 0.0 || z / x > SQRT3 {
        // Left of the left side: the inverted triangle there.
        z = SQRT3_2 - z;
        x = 0.5 - x;
        col -= 1;
    }
    if x == 1.0 || z / (1.0 - x) > SQRT3 {
        z = SQRT3_2 - z;
        x = 1.5 - x;
        col += 1;
    }
    (col, row, x, z)
}

impl Pavement {
    /// The 3-sided pavements, and the 6-sided ones (`hex`), whose hexagons are
    /// made of triangle cells and have no `exterior`.
    fn triangular(&self, x: f64, z: f64, hex: bool) -> f64 {
        let (col, row, x, z) = fold_triangle(x, z);
        let how = self.layout().cell(col, row);
        let p = TriPoint::new(x, z);
        let sides = p.side_values();
        let mut v = sides
            .iter()
            .filter(|(flag, _)| how & flag != 0)
            .fold(0.0_f64, |v, &(_, d)| v.max(d));
        for (i, c) in TRI_CORNERS.iter().enumerate() {
            let inner = how & (c.sides | TRI_NO_INNER) == 0 || (hex && how & c.hex_inner != 0);
            if inner {
                v = v.max(self.inner_corner(&p, i));
            }
        }
        if !hex {
            v = self.outer_corners(how, &p, &sides).unwrap_or(v);
        }
        self.triangle_turn(how, &p).unwrap_or(v)
    }

    /// The value an inner corner `c` of the tile adds at `p`. (Each corner's
    /// formulas are written out so that they round as POV-Ray's do.)
    fn inner_corner(&self, p: &TriPoint, c: usize) -> f64 {
        let (x, z) = (p.x, p.z);
        match self.interior {
            // Cut off: a third of a side from the corner along each side.
            1 if p.in_sector(c, false) => {
                let (a, b) = (p.toward_left(), p.toward_right());
                match c {
                    APEX => (1.5 * a - 2.0).min(1.5 * b - 2.0),
                    LEFT => (1.0 - 1.5 * a).min(1.0 - x * 3.0),
                    _ => (1.0 - 1.5 * b).min(x * 3.0 - 2.0),
                }
            }
            1 => 0.0,
            2 => {
                let corner = &TRI_CORNERS[c];
                1.0 - p.distance_to((corner.x, corner.z)) * 3.0
            }
            // Sharp: a line across the corner, an inradius in.
            _ => match c {
                APEX => 1.0 - (SQRT3_2 - z) * 2.0 * SQRT3,
                LEFT => 1.0 - (SQRT3 * x + z).abs() * SQRT3,
                _ => 1.0 - (SQRT3 * (x - 1.0) - z).abs() * SQRT3,
            },
        }
    }

    /// The outer corners of a triangle pavement: where two border sides meet,
    /// `exterior` 1 cuts and 2 rounds the corner. POV-Ray lets this value
    /// replace what the sides gave; None leaves it.
    fn outer_corners(&self, how: u16, p: &TriPoint, sides: &[(u16, f64); 3]) -> Option<f64> {
        let closed = |c: &TriCorner| how & c.sides == c.sides;
        match self.exterior {
            2 => {
                let any = (0..3).any(|c| closed(&TRI_CORNERS[c]) && p.in_sector(c, true));
                any.then(|| (2.0 * SQRT3 * p.distance_to(CENTRE)).min(1.0))
            }
            1 => {
                let near = |c: &TriCorner| {
                    sides
                        .iter()
                        .filter(|(flag, _)| c.sides & flag != 0)
                        .all(|&(_, d)| d >= 0.0)
                };
                let mut out = None;
                let (dx, dz) = (p.x - CENTRE.0, p.z - CENTRE.1);
                for c in [APEX, RIGHT, LEFT] {
                    if closed(&TRI_CORNERS[c]) && near(&TRI_CORNERS[c]) {
                        // Cut square to the corner's bisector.
                        let d = match c {
                            APEX => (dz * 2.0 * SQRT3).abs(),
                            RIGHT => (SQRT3 * dx - dz).abs() * SQRT3,
                            _ => (SQRT3 * dx + dz).abs() * SQRT3,
                        };
                        out = Some(d.min(1.0));
                    }
                }
                out
            }
            _ => None,
        }
    }

    /// A triangle cell where the tile turns about a corner: `form` 1 draws the
    /// border straight, 2 as an arc about the corner; 0 leaves the cell.
    fn triangle_turn(&self, how: u16, p: &TriPoint) -> Option<f64> {
        if self.form == 0 {
            return None;
        }
        let &(_, sector, about) = TURNS
            .iter()
            .find(|&&(flags, sector, _)| how & flags == flags && p.in_sector(sector, false))?;
        let corner = &TRI_CORNERS[about];
        Some(if self.form == 2 {
            let r = p.distance_to((corner.x, corner.z));
            (2.0 * SQRT3 * (r - SQRT3 / 3.0)).clamp(0.0, 1.0)
        } else {
            let across = 3 - sector - about;
            (2.0 * p.lines[across].abs()).min(1.0)
        })
    }
}
