//! Image output as POV-Ray writes it: uncompressed 24-bit TGA (`+FT`, the default),
//! run-length compressed TGA (`+FC`) and PNG (`+FN`), plus the colour encoding from
//! the scene's working gamma to the file's sRGB values.
//!
//! [`ImageWriter`] takes rows in order, so a renderer (local or the distributed
//! master) can stream an image to disk as rows complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use glam::DVec3;
use thiserror::Error;

/// Output file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Tga,
    TgaRle,
    Png,
}

impl Format {
    /// The file extension POV-Ray appends when no output name is given.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Tga | Format::TgaRle => "tga",
            Format::Png => "png",
        }
    }
}

#[derive(Debug, Error)]
pub enum ImageError {
    #[error("cannot write image {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode PNG {path}: {source}")]
    Png {
        path: PathBuf,
        source: image::ImageError,
    },
    #[error("image rows out of order or size mismatch: {0}")]
    Misuse(&'static str),
    #[error("image is too large for the TGA format ({0} x {1}; at most 65535 each way)")]
    TooLarge(u32, u32),
}

/// Maps working-space colours to 8-bit sRGB file values.
///
/// The exact mapping ([`Encoder::channel_exact`]: gamma, sRGB curve, rounding) takes
/// two `pow` calls per channel, a noticeable share of a render. It is monotonic, so
/// it is tabulated once as the 255 working values where the code steps up, and a
/// channel is then encoded by a binary search over them, giving the same byte.
#[derive(Clone, Copy, Debug)]
pub struct Encoder {
    working_gamma: f64,
    /// `steps[k - 1]`: the least working value whose code is `k` or more; `None`
    /// when the table could not be trusted (a gamma for which the mapping is not
    /// monotonic), and then every channel is computed exactly.
    steps: Option<[f64; 255]>,
}

impl Encoder {
    pub fn new(working_gamma: f64) -> Self {
        let mut enc = Encoder {
            working_gamma,
            steps: None,
        };
        enc.steps = enc.step_table();
        enc
    }

    /// The code of one channel, computed directly.
    fn channel_exact(&self, v: f64) -> u8 {
        let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
        let linear = if self.working_gamma == 1.0 {
            v
        } else {
            v.powf(self.working_gamma)
        };
        let s = if linear <= 0.003_130_8 {
            12.92 * linear
        } else {
            1.055 * linear.powf(1.0 / 2.4) - 0.055
        };
        (s * 255.0 + 0.5).floor().clamp(0.0, 255.0) as u8
    }

    /// Finds, by bisection over the bit patterns of `[0, 1]` (ordered like the
    /// values for non-negative floats), the least value reaching each code.
    fn step_table(&self) -> Option<[f64; 255]> {
        if self.channel_exact(0.0) != 0 || self.channel_exact(1.0) != 255 {
            return None;
        }
        let top = 1.0f64.to_bits();
        let mut steps = [0.0; 255];
        let mut lo = 0u64;
        for (i, step) in steps.iter_mut().enumerate() {
            let code = i as u8 + 1;
            // Invariant: code(lo) < code <= code(hi).
            let mut hi = top;
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if self.channel_exact(f64::from_bits(mid)) >= code {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            *step = f64::from_bits(hi);
            lo = hi - 1;
        }
        // The search assumed monotonicity; check that each step is where its code
        // starts and that the steps are ordered.
        let ok = steps.windows(2).all(|w| w[0] <= w[1])
            && steps.iter().enumerate().all(|(i, &s)| {
                let below = f64::from_bits(s.to_bits() - 1);
                usize::from(self.channel_exact(s)) > i
                    && usize::from(self.channel_exact(below)) <= i
            });
        ok.then_some(steps)
    }

    #[inline]
    fn channel(&self, v: f64) -> u8 {
        match &self.steps {
            // NaN compares false everywhere and lands on code 0, as clamping it does.
            Some(steps) => steps.partition_point(|&s| s <= v) as u8,
            None => self.channel_exact(v),
        }
    }

    pub fn encode(&self, c: DVec3) -> [u8; 3] {
        [self.channel(c.x), self.channel(c.y), self.channel(c.z)]
    }
}

/// Writes an image row by row, top row first.
pub struct ImageWriter {
    path: PathBuf,
    format: Format,
    width: u32,
    height: u32,
    rows_written: u32,
    out: BufWriter<File>,
    /// PNG is encoded in one piece at the end.
    png_buf: Vec<u8>,
    rle_scratch: Vec<u8>,
}

impl ImageWriter {
    pub fn create(
        path: &Path,
        format: Format,
        width: u32,
        height: u32,
    ) -> Result<Self, ImageError> {
        if format != Format::Png && (width > 65535 || height > 65535) {
            return Err(ImageError::TooLarge(width, height));
        }
        let io = |source| ImageError::Io {
            path: path.to_owned(),
            source,
        };
        let file = File::create(path).map_err(io)?;
        let mut w = ImageWriter {
            path: path.to_owned(),
            format,
            width,
            height,
            rows_written: 0,
            out: BufWriter::new(file),
            png_buf: Vec::new(),
            rle_scratch: Vec::new(),
        };
        if format != Format::Png {
            let header = tga_header(format, width as u16, height as u16);
            w.out.write_all(&header).map_err(io)?;
        } else {
            w.png_buf.reserve(width as usize * height as usize * 3);
        }
        Ok(w)
    }

    fn io(&self, source: std::io::Error) -> ImageError {
        ImageError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Appends the next row (`width` pixels, RGB).
    pub fn write_row(&mut self, row: &[[u8; 3]]) -> Result<(), ImageError> {
        if row.len() != self.width as usize || self.rows_written >= self.height {
            return Err(ImageError::Misuse("row length or count"));
        }
        self.rows_written += 1;
        match self.format {
            Format::Png => self.png_buf.extend(row.iter().flatten()),
            Format::Tga => {
                let mut buf = Vec::with_capacity(row.len() * 3);
                for p in row {
                    buf.extend_from_slice(&[p[2], p[1], p[0]]);
                }
                self.out.write_all(&buf).map_err(|e| self.io(e))?;
            }
            Format::TgaRle => {
                let mut scratch = std::mem::take(&mut self.rle_scratch);
                scratch.clear();
                rle_row(row, &mut scratch);
                let r = self.out.write_all(&scratch);
                self.rle_scratch = scratch;
                r.map_err(|e| self.io(e))?;
            }
        }
        Ok(())
    }

    /// Pads any rows not written with black and closes the file.
    pub fn finish(mut self) -> Result<(), ImageError> {
        let black = vec![[0u8; 3]; self.width as usize];
        while self.rows_written < self.height {
            self.write_row(&black)?;
        }
        match self.format {
            Format::Png => {
                let path = self.path.clone();
                let png = std::mem::take(&mut self.png_buf);
                let enc = image::codecs::png::PngEncoder::new(&mut self.out);
                image::ImageEncoder::write_image(
                    enc,
                    &png,
                    self.width,
                    self.height,
                    image::ExtendedColorType::Rgb8,
                )
                .map_err(|source| ImageError::Png { path, source })?;
            }
            Format::Tga | Format::TgaRle => {
                // TGA 2.0 footer without extension or developer areas.
                let mut footer = [0u8; 26];
                footer[8..26].copy_from_slice(b"TRUEVISION-XFILE.\0");
                self.out.write_all(&footer).map_err(|e| self.io(e))?;
            }
        }
        self.out.flush().map_err(|e| self.io(e))
    }
}

fn tga_header(format: Format, width: u16, height: u16) -> [u8; 18] {
    let mut h = [0u8; 18];
    h[2] = if format == Format::TgaRle { 10 } else { 2 };
    h[12..14].copy_from_slice(&width.to_le_bytes());
    h[14..16].copy_from_slice(&height.to_le_bytes());
    h[16] = 24;
    // Origin at the top left, as POV-Ray writes rows top first.
    h[17] = 0x20;
    h
}

/// TGA run-length packets for one row (runs never cross rows).
fn rle_row(row: &[[u8; 3]], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < row.len() {
        let mut run = 1;
        while i + run < row.len() && run < 128 && row[i + run] == row[i] {
            run += 1;
        }
        if run > 1 {
            let p = row[i];
            out.extend_from_slice(&[0x80 | (run as u8 - 1), p[2], p[1], p[0]]);
            i += run;
            continue;
        }
        // Literal packet: up to the next run of two equal pixels.
        let start = i;
        while i < row.len() && i - start < 128 && !(i + 1 < row.len() && row[i + 1] == row[i]) {
            i += 1;
        }
        if i == start {
            i += 1;
        }
        out.push((i - start - 1) as u8);
        for p in &row[start..i] {
            out.extend_from_slice(&[p[2], p[1], p[0]]);
        }
    }
}

/// The output of a render as the command line asks for it, ready for its first row.
pub struct Output {
    /// The writer, or `None` with `-F` or no file name.
    pub writer: Option<ImageWriter>,
    /// The first row still to render: the top of the `+SR` band, or with `+C` the first
    /// row an interrupted render did not finish.
    pub first_row: u32,
}

/// Opens the output file for `opts`: rows above the rendered band are written black
/// (as POV-Ray leaves them); with `+C` (continue) the complete rows an interrupted
/// render left in an uncompressed TGA are kept, and the render resumes below them.
pub fn open_output(opts: &crate::cli::Options) -> Result<Output, ImageError> {
    let rows = opts.rows();
    let (true, Some(path)) = (opts.write_file, opts.output_path()) else {
        return Ok(Output {
            writer: None,
            first_row: rows.0,
        });
    };
    let kept = if opts.continue_trace {
        finished_rows(&path, opts.format, opts.width, opts.height)?
    } else {
        Vec::new()
    };
    let mut w = ImageWriter::create(&path, opts.format, opts.width, opts.height)?;
    let black = vec![[0u8; 3]; opts.width as usize];
    let mut next = 0;
    for row in &kept {
        w.write_row(row)?;
        next += 1;
    }
    while next < rows.0 {
        w.write_row(&black)?;
        next += 1;
    }
    Ok(Output {
        writer: Some(w),
        first_row: next.min(rows.1.max(rows.0)),
    })
}

/// The complete rows at the top of an uncompressed TGA of the expected size that a
/// render wrote before it was interrupted; nothing when there is no such file.
fn finished_rows(
    path: &Path,
    format: Format,
    width: u32,
    height: u32,
) -> Result<Vec<Vec<[u8; 3]>>, ImageError> {
    if format != Format::Tga {
        return Ok(Vec::new());
    }
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(ImageError::Io {
                path: path.to_owned(),
                source,
            })
        }
    };
    let header = tga_header(Format::Tga, width as u16, height as u16);
    if data.len() < header.len() || data[..header.len()] != header {
        // Not an image this render would have written: start afresh.
        return Ok(Vec::new());
    }
    let stride = width as usize * 3;
    let body = &data[header.len()..];
    let complete = (body.len() / stride.max(1)).min(height as usize);
    Ok(body[..complete * stride]
        .chunks_exact(stride.max(1))
        .map(|row| row.chunks_exact(3).map(|p| [p[2], p[1], p[0]]).collect())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unrle(data: &[u8], n: usize) -> Vec<[u8; 3]> {
        let mut out = Vec::new();
        let mut i = 0;
        while out.len() < n {
            let h = data[i] as usize;
            i += 1;
            if h & 0x80 != 0 {
                let p = [data[i + 2], data[i + 1], data[i]];
                i += 3;
                out.resize(out.len() + (h & 0x7f) + 1, p);
            } else {
                for _ in 0..=h {
                    out.push([data[i + 2], data[i + 1], data[i]]);
                    i += 3;
                }
            }
        }
        assert_eq!(i, data.len());
        out
    }

    #[test]
    fn rle_round_trips() {
        let mut row = vec![[1, 2, 3]; 5];
        row.extend([[9, 9, 9], [8, 8, 8], [7, 7, 7]]);
        row.extend(vec![[0, 0, 0]; 300]);
        row.push([5, 5, 5]);
        let mut enc = Vec::new();
        rle_row(&row, &mut enc);
        assert_eq!(unrle(&enc, row.len()), row);
    }

    /// The tabulated encoder gives the exact mapping's byte everywhere: on a fine
    /// sweep, at every step and at the floats either side of it, and out of range.
    #[test]
    fn step_table_matches_exact_encoding() {
        for gamma in [1.0, 2.2, 1.8, 0.45, 3.0] {
            let enc = Encoder::new(gamma);
            let steps = enc.steps.expect("a table for an ordinary gamma");
            let check = |v: f64| {
                assert_eq!(
                    enc.channel(v),
                    enc.channel_exact(v),
                    "gamma {gamma}, v {v:e}"
                )
            };
            for i in 0..=200_000 {
                check(i as f64 / 200_000.0);
            }
            for s in steps {
                for v in [
                    s,
                    f64::from_bits(s.to_bits() - 1),
                    f64::from_bits(s.to_bits() + 1),
                ] {
                    check(v);
                }
            }
            for v in [
                -1.0,
                -0.0,
                1e-300,
                1.0 + f64::EPSILON,
                7.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
            ] {
                check(v);
            }
        }
    }

    #[test]
    fn encoding_follows_working_gamma() {
        // Linear 0.5 becomes sRGB 188; with gamma 2.2 the value stays near 128.
        assert_eq!(Encoder::new(1.0).encode(DVec3::splat(0.5)), [188; 3]);
        assert_eq!(Encoder::new(2.2).encode(DVec3::splat(0.5)), [128; 3]);
        assert_eq!(
            Encoder::new(1.0).encode(DVec3::new(2.0, -1.0, f64::NAN)),
            [255, 0, 0]
        );
    }
}
