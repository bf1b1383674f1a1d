//! Building the sample cache before the render, on one thread in a fixed order
//! (see the module docs of [`super`] for why).

use super::{Cache, CacheRef, RadState, Radiosity};
use crate::render::sampling;
use crate::render::tracer::Tracer;
use crate::render::Lighting;
use crate::scene::Scene;

/// POV-Ray's EPSILON in its pretrace step count.
const EPSILON: f64 = 1e-10;

/// The cache for a `width` x `height` render of `scene`: POV-Ray's pretrace
/// passes, then every pixel centre as the final render will ask for it.
pub fn build(
    scene: &Scene,
    lighting: &Lighting,
    rad: &Radiosity,
    width: u32,
    height: u32,
) -> Cache {
    let mut tracer = Tracer::new(scene, lighting);
    tracer.rad = Some(RadState {
        rad,
        cache: CacheRef::Owned(Box::default()),
        building: true,
        final_trace: false,
        skip_direct: true,
        depth: 0,
    });
    let max_side = f64::from(width.max(height));
    let start = max_side * rad.settings.pretrace_start;
    let end = (max_side * rad.settings.pretrace_end).max(1.0);
    let steps = if start > end {
        ((start / end).log2() + (1.0 - EPSILON)).floor() as i32 + 1
    } else {
        1
    };
    // POV-Ray keeps at most 126 pretrace passes.
    let steps = steps.clamp(1, 126);
    for pass in 0..steps {
        let size = (start * 0.5f64.powi(pass)).max(end);
        pretrace_pass(&mut tracer, pass as u64, size, width, height);
    }
    if let Some(state) = tracer.rad.as_mut() {
        state.final_trace = true;
    }
    for y in 0..height {
        for x in 0..width {
            sampling::centre(&mut tracer, x, y, width, height);
        }
    }
    match tracer.rad.take().map(|s| s.cache) {
        Some(CacheRef::Owned(cache)) => *cache,
        Some(CacheRef::Shared(_)) | None => Cache::default(),
    }
}

/// One pretrace pass: a grid of `size`-pixel steps, each position jittered by
/// up to half a step (at most a pixel) by a hash of the pass and position.
fn pretrace_pass(tracer: &mut Tracer<'_>, pass: u64, size: f64, width: u32, height: u32) {
    let jitter = (size / 2.0).min(1.0);
    let offset = (size - 1.0) / 2.0;
    let (w, h) = (f64::from(width), f64::from(height));
    let mut j = 0u64;
    let mut y = 0.0;
    while y < h - 0.5 {
        let mut x = 0.0;
        while x < w - 0.5 {
            j += 1;
            let jx = jitter * unit_hash(pass, j, 0);
            let jy = jitter * unit_hash(pass, j, 1);
            // Pixel (x, y)'s centre is at x + 0.5.
            sampling::sample(
                tracer,
                x + offset + jx + 0.5,
                y + offset + jy + 0.5,
                width,
                height,
            );
            x += size;
        }
        y += size;
    }
}

/// A deterministic value in [-1, 1) from a pass, a position index and an axis.
fn unit_hash(pass: u64, index: u64, axis: u64) -> f64 {
    let mut h = pass.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index.rotate_left(17) ^ (axis << 61);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    (h >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}
