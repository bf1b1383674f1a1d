//! The few XDR (PvmDataDefault) bodies pvmd packs itself: notifications and output.
//!
//! XDR ints are 4 bytes big-endian; a byte array packed with `pvm_pkbyte` is the bytes
//! themselves, padded with zeros to a multiple of 4.

use bytes::{BufMut, Bytes, BytesMut};
use pvm::tid::Tid;

/// A body of XDR ints.
pub fn ints(values: &[i32]) -> Bytes {
    let mut b = BytesMut::with_capacity(values.len() * 4);
    for v in values {
        b.put_i32(*v);
    }
    b.freeze()
}

/// An output message body: int tid, int count, the bytes (count > 0).
pub fn output_data(tid: Tid, data: &[u8]) -> Bytes {
    let count = i32::try_from(data.len()).unwrap_or(i32::MAX);
    let mut b = BytesMut::with_capacity(8 + data.len() + 3);
    b.put_i32(tid.raw());
    b.put_i32(count);
    b.put_slice(&data[..count as usize]);
    b.put_bytes(0, (4 - data.len() % 4) % 4);
    b.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_padded_to_four() {
        let b = output_data(Tid(0x40001), b"hello");
        assert_eq!(b.len(), 8 + 8);
        assert_eq!(&b[..8], &[0, 4, 0, 1, 0, 0, 0, 5]);
        assert_eq!(&b[8..], b"hello\0\0\0");
        assert_eq!(&ints(&[-1])[..], &[0xff; 4]);
    }
}
