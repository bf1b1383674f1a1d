//! `global_settings { radiosity { ... } }`: POV-Ray 3.7's radiosity parameters.

/// The radiosity block with POV-Ray 3.7's defaults for everything it leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct Radiosity {
    /// `adc_bailout` of the sample rays (default 0.01).
    pub adc_bailout: f64,
    /// `always_sample`: take new samples in the final render even where the
    /// cache already has some (default off).
    pub always_sample: bool,
    /// `brightness` (default 1).
    pub brightness: f64,
    /// `count` (default 35): sample rays per new sample at the top bounce.
    pub count: u32,
    /// `count`'s second value: how many directions of the sequence are used
    /// before it repeats (default 1600).
    pub direction_pool: u32,
    /// `error_bound` (default 1.8).
    pub error_bound: f64,
    /// `gray_threshold` (default 0).
    pub gray_threshold: f64,
    /// `low_error_factor` (default 0.5): the pretrace's error bound factor.
    pub low_error_factor: f64,
    /// `max_sample` (default off, negative): the brightest a sample ray may be.
    pub max_sample: f64,
    /// `maximum_reuse` (default 0.2), a fraction of the distance to the camera.
    pub maximum_reuse: f64,
    /// `minimum_reuse` (default 0.015), a fraction of the distance to the camera.
    pub minimum_reuse: f64,
    /// `nearest_count` (default 5): samples a point needs to reuse the cache.
    pub nearest_count: u32,
    /// `recursion_limit` (default 2).
    pub recursion_limit: u32,
    /// `pretrace_start` (default 0.08), a fraction of the image size.
    pub pretrace_start: f64,
    /// `pretrace_end` (default 0.04).
    pub pretrace_end: f64,
    /// `normal`: sample around the perturbed normal (default off).
    pub normal: bool,
    /// `media`: sample rays see media and fog (default off).
    pub media: bool,
}

impl Default for Radiosity {
    fn default() -> Self {
        Self {
            adc_bailout: 0.01,
            always_sample: false,
            brightness: 1.0,
            count: 35,
            direction_pool: 1600,
            error_bound: 1.8,
            gray_threshold: 0.0,
            low_error_factor: 0.5,
            max_sample: -1.0,
            maximum_reuse: 0.2,
            minimum_reuse: 0.015,
            nearest_count: 5,
            recursion_limit: 2,
            pretrace_start: 0.08,
            pretrace_end: 0.04,
            normal: false,
            media: false,
        }
    }
}
