//! `Key=value` options and INI files, with every key of POV-Ray 3.7's INI reference.
//!
//! An INI file is read as POV-Ray reads it: `;` starts a comment, a line holds one
//! `Key=value` or switches, and `[Section]` labels split the file. The options before
//! the first label always apply; a labelled section applies only when the file was
//! named with that section (`render.ini[Low]`, case-insensitive), so a file without
//! a section named applies only its unlabelled head.

use std::path::{Path, PathBuf};

use super::{bad, boolean, number, whole, Bound, CliError, Options, MAX_INI_DEPTH};
use crate::image_out::Format;

/// Keys that change nothing prender does (buffers, bounding, preview, abort tests,
/// console files, BSP tuning, render order, exit codes...): accepted quietly.
const QUIET: &[&str] = &[
    "all_file",
    "append_file",
    "bounding",
    "bounding_method",
    "bounding_threshold",
    "bsp_baseaccesscost",
    "bsp_childaccesscost",
    "bsp_isectcost",
    "bsp_maxdepth",
    "bsp_misschance",
    "buffer_output",
    "buffer_size",
    "clockless_animation",
    "debug_file",
    "display_gamma",
    "draw_vistas",
    "fatal_console",
    "file_gamma",
    "fatal_error_return",
    "fatal_file",
    "high_reproducibility",
    "dither_method",
    "histogram_grid_size",
    "histogram_type",
    "histogram_name",
    "light_buffer",
    "max_image_buffer_memory",
    "palette",
    "pause_when_done",
    "post_frame_return",
    "post_scene_return",
    "pre_frame_return",
    "pre_scene_return",
    "preview_end_size",
    "preview_start_size",
    "radiosity_file_name",
    "radiosity_vain_pretrace",
    "real_time_raytracing",
    "remove_bounds",
    "render_block_size",
    "render_block_step",
    "render_file",
    "render_pattern",
    "split_unions",
    "statistic_file",
    "test_abort",
    "test_abort_count",
    "user_abort_return",
    "video_mode",
    "vista_buffer",
    "warning_file",
    "warning_level",
    "pvm_arch",
    "pvm_slave",
];

/// Keys asking for something prender does not do: a warning when set to anything
/// but their default ("off" or empty).
const NOT_DONE: &[(&str, &str)] = &[
    ("create_histogram", "render-time histograms"),
    ("create_ini", "writing an INI file of the options"),
    ("include_header", "an include header before the scene"),
    ("output_alpha", "an alpha channel"),
    ("dither", "dithering"),
    ("field_render", "field rendering"),
    ("odd_field", "field rendering"),
    ("grayscale_output", "grayscale output"),
    ("radiosity_from_file", "radiosity files"),
    ("radiosity_to_file", "radiosity files"),
    ("pre_scene_command", "running shell commands"),
    ("pre_frame_command", "running shell commands"),
    ("post_scene_command", "running shell commands"),
    ("post_frame_command", "running shell commands"),
    ("user_abort_command", "running shell commands"),
    ("fatal_error_command", "running shell commands"),
];

/// Whether a command-line word names an INI file, with or without a `[Section]`.
pub(super) fn is_ini_spec(a: &str) -> bool {
    let file = a.split('[').next().unwrap_or(a);
    file.to_ascii_lowercase().ends_with(".ini")
}

impl Options {
    pub(super) fn key_value(&mut self, key: &str, v: &str, depth: u32) -> Result<(), CliError> {
        let k = key.to_ascii_lowercase();
        let v = v.trim().trim_matches('"');
        // An empty value leaves the option as it was (POV-Ray's INI files list
        // every key, many with nothing after the `=`).
        if QUIET.contains(&k.as_str()) || v.is_empty() {
            return Ok(());
        }
        if k == "file_gamma" && !v.eq_ignore_ascii_case("srgb") {
            self.warnings
                .push(format!("{key}={v}: prender writes sRGB files; ignored"));
            return Ok(());
        }
        if let Some((_, what)) = NOT_DONE.iter().find(|(n, _)| *n == k) {
            let default = matches!(
                v.to_ascii_lowercase().as_str(),
                "" | "off" | "false" | "no" | "0"
            );
            if !default {
                self.warnings
                    .push(format!("{key}={v}: prender does not do {what}; ignored"));
            }
            return Ok(());
        }
        if self.file_key(&k, key, v, depth)? || self.render_key(&k, key, v)? {
            return Ok(());
        }
        if self.animation_key(&k, key, v)? || self.console_key(&k, key, v)? {
            return Ok(());
        }
        if !self.pvm_key(&k, key, v)? {
            self.warnings
                .push(format!("unknown option {key}={v} ignored"));
        }
        Ok(())
    }

    /// Files and image output. Returns whether the key was one of these.
    fn file_key(&mut self, k: &str, key: &str, v: &str, depth: u32) -> Result<bool, CliError> {
        match k {
            "input_file_name" => self.input = Some(PathBuf::from(v)),
            "output_file_name" => self.output = Some(PathBuf::from(v)),
            "output_to_file" => self.write_file = boolean(key, v)?,
            "output_file_type" => {
                let letter = v.chars().next().unwrap_or(' ');
                self.format = Format::from_letter(letter)
                    .ok_or_else(|| bad(key, v, "T, C, N, J, P, B, E or H"))?;
            }
            "bits_per_color" | "bits_per_colour" => {
                let bits: u8 = number(key, v)?;
                if !(1..=16).contains(&bits) {
                    return Err(bad(key, v, "bits per colour 1-16"));
                }
                self.bits = Some(bits);
            }
            "compression" => self.compression = Some(number::<u32>(key, v)?.min(100) as u8),
            "library_path" => self.library_paths.push(PathBuf::from(v)),
            "include_ini" => self.ini_file(v, depth + 1)?,
            "continue_trace" => self.continue_trace = boolean(key, v)?,
            "declare" => self.declare(key, v)?,
            "version" => self.version = Some(number(key, v)?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `Declare=Name=value`.
    fn declare(&mut self, key: &str, v: &str) -> Result<(), CliError> {
        let Some((name, value)) = v.split_once('=') else {
            return Err(bad(key, v, "Name=value"));
        };
        let value: f64 = number(key, value)?;
        self.declares.push((name.trim().to_owned(), value));
        Ok(())
    }

    /// Image size, partial renders, anti-aliasing, quality, threads.
    fn render_key(&mut self, k: &str, key: &str, v: &str) -> Result<bool, CliError> {
        match k {
            "width" => self.width = number(key, v)?,
            "height" => self.height = number(key, v)?,
            "start_row" => self.start_row = Some(Bound::parse(key, v, false)?),
            "end_row" => self.end_row = Some(Bound::parse(key, v, true)?),
            "start_column" => self.start_col = Some(Bound::parse(key, v, false)?),
            "end_column" => self.end_col = Some(Bound::parse(key, v, true)?),
            "antialias" => self.antialias = boolean(key, v)?,
            "antialias_threshold" => self.aa.threshold = number(key, v)?,
            "antialias_depth" => self.aa.depth = number::<u32>(key, v)?.clamp(1, 9),
            "antialias_gamma" => self.antialias_gamma(number(key, v)?, key),
            "sampling_method" => self.sampling_method(number(key, v)?, key),
            "jitter" => self.jitter = boolean(key, v)?,
            "jitter_amount" => self.aa.jitter = number(key, v)?,
            "quality" => self.set_quality(number(key, v)?, key),
            "work_threads" => self.threads = Some(number::<usize>(key, v)?.max(1)),
            "display" => self.display = boolean(key, v)?,
            "verbose" => self.verbose = boolean(key, v)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn animation_key(&mut self, k: &str, key: &str, v: &str) -> Result<bool, CliError> {
        let a = &mut self.animation;
        match k {
            "clock" => a.clock = number(key, v)?,
            "initial_frame" => a.initial_frame = whole(key, v)?,
            "final_frame" => a.final_frame = whole(key, v)?,
            "initial_clock" => a.initial_clock = number(key, v)?,
            "final_clock" => a.final_clock = number(key, v)?,
            "subset_start_frame" => a.subset_start = Some(whole(key, v)?),
            "subset_end_frame" => a.subset_end = Some(whole(key, v)?),
            "frame_step" => a.step = whole(key, v)?.max(1),
            "cyclic_animation" => a.cyclic = boolean(key, v)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn console_key(&mut self, k: &str, key: &str, v: &str) -> Result<bool, CliError> {
        let c = &mut self.console;
        match k {
            "all_console" => {
                let on = boolean(key, v)?;
                (c.statistics, c.warnings, c.debug, c.render) = (on, on, on, on);
            }
            "statistic_console" => c.statistics = boolean(key, v)?,
            "warning_console" => c.warnings = boolean(key, v)?,
            "debug_console" => c.debug = boolean(key, v)?,
            "render_console" => c.render = boolean(key, v)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// PVMPOV's keys.
    fn pvm_key(&mut self, k: &str, key: &str, v: &str) -> Result<bool, CliError> {
        match k {
            "pvm" => self.pvm.enabled = boolean(key, v)?,
            "pvm_hosts" => {
                self.pvm.hosts = v
                    .split(',')
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            "pvm_nice" => self.pvm.nice = Some(number(key, v)?),
            "pvm_tasks" => self.switch(&format!("NT{v}"), true)?,
            "pvm_width" => self.switch(&format!("NW{v}"), true)?,
            "pvm_height" => self.switch(&format!("NH{v}"), true)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Reads an INI file named `spec` (`file.ini` or `file.ini[Section]`).
    pub(super) fn ini_file(&mut self, spec: &str, depth: u32) -> Result<(), CliError> {
        let (file, section) = split_spec(spec)?;
        if depth > MAX_INI_DEPTH {
            return Err(CliError::IniDepth(file.to_owned()));
        }
        let path = Path::new(file);
        let text = std::fs::read_to_string(path).map_err(|e| CliError::Ini {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let mut applies = true;
        for (i, line) in text.lines().enumerate() {
            let line = line.split(';').next().unwrap_or("").trim();
            if let Some(label) = line.strip_prefix('[') {
                let label = label.split(']').next().unwrap_or("").trim();
                applies = section.is_some_and(|s| s.eq_ignore_ascii_case(label));
                continue;
            }
            if line.is_empty() || !applies {
                continue;
            }
            for word in split_ini_line(line) {
                self.apply_arg(&word, depth + 1)
                    .map_err(|e| at_line(e, file, i + 1))?;
            }
        }
        Ok(())
    }
}

/// `file.ini[Section]` into the file and the section.
fn split_spec(spec: &str) -> Result<(&str, Option<&str>), CliError> {
    let Some((file, rest)) = spec.split_once('[') else {
        return Ok((spec, None));
    };
    let Some(section) = rest.strip_suffix(']') else {
        return Err(bad(spec, spec, "file.ini or file.ini[Section]"));
    };
    Ok((file, Some(section.trim())))
}

/// Puts the INI file and line on a bad value met there.
fn at_line(e: CliError, file: &str, line: usize) -> CliError {
    match e {
        CliError::BadValue { .. } | CliError::Refused { .. } => CliError::IniLine {
            path: file.to_owned(),
            line,
            message: e.to_string(),
        },
        CliError::Ini { .. }
        | CliError::IniLine { .. }
        | CliError::NoInput
        | CliError::IniDepth(_) => e,
    }
}

/// An INI line holds one `Key=value` (the value may contain spaces) or switches.
fn split_ini_line(line: &str) -> Vec<String> {
    if line.starts_with('+') || line.starts_with('-') {
        line.split_whitespace().map(str::to_owned).collect()
    } else {
        vec![line.to_owned()]
    }
}
