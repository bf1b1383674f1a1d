//! The XDR (PvmDataDefault) bodies of notifications, which pvmd packs itself. Output
//! messages have their own codec, shared with their readers: [`pvm::proto::output`].
//!
//! XDR ints are 4 bytes big-endian.

use bytes::{BufMut, Bytes, BytesMut};

/// A body of XDR ints.
pub fn ints(values: &[i32]) -> Bytes {
    let mut b = BytesMut::with_capacity(values.len() * 4);
    for v in values {
        b.put_i32(*v);
    }
    b.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_are_big_endian() {
        assert_eq!(&ints(&[-1])[..], &[0xff; 4]);
        assert_eq!(&ints(&[0x40001, 5])[..], &[0, 4, 0, 1, 0, 0, 0, 5]);
    }
}
