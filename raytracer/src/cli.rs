//! POV-Ray's command line and INI files for `prender`.
//!
//! Switches are `+X`/`-X` followed by a value where the option takes one (`+W640`,
//! `+Iscene.pov`, `-A`), case-insensitive; `Key=value` pairs and INI files
//! (`name.ini`, `Key=value` lines, `;` comments, `[sections]` ignored) set the same
//! options by their long names. Anything unknown is kept as a warning for the caller
//! to print, as POV-Ray does, rather than stopping the render.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::image_out::Format;
use crate::render::Antialias;

#[derive(Debug, Error, PartialEq)]
pub enum CliError {
    #[error("bad value '{value}' for option {option}: expected {expected}")]
    BadValue {
        option: String,
        value: String,
        expected: &'static str,
    },
    #[error("cannot read INI file {path}: {reason}")]
    Ini { path: String, reason: String },
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
    fn parse(option: &str, v: &str) -> Result<Bound, CliError> {
        let f: f64 = number(option, v)?;
        if f < 0.0 {
            return Err(bad(option, v, "a fraction 0.0-1.0 or a pixel number"));
        }
        // POV-Ray reads a value with a decimal point up to 1.0 as a fraction.
        if v.contains('.') && f <= 1.0 {
            Ok(Bound::Fraction(f))
        } else {
            Ok(Bound::Pixel(f as u32))
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
    /// Other `+N…` switches as written, for the driver.
    pub other: Vec<String>,
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
    pub antialias: bool,
    pub aa: Antialias,
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
    pub pvm: PvmOptions,
    pub help: bool,
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
            antialias: false,
            aa: Antialias::default(),
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
            pvm: PvmOptions::default(),
            help: false,
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
            _ => {}
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
        if a.to_ascii_lowercase().ends_with(".ini") {
            return self.ini_file(Path::new(a), depth);
        }
        self.input = Some(PathBuf::from(a));
        Ok(())
    }

    /// One `+X`/`-X` switch (`on` is the sign).
    fn switch(&mut self, s: &str, on: bool) -> Result<(), CliError> {
        let upper = s.to_ascii_uppercase();
        let opt = |n: usize| &s[n..];
        let name = format!("{}{}", if on { '+' } else { '-' }, s);
        // Longest names first so "WT" is not read as "W" with value "T".
        if upper.starts_with("WT") {
            let n: usize = number(&name, opt(2))?;
            self.threads = Some(n.max(1));
        } else if let Some(b) = ["SR", "ER", "SC", "EC"]
            .iter()
            .find(|p| upper.starts_with(**p))
        {
            let bound = Some(Bound::parse(&name, opt(2))?);
            match *b {
                "SR" => self.start_row = bound,
                "ER" => self.end_row = bound,
                "SC" => self.start_col = bound,
                _ => self.end_col = bound,
            }
        } else if upper.starts_with('I') {
            self.input = Some(PathBuf::from(opt(1)));
        } else if upper.starts_with('O') {
            self.output = Some(PathBuf::from(opt(1)));
        } else if upper.starts_with('L') {
            self.library_paths.push(PathBuf::from(opt(1)));
        } else if upper.starts_with('W') {
            self.width = number(&name, opt(1))?;
        } else if upper.starts_with('H') {
            self.height = number(&name, opt(1))?;
        } else if let Some(kind) = upper.strip_prefix('F') {
            self.write_file = on;
            match kind.chars().next() {
                None => {}
                Some('T') => self.format = Format::Tga,
                Some('C') => self.format = Format::TgaRle,
                Some('N') => self.format = Format::Png,
                Some(_) => return Err(bad(&name, opt(1), "T, C or N")),
            }
        } else if upper.starts_with("AM") {
            let m: u32 = number(&name, opt(2))?;
            if m != 1 {
                self.warnings.push(format!(
                    "{name}: only anti-aliasing method 1 is implemented; using it"
                ));
            }
        } else if upper.starts_with('A') {
            self.antialias = on;
            if !opt(1).is_empty() {
                self.aa.threshold = number(&name, opt(1))?;
            }
        } else if upper.starts_with('R') {
            self.aa.depth = number::<u32>(&name, opt(1))?.clamp(1, 9);
        } else if upper.starts_with('J') {
            self.jitter = on;
            if !opt(1).is_empty() {
                self.aa.jitter = number(&name, opt(1))?;
            }
        } else if upper.starts_with('D') {
            self.display = on;
        } else if upper.starts_with('V') {
            self.verbose = on;
        } else if upper == "C" {
            self.continue_trace = on;
        } else if upper.starts_with('N') {
            self.pvm_switch(&upper, s, on, &name)?;
        } else {
            self.warnings.push(format!("unknown option {name} ignored"));
        }
        Ok(())
    }

    fn pvm_switch(&mut self, upper: &str, s: &str, on: bool, name: &str) -> Result<(), CliError> {
        let value = |n: usize| number::<u32>(name, &s[n..]);
        match upper.get(1..2) {
            None => self.pvm.enabled = on,
            Some("T") => {
                self.pvm.enabled = true;
                self.pvm.tasks = Some(value(2)?);
            }
            Some("W") => self.pvm.block_width = Some(value(2)?),
            Some("H") => self.pvm.block_height = Some(value(2)?),
            Some(_) => self.pvm.other.push(name.to_owned()),
        }
        Ok(())
    }

    fn key_value(&mut self, key: &str, v: &str, depth: u32) -> Result<(), CliError> {
        let k = key.to_ascii_lowercase();
        let v = v.trim_matches('"');
        match k.as_str() {
            "input_file_name" => self.input = Some(PathBuf::from(v)),
            "output_file_name" => self.output = Some(PathBuf::from(v)),
            "output_to_file" => self.write_file = boolean(key, v)?,
            "width" => self.width = number(key, v)?,
            "pvm_hosts" => {
                self.pvm.hosts = v
                    .split(',')
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            "pvm_nice" => self.pvm.nice = Some(number(key, v)?),
            "height" => self.height = number(key, v)?,
            "output_file_type" => {
                self.format = match v.to_ascii_uppercase().chars().next() {
                    Some('T') => Format::Tga,
                    Some('C') => Format::TgaRle,
                    Some('N') => Format::Png,
                    _ => return Err(bad(key, v, "T, C or N")),
                }
            }
            "antialias" => self.antialias = boolean(key, v)?,
            "antialias_threshold" => self.aa.threshold = number(key, v)?,
            "antialias_depth" => self.aa.depth = number::<u32>(key, v)?.clamp(1, 9),
            "jitter" => self.jitter = boolean(key, v)?,
            "jitter_amount" => self.aa.jitter = number(key, v)?,
            "start_row" => self.start_row = Some(Bound::parse(key, v)?),
            "end_row" => self.end_row = Some(Bound::parse(key, v)?),
            "start_column" => self.start_col = Some(Bound::parse(key, v)?),
            "end_column" => self.end_col = Some(Bound::parse(key, v)?),
            "display" => self.display = boolean(key, v)?,
            "verbose" => self.verbose = boolean(key, v)?,
            "continue_trace" => self.continue_trace = boolean(key, v)?,
            "work_threads" => self.threads = Some(number::<usize>(key, v)?.max(1)),
            "library_path" => self.library_paths.push(PathBuf::from(v)),
            "include_ini" => return self.ini_file(Path::new(v), depth + 1),
            "sampling_method" => {
                if number::<u32>(key, v)? != 1 {
                    self.warnings
                        .push(format!("{key}={v}: only method 1 is implemented; using it"));
                }
            }
            _ => self
                .warnings
                .push(format!("unknown option {key}={v} ignored")),
        }
        Ok(())
    }

    fn ini_file(&mut self, path: &Path, depth: u32) -> Result<(), CliError> {
        if depth > MAX_INI_DEPTH {
            return Err(CliError::IniDepth(path.display().to_string()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| CliError::Ini {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        for line in text.lines() {
            let line = line.split(';').next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('[') {
                continue;
            }
            for word in split_ini_line(line) {
                self.apply_arg(&word, depth + 1)?;
            }
        }
        Ok(())
    }

    /// The output file: `+O` if given, else the scene's name with the format's
    /// extension, in the current directory (as POV-Ray does).
    pub fn output_path(&self) -> Option<PathBuf> {
        if let Some(o) = &self.output {
            if o.is_dir() {
                let stem = self.input.as_ref()?.file_stem()?;
                return Some(o.join(Path::new(stem).with_extension(self.format.extension())));
            }
            return Some(o.clone());
        }
        let stem = self.input.as_ref()?.file_stem()?;
        Some(Path::new(stem).with_extension(self.format.extension()))
    }

    /// The anti-aliasing settings in effect, if anti-aliasing is on.
    pub fn antialias(&self) -> Option<Antialias> {
        self.antialias.then_some(Antialias {
            jitter: if self.jitter { self.aa.jitter } else { 0.0 },
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

/// An INI line holds one `Key=value` (the value may contain spaces) or switches.
fn split_ini_line(line: &str) -> Vec<String> {
    if line.starts_with('+') || line.starts_with('-') {
        line.split_whitespace().map(str::to_owned).collect()
    } else {
        vec![line.to_owned()]
    }
}

/// The `--help` text.
pub const USAGE: &str = "\
Usage: prender [options] [scene.pov] [file.ini] [Key=value ...]

Renders a POV-Ray 3.x scene. Options follow POV-Ray: +X turns an option on,
-X off; Key=value and INI files set the same options by name.

  +I<file>       scene file (Input_File_Name)
  +O<file>       output file (Output_File_Name); default: scene name + .tga/.png
  +W<n> +H<n>    image width and height (Width, Height; default 800x600)
  +FT            uncompressed 24-bit TGA (default)   +FC  compressed TGA
  +FN            PNG                                 -F   no output file
  +A[t]          anti-aliasing, threshold t (default 0.3); -A off
  +R<n>          anti-aliasing depth (default 3)
  +J[x]          jitter amount (default 1.0); -J off
  +SR +ER +SC +EC  start/end row/column: pixel numbers, or fractions like 0.5
  +WT<n>         worker threads (default: all cores)
  +L<dir>        include path (Library_Path), searched before the bundled library
  +V             print render statistics
  +C             continue an interrupted render (Continue_Trace)
  +D/-D          display (accepted; prender has no preview window)
  +N, +NT<n>, +NW<n>, +NH<n>  PVM rendering (PVMPOV options)
  --help         this text
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_and_key_values() {
        let o = Options::parse([
            "+Iscene.pov",
            "+W320",
            "-h200",
            "+A0.1",
            "+R4",
            "-J",
            "+WT2",
            "+FN",
            "Verbose=on",
        ])
        .unwrap();
        assert_eq!(o.input, Some(PathBuf::from("scene.pov")));
        assert_eq!((o.width, o.height), (320, 200));
        assert_eq!(o.format, Format::Png);
        assert_eq!(o.threads, Some(2));
        assert!(o.verbose);
        let aa = o.antialias().unwrap();
        assert_eq!((aa.threshold, aa.depth, aa.jitter), (0.1, 4, 0.0));
    }

    #[test]
    fn partial_render_bounds() {
        let o = Options::parse(["+H100", "+W10", "+SR0.25", "+ER0.5", "+SC2", "+EC4"]).unwrap();
        assert_eq!(o.rows(), (25, 50));
        assert_eq!(o.columns(), (1, 4));
    }

    #[test]
    fn unknown_options_warn_and_bad_values_fail() {
        let o = Options::parse(["+Q9", "Foo=bar"]).unwrap();
        assert_eq!(o.warnings.len(), 2);
        assert!(matches!(
            Options::parse(["+Wabc"]),
            Err(CliError::BadValue { .. })
        ));
    }

    #[test]
    fn pvm_switches_are_kept_for_the_distributed_driver() {
        let o = Options::parse(["+NT4", "+NW32", "+NH16", "+NX", "pvm_hosts=a, b"]).unwrap();
        assert!(o.pvm.enabled);
        assert_eq!(
            (o.pvm.tasks, o.pvm.block_width, o.pvm.block_height),
            (Some(4), Some(32), Some(16))
        );
        assert_eq!(o.pvm.other, vec!["+NX".to_string()]);
        assert_eq!(o.pvm.hosts, vec!["a".to_string(), "b".to_string()]);
        assert!(!Options::parse(["+N", "-N"]).unwrap().pvm.enabled);
        assert!(Options::parse(["+C"]).unwrap().continue_trace);
        assert!(
            !Options::parse(["Continue_Trace=off"])
                .unwrap()
                .continue_trace
        );
    }

    #[test]
    fn output_name_defaults_to_scene_name() {
        let o = Options::parse(["dir/vase.pov", "+FN"]).unwrap();
        assert_eq!(o.output_path(), Some(PathBuf::from("vase.png")));
    }
}
