//! The console report prender prints on stderr, laid out as POV-Ray 3.7's: the
//! options in effect before parsing, parser statistics and times after it, the
//! render options before tracing, and the times at the end (the render statistics
//! themselves are [`crate::stats::Stats::summary`]).
//!
//! Everything here is a pure function from plain data to text, so the layout is
//! tested without rendering; the caller decides whether and where to print.

use std::fmt::Write as _;
use std::time::Duration;

use crate::cli::Options;
use crate::image_out::{Destination, Format};
use crate::stats::RULE;

/// The banner line before a phase, e.g. `==== [Parsing...] ====...`, 76 wide.
pub fn phase(name: &str) -> String {
    let head = format!("==== [{name}...] ");
    format!("{head}{}\n", "=".repeat(76usize.saturating_sub(head.len())))
}

/// The time a phase took: wall clock, the process's CPU time over it, threads used.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timed {
    pub wall: Duration,
    pub cpu: Duration,
    pub threads: usize,
}

impl Timed {
    /// `  Parse Time:       0 hours  0 minutes  1 seconds (1.250 seconds)` and the
    /// thread and CPU line under it.
    fn lines(&self, label: &str, s: &mut String) {
        let ms = self.wall.as_millis();
        let secs = ms / 1000;
        let _ = writeln!(
            s,
            "  {:<16}{:>3} hours {:>2} minutes {:>2} seconds ({}.{:03} seconds)",
            format!("{label}:"),
            secs / 3600,
            (secs / 60) % 60,
            secs % 60,
            secs,
            ms % 1000
        );
        let cpu = self.cpu.as_millis();
        let _ = writeln!(
            s,
            "              using {} thread(s) with {}.{:03} CPU-seconds total",
            self.threads.max(1),
            cpu / 1000,
            cpu % 1000
        );
    }
}

/// CPU time this process has used so far (user and system); zero if unknown.
pub fn cpu_time() -> Duration {
    use nix::sys::resource::{getrusage, UsageWho};
    let Ok(u) = getrusage(UsageWho::RUSAGE_SELF) else {
        return Duration::ZERO;
    };
    let micros = |t: nix::sys::time::TimeVal| {
        u64::try_from(t.tv_sec()).unwrap_or(0) * 1_000_000 + u64::try_from(t.tv_usec()).unwrap_or(0)
    };
    Duration::from_micros(micros(u.user_time()) + micros(u.system_time()))
}

/// The animation a render belongs to, for the options summary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameRange {
    pub initial_frame: i64,
    pub final_frame: i64,
    pub step: i64,
    pub initial_clock: f64,
    pub final_clock: f64,
    pub cyclic: bool,
}

/// A switch as POV-Ray's summary shows it, the last dot of the leader included.
fn on_off(b: bool) -> &'static str {
    if b {
        ".On "
    } else {
        ".Off"
    }
}

/// The parser and image output options of frame `frame_number` (any number for a
/// still), printed before parsing.
pub fn options(
    o: &Options,
    clock: f64,
    frame_number: i64,
    animation: Option<&FrameRange>,
) -> String {
    let mut s = String::new();
    let input = o.input.as_ref().map(|p| p.display().to_string());
    let _ = writeln!(s, "Parser Options");
    let _ = writeln!(s, "  Input file: {}", input.unwrap_or_default());
    let _ = writeln!(s, "  Remove bounds........On ");
    let _ = writeln!(s, "  Split unions.........Off");
    let _ = writeln!(s, "  Library paths:");
    for p in &o.library_paths {
        let _ = writeln!(s, "    {}", p.display());
    }
    match animation {
        None => {
            let _ = writeln!(s, "  Clock value: {clock:>8.3}  (Animation off)");
        }
        Some(a) => animation_lines(a, &mut s),
    }
    image_output(o, frame_number, &mut s);
    s
}

fn animation_lines(a: &FrameRange, s: &mut String) {
    let _ = writeln!(s, "Animation Options");
    let _ = writeln!(
        s,
        "  Initial Frame: {:>8}  Final Frame: {:>8}",
        a.initial_frame, a.final_frame
    );
    let _ = writeln!(s, "  Frame Step: {:>11}", a.step.max(1));
    let _ = writeln!(
        s,
        "  Initial Clock: {:>8.3}  Final Clock: {:>8.3}",
        a.initial_clock, a.final_clock
    );
    let _ = writeln!(
        s,
        "  Cyclic Animation....{}  Field render.........Off  Odd lines/frames.....Off",
        on_off(a.cyclic)
    );
}

fn image_output(o: &Options, frame_number: i64, s: &mut String) {
    let _ = writeln!(s, "Image Output Options");
    let (rows, cols) = (o.rows(), o.columns());
    let _ = writeln!(
        s,
        "  Image resolution.....{} by {} (rows {} to {}, columns {} to {}).",
        o.width,
        o.height,
        rows.0 + 1,
        rows.1,
        cols.0 + 1,
        cols.1
    );
    match o.output_spec(frame_number) {
        Some(spec) => {
            let bits = u32::from(o.bit_depth().unwrap_or(o.bits.unwrap_or(8))) * 3;
            let name = match spec.destination {
                Destination::File(p) => p.display().to_string(),
                Destination::Stdout => "stdout".to_string(),
            };
            let kind = format_name(o.format);
            if o.format == Format::Jpeg {
                let q = o.jpeg_quality();
                let _ = writeln!(
                    s,
                    "  Output file..........{name}, {bits} bpp, quality {q}% {kind}"
                );
            } else {
                let _ = writeln!(s, "  Output file..........{name}, {bits} bpp {kind}");
            }
            if !matches!(o.format, Format::Jpeg | Format::Exr) {
                let _ = writeln!(s, "  Dithering............Off");
            }
        }
        None => {
            let _ = writeln!(s, "  Output file: Disabled");
        }
    }
    let _ = writeln!(s, "  Graphic display......Off");
    let _ = writeln!(s, "  Mosaic preview.......Off");
    let _ = writeln!(s, "  Continued trace.....{}", on_off(o.continue_trace));
}

/// The name POV-Ray gives a file format in its summary.
fn format_name(f: Format) -> &'static str {
    match f {
        Format::Tga => "Targa",
        Format::TgaRle => "RLE Targa",
        Format::Png => "PNG",
        Format::Jpeg => "JPEG",
        Format::Ppm => "PPM",
        Format::Bmp => "BMP",
        Format::Exr => "EXR",
        Format::Hdr => "HDR",
    }
}

/// Objects and lights the scene holds, for the parser statistics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SceneCounts {
    pub finite: usize,
    pub infinite: usize,
    pub lights: usize,
}

/// Parser statistics and the parse and bounding times.
pub fn parser(counts: SceneCounts, parse: &Timed, bounding: &Timed) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{RULE}\nParser Statistics\n{RULE}");
    let _ = writeln!(s, "Finite Objects:   {:>10}", counts.finite);
    let _ = writeln!(s, "Infinite Objects: {:>10}", counts.infinite);
    let _ = writeln!(s, "Light Sources:    {:>10}", counts.lights);
    let total = counts.finite + counts.infinite + counts.lights;
    let _ = writeln!(s, "Total:            {total:>10}");
    let _ = writeln!(s, "{RULE}\nParser Time");
    parse.lines("Parse Time", &mut s);
    bounding.lines("Bounding Time", &mut s);
    s
}

/// The render options, printed just before tracing.
pub fn render_options(o: &Options) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{RULE}\nRender Options");
    let _ = writeln!(s, "  Quality: {:>2}", o.quality.min(9));
    let _ = writeln!(s, "  Bounding boxes.......On   Bounding threshold: 3");
    match o.antialias() {
        Some(aa) => {
            let jitter = if aa.jitter > 0.0 {
                format!("{:.2}", aa.jitter.min(1.0))
            } else {
                "Off".to_string()
            };
            let _ = writeln!(
                s,
                "  Antialiasing.........On  (Method 1, Threshold {:.3}, Depth {}, Jitter {jitter}, \
                 Gamma 2.50)",
                aa.threshold, aa.depth
            );
        }
        None => {
            let _ = writeln!(s, "  Antialiasing.........Off");
        }
    }
    s
}

/// POV-Ray's photon counts in the render statistics: media photons, as in
/// POV-Ray, only when some were stored.
pub fn photon_counts(shot: u64, stored: usize, media: usize) -> String {
    let mut s =
        format!("Number of photons shot:    {shot:>15}\nSurface photons stored:    {stored:>15}\n");
    if media > 0 {
        let _ = writeln!(s, "Media photons stored:      {media:>15}");
    }
    s
}

/// The times at the end of a render (`photons`: the photon pass's, if any).
pub fn render_time(trace: &Timed, photons: Option<&Timed>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{RULE}\nRender Time:");
    match photons {
        Some(p) => p.lines("Photon Time", &mut s),
        None => {
            let _ = writeln!(s, "  Photon Time:      No photons");
        }
    }
    let _ = writeln!(s, "  Radiosity Time:   No radiosity");
    trace.lines("Trace Time", &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phase_banner_is_76_wide() {
        let b = phase("Parsing");
        assert_eq!(b.trim_end().len(), 76);
        assert!(b.starts_with("==== [Parsing...] ===="));
    }

    #[test]
    fn times_read_as_povray_prints_them() {
        let t = Timed {
            wall: Duration::from_millis(3_723_250),
            cpu: Duration::from_millis(1_500),
            threads: 2,
        };
        let text = render_time(&t, None);
        assert!(
            text.contains("  Trace Time:       1 hours  2 minutes  3 seconds (3723.250 seconds)\n"),
            "{text}"
        );
        assert!(text.contains("using 2 thread(s) with 1.500 CPU-seconds total"));
    }

    #[test]
    fn summary_names_the_image_and_the_counts() {
        let o = Options::parse(["+Iscene.pov", "+W160", "+H120", "+FN", "+SR11"]).unwrap();
        let text = options(&o, 0.0, 0, None);
        assert!(text.contains("Input file: scene.pov"), "{text}");
        assert!(
            text.contains("160 by 120 (rows 11 to 120, columns 1 to 160)."),
            "{text}"
        );
        assert!(text.contains("scene.png, 24 bpp PNG"), "{text}");
        assert!(text.contains("Clock value:    0.000  (Animation off)"));
        let counts = SceneCounts {
            finite: 3,
            infinite: 1,
            lights: 2,
        };
        let text = parser(counts, &Timed::default(), &Timed::default());
        assert!(text.contains("Infinite Objects:          1\n"), "{text}");
        assert!(text.contains("Total:                     6\n"), "{text}");
    }
}
