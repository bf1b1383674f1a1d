//! Animation as POV-Ray 3.7 runs it: the frames `+KFI`..`+KFF` (optionally only the
//! subset `+SF`..`+EF`, every `+STP`-th), each frame's `clock` between `+KI` and `+KF`
//! (`+KC`, cyclic, leaves out the final clock value so the last frame leads back to the
//! first), and each frame's numbered file name (`name07.png`, padded to the digits of
//! the final frame number). Plain data and pure functions: the caller renders.

use std::path::{Path, PathBuf};

/// The animation settings from the command line and INI files.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimationOptions {
    pub initial_frame: i64,
    pub final_frame: i64,
    pub initial_clock: f64,
    pub final_clock: f64,
    pub subset_start: Option<i64>,
    pub subset_end: Option<i64>,
    pub step: i64,
    pub cyclic: bool,
    /// `+K`: the clock of a still (no animation).
    pub clock: f64,
}

impl Default for AnimationOptions {
    fn default() -> Self {
        AnimationOptions {
            initial_frame: 1,
            final_frame: 1,
            initial_clock: 0.0,
            final_clock: 1.0,
            subset_start: None,
            subset_end: None,
            step: 1,
            cyclic: false,
            clock: 0.0,
        }
    }
}

/// The language's view of one frame: `clock`, `clock_delta`, `clock_on`,
/// `frame_number`, `initial_frame`, `final_frame`, `initial_clock`, `final_clock`.
/// A still image has all of them 0 (as POV-Ray) except `clock`, which is `+K`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameClock {
    pub clock: f64,
    pub clock_delta: f64,
    pub clock_on: bool,
    pub frame_number: i64,
    pub initial_frame: i64,
    pub final_frame: i64,
    pub initial_clock: f64,
    pub final_clock: f64,
}

impl AnimationOptions {
    /// Whether more than one frame is asked for.
    pub fn is_animation(&self) -> bool {
        self.final_frame > self.initial_frame
    }

    /// The last frame number as the scene sees it: one past the final frame when
    /// cyclic, since the final clock value belongs to the frame after the last.
    fn scene_final_frame(&self) -> i64 {
        self.final_frame + i64::from(self.cyclic)
    }

    fn clock_delta(&self) -> f64 {
        let span = (self.scene_final_frame() - self.initial_frame).max(1) as f64;
        (self.final_clock - self.initial_clock) / span
    }

    /// The frames to render, in order, with their clocks; a still gives one frame.
    pub fn frames(&self) -> Vec<FrameClock> {
        if !self.is_animation() {
            return vec![FrameClock {
                clock: self.clock,
                ..FrameClock::default()
            }];
        }
        let first = self.subset_start.unwrap_or(self.initial_frame);
        let last = self.subset_end.unwrap_or(self.final_frame);
        let first = first.max(self.initial_frame);
        let last = last.min(self.final_frame);
        let delta = self.clock_delta();
        let step = usize::try_from(self.step.max(1)).unwrap_or(1);
        (first..=last)
            .step_by(step)
            .map(|n| FrameClock {
                clock: self.initial_clock + delta * (n - self.initial_frame) as f64,
                clock_delta: delta,
                clock_on: true,
                frame_number: n,
                initial_frame: self.initial_frame,
                final_frame: self.scene_final_frame(),
                initial_clock: self.initial_clock,
                final_clock: self.final_clock,
            })
            .collect()
    }

    /// The file of frame `n` for the output `path`: the frame number, padded to the
    /// digits of the final frame, before the extension.
    pub fn frame_path(&self, path: &Path, n: i64) -> PathBuf {
        let digits = self.final_frame.abs().to_string().len();
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let name = format!("{}{n:0digits$}", stem.unwrap_or_default());
        let named = path.with_file_name(name);
        match path.extension() {
            Some(ext) => named.with_extension(ext),
            None => named,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(initial: i64, last: i64) -> AnimationOptions {
        AnimationOptions {
            initial_frame: initial,
            final_frame: last,
            ..AnimationOptions::default()
        }
    }

    #[test]
    fn a_still_has_one_frame_at_its_clock() {
        let a = AnimationOptions {
            clock: 0.25,
            ..AnimationOptions::default()
        };
        let f = a.frames();
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].clock, f[0].clock_on, f[0].frame_number),
            (0.25, false, 0)
        );
    }

    #[test]
    fn clocks_run_from_initial_to_final() {
        let a = frames(1, 12);
        let f = a.frames();
        assert_eq!(f.len(), 12);
        assert_eq!(f[0].clock, 0.0);
        assert!((f[2].clock - 2.0 / 11.0).abs() < 1e-12);
        assert!((f[11].clock - 1.0).abs() < 1e-12);
        assert!((f[0].clock_delta - 1.0 / 11.0).abs() < 1e-12);
        assert_eq!((f[3].frame_number, f[3].final_frame), (4, 12));
    }

    #[test]
    fn cyclic_leaves_out_the_final_clock() {
        let a = AnimationOptions {
            cyclic: true,
            ..frames(0, 2)
        };
        let f = a.frames();
        let clocks: Vec<f64> = f.iter().map(|f| f.clock).collect();
        assert_eq!(clocks.len(), 3);
        assert!((clocks[1] - 1.0 / 3.0).abs() < 1e-12 && (clocks[2] - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(f[0].final_frame, 3);
    }

    #[test]
    fn subsets_and_steps_pick_frames() {
        let a = AnimationOptions {
            subset_start: Some(3),
            subset_end: Some(9),
            step: 3,
            ..frames(1, 12)
        };
        let n: Vec<i64> = a.frames().iter().map(|f| f.frame_number).collect();
        assert_eq!(n, vec![3, 6, 9]);
    }

    #[test]
    fn frame_names_are_padded_to_the_final_frame() {
        let a = frames(1, 12);
        assert_eq!(
            a.frame_path(Path::new("out/anim.png"), 3),
            PathBuf::from("out/anim03.png")
        );
        assert_eq!(
            frames(0, 2).frame_path(Path::new("a.tga"), 1),
            PathBuf::from("a1.tga")
        );
    }
}
