//! The idiomatic surface: `buf.pack(&x)?` and `buf.unpack::<T>()?` for any packable value.
//!
//! Like PVM, packing a slice or vector sends its items only, never its length: the
//! receiver must know the count (send it first if it varies). Strings are the one
//! self-describing type, exactly as `pvm_pkstr` makes them.

use super::buffer::Buffer;
use super::scalar::Scalar;
use crate::error::Result;

/// A value that can be packed into a [`Buffer`].
pub trait Pack {
    /// Appends the value to `buf` in the buffer's encoding.
    fn pack_into(&self, buf: &mut Buffer) -> Result<()>;
}

/// A value that can be unpacked from a [`Buffer`] without being told a count.
pub trait Unpack: Sized {
    /// Reads the next value from `buf`.
    fn unpack_from(buf: &mut Buffer) -> Result<Self>;
}

impl<T: Scalar> Pack for T {
    fn pack_into(&self, buf: &mut Buffer) -> Result<()> {
        buf.pack_slice(std::slice::from_ref(self), 1).map(drop)
    }
}

impl<T: Scalar> Pack for [T] {
    fn pack_into(&self, buf: &mut Buffer) -> Result<()> {
        buf.pack_slice(self, 1).map(drop)
    }
}

impl<T: Scalar, const N: usize> Pack for [T; N] {
    fn pack_into(&self, buf: &mut Buffer) -> Result<()> {
        self.as_slice().pack_into(buf)
    }
}

impl<T: Scalar> Pack for Vec<T> {
    fn pack_into(&self, buf: &mut Buffer) -> Result<()> {
        self.as_slice().pack_into(buf)
    }
}

impl Pack for str {
    fn pack_into(&self, buf: &mut Buffer) -> Result<()> {
        buf.pkstr(self.as_bytes())
    }
}

impl Pack for String {
    fn pack_into(&self, buf: &mut Buffer) -> Result<()> {
        self.as_str().pack_into(buf)
    }
}

impl<T: Scalar> Unpack for T {
    fn unpack_from(buf: &mut Buffer) -> Result<Self> {
        let mut one = [T::default()];
        buf.unpack_into(&mut one, 1)?;
        Ok(one[0])
    }
}

impl<T: Scalar, const N: usize> Unpack for [T; N] {
    fn unpack_from(buf: &mut Buffer) -> Result<Self> {
        let mut out = [T::default(); N];
        buf.unpack_into(&mut out, 1)?;
        Ok(out)
    }
}

impl Unpack for String {
    fn unpack_from(buf: &mut Buffer) -> Result<Self> {
        buf.unpack_string()
    }
}

impl Buffer {
    /// Packs a value, a slice of items, or a string; returns the buffer for chaining:
    /// `buf.pack(&n)?.pack(&data[..])?.pack("done")?`.
    pub fn pack<P: Pack + ?Sized>(&mut self, value: &P) -> Result<&mut Self> {
        value.pack_into(self)?;
        Ok(self)
    }

    /// Unpacks the next value: a scalar, a fixed-size array, or a string.
    pub fn unpack<U: Unpack>(&mut self) -> Result<U> {
        U::unpack_from(self)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Complex64, Encoding};
    use super::*;

    #[test]
    fn mixed_values_round_trip() -> Result<()> {
        let mut b = Buffer::new(Encoding::Default);
        b.pack(&3i32)?
            .pack(&[1.5f64, 2.5])?
            .pack("hi")?
            .pack(&vec![Complex64::new(1.0, -1.0)])?;
        assert_eq!(b.unpack::<i32>()?, 3);
        assert_eq!(b.unpack::<[f64; 2]>()?, [1.5, 2.5]);
        assert_eq!(b.unpack::<String>()?, "hi");
        assert_eq!(
            b.unpack_vec::<Complex64>(1)?,
            vec![Complex64::new(1.0, -1.0)]
        );
        Ok(())
    }
}
