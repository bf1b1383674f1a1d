//! The renderer: tracing, shading, sampling and the block API.
//!
//! [`render_block`] renders any rectangle of the image and returns its pixels; the
//! result for a pixel depends only on the scene, the options and the pixel's position,
//! never on the block layout, thread count or order, so blocks rendered anywhere (on
//! other threads or, through PVM, on other hosts) assemble into the same image as a
//! local render.

mod atmosphere;
pub mod lighting;
pub mod photons;
pub mod radiosity;
pub mod sampling;
pub mod spectral;
mod subsurface;
pub mod tracer;

use glam::DVec3;
use rayon::prelude::*;

pub use sampling::{Antialias, Method};

pub use lighting::Lighting;
pub use tracer::Tracer;

use crate::scene::Scene;
use crate::stats::Stats;

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
pub fn render_block(scene: &Scene, lighting: &Lighting, opts: &RenderOptions, rect: Rect) -> Block {
    // Clamp to the image; an inverted or outside rectangle becomes empty.
    let (x1, y1) = (rect.x1.min(opts.width), rect.y1.min(opts.height));
    let rect = Rect {
        x0: rect.x0.min(x1),
        y0: rect.y0.min(y1),
        x1,
        y1,
    };
    let mut tracer = Tracer::new(scene, lighting);
    if let Some(rad) = lighting.radiosity() {
        let cache = rad.cache_for(scene, lighting, opts.width, opts.height);
        tracer.rad = Some(radiosity::RadState::render(rad, cache));
    }
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
        Some(aa) => match aa.method {
            sampling::Method::NonAdaptive => antialiased(&mut tracer, scene, opts, aa, rect),
            sampling::Method::Adaptive => {
                let exponent = scene.settings.antialias_exponent(AA_GAMMA);
                let size = (opts.width, opts.height);
                sampling::adaptive::render(&mut tracer, aa, rect, size, exponent)
            }
        },
    };
    tracer.stats.pixels += rect.area() as u64;
    Block {
        rect,
        pixels,
        stats: tracer.stats,
    }
}

/// POV-Ray's method 1 made independent of scan order.
///
/// POV-Ray supersamples a pixel whose colour differs from its left or upper
/// neighbour (and that neighbour too), comparing against the neighbour's colour
/// after the neighbour was itself supersampled, which cascades along edges. The
/// same decision is taken here from a fixed window around each pixel: level one
/// compares centre colours with all four neighbours; level two also compares the
/// centre with the left and upper neighbours' level-one results. Every input is a
/// function of pixel coordinates only, so any block layout gives the same pixels.
fn antialiased(
    tracer: &mut Tracer<'_>,
    scene: &Scene,
    opts: &RenderOptions,
    aa: &Antialias,
    rect: Rect,
) -> Vec<DVec3> {
    let win = AaWindow::new(tracer, scene, opts, rect);
    let mut supersampled: Vec<Option<DVec3>> = vec![None; win.centres.len()];
    let mut final1 = |tracer: &mut Tracer<'_>, x: u32, y: u32| -> DVec3 {
        let i = win.at(x, y);
        if !win.level_one(x, y, aa.threshold) {
            return win.centres[i];
        }
        *supersampled[i].get_or_insert_with(|| {
            sampling::supersample(tracer, aa, x, y, win.centres[i], opts.width, opts.height)
        })
    };
    let mut out = Vec::with_capacity(rect.area());
    for y in rect.y0..rect.y1 {
        for x in rect.x0..rect.x1 {
            let me = win.encoded[win.at(x, y)];
            let mut differs = win.level_one(x, y, aa.threshold);
            for (nx, ny) in [(x > 0).then(|| (x - 1, y)), (y > 0).then(|| (x, y - 1))]
                .into_iter()
                .flatten()
            {
                if differs {
                    break;
                }
                let f = final1(tracer, nx, ny);
                differs = sampling::distance(me, win.encode(f)) >= aa.threshold;
            }
            out.push(if differs {
                final_supersampled(tracer, &mut final1, &win, aa, opts, x, y)
            } else {
                win.centres[win.at(x, y)]
            });
        }
    }
    out
}

/// The supersampled colour of (`x`, `y`), shared with the level-one cache when the
/// pixel was already supersampled there.
fn final_supersampled(
    tracer: &mut Tracer<'_>,
    final1: &mut impl FnMut(&mut Tracer<'_>, u32, u32) -> DVec3,
    win: &AaWindow,
    aa: &Antialias,
    opts: &RenderOptions,
    x: u32,
    y: u32,
) -> DVec3 {
    if win.level_one(x, y, aa.threshold) {
        return final1(tracer, x, y);
    }
    sampling::supersample(
        tracer,
        aa,
        x,
        y,
        win.centres[win.at(x, y)],
        opts.width,
        opts.height,
    )
}

/// Centre colours of a block plus the border its anti-aliasing decisions read: two
/// pixels left and above, one right and below (inside the image).
struct AaWindow {
    x0: u32,
    y0: u32,
    w: usize,
    width: u32,
    height: u32,
    exponent: f64,
    centres: Vec<DVec3>,
    encoded: Vec<DVec3>,
}

impl AaWindow {
    fn new(tracer: &mut Tracer<'_>, scene: &Scene, opts: &RenderOptions, rect: Rect) -> AaWindow {
        let (x0, y0) = (rect.x0.saturating_sub(2), rect.y0.saturating_sub(2));
        let x1 = (rect.x1 + 1).min(opts.width);
        let y1 = (rect.y1 + 1).min(opts.height);
        let mut centres = Vec::with_capacity(((x1 - x0) * (y1 - y0)) as usize);
        for y in y0..y1 {
            for x in x0..x1 {
                centres.push(sampling::centre(tracer, x, y, opts.width, opts.height));
            }
        }
        let exponent = scene.settings.antialias_exponent(AA_GAMMA);
        let mut win = AaWindow {
            x0,
            y0,
            w: (x1 - x0) as usize,
            width: opts.width,
            height: opts.height,
            exponent,
            centres,
            encoded: Vec::new(),
        };
        win.encoded = win.centres.iter().map(|c| win.encode(*c)).collect();
        win
    }

    /// Colours are compared after POV-Ray's anti-aliasing gamma.
    fn encode(&self, c: DVec3) -> DVec3 {
        c.max(DVec3::ZERO).powf(self.exponent)
    }

    fn at(&self, x: u32, y: u32) -> usize {
        ((y - self.y0) as usize) * self.w + (x - self.x0) as usize
    }

    /// Level one: the centre differs from any of its four neighbours' centres.
    fn level_one(&self, x: u32, y: u32, threshold: f64) -> bool {
        let me = self.encoded[self.at(x, y)];
        [
            (x > 0).then(|| (x - 1, y)),
            (y > 0).then(|| (x, y - 1)),
            (x + 1 < self.width).then_some((x + 1, y)),
            (y + 1 < self.height).then_some((x, y + 1)),
        ]
        .into_iter()
        .flatten()
        .any(|(nx, ny)| sampling::distance(me, self.encoded[self.at(nx, ny)]) >= threshold)
    }
}

/// Renders rows `rows` of the image on all rayon threads, one block per row band,
/// calling `on_rows` in row order as each band completes (for streaming output and
/// progress). Returns the merged statistics.
pub fn render_rows(
    scene: &Scene,
    lighting: &Lighting,
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
            .map(|r| render_block(scene, lighting, opts, *r))
            .collect();
        for b in blocks {
            stats.merge(&b.stats);
            on_block(b);
        }
    }
    stats
}
