//! POV-Ray's command line and INI files for `prender`.
//!
//! Switches are `+X`/`-X` followed by a value where the option takes one (`+W640`,
//! `+Iscene.pov`, `-A`), case-insensitive ([`switch`]); `Key=value` pairs and INI
//! files (`name.ini`, `name.ini[Section]`) set the same options by their long names
//! ([`ini`]). Every option of POV-Ray 3.7's reference is known: those that mean
//! something here are honoured, those that do not are accepted quietly, and those
//! asking for something prender does not do are accepted with a warning. Unknown
//! options are kept as warnings for the caller to print, as POV-Ray does, rather than
//! stopping the render; bad values are errors.

mod ini;
mod switch;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::animation::AnimationOptions;
use crate::image_out::{Destination, Format, OutputSpec};
use crate::render::Antialias;

#[derive(Debug, Error, PartialEq)]
pub enum CliError {
    #[error("bad value '{value}' for option {option}: expected {expected}")]
    BadValue {
        option: String,
        value: String,
        expected: &'static str,
    },
    #[error("option {option} refused: {reason}")]
    Refused {
        option: String,
        reason: &'static str,
    },
    #[error("cannot read INI file {path}: {reason}")]
    Ini { path: String, reason: String },
    #[error("{path}:{line}: {message}")]
    IniLine {
        path: String,
        line: usize,
        message: String,
    },
    #[error("no scene file given (use +I<file>, or --help)")]
    NoInput,
    #[error("INI files nest too deeply (at {0})")]
    IniDepth(String),
}

/// A partial-render bound: a fraction of the image or a 1-based pixel number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    Fraction(f64),
    Pixel(u32),
}

impl Bound {
    /// POV-Ray reads a start below 1 and an end up to 1 as a fraction of the image
    /// (so `End_Row=1` is the whole height), anything else as a pixel number.
    fn parse(option: &str, v: &str, is_end: bool) -> Result<Bound, CliError> {
        let f: f64 = number(option, v)?;
        if f < 0.0 || !f.is_finite() {
            return Err(bad(option, v, "a fraction 0.0-1.0 or a pixel number"));
        }
        if f < 1.0 || (is_end && f == 1.0) {
            Ok(Bound::Fraction(f))
        } else {
            Ok(Bound::Pixel(f.min(f64::from(u32::MAX)) as u32))
        }
    }

    /// 0-based index of the first row/column this bound starts at.
    fn start(self, size: u32) -> u32 {
        match self {
            Bound::Fraction(f) => ((f * f64::from(size)) as u32).min(size),
            Bound::Pixel(p) => p.saturating_sub(1).min(size),
        }
    }

    /// 0-based exclusive end.
    fn end(self, size: u32) -> u32 {
        match self {
            Bound::Fraction(f) => ((f * f64::from(size)).ceil() as u32).min(size),
            Bound::Pixel(p) => p.min(size),
        }
    }
}

/// PVMPOV's `+N` options, parsed now and used by the distributed driver.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PvmOptions {
    /// `+N`: render over the virtual machine.
    pub enabled: bool,
    /// `+NTn`: number of slave tasks.
    pub tasks: Option<u32>,
    /// `+NWn`: block width.
    pub block_width: Option<u32>,
    /// `+NHn`: block height.
    pub block_height: Option<u32>,
    /// `pvm_hosts=a,b,c`: hosts the slaves are placed on, round-robin.
    pub hosts: Vec<String>,
    /// `pvm_nice=n`: the slaves' nice level.
    pub nice: Option<i32>,
}

/// Which kinds of console output are on (`+G?`, `*_Console`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Console {
    /// The option summary, parser and render statistics (`Statistic_Console`).
    pub statistics: bool,
    /// Warnings (`Warning_Console`).
    pub warnings: bool,
    /// `#debug` output (`Debug_Console`).
    pub debug: bool,
    /// Progress (`Render_Console`).
    pub render: bool,
}

impl Default for Console {
    fn default() -> Self {
        Console {
            statistics: true,
            warnings: true,
            debug: true,
            render: true,
        }
    }
}

/// Everything the command line and INI files set.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    /// `-F`: render without writing a file.
    pub write_file: bool,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// `+FN16`, `Bits_Per_Color`: bits per channel asked for.
    pub bits: Option<u8>,
    /// `Compression`: JPEG quality.
    pub compression: Option<u8>,
    /// `+Qn`: render quality 0-11 (9 is everything prender renders).
    pub quality: u32,
    pub antialias: bool,
    pub aa: Antialias,
    /// `+AM0`: POV-Ray's method 0, which renders one ray per pixel even with `+A`.
    pub single_sample: bool,
    pub jitter: bool,
    pub start_row: Option<Bound>,
    pub end_row: Option<Bound>,
    pub start_col: Option<Bound>,
    pub end_col: Option<Bound>,
    pub display: bool,
    /// `+WTn`; `None` uses every core.
    pub threads: Option<usize>,
    pub verbose: bool,
    /// `+C` (`Continue_Trace`): resume an interrupted render where it stopped.
    pub continue_trace: bool,
    pub library_paths: Vec<PathBuf>,
    /// `Declare=Name=value`: identifiers defined before the scene.
    pub declares: Vec<(String, f64)>,
    /// `+MVn`, `Version=n`: the language version before any `#version`.
    pub version: Option<f64>,
    pub animation: AnimationOptions,
    pub console: Console,
    pub pvm: PvmOptions,
    pub help: bool,
    /// `--version`.
    pub show_version: bool,
    /// Unknown or ignored options, to be printed as warnings.
    pub warnings: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            input: None,
            output: None,
            write_file: true,
            width: 800,
            height: 600,
            format: Format::Tga,
            bits: None,
            compression: None,
            quality: 9,
            antialias: false,
            aa: Antialias::default(),
            single_sample: false,
            jitter: true,
            start_row: None,
            end_row: None,
            start_col: None,
            end_col: None,
            display: false,
            threads: None,
            verbose: false,
            continue_trace: false,
            library_paths: Vec::new(),
            declares: Vec::new(),
            version: None,
            animation: AnimationOptions::default(),
            console: Console::default(),
            pvm: PvmOptions::default(),
            help: false,
            show_version: false,
            warnings: Vec::new(),
        }
    }
}

fn bad(option: &str, value: &str, expected: &'static str) -> CliError {
    CliError::BadValue {
        option: option.to_owned(),
        value: value.to_owned(),
        expected,
    }
}

fn number<T: std::str::FromStr>(option: &str, v: &str) -> Result<T, CliError> {
    v.trim().parse().map_err(|_| bad(option, v, "a number"))
}

/// A whole number that POV-Ray also accepts written as a float (`Final_Frame=10.0`).
fn whole(option: &str, v: &str) -> Result<i64, CliError> {
    let f: f64 = number(option, v)?;
    if f.fract() != 0.0 || !f.is_finite() || f.abs() > 1e15 {
        return Err(bad(option, v, "a whole number"));
    }
    Ok(f as i64)
}

fn boolean(option: &str, v: &str) -> Result<bool, CliError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" | "" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err(bad(option, v, "on/off, true/false, yes/no or 1/0")),
    }
}

const MAX_INI_DEPTH: u32 = 10;

impl Options {
    /// Parses a command line (without the program name).
    pub fn parse<I, S>(args: I) -> Result<Options, CliError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut o = Options::default();
        for a in args {
            o.apply_arg(a.as_ref(), 0)?;
        }
        Ok(o)
    }

    fn apply_arg(&mut self, a: &str, depth: u32) -> Result<(), CliError> {
        match a {
            "--help" | "-help" | "-?" | "+?" | "-h" | "+h" => {
                self.help = true;
                return Ok(());
            }
            "--version" | "-version" => {
                self.show_version = true;
                return Ok(());
            }
            _ => {}
        }
        if a.starts_with("--") {
            return Err(bad(
                a,
                a,
                "a POV-Ray option (+X/-X, Key=value), --help or --version",
            ));
        }
        if let Some(rest) = a.strip_prefix('+') {
            return self.switch(rest, true);
        }
        if let Some(rest) = a.strip_prefix('-') {
            return self.switch(rest, false);
        }
        if let Some((k, v)) = a.split_once('=') {
            return self.key_value(k.trim(), v.trim(), depth);
        }
        if ini::is_ini_spec(a) {
            return self.ini_file(a, depth);
        }
        self.input = Some(PathBuf::from(a));
        Ok(())
    }

    /// The output file of a still: `+O` if given, else the scene's name, in the
    /// current directory; either gets the format's extension unless it already ends
    /// with it (`+Oout` → `out.png`, `+Oout.tga +FN` → `out.tga.png`, as POV-Ray).
    /// `None` for `+O-` (standard output) or without a scene.
    pub fn output_path(&self) -> Option<PathBuf> {
        let stem = || {
            let stem = self.input.as_ref()?.file_stem()?;
            Some(Path::new(stem).with_extension(self.format.extension()))
        };
        match &self.output {
            Some(o) if o.as_os_str() == "-" => None,
            Some(o) if o.is_dir() => Some(o.join(stem()?)),
            Some(o) => Some(self.with_format_extension(o)),
            None => stem(),
        }
    }

    fn with_format_extension(&self, path: &Path) -> PathBuf {
        let want = self.format.extension();
        let has = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match has.as_deref() {
            Some(e) if e == want || (want == "jpg" && e == "jpeg") => path.to_owned(),
            _ => {
                let mut name = path.as_os_str().to_owned();
                name.push(".");
                name.push(want);
                PathBuf::from(name)
            }
        }
    }

    /// Where frame `frame_number` of the render goes (a still when not animating).
    pub fn destination(&self, frame_number: i64) -> Option<Destination> {
        if matches!(&self.output, Some(o) if o.as_os_str() == "-") {
            return Some(Destination::Stdout);
        }
        let path = self.output_path()?;
        if self.animation.is_animation() {
            return Some(Destination::File(
                self.animation.frame_path(&path, frame_number),
            ));
        }
        Some(Destination::File(path))
    }

    /// The image settings of frame `frame_number`, or `None` when no file is written.
    pub fn output_spec(&self, frame_number: i64) -> Option<OutputSpec> {
        if !self.write_file {
            return None;
        }
        Some(OutputSpec {
            destination: self.destination(frame_number)?,
            format: self.format,
            bits: self.bit_depth().unwrap_or(8),
            jpeg_quality: self.jpeg_quality(),
            width: self.width,
            height: self.height,
            rows: self.rows(),
            continue_trace: self.continue_trace,
        })
    }

    /// Bits per channel the file gets: 16 where the format has it and more than 8
    /// were asked for; `None` for float formats.
    pub fn bit_depth(&self) -> Option<u8> {
        if self.format.is_float() {
            return None;
        }
        let asked = self.bits.unwrap_or(8);
        Some(if self.format.has_16_bit() && asked > 8 {
            16
        } else {
            8
        })
    }

    /// JPEG quality: `Compression` when above 1, else POV-Ray's 85.
    pub fn jpeg_quality(&self) -> u8 {
        match self.compression {
            Some(q) if q > 1 => q.min(100),
            _ => 85,
        }
    }

    /// The anti-aliasing settings in effect, if anti-aliasing is on.
    pub fn antialias(&self) -> Option<Antialias> {
        // POV-Ray clips the threshold and the jitter amount to 0..1.
        (self.antialias && !self.single_sample).then_some(Antialias {
            threshold: self.aa.threshold.clamp(0.0, 1.0),
            jitter: if self.jitter {
                self.aa.jitter.clamp(0.0, 1.0)
            } else {
                0.0
            },
            ..self.aa
        })
    }

    /// Columns `(start, end)` to render, 0-based, end exclusive.
    pub fn columns(&self) -> (u32, u32) {
        span(self.start_col, self.end_col, self.width)
    }

    /// Rows `(start, end)` to render, 0-based, end exclusive.
    pub fn rows(&self) -> (u32, u32) {
        span(self.start_row, self.end_row, self.height)
    }
}

fn span(start: Option<Bound>, end: Option<Bound>, size: u32) -> (u32, u32) {
    let s = start.map_or(0, |b| b.start(size));
    let e = end.map_or(size, |b| b.end(size));
    (s, e.max(s))
}

/// The `--help` text.
pub const USAGE: &str = "\
Usage: prender [options] [scene.pov] [file.ini[Section]] [Key=value ...]

Renders a POV-Ray 3.7 scene. Options follow POV-Ray: +X turns an option on,
-X off; Key=value and INI files set the same options by name.

  +I<file>       scene file (Input_File_Name)
  +O<file>       output file (Output_File_Name); +O- writes to standard output
  +W<n> +H<n>    image width and height (Width, Height; default 800x600)
  +F<t>[bits]    output format: T TGA (default), C RLE TGA, N PNG, J JPEG, P PPM,
                 B BMP, E OpenEXR, H Radiance HDR; +FN16/+FP16 16 bits; -F no file
  +A[t]          anti-aliasing, threshold t (default 0.3); -A off
  +AM<n>         anti-aliasing method: 1 grid (default), 2 adaptive, 0 none
  +R<n>          anti-aliasing depth (default 3)
  +J[x]          jitter amount (default 1.0); -J off
  +Q<n>          quality 0-11 (default 9)
  +SR +ER +SC +EC  start/end row/column: pixel numbers, or fractions like 0.5
  +KFI<n> +KFF<n>  animation: initial and final frame (files name01.png, ...)
  +KI<f> +KF<f>  initial and final clock (default 0.0 and 1.0); +KC cyclic
  +SF<n> +EF<n>  render only frames n to m of the animation; +K<f> clock of a still
  +WT<n>         worker threads (default: all cores)
  +L<dir>        include path (Library_Path), searched before the bundled library
  +MV<v>         language version before any #version (Version)
  +V             verbose; -GS no statistics, -GW no warnings, -GA no console output
  +C             continue an interrupted render (Continue_Trace)
  +D/-D          display (accepted; prender has no preview window)
  +N, +NT<n>, +NW<n>, +NH<n>  PVM rendering: slaves, block width and height
  --help         this text          --version  the version
";

#[cfg(test)]
mod tests;
