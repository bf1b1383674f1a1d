//! The radiosity term of a surface point: reuse cached samples when enough lie
//! near, else gather light over the hemisphere (and, in the pretrace, keep it).

use glam::DVec3;

use super::cache::Sample;
use super::WEIGHT_ERROR_BOUND_OFFSET;
use crate::render::tracer::{greyscale, Tracer};
use crate::scene::{Ray, RayKind};

/// A new sample's light and where its rays went.
struct Gathered {
    illuminance: DVec3,
    mean_distance: f64,
    nearest_distance: f64,
    to_nearest: DVec3,
    /// Every ray was a raw-normal one (the perturbed normal's ran out).
    raw: bool,
    /// The rays' mean quality: how much the new sample counts beside others.
    quality: f64,
}

impl Tracer<'_> {
    /// The diffuse light arriving at `p` from the other surfaces, as POV-Ray 3.7's
    /// radiosity computes it (before the surface's colour and `diffuse`):
    /// `raw_n` is the geometric normal, `layer_n` the perturbed one; `weight` is
    /// how much the result can show in the pixel.
    pub(crate) fn radiosity_ambient(
        &mut self,
        p: DVec3,
        raw_n: DVec3,
        layer_n: DVec3,
        weight: f64,
    ) -> DVec3 {
        let Some(state) = self.rad.as_ref() else {
            return DVec3::ZERO;
        };
        let rad = state.rad;
        let depth = state.depth as usize;
        let Some(level) = rad.levels.get(depth) else {
            return DVec3::ZERO;
        };
        let s = &rad.settings;
        let n = if s.normal { layer_n } else { raw_n };
        let mut bound = state.error_bound();
        if weight < WEIGHT_ERROR_BOUND_OFFSET {
            bound += WEIGHT_ERROR_BOUND_OFFSET - weight;
        }
        bound *= level.error_factor;
        let smooth = state.final_trace && depth == 0;
        let found = state.cache.get().lookup(depth, p, n, bound, smooth);
        let enough = found.weight * 4.0 >= f64::from(level.reuse_count)
            || (state.final_trace && !s.always_sample && found.weight > 0.0);
        let mut amb = found.illuminance;
        let mut reuse = found.weight;
        if !enough {
            let (new, quality) = self.gather(depth, p, raw_n, n);
            amb = if found.weight > 0.0 {
                (found.illuminance * found.weight + new * quality) / (found.weight + quality)
            } else {
                new
            };
            reuse += quality;
        }
        // The ray that led here loses quality where few samples stood for it
        // (POV-Ray's ticket quality, single precision as there).
        let here = (4.0 * reuse) as f32 / level.reuse_count as f32;
        self.rad_quality = self.rad_quality.min(here);
        amb = amb * (1.0 - s.gray_threshold) + DVec3::splat(s.gray_threshold * greyscale(amb));
        amb * s.brightness
    }

    /// Shoots the sample rays of a new sample at `p` and, while the pretrace
    /// builds the cache, stores the sample. Returns its light and quality.
    fn gather(&mut self, depth: usize, p: DVec3, raw_n: DVec3, n: DVec3) -> (DVec3, f64) {
        let outer_quality = self.rad_quality;
        let Some(g) = self.shoot(depth, p, raw_n, n) else {
            return (DVec3::ZERO, 1.0);
        };
        self.rad_quality = outer_quality.max(g.quality as f32);
        let found = (g.illuminance, g.quality);
        let Some(state) = self.rad.as_mut() else {
            return found;
        };
        let rad = state.rad;
        let Some(level) = rad.levels.get(depth) else {
            return found;
        };
        let to_eye = (rad.camera - p).length();
        let (min, max) = (to_eye * level.min_reuse, to_eye * level.max_reuse);
        let keep = state.building && g.nearest_distance > max * 1e-4;
        if let (true, super::CacheRef::Owned(cache)) = (keep, &mut state.cache) {
            let sample = Sample {
                point: p,
                normal: if g.raw { raw_n } else { n },
                to_nearest: g.to_nearest,
                illuminance: g.illuminance,
                mean_distance: g.mean_distance.max(min).min(max),
                nearest_distance: g.nearest_distance,
                quality: g.quality as f32,
            };
            cache.insert(depth, sample, rad.max_error_bound(depth));
        }
        found
    }

    /// The sample rays themselves: cosine-weighted about `n`, none below the
    /// geometric normal `raw_n` (falling back to `raw_n` when too many are).
    fn shoot(&mut self, depth: usize, p: DVec3, raw_n: DVec3, n: DVec3) -> Option<Gathered> {
        let state = self.rad.as_ref()?;
        let rad = state.rad;
        let level = rad.levels.get(depth)?;
        let pool = rad.directions.len();
        let count = (level.rays as usize).min(pool);
        let media = rad.settings.media;
        let max_sample = rad.settings.max_sample;
        let use_raw = (n - raw_n).length_squared() < 1e-12;
        let mut seq = Sequence::new(rad, p, depth, if use_raw { raw_n } else { n });
        let mut budget = if use_raw { pool } else { (count * 5).min(pool) };
        let mut raw_mode = use_raw;
        let (mut sum, mut inverse_sum) = (DVec3::ZERO, 0.0);
        let (mut nearest, mut to_nearest) = (f64::INFINITY, raw_n);
        let (mut ok, mut ok_raw) = (0u32, 0u32);
        let mut quality_sum = 0.0;
        let ray_weight = level.weight.max(rad.settings.adc_bailout + 1e-10);
        let trace_level = level.trace_level + 1;
        for i in 0..count {
            let mut dir = seq.next_above(raw_n, raw_mode, &mut budget);
            if dir.is_none() && !raw_mode {
                raw_mode = true;
                seq = Sequence::new(rad, p, depth, raw_n);
                budget = pool;
                dir = seq.next_above(raw_n, true, &mut budget);
            }
            let Some(dir) = dir else {
                break;
            };
            ok += 1;
            ok_raw += u32::from(raw_mode);
            // POV-Ray's importance: ray i of n counts only where the object it
            // meets first has an importance of at least i / (n - 1) (in single
            // precision, as there; a lone ray asks 0 / 0 and never counts), and
            // the rays that count stand for the skipped ones.
            let wanted = i as f32 / (count as f32 - 1.0);
            self.importance_query = Some(wanted);
            self.rad_quality = 1.0;
            let (mut c, t) = self.radiosity_ray(&Ray::new(p, dir), ray_weight, trace_level, media);
            self.importance_query = None;
            let found = self.importance_found;
            if found >= wanted {
                let mut quality = f64::from(self.rad_quality);
                if found < 1.0 {
                    let last = (found * (count as f32 - 1.0)).floor();
                    quality *= f64::from(count as f32 / (last + 1.0));
                }
                let brightest = c.max_element();
                if max_sample > 0.0 && brightest > max_sample {
                    c *= max_sample / brightest;
                }
                quality_sum += quality;
                sum += c * quality;
            }
            if t < nearest {
                nearest = t;
                to_nearest = dir;
            }
            inverse_sum += 1.0 / t;
        }
        if ok == 0 {
            return None;
        }
        Some(Gathered {
            illuminance: if quality_sum == 0.0 {
                sum
            } else {
                sum / quality_sum
            },
            mean_distance: f64::from(ok) / inverse_sum,
            nearest_distance: nearest,
            to_nearest,
            raw: ok_raw * 2 > ok,
            quality: quality_sum / f64::from(ok),
        })
    }

    /// One sample ray, one bounce deeper: its colour and how far it went.
    fn radiosity_ray(&mut self, ray: &Ray, weight: f64, level: u32, media: bool) -> (DVec3, f64) {
        let outer_hollow = self.hollow;
        if !media {
            self.hollow = false;
        }
        if let Some(s) = self.rad.as_mut() {
            s.depth += 1;
        }
        let out = self.trace_depth(ray, RayKind::Radiosity, weight, level);
        if let Some(s) = self.rad.as_mut() {
            s.depth -= 1;
        }
        self.hollow = outer_hollow;
        out
    }
}

/// Walks the direction sequence from an offset hashed from the sample's
/// position, turned into the frame of a normal.
struct Sequence<'r> {
    dirs: &'r [DVec3],
    at: usize,
    frame: Frame,
}

impl<'r> Sequence<'r> {
    fn new(rad: &'r super::Radiosity, p: DVec3, depth: usize, normal: DVec3) -> Self {
        let dirs = &rad.directions[..];
        let at = (position_hash(p, depth as u64) % dirs.len().max(1) as u64) as usize;
        Sequence {
            dirs,
            at,
            frame: Frame::new(normal),
        }
    }

    /// The next direction that does not point below `raw_n` (any direction in
    /// raw-normal mode), or None when `budget` runs out first.
    fn next_above(&mut self, raw_n: DVec3, raw_mode: bool, budget: &mut usize) -> Option<DVec3> {
        while *budget > 0 {
            *budget -= 1;
            let d = self.frame.apply(self.dirs[self.at]);
            self.at = (self.at + 1) % self.dirs.len();
            if raw_mode || d.dot(raw_n) > 0.0 {
                return Some(d);
            }
        }
        None
    }
}

/// POV-Ray's frame for a normal: Y along it, X across it and the Z axis (the Y
/// axis when the normal is too close to Z); normals within 2.56 degrees of
/// +-Y take the directions as they are (or mirrored).
struct Frame {
    x: DVec3,
    y: DVec3,
    z: DVec3,
}

/// 1 - cos(2.56 degrees).
const AXIS_EPSILON: f64 = 0.001;

impl Frame {
    fn new(y: DVec3) -> Frame {
        let off = if y.z.abs() > 0.9 { DVec3::Y } else { DVec3::Z };
        let x = y.cross(off).normalize_or_zero();
        let z = x.cross(y).normalize_or_zero();
        Frame { x, y, z }
    }

    fn apply(&self, v: DVec3) -> DVec3 {
        if self.y.y > 1.0 - AXIS_EPSILON {
            v
        } else if self.y.y < -1.0 + AXIS_EPSILON {
            -v
        } else {
            self.x * v.x + self.y * v.y + self.z * v.z
        }
    }
}

/// A well-mixed hash of a point's exact coordinates.
fn position_hash(p: DVec3, salt: u64) -> u64 {
    let mut h = salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for v in [p.x, p.y, p.z] {
        h ^= v.to_bits();
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
    }
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}
