//! The three data encodings a PVM buffer can use, and their integer codes.

use crate::error::{PvmError, Result};

/// How a buffer lays its data out, chosen at `mkbuf`/`initsend` time.
///
/// The integer codes are PVM 3.4's (`PvmDataDefault` = 0, `PvmDataRaw` = 1,
/// `PvmDataInPlace` = 2), so the C ABI passes them through unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// XDR (RFC 4506): big-endian, every item padded to a 4-byte unit. Any host can read it.
    #[default]
    Default,
    /// The host's native layout, items packed back to back with no padding. Only hosts of
    /// the same architecture can read it, but no conversion is done at either end.
    Raw,
    /// In PVM the data is not copied at pack time: the message refers to the caller's
    /// memory and reads it at send time. This library copies at pack time (Rust's
    /// borrowing would otherwise pin the caller's data until send), but keeps the rest of
    /// the contract: only contiguous data (stride 1), no strings, and the buffer cannot be
    /// unpacked by the task that packed it. On the wire it is [`Encoding::Raw`].
    InPlace,
}

/// PVM's `PvmDataTrace`: the tracer's private encoding, which this library does not offer.
const TRACE_CODE: i32 = 4;

impl Encoding {
    /// The `PvmData*` integer for this encoding.
    pub fn code(self) -> i32 {
        match self {
            Self::Default => 0,
            Self::Raw => 1,
            Self::InPlace => 2,
        }
    }

    /// The encoding for a `PvmData*` integer.
    ///
    /// `PvmDataTrace` gives [`PvmError::NotImpl`]; any other unknown value
    /// [`PvmError::BadParam`], as `pvm_mkbuf` answers.
    pub fn from_code(code: i32) -> Result<Self> {
        match code {
            0 => Ok(Self::Default),
            1 => Ok(Self::Raw),
            2 => Ok(Self::InPlace),
            TRACE_CODE => Err(PvmError::NotImpl),
            _ => Err(PvmError::BadParam),
        }
    }

    /// Whether items are written in XDR (big-endian, 4-byte units).
    pub(crate) fn is_xdr(self) -> bool {
        self == Self::Default
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for e in [Encoding::Default, Encoding::Raw, Encoding::InPlace] {
            assert_eq!(Encoding::from_code(e.code()), Ok(e));
        }
        assert_eq!(Encoding::from_code(4), Err(PvmError::NotImpl));
        assert_eq!(Encoding::from_code(3), Err(PvmError::BadParam));
        assert_eq!(Encoding::from_code(-1), Err(PvmError::BadParam));
    }
}
