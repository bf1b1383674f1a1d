//! PvmDataDefault layout checked byte by byte against XDR (RFC 4506) and PVM 3.4's use
//! of it: big-endian 4-byte units, zero padding, PVM's string and short conventions.

use pvm::error::PvmError;
use pvm::pack::{Buffer, Complex32, Complex64, Encoding};

fn xdr(fill: impl FnOnce(&mut Buffer) -> Result<(), PvmError>) -> Vec<u8> {
    let mut b = Buffer::new(Encoding::Default);
    fill(&mut b).expect("packing succeeds");
    b.body().to_vec()
}

#[test]
fn int_is_four_bytes_big_endian_twos_complement() {
    let got = xdr(|b| b.pk(&[1i32, -2, 0x1234_5678], 3, 1));
    assert_eq!(
        got,
        [0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0x12, 0x34, 0x56, 0x78]
    );
    assert_eq!(xdr(|b| b.pk(&[u32::MAX], 1, 1)), [0xff; 4]);
}

#[test]
fn short_takes_a_whole_sign_extended_unit() {
    assert_eq!(
        xdr(|b| b.pk(&[1i16, -2, i16::MIN], 3, 1)),
        [0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0x80, 0]
    );
    // PVM packs unsigned shorts through the signed path: 0xffff becomes all ones.
    assert_eq!(
        xdr(|b| b.pk(&[0xffffu16, 0x8000, 0x7fff], 3, 1)),
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0, 0, 0, 0x7f, 0xff]
    );
}

#[test]
fn long_is_a_32_bit_unit_or_overflow() {
    assert_eq!(
        xdr(|b| b.pk(&[-1i64, i64::from(i32::MAX)], 2, 1)),
        [0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]
    );
    assert_eq!(xdr(|b| b.pk(&[u64::from(u32::MAX)], 1, 1)), [0xff; 4]);
    let mut b = Buffer::new(Encoding::Default);
    assert_eq!(
        b.pk(&[i64::from(i32::MAX) + 1], 1, 1),
        Err(PvmError::Overflow)
    );
    assert_eq!(
        b.pk(&[i64::from(i32::MIN) - 1], 1, 1),
        Err(PvmError::Overflow)
    );
    assert_eq!(b.pk(&[1u64 << 32], 1, 1), Err(PvmError::Overflow));
    // With a stride only the selected items must fit.
    let mixed = [1i64, 1 << 40, -1];
    assert_eq!(b.pk(&mixed, 2, 1), Err(PvmError::Overflow));
    assert_eq!(b.pk(&mixed, 2, -2), Ok(()));
    assert_eq!(b.body().to_vec(), [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1]);
    let mut b = Buffer::new(Encoding::Default);
    assert_eq!(b.pk(&[1 << 40, 0, 1i64], 2, 2), Err(PvmError::Overflow));
    assert!(b.is_empty(), "a refused pack leaves nothing behind");
}

#[test]
fn bytes_are_opaque_with_zero_padding_per_call() {
    assert_eq!(xdr(|b| b.pk(&[1u8], 1, 1)), [1, 0, 0, 0]);
    assert_eq!(xdr(|b| b.pk(&[1u8, 2, 3, 4], 4, 1)), [1, 2, 3, 4]);
    assert_eq!(
        xdr(|b| b.pk(&[1i8, 2, 3, 4, -1], 5, 1)),
        [1, 2, 3, 4, 0xff, 0, 0, 0]
    );
    assert_eq!(
        xdr(|b| {
            b.pk(&[1u8], 1, 1)?;
            b.pk(&[2u8], 1, 1)
        }),
        [1, 0, 0, 0, 2, 0, 0, 0]
    );
    assert_eq!(xdr(|b| b.pk::<u8>(&[], 0, 1)), [] as [u8; 0]);
}

#[test]
fn float_and_double_are_ieee_big_endian() {
    assert_eq!(
        xdr(|b| b.pk(&[1.0f32, -2.5], 2, 1)),
        [0x3f, 0x80, 0, 0, 0xc0, 0x20, 0, 0]
    );
    assert_eq!(
        xdr(|b| b.pk(&[1.0f64, -2.5], 2, 1)),
        [0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0xc0, 0x04, 0, 0, 0, 0, 0, 0]
    );
}

#[test]
fn complex_is_real_then_imaginary() {
    assert_eq!(
        xdr(|b| b.pk(&[Complex32::new(1.0, -2.5)], 1, 1)),
        [0x3f, 0x80, 0, 0, 0xc0, 0x20, 0, 0]
    );
    assert_eq!(
        xdr(|b| b.pk(&[Complex64::new(-2.5, 1.0)], 1, 1)),
        [0xc0, 0x04, 0, 0, 0, 0, 0, 0, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]
    );
}

#[test]
fn string_is_length_with_nul_then_padded_bytes() {
    assert_eq!(xdr(|b| b.pkstr(b"")), [0, 0, 0, 1, 0, 0, 0, 0]);
    assert_eq!(xdr(|b| b.pkstr(b"abc")), [0, 0, 0, 4, b'a', b'b', b'c', 0]);
    assert_eq!(
        xdr(|b| b.pack("abcd").map(drop)),
        [0, 0, 0, 5, b'a', b'b', b'c', b'd', 0, 0, 0, 0]
    );
    assert_eq!(
        xdr(|b| b.pack("abc")?.pack(&7i32).map(drop)),
        [0, 0, 0, 4, b'a', b'b', b'c', 0, 0, 0, 0, 7]
    );
}

#[test]
fn stride_selects_every_nth_item() {
    let items = [10i32, 11, 12, 13, 14];
    assert_eq!(
        xdr(|b| b.pk(&items, 3, 2)),
        [0, 0, 0, 10, 0, 0, 0, 12, 0, 0, 0, 14]
    );
    assert_eq!(xdr(|b| b.pk(&items, 2, 0)), [0, 0, 0, 10, 0, 0, 0, 10]);
    // A negative stride walks down from the last item of the span.
    assert_eq!(
        xdr(|b| b.pk(&items[1..4], 2, -2)),
        [0, 0, 0, 13, 0, 0, 0, 11]
    );
    assert_eq!(xdr(|b| b.pk(b"abcdef", 3, 2)), [b'a', b'c', b'e', 0]);
}

#[test]
fn raw_is_native_and_unpadded() {
    let mut b = Buffer::new(Encoding::Raw);
    b.pk(&[1u8], 1, 1).unwrap();
    b.pk(&[0x0102i16], 1, 1).unwrap();
    b.pk(&[-3i64], 1, 1).unwrap();
    b.pkstr(b"ab").unwrap();
    let mut want = vec![1u8];
    want.extend(0x0102i16.to_ne_bytes());
    want.extend((-3i64).to_ne_bytes());
    want.extend(3i32.to_ne_bytes());
    want.extend(b"ab\0");
    assert_eq!(b.body().to_vec(), want);
}
