//! The PVM item types and how each one is laid out in XDR and in the native encoding.
//!
//! PVM 3.4 packs every item type into XDR 4-byte units: a `short` becomes a full 32-bit
//! word (sign-extended, also for `unsigned short`, as PVM does), a C `long` (64 bits on
//! LINUX64) is sent as a 32-bit XDR integer and refused with [`PvmError::Overflow`] when
//! it does not fit, and bytes are packed back to back with the whole group padded to a
//! multiple of four. The native (`Raw`) layout is each type's in-memory bytes.

use crate::error::{PvmError, Result};

/// A single-precision complex number: PVM's `cplx`, a pair of `float`s.
///
/// `#[repr(C)]`, so an array of them has the layout of C's interleaved `float` pairs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[repr(C)]
pub struct Complex32 {
    /// The real part.
    pub re: f32,
    /// The imaginary part.
    pub im: f32,
}

/// A double-precision complex number: PVM's `dcplx`, a pair of `double`s.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[repr(C)]
pub struct Complex64 {
    /// The real part.
    pub re: f64,
    /// The imaginary part.
    pub im: f64,
}

impl Complex32 {
    /// A complex number from its parts.
    pub const fn new(re: f32, im: f32) -> Self {
        Self { re, im }
    }
}

impl Complex64 {
    /// A complex number from its parts.
    pub const fn new(re: f64, im: f64) -> Self {
        Self { re, im }
    }
}

mod sealed {
    pub trait Sealed {}
}

/// An item type PVM can pack: the Rust counterpart of `pvm_pkbyte` ... `pvm_pkdcplx`.
///
/// `i8`/`u8` are PVM's byte, `i16`/`u16` short, `i32`/`u32` int, `i64`/`u64` C `long`,
/// `f32` float, `f64` double, [`Complex32`] cplx and [`Complex64`] dcplx. Sealed: the
/// wire layouts are fixed by PVM, not open to extension.
pub trait Scalar: Copy + Default + sealed::Sealed + 'static {
    /// Bytes one item takes in the native (`Raw`/`InPlace`) encoding.
    const RAW_SIZE: usize;
    /// Bytes one item takes in XDR (before the group padding that only bytes need).
    const XDR_SIZE: usize;
    /// Writes the item's native bytes; `dst` is exactly `RAW_SIZE` long.
    fn put_raw(self, dst: &mut [u8]);
    /// Reads an item from its native bytes; `src` is exactly `RAW_SIZE` long.
    fn get_raw(src: &[u8]) -> Self;
    /// Whether XDR can carry every value of the type. Only C `long` (64 bits here, 32 in
    /// XDR) cannot; [`Scalar::fits_xdr`] then says which values fit.
    const XDR_LOSSLESS: bool = true;
    /// Whether this value has an XDR representation.
    fn fits_xdr(self) -> bool {
        true
    }
    /// Writes the item in XDR; `dst` is exactly `XDR_SIZE` long. A value that does not
    /// [fit](Scalar::fits_xdr) is written truncated: callers check first.
    fn put_xdr(self, dst: &mut [u8]);
    /// Reads an item from XDR; `src` is exactly `XDR_SIZE` long.
    fn get_xdr(src: &[u8]) -> Self;

    /// Writes a run of items; `dst` is exactly `items.len()` items long. Fails with
    /// [`PvmError::Overflow`], writing nothing, when XDR cannot carry one of them. The
    /// loops are infallible so the compiler can vectorise them; types whose layout
    /// allows it override this with a bulk copy.
    fn put_all(items: &[Self], dst: &mut [u8], xdr: bool) -> Result<()> {
        if xdr {
            if !Self::XDR_LOSSLESS && !items.iter().all(|item| item.fits_xdr()) {
                return Err(PvmError::Overflow);
            }
            for (item, chunk) in items.iter().zip(dst.chunks_exact_mut(Self::XDR_SIZE)) {
                item.put_xdr(chunk);
            }
        } else {
            for (item, chunk) in items.iter().zip(dst.chunks_exact_mut(Self::RAW_SIZE)) {
                item.put_raw(chunk);
            }
        }
        Ok(())
    }

    /// Reads a run of items; `src` is exactly `out.len()` items long.
    fn get_all(src: &[u8], out: &mut [Self], xdr: bool) {
        if xdr {
            for (slot, chunk) in out.iter_mut().zip(src.chunks_exact(Self::XDR_SIZE)) {
                *slot = Self::get_xdr(chunk);
            }
        } else {
            for (slot, chunk) in out.iter_mut().zip(src.chunks_exact(Self::RAW_SIZE)) {
                *slot = Self::get_raw(chunk);
            }
        }
    }
}

/// `src` as an array. Callers hand in chunks of exactly the item size (an internal
/// invariant, never input), so the fallback is never taken; the compiler sees that too
/// and keeps the decoding loops branch-free.
fn array<const N: usize>(src: &[u8]) -> [u8; N] {
    src.try_into().unwrap_or([0; N])
}

/// Writes `bytes` into `dst`, which is exactly `N` long for the same reason as in
/// [`array`]; written this way the encoding loops compile without bounds checks.
fn store<const N: usize>(dst: &mut [u8], bytes: [u8; N]) {
    if let Ok(slot) = <&mut [u8; N]>::try_from(dst) {
        *slot = bytes;
    }
}

/// Native layout: the type's own bytes in host order.
macro_rules! raw_native {
    ($t:ty) => {
        const RAW_SIZE: usize = std::mem::size_of::<$t>();
        fn put_raw(self, dst: &mut [u8]) {
            store(dst, self.to_ne_bytes());
        }
        fn get_raw(src: &[u8]) -> Self {
            <$t>::from_ne_bytes(array(src))
        }
    };
}

/// Types whose XDR form is their own big-endian bytes (int, float, double).
macro_rules! scalar_be {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Scalar for $t {
            raw_native!($t);
            const XDR_SIZE: usize = std::mem::size_of::<$t>();
            fn put_xdr(self, dst: &mut [u8]) {
                store(dst, self.to_be_bytes());
            }
            fn get_xdr(src: &[u8]) -> Self {
                <$t>::from_be_bytes(array(src))
            }
        }
    )*};
}

scalar_be!(i32, u32, f32, f64);

// A signed byte is the same byte in every encoding: runs are converted in one pass.
impl sealed::Sealed for i8 {}
impl Scalar for i8 {
    raw_native!(i8);
    const XDR_SIZE: usize = 1;
    fn put_xdr(self, dst: &mut [u8]) {
        dst[0] = self as u8;
    }
    fn get_xdr(src: &[u8]) -> Self {
        src[0] as i8
    }
    fn put_all(items: &[Self], dst: &mut [u8], _xdr: bool) -> Result<()> {
        for (d, s) in dst.iter_mut().zip(items) {
            *d = *s as u8;
        }
        Ok(())
    }
    fn get_all(src: &[u8], out: &mut [Self], _xdr: bool) {
        for (d, s) in out.iter_mut().zip(src) {
            *d = *s as i8;
        }
    }
}

// Bytes are the same in every encoding, so runs of them are plain copies.
impl sealed::Sealed for u8 {}
impl Scalar for u8 {
    raw_native!(u8);
    const XDR_SIZE: usize = 1;
    fn put_xdr(self, dst: &mut [u8]) {
        dst[0] = self;
    }
    fn get_xdr(src: &[u8]) -> Self {
        src[0]
    }
    fn put_all(items: &[Self], dst: &mut [u8], _xdr: bool) -> Result<()> {
        dst.copy_from_slice(items);
        Ok(())
    }
    fn get_all(src: &[u8], out: &mut [Self], _xdr: bool) {
        out.copy_from_slice(src);
    }
}

/// Shorts travel as a sign-extended 32-bit word; reading keeps the low 16 bits, so any
/// word a peer sends decodes without error.
macro_rules! scalar_short {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Scalar for $t {
            raw_native!($t);
            const XDR_SIZE: usize = 4;
            fn put_xdr(self, dst: &mut [u8]) {
                #[allow(clippy::unnecessary_cast)]
                let word = self as i16 as i32;
                store(dst, word.to_be_bytes());
            }
            fn get_xdr(src: &[u8]) -> Self {
                i32::from_be_bytes(array(src)) as $t
            }
        }
    )*};
}

scalar_short!(i16, u16);

impl sealed::Sealed for i64 {}
impl Scalar for i64 {
    raw_native!(i64);
    const XDR_SIZE: usize = 4;
    const XDR_LOSSLESS: bool = false;
    fn fits_xdr(self) -> bool {
        i32::try_from(self).is_ok()
    }
    fn put_xdr(self, dst: &mut [u8]) {
        store(dst, (self as i32).to_be_bytes());
    }
    fn get_xdr(src: &[u8]) -> Self {
        i64::from(i32::from_be_bytes(array(src)))
    }
}

impl sealed::Sealed for u64 {}
impl Scalar for u64 {
    raw_native!(u64);
    const XDR_SIZE: usize = 4;
    const XDR_LOSSLESS: bool = false;
    fn fits_xdr(self) -> bool {
        u32::try_from(self).is_ok()
    }
    fn put_xdr(self, dst: &mut [u8]) {
        store(dst, (self as u32).to_be_bytes());
    }
    fn get_xdr(src: &[u8]) -> Self {
        u64::from(u32::from_be_bytes(array(src)))
    }
}

/// Complex numbers are their two parts in a row, in either encoding. The parts are
/// joined in a fixed-size array so the whole item is one store, which keeps the loops
/// over complex arrays as fast as over their parts.
macro_rules! scalar_complex {
    ($($t:ty => $part:ty, $half:literal);*) => {$(
        impl sealed::Sealed for $t {}
        impl Scalar for $t {
            const RAW_SIZE: usize = 2 * $half;
            const XDR_SIZE: usize = 2 * $half;
            fn put_raw(self, dst: &mut [u8]) {
                store(dst, join::<$half, { 2 * $half }>(self.re.to_ne_bytes(), self.im.to_ne_bytes()));
            }
            fn get_raw(src: &[u8]) -> Self {
                let item: [u8; 2 * $half] = array(src);
                Self {
                    re: <$part>::from_ne_bytes(array(&item[..$half])),
                    im: <$part>::from_ne_bytes(array(&item[$half..])),
                }
            }
            fn put_xdr(self, dst: &mut [u8]) {
                store(dst, join::<$half, { 2 * $half }>(self.re.to_be_bytes(), self.im.to_be_bytes()));
            }
            fn get_xdr(src: &[u8]) -> Self {
                let item: [u8; 2 * $half] = array(src);
                Self {
                    re: <$part>::from_be_bytes(array(&item[..$half])),
                    im: <$part>::from_be_bytes(array(&item[$half..])),
                }
            }
        }
    )*};
}

/// Two halves as one array (`N` is `2 * H`).
fn join<const H: usize, const N: usize>(first: [u8; H], second: [u8; H]) -> [u8; N] {
    let mut out = [0u8; N];
    out[..H].copy_from_slice(&first);
    out[H..].copy_from_slice(&second);
    out
}

scalar_complex!(Complex32 => f32, 4; Complex64 => f64, 8);

#[cfg(test)]
mod tests {
    use super::*;

    fn xdr<T: Scalar>(v: T) -> Result<Vec<u8>> {
        let mut out = vec![0; T::XDR_SIZE];
        T::put_all(&[v], &mut out, true)?;
        Ok(out)
    }

    #[test]
    fn shorts_are_sign_extended_words() {
        assert_eq!(xdr(-2i16), Ok(vec![0xff, 0xff, 0xff, 0xfe]));
        assert_eq!(xdr(0xffffu16), Ok(vec![0xff, 0xff, 0xff, 0xff]));
        assert_eq!(u16::get_xdr(&[0xff, 0xff, 0xff, 0xff]), 0xffff);
        assert_eq!(i16::get_xdr(&[0x00, 0x01, 0x23, 0x45]), 0x2345);
    }

    #[test]
    fn longs_must_fit_in_32_bits() {
        assert_eq!(xdr(-0x8000_0000i64), Ok(vec![0x80, 0, 0, 0]));
        assert_eq!(xdr(0x8000_0000i64), Err(PvmError::Overflow));
        assert_eq!(xdr(-0x8000_0001i64), Err(PvmError::Overflow));
        assert_eq!(xdr(0xffff_ffffu64), Ok(vec![0xff; 4]));
        assert_eq!(xdr(0x1_0000_0000u64), Err(PvmError::Overflow));
        assert_eq!(i64::get_xdr(&[0xff; 4]), -1);
        assert_eq!(u64::get_xdr(&[0xff; 4]), 0xffff_ffff);
    }

    #[test]
    fn complex_is_two_parts() {
        assert_eq!(
            xdr(Complex32::new(1.0, -2.5)),
            Ok(vec![0x3f, 0x80, 0, 0, 0xc0, 0x20, 0, 0])
        );
        let mut raw = [0u8; 16];
        Complex64::new(1.0, 2.0).put_raw(&mut raw);
        assert_eq!(Complex64::get_raw(&raw), Complex64::new(1.0, 2.0));
    }
}
