//! POV-Ray's anti-aliasing method 2: trace every pixel corner, and where a pixel's
//! corners differ by the threshold, split it into four, trace the new edge midpoints
//! and centre (jittered), and recurse into each quarter down to `+R` levels. A
//! pixel is the mean of its quarters, or of its four corners when they agree.
//!
//! Only the pixel's own corners and sub-samples enter its colour, so it is the same
//! whichever block renders it.

use glam::DVec3;

use super::{distance, jitter, sample, Antialias};
use crate::render::tracer::Tracer;
use crate::render::Rect;

/// The colours of `rect`'s pixels, row by row, by adaptive supersampling.
/// `exponent` maps colours into the anti-aliasing gamma for comparison.
pub fn render(
    tracer: &mut Tracer<'_>,
    aa: &Antialias,
    rect: Rect,
    size: (u32, u32),
    exponent: f64,
) -> Vec<DVec3> {
    let corners = Corners::trace(tracer, rect, size);
    let levels = aa.depth.clamp(1, 9);
    let mut pixel = Subdivision {
        tracer,
        size,
        threshold: aa.threshold,
        exponent,
        jitter_scale: aa.jitter / f64::from((1u32 << levels) + 1),
        grid: Grid::new(1 << levels),
    };
    let mut out = Vec::with_capacity(rect.area());
    for y in rect.y0..rect.y1 {
        for x in rect.x0..rect.x1 {
            out.push(pixel.pixel(&corners, x, y, levels));
        }
    }
    out
}

/// The colours at the integer corners of a block's pixels (one more column and
/// row than the block).
struct Corners {
    x0: u32,
    y0: u32,
    w: usize,
    colours: Vec<DVec3>,
}

impl Corners {
    fn trace(tracer: &mut Tracer<'_>, rect: Rect, (width, height): (u32, u32)) -> Corners {
        let mut colours =
            Vec::with_capacity((rect.width() as usize + 1) * (rect.height() as usize + 1));
        for y in rect.y0..=rect.y1 {
            for x in rect.x0..=rect.x1 {
                colours.push(sample(tracer, f64::from(x), f64::from(y), width, height));
            }
        }
        Corners {
            x0: rect.x0,
            y0: rect.y0,
            w: rect.width() as usize + 1,
            colours,
        }
    }

    fn at(&self, x: u32, y: u32) -> DVec3 {
        self.colours[(y - self.y0) as usize * self.w + (x - self.x0) as usize]
    }
}

/// The samples taken inside one pixel, on a (2^levels + 1)² lattice, so that a
/// midpoint shared by two quarters is traced once.
struct Grid {
    side: usize,
    cells: Vec<Option<DVec3>>,
}

impl Grid {
    fn new(step: usize) -> Grid {
        let side = step + 1;
        Grid {
            side,
            cells: vec![None; side * side],
        }
    }

    fn get(&self, x: usize, y: usize) -> Option<DVec3> {
        self.cells[y * self.side + x]
    }

    fn set(&mut self, x: usize, y: usize, c: DVec3) {
        self.cells[y * self.side + x] = Some(c);
    }
}

/// One square of the recursion: its centre in pixel units (pixel `x` spans
/// `x - 0.5 .. x + 0.5` here, traced at `+ 0.5`), its half size, and its corner
/// lattice position and span.
#[derive(Clone, Copy)]
struct Square {
    x: f64,
    y: f64,
    half: f64,
    bx: usize,
    by: usize,
    step: usize,
}

struct Subdivision<'t, 'a> {
    tracer: &'t mut Tracer<'a>,
    size: (u32, u32),
    threshold: f64,
    exponent: f64,
    jitter_scale: f64,
    grid: Grid,
}

impl Subdivision<'_, '_> {
    fn pixel(&mut self, corners: &Corners, x: u32, y: u32, levels: u32) -> DVec3 {
        let step = self.grid.side - 1;
        self.grid.cells.fill(None);
        self.grid.set(0, 0, corners.at(x, y));
        self.grid.set(0, step, corners.at(x, y + 1));
        self.grid.set(step, 0, corners.at(x + 1, y));
        self.grid.set(step, step, corners.at(x + 1, y + 1));
        let square = Square {
            x: f64::from(x),
            y: f64::from(y),
            half: 0.5,
            bx: 0,
            by: 0,
            step,
        };
        self.subdivide(square, levels - 1)
    }

    fn corner(&self, x: usize, y: usize) -> DVec3 {
        // Corners of a square are always traced before it is visited.
        self.grid.get(x, y).unwrap_or(DVec3::ZERO)
    }

    fn subdivide(&mut self, s: Square, level: u32) -> DVec3 {
        let c = [
            self.corner(s.bx, s.by),
            self.corner(s.bx, s.by + s.step),
            self.corner(s.bx + s.step, s.by),
            self.corner(s.bx + s.step, s.by + s.step),
        ];
        if level == 0 || !self.corners_differ(&c) {
            return c.iter().sum::<DVec3>() / 4.0;
        }
        let (h, d) = (s.step / 2, s.half);
        // Left, top, right and bottom edge midpoints, then the centre, in
        // POV-Ray's order.
        self.take(s.bx, s.by + h, s.x - d, s.y);
        self.take(s.bx + h, s.by, s.x, s.y - d);
        self.take(s.bx + s.step, s.by + h, s.x + d, s.y);
        self.take(s.bx + h, s.by + s.step, s.x, s.y + d);
        self.take(s.bx + h, s.by + h, s.x, s.y);
        let q = d * 0.5;
        let quarter = |dx: f64, dy: f64, bx: usize, by: usize| Square {
            x: s.x + dx,
            y: s.y + dy,
            half: q,
            bx,
            by,
            step: h,
        };
        let sum = self.subdivide(quarter(-q, -q, s.bx, s.by), level - 1)
            + self.subdivide(quarter(-q, q, s.bx, s.by + h), level - 1)
            + self.subdivide(quarter(q, -q, s.bx + h, s.by), level - 1)
            + self.subdivide(quarter(q, q, s.bx + h, s.by + h), level - 1);
        sum / 4.0
    }

    /// Any pair of the four corners differs by the threshold.
    fn corners_differ(&self, c: &[DVec3; 4]) -> bool {
        let g = c.map(|v| v.max(DVec3::ZERO).powf(self.exponent));
        (0..4).any(|i| (i + 1..4).any(|j| distance(g[i], g[j]) >= self.threshold))
    }

    /// Traces lattice point (`bx`, `by`) at (`x`, `y`) unless it was traced already.
    fn take(&mut self, bx: usize, by: usize, x: f64, y: f64) {
        if self.grid.get(bx, by).is_some() {
            return;
        }
        let (jx, jy) = if self.jitter_scale > 0.0 {
            let (jx, jy) = jitter::offset(x, y);
            (jx * self.jitter_scale, jy * self.jitter_scale)
        } else {
            (0.0, 0.0)
        };
        let (w, h) = self.size;
        let c = sample(self.tracer, x + 0.5 + jx, y + 0.5 + jy, w, h);
        self.grid.set(bx, by, c);
    }
}
