//! TGA as POV-Ray writes it: 24-bit true colour, top-left origin, plain (`+FT`) or
//! run-length compressed (`+FC`), rows streamed as they come; and reading back the
//! finished rows of an interrupted render (`+C`).

use std::path::Path;

use super::{Format, ImageError};

/// The 18-byte header for an image of `width` × `height`.
pub(super) fn header(rle: bool, width: u16, height: u16) -> [u8; 18] {
    let mut h = [0u8; 18];
    h[2] = if rle { 10 } else { 2 };
    h[12..14].copy_from_slice(&width.to_le_bytes());
    h[14..16].copy_from_slice(&height.to_le_bytes());
    h[16] = 24;
    // Origin at the top left, as POV-Ray writes rows top first.
    h[17] = 0x20;
    h
}

/// TGA 2.0 footer without extension or developer areas.
pub(super) fn footer() -> [u8; 26] {
    let mut footer = [0u8; 26];
    footer[8..26].copy_from_slice(b"TRUEVISION-XFILE.\0");
    footer
}

/// One uncompressed row, BGR.
pub(super) fn plain_row(row: &[[u8; 3]], out: &mut Vec<u8>) {
    for p in row {
        out.extend_from_slice(&[p[2], p[1], p[0]]);
    }
}

/// TGA run-length packets for one row (runs never cross rows).
pub(super) fn rle_row(row: &[[u8; 3]], out: &mut Vec<u8>) {
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

/// The complete rows at the top of an uncompressed TGA of the expected size that a
/// render wrote before it was interrupted; nothing when there is no such file.
pub(super) fn finished_rows(
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
                path: path.display().to_string(),
                source,
            })
        }
    };
    let header = header(false, width as u16, height as u16);
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
}
