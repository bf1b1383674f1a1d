//! Fortran CHARACTER arguments: blank-padded, no terminator, their length passed
//! hidden after the visible arguments.
//!
//! [`input`] turns one into the C string the C routine takes; [`output`] writes a
//! library string into one. Both refuse a length above [`MAX_LEN`] (a negative length
//! seen as `size_t`, or a caller passing garbage) before touching memory.

use std::ffi::{c_char, CString};

use pvm::PvmError;

/// The longest CHARACTER argument taken: far above any name PVM uses (host names,
/// program paths, group and mailbox names), far below what would let a hostile length
/// reach out of a real argument.
pub const MAX_LEN: usize = 4096;

/// The text of a Fortran input string: its `len` characters, cut at a NUL if one is
/// embedded (C would stop there), trailing blanks removed.
///
/// # Safety
/// `p` is NULL (only with `len` 0) or points to `len` readable characters.
pub unsafe fn input(p: *const c_char, len: usize) -> Result<CString, PvmError> {
    if len > MAX_LEN {
        return Err(PvmError::BadParam);
    }
    if len == 0 {
        return Ok(CString::default());
    }
    if p.is_null() {
        return Err(PvmError::BadParam);
    }
    // SAFETY: `len` readable characters by the caller's contract, checked to be few.
    let raw = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
    Ok(CString::new(trimmed(raw)).expect("cut at the first NUL"))
}

/// The characters of a Fortran string up to an embedded NUL, without trailing blanks.
fn trimmed(raw: &[u8]) -> Vec<u8> {
    let text = raw.split(|b| *b == 0).next().unwrap_or_default();
    let end = text.iter().rposition(|b| *b != b' ').map_or(0, |i| i + 1);
    text[..end].to_vec()
}

/// Writes `text` into a Fortran output string of `len` characters: truncated if longer,
/// blank-padded if shorter, as Fortran assignment does.
///
/// # Safety
/// `p` is NULL (only with `len` 0) or points to `len` writable characters.
pub unsafe fn output(p: *mut c_char, len: usize, text: &[u8]) -> Result<(), PvmError> {
    if len > MAX_LEN {
        return Err(PvmError::BadParam);
    }
    if len == 0 {
        return Ok(());
    }
    if p.is_null() {
        return Err(PvmError::BadParam);
    }
    // SAFETY: `len` writable characters by the caller's contract, checked to be few.
    let out = unsafe { std::slice::from_raw_parts_mut(p.cast::<u8>(), len) };
    fill(out, text);
    Ok(())
}

fn fill(out: &mut [u8], text: &[u8]) {
    let n = text.len().min(out.len());
    out[..n].copy_from_slice(&text[..n]);
    out[n..].fill(b' ');
}

/// Whether a Fortran length is taken: routines that hand out one entry per call check
/// their output strings before they advance.
pub fn acceptable(len: usize) -> bool {
    len <= MAX_LEN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8]) -> Vec<u8> {
        // SAFETY: the slice is readable for its length.
        let c = unsafe { input(s.as_ptr().cast(), s.len()) }.unwrap();
        c.into_bytes()
    }

    #[test]
    fn input_drops_trailing_blanks_only() {
        assert_eq!(read(b"fslave1 "), b"fslave1");
        assert_eq!(read(b"  a b   "), b"  a b");
        assert_eq!(read(b"exact"), b"exact");
        assert_eq!(read(b"        "), b"");
    }

    #[test]
    fn input_stops_at_an_embedded_nul() {
        assert_eq!(read(b"ab\0cd   "), b"ab");
        assert_eq!(read(b"\0"), b"");
    }

    #[test]
    fn input_refuses_hostile_lengths_without_reading() {
        // A dangling pointer: only the length check stands between it and a read.
        let p = std::ptr::NonNull::<c_char>::dangling().as_ptr();
        // SAFETY: input must not read through p for these lengths.
        for len in [MAX_LEN + 1, usize::MAX, usize::MAX / 2] {
            assert_eq!(unsafe { input(p, len) }, Err(PvmError::BadParam));
        }
        // SAFETY: NULL with a length is refused before any read.
        assert_eq!(
            unsafe { input(std::ptr::null(), 3) },
            Err(PvmError::BadParam)
        );
        // SAFETY: NULL with length 0 reads nothing.
        assert_eq!(unsafe { input(std::ptr::null(), 0) }.unwrap(), c"");
    }

    #[test]
    fn output_pads_and_truncates() {
        let mut buf = *b"xxxxxxxx";
        // SAFETY: buf is writable for its length.
        unsafe { output(buf.as_mut_ptr().cast(), buf.len(), b"LINUX") }.unwrap();
        assert_eq!(&buf, b"LINUX   ");
        // Truncated to its length; nothing beyond it written.
        let mut buf = *b"xxxxxxxx";
        // SAFETY: as above.
        unsafe { output(buf.as_mut_ptr().cast(), 4, b"LINUX64") }.unwrap();
        assert_eq!(&buf, b"LINUxxxx");
        let p = std::ptr::NonNull::<c_char>::dangling().as_ptr();
        // SAFETY: output must not write through p for a refused length.
        assert_eq!(
            unsafe { output(p, usize::MAX, b"x") },
            Err(PvmError::BadParam)
        );
    }
}
