//! Heights from an image file, as POV-Ray 3.7 reads them for `height_field`:
//! a palette image gives its index times 256, a grey image its grey level on
//! 0..65535, an 8-bit colour image red as the high byte and green as the low
//! one, a deeper colour image its grey value. Row 0 of the result is the
//! image's bottom row (POV-Ray's z = 0).

use std::io::Cursor;

/// A decoded height grid.
pub struct Heights {
    /// `values[z * width + x]`, 0..=65535.
    pub values: Vec<u16>,
    pub width: usize,
    pub depth: usize,
}

/// The image formats `height_field` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Gif,
    /// A GIF whose right half holds the low bytes of the left half's indices.
    Pot,
    Tga,
    Pgm,
    Ppm,
    Jpeg,
    Tiff,
    Bmp,
}

impl Format {
    /// The format a `height_field` keyword names; `None` for other words.
    pub fn from_keyword(w: &str) -> Option<Format> {
        Some(match w {
            "png" => Format::Png,
            "gif" => Format::Gif,
            "pot" => Format::Pot,
            "tga" => Format::Tga,
            "pgm" => Format::Pgm,
            "ppm" => Format::Ppm,
            "jpeg" => Format::Jpeg,
            "tiff" => Format::Tiff,
            "bmp" => Format::Bmp,
            _ => return None,
        })
    }

    /// The format a file name's extension suggests.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit('.').next()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jpg" | "jpeg" => Format::Jpeg,
            "tif" | "tiff" => Format::Tiff,
            other => return Format::from_keyword(other),
        })
    }
}

/// Decodes `bytes`; the error says why the image cannot be used.
pub fn decode(bytes: &[u8], format: Format) -> Result<Heights, String> {
    let (values, width, depth) = match format {
        Format::Png => decode_png(bytes)?,
        Format::Gif => decode_gif(bytes)?,
        Format::Pot => decode_pot(bytes)?,
        Format::Tga | Format::Pgm | Format::Ppm | Format::Jpeg | Format::Tiff | Format::Bmp => {
            decode_other(bytes, format)?
        }
    };
    if width < 2 || depth < 2 {
        return Err(format!(
            "a height field image needs at least 2x2 pixels, not {width}x{depth}"
        ));
    }
    // Flip so that row 0 is the image's bottom row.
    let mut flipped = Vec::with_capacity(values.len());
    for row in values.chunks_exact(width).rev() {
        flipped.extend_from_slice(row);
    }
    Ok(Heights {
        values: flipped,
        width,
        depth,
    })
}

fn decode_png(bytes: &[u8]) -> Result<(Vec<u16>, usize, usize), String> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Keep palette indices and 16-bit samples as they are.
    decoder.set_transformations(png::Transformations::IDENTITY);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader.output_buffer_size().ok_or("image too large")?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let (w, h) = (info.width as usize, info.height as usize);
    let bits = info.bit_depth as u8 as usize;
    let channels = info.color_type.samples();
    let line = info.line_size;
    let sample = |row: &[u8], i: usize| -> u32 {
        match bits {
            16 => u32::from(u16::from_be_bytes([row[2 * i], row[2 * i + 1]])),
            8 => u32::from(row[i]),
            b => {
                // Packed 1, 2 or 4 bit samples, most significant first.
                let per = 8 / b;
                let byte = row[i / per];
                let shift = 8 - b * (i % per + 1);
                u32::from((byte >> shift) & ((1u8 << b) - 1))
            }
        }
    };
    let max = ((1u32 << bits) - 1) as f64;
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        let row = &buf[y * line..(y + 1) * line];
        for x in 0..w {
            let v = match info.color_type {
                png::ColorType::Indexed => sample(row, x) * 256,
                png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha => {
                    (sample(row, x * channels) as f64 / max * 65535.0) as u32
                }
                png::ColorType::Rgb | png::ColorType::Rgba => {
                    let c = |k| sample(row, x * channels + k) as f64 / max;
                    rgb_height(c(0), c(1), c(2), bits > 8)
                }
            };
            out.push(v.min(65535) as u16);
        }
    }
    Ok((out, w, h))
}

fn decode_gif(bytes: &[u8]) -> Result<(Vec<u16>, usize, usize), String> {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut d = opts
        .read_info(Cursor::new(bytes))
        .map_err(|e| e.to_string())?;
    let (w, h) = (usize::from(d.width()), usize::from(d.height()));
    let frame = d
        .read_next_frame()
        .map_err(|e| e.to_string())?
        .ok_or("the GIF has no image")?;
    let mut out = vec![0u16; w * h];
    let (fl, ft, fw) = (
        usize::from(frame.left),
        usize::from(frame.top),
        usize::from(frame.width),
    );
    for (i, &idx) in frame.buffer.iter().enumerate() {
        let (x, y) = (fl + i % fw.max(1), ft + i / fw.max(1));
        if x < w && y < h {
            out[y * w + x] = u16::from(idx) * 256;
        }
    }
    Ok((out, w, h))
}

/// POT: 16-bit heights, the high byte the index on the left half of the GIF
/// and the low byte the index at the same place on the right half.
fn decode_pot(bytes: &[u8]) -> Result<(Vec<u16>, usize, usize), String> {
    let (indices, w, h) = decode_gif(bytes)?;
    if w % 2 != 0 {
        return Err(format!("a POT file needs an even width, not {w}"));
    }
    let half = w / 2;
    let mut out = Vec::with_capacity(half * h);
    for row in indices.chunks_exact(w) {
        for x in 0..half {
            // decode_gif scales indices by 256; undo that for the low byte.
            out.push(row[x] | (row[x + half] >> 8));
        }
    }
    Ok((out, half, h))
}

fn decode_other(bytes: &[u8], format: Format) -> Result<(Vec<u16>, usize, usize), String> {
    let f = match format {
        Format::Tga => image::ImageFormat::Tga,
        Format::Pgm | Format::Ppm => image::ImageFormat::Pnm,
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Tiff => image::ImageFormat::Tiff,
        Format::Bmp => image::ImageFormat::Bmp,
        Format::Png | Format::Gif | Format::Pot => return Err("internal: wrong decoder".into()),
    };
    let img = image::load_from_memory_with_format(bytes, f).map_err(|e| e.to_string())?;
    let (w, h) = (img.width() as usize, img.height() as usize);
    let deep = matches!(
        img.color(),
        image::ColorType::L16
            | image::ColorType::La16
            | image::ColorType::Rgb16
            | image::ColorType::Rgba16
    );
    let grey = !img.color().has_color();
    let values: Vec<u16> = if grey {
        img.to_luma16().into_raw()
    } else {
        let rgb = img.to_rgb16();
        rgb.pixels()
            .map(|p| {
                let c = |k: usize| f64::from(p.0[k]) / 65535.0;
                rgb_height(c(0), c(1), c(2), deep).min(65535) as u16
            })
            .collect()
    };
    Ok((values, w, h))
}

/// A colour pixel's height: grey for deep images, red-high green-low otherwise.
fn rgb_height(r: f64, g: f64, b: f64, deep: bool) -> u32 {
    if deep {
        ((0.297 * r + 0.589 * g + 0.114 * b) * 65535.0) as u32
    } else {
        ((r * 256.0 + g) * 255.0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_bytes_are_an_error_not_a_panic() {
        for f in [
            Format::Png,
            Format::Gif,
            Format::Tga,
            Format::Jpeg,
            Format::Ppm,
        ] {
            assert!(decode(b"not an image at all", f).is_err(), "{f:?}");
        }
    }

    #[test]
    fn a_grey_pgm_maps_to_the_full_range_bottom_row_first() {
        let pgm = b"P5 2 2 255\n\x00\xff\x80\x40";
        let h = decode(pgm, Format::Pgm).expect("decodes");
        assert_eq!((h.width, h.depth), (2, 2));
        assert_eq!(h.values, vec![0x8080, 0x4040, 0, 65535]);
    }
}
