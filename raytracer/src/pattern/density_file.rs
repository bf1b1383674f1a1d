//! The `density_file df3 "file" interpolate n` pattern, as POV-Ray 3.7 reads
//! and samples it: a DF3 file is three big-endian 16-bit sizes (x, y, z), then
//! one voxel per cell, x fastest, all of 8, 16 or 32 bits (big-endian, the size
//! told by the file's length). The voxels fill the unit cube; outside it the
//! pattern is 0. `interpolate` (taken modulo 10) 0 picks the voxel, 1 blends
//! the eight around the point (trilinear), anything else uses POV-Ray's
//! tricubic blend of the 64 around it, in single precision as POV-Ray does.
//! Neighbours past the far faces wrap to the near ones, as in POV-Ray.

use std::fmt;
use std::sync::Arc;

use glam::DVec3;

/// Why a DF3 file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Df3Error {
    #[error("a df3 file starts with three 16-bit sizes; this one has only {0} bytes")]
    Truncated(usize),
    #[error(
        "the df3 file's voxel data ({data} bytes) fits no voxel size for {x}x{y}x{z} \
         voxels (expected {} bytes of 8-bit, {} of 16-bit or {} of 32-bit voxels)",
        x * y * z, x * y * z * 2, x * y * z * 4
    )]
    BadSize {
        x: usize,
        y: usize,
        z: usize,
        data: usize,
    },
}

/// The voxels of a DF3 file, each already divided by its type's maximum.
#[derive(Clone, PartialEq)]
pub struct Df3 {
    pub sx: usize,
    pub sy: usize,
    pub sz: usize,
    /// `values[(z * sy + y) * sx + x]` in [0, 1].
    values: Vec<f64>,
}

impl fmt::Debug for Df3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "df3 {}x{}x{}", self.sx, self.sy, self.sz)
    }
}

impl Df3 {
    /// Reads a DF3 file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Df3, Df3Error> {
        if bytes.len() < 6 {
            return Err(Df3Error::Truncated(bytes.len()));
        }
        let size = |i: usize| usize::from(u16::from_be_bytes([bytes[2 * i], bytes[2 * i + 1]]));
        let (sx, sy, sz) = (size(0), size(1), size(2));
        let data = &bytes[6..];
        let n = sx * sy * sz;
        let values: Vec<f64> = if n * 4 == data.len() {
            data.chunks_exact(4)
                .map(|c| {
                    f64::from(u32::from_be_bytes([c[0], c[1], c[2], c[3]])) / f64::from(u32::MAX)
                })
                .collect()
        } else if n * 2 == data.len() {
            data.chunks_exact(2)
                .map(|c| f64::from(u16::from_be_bytes([c[0], c[1]])) / f64::from(u16::MAX))
                .collect()
        } else if n == data.len() {
            data.iter().map(|&b| f64::from(b) / 255.0).collect()
        } else {
            return Err(Df3Error::BadSize {
                x: sx,
                y: sy,
                z: sz,
                data: data.len(),
            });
        };
        Ok(Df3 { sx, sy, sz, values })
    }

    fn at(&self, x: usize, y: usize, z: usize) -> f64 {
        self.values[(z * self.sy + y) * self.sx + x]
    }
}

/// A density file pattern: the voxels (shared) and the interpolation.
#[derive(Clone, Debug, PartialEq)]
pub struct DensityFile {
    pub data: Arc<Df3>,
    /// POV-Ray's `interpolate` number, as written.
    pub interpolation: i32,
}

/// POV-Ray's `zmax`: an index wrapped into `0..n` (−1 is the last).
fn wrap(i: i64, n: usize) -> usize {
    if i < 0 {
        n - 1
    } else {
        (i as usize) % n
    }
}

/// POV-Ray's `intp3`: a Catmull-Rom step between `fb` and `fc`, in floats.
fn intp3(t: f32, fa: f32, fb: f32, fc: f32, fd: f32) -> f32 {
    let b = (fc - fa) * 0.5;
    let d = (fd - fb) * 0.5;
    let e = 2.0 * (fb - fc) + b + d;
    let f = -3.0 * (fb - fc) - 2.0 * b - d;
    ((e * t + f) * t + b) * t + fb
}

impl DensityFile {
    /// The density at pattern-space point `p`, never below 0.
    pub fn value(&self, p: DVec3) -> f64 {
        let d = &*self.data;
        if d.sx == 0 || d.sy == 0 || d.sz == 0 {
            return 0.0;
        }
        let inside = |v: f64| (0.0..1.0).contains(&v);
        if !(inside(p.x) && inside(p.y) && inside(p.z)) {
            return 0.0;
        }
        let scaled = DVec3::new(p.x * d.sx as f64, p.y * d.sy as f64, p.z * d.sz as f64);
        let density = match self.interpolation % 10 {
            0 => {
                let (x, y, z) = (scaled.x as usize, scaled.y as usize, scaled.z as usize);
                if x >= d.sx || y >= d.sy || z >= d.sz {
                    0.0
                } else {
                    d.at(x, y, z)
                }
            }
            1 => trilinear(d, scaled),
            _ => tricubic(d, scaled),
        };
        density.max(0.0)
    }
}

fn trilinear(d: &Df3, s: DVec3) -> f64 {
    let (x1, y1, z1) = (s.x as usize, s.y as usize, s.z as usize);
    let (x2, y2, z2) = ((x1 + 1) % d.sx, (y1 + 1) % d.sy, (z1 + 1) % d.sz);
    let (xx, yy, zz) = (s.x.fract(), s.y.fract(), s.z.fract());
    let (xi, yi) = (1.0 - xx, 1.0 - yy);
    let plane = |z| {
        (d.at(x1, y1, z) * xi + d.at(x2, y1, z) * xx) * yi
            + (d.at(x1, y2, z) * xi + d.at(x2, y2, z) * xx) * yy
    };
    plane(z1) * (1.0 - zz) + plane(z2) * zz
}

fn tricubic(d: &Df3, s: DVec3) -> f64 {
    let (x1, y1, z1) = (s.x as i64, s.y as i64, s.z as i64);
    let (xx, yy, zz) = (s.x.fract() as f32, s.y.fract() as f32, s.z.fract() as f32);
    let k: [usize; 4] = std::array::from_fn(|i| wrap(z1 + i as i64 - 1, d.sz));
    let mut grid = [[0f32; 4]; 4];
    for (i, row) in grid.iter_mut().enumerate() {
        let ii = wrap(i as i64 + x1 - 1, d.sx);
        for (j, cell) in row.iter_mut().enumerate() {
            let jj = wrap(j as i64 + y1 - 1, d.sy);
            let v = k.map(|kk| d.at(ii, jj, kk) as f32);
            *cell = intp3(zz, v[0], v[1], v[2], v[3]);
        }
    }
    let along_y = grid.map(|r| intp3(yy, r[0], r[1], r[2], r[3]));
    f64::from(intp3(xx, along_y[0], along_y[1], along_y[2], along_y[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn df3(sx: u16, sy: u16, sz: u16, voxels: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        for s in [sx, sy, sz] {
            b.extend_from_slice(&s.to_be_bytes());
        }
        b.extend_from_slice(voxels);
        b
    }

    fn pattern(bytes: &[u8], interpolation: i32) -> DensityFile {
        DensityFile {
            data: Arc::new(Df3::parse(bytes).expect("parses")),
            interpolation,
        }
    }

    #[test]
    fn reads_8_16_and_32_bit_voxels_big_endian() {
        let d = Df3::parse(&df3(2, 1, 1, &[0, 255])).expect("8 bit");
        assert_eq!(d.values, vec![0.0, 1.0]);
        let d = Df3::parse(&df3(1, 1, 1, &[0x80, 0x00])).expect("16 bit");
        assert_eq!(d.values, vec![32768.0 / 65535.0]);
        let d = Df3::parse(&df3(1, 1, 1, &[0xff, 0xff, 0xff, 0xff])).expect("32 bit");
        assert_eq!(d.values, vec![1.0]);
    }

    #[test]
    fn bad_files_say_why() {
        assert_eq!(Df3::parse(&[0, 1]), Err(Df3Error::Truncated(2)));
        let e = Df3::parse(&df3(2, 2, 2, &[1, 2, 3])).expect_err("bad size");
        assert!(e.to_string().contains("2x2x2"), "{e}");
    }

    #[test]
    fn no_interpolation_picks_the_voxel_and_is_0_outside() {
        let p = pattern(&df3(2, 1, 1, &[51, 255]), 0);
        assert_eq!(p.value(DVec3::new(0.2, 0.5, 0.5)), 0.2);
        assert_eq!(p.value(DVec3::new(0.7, 0.5, 0.5)), 1.0);
        assert_eq!(p.value(DVec3::new(1.0, 0.5, 0.5)), 0.0);
        assert_eq!(p.value(DVec3::new(-0.1, 0.5, 0.5)), 0.0);
    }

    #[test]
    fn trilinear_blends_and_wraps_at_the_far_face() {
        let p = pattern(&df3(2, 1, 1, &[0, 255]), 1);
        assert!((p.value(DVec3::new(0.25, 0.0, 0.0)) - 0.5).abs() < 1e-12);
        // Past the last voxel the blend runs back towards the first.
        assert!((p.value(DVec3::new(0.75, 0.0, 0.0)) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn tricubic_of_a_constant_is_the_constant() {
        let p = pattern(&df3(3, 3, 3, &[102; 27]), 2);
        let v = p.value(DVec3::new(0.4, 0.55, 0.9));
        assert!((v - 0.4).abs() < 1e-6, "{v}");
    }
}
