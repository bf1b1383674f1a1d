//! PVM's error codes, one-to-one with a Rust error enum.
//!
//! Every error that crosses the API is one of PVM 3.4's codes, so the C ABI can hand the
//! integer back unchanged and `pvm_perror` prints the text a PVM programmer expects.

use std::fmt;

/// One of PVM 3.4's error codes (`PvmBadParam` = -2 ... `PvmIPLoopback` = -36).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[repr(i32)]
pub enum PvmError {
    #[error("Bad parameter")]
    BadParam = -2,
    #[error("Parameter mismatch")]
    Mismatch = -3,
    #[error("Value too large")]
    Overflow = -4,
    #[error("End of buffer")]
    NoData = -5,
    #[error("No such host")]
    NoHost = -6,
    #[error("No such file")]
    NoFile = -7,
    #[error("Permission denied")]
    Denied = -8,
    #[error("Malloc failed")]
    NoMem = -10,
    #[error("Can't decode message")]
    BadMsg = -12,
    #[error("Can't contact local daemon")]
    SysErr = -14,
    #[error("No current buffer")]
    NoBuf = -15,
    #[error("No such buffer")]
    NoSuchBuf = -16,
    #[error("Null group name")]
    NullGroup = -17,
    #[error("Already in group")]
    DupGroup = -18,
    #[error("No such group")]
    NoGroup = -19,
    #[error("Not in group")]
    NotInGroup = -20,
    #[error("No such instance")]
    NoInst = -21,
    #[error("Host failed")]
    HostFail = -22,
    #[error("No parent task")]
    NoParent = -23,
    #[error("Not implemented")]
    NotImpl = -24,
    #[error("Pvmd system error")]
    DSysErr = -25,
    #[error("Version mismatch")]
    BadVersion = -26,
    #[error("Out of resources")]
    OutOfRes = -27,
    #[error("Duplicate host")]
    DupHost = -28,
    #[error("Can't start pvmd")]
    CantStart = -29,
    #[error("Already in progress")]
    Already = -30,
    #[error("No such task")]
    NoTask = -31,
    #[error("Not Found")]
    NotFound = -32,
    #[error("Already Exists")]
    Exists = -33,
    #[error("Hoster must run on master host")]
    HostrNMstr = -34,
    #[error("Spawning parent set PvmNoParent")]
    ParentNotSet = -35,
    #[error("Master Host IP Address is Loopback! (See pvm3/Readme)")]
    IpLoopback = -36,
}

/// The result type of every libpvm call.
pub type Result<T, E = PvmError> = std::result::Result<T, E>;

impl PvmError {
    /// Every code, in numeric order from -2 down.
    pub const ALL: [PvmError; 32] = [
        Self::BadParam,
        Self::Mismatch,
        Self::Overflow,
        Self::NoData,
        Self::NoHost,
        Self::NoFile,
        Self::Denied,
        Self::NoMem,
        Self::BadMsg,
        Self::SysErr,
        Self::NoBuf,
        Self::NoSuchBuf,
        Self::NullGroup,
        Self::DupGroup,
        Self::NoGroup,
        Self::NotInGroup,
        Self::NoInst,
        Self::HostFail,
        Self::NoParent,
        Self::NotImpl,
        Self::DSysErr,
        Self::BadVersion,
        Self::OutOfRes,
        Self::DupHost,
        Self::CantStart,
        Self::Already,
        Self::NoTask,
        Self::NotFound,
        Self::Exists,
        Self::HostrNMstr,
        Self::ParentNotSet,
        Self::IpLoopback,
    ];

    /// The integer PVM uses for this error (always negative).
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The error for a PVM code; `None` for 0, positive numbers and unused codes.
    pub fn from_code(code: i32) -> Option<PvmError> {
        Self::ALL.iter().copied().find(|e| e.code() == code)
    }

    /// PVM's C name for the code, as `pvm_perror` users know it (`PvmNoTask`).
    pub fn name(self) -> &'static str {
        match self {
            Self::BadParam => "PvmBadParam",
            Self::Mismatch => "PvmMismatch",
            Self::Overflow => "PvmOverflow",
            Self::NoData => "PvmNoData",
            Self::NoHost => "PvmNoHost",
            Self::NoFile => "PvmNoFile",
            Self::Denied => "PvmDenied",
            Self::NoMem => "PvmNoMem",
            Self::BadMsg => "PvmBadMsg",
            Self::SysErr => "PvmSysErr",
            Self::NoBuf => "PvmNoBuf",
            Self::NoSuchBuf => "PvmNoSuchBuf",
            Self::NullGroup => "PvmNullGroup",
            Self::DupGroup => "PvmDupGroup",
            Self::NoGroup => "PvmNoGroup",
            Self::NotInGroup => "PvmNotInGroup",
            Self::NoInst => "PvmNoInst",
            Self::HostFail => "PvmHostFail",
            Self::NoParent => "PvmNoParent",
            Self::NotImpl => "PvmNotImpl",
            Self::DSysErr => "PvmDSysErr",
            Self::BadVersion => "PvmBadVersion",
            Self::OutOfRes => "PvmOutOfRes",
            Self::DupHost => "PvmDupHost",
            Self::CantStart => "PvmCantStart",
            Self::Already => "PvmAlready",
            Self::NoTask => "PvmNoTask",
            Self::NotFound => "PvmNotFound",
            Self::Exists => "PvmExists",
            Self::HostrNMstr => "PvmHostrNMstr",
            Self::ParentNotSet => "PvmParentNotSet",
            Self::IpLoopback => "PvmIPLoopback",
        }
    }
}

/// PVM's text for any code, as `pvm_strerror` gives it: "Error N" for unused codes.
pub fn strerror(code: i32) -> String {
    match PvmError::from_code(code) {
        Some(e) => e.to_string(),
        None => format!("Error {}", -code),
    }
}

impl From<PvmError> for i32 {
    fn from(e: PvmError) -> i32 {
        e.code()
    }
}

/// Displays a code the way PVM's console does: the text, with the name in parentheses.
pub struct Described(pub PvmError);

impl fmt::Display for Described {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.0, self.0.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for e in PvmError::ALL {
            assert_eq!(PvmError::from_code(e.code()), Some(e));
        }
        assert_eq!(PvmError::from_code(0), None);
        assert_eq!(PvmError::from_code(-9), None);
        assert_eq!(PvmError::from_code(-37), None);
    }

    #[test]
    fn texts_match_pvm() {
        assert_eq!(PvmError::NoTask.to_string(), "No such task");
        assert_eq!(strerror(-2), "Bad parameter");
        assert_eq!(strerror(-9), "Error 9");
        assert_eq!(PvmError::NoFile.code(), -7);
    }
}
