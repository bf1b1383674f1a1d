//! Task identifiers in PVM 3.4's layout.
//!
//! A tid is a 32-bit integer: bits 18-29 name the host (host number `h` gives
//! `h << 18`), bits 0-17 the task on that host. A pvmd is its host part with local
//! part 0, so the first host's daemon is `t40000` and its tasks `t40001`, `t40002`...
//! Bit 30 marks a multicast address. PVM prints tids in lower-case hex after a `t`.

use std::fmt;
use std::str::FromStr;

/// Bits of the host part.
pub const TIDHOST: u32 = 0x3ffc_0000;
/// Bits of the task-local part.
pub const TIDLOCAL: u32 = 0x0003_ffff;
/// Marks a multicast (group) address.
pub const TIDGID: u32 = 0x4000_0000;
/// How far the host part is shifted.
pub const HOST_SHIFT: u32 = 18;
/// The largest host number a tid can carry.
pub const MAX_HOST: u32 = TIDHOST >> HOST_SHIFT;
/// The largest task-local number a tid can carry.
pub const MAX_LOCAL: u32 = TIDLOCAL;

/// A PVM task id. Negative values are never tids (they are error codes in the C API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Tid(pub u32);

impl Tid {
    /// The tid of task `local` on host number `host` (1 is the first host).
    pub fn new(host: u32, local: u32) -> Tid {
        Tid(((host << HOST_SHIFT) & TIDHOST) | (local & TIDLOCAL))
    }

    /// The tid of the pvmd of host number `host`.
    pub fn pvmd(host: u32) -> Tid {
        Tid::new(host, 0)
    }

    /// The host number (1 for `t40001`).
    pub fn host(self) -> u32 {
        (self.0 & TIDHOST) >> HOST_SHIFT
    }

    /// The task-local number (1 for `t40001`).
    pub fn local(self) -> u32 {
        self.0 & TIDLOCAL
    }

    /// The tid of the pvmd on this tid's host.
    pub fn host_daemon(self) -> Tid {
        Tid(self.0 & TIDHOST)
    }

    /// Whether this is a daemon's tid (local part 0, host part set).
    pub fn is_pvmd(self) -> bool {
        self.local() == 0 && self.host() != 0
    }

    /// The raw value, as the C API hands it out.
    pub fn raw(self) -> i32 {
        self.0 as i32
    }

    /// A tid from the C API's `int`; negative values (error codes) are rejected.
    pub fn from_raw(raw: i32) -> Option<Tid> {
        (raw >= 0).then_some(Tid(raw as u32))
    }
}

impl fmt::Display for Tid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t{:x}", self.0)
    }
}

impl fmt::LowerHex for Tid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::LowerHex::fmt(&self.0, f)
    }
}

/// A string that is not a tid (`t40001`, `40001` or `0x40001`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a task id: {0:?}")]
pub struct ParseTidError(pub String);

impl FromStr for Tid {
    type Err = ParseTidError;

    /// Accepts what PVM prints (`t4000a`) and what the console accepts (`4000a`, `0x4000a`).
    fn from_str(s: &str) -> Result<Tid, ParseTidError> {
        let t = s.trim();
        let hex = t
            .strip_prefix('t')
            .or_else(|| t.strip_prefix("0x"))
            .unwrap_or(t);
        u32::from_str_radix(hex, 16)
            .ok()
            .filter(|v| *v <= i32::MAX as u32)
            .map(Tid)
            .ok_or_else(|| ParseTidError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_pvm() {
        assert_eq!(Tid::pvmd(1).to_string(), "t40000");
        assert_eq!(Tid::new(1, 1).to_string(), "t40001");
        assert_eq!(Tid::new(1, 10).to_string(), "t4000a");
        assert_eq!(Tid::new(2, 1).to_string(), "t80001");
        let t = Tid::new(3, 7);
        assert_eq!((t.host(), t.local()), (3, 7));
        assert_eq!(t.host_daemon(), Tid::pvmd(3));
        assert!(Tid::pvmd(1).is_pvmd());
        assert!(!Tid::new(1, 1).is_pvmd());
    }

    #[test]
    fn parses_printed_forms() {
        assert_eq!("t4000a".parse(), Ok(Tid(0x4000a)));
        assert_eq!("4000a".parse(), Ok(Tid(0x4000a)));
        assert_eq!("0x40001".parse(), Ok(Tid(0x40001)));
        assert!("zz".parse::<Tid>().is_err());
        assert!("t".parse::<Tid>().is_err());
        assert!("tffffffff".parse::<Tid>().is_err());
    }

    #[test]
    fn raw_rejects_error_codes() {
        assert_eq!(Tid::from_raw(-31), None);
        assert_eq!(Tid::from_raw(0x40001), Some(Tid(0x40001)));
    }
}
