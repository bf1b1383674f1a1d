//! Mailbox commands: names, put.

use bytes::{BufMut, Bytes, BytesMut};
use pvm::constants::PvmDataDefault;

use crate::console::format;
use crate::console::print;
use crate::console::session::Session;

/// `names [pattern]`: every entry whose name matches (all without a pattern).
pub fn names(s: &Session, pattern: Option<&str>) {
    let classes = match s.pvm.getmboxinfo(pattern.unwrap_or("*")) {
        Ok(c) => c,
        Err(e) => return s.lib_error("pvm_getmboxinfo", e),
    };
    let mut lines = Vec::new();
    for c in &classes {
        let entries = c.indices.iter().zip(&c.owners).zip(&c.flags);
        for ((index, owner), flags) in entries {
            lines.extend(format::names_entry(&c.name, *index, *owner, *flags));
        }
    }
    print::out(lines);
}

/// `put name flags text`: stores `text` as a message holding one packed string.
pub fn put(s: &Session, name: &str, flags: i32, text: &str) {
    if let Err(e) = s
        .pvm
        .putinfo_bytes(name, PvmDataDefault, xdr_string(text), flags)
    {
        s.lib_error("pvm_putinfo", e);
    }
}

/// `text` as `pvm_pkstr` packs it in PvmDataDefault: a big-endian length counting the
/// terminating NUL, the bytes, the NUL, zero padding to a multiple of four.
fn xdr_string(text: &str) -> Bytes {
    let with_nul = text.len() + 1;
    let mut b = BytesMut::with_capacity(4 + with_nul + 3);
    // The console reads one line of text; it cannot exceed u32.
    b.put_u32(u32::try_from(with_nul).unwrap_or(u32::MAX));
    b.put_slice(text.as_bytes());
    b.put_u8(0);
    b.put_bytes(0, (4 - with_nul % 4) % 4);
    b.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_is_length_prefixed_nul_terminated_and_padded() {
        assert_eq!(&xdr_string("abc")[..], b"\0\0\0\x04abc\0");
        assert_eq!(&xdr_string("abcd")[..], b"\0\0\0\x05abcd\0\0\0\0");
        assert_eq!(&xdr_string("")[..], b"\0\0\0\x01\0\0\0\0");
    }
}
