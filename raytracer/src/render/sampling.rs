//! Pixel sampling: one centre ray per pixel, then POV-Ray's anti-aliasing method 1
//! (supersample a pixel whose colour differs from a neighbour's by the threshold,
//! with an R x R grid of optionally jittered rays averaged with the centre ray).
//!
//! Everything a pixel's colour depends on is a pure function of the pixel's
//! coordinates: neighbours are compared on their centre colours (traced again when
//! they lie outside the block), and the jitter is a hash of the sample position. So
//! a pixel gets the same colour whatever block, thread or host renders it.

use glam::DVec3;

use super::tracer::Tracer;

/// Anti-aliasing settings (`+A`, `+R`, `+J`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Antialias {
    /// Colour distance (sum of channel differences) that triggers supersampling.
    pub threshold: f64,
    /// Grid size per side (`+R`, POV-Ray's default 3).
    pub depth: u32,
    /// Jitter amount (`+J`; 0 for none, POV-Ray's default 1).
    pub jitter: f64,
}

impl Default for Antialias {
    fn default() -> Self {
        Antialias {
            threshold: 0.3,
            depth: 3,
            jitter: 1.0,
        }
    }
}

/// A deterministic value in [-0.5, 0.5) from a sample position.
fn jitter_hash(x: f64, y: f64, salt: u64) -> f64 {
    let mut h =
        x.to_bits().wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ y.to_bits().rotate_left(29) ^ salt;
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    (h >> 11) as f64 / (1u64 << 53) as f64 - 0.5
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
    let mut sum = centre;
    for j in 0..depth {
        let yy = -range + f64::from(j) * step;
        for i in 0..depth {
            let xx = -range + f64::from(i) * step;
            let (sx, sy) = (f64::from(px) + xx, f64::from(py) + yy);
            let (jx, jy) = if jitter_scale > 0.0 {
                (
                    jitter_hash(sx, sy, 1) * jitter_scale,
                    jitter_hash(sx, sy, 2) * jitter_scale,
                )
            } else {
                (0.0, 0.0)
            };
            sum += sample(tracer, sx + 0.5 + jx, sy + 0.5 + jy, width, height);
        }
    }
    sum / f64::from(depth * depth + 1)
}

/// POV-Ray's colour distance used by the threshold test, on colours mapped through
/// `encode` (the anti-aliasing gamma).
pub fn distance(a: DVec3, b: DVec3) -> f64 {
    (a - b).abs().element_sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_deterministic_and_bounded() {
        for i in 0..1000 {
            let v = jitter_hash(i as f64 * 0.37, 5.5, 1);
            assert!((-0.5..0.5).contains(&v));
            assert_eq!(v, jitter_hash(i as f64 * 0.37, 5.5, 1));
        }
    }
}
