//! POV-Ray's own sample scenes, rendered by POV-Ray 3.7 and by prender at the
//! same options and scored: the renderer's acceptance measure.
//!
//! Both renderers get one thread, no anti-aliasing, PNG output and the same
//! library paths (POV-Ray's include directory, then the scene's own directory),
//! each in a work directory of its own: Debian's POV-Ray writes only into its
//! working directory. POV-Ray's renders are cached beside their log and a small
//! record of how the run ended, and re-made when the scene file is newer.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::child::{ChildGuard, Ending};
use crate::image::Rgb8;
use crate::metrics::{psnr, ssim};
use crate::Error;

/// Where Debian's `povray-examples` installs the sample scenes.
pub const SAMPLE_SCENES: &str = "/usr/share/povray-3.7/scenes";
/// Where Debian's `povray-includes` installs POV-Ray's include files and fonts.
pub const POVRAY_INCLUDE: &str = "/usr/share/povray-3.7/include";
/// A scene matches when our image is at least this close to POV-Ray's.
pub const PSNR_BAR: f64 = 30.0;
/// The structural-similarity bar the table also counts.
pub const SSIM_BAR: f64 = 0.95;

/// How both renderers are run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub width: u32,
    pub height: u32,
    /// A render still running after this long is killed and counted as a time-out.
    pub timeout: Duration,
    /// POV-Ray's include directory, given to both renderers as the first `+L`.
    pub include: PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            width: 160,
            height: 120,
            timeout: Duration::from_secs(60),
            include: PathBuf::from(POVRAY_INCLUDE),
        }
    }
}

impl Settings {
    fn args(&self, scene: &Path, output: &str) -> Vec<String> {
        let scene_dir = scene.parent().unwrap_or(Path::new("."));
        vec![
            format!("+I{}", scene.display()),
            format!("+O{output}"),
            "+FN".into(),
            "-D".into(),
            "+WT1".into(),
            "-A".into(),
            format!("+W{}", self.width),
            format!("+H{}", self.height),
            format!("+L{}", self.include.display()),
            format!("+L{}", scene_dir.display()),
        ]
    }
}

/// How one renderer's run of one scene ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Rendered,
    /// Exited with an error (a parse error, a refused feature...).
    Failed,
    /// Killed by a signal, or a Rust panic.
    Crashed,
    TimedOut,
}

impl Outcome {
    fn code(self) -> &'static str {
        match self {
            Outcome::Rendered => "ok",
            Outcome::Failed => "fail",
            Outcome::Crashed => "crash",
            Outcome::TimedOut => "timeout",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [
            Outcome::Rendered,
            Outcome::Failed,
            Outcome::Crashed,
            Outcome::TimedOut,
        ]
        .into_iter()
        .find(|o| o.code() == code)
    }
}

/// One renderer's run of one scene.
#[derive(Clone, Debug)]
pub struct Run {
    pub outcome: Outcome,
    pub seconds: f64,
    /// The first error or warning the renderer printed, if any.
    pub message: Option<String>,
    /// The image, when it rendered.
    pub image: Option<PathBuf>,
}

impl Run {
    /// Messages name scene files relative to the scene root, as the table does.
    fn relativize(&mut self, root: &Path) {
        let prefix = format!("{}/", root.display());
        if let Some(m) = &mut self.message {
            *m = m.replace(&prefix, "");
        }
    }
}

/// Which renderer a run is, for reading its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    PovRay,
    Prender,
}

/// Every `.pov` file below `root`, as paths relative to it, sorted.
pub fn discover(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).map_err(|source| Error::Io {
            what: format!("cannot list {}", dir.display()),
            source,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "pov") {
                if let Ok(rel) = path.strip_prefix(root) {
                    found.push(rel.to_path_buf());
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Renders `scene` with POV-Ray, or takes the cached result if it is newer
/// than the scene. `cache` holds one directory per scene and image size.
pub fn povray_cached(
    povray: &Path,
    settings: &Settings,
    root: &Path,
    scene: &Path,
    cache: &Path,
) -> Result<Run, Error> {
    let dir = cache
        .join(format!("{}x{}", settings.width, settings.height))
        .join(scene);
    let record = dir.join("run.tsv");
    let source = root.join(scene);
    if let Some(run) = read_record(&record, &source, &dir) {
        return Ok(run);
    }
    let mut run = render(povray, Dialect::PovRay, settings, &source, &dir)?;
    run.relativize(root);
    write_record(&record, &run)?;
    Ok(run)
}

/// Renders `scene` with prender in `work` (a directory of its own).
pub fn prender(
    prender: &Path,
    settings: &Settings,
    root: &Path,
    scene: &Path,
    work: &Path,
) -> Result<Run, Error> {
    let mut run = render(prender, Dialect::Prender, settings, &root.join(scene), work)?;
    run.relativize(root);
    Ok(run)
}

fn render(
    program: &Path,
    dialect: Dialect,
    settings: &Settings,
    scene: &Path,
    dir: &Path,
) -> Result<Run, Error> {
    fs::create_dir_all(dir).map_err(|source| Error::Io {
        what: format!("cannot create {}", dir.display()),
        source,
    })?;
    let image = dir.join("image.png");
    let _ = fs::remove_file(&image);
    let log_path = dir.join("render.log");
    let log = fs::File::create(&log_path).map_err(|source| Error::Io {
        what: format!("cannot create {}", log_path.display()),
        source,
    })?;
    let log_err = log.try_clone().map_err(|source| Error::Io {
        what: format!("cannot share {}", log_path.display()),
        source,
    })?;
    let mut cmd = Command::new(program);
    cmd.args(settings.args(scene, "image.png"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    let start = Instant::now();
    let mut guard = ChildGuard::spawn(&mut cmd)?;
    let ending = guard.wait_with_deadline(settings.timeout)?;
    let seconds = start.elapsed().as_secs_f64();
    let text = fs::read(&log_path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let panicked = dialect == Dialect::Prender && text.contains("panicked at");
    let outcome = match ending {
        Ending::TimedOut => Outcome::TimedOut,
        Ending::Exited(_) if panicked => Outcome::Crashed,
        Ending::Exited(status) if status.code().is_none() => Outcome::Crashed,
        Ending::Exited(status) if status.success() && image.is_file() => Outcome::Rendered,
        Ending::Exited(_) => Outcome::Failed,
    };
    let message = match outcome {
        // What stopped it says more than the first warning before it.
        Outcome::Failed => fatal_message(dialect, &text),
        Outcome::Rendered | Outcome::Crashed | Outcome::TimedOut => None,
    }
    .or_else(|| first_message(dialect, &text));
    Ok(Run {
        outcome,
        seconds,
        message,
        image: (outcome == Outcome::Rendered).then_some(image),
    })
}

/// The error a failed render ended with: prender's last `prender: ` line
/// (POV-Ray's first error is what [`first_message`] finds anyway).
fn fatal_message(dialect: Dialect, text: &str) -> Option<String> {
    match dialect {
        Dialect::PovRay => None,
        Dialect::Prender => text
            .lines()
            .rev()
            .map(strip_ansi)
            .find(|l| l.starts_with("prender: ")),
    }
}

/// The line worth showing from a renderer's output: POV-Ray's first error
/// (else its first warning), prender's first warning or error.
fn first_message(dialect: Dialect, text: &str) -> Option<String> {
    let lines: Vec<String> = text
        .split(['\n', '\r'])
        .map(strip_ansi)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let find = |needle: &str| {
        lines
            .iter()
            .find(|l| l.to_ascii_lowercase().contains(needle))
            .cloned()
    };
    match dialect {
        Dialect::PovRay => find("error").or_else(|| find("warning")),
        Dialect::Prender => lines
            .iter()
            .find(|l| {
                let l = l.to_ascii_lowercase();
                l.contains("warn") || l.contains("error") || l.contains("panicked")
            })
            .or_else(|| lines.iter().find(|l| l.starts_with("prender: ")))
            .cloned(),
    }
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI sequences end with a letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn read_record(record: &Path, scene: &Path, dir: &Path) -> Option<Run> {
    let recorded = fs::metadata(record).and_then(|m| m.modified()).ok()?;
    let written = fs::metadata(scene).and_then(|m| m.modified()).ok()?;
    if written > recorded {
        return None;
    }
    let text = fs::read_to_string(record).ok()?;
    let mut fields = text.trim_end_matches('\n').splitn(3, '\t');
    let outcome = Outcome::from_code(fields.next()?)?;
    let seconds = fields.next()?.parse().ok()?;
    let message = fields.next().filter(|m| !m.is_empty()).map(String::from);
    let image = dir.join("image.png");
    if outcome == Outcome::Rendered && !image.is_file() {
        return None;
    }
    Some(Run {
        outcome,
        seconds,
        message,
        image: (outcome == Outcome::Rendered).then_some(image),
    })
}

fn write_record(record: &Path, run: &Run) -> Result<(), Error> {
    let message = run
        .message
        .as_deref()
        .unwrap_or("")
        .replace(['\t', '\n'], " ");
    let text = format!("{}\t{:.3}\t{message}\n", run.outcome.code(), run.seconds);
    fs::write(record, text).map_err(|source| Error::Io {
        what: format!("cannot write {}", record.display()),
        source,
    })
}

/// One scene, both renders and their scores.
#[derive(Clone, Debug)]
pub struct Row {
    pub scene: PathBuf,
    pub povray: Run,
    pub prender: Run,
    pub psnr: Option<f64>,
    pub ssim: Option<f64>,
    /// Why the images could not be compared, if both rendered.
    pub compare_error: Option<String>,
}

impl Row {
    /// Scores the two runs' images, when both rendered.
    pub fn new(scene: PathBuf, povray: Run, prender: Run) -> Self {
        let mut row = Self {
            scene,
            povray,
            prender,
            psnr: None,
            ssim: None,
            compare_error: None,
        };
        if let (Some(theirs), Some(ours)) = (&row.povray.image, &row.prender.image) {
            let scored = Rgb8::load(theirs).and_then(|theirs| {
                let ours = Rgb8::load(ours)?;
                Ok((psnr(&ours, &theirs)?, ssim(&ours, &theirs)?))
            });
            match scored {
                Ok((p, s)) => {
                    row.psnr = Some(p);
                    row.ssim = Some(s);
                }
                Err(e) => row.compare_error = Some(e.to_string()),
            }
        }
        row
    }

    /// Our image is within the PSNR bar of POV-Ray's.
    pub fn matches(&self) -> bool {
        self.psnr.is_some_and(|p| p >= PSNR_BAR)
    }

    /// prender's time over POV-Ray's, when both rendered.
    pub fn time_ratio(&self) -> Option<f64> {
        (self.povray.outcome == Outcome::Rendered
            && self.prender.outcome == Outcome::Rendered
            && self.povray.seconds > 0.0)
            .then(|| self.prender.seconds / self.povray.seconds)
    }

    /// Why the scene does not match, in one line (for the list of misses).
    pub fn reason(&self) -> String {
        let said = self.prender.message.as_deref();
        match (self.prender.outcome, said) {
            (Outcome::Rendered, _) if self.matches() => "matches".into(),
            (Outcome::Rendered, Some(m)) => format!("PSNR {}; {m}", fmt_db(self.psnr)),
            (Outcome::Rendered, None) => match &self.compare_error {
                Some(e) => e.clone(),
                None => format!("PSNR {}, no warning", fmt_db(self.psnr)),
            },
            (Outcome::TimedOut, _) => format!("timed out after {:.0} s", self.prender.seconds),
            (outcome, m) => format!("{}: {}", outcome.code(), m.unwrap_or("no message")),
        }
    }
}

fn fmt_db(p: Option<f64>) -> String {
    match p {
        Some(p) if p.is_infinite() => "exact".into(),
        Some(p) => format!("{p:.1} dB"),
        None => "-".into(),
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let run = |r: &Run| format!("{} {:.2}s", r.outcome.code(), r.seconds);
        let ssim = self.ssim.map_or("-".into(), |s| format!("{s:.3}"));
        let ratio = self.time_ratio().map_or("-".into(), |r| format!("{r:.2}"));
        let note = if self.prender.outcome == Outcome::Rendered || self.prender.message.is_some() {
            self.prender.message.clone().unwrap_or_default()
        } else {
            String::new()
        };
        write!(
            f,
            "{:<44} {:>13} {:>13} {:>8} {:>6} {:>6}  {}",
            self.scene.display().to_string(),
            run(&self.povray),
            run(&self.prender),
            fmt_db(self.psnr).trim_end_matches(" dB"),
            ssim,
            ratio,
            note
        )
    }
}

/// The header line matching [`Row`]'s `Display`.
pub fn header() -> String {
    format!(
        "{:<44} {:>13} {:>13} {:>8} {:>6} {:>6}  {}",
        "scene", "POV-Ray", "prender", "PSNR", "SSIM", "time", "prender's first message"
    )
}

/// The counts the acceptance table reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub scenes: usize,
    pub povray_renders: usize,
    pub prender_renders: usize,
    pub psnr_matches: usize,
    pub ssim_matches: usize,
    pub panics: usize,
    pub timeouts: usize,
    /// Scenes where one renderer succeeded and the other failed with an error.
    pub status_differs: usize,
}

impl Summary {
    pub fn of(rows: &[Row]) -> Self {
        let mut s = Summary {
            scenes: rows.len(),
            ..Summary::default()
        };
        for row in rows {
            let pov_ok = row.povray.outcome == Outcome::Rendered;
            let ours_ok = row.prender.outcome == Outcome::Rendered;
            s.povray_renders += usize::from(pov_ok);
            s.prender_renders += usize::from(pov_ok && ours_ok);
            s.psnr_matches += usize::from(row.matches());
            s.ssim_matches += usize::from(row.ssim.is_some_and(|v| v >= SSIM_BAR));
            s.panics += usize::from(row.prender.outcome == Outcome::Crashed);
            s.timeouts += usize::from(row.prender.outcome == Outcome::TimedOut);
            s.status_differs += usize::from(
                pov_ok != ours_ok
                    && row.prender.outcome != Outcome::TimedOut
                    && row.povray.outcome != Outcome::TimedOut,
            );
        }
        s
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| sample scenes | count |")?;
        writeln!(f, "|---|---:|")?;
        writeln!(f, "| scenes | {} |", self.scenes)?;
        writeln!(f, "| POV-Ray 3.7 renders | {} |", self.povray_renders)?;
        writeln!(
            f,
            "| prender renders (of those) | {} |",
            self.prender_renders
        )?;
        writeln!(f, "| PSNR >= {PSNR_BAR} dB | {} |", self.psnr_matches)?;
        writeln!(f, "| SSIM >= {SSIM_BAR} | {} |", self.ssim_matches)?;
        writeln!(f, "| prender panics or crashes | {} |", self.panics)?;
        writeln!(f, "| prender time-outs | {} |", self.timeouts)?;
        write!(
            f,
            "| exit status differs from POV-Ray's | {} |",
            self.status_differs
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_found_and_stripped_of_colour() {
        let ours = "\u{1b}[33mWARN\u{1b}[0m scene.pov:3:1: warning: fog is not rendered\nmore\n";
        assert_eq!(
            first_message(Dialect::Prender, ours).as_deref(),
            Some("WARN scene.pov:3:1: warning: fog is not rendered")
        );
        let theirs =
            "Parsing\r\nFile 'a.pov' line 2: Parse Error: Expected 'object'\nFatal error\n";
        assert_eq!(
            first_message(Dialect::PovRay, theirs).as_deref(),
            Some("File 'a.pov' line 2: Parse Error: Expected 'object'")
        );
        assert_eq!(first_message(Dialect::Prender, "all fine\n"), None);
        let failed = "WARN a.pov:1:1: fog is not rendered\nprender: a.pov:9:2: expected '}'\n";
        assert_eq!(
            fatal_message(Dialect::Prender, failed).as_deref(),
            Some("prender: a.pov:9:2: expected '}'")
        );
        assert_eq!(
            first_message(Dialect::Prender, "prender: a.pov:1:2: expected ','\n").as_deref(),
            Some("prender: a.pov:1:2: expected ','")
        );
    }

    #[test]
    fn records_round_trip() {
        let dir = std::env::temp_dir().join(format!("oracle-record-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let scene = dir.join("scene.pov");
        fs::write(&scene, "// scene").unwrap();
        let record = dir.join("run.tsv");
        let run = Run {
            outcome: Outcome::Failed,
            seconds: 1.25,
            message: Some("Parse Error:\tno".into()),
            image: None,
        };
        write_record(&record, &run).unwrap();
        let back = read_record(&record, &scene, &dir).unwrap();
        assert_eq!(back.outcome, Outcome::Failed);
        assert_eq!(back.seconds, 1.25);
        assert_eq!(back.message.as_deref(), Some("Parse Error: no"));
        fs::remove_dir_all(&dir).unwrap();
    }

    fn run(outcome: Outcome) -> Run {
        Run {
            outcome,
            seconds: 1.0,
            message: None,
            image: None,
        }
    }

    #[test]
    fn summary_counts_what_the_table_reports() {
        let mut matching = Row::new(
            "a.pov".into(),
            run(Outcome::Rendered),
            run(Outcome::Rendered),
        );
        matching.psnr = Some(35.0);
        matching.ssim = Some(0.99);
        let rows = [
            matching,
            Row::new("b.pov".into(), run(Outcome::Rendered), run(Outcome::Failed)),
            Row::new("c.pov".into(), run(Outcome::Failed), run(Outcome::Failed)),
            Row::new(
                "d.pov".into(),
                run(Outcome::Rendered),
                run(Outcome::Crashed),
            ),
            Row::new(
                "e.pov".into(),
                run(Outcome::Rendered),
                run(Outcome::TimedOut),
            ),
        ];
        let s = Summary::of(&rows);
        assert_eq!(s.scenes, 5);
        assert_eq!(s.povray_renders, 4);
        assert_eq!(s.prender_renders, 1);
        assert_eq!(s.psnr_matches, 1);
        assert_eq!(s.ssim_matches, 1);
        assert_eq!(s.panics, 1);
        assert_eq!(s.timeouts, 1);
        assert_eq!(s.status_differs, 2);
    }
}
