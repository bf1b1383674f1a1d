//! The compact binary codec of control messages.
//!
//! Integers are big-endian and fixed width, strings and byte strings are a `u32` length
//! followed by the bytes, sequences a `u32` count followed by the elements, options a
//! `0`/`1` byte, enums a `u8` variant code followed by the fields in declaration order.
//! Hand-written rather than serde-based so libpvm stays free of codec dependencies and
//! every length read from the wire is checked against what is actually left before
//! anything is allocated.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::ProtoError;
use crate::tid::Tid;

/// Appends encoded values to a frame being built.
pub struct Writer<'a>(pub &'a mut BytesMut);

/// Reads encoded values from a received frame, never past its end.
pub struct Reader {
    buf: Bytes,
}

impl Reader {
    /// A reader over one frame's payload.
    pub fn new(buf: Bytes) -> Reader {
        Reader { buf }
    }

    /// Bytes not consumed yet.
    pub fn remaining(&self) -> usize {
        self.buf.remaining()
    }

    /// Fails unless every byte was consumed: trailing garbage means a peer we misunderstand.
    pub fn finish(self) -> Result<(), ProtoError> {
        match self.buf.remaining() {
            0 => Ok(()),
            n => Err(ProtoError::TrailingBytes(n)),
        }
    }

    fn need(&self, n: usize) -> Result<(), ProtoError> {
        if self.buf.remaining() < n {
            Err(ProtoError::Truncated)
        } else {
            Ok(())
        }
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, ProtoError> {
        self.need(1)?;
        Ok(self.buf.get_u8())
    }

    /// A big-endian `u32`.
    pub fn u32(&mut self) -> Result<u32, ProtoError> {
        self.need(4)?;
        Ok(self.buf.get_u32())
    }

    /// A big-endian `u64`.
    pub fn u64(&mut self) -> Result<u64, ProtoError> {
        self.need(8)?;
        Ok(self.buf.get_u64())
    }

    /// A length prefix, checked against the bytes left (each element takes at least
    /// `min_elem` bytes), so a lying length cannot make us allocate.
    pub fn len(&mut self, min_elem: usize) -> Result<usize, ProtoError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_elem.max(1)) > self.remaining() {
            return Err(ProtoError::Truncated);
        }
        Ok(n)
    }

    /// `n` bytes, sharing the frame's storage (no copy).
    pub fn bytes(&mut self, n: usize) -> Result<Bytes, ProtoError> {
        self.need(n)?;
        Ok(self.buf.split_to(n))
    }
}

/// A type with a wire form.
pub trait Wire: Sized {
    /// Appends the encoding of `self`.
    fn put(&self, w: &mut Writer<'_>);
    /// Reads one value; errors on truncated or invalid input, never panics.
    fn get(r: &mut Reader) -> Result<Self, ProtoError>;
    /// A pseudo-random value, for the protocol's round-trip property tests.
    #[doc(hidden)]
    fn sample(g: &mut Sampler) -> Self;
}

/// A tiny deterministic generator (xorshift) used by the round-trip property tests to
/// build arbitrary values of every protocol type from one seed.
#[doc(hidden)]
pub struct Sampler(u64);

impl Sampler {
    /// A generator from a seed (any value, zero included).
    pub fn new(seed: u64) -> Sampler {
        Sampler(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A short length, so generated values stay small.
    pub fn small_len(&mut self) -> usize {
        self.below(6) as usize
    }
}

impl Wire for u8 {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_u8(*self);
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        r.u8()
    }
    fn sample(g: &mut Sampler) -> Self {
        g.next_u64() as u8
    }
}

impl Wire for bool {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_u8(u8::from(*self));
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(ProtoError::BadValue {
                what: "bool",
                value: i64::from(v),
            }),
        }
    }
    fn sample(g: &mut Sampler) -> Self {
        g.next_u64() & 1 == 1
    }
}

impl Wire for u32 {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_u32(*self);
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        r.u32()
    }
    fn sample(g: &mut Sampler) -> Self {
        g.next_u64() as u32
    }
}

impl Wire for i32 {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_i32(*self);
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        Ok(r.u32()? as i32)
    }
    fn sample(g: &mut Sampler) -> Self {
        g.next_u64() as i32
    }
}

impl Wire for u64 {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_u64(*self);
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        r.u64()
    }
    fn sample(g: &mut Sampler) -> Self {
        g.next_u64()
    }
}

impl Wire for Tid {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_u32(self.0);
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        Ok(Tid(r.u32()?))
    }
    fn sample(g: &mut Sampler) -> Self {
        Tid::new(g.below(4) as u32, g.below(8) as u32)
    }
}

impl Wire for Bytes {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_u32(wire_len(self.len()));
        w.0.put_slice(self);
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        let n = r.len(1)?;
        r.bytes(n)
    }
    fn sample(g: &mut Sampler) -> Self {
        let n = g.small_len() * 3;
        Bytes::from((0..n).map(|_| g.next_u64() as u8).collect::<Vec<u8>>())
    }
}

impl Wire for String {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_u32(wire_len(self.len()));
        w.0.put_slice(self.as_bytes());
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        let n = r.len(1)?;
        let raw = r.bytes(n)?;
        String::from_utf8(raw.to_vec()).map_err(|_| ProtoError::BadUtf8)
    }
    fn sample(g: &mut Sampler) -> Self {
        const PIECES: [&str; 8] = ["a", "pvm", " ", "é", "t40001", "*", "\n", "host-1"];
        (0..g.small_len())
            .map(|_| PIECES[g.below(PIECES.len() as u64) as usize])
            .collect()
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, w: &mut Writer<'_>) {
        w.0.put_u32(wire_len(self.len()));
        for v in self {
            v.put(w);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        // Every element of every protocol type encodes to at least one byte.
        let n = r.len(1)?;
        (0..n).map(|_| T::get(r)).collect()
    }
    fn sample(g: &mut Sampler) -> Self {
        (0..g.small_len()).map(|_| T::sample(g)).collect()
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            None => w.0.put_u8(0),
            Some(v) => {
                w.0.put_u8(1);
                v.put(w);
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, ProtoError> {
        match r.u8()? {
            0 => Ok(None),
            1 => Ok(Some(T::get(r)?)),
            v => Err(ProtoError::BadValue {
                what: "option",
                value: i64::from(v),
            }),
        }
    }
    fn sample(g: &mut Sampler) -> Self {
        (g.next_u64() & 1 == 1).then(|| T::sample(g))
    }
}

/// A length as the wire carries it. Frames are capped far below 4 GiB, so a longer
/// value cannot be sent anyway; saturating keeps the encoder total and the decoder
/// then rejects the frame as truncated rather than misreading it.
fn wire_len(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Implements [`Wire`] for a struct with named fields, encoded in the order listed.
macro_rules! wire_struct {
    ($name:ident { $($field:ident),* $(,)? }) => {
        impl $crate::proto::wire::Wire for $name {
            fn put(&self, w: &mut $crate::proto::wire::Writer<'_>) {
                $( $crate::proto::wire::Wire::put(&self.$field, w); )*
            }
            fn get(
                r: &mut $crate::proto::wire::Reader,
            ) -> Result<Self, $crate::proto::ProtoError> {
                Ok($name { $( $field: $crate::proto::wire::Wire::get(r)?, )* })
            }
            fn sample(g: &mut $crate::proto::wire::Sampler) -> Self {
                let _ = &g;
                $name { $( $field: $crate::proto::wire::Wire::sample(g), )* }
            }
        }
    };
}

/// Implements [`Wire`] for an enum whose variants all have named fields (or none),
/// each given a stable variant code: codes are the wire contract, never reuse one.
macro_rules! wire_enum {
    ($name:ident { $($code:literal => $var:ident { $($field:ident),* $(,)? }),* $(,)? }) => {
        impl $crate::proto::wire::Wire for $name {
            fn put(&self, w: &mut $crate::proto::wire::Writer<'_>) {
                match self {
                    $( $name::$var { $($field),* } => {
                        $crate::proto::wire::Wire::put(&($code as u8), w);
                        $( $crate::proto::wire::Wire::put($field, w); )*
                    } )*
                }
            }
            fn get(
                r: &mut $crate::proto::wire::Reader,
            ) -> Result<Self, $crate::proto::ProtoError> {
                match r.u8()? {
                    $( $code => Ok($name::$var {
                        $( $field: $crate::proto::wire::Wire::get(r)?, )*
                    }), )*
                    other => Err($crate::proto::ProtoError::BadValue {
                        what: stringify!($name),
                        value: i64::from(other),
                    }),
                }
            }
            fn sample(g: &mut $crate::proto::wire::Sampler) -> Self {
                const CODES: &[u8] = &[$($code),*];
                match CODES[g.below(CODES.len() as u64) as usize] {
                    $( $code => $name::$var {
                        $( $field: $crate::proto::wire::Wire::sample(g), )*
                    }, )*
                    _ => unreachable!("CODES lists exactly the variant codes"),
                }
            }
        }
    };
}

pub(crate) use {wire_enum, wire_struct};

#[cfg(test)]
mod tests {
    use super::*;

    fn encode<T: Wire>(v: &T) -> Bytes {
        let mut b = BytesMut::new();
        v.put(&mut Writer(&mut b));
        b.freeze()
    }

    #[test]
    fn lying_lengths_are_rejected_without_allocating() {
        let mut r = Reader::new(Bytes::from_static(&[0xff, 0xff, 0xff, 0xff, 1, 2]));
        assert_eq!(Vec::<u32>::get(&mut r), Err(ProtoError::Truncated));
        let mut r = Reader::new(Bytes::from_static(&[0, 0, 0, 9, b'a']));
        assert_eq!(String::get(&mut r), Err(ProtoError::Truncated));
    }

    #[test]
    fn scalars_round_trip() {
        let v: (Vec<String>, Option<Tid>) = (vec!["x".into(), "é".into()], Some(Tid(0x40001)));
        let mut r = Reader::new(encode(&v.0));
        assert_eq!(Vec::<String>::get(&mut r).as_ref(), Ok(&v.0));
        let mut r = Reader::new(encode(&v.1));
        assert_eq!(Option::<Tid>::get(&mut r), Ok(v.1));
        r.finish().expect("all consumed");
    }

    #[test]
    fn bad_bool_and_utf8_are_errors() {
        let mut r = Reader::new(Bytes::from_static(&[2]));
        assert!(bool::get(&mut r).is_err());
        let mut r = Reader::new(Bytes::from_static(&[0, 0, 0, 1, 0xff]));
        assert_eq!(String::get(&mut r), Err(ProtoError::BadUtf8));
    }
}
