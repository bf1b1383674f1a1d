//! Image output as POV-Ray writes it: TGA (`+FT`, the default, and RLE `+FC`), PNG
//! (`+FN`, 8 or 16 bits), JPEG (`+FJ`), PPM (`+FP`, 8 or 16 bits), BMP (`+FB`),
//! OpenEXR (`+FE`) and Radiance HDR (`+FH`), to a file or to standard output (`+O-`).
//!
//! The writer takes plain image settings ([`OutputSpec`]), never the command line.
//! [`ImageWriter`] takes rows in order, so a renderer (local or the distributed
//! master) can stream an image out as rows complete: TGA goes out row by row, the
//! other formats are encoded in one piece when the image is finished.

mod encoder;
mod tga;

use std::fs::File;
use std::io::{BufWriter, Cursor, Write};
use std::path::PathBuf;

use glam::DVec3;
use thiserror::Error;

pub use encoder::Encoder;

/// Output file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Tga,
    TgaRle,
    Png,
    Jpeg,
    Ppm,
    Bmp,
    Exr,
    Hdr,
}

impl Format {
    /// The format for POV-Ray's `+F` letter (`T`, `C`, `N`, `J`, `P`, `B`, `E`, `H`).
    pub fn from_letter(c: char) -> Option<Format> {
        Some(match c.to_ascii_uppercase() {
            'T' => Format::Tga,
            'C' => Format::TgaRle,
            'N' => Format::Png,
            'J' => Format::Jpeg,
            'P' => Format::Ppm,
            'B' => Format::Bmp,
            'E' => Format::Exr,
            'H' => Format::Hdr,
            _ => return None,
        })
    }

    /// The file extension POV-Ray appends when no output name is given.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Tga | Format::TgaRle => "tga",
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Ppm => "ppm",
            Format::Bmp => "bmp",
            Format::Exr => "exr",
            Format::Hdr => "hdr",
        }
    }

    /// Whether the format stores 16 bits per channel when asked to.
    pub fn has_16_bit(self) -> bool {
        matches!(self, Format::Png | Format::Ppm)
    }

    /// Whether the format stores linear floating-point light.
    pub fn is_float(self) -> bool {
        matches!(self, Format::Exr | Format::Hdr)
    }
}

#[derive(Debug, Error)]
pub enum ImageError {
    #[error("cannot write image {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot encode image {path}: {source}")]
    Encode {
        path: String,
        source: image::ImageError,
    },
    #[error("image rows out of order or size mismatch: {0}")]
    Misuse(&'static str),
    #[error("image is too large for the TGA format ({0} x {1}; at most 65535 each way)")]
    TooLarge(u32, u32),
}

/// Where the image goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    File(PathBuf),
    /// `+O-`: standard output.
    Stdout,
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::File(p) => write!(f, "{}", p.display()),
            Destination::Stdout => f.write_str("standard output"),
        }
    }
}

/// Everything the writer needs to know about the image it writes.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputSpec {
    pub destination: Destination,
    pub format: Format,
    /// Bits per channel: 16 for formats that have it when asked for more than 8.
    pub bits: u8,
    /// JPEG quality, 0-100.
    pub jpeg_quality: u8,
    pub width: u32,
    pub height: u32,
    /// Rows to render (0-based, end exclusive); rows above are written black.
    pub rows: (u32, u32),
    /// `+C`: keep the finished rows of an interrupted TGA render and resume below.
    pub continue_trace: bool,
}

/// Pixels kept for a format encoded in one piece at the end.
enum Pixels {
    Rgb8(Vec<u8>),
    Rgb16(Vec<u16>),
    Linear(Vec<f32>),
}

/// Where rows go as they come.
enum Sink {
    /// TGA rows go straight out.
    Stream { rle: bool, scratch: Vec<u8> },
    /// Everything else waits for the whole image.
    Buffered(Pixels),
}

/// Writes an image row by row, top row first.
pub struct ImageWriter {
    name: String,
    format: Format,
    jpeg_quality: u8,
    width: u32,
    height: u32,
    rows_written: u32,
    out: BufWriter<Box<dyn Write + Send>>,
    sink: Sink,
}

impl ImageWriter {
    /// Opens the destination and writes any header.
    pub fn create(spec: &OutputSpec) -> Result<Self, ImageError> {
        let (format, width, height) = (spec.format, spec.width, spec.height);
        let tga = matches!(format, Format::Tga | Format::TgaRle);
        if tga && (width > 65535 || height > 65535) {
            return Err(ImageError::TooLarge(width, height));
        }
        let name = spec.destination.to_string();
        let out: Box<dyn Write + Send> = match &spec.destination {
            Destination::File(path) => {
                Box::new(File::create(path).map_err(|source| ImageError::Io {
                    path: name.clone(),
                    source,
                })?)
            }
            Destination::Stdout => Box::new(std::io::stdout()),
        };
        let area = width as usize * height as usize * 3;
        let sink = if tga {
            Sink::Stream {
                rle: format == Format::TgaRle,
                scratch: Vec::new(),
            }
        } else if format.is_float() {
            Sink::Buffered(Pixels::Linear(Vec::with_capacity(area)))
        } else if format.has_16_bit() && spec.bits > 8 {
            Sink::Buffered(Pixels::Rgb16(Vec::with_capacity(area)))
        } else {
            Sink::Buffered(Pixels::Rgb8(Vec::with_capacity(area)))
        };
        let mut w = ImageWriter {
            name,
            format,
            jpeg_quality: spec.jpeg_quality.min(100),
            width,
            height,
            rows_written: 0,
            out: BufWriter::new(out),
            sink,
        };
        if tga {
            let header = tga::header(format == Format::TgaRle, width as u16, height as u16);
            w.out.write_all(&header).map_err(|e| w.io(e))?;
        }
        Ok(w)
    }

    fn io(&self, source: std::io::Error) -> ImageError {
        ImageError::Io {
            path: self.name.clone(),
            source,
        }
    }

    fn next_row(&mut self, len: usize) -> Result<(), ImageError> {
        if len != self.width as usize || self.rows_written >= self.height {
            return Err(ImageError::Misuse("row length or count"));
        }
        self.rows_written += 1;
        Ok(())
    }

    /// Appends the next row of 8-bit sRGB pixels (`width` of them). Deeper formats
    /// widen them: this is how a distributed render's 8-bit slave pixels arrive.
    pub fn write_row(&mut self, row: &[[u8; 3]]) -> Result<(), ImageError> {
        self.next_row(row.len())?;
        let stream_err = match &mut self.sink {
            Sink::Stream { rle, scratch } => {
                scratch.clear();
                if *rle {
                    tga::rle_row(row, scratch);
                } else {
                    tga::plain_row(row, scratch);
                }
                self.out.write_all(scratch).err()
            }
            Sink::Buffered(Pixels::Rgb8(px)) => {
                px.extend(row.iter().flatten());
                None
            }
            Sink::Buffered(Pixels::Rgb16(px)) => {
                px.extend(row.iter().flatten().map(|&v| u16::from(v) * 257));
                None
            }
            Sink::Buffered(Pixels::Linear(px)) => {
                px.extend(row.iter().flatten().map(|&v| srgb_to_linear(v)));
                None
            }
        };
        stream_err.map_or(Ok(()), |e| Err(self.io(e)))
    }

    /// Appends the next row as rendered colours, encoded at the file's own depth.
    pub fn write_colours(&mut self, row: &[DVec3], enc: &Encoder) -> Result<(), ImageError> {
        match &mut self.sink {
            Sink::Stream { .. } | Sink::Buffered(Pixels::Rgb8(_)) => {
                let bytes: Vec<[u8; 3]> = row.iter().map(|c| enc.encode(*c)).collect();
                self.write_row(&bytes)
            }
            Sink::Buffered(Pixels::Rgb16(px)) => {
                px.extend(row.iter().flat_map(|c| enc.encode16(*c)));
                self.next_row(row.len())
            }
            Sink::Buffered(Pixels::Linear(px)) => {
                px.extend(
                    row.iter()
                        .flat_map(|c| [enc.linear(c.x), enc.linear(c.y), enc.linear(c.z)]),
                );
                self.next_row(row.len())
            }
        }
    }

    /// Pads any rows not written with black and closes the output.
    pub fn finish(mut self) -> Result<(), ImageError> {
        let black = vec![[0u8; 3]; self.width as usize];
        while self.rows_written < self.height {
            self.write_row(&black)?;
        }
        let sink = std::mem::replace(&mut self.sink, Sink::Buffered(Pixels::Rgb8(Vec::new())));
        let bytes = match sink {
            Sink::Stream { .. } => tga::footer().to_vec(),
            Sink::Buffered(px) => self.encode(px)?,
        };
        self.out.write_all(&bytes).map_err(|e| self.io(e))?;
        self.out.flush().map_err(|e| self.io(e))
    }

    /// The whole file of a buffered format.
    fn encode(&self, px: Pixels) -> Result<Vec<u8>, ImageError> {
        use image::ExtendedColorType as C;
        use image::ImageEncoder;
        let (w, h) = (self.width, self.height);
        let mut buf = Cursor::new(Vec::new());
        let done = match (self.format, &px) {
            (Format::Ppm, _) => return Ok(ppm(w, h, &px)),
            (Format::Png, Pixels::Rgb16(v)) => image::codecs::png::PngEncoder::new(&mut buf)
                .write_image(&native_bytes(v), w, h, C::Rgb16),
            (Format::Png, _) => {
                image::codecs::png::PngEncoder::new(&mut buf).write_image(&rgb8(&px), w, h, C::Rgb8)
            }
            (Format::Jpeg, _) => {
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, self.jpeg_quality)
                    .write_image(&rgb8(&px), w, h, C::Rgb8)
            }
            (Format::Bmp, _) => {
                image::codecs::bmp::BmpEncoder::new(&mut buf).write_image(&rgb8(&px), w, h, C::Rgb8)
            }
            (Format::Exr, _) => image::codecs::openexr::OpenExrEncoder::new(&mut buf).write_image(
                &native_f32(&linear(&px)),
                w,
                h,
                C::Rgb32F,
            ),
            (Format::Hdr, _) => {
                let pixels: Vec<image::Rgb<f32>> = linear(&px)
                    .chunks_exact(3)
                    .map(|c| image::Rgb([c[0], c[1], c[2]]))
                    .collect();
                image::codecs::hdr::HdrEncoder::new(&mut buf)
                    .encode(&pixels, w as usize, h as usize)
            }
            (Format::Tga | Format::TgaRle, _) => return Err(ImageError::Misuse("TGA is streamed")),
        };
        done.map_err(|source| ImageError::Encode {
            path: self.name.clone(),
            source,
        })?;
        Ok(buf.into_inner())
    }
}

/// Binary PPM (P6), 8 or 16 bits per channel (16-bit samples big-endian).
fn ppm(w: u32, h: u32, px: &Pixels) -> Vec<u8> {
    match px {
        Pixels::Rgb16(v) => {
            let mut out = format!("P6\n{w} {h}\n65535\n").into_bytes();
            out.extend(v.iter().flat_map(|s| s.to_be_bytes()));
            out
        }
        Pixels::Rgb8(_) | Pixels::Linear(_) => {
            let mut out = format!("P6\n{w} {h}\n255\n").into_bytes();
            out.extend(rgb8(px));
            out
        }
    }
}

fn rgb8(px: &Pixels) -> Vec<u8> {
    match px {
        Pixels::Rgb8(v) => v.clone(),
        Pixels::Rgb16(v) => v.iter().map(|s| (s >> 8) as u8).collect(),
        Pixels::Linear(v) => {
            let enc = Encoder::new(1.0);
            v.iter()
                .map(|&l| enc.encode(DVec3::splat(f64::from(l)))[0])
                .collect()
        }
    }
}

fn linear(px: &Pixels) -> Vec<f32> {
    match px {
        Pixels::Linear(v) => v.clone(),
        Pixels::Rgb8(v) => v.iter().map(|&b| srgb_to_linear(b)).collect(),
        Pixels::Rgb16(v) => v.iter().map(|&s| srgb_to_linear((s >> 8) as u8)).collect(),
    }
}

/// The image crate takes samples wider than a byte in native byte order.
fn native_bytes(v: &[u16]) -> Vec<u8> {
    v.iter().flat_map(|s| s.to_ne_bytes()).collect()
}

fn native_f32(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|s| s.to_ne_bytes()).collect()
}

fn srgb_to_linear(b: u8) -> f32 {
    let s = f64::from(b) / 255.0;
    let l = if s <= 0.040_45 {
        s / 12.92
    } else {
        ((s + 0.055) / 1.055).powf(2.4)
    };
    l as f32
}

/// The output of a render, ready for its first row.
pub struct Output {
    /// The writer, or `None` with `-F`.
    pub writer: Option<ImageWriter>,
    /// The first row still to render: the top of the `+SR` band, or with `+C` the first
    /// row an interrupted render did not finish.
    pub first_row: u32,
}

impl Output {
    /// No image written (`-F`): the render starts at `first_row`.
    pub fn none(first_row: u32) -> Output {
        Output {
            writer: None,
            first_row,
        }
    }
}

/// Opens the output `spec` describes: rows above the rendered band are written black
/// (as POV-Ray leaves them); with `+C` (continue) the complete rows an interrupted
/// render left in an uncompressed TGA are kept, and the render resumes below them.
pub fn open_output(spec: &OutputSpec) -> Result<Output, ImageError> {
    let rows = spec.rows;
    let kept = match (&spec.destination, spec.continue_trace) {
        (Destination::File(path), true) => {
            tga::finished_rows(path, spec.format, spec.width, spec.height)?
        }
        (Destination::File(_), false) | (Destination::Stdout, _) => Vec::new(),
    };
    let mut w = ImageWriter::create(spec)?;
    let black = vec![[0u8; 3]; spec.width as usize];
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(dir: &tempfile::TempDir, format: Format, bits: u8) -> OutputSpec {
        OutputSpec {
            destination: Destination::File(dir.path().join(format!("x.{}", format.extension()))),
            format,
            bits,
            jpeg_quality: 90,
            width: 3,
            height: 2,
            rows: (0, 2),
            continue_trace: false,
        }
    }

    fn write(spec: &OutputSpec) -> Vec<u8> {
        let enc = Encoder::new(1.0);
        let mut w = ImageWriter::create(spec).unwrap();
        let row = [DVec3::ZERO, DVec3::splat(0.5), DVec3::ONE];
        w.write_colours(&row, &enc).unwrap();
        w.write_colours(&row, &enc).unwrap();
        w.finish().unwrap();
        let Destination::File(p) = &spec.destination else {
            unreachable!("tests write files")
        };
        std::fs::read(p).unwrap()
    }

    #[test]
    fn ppm_holds_8_or_16_bit_samples() {
        let dir = tempfile::TempDir::new().unwrap();
        let eight = write(&spec(&dir, Format::Ppm, 8));
        assert!(eight.starts_with(b"P6\n3 2\n255\n"));
        assert_eq!(eight.len(), 11 + 18);
        assert_eq!(&eight[11..14], &[0, 0, 0]);
        assert_eq!(eight[14], 188);
        let wide = write(&spec(&dir, Format::Ppm, 16));
        assert!(wide.starts_with(b"P6\n3 2\n65535\n"));
        assert_eq!(wide.len(), 13 + 36);
        assert_eq!(&wide[13 + 12..13 + 14], &[0xff, 0xff]);
    }

    #[test]
    fn float_formats_keep_linear_light() {
        let dir = tempfile::TempDir::new().unwrap();
        for format in [Format::Exr, Format::Hdr] {
            let s = spec(&dir, format, 8);
            write(&s);
            let Destination::File(p) = &s.destination else {
                unreachable!("tests write files")
            };
            let img = image::open(p).unwrap().to_rgb32f();
            assert_eq!(img.dimensions(), (3, 2));
            let mid = img.get_pixel(1, 0)[0];
            assert!((mid - 0.5).abs() < 0.01, "{format:?}: {mid}");
        }
    }

    #[test]
    fn letters_name_povray_formats() {
        for (c, f) in [('t', Format::Tga), ('J', Format::Jpeg), ('e', Format::Exr)] {
            assert_eq!(Format::from_letter(c), Some(f));
        }
        assert_eq!(Format::from_letter('Z'), None);
        assert_eq!(Format::Jpeg.extension(), "jpg");
    }
}
