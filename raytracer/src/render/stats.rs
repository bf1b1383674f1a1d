//! Render statistics, kept per worker and summed at the end, and their report laid out
//! as POV-Ray 3.7's "Render Statistics" block.
//!
//! The counters follow POV-Ray's definitions, so the figures compare: `rays` counts
//! every traced ray (camera, reflected, refracted), including those cut off by
//! `max_trace_level`, but never shadow rays, which POV-Ray reports as shadow tests.

use std::fmt::Write as _;

use crate::scene::shapes::ShapeKind;

/// Shape kinds counted separately.
pub const KINDS: usize = ShapeKind::ALL.len();

/// The rule between sections of the report, as POV-Ray draws it.
pub const RULE: &str =
    "----------------------------------------------------------------------------";

/// Counters for one worker; [`Stats::merge`] adds another worker's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub pixels: u64,
    pub samples: u64,
    /// Every ray traced for its colour (POV-Ray's "Rays").
    pub rays: u64,
    pub camera_rays: u64,
    pub shadow_rays: u64,
    /// Shadow rays that met an object before the light.
    pub shadow_blocked: u64,
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
        self.rays += o.rays;
        self.camera_rays += o.camera_rays;
        self.shadow_rays += o.shadow_rays;
        self.shadow_blocked += o.shadow_blocked;
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

    /// Every ray shot, shadow rays included (for a rays-per-second figure).
    pub fn total_rays(&self) -> u64 {
        self.rays + self.shadow_rays
    }

    /// The report: pixels and samples, rays and the deepest level against the scene's
    /// `max_trace_level`, intersection tests per shape kind, shadow, reflected and
    /// refracted rays. `partial` when only part of the image was rendered.
    pub fn summary(&self, width: u32, height: u32, max_trace_level: u32) -> String {
        let mut s = String::new();
        let partial = self.pixels < u64::from(width) * u64::from(height);
        let _ = writeln!(s, "{RULE}");
        let _ = writeln!(
            s,
            "Render Statistics{}",
            if partial {
                " (Partial Image Rendered)"
            } else {
                ""
            }
        );
        let _ = writeln!(s, "Image Resolution {width} x {height}");
        let _ = writeln!(s, "{RULE}");
        // POV-Ray's "Samples" are the anti-aliasing samples, beyond a pixel's first.
        let samples = self.samples.saturating_sub(self.pixels);
        let per_pixel = if self.pixels > 0 {
            format!("{:.2}", ratio(samples, self.pixels))
        } else {
            "-".to_string()
        };
        let _ = writeln!(
            s,
            "Pixels:  {:>15}   Samples: {:>15}   Smpls/Pxl: {per_pixel}",
            self.pixels, samples
        );
        let _ = writeln!(
            s,
            "Rays:    {:>15}   Saved:   {:>15}   Max Level: {}/{}",
            self.rays, 0, self.max_level, max_trace_level
        );
        let _ = writeln!(s, "{RULE}");
        let _ = writeln!(
            s,
            "Ray->Shape Intersection          Tests       Succeeded  Percentage"
        );
        let _ = writeln!(s, "{RULE}");
        for (label, tests, successes) in self.rows_by_label() {
            let pct = 100.0 * ratio(successes, tests);
            let _ = writeln!(s, "{label:<22}  {tests:>14}  {successes:>14}  {pct:>8.2}");
        }
        let _ = writeln!(s, "{RULE}");
        self.ray_counts(&mut s);
        let _ = writeln!(s, "{RULE}");
        s
    }

    /// Intersection tests summed per label (POV-Ray reports some kinds together),
    /// in the order the labels first appear; kinds never tested are left out.
    fn rows_by_label(&self) -> Vec<(&'static str, u64, u64)> {
        let mut rows: Vec<(&'static str, u64, u64)> = Vec::new();
        for (i, kind) in ShapeKind::ALL.iter().enumerate() {
            if self.tests[i] == 0 {
                continue;
            }
            match rows.iter_mut().find(|r| r.0 == kind.label()) {
                Some(r) => {
                    r.1 += self.tests[i];
                    r.2 += self.successes[i];
                }
                None => rows.push((kind.label(), self.tests[i], self.successes[i])),
            }
        }
        rows
    }

    /// The shadow, reflected and refracted lines, each only when its count is not 0.
    fn ray_counts(&self, s: &mut String) {
        if self.shadow_rays > 0 {
            let _ = writeln!(
                s,
                "Shadow Ray Tests:   {:>15}   Succeeded:       {:>15}",
                self.shadow_rays, self.shadow_blocked
            );
        }
        if self.reflected_rays > 0 {
            let _ = writeln!(s, "Reflected Rays:     {:>15}", self.reflected_rays);
        }
        if self.refracted_rays > 0 {
            let _ = writeln!(s, "Refracted Rays:     {:>15}", self.refracted_rays);
        }
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

    #[test]
    fn summary_lays_out_counts_as_povray() {
        let mut st = Stats {
            pixels: 12,
            samples: 42,
            rays: 40,
            shadow_rays: 9,
            shadow_blocked: 2,
            max_level: 3,
            ..Stats::default()
        };
        st.count_test(ShapeKind::Sphere, true);
        st.count_test(ShapeKind::Sphere, false);
        let text = st.summary(4, 3, 5);
        assert!(text.contains("Render Statistics\n"), "{text}");
        assert!(text.contains("Smpls/Pxl: 2.50"), "{text}");
        assert!(text.contains("Max Level: 3/5"), "{text}");
        assert!(
            text.contains("Sphere                               2               1     50.00"),
            "{text}"
        );
        assert!(text.contains("Succeeded:                     2"), "{text}");
        assert!(!text.contains("Reflected Rays"), "{text}");
        let partial = Stats::default().summary(4, 3, 5);
        assert!(partial.contains("(Partial Image Rendered)") && partial.contains("Smpls/Pxl: -"));
    }

    #[test]
    fn merge_keeps_the_deepest_level_and_sums_the_rest() {
        let mut a = Stats {
            rays: 1,
            max_level: 2,
            ..Stats::default()
        };
        a.merge(&Stats {
            rays: 2,
            max_level: 5,
            shadow_blocked: 1,
            ..Stats::default()
        });
        assert_eq!((a.rays, a.max_level, a.shadow_blocked), (3, 5, 1));
    }
}
