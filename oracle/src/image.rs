//! Images as the comparisons see them: 8-bit RGB, row-major, top row first.

use std::path::Path;

use crate::Error;

/// An 8-bit RGB image, top row first, three bytes per pixel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rgb8 {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl Rgb8 {
    /// An image filled with one colour.
    pub fn filled(width: u32, height: u32, rgb: [u8; 3]) -> Self {
        let data = rgb.repeat(width as usize * height as usize);
        Self {
            width,
            height,
            data,
        }
    }

    /// Loads a TGA (any of POV-Ray's variants) or PNG, by content.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let img = ::image::open(path)
            .map_err(|source| Error::ReadImage {
                path: path.to_path_buf(),
                source,
            })?
            .to_rgb8();
        let (width, height) = img.dimensions();
        Ok(Self {
            width,
            height,
            data: img.into_raw(),
        })
    }

    /// Writes the image as PNG (for people to look at after a failure).
    pub fn save_png(&self, path: &Path) -> Result<(), Error> {
        ::image::save_buffer(
            path,
            &self.data,
            self.width,
            self.height,
            ::image::ColorType::Rgb8,
        )
        .map_err(|source| Error::WriteImage {
            path: path.to_path_buf(),
            source,
        })
    }

    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = 3 * (y as usize * self.width as usize + x as usize);
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }

    pub fn set_pixel(&mut self, x: u32, y: u32, rgb: [u8; 3]) {
        let i = 3 * (y as usize * self.width as usize + x as usize);
        self.data[i..i + 3].copy_from_slice(&rgb);
    }

    /// The `w` x `h` rectangle whose top-left corner is (`x0`, `y0`).
    pub fn crop(&self, x0: u32, y0: u32, w: u32, h: u32) -> Result<Self, Error> {
        if x0 + w > self.width || y0 + h > self.height {
            return Err(Error::Crop {
                rect: format!("{w}x{h}+{x0}+{y0}"),
                width: self.width,
                height: self.height,
            });
        }
        let mut out = Self::filled(w, h, [0, 0, 0]);
        for y in 0..h {
            let src = 3 * ((y0 + y) as usize * self.width as usize + x0 as usize);
            let dst = 3 * (y as usize * w as usize);
            out.data[dst..dst + 3 * w as usize]
                .copy_from_slice(&self.data[src..src + 3 * w as usize]);
        }
        Ok(out)
    }

    /// Per-channel absolute difference, amplified so that small errors show
    /// (a difference of 32 levels or more is full brightness).
    pub fn diff(&self, other: &Self) -> Result<Self, Error> {
        same_size(self, other)?;
        let data = self
            .data
            .iter()
            .zip(&other.data)
            .map(|(&a, &b)| (u32::from(a.abs_diff(b)) * 8).min(255) as u8)
            .collect();
        Ok(Self {
            width: self.width,
            height: self.height,
            data,
        })
    }

    /// How many pixels differ at all.
    pub fn count_differing_pixels(&self, other: &Self) -> Result<usize, Error> {
        same_size(self, other)?;
        Ok(self
            .data
            .chunks(3)
            .zip(other.data.chunks(3))
            .filter(|(a, b)| a != b)
            .count())
    }
}

/// Both images must have the same dimensions to be compared.
pub fn same_size(a: &Rgb8, b: &Rgb8) -> Result<(), Error> {
    if a.width == b.width && a.height == b.height {
        Ok(())
    } else {
        Err(Error::SizeMismatch {
            ours: (a.width, a.height),
            theirs: (b.width, b.height),
        })
    }
}
