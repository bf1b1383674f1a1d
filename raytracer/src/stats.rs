//! Render statistics, kept per worker and summed at the end, and their report laid out
//! as POV-Ray 3.7's "Render Statistics" block.
//!
//! The counters follow POV-Ray's definitions, so the figures compare: `rays` counts
//! every traced ray (camera, reflected, refracted), including those cut off by
//! `max_trace_level`, but never shadow rays, which POV-Ray reports as shadow tests.
//!
//! A leaf module: the scene's objects and media count into it while they intersect and
//! sample, and the renderer sums and reports it, so neither depends on the other for it.

use std::fmt::Write as _;

/// The statistics bucket a shape's intersection tests are counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeKind {
    // In the order of [`ShapeKind::ALL`]: the discriminant is the statistics slot.
    Box,
    Cone,
    Cylinder,
    Disc,
    Isosurface,
    Plane,
    Poly,
    Quadric,
    Sphere,
    Torus,
    Triangle,
    Prism,
    Glyph,
    Lathe,
    Sor,
    Superellipsoid,
    Blob,
    Mesh,
    Julia,
    Polygon,
    HeightField,
    BicubicPatch,
    SphereSweep,
    Ovus,
    Parametric,
}

impl ShapeKind {
    pub const ALL: [ShapeKind; 25] = [
        ShapeKind::Box,
        ShapeKind::Cone,
        ShapeKind::Cylinder,
        ShapeKind::Disc,
        ShapeKind::Isosurface,
        ShapeKind::Plane,
        ShapeKind::Poly,
        ShapeKind::Quadric,
        ShapeKind::Sphere,
        ShapeKind::Torus,
        ShapeKind::Triangle,
        ShapeKind::Prism,
        ShapeKind::Glyph,
        ShapeKind::Lathe,
        ShapeKind::Sor,
        ShapeKind::Superellipsoid,
        ShapeKind::Blob,
        ShapeKind::Mesh,
        ShapeKind::Julia,
        ShapeKind::Polygon,
        ShapeKind::HeightField,
        ShapeKind::BicubicPatch,
        ShapeKind::SphereSweep,
        ShapeKind::Ovus,
        ShapeKind::Parametric,
    ];

    /// The label POV-Ray's statistics use.
    pub fn label(self) -> &'static str {
        match self {
            ShapeKind::Sphere => "Sphere",
            ShapeKind::Plane => "Plane",
            ShapeKind::Box => "Box",
            ShapeKind::Cone => "Cone",
            ShapeKind::Cylinder => "Cylinder",
            ShapeKind::Disc => "Disc",
            ShapeKind::Torus => "Torus",
            ShapeKind::Quadric => "Quadric",
            ShapeKind::Triangle => "Triangle",
            ShapeKind::Isosurface => "Isosurface",
            ShapeKind::Prism => "Prism",
            ShapeKind::Glyph => "Text",
            ShapeKind::Lathe => "Lathe",
            ShapeKind::Sor => "Surface of Revolution",
            ShapeKind::Superellipsoid => "Superellipsoid",
            ShapeKind::Blob => "Blob",
            ShapeKind::Mesh => "Mesh",
            ShapeKind::Poly => "Quartic/Poly",
            ShapeKind::Julia => "Julia Fractal",
            ShapeKind::Polygon => "Polygon",
            ShapeKind::HeightField => "Height Field",
            ShapeKind::BicubicPatch => "Bicubic Patch",
            ShapeKind::SphereSweep => "Sphere Sweep",
            ShapeKind::Ovus => "Ovus",
            ShapeKind::Parametric => "Parametric",
        }
    }
}

/// What media sampling did, as POV-Ray's statistics count it: the intervals
/// sampled and the samples taken, along every ray and shadow ray.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MediaCounts {
    pub intervals: u64,
    pub samples: u64,
}

impl MediaCounts {
    pub fn add(&mut self, o: MediaCounts) {
        self.intervals += o.intervals;
        self.samples += o.samples;
    }
}

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
    /// Reflections taken in place of a refraction (total internal reflection),
    /// counted among the reflected rays too, as POV-Ray counts them.
    pub internal_reflected_rays: u64,
    /// Rays bent through a surface between different indices of refraction.
    pub refracted_rays: u64,
    /// Rays through a see-through surface with the same index on both sides.
    pub transmitted_rays: u64,
    /// Media intervals sampled and the samples taken in them, shadow rays included.
    pub media: MediaCounts,
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
        self.internal_reflected_rays += o.internal_reflected_rays;
        self.refracted_rays += o.refracted_rays;
        self.transmitted_rays += o.transmitted_rays;
        self.media.add(o.media);
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

    /// The media, shadow, reflected, refracted and transmitted lines, each only
    /// when its count is not 0, as POV-Ray prints them.
    fn ray_counts(&self, s: &mut String) {
        if self.media.intervals > 0 {
            let _ = writeln!(
                s,
                "Media Intervals:    {:>15}   Media Samples:   {:>15} ({:4.2})",
                self.media.intervals,
                self.media.samples,
                ratio(self.media.samples, self.media.intervals)
            );
        }
        if self.shadow_rays > 0 {
            let _ = writeln!(
                s,
                "Shadow Ray Tests:   {:>15}   Succeeded:       {:>15}",
                self.shadow_rays, self.shadow_blocked
            );
        }
        if self.reflected_rays > 0 {
            if self.internal_reflected_rays > 0 {
                let _ = writeln!(
                    s,
                    "Reflected Rays:     {:>15}   Total Internal:  {:>15}",
                    self.reflected_rays, self.internal_reflected_rays
                );
            } else {
                let _ = writeln!(s, "Reflected Rays:     {:>15}", self.reflected_rays);
            }
        }
        if self.refracted_rays > 0 {
            let _ = writeln!(s, "Refracted Rays:     {:>15}", self.refracted_rays);
        }
        if self.transmitted_rays > 0 {
            let _ = writeln!(s, "Transmitted Rays:   {:>15}", self.transmitted_rays);
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
        assert!(!text.contains("Media Intervals"), "{text}");
        let media = Stats {
            media: MediaCounts {
                intervals: 4,
                samples: 10,
            },
            reflected_rays: 3,
            internal_reflected_rays: 1,
            transmitted_rays: 2,
            ..Stats::default()
        }
        .summary(4, 3, 5);
        for line in [
            "Media Intervals:                  4   Media Samples:                10 (2.50)",
            "Reflected Rays:                   3   Total Internal:                1",
            "Transmitted Rays:                 2",
        ] {
            assert!(media.contains(line), "{line}\n{media}");
        }
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
