//! Pixel sampling: one centre ray per pixel, then one of POV-Ray's anti-aliasing
//! methods. Method 1 supersamples a pixel whose colour differs from a neighbour's by
//! the threshold, with an R x R grid of optionally jittered rays averaged with the
//! centre ray; method 2 ([`adaptive`]) subdivides pixels whose corners differ.
//!
//! Everything a pixel's colour depends on is a pure function of the pixel's
//! coordinates: neighbours are compared on their centre colours (traced again when
//! they lie outside the block), and the jitter ([`jitter`]) is POV-Ray's hash of the
//! sample position. So a pixel gets the same colour whatever block, thread or host
//! renders it.

pub mod adaptive;
mod jitter;

use glam::DVec3;

use super::tracer::Tracer;

/// POV-Ray's anti-aliasing methods (`+AM`) prender carries out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `+AM1`: supersample, on a fixed grid, pixels that differ from a neighbour.
    NonAdaptive,
    /// `+AM2`: recursively subdivide pixels whose corners differ.
    Adaptive,
}

impl Method {
    /// The `+AM` number.
    pub fn number(self) -> u32 {
        match self {
            Method::NonAdaptive => 1,
            Method::Adaptive => 2,
        }
    }

    /// The method of `+AM` number `n`, if prender has it.
    pub fn from_number(n: u32) -> Option<Method> {
        match n {
            1 => Some(Method::NonAdaptive),
            2 => Some(Method::Adaptive),
            _ => None,
        }
    }
}

/// Anti-aliasing settings (`+A`, `+AM`, `+R`, `+J`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Antialias {
    pub method: Method,
    /// Colour distance (sum of channel differences) that triggers supersampling.
    pub threshold: f64,
    /// Method 1: grid size per side; method 2: recursion levels (`+R`, default 3).
    pub depth: u32,
    /// Jitter amount (`+J`; 0 for none, POV-Ray's default 1).
    pub jitter: f64,
}

impl Default for Antialias {
    fn default() -> Self {
        Antialias {
            method: Method::NonAdaptive,
            threshold: 0.3,
            depth: 3,
            jitter: 1.0,
        }
    }
}

/// The colour through image position (`x`, `y`) (pixel centres at +0.5).
pub fn sample(tracer: &mut Tracer<'_>, x: f64, y: f64, width: u32, height: u32) -> DVec3 {
    tracer.stats.samples += 1;
    let scene = tracer.scene;
    let camera = &scene.camera;
    camera.colour(x, y, f64::from(width), f64::from(height), |ray| {
        tracer.trace_camera(ray)
    })
}

/// The centre colour of pixel (`px`, `py`).
pub fn centre(tracer: &mut Tracer<'_>, px: u32, py: u32, width: u32, height: u32) -> DVec3 {
    sample(
        tracer,
        f64::from(px) + 0.5,
        f64::from(py) + 0.5,
        width,
        height,
    )
}

/// POV-Ray's supersampling of one pixel: the R x R grid averaged with the centre.
pub fn supersample(
    tracer: &mut Tracer<'_>,
    aa: &Antialias,
    px: u32,
    py: u32,
    centre: DVec3,
    width: u32,
    height: u32,
) -> DVec3 {
    let depth = aa.depth.max(1);
    let step = 1.0 / f64::from(depth);
    let range = 0.5 - step * 0.5;
    let jitter_scale = aa.jitter * step;
    let (px, py) = (f64::from(px), f64::from(py));
    let mut sum = centre;
    // Offsets accumulate as in POV-Ray, so the jitter hash sees the same positions.
    let mut yy = -range;
    for _ in 0..depth {
        let mut xx = -range;
        for _ in 0..depth {
            let (jx, jy) = if jitter_scale > 0.0 {
                let (jx, jy) = jitter::offset(px + xx, py + yy);
                (jx * jitter_scale, jy * jitter_scale)
            } else {
                (0.0, 0.0)
            };
            sum += sample(
                tracer,
                px + 0.5 + xx + jx,
                py + 0.5 + yy + jy,
                width,
                height,
            );
            xx += step;
        }
        yy += step;
    }
    sum / f64::from(depth * depth + 1)
}

/// POV-Ray's colour distance used by the threshold test, on colours mapped through
/// `encode` (the anti-aliasing gamma).
pub fn distance(a: DVec3, b: DVec3) -> f64 {
    (a - b).abs().element_sum()
}
