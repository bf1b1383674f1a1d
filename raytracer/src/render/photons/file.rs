//! The photon map file of `photons { save_file "name" }` and `load_file
//! "name"`: prender's own format (POV-Ray's is a raw dump of its structures),
//! little-endian throughout.
//!
//! ```text
//! magic    8 bytes  "PRPHOTON"
//! version  u32      1
//! shot     u64      photons shot to build the maps (for the statistics)
//! surface  u64      photons in the surface map, then as many records
//! media    u64      photons in the media map, then as many records
//! record   27 bytes position 3 x f32, colour 3 x f32, theta i8, phi i8, axis u8
//! ```
//!
//! Each map is written in its kd-tree order with each photon's split axis, so
//! a loaded map is the built one, photon for photon, and renders the same
//! image. Decoding checks everything it reads (magic, version, counts against
//! the length, axes, finite numbers): a damaged file is an error, never a
//! panic or a wrong map.

use super::map::Photon;

/// The file's first bytes.
const MAGIC: &[u8; 8] = b"PRPHOTON";
/// The format version this prender writes and reads.
const VERSION: u32 = 1;
/// Bytes of one photon record.
const RECORD: usize = 27;
/// Bytes before the surface map's count.
const HEADER: usize = 8 + 4 + 8;

/// Why a photon map file cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FileError {
    #[error("not a prender photon map file (it does not start with PRPHOTON)")]
    NotAMap,
    #[error("photon map file version {0}; this prender reads version {VERSION}")]
    Version(u32),
    #[error("photon map file is truncated or damaged (it ends at byte {0})")]
    Truncated(usize),
    #[error("photon map file has {0} bytes after its last photon")]
    Trailing(usize),
    #[error("photon map file has a bad photon (number {0} of its {1} map)")]
    BadPhoton(u64, &'static str),
}

/// The maps a file holds, each in kd-tree order.
#[derive(Debug, Default, Clone)]
pub struct SavedMaps {
    pub shot: u64,
    pub surface: Vec<Photon>,
    pub media: Vec<Photon>,
}

/// The file's bytes for these maps.
pub fn encode(shot: u64, surface: &[Photon], media: &[Photon]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + 8 + RECORD * (surface.len() + media.len()));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&shot.to_le_bytes());
    for map in [surface, media] {
        out.extend_from_slice(&(map.len() as u64).to_le_bytes());
        for p in map {
            for v in p.pos.iter().chain(&p.colour) {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&[p.theta as u8, p.phi as u8, p.axis()]);
        }
    }
    out
}

/// Reads a file written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<SavedMaps, FileError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(8).ok() != Some(&MAGIC[..]) {
        return Err(FileError::NotAMap);
    }
    let version = r.u32()?;
    if version != VERSION {
        return Err(FileError::Version(version));
    }
    let shot = r.u64()?;
    let surface = r.map("surface")?;
    let media = r.map("media")?;
    if r.at != bytes.len() {
        return Err(FileError::Trailing(bytes.len() - r.at));
    }
    Ok(SavedMaps {
        shot,
        surface,
        media,
    })
}

/// A cursor over the file's bytes.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], FileError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(FileError::Truncated(self.bytes.len()));
        };
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FileError> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u32(&mut self) -> Result<u32, FileError> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, FileError> {
        self.array().map(u64::from_le_bytes)
    }

    /// A count and its records; the count is checked against what is left
    /// before anything is allocated.
    fn map(&mut self, which: &'static str) -> Result<Vec<Photon>, FileError> {
        let n = self.u64()?;
        let left = (self.bytes.len() - self.at) as u64;
        if n > left / RECORD as u64 {
            return Err(FileError::Truncated(self.bytes.len()));
        }
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            let rec: [u8; RECORD] = self.array()?;
            let f = |k: usize| {
                let b = [rec[4 * k], rec[4 * k + 1], rec[4 * k + 2], rec[4 * k + 3]];
                f32::from_le_bytes(b)
            };
            let pos = [f(0), f(1), f(2)];
            let colour = [f(3), f(4), f(5)];
            let (theta, phi, axis) = (rec[24] as i8, rec[25] as i8, rec[26]);
            let finite = pos.iter().chain(&colour).all(|v| v.is_finite());
            let Some(p) = Photon::from_parts(pos, colour, theta, phi, axis).filter(|_| finite)
            else {
                return Err(FileError::BadPhoton(i, which));
            };
            out.push(p);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::DVec3;

    fn photons(n: usize) -> Vec<Photon> {
        (0..n)
            .map(|i| {
                let p = DVec3::new(i as f64, 0.5, -(i as f64));
                Photon::new(p, DVec3::new(0.0, 10.0, 0.0), DVec3::new(0.1, 0.2, 0.3))
            })
            .collect()
    }

    #[test]
    fn maps_come_back_photon_for_photon() {
        let (s, m) = (photons(5), photons(2));
        let back = decode(&encode(77, &s, &m)).unwrap();
        assert_eq!(back.shot, 77);
        assert_eq!(format!("{:?}", back.surface), format!("{s:?}"));
        assert_eq!(format!("{:?}", back.media), format!("{m:?}"));
    }

    #[test]
    fn damaged_files_are_errors() {
        let good = encode(1, &photons(3), &[]);
        assert_eq!(decode(b"hello").unwrap_err(), FileError::NotAMap);
        assert!(matches!(
            decode(&good[..good.len() - 1]),
            Err(FileError::Truncated(_))
        ));
        let mut more = good.clone();
        more.push(0);
        assert_eq!(decode(&more).unwrap_err(), FileError::Trailing(1));
        let mut version = good.clone();
        version[8] = 9;
        assert_eq!(decode(&version).unwrap_err(), FileError::Version(9));
        let mut axis = good.clone();
        axis[HEADER + 8 + RECORD - 1] = 3;
        assert_eq!(
            decode(&axis).unwrap_err(),
            FileError::BadPhoton(0, "surface")
        );
        // A count far beyond the file allocates nothing.
        let mut count = good;
        count[HEADER..HEADER + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(decode(&count), Err(FileError::Truncated(_))));
    }
}
