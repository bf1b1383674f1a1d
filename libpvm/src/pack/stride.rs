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
    fn huge_requests_do_not_overflow() {
        assert_eq!(
            Strided::with_count(usize::MAX, isize::MAX, usize::MAX),
            Err(PvmError::BadParam)
        );
    }
}
