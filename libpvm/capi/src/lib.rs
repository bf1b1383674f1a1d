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
//!
//! Beyond pvm3.h, the library exports what Debian's PVM programs import from PVM's own
//! libpvm3 (`internals`: `lpvmerr`, `pvmgetclock`, `pvmnametag`, the exported
//! variables...; `tev`: the trace tables and masks; `handlers`: `pvmdisplaymhfinfo`),
//! so the console, tracer, trcsort, srm.pvm and the examples load; a test checks the
//! whole set against their ELF files.
//!
//! The one piece of C, `src/packf.c` (built by `build.rs`), is the variadic
//! `pvm_packf`/`pvm_unpackf`: it reads the C arguments per conversion and calls this
//! crate's `pvm_pk*`/`pvm_upk*`, so every check of theirs applies.

#![allow(non_snake_case)]

/// A PVM data type code (`PVM_INT`...) as a Rust type, for the calls that take one
/// (psend, precv, reduce, gather, scatter): calls `$f::<T>(args)`. C `long` is
/// the platform's.
macro_rules! by_type {
    ($datatype:expr, $f:ident, $($args:expr),*) => {
        match $datatype {
            0 | 1 => $f::<i8>($($args),*),
            2 => $f::<std::ffi::c_short>($($args),*),
            3 => $f::<std::ffi::c_int>($($args),*),
            4 => $f::<f32>($($args),*),
            5 => $f::<pvm::pack::Complex32>($($args),*),
            6 => $f::<f64>($($args),*),
            7 => $f::<pvm::pack::Complex64>($($args),*),
            8 => $f::<std::ffi::c_long>($($args),*),
            9 => $f::<u16>($($args),*),
            10 => $f::<u32>($($args),*),
            11 => $f::<u64>($($args),*),
            _ => Err(pvm::PvmError::BadParam),
        }
    };
}

mod buffers;
mod collective;
mod errors;
mod fds;
mod groups;
mod handlers;
mod info;
mod internals;
mod mailbox;
mod messaging;
mod minfo;
mod options;
mod process;
mod registry;
mod stdio;
pub mod tev;

pub use collective::ReduceFn;
pub use errors::{pvm_errlist, pvm_errno, pvm_nerr};
pub use info::{PvmHostInfo, PvmTaskInfo};
pub use mailbox::PvmMboxInfo;
pub use minfo::PvmMinfo;

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

/// Runs `f` and returns its result in PVM's convention, turning a panic (a bug, never
/// expected) into `PvmSysErr` rather than unwinding into C. Recording and reporting the
/// error run inside the guard too; after a panic the code is only recorded, since the
/// report may be what panicked.
fn guard(call: &str, f: impl FnOnce() -> Result<c_int, PvmError>) -> c_int {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ret(call, f()))) {
        Ok(v) => v,
        Err(_) => errors::record(PvmError::SysErr),
    }
}

/// [`guard`] for an exported function outside PVM's return convention (a pointer, a
/// plain value): `fallback` if `f` panics.
fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(fallback)
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

/// The process's task, with the exported variables brought up to date first
/// (`internals::sync_globals`).
fn global() -> &'static pvm::Pvm {
    let g = pvm::global();
    internals::sync_globals(g);
    g
}
