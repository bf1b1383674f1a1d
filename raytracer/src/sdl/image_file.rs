//! Image files as textures read them: the file-type keywords of `image_map`,
//! `bump_map`, `image_pattern` and `material_map`, and decoding into a
//! [`pattern::image::Image`](crate::pattern::image::Image) with POV-Ray 3.7's
//! gamma rules. A file's pixels are decoded with the file's own gamma (a PNG's
//! sRGB or gAMA chunk, else sRGB for PNG, GIF, TGA, JPEG and BMP; PPM, PGM and
//! TIFF are taken as they are) unless the scene overrides it with `gamma`,
//! then re-encoded to the working gamma. Palette images keep their indices.

use std::io::Cursor;

use crate::pattern::image::{Image, Pixels};

/// The image file types the texture keywords name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Gif,
    Tga,
    Iff,
    Ppm,
    Pgm,
    Jpeg,
    Tiff,
    Bmp,
    Hdr,
    Exr,
    /// `sys`: the platform's own format, PNG here as in POV-Ray for Unix.
    Sys,
}

impl Format {
    /// The format a keyword names; None for other words.
    pub fn from_keyword(w: &str) -> Option<Format> {
        Some(match w {
            "png" => Format::Png,
            "gif" => Format::Gif,
            "tga" => Format::Tga,
            "iff" => Format::Iff,
            "ppm" => Format::Ppm,
            "pgm" => Format::Pgm,
            "jpeg" => Format::Jpeg,
            "tiff" => Format::Tiff,
            "bmp" => Format::Bmp,
            "hdr" => Format::Hdr,
            "exr" => Format::Exr,
            "sys" => Format::Sys,
            _ => return None,
        })
    }

    /// The format a file name's extension names, as POV-Ray infers it.
    pub fn from_name(name: &str) -> Option<Format> {
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "tif" | "tiff" => Some(Format::Tiff),
            "sys" => None,
            other => Format::from_keyword(other),
        }
    }

    /// Whether 3.7 assumes sRGB for a file that says nothing about its gamma.
    fn defaults_to_srgb(self) -> bool {
        match self {
            Format::Png | Format::Sys | Format::Gif | Format::Tga | Format::Jpeg | Format::Bmp => {
                true
            }
            Format::Iff | Format::Ppm | Format::Pgm | Format::Tiff | Format::Hdr | Format::Exr => {
                false
            }
        }
    }
}

/// A decoding gamma curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Curve {
    /// The sRGB transfer function.
    Srgb,
    /// A power law: linear = encoded ^ gamma.
    Power(f64),
}

impl Curve {
    fn decode(self, v: f64) -> f64 {
        match self {
            Curve::Srgb if v < 0.04045 => v / 12.92,
            Curve::Srgb => ((v + 0.055) / 1.055).powf(2.4),
            Curve::Power(g) => v.max(0.0).powf(g),
        }
    }
}

/// How a texture wants an image's values: POV-Ray's read options.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GammaOptions {
    /// Convert at all (false: the raw values, as for pre-3.7 scenes).
    pub correct: bool,
    /// The user's `gamma` for the file, overriding what the file says.
    pub file_gamma: Option<Curve>,
    /// The gamma of a file that states none (a pre-3.7 scene's `assumed_gamma`),
    /// instead of the format's own default.
    pub default: Option<Curve>,
    /// The working gamma to re-encode to (None: leave linear).
    pub working: Option<f64>,
}

impl GammaOptions {
    /// The curve for a file of `format` whose own gamma is `stated` (a PNG's
    /// chunks), None when no conversion applies.
    fn curve(&self, format: Format, stated: Option<Curve>) -> Option<Curve> {
        if !self.correct {
            return None;
        }
        if let Some(c) = self.file_gamma {
            return Some(c);
        }
        match (stated, self.default) {
            (Some(c), _) | (None, Some(c)) => Some(c),
            (None, None) if format.defaults_to_srgb() => Some(Curve::Srgb),
            (None, None) => None,
        }
    }
}

/// Maps encoded values on 0..=1 to working values.
struct Transcode {
    curve: Option<Curve>,
    working: Option<f64>,
}

impl Transcode {
    fn apply(&self, v: f64) -> f32 {
        let Some(c) = self.curve else {
            return v as f32;
        };
        let linear = c.decode(v);
        match self.working {
            Some(g) if g > 0.0 && g != 1.0 => linear.max(0.0).powf(1.0 / g) as f32,
            Some(_) | None => linear as f32,
        }
    }

    /// For values that are linear already (HDR, EXR): only the working gamma.
    fn linear(&self, v: f32) -> f32 {
        match (self.curve, self.working) {
            (Some(_), Some(g)) if g > 0.0 && g != 1.0 => f64::from(v).max(0.0).powf(1.0 / g) as f32,
            _ => v,
        }
    }
}

/// Decodes `bytes` as `format`; the error says why the image cannot be used.
pub fn decode(bytes: &[u8], format: Format, gamma: &GammaOptions) -> Result<Image, String> {
    let img = match format {
        Format::Png | Format::Sys => decode_png(bytes, gamma)?,
        Format::Gif => decode_gif(bytes, gamma)?,
        Format::Iff => return Err("IFF images are not supported; convert it to PNG".into()),
        Format::Tga
        | Format::Ppm
        | Format::Pgm
        | Format::Jpeg
        | Format::Tiff
        | Format::Bmp
        | Format::Hdr
        | Format::Exr => decode_other(bytes, format, gamma)?,
    };
    if img.width == 0 || img.height == 0 {
        return Err("the image has no pixels".into());
    }
    Ok(img)
}

fn decode_png(bytes: &[u8], gamma: &GammaOptions) -> Result<Image, String> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::IDENTITY);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let stated = {
        let info = reader.info();
        if info.srgb.is_some() {
            Some(Curve::Srgb)
        } else {
            info.gama_chunk
                .map(|g| g.into_value())
                .filter(|g| *g > 0.0)
                .map(|g| Curve::Power(1.0 / f64::from(g)))
        }
    };
    let tr = Transcode {
        curve: gamma.curve(Format::Png, stated),
        working: gamma.working,
    };
    let palette = reader.info().palette.as_ref().map(|p| p.to_vec());
    let trns = reader.info().trns.as_ref().map(|t| t.to_vec());
    let size = reader.output_buffer_size().ok_or("image too large")?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let frame = PngFrame {
        buf: &buf,
        width: info.width as usize,
        height: info.height as usize,
        bits: info.bit_depth as u8 as usize,
        line: info.line_size,
    };
    match info.color_type {
        png::ColorType::Indexed => {
            let palette = palette.ok_or("a palette PNG without a palette")?;
            Ok(png_indexed(&frame, &palette, trns.as_deref(), &tr))
        }
        png::ColorType::Grayscale
        | png::ColorType::GrayscaleAlpha
        | png::ColorType::Rgb
        | png::ColorType::Rgba => Ok(png_direct(&frame, info.color_type, &tr)),
    }
}

/// One decoded PNG frame as the png crate leaves it (no transformations).
struct PngFrame<'a> {
    buf: &'a [u8],
    width: usize,
    height: usize,
    bits: usize,
    line: usize,
}

impl PngFrame<'_> {
    /// Sample `i` of row `y`, as read (1 to 16 bits).
    fn sample(&self, y: usize, i: usize) -> u32 {
        let row = &self.buf[y * self.line..(y + 1) * self.line];
        match self.bits {
            16 => u32::from(u16::from_be_bytes([row[2 * i], row[2 * i + 1]])),
            8 => u32::from(row[i]),
            b => {
                let per = 8 / b;
                let shift = 8 - b * (i % per + 1);
                u32::from((row[i / per] >> shift) & ((1u8 << b) - 1))
            }
        }
    }

    fn max(&self) -> f64 {
        ((1u32 << self.bits) - 1) as f64
    }
}

fn png_indexed(f: &PngFrame, palette: &[u8], trns: Option<&[u8]>, tr: &Transcode) -> Image {
    let palette: Vec<[f32; 5]> = palette
        .chunks_exact(3)
        .enumerate()
        .map(|(i, c)| {
            let alpha = trns
                .and_then(|t| t.get(i))
                .map_or(1.0, |a| f32::from(*a) / 255.0);
            let ch = |k: usize| tr.apply(f64::from(c[k]) / 255.0);
            [ch(0), ch(1), ch(2), 0.0, 1.0 - alpha]
        })
        .collect();
    let mut indices = Vec::with_capacity(f.width * f.height);
    for y in 0..f.height {
        for x in 0..f.width {
            indices.push(f.sample(y, x).min(255) as u8);
        }
    }
    Image {
        width: f.width,
        height: f.height,
        pixels: Pixels::Indexed { indices, palette },
        has_alpha: trns.is_some(),
        premultiplied: false,
    }
}

fn png_direct(f: &PngFrame, colour: png::ColorType, tr: &Transcode) -> Image {
    let channels = colour.samples();
    let grey = matches!(
        colour,
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha
    );
    let has_alpha = matches!(
        colour,
        png::ColorType::GrayscaleAlpha | png::ColorType::Rgba
    );
    let max = f.max();
    let mut px = Vec::with_capacity(f.width * f.height);
    for y in 0..f.height {
        for x in 0..f.width {
            let s = |k: usize| f64::from(f.sample(y, x * channels + k)) / max;
            let (r, g, b) = if grey {
                let v = tr.apply(s(0));
                (v, v, v)
            } else {
                (tr.apply(s(0)), tr.apply(s(1)), tr.apply(s(2)))
            };
            let a = if has_alpha {
                s(channels - 1) as f32
            } else {
                1.0
            };
            px.push([r, g, b, a]);
        }
    }
    Image {
        width: f.width,
        height: f.height,
        pixels: Pixels::Colour(px),
        has_alpha,
        premultiplied: false,
    }
}

fn decode_gif(bytes: &[u8], gamma: &GammaOptions) -> Result<Image, String> {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut d = opts
        .read_info(Cursor::new(bytes))
        .map_err(|e| e.to_string())?;
    let (w, h) = (usize::from(d.width()), usize::from(d.height()));
    let global = d.global_palette().map(<[u8]>::to_vec);
    let frame = d
        .read_next_frame()
        .map_err(|e| e.to_string())?
        .ok_or("the GIF has no image")?;
    let tr = Transcode {
        curve: gamma.curve(Format::Gif, None),
        working: gamma.working,
    };
    let raw = frame
        .palette
        .clone()
        .or(global)
        .ok_or("the GIF has no palette")?;
    let mut palette: Vec<[f32; 5]> = raw
        .chunks_exact(3)
        .map(|c| {
            let ch = |k: usize| tr.apply(f64::from(c[k]) / 255.0);
            [ch(0), ch(1), ch(2), 0.0, 0.0]
        })
        .collect();
    if let Some(t) = frame
        .transparent
        .and_then(|t| palette.get_mut(usize::from(t)))
    {
        t[4] = 1.0;
    }
    let mut indices = vec![0u8; w * h];
    let (fl, ft, fw) = (
        usize::from(frame.left),
        usize::from(frame.top),
        usize::from(frame.width).max(1),
    );
    for (i, &idx) in frame.buffer.iter().enumerate() {
        let (x, y) = (fl + i % fw, ft + i / fw);
        if x < w && y < h {
            indices[y * w + x] = idx;
        }
    }
    Ok(Image {
        width: w,
        height: h,
        pixels: Pixels::Indexed { indices, palette },
        has_alpha: frame.transparent.is_some(),
        premultiplied: false,
    })
}

fn decode_other(bytes: &[u8], format: Format, gamma: &GammaOptions) -> Result<Image, String> {
    let f = match format {
        Format::Tga => image::ImageFormat::Tga,
        Format::Pgm | Format::Ppm => image::ImageFormat::Pnm,
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Tiff => image::ImageFormat::Tiff,
        Format::Bmp => image::ImageFormat::Bmp,
        Format::Hdr => image::ImageFormat::Hdr,
        Format::Exr => image::ImageFormat::OpenExr,
        Format::Png | Format::Sys | Format::Gif | Format::Iff => {
            return Err("internal: wrong decoder".into())
        }
    };
    let img = image::load_from_memory_with_format(bytes, f).map_err(|e| e.to_string())?;
    let has_alpha = img.color().has_alpha();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let tr = Transcode {
        curve: gamma.curve(format, None),
        working: gamma.working,
    };
    let hdr = matches!(format, Format::Hdr | Format::Exr);
    let px = img
        .to_rgba32f()
        .pixels()
        .map(|p| {
            let [r, g, b, a] = p.0;
            let ch = |v: f32| {
                if hdr {
                    tr.linear(v)
                } else {
                    tr.apply(f64::from(v))
                }
            };
            [ch(r), ch(g), ch(b), a]
        })
        .collect();
    Ok(Image {
        width: w,
        height: h,
        pixels: Pixels::Colour(px),
        has_alpha,
        premultiplied: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: GammaOptions = GammaOptions {
        correct: false,
        file_gamma: None,
        default: None,
        working: None,
    };

    #[test]
    fn broken_bytes_are_an_error_not_a_panic() {
        for f in [
            Format::Png,
            Format::Gif,
            Format::Tga,
            Format::Jpeg,
            Format::Ppm,
            Format::Exr,
            Format::Hdr,
            Format::Iff,
        ] {
            assert!(decode(b"not an image at all", f, &RAW).is_err(), "{f:?}");
        }
    }

    #[test]
    fn extensions_name_formats() {
        assert_eq!(Format::from_name("a/b.JPG"), Some(Format::Jpeg));
        assert_eq!(Format::from_name("x.png"), Some(Format::Png));
        assert_eq!(Format::from_name("noext"), None);
    }

    #[test]
    fn a_ppm_is_raw_unless_the_scene_gives_its_gamma() {
        let ppm = b"P6 1 1 255\n\x80\x80\x80";
        let linear = GammaOptions {
            correct: true,
            file_gamma: None,
            default: None,
            working: Some(1.0),
        };
        let img = decode(ppm, Format::Ppm, &linear).expect("decodes");
        let Pixels::Colour(px) = &img.pixels else {
            panic!("direct colour expected");
        };
        assert!((px[0][0] - 128.0 / 255.0).abs() < 1e-6);
        let g22 = GammaOptions {
            file_gamma: Some(Curve::Power(2.2)),
            ..linear
        };
        let img = decode(ppm, Format::Ppm, &g22).expect("decodes");
        let Pixels::Colour(px) = &img.pixels else {
            panic!("direct colour expected");
        };
        let want = (128.0f64 / 255.0).powf(2.2) as f32;
        assert!((px[0][0] - want).abs() < 1e-6);
    }

    #[test]
    fn srgb_decodes_both_pieces() {
        assert!((Curve::Srgb.decode(0.02) - 0.02 / 12.92).abs() < 1e-12);
        assert!((Curve::Srgb.decode(1.0) - 1.0).abs() < 1e-12);
    }
}
