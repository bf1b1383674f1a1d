//! libpvm3: PVM 3.4's C interface (`pvm3.h`, in `include/`) over libpvm.
//!
//! A thin layer: every `pvm_*` function converts its C arguments, calls the process's
//! [`pvm::global`] task, and turns the result into PVM's return convention (a value
//! `>= 0`, or a negative PVM error code that is also stored in `pvm_errno` and, with
//! `PvmAutoErr`, reported on stderr). No logic of its own lives here.
//!
//! Hostile arguments (NULL pointers, negative counts, strides reaching outside what C
//! said it has, unknown buffer ids or tids) come back as PVM error codes; nothing
//! unwinds across the C boundary. All `unsafe` in the project's PVM stack is in this
//! crate, each block with the reason it is sound.

#![allow(non_snake_case)]

mod buffers;
mod errors;
mod groups;
mod info;
mod mailbox;
mod messaging;
mod options;
mod process;

pub use errors::{pvm_errlist, pvm_errno, pvm_nerr};

use std::ffi::{c_char, c_int, CStr};

use pvm::{PvmError, Tid};

/// The result of a call as C sees it: the value, or the (negative) error code after
/// recording and reporting it as PVM does.
fn ret(call: &str, r: Result<c_int, PvmError>) -> c_int {
    match r {
        Ok(v) => v,
        Err(e) => errors::fail(call, e),
    }
}

/// Runs `f`, turning a panic (a bug, never expected) into `PvmSysErr` rather than
/// unwinding into C.
fn guard(call: &str, f: impl FnOnce() -> Result<c_int, PvmError>) -> c_int {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => ret(call, r),
        Err(_) => errors::fail(call, PvmError::SysErr),
    }
}

/// A C string argument as text; NULL is `PvmBadParam`, invalid UTF-8 is taken lossily.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that lives for `'a`.
unsafe fn text<'a>(p: *const c_char) -> Result<std::borrow::Cow<'a, str>, PvmError> {
    if p.is_null() {
        return Err(PvmError::BadParam);
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    Ok(unsafe { CStr::from_ptr(p) }.to_string_lossy())
}

/// A tid argument; negative values are not tids.
fn tid(raw: c_int) -> Result<Tid, PvmError> {
    Tid::from_raw(raw).ok_or(PvmError::BadParam)
}

fn global() -> &'static pvm::Pvm {
    pvm::global()
}
