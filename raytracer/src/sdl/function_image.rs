//! Images made from a function, as POV-Ray 3.7 makes them for `height_field
//! { function W, H { ... } }` and `image_map { function W, H { ... } }`: the
//! function is sampled once at parse time over the unit square of z = 0, pixel
//! (i, j) at x = i / (W - 1), y = j / (H - 1), row 0 the image's top row, into
//! a 16-bit grey image (a float function) or a 16-bit RGBA one (a pigment
//! function; filter is dropped, as in POV-Ray). Samples are stored with
//! POV-Ray's unclipped float-to-integer conversion, so out-of-range values wrap
//! as they do there.

use super::error::Result;
use super::height_image::Heights;
use super::parser::Parser;
use crate::function::FunctionRef;
use crate::pattern::image::{Image, Pixels};

/// POV-Ray's 16-bit channel maximum.
const MAX16: f32 = 65535.0;

/// POV-Ray's grey weights (`RED2GRAY`, `GREEN2GRAY`, `BLUE2GRAY`).
const GREY: [f64; 3] = [0.297, 0.589, 0.114];

/// A sampled function: 16-bit channels, rows top first.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FunctionImage {
    pub width: usize,
    pub height: usize,
    /// One grey channel, or red, green, blue, alpha per pixel.
    pub channels: Channels,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Channels {
    Grey(Vec<u16>),
    Rgba(Vec<[u16; 4]>),
}

/// C's conversion of `v * 65535` to an unsigned short, as x86 does it: the
/// value is truncated to an int, then to its low 16 bits.
fn to_u16(v: f64) -> u16 {
    ((v as f32 * MAX16) as i32) as u16
}

fn to_unit(c: u16) -> f32 {
    f32::from(c) / MAX16
}

impl FunctionImage {
    /// Samples `f` (one or five components) on a `width` x `height` grid.
    pub fn sample(
        f: &FunctionRef,
        width: usize,
        height: usize,
    ) -> std::result::Result<Self, String> {
        if width < 1 || height < 1 {
            return Err(format!(
                "a function image needs a positive size, not {width}x{height}"
            ));
        }
        let coord = |i: usize, n: usize| i as f64 / (n as f64 - 1.0);
        let points = (0..height).flat_map(|j| (0..width).map(move |i| (i, j)));
        let channels = match f.arity() {
            1 => Channels::Grey(
                points
                    .map(|(i, j)| to_u16(f.eval(&[coord(i, width), coord(j, height), 0.0])))
                    .collect(),
            ),
            5 => Channels::Rgba(
                points
                    .map(|(i, j)| {
                        let c = f.eval_vector(&[coord(i, width), coord(j, height), 0.0]);
                        [to_u16(c[0]), to_u16(c[1]), to_u16(c[2]), to_u16(1.0 - c[4])]
                    })
                    .collect(),
            ),
            n => {
                return Err(format!(
                "a function image needs a float or a pigment function, not one of {n} components"
            ))
            }
        };
        Ok(FunctionImage {
            width,
            height,
            channels,
        })
    }

    /// The heights a `height_field` takes from the image (POV-Ray's
    /// `image_height_at`: grey as is, a deep colour image its grey value),
    /// row 0 the image's bottom row.
    pub fn heights(&self) -> Heights {
        let height_of = |k: usize| -> u16 {
            match &self.channels {
                Channels::Grey(g) => (to_unit(g[k]) * MAX16) as u16,
                Channels::Rgba(px) => {
                    let grey: f64 = (0..3).map(|c| GREY[c] * f64::from(to_unit(px[k][c]))).sum();
                    (grey * f64::from(MAX16)) as u16
                }
            }
        };
        let values = (0..self.height)
            .rev()
            .flat_map(|row| (0..self.width).map(move |x| row * self.width + x))
            .map(height_of)
            .collect();
        Heights {
            values,
            width: self.width,
            depth: self.height,
        }
    }

    /// The image an `image_map` lays onto space (not premultiplied).
    pub fn image(&self) -> Image {
        let (pixels, has_alpha): (Vec<[f32; 4]>, bool) = match &self.channels {
            Channels::Grey(g) => (
                g.iter()
                    .map(|&v| {
                        let v = to_unit(v);
                        [v, v, v, 1.0]
                    })
                    .collect(),
                false,
            ),
            Channels::Rgba(px) => (px.iter().map(|p| p.map(to_unit)).collect(), true),
        };
        Image {
            width: self.width,
            height: self.height,
            pixels: Pixels::Colour(pixels),
            has_alpha,
            premultiplied: false,
        }
    }
}

impl Parser<'_> {
    /// `W, H { body }` after `function`: the body sampled into an image.
    pub(crate) fn function_image(&mut self) -> Result<FunctionImage> {
        let here = self.here();
        let width = (self.float_expr()? + 0.5) as i64;
        self.comma()?;
        let height = (self.float_expr()? + 0.5) as i64;
        let f = self.function_block()?;
        let size = |n: i64| usize::try_from(n).unwrap_or(0);
        FunctionImage::sample(&f, size(width), size(height))
            .map_err(|e| super::error::SdlError::at(here, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::{Binary, Expr, Function};

    fn x_plus_y() -> FunctionRef {
        let e = Expr::Binary(
            Binary::Add,
            Box::new(Expr::Param(0)),
            Box::new(Expr::Param(1)),
        );
        Function::compile(&e, 3).expect("compiles")
    }

    #[test]
    fn samples_the_unit_square_top_row_first() {
        let img = FunctionImage::sample(&x_plus_y(), 3, 2).expect("samples");
        let Channels::Grey(g) = &img.channels else {
            panic!("a float function gives a grey image")
        };
        // Row 0 is y = 0, row 1 y = 1; x + y = 2 wraps as POV-Ray's C cast does.
        assert_eq!(g[..3], [0, 32767, 65535]);
        assert_eq!(g[3], 65535);
        assert_eq!(g[5], (2.0f32 * 65535.0) as i32 as u16);
    }

    #[test]
    fn heights_put_the_last_row_first() {
        let img = FunctionImage::sample(&x_plus_y(), 2, 2).expect("samples");
        let h = img.heights();
        assert_eq!((h.width, h.depth), (2, 2));
        // z = 0 is the image's bottom row (y = 1).
        assert_eq!(h.values[0], 65535);
        assert_eq!(h.values[2], 0);
    }

    #[test]
    fn a_transform_function_is_refused() {
        let t = Function::of_point(crate::function::Body::Transform(glam::DAffine3::IDENTITY));
        assert!(FunctionImage::sample(&t, 2, 2).is_err());
    }
}
