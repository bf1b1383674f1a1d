//! Radiosity as POV-Ray 3.7 computes it: diffuse interreflection estimated at
//! sparse sample points by shooting cosine-weighted rays, cached, and reused by
//! nearby points with Ward's error-bound weighting (see [`cache`]).
//!
//! # Determinism
//!
//! POV-Ray fills its sample cache while it renders, from several threads, so its
//! result depends on the order pixels are traced. Here the cache is built once per
//! scene and image size by [`pretrace::build`], on one thread in a fixed order:
//! POV-Ray's pretrace passes (`pretrace_start` to `pretrace_end`, the block size
//! halving each pass, positions jittered by a hash of the pass and grid position),
//! then one pass through every pixel centre with the final render's settings. The
//! render itself only reads the finished cache: where a point still finds too few
//! samples it gathers light afresh but keeps the result to itself. A pixel's
//! colour therefore depends only on the scene, the image size and its position.
//!
//! Distributed slaves each run the same pretrace: it is a pure function of the
//! scene and the image size, so every slave builds a bit-identical cache without
//! shipping one over the wire.
//!
//! The sample directions follow POV-Ray's construction for large counts, a
//! cosine-weighted Halton sequence in bases 2 and 3 ([`directions`]); each new
//! sample starts at an offset into it hashed from its position (POV-Ray
//! continues the sequence from one sample to the next in trace order).

pub mod cache;
pub mod directions;
pub mod gather;
pub mod pretrace;

use std::sync::OnceLock;

use glam::DVec3;

use crate::desc;
pub use cache::Cache;

/// How each bounce depth samples and reuses, precomputed from the settings as
/// POV-Ray 3.7 derives them.
#[derive(Clone, Debug)]
pub struct Level {
    /// Rays per new sample: `count` halved per bounce, at least 5.
    pub rays: u32,
    /// Weight of cached samples a point needs to reuse them.
    pub reuse_count: u32,
    /// Error bound factor: doubles per bounce.
    pub error_factor: f64,
    /// `minimum_reuse` and `maximum_reuse` at this depth (doubling per bounce).
    pub min_reuse: f64,
    pub max_reuse: f64,
    /// Trace level the sample rays start from.
    pub trace_level: u32,
    /// Weight the sample rays carry (for `adc_bailout`).
    pub weight: f64,
}

/// The longest direction sequence kept (`count`'s second value is clamped).
const MAX_DIRECTIONS: u32 = 1 << 16;

/// Below this weight a point's error bound grows (POV-Ray's constant).
pub const WEIGHT_ERROR_BOUND_OFFSET: f64 = 0.25;

/// The scene's radiosity: settings, per-depth parameters and the cache built
/// for the image size rendered.
#[derive(Debug)]
pub struct Radiosity {
    pub settings: desc::Radiosity,
    pub levels: Vec<Level>,
    /// The sample directions, Y up.
    pub directions: Vec<DVec3>,
    /// Where the camera is: reuse distances are fractions of the distance to it.
    pub camera: DVec3,
    /// The cache for the first image size asked for, with that size.
    built: OnceLock<((u32, u32), Cache)>,
}

impl Radiosity {
    pub fn new(settings: &desc::Radiosity, camera: DVec3) -> Radiosity {
        let s = settings;
        let levels = (0..s.recursion_limit.max(1))
            .map(|depth| {
                let d = f64::from(depth);
                Level {
                    rays: ((f64::from(s.count) * 0.5f64.powf(d)) as u32).max(5),
                    reuse_count: match depth {
                        0 => s.nearest_count,
                        1 => s.nearest_count.min(2),
                        _ => 1,
                    },
                    error_factor: 2f64.powf(d),
                    min_reuse: s.minimum_reuse * 2f64.powf(d),
                    max_reuse: s.maximum_reuse * 2f64.powf(d),
                    trace_level: (1.5 * (d + 1.0)) as u32,
                    weight: (0.5 * s.brightness).powf(d + 1.0),
                }
            })
            .collect();
        Radiosity {
            settings: s.clone(),
            levels,
            directions: directions::cos_weighted(s.direction_pool.clamp(1, MAX_DIRECTIONS) as usize),
            camera,
            built: OnceLock::new(),
        }
    }

    /// The cache for a `width` x `height` image: built by the first caller (the
    /// others wait), or built afresh for another size.
    pub fn cache_for(
        &self,
        scene: &crate::scene::Scene,
        lighting: &crate::render::Lighting,
        width: u32,
        height: u32,
    ) -> CacheRef<'_> {
        let build = || pretrace::build(scene, lighting, self, width, height);
        let (size, cache) = self.built.get_or_init(|| ((width, height), build()));
        if *size == (width, height) {
            CacheRef::Shared(cache)
        } else {
            CacheRef::Owned(Box::new(build()))
        }
    }

    /// The largest error bound any lookup at `depth` uses, for the cache's
    /// spatial index.
    pub fn max_error_bound(&self, depth: usize) -> f64 {
        let s = &self.settings;
        let factor = self.levels.get(depth).map_or(1.0, |l| l.error_factor);
        (s.error_bound * s.low_error_factor.max(1.0) + WEIGHT_ERROR_BOUND_OFFSET) * factor
    }
}

/// The cache a tracer reads (or, during the pretrace, fills).
#[derive(Debug)]
pub enum CacheRef<'a> {
    Shared(&'a Cache),
    Owned(Box<Cache>),
}

impl CacheRef<'_> {
    pub fn get(&self) -> &Cache {
        match self {
            CacheRef::Shared(c) => c,
            CacheRef::Owned(c) => c,
        }
    }
}

/// A tracer's radiosity state.
#[derive(Debug)]
pub struct RadState<'a> {
    pub rad: &'a Radiosity,
    pub cache: CacheRef<'a>,
    /// New samples go into the cache (the pretrace) or are only used (the render).
    pub building: bool,
    /// The final render's error bound and weighting (else the pretrace's).
    pub final_trace: bool,
    /// Camera-level surfaces skip direct light: only their radiosity matters.
    pub skip_direct: bool,
    /// Bounce depth of the ray being shaded (0: not a radiosity ray).
    pub depth: u32,
}

impl<'a> RadState<'a> {
    /// The state of a final-render tracer reading `cache`.
    pub fn render(rad: &'a Radiosity, cache: CacheRef<'a>) -> Self {
        RadState {
            rad,
            cache,
            building: false,
            final_trace: true,
            skip_direct: false,
            depth: 0,
        }
    }

    /// The error bound of the current pass.
    pub fn error_bound(&self) -> f64 {
        let s = &self.rad.settings;
        if self.final_trace {
            s.error_bound
        } else {
            s.error_bound * s.low_error_factor
        }
    }
}
