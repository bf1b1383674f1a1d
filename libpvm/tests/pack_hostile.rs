//! Hostile input: whatever bytes arrive and whatever counts and strides a caller passes,
//! unpacking answers with a PVM error code and never panics, and a failed call leaves
//! the buffer as it was.

use bytes::Bytes;
use proptest::prelude::*;
use pvm::error::PvmError;
use pvm::pack::{Buffer, Complex64, Encoding};

fn received(enc: Encoding, bytes: &[u8]) -> Buffer {
    Buffer::received(enc, Bytes::copy_from_slice(bytes))
}

#[test]
fn truncated_items_give_no_data_and_keep_the_cursor() {
    for enc in [Encoding::Default, Encoding::Raw] {
        let mut b = received(enc, &[0, 0, 0, 1, 0, 0]);
        let mut out = [0i32; 2];
        assert_eq!(b.upk(&mut out, 2, 1), Err(PvmError::NoData));
        assert_eq!(out, [0, 0], "nothing written on failure");
        assert_eq!(b.position(), 0);
        assert_eq!(b.unpack::<f64>(), Err(PvmError::NoData));
        assert!(b.unpack::<i32>().is_ok());
        assert_eq!(b.unpack::<i32>(), Err(PvmError::NoData));
    }
    assert_eq!(
        received(Encoding::Default, &[]).unpack::<u8>(),
        Err(PvmError::NoData)
    );
}

#[test]
fn missing_xdr_padding_at_the_end_is_tolerated() {
    // Five bytes and no padding: the bytes are there, so they unpack.
    let mut b = received(Encoding::Default, &[1, 2, 3, 4, 5]);
    assert_eq!(b.unpack_vec::<u8>(5).unwrap(), [1, 2, 3, 4, 5]);
    assert_eq!(b.remaining(), 0);
    assert_eq!(b.unpack::<u8>(), Err(PvmError::NoData));
}

#[test]
fn hostile_string_lengths() {
    for enc in [Encoding::Default, Encoding::Raw] {
        let word = |n: i32| match enc {
            Encoding::Default => n.to_be_bytes(),
            _ => n.to_ne_bytes(),
        };
        let mut huge = word(i32::MAX).to_vec();
        huge.extend(b"abc\0");
        let mut b = received(enc, &huge);
        assert_eq!(b.unpack_string(), Err(PvmError::NoData));
        assert_eq!(b.position(), 0, "a failed string unpack keeps the cursor");

        let mut b = received(enc, &word(-5));
        assert_eq!(b.upkstr(), Err(PvmError::BadMsg));
        assert_eq!(b.position(), 0);

        let mut bad_utf8 = word(3).to_vec();
        bad_utf8.extend([0xff, 0xfe, 0, 0]);
        let mut b = received(enc, &bad_utf8);
        assert_eq!(b.unpack_string(), Err(PvmError::BadMsg));
        assert_eq!(
            b.upkstr().unwrap(),
            &[0xff, 0xfe, 0][..],
            "raw bytes stay readable"
        );

        // Length 0 (no NUL): an empty string, like PVM's upkstr copying nothing.
        let mut b = received(enc, &word(0));
        assert_eq!(b.unpack_string(), Ok(String::new()));
    }
}

#[test]
fn huge_counts_fail_without_allocating() {
    let mut b = received(Encoding::Default, &[0; 16]);
    assert_eq!(b.unpack_vec::<Complex64>(usize::MAX), Err(PvmError::NoData));
    assert_eq!(b.unpack_vec::<u8>(usize::MAX), Err(PvmError::NoData));
    assert_eq!(b.unpack_vec::<f64>(1 << 40), Err(PvmError::NoData));
    assert_eq!(b.unpack_bytes(usize::MAX), Err(PvmError::NoData));
    assert_eq!(b.position(), 0);
}

#[test]
fn bad_counts_and_strides_are_bad_param() {
    let mut b = Buffer::new(Encoding::Default);
    let items = [1i32, 2, 3];
    assert_eq!(b.pk(&items, -1, 1), Err(PvmError::BadParam));
    assert_eq!(b.pk(&items, 4, 1), Err(PvmError::BadParam));
    assert_eq!(b.pk(&items, 2, 3), Err(PvmError::BadParam));
    assert_eq!(b.pk(&items, 2, -3), Err(PvmError::BadParam));
    assert_eq!(b.pk(&items, i32::MAX, i32::MIN), Err(PvmError::BadParam));
    assert_eq!(b.pk(&items, i32::MAX, i32::MAX), Err(PvmError::BadParam));
    assert_eq!(b.pack_slice(&items, 0).map(drop), Err(PvmError::BadParam));
    assert!(b.is_empty());

    let mut r = received(Encoding::Default, &[0; 64]);
    let mut out = [0i32; 3];
    assert_eq!(r.upk(&mut out, -1, 1), Err(PvmError::BadParam));
    assert_eq!(r.upk(&mut out, 2, 5), Err(PvmError::BadParam));
    assert_eq!(r.upk(&mut out, i32::MAX, 0), Err(PvmError::NoData));
    assert_eq!(r.unpack_into(&mut out, 0), Err(PvmError::BadParam));
    assert_eq!(r.position(), 0);
}

#[test]
fn in_place_refuses_what_pvm_refuses() {
    let mut b = Buffer::new(Encoding::InPlace);
    assert_eq!(b.pkstr(b"x"), Err(PvmError::NotImpl));
    assert_eq!(b.pk(&[1i32, 2, 3], 2, 2), Err(PvmError::NotImpl));
    assert_eq!(b.pk(&[1i32, 2], 2, 1), Ok(()));
    assert_eq!(b.unpack::<i32>(), Err(PvmError::BadMsg));
    let mut peer = Buffer::from_wire(Encoding::InPlace.code(), b.body()).unwrap();
    assert_eq!(peer.unpack_vec::<i32>(2), Ok(vec![1, 2]));
}

#[test]
fn unknown_wire_encodings_are_refused() {
    assert_eq!(
        Buffer::from_wire(7, Bytes::new()).err(),
        Some(PvmError::BadParam)
    );
    assert_eq!(
        Buffer::from_wire(-1, Bytes::new()).err(),
        Some(PvmError::BadParam)
    );
}

/// One unpack call of any type, count and stride.
#[derive(Debug, Clone)]
enum Op {
    Ints(i32, i32),
    Shorts(i32, i32),
    Bytes(usize),
    Doubles(usize),
    Longs(usize),
    Str,
    Text,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<i32>(), any::<i32>()).prop_map(|(n, s)| Op::Ints(n, s)),
        (-2i32..6, -3i32..4).prop_map(|(n, s)| Op::Shorts(n, s)),
        prop_oneof![0usize..10, Just(usize::MAX)].prop_map(Op::Bytes),
        prop_oneof![0usize..4, Just(usize::MAX / 2)].prop_map(Op::Doubles),
        (0usize..4).prop_map(Op::Longs),
        Just(Op::Str),
        Just(Op::Text),
    ]
}

/// Runs one op; checks a failure is one of the codes unpacking may give and that it
/// left the cursor alone.
fn run(buf: &mut Buffer, op: &Op) -> Result<(), TestCaseError> {
    let before = buf.position();
    let mut slots = [0i32; 8];
    let mut shorts = [0i16; 8];
    let result = match *op {
        Op::Ints(n, s) => buf.upk(&mut slots, n, s),
        Op::Shorts(n, s) => buf.upk(&mut shorts, n, s),
        Op::Bytes(n) => buf.unpack_bytes(n).map(drop),
        Op::Doubles(n) => buf.unpack_vec::<f64>(n).map(drop),
        Op::Longs(n) => buf.unpack_vec::<i64>(n).map(drop),
        Op::Str => buf.upkstr().map(drop),
        Op::Text => buf.unpack_string().map(drop),
    };
    match result {
        Ok(()) => prop_assert!(buf.position() <= buf.len()),
        Err(e) => {
            prop_assert!(
                matches!(e, PvmError::NoData | PvmError::BadMsg | PvmError::BadParam),
                "unexpected {e:?}"
            );
            prop_assert_eq!(buf.position(), before);
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn any_bytes_any_unpack_sequence(
        body in proptest::collection::vec(any::<u8>(), 0..64),
        ops in proptest::collection::vec(op(), 0..16),
        enc in prop_oneof![Just(Encoding::Default), Just(Encoding::Raw), Just(Encoding::InPlace)],
    ) {
        let mut buf = received(enc, &body);
        for op in &ops {
            run(&mut buf, op)?;
        }
    }

    /// Strings whose length word is anything at all.
    #[test]
    fn any_string_length(len in any::<i32>(), tail in proptest::collection::vec(any::<u8>(), 0..32)) {
        let mut body = len.to_be_bytes().to_vec();
        body.extend(&tail);
        let mut buf = received(Encoding::Default, &body);
        run(&mut buf, &Op::Text)?;
        run(&mut buf, &Op::Str)?;
    }
}

/// PVM puts no types on the wire: unpacking other types than were packed reinterprets
/// the bytes or runs out of data, and never panics.
#[test]
fn wrong_types_reinterpret_or_fail_cleanly() {
    for enc in [Encoding::Default, Encoding::Raw] {
        let mut send = Buffer::new(enc);
        send.pack(&[1i32, 2, 3]).unwrap();
        let body = send.body();

        let mut b = Buffer::received(enc, body.clone());
        assert!(b.unpack::<f64>().is_ok());
        assert!(b.unpack::<Complex64>().is_err(), "only 4 bytes left");

        let mut b = Buffer::received(enc, body.clone());
        // The first word read as a string length: 1 byte, which is there.
        assert!(b.upkstr().is_ok());

        let mut b = Buffer::received(enc, body.clone());
        assert_eq!(b.unpack_vec::<i64>(4), Err(PvmError::NoData));
        assert_eq!(b.unpack_vec::<i16>(3).map(|v| v.len()), Ok(3));
    }
}
