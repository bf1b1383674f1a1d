//! Render statistics, kept per worker and summed at the end, printed like POV-Ray's
//! summary with `+V`.

use std::fmt::Write as _;
use std::time::Duration;

use crate::scene::shapes::ShapeKind;

/// Shape kinds counted separately.
pub const KINDS: usize = ShapeKind::ALL.len();

/// Counters for one worker; [`Stats::merge`] adds another worker's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub pixels: u64,
    pub samples: u64,
    pub camera_rays: u64,
    pub shadow_rays: u64,
    pub reflected_rays: u64,
    pub refracted_rays: u64,
    /// Deepest trace level reached (camera rays are level 1).
    pub max_level: u32,
    pub tests: [u64; KINDS],
    pub successes: [u64; KINDS],
}

fn slot(kind: ShapeKind) -> usize {
    kind as usize
}

impl Stats {
    #[inline]
    pub fn count_test(&mut self, kind: ShapeKind, hit: bool) {
        let i = slot(kind);
        self.tests[i] += 1;
        self.successes[i] += u64::from(hit);
    }

    pub fn merge(&mut self, o: &Stats) {
        self.pixels += o.pixels;
        self.samples += o.samples;
        self.camera_rays += o.camera_rays;
        self.shadow_rays += o.shadow_rays;
        self.reflected_rays += o.reflected_rays;
        self.refracted_rays += o.refracted_rays;
        self.max_level = self.max_level.max(o.max_level);
        for (mine, theirs) in self.tests.iter_mut().zip(o.tests) {
            *mine += theirs;
        }
        for (mine, theirs) in self.successes.iter_mut().zip(o.successes) {
            *mine += theirs;
        }
    }

    pub fn total_rays(&self) -> u64 {
        self.camera_rays + self.shadow_rays + self.reflected_rays + self.refracted_rays
    }

    /// The `+V` summary: pixels, rays, intersection tests per shape kind, time.
    pub fn summary(&self, width: u32, height: u32, elapsed: Duration) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "Render Statistics");
        let _ = writeln!(s, "Image Resolution {width} x {height}");
        let _ = writeln!(
            s,
            "----------------------------------------------------------------------------"
        );
        let _ = writeln!(
            s,
            "Pixels:    {:>15}   Samples:   {:>15}   Smpls/Pxl: {:>7.2}",
            self.pixels,
            self.samples,
            ratio(self.samples, self.pixels)
        );
        let _ = writeln!(
            s,
            "Rays:      {:>15}   Saved:     {:>15}   Max Level: {:>7}",
            self.total_rays(),
            0,
            self.max_level
        );
        let _ = writeln!(
            s,
            "----------------------------------------------------------------------------"
        );
        let _ = writeln!(
            s,
            "Ray->Shape Intersection          Tests       Succeeded  Percentage"
        );
        let _ = writeln!(
            s,
            "----------------------------------------------------------------------------"
        );
        for (i, kind) in ShapeKind::ALL.iter().enumerate() {
            if self.tests[i] > 0 {
                let pct = 100.0 * ratio(self.successes[i], self.tests[i]);
                let _ = writeln!(
                    s,
                    "{:<24} {:>14} {:>15} {:>10.2}",
                    kind.label(),
                    self.tests[i],
                    self.successes[i],
                    pct
                );
            }
        }
        let _ = writeln!(
            s,
            "----------------------------------------------------------------------------"
        );
        let _ = writeln!(s, "Shadow Ray Tests:    {:>15}", self.shadow_rays);
        let _ = writeln!(s, "Reflected Rays:      {:>15}", self.reflected_rays);
        let _ = writeln!(s, "Refracted Rays:      {:>15}", self.refracted_rays);
        let _ = writeln!(
            s,
            "----------------------------------------------------------------------------"
        );
        let secs = elapsed.as_secs_f64();
        let _ = writeln!(
            s,
            "Render Time:  {secs:.3} seconds ({:.0} rays/second)",
            self.total_rays() as f64 / secs.max(1e-9)
        );
        s
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_kind_has_its_own_slot() {
        for (i, k) in ShapeKind::ALL.iter().enumerate() {
            assert_eq!(slot(*k), i, "{k:?}");
        }
    }
}
