//! The renderer: tracing, shading, sampling and the block API.
//!
//! [`render_block`] renders any rectangle of the image and returns its pixels; the
//! result for a pixel depends only on the scene, the options and the pixel's position,
//! never on the block layout, thread count or order, so blocks rendered anywhere (on
//! other threads or, through PVM, on other hosts) assemble into the same image as a
//! local render.

pub mod sampling;
pub mod stats;
pub mod tracer;

use glam::DVec3;
use rayon::prelude::*;

pub use sampling::Antialias;
pub use stats::Stats;
pub use tracer::Tracer;

use crate::scene::Scene;

/// What to render: image size and anti-aliasing.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderOptions {
    pub width: u32,
    pub height: u32,
    pub antialias: Option<Antialias>,
}

/// A rectangle of pixels: columns `x0..x1`, rows `y0..y1` (ends exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

impl Rect {
    pub fn width(&self) -> u32 {
        self.x1.saturating_sub(self.x0)
    }

    pub fn height(&self) -> u32 {
        self.y1.saturating_sub(self.y0)
    }

    pub fn area(&self) -> usize {
        self.width() as usize * self.height() as usize
    }
}

/// A rendered rectangle: colours row by row in the scene's working space (not yet
/// clipped or gamma-encoded), plus the statistics of rendering it.
#[derive(Clone, Debug)]
pub struct Block {
    pub rect: Rect,
    pub pixels: Vec<DVec3>,
    pub stats: Stats,
}

/// Gamma used to compare colours for anti-aliasing (POV-Ray's default 2.5).
const AA_GAMMA: f64 = 2.5;

/// Renders `rect` (clamped to the image) on the calling thread.
pub fn render_block(scene: &Scene, opts: &RenderOptions, rect: Rect) -> Block {
    let rect = Rect {
        x0: rect.x0,
        y0: rect.y0,
        x1: rect.x1.min(opts.width),
        y1: rect.y1.min(opts.height),
    };
    let mut tracer = Tracer::new(scene);
    let pixels = match &opts.antialias {
        None => {
            let mut px = Vec::with_capacity(rect.area());
            for y in rect.y0..rect.y1 {
                for x in rect.x0..rect.x1 {
                    px.push(sampling::centre(&mut tracer, x, y, opts.width, opts.height));
                }
            }
            px
        }
        Some(aa) => antialiased(&mut tracer, scene, opts, aa, rect),
    };
    tracer.stats.pixels += rect.area() as u64;
    Block {
        rect,
        pixels,
        stats: tracer.stats,
    }
}

fn antialiased(
    tracer: &mut Tracer<'_>,
    scene: &Scene,
    opts: &RenderOptions,
    aa: &Antialias,
    rect: Rect,
) -> Vec<DVec3> {
    // Centre colours of the rectangle plus a one-pixel border inside the image.
    let bx0 = rect.x0.saturating_sub(1);
    let by0 = rect.y0.saturating_sub(1);
    let bx1 = (rect.x1 + 1).min(opts.width);
    let by1 = (rect.y1 + 1).min(opts.height);
    let bw = (bx1 - bx0) as usize;
    let mut centres = Vec::with_capacity(bw * (by1 - by0) as usize);
    let working = scene.settings.effective_gamma();
    for y in by0..by1 {
        for x in bx0..bx1 {
            let c = sampling::centre(tracer, x, y, opts.width, opts.height);
            centres.push(c);
        }
    }
    let encoded: Vec<DVec3> = centres
        .iter()
        .map(|c| c.max(DVec3::ZERO).powf(working / AA_GAMMA))
        .collect();
    let at = |x: u32, y: u32| ((y - by0) as usize) * bw + (x - bx0) as usize;
    let mut out = Vec::with_capacity(rect.area());
    for y in rect.y0..rect.y1 {
        for x in rect.x0..rect.x1 {
            let me = encoded[at(x, y)];
            let mut differs = false;
            let neighbours = [
                (x > 0).then(|| (x - 1, y)),
                (y > 0).then(|| (x, y - 1)),
                (x + 1 < opts.width).then_some((x + 1, y)),
                (y + 1 < opts.height).then_some((x, y + 1)),
            ];
            for (nx, ny) in neighbours.into_iter().flatten() {
                if sampling::distance(me, encoded[at(nx, ny)]) >= aa.threshold {
                    differs = true;
                    break;
                }
            }
            let c = centres[at(x, y)];
            out.push(if differs {
                sampling::supersample(tracer, aa, x, y, c, opts.width, opts.height)
            } else {
                c
            });
        }
    }
    out
}

/// Renders rows `rows` of the image on all rayon threads, one block per row band,
/// calling `on_rows` in row order as each band completes (for streaming output and
/// progress). Returns the merged statistics.
pub fn render_rows(
    scene: &Scene,
    opts: &RenderOptions,
    cols: (u32, u32),
    rows: (u32, u32),
    mut on_block: impl FnMut(Block),
) -> Stats {
    const BAND: u32 = 8;
    let bands: Vec<Rect> = (rows.0..rows.1)
        .step_by(BAND as usize)
        .map(|y| Rect {
            x0: cols.0,
            y0: y,
            x1: cols.1,
            y1: (y + BAND).min(rows.1),
        })
        .collect();
    let mut stats = Stats::default();
    // Render a window of bands in parallel, hand them over in order, repeat: output
    // streams in row order while every core stays busy.
    let window = rayon::current_num_threads().max(1) * 4;
    for chunk in bands.chunks(window) {
        let blocks: Vec<Block> = chunk
            .par_iter()
            .map(|r| render_block(scene, opts, *r))
            .collect();
        for b in blocks {
            stats.merge(&b.stats);
            on_block(b);
        }
    }
    stats
}
