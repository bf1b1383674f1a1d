//! Property tests: whatever is packed unpacks to the same values, for every item type,
//! every encoding and any stride, both from the buffer that packed it and from its body
//! as a peer receives it.

use std::fmt::Debug;

use proptest::prelude::*;
use pvm::error::PvmError;
use pvm::pack::{Buffer, Complex32, Complex64, Encoding, Scalar, Strided};

/// Items compared by their native bytes, so NaNs with the same payload are equal.
fn bits<T: Scalar>(items: &[T]) -> Vec<u8> {
    let mut out = vec![0; items.len() * T::RAW_SIZE];
    for (item, chunk) in items.iter().zip(out.chunks_exact_mut(T::RAW_SIZE)) {
        item.put_raw(chunk);
    }
    out
}

fn fail(e: PvmError) -> TestCaseError {
    TestCaseError::fail(format!("unexpected {e:?}"))
}

fn encodings() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Default),
        Just(Encoding::Raw),
        Just(Encoding::InPlace)
    ]
}

/// The largest count whose span at `stride` fits in `len` items.
fn count_for(len: usize, stride: i32) -> i32 {
    let step = stride.unsigned_abs() as usize;
    let n = match (len, step) {
        (0, _) => 0,
        (len, 0) => len,
        (len, s) => (len - 1) / s + 1,
    };
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Packs every item `stride` selects, unpacks into a zeroed array at the same stride and
/// checks the selected slots, and only those, hold the packed values.
fn round_trip<T: Scalar + Debug>(
    items: &[T],
    stride: i32,
    enc: Encoding,
) -> Result<(), TestCaseError> {
    let nitem = count_for(items.len(), stride);
    let mut send = Buffer::new(enc);
    let packed = send.pk(items, nitem, stride);
    if enc == Encoding::InPlace && stride != 1 && nitem > 1 {
        prop_assert_eq!(packed, Err(PvmError::NotImpl));
        return Ok(());
    }
    prop_assert_eq!(packed, Ok(()));

    let mut want = vec![T::default(); items.len()];
    for i in Strided::new(nitem, stride, items.len())
        .map_err(fail)?
        .indices()
    {
        want[i] = items[i];
    }
    let mut local = vec![T::default(); items.len()];
    if enc == Encoding::InPlace {
        // PVM's in-place buffer holds no data of its own until it is sent.
        prop_assert_eq!(send.upk(&mut local, nitem, stride), Err(PvmError::BadMsg));
    } else {
        send.upk(&mut local, nitem, stride).map_err(fail)?;
        prop_assert_eq!(bits(&local), bits(&want));
    }

    let mut recv = Buffer::received(enc, send.body());
    let mut got = vec![T::default(); items.len()];
    recv.upk(&mut got, nitem, stride).map_err(fail)?;
    prop_assert_eq!(bits(&got), bits(&want));
    prop_assert_eq!(recv.remaining(), 0);
    prop_assert_eq!(recv.upk(&mut [T::default()], 1, 1), Err(PvmError::NoData));
    Ok(())
}

/// The typed surface: a vector packed whole comes back from `unpack_vec`.
fn typed_round_trip<T: Scalar + Debug>(items: &[T], enc: Encoding) -> Result<(), TestCaseError> {
    let mut send = Buffer::new(enc);
    send.pack(items).map_err(fail)?;
    let mut recv = Buffer::received(enc, send.body());
    let got: Vec<T> = recv.unpack_vec(items.len()).map_err(fail)?;
    prop_assert_eq!(bits(&got), bits(items));
    Ok(())
}

fn complex32() -> impl Strategy<Value = Complex32> {
    (any::<f32>(), any::<f32>()).prop_map(|(re, im)| Complex32::new(re, im))
}

fn complex64() -> impl Strategy<Value = Complex64> {
    (any::<f64>(), any::<f64>()).prop_map(|(re, im)| Complex64::new(re, im))
}

/// One round-trip property per item type, over every encoding and strides -3..=3.
macro_rules! round_trips {
    ($($name:ident: $strategy:expr;)*) => {
        proptest! {
            $(
                #[test]
                fn $name(
                    items in proptest::collection::vec($strategy, 0..40),
                    stride in -3i32..=3,
                    enc in encodings(),
                ) {
                    round_trip(&items, stride, enc)?;
                    if enc != Encoding::InPlace {
                        typed_round_trip(&items, enc)?;
                    }
                }
            )*
        }
    };
}

round_trips! {
    bytes_signed: any::<i8>();
    bytes_unsigned: any::<u8>();
    shorts: any::<i16>();
    ushorts: any::<u16>();
    ints: any::<i32>();
    uints: any::<u32>();
    longs_in_xdr_range: any::<i32>().prop_map(i64::from);
    ulongs_in_xdr_range: any::<u32>().prop_map(u64::from);
    floats: any::<f32>();
    doubles: any::<f64>();
    complexes: complex32();
    double_complexes: complex64();
}

proptest! {
    /// Longs use all 64 bits in the native encodings; XDR refuses what 32 bits cannot hold.
    #[test]
    fn longs_full_range(items in proptest::collection::vec(any::<i64>(), 1..20), enc in encodings()) {
        let fits = items.iter().all(|&v| i32::try_from(v).is_ok());
        let mut send = Buffer::new(enc);
        let packed = send.pk(&items, items.len() as i32, 1);
        if enc == Encoding::Default && !fits {
            prop_assert_eq!(packed, Err(PvmError::Overflow));
            prop_assert!(send.is_empty());
        } else {
            prop_assert_eq!(packed, Ok(()));
            let mut recv = Buffer::received(enc, send.body());
            prop_assert_eq!(recv.unpack_vec::<i64>(items.len()), Ok(items));
        }
    }

    #[test]
    fn ulongs_full_range(items in proptest::collection::vec(any::<u64>(), 1..20), enc in encodings()) {
        let fits = items.iter().all(|&v| u32::try_from(v).is_ok());
        let mut send = Buffer::new(enc);
        let packed = send.pk(&items, items.len() as i32, 1);
        if enc == Encoding::Default && !fits {
            prop_assert_eq!(packed, Err(PvmError::Overflow));
        } else {
            prop_assert_eq!(packed, Ok(()));
            let mut recv = Buffer::received(enc, send.body());
            prop_assert_eq!(recv.unpack_vec::<u64>(items.len()), Ok(items));
        }
    }

    #[test]
    fn strings(text in ".*", enc in prop_oneof![Just(Encoding::Default), Just(Encoding::Raw)]) {
        let mut send = Buffer::new(enc);
        send.pack(text.as_str()).map_err(fail)?.pack(&7i32).map_err(fail)?;
        let mut recv = Buffer::received(enc, send.body());
        prop_assert_eq!(recv.unpack::<String>(), Ok(text.clone()));
        prop_assert_eq!(recv.unpack::<i32>(), Ok(7));
        prop_assert_eq!(recv.remaining(), 0);
    }
}

/// One packed value of any kind, for mixed messages.
#[derive(Debug, Clone)]
enum Item {
    Bytes(Vec<u8>),
    Shorts(Vec<i16>),
    Ints(Vec<i32>),
    Longs(Vec<i64>),
    Doubles(Vec<f64>),
    Cplx(Vec<Complex32>),
    Text(String),
}

fn item() -> impl Strategy<Value = Item> {
    use proptest::collection::vec;
    prop_oneof![
        vec(any::<u8>(), 0..9).prop_map(Item::Bytes),
        vec(any::<i16>(), 0..5).prop_map(Item::Shorts),
        vec(any::<i32>(), 0..5).prop_map(Item::Ints),
        vec(any::<i32>().prop_map(i64::from), 0..5).prop_map(Item::Longs),
        vec(any::<f64>(), 0..5).prop_map(Item::Doubles),
        vec(complex32(), 0..5).prop_map(Item::Cplx),
        ".{0,9}".prop_map(Item::Text),
    ]
}

fn pack_item(buf: &mut Buffer, item: &Item) -> Result<(), PvmError> {
    match item {
        Item::Bytes(v) => buf.pack(v.as_slice()),
        Item::Shorts(v) => buf.pack(v.as_slice()),
        Item::Ints(v) => buf.pack(v.as_slice()),
        Item::Longs(v) => buf.pack(v.as_slice()),
        Item::Doubles(v) => buf.pack(v.as_slice()),
        Item::Cplx(v) => buf.pack(v.as_slice()),
        Item::Text(s) => buf.pack(s.as_str()),
    }
    .map(drop)
}

fn check_item(buf: &mut Buffer, item: &Item) -> Result<(), TestCaseError> {
    match item {
        Item::Bytes(v) => prop_assert_eq!(&buf.unpack_bytes(v.len()).map_err(fail)?[..], &v[..]),
        Item::Shorts(v) => prop_assert_eq!(&buf.unpack_vec::<i16>(v.len()).map_err(fail)?, v),
        Item::Ints(v) => prop_assert_eq!(&buf.unpack_vec::<i32>(v.len()).map_err(fail)?, v),
        Item::Longs(v) => prop_assert_eq!(&buf.unpack_vec::<i64>(v.len()).map_err(fail)?, v),
        Item::Doubles(v) => prop_assert_eq!(
            bits(&buf.unpack_vec::<f64>(v.len()).map_err(fail)?),
            bits(v)
        ),
        Item::Cplx(v) => prop_assert_eq!(
            bits(&buf.unpack_vec::<Complex32>(v.len()).map_err(fail)?),
            bits(v)
        ),
        Item::Text(s) => prop_assert_eq!(&buf.unpack_string().map_err(fail)?, s),
    }
    Ok(())
}

proptest! {
    /// A message mixing every kind unpacks in order: padding after odd byte runs and
    /// strings never shifts what follows.
    #[test]
    fn mixed_messages(items in proptest::collection::vec(item(), 0..12),
                      enc in prop_oneof![Just(Encoding::Default), Just(Encoding::Raw)]) {
        let mut send = Buffer::new(enc);
        for it in &items {
            pack_item(&mut send, it).map_err(fail)?;
        }
        if enc == Encoding::Default {
            prop_assert_eq!(send.len() % 4, 0);
        }
        let mut recv = Buffer::received(enc, send.body());
        for it in &items {
            check_item(&mut recv, it)?;
        }
        prop_assert_eq!(recv.remaining(), 0);
    }
}
