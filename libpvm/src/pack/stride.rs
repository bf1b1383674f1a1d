//! PVM's `(pointer, nitem, stride)` addressing, checked against a Rust slice.
//!
//! `pvm_pkint(p, n, s)` packs `p[0], p[s], p[2s], ...`: `n` items, every `s`-th one. PVM
//! also takes a stride of 0 (the same item `n` times) and negative strides (walking down
//! from `p`). A slice cannot reach below its start, so for a negative stride the slice
//! must begin at the lowest item touched, `p + (n-1)*s`, and items are taken from its
//! far end backwards: the same sequence C produces. A slice too short for the request is
//! [`PvmError::BadParam`], never an out-of-bounds access.

use crate::error::{PvmError, Result};

/// A validated `(nitem, stride)` request over a slice of a known length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strided {
    count: usize,
    first: usize,
    step: usize,
    backwards: bool,
}

impl Strided {
    /// Checks `nitem` items at `stride` against a slice of `len` items.
    ///
    /// Negative `nitem`, or a slice too short for the request, is [`PvmError::BadParam`].
    pub fn new(nitem: i32, stride: i32, len: usize) -> Result<Self> {
        let count = usize::try_from(nitem).map_err(|_| PvmError::BadParam)?;
        Self::with_count(count, stride as isize, len)
    }

    /// [`Strided::new`] for a count and stride already in Rust's index types.
    pub fn with_count(count: usize, stride: isize, len: usize) -> Result<Self> {
        let step = stride.unsigned_abs();
        let span = match count.checked_sub(1) {
            None => 0,
            Some(last) => last
                .checked_mul(step)
                .and_then(|s| s.checked_add(1))
                .ok_or(PvmError::BadParam)?,
        };
        if span > len {
            return Err(PvmError::BadParam);
        }
        let backwards = stride < 0;
        let first = if backwards { span.saturating_sub(1) } else { 0 };
        Ok(Self {
            count,
            first,
            step,
            backwards,
        })
    }

    /// Where the items of `pvm_pk*(p, nitem, stride)` lie relative to `p`: the offset in
    /// items of the lowest one (0, or negative for a negative stride) and how many items
    /// the span covers. The C ABI builds its slice from exactly this, so it never reads
    /// outside what C asked for. A negative `nitem` or a span that does not fit in
    /// memory is [`PvmError::BadParam`].
    pub fn span(nitem: i32, stride: i32) -> Result<(isize, usize)> {
        let count = usize::try_from(nitem).map_err(|_| PvmError::BadParam)?;
        let step = stride.unsigned_abs() as usize;
        let Some(last) = count.checked_sub(1) else {
            return Ok((0, 0));
        };
        let reach = last.checked_mul(step).ok_or(PvmError::BadParam)?;
        let len = reach.checked_add(1).ok_or(PvmError::BadParam)?;
        let reach = isize::try_from(reach).map_err(|_| PvmError::BadParam)?;
        let offset = if stride < 0 { -reach } else { 0 };
        Ok((offset, len))
    }

    /// How many items the request touches.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Whether the items are simply the first `count` of the slice, which allows bulk copies.
    pub fn is_contiguous(&self) -> bool {
        self.step == 1 && !self.backwards || self.count <= 1
    }

    /// The slice indices the request touches, in packing order. All are below the length
    /// given to [`Strided::new`].
    pub fn indices(&self) -> impl Iterator<Item = usize> {
        let Self {
            count,
            first,
            step,
            backwards,
        } = *self;
        (0..count).map(move |i| {
            if backwards {
                first - i * step
            } else {
                first + i * step
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(n: i32, s: i32, len: usize) -> Result<Vec<usize>> {
        Strided::new(n, s, len).map(|st| st.indices().collect())
    }

    #[test]
    fn forward_zero_and_backward_strides() {
        assert_eq!(idx(3, 2, 5), Ok(vec![0, 2, 4]));
        assert_eq!(idx(3, 2, 4), Err(PvmError::BadParam));
        assert_eq!(idx(3, 0, 1), Ok(vec![0, 0, 0]));
        assert_eq!(idx(3, -2, 5), Ok(vec![4, 2, 0]));
        assert_eq!(idx(0, 7, 0), Ok(vec![]));
        assert_eq!(idx(-1, 1, 10), Err(PvmError::BadParam));
        assert_eq!(idx(i32::MAX, i32::MIN, 10), Err(PvmError::BadParam));
        assert_eq!(idx(1, i32::MIN, 1), Ok(vec![0]));
    }

    #[test]
    fn span_matches_what_c_touches() {
        assert_eq!(Strided::span(3, 2), Ok((0, 5)));
        assert_eq!(Strided::span(3, -2), Ok((-4, 5)));
        assert_eq!(Strided::span(3, 0), Ok((0, 1)));
        assert_eq!(Strided::span(0, -9), Ok((0, 0)));
        assert_eq!(Strided::span(-1, 1), Err(PvmError::BadParam));
        // The span a C caller describes is exactly what `new` accepts.
        for (n, s) in [(3, 2), (3, -2), (4, 0), (1, i32::MIN), (5, 1)] {
            let (_, len) = Strided::span(n, s).unwrap();
            assert!(Strided::new(n, s, len).is_ok());
            assert_eq!(Strided::new(n, s, len - 1), Err(PvmError::BadParam));
        }
    }

    #[test]
    fn huge_requests_do_not_overflow() {
        assert_eq!(
            Strided::with_count(usize::MAX, isize::MAX, usize::MAX),
            Err(PvmError::BadParam)
        );
    }
}
