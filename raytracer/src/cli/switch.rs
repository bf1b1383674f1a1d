//! `+X`/`-X` switches: POV-Ray 3.7's command-line table plus PVMPOV's `+N` switches.
//!
//! A switch is its longest known name followed by its value (`+KFF10`, `+WT2`,
//! `+A0.3`), so names are matched longest first; `+` turns an option on, `-` off.

use std::path::PathBuf;

use super::{bad, number, whole, Bound, CliError, Options};
use crate::image_out::Format;
use crate::render::Method;

/// Every switch name, longest first, so `KFF` is not read as `KF` with value `F`.
const NAMES: &[&str] = &[
    "EF0", "SF0", "KFF", "KFI", "KLA", "RFI", "RFO", "RTR", "RVP", "STP", "AG", "AM", "BM", "BS",
    "EC", "EF", "EP", "ER", "GA", "GD", "GF", "GI", "GP", "GR", "GS", "GW", "HI", "HR", "KC", "KI",
    "KF", "MB", "MI", "MV", "RF", "RS", "RP", "SC", "SF", "SP", "SR", "SU", "TH", "UA", "UD", "UF",
    "UL", "UO", "UR", "UV", "WL", "WT", "A", "B", "C", "D", "F", "H", "I", "J", "K", "L", "N", "O",
    "P", "Q", "R", "V", "W", "X",
];

/// Switches POV-Ray has that change nothing prender does (buffers, bounding, preview,
/// abort tests, split unions, render pattern, console files...): accepted quietly.
const QUIET: &[&str] = &[
    "B", "BM", "BS", "EP", "GD", "GF", "GP", "GR", "HR", "KLA", "MB", "MI", "P", "RS", "RP", "RTR",
    "RVP", "SP", "SU", "UA", "UD", "UF", "UL", "UO", "UR", "UV", "WL", "X",
];

impl Options {
    /// One `+X`/`-X` switch (`on` is the sign) without its sign.
    pub(super) fn switch(&mut self, s: &str, on: bool) -> Result<(), CliError> {
        let upper = s.to_ascii_uppercase();
        let name = format!("{}{}", if on { '+' } else { '-' }, s);
        let Some(key) = NAMES.iter().find(|n| upper.starts_with(**n)) else {
            self.warnings.push(format!("unknown option {name} ignored"));
            return Ok(());
        };
        let value = &s[key.len()..];
        if QUIET.contains(key) {
            return Ok(());
        }
        match *key {
            "N" => self.pvm_switch(&upper[1..], on, &name),
            "F" => self.file_type(value, on, &name),
            "A" | "AG" | "AM" | "R" | "J" => self.antialias_switch(key, value, on, &name),
            "SR" | "ER" | "SC" | "EC" => self.bound_switch(key, value, &name),
            "K" | "KC" | "KI" | "KF" | "KFI" | "KFF" | "SF" | "SF0" | "EF" | "EF0" | "STP" => {
                self.animation_switch(key, value, on, &name)
            }
            _ => self.plain_switch(key, value, on, &name),
        }
    }

    fn plain_switch(&mut self, key: &str, v: &str, on: bool, name: &str) -> Result<(), CliError> {
        match key {
            "I" => self.input = Some(PathBuf::from(v)),
            "O" => self.output = Some(PathBuf::from(v)),
            "L" => self.library_paths.push(PathBuf::from(v)),
            "W" => self.width = number(name, v)?,
            "H" => self.height = number(name, v)?,
            "WT" => self.threads = Some(number::<usize>(name, v)?.max(1)),
            "Q" => self.set_quality(number(name, v)?, name),
            "D" => self.display = on,
            "V" => self.verbose = on,
            "C" => self.continue_trace = on,
            "MV" => self.version = Some(number(name, v)?),
            "GA" => {
                self.console.statistics = on;
                self.console.warnings = on;
                self.console.debug = on;
                self.console.render = on;
            }
            "GS" => self.console.statistics = on,
            "GW" => self.console.warnings = on,
            "GI" | "HI" | "RF" | "RFI" | "RFO" | "TH" => {
                if on {
                    self.warnings
                        .push(format!("{name}: {} ignored", not_done(key)));
                }
            }
            _ => self.warnings.push(format!("unknown option {name} ignored")),
        }
        Ok(())
    }

    /// `+Qn`: quality 0-11. 9 (the default) to 11 render everything prender renders
    /// (10 and 11 only add radiosity, which prender has not); the lower levels, which
    /// leave out shadows, textures or reflections in POV-Ray, are not carried out.
    pub(super) fn set_quality(&mut self, q: u32, name: &str) {
        if q > 11 {
            self.warnings
                .push(format!("{name}: quality above 11 is 11"));
        } else if q < 9 {
            self.warnings.push(format!(
                "{name}: prender renders at full quality; lower quality levels are not \
                 implemented"
            ));
        }
        self.quality = q.min(11);
    }

    fn file_type(&mut self, v: &str, on: bool, name: &str) -> Result<(), CliError> {
        self.write_file = on;
        let mut chars = v.chars();
        let Some(letter) = chars.next() else {
            return Ok(());
        };
        self.format =
            Format::from_letter(letter).ok_or_else(|| bad(name, v, "T, C, N, J, P, B, E or H"))?;
        let rest = chars.as_str();
        if rest.eq_ignore_ascii_case("g") {
            self.warnings.push(format!(
                "{name}: grayscale output is not written; writing colour"
            ));
        } else if !rest.is_empty() {
            let bits: u8 = number(name, rest)?;
            if !(1..=16).contains(&bits) {
                return Err(bad(name, rest, "bits per colour 1-16"));
            }
            self.bits = Some(bits);
        }
        Ok(())
    }

    fn antialias_switch(
        &mut self,
        key: &str,
        v: &str,
        on: bool,
        name: &str,
    ) -> Result<(), CliError> {
        match key {
            "A" => {
                self.antialias = on;
                if !v.is_empty() {
                    self.aa.threshold = number(name, v)?;
                }
            }
            "AM" => self.sampling_method(number(name, v)?, name),
            "AG" => self.antialias_gamma(number(name, v)?, name),
            "R" => self.aa.depth = number::<u32>(name, v)?.clamp(1, 9),
            _ => {
                self.jitter = on;
                if !v.is_empty() {
                    self.aa.jitter = number(name, v)?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn sampling_method(&mut self, m: u32, name: &str) {
        self.single_sample = m == 0;
        self.aa.method = match Method::from_number(m) {
            Some(method) => method,
            None if m == 0 => Method::NonAdaptive,
            None => {
                self.warnings.push(format!(
                    "{name}: anti-aliasing method {m} (stochastic) is not implemented; \
                     using method 2"
                ));
                Method::Adaptive
            }
        };
    }

    pub(super) fn antialias_gamma(&mut self, g: f64, name: &str) {
        if (g - 2.5).abs() > 1e-9 {
            self.warnings.push(format!(
                "{name}: anti-aliasing compares colours with POV-Ray's default gamma 2.5; \
                 using it"
            ));
        }
    }

    fn bound_switch(&mut self, key: &str, v: &str, name: &str) -> Result<(), CliError> {
        let bound = Some(Bound::parse(name, v, key.starts_with('E'))?);
        match key {
            "SR" => self.start_row = bound,
            "ER" => self.end_row = bound,
            "SC" => self.start_col = bound,
            _ => self.end_col = bound,
        }
        Ok(())
    }

    fn animation_switch(
        &mut self,
        key: &str,
        v: &str,
        on: bool,
        name: &str,
    ) -> Result<(), CliError> {
        let a = &mut self.animation;
        match key {
            "K" => a.clock = number(name, v)?,
            "KC" => a.cyclic = on,
            "KI" => a.initial_clock = number(name, v)?,
            "KF" => a.final_clock = number(name, v)?,
            "KFI" => a.initial_frame = whole(name, v)?,
            "KFF" => a.final_frame = whole(name, v)?,
            "SF" | "SF0" => a.subset_start = Some(whole(name, v)?),
            "EF" | "EF0" => a.subset_end = Some(whole(name, v)?),
            _ => a.step = whole(name, v)?.max(1),
        }
        Ok(())
    }

    /// `+N` (PVM on), `+NTn` slaves, `+NWn`/`+NHn` block size; `rest` follows the N.
    fn pvm_switch(&mut self, rest: &str, on: bool, name: &str) -> Result<(), CliError> {
        let positive = |n: usize, what: &'static str| -> Result<Option<u32>, CliError> {
            let v: u32 = number(name, &rest[n..])?;
            if v == 0 {
                return Err(CliError::Refused {
                    option: name.to_owned(),
                    reason: what,
                });
            }
            Ok(Some(v))
        };
        match rest.get(..1) {
            None | Some("") => self.pvm.enabled = on,
            Some("T") => {
                self.pvm.enabled = true;
                self.pvm.tasks = positive(1, "a render needs at least one slave task")?;
            }
            Some("W") => {
                self.pvm.block_width = positive(1, "blocks must be at least one pixel wide")?
            }
            Some("H") => {
                self.pvm.block_height = positive(1, "blocks must be at least one pixel high")?
            }
            Some(_) => self.warnings.push(format!(
                "unknown PVM option {name} ignored (PVMPOV has +N, +NT, +NW, +NH)"
            )),
        }
        Ok(())
    }
}

/// What a switch or key that prender does not carry out would have done.
pub(super) fn not_done(key: &str) -> &'static str {
    match key {
        "GI" => "writing an INI file of the options",
        "HI" => "an include header",
        "RF" | "RFI" | "RFO" => "radiosity files",
        "TH" => "dithering",
        _ => "this option",
    }
}
