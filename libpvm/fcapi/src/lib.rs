//! libfpvm3: PVM 3.4's Fortran interface (the `pvmf*` routines, `include/fpvm3.h`)
//! over libpvm3's C interface.
//!
//! Each routine is the C call of the same name behind gfortran's calling convention:
//! the symbol carries a trailing underscore, every argument comes by reference, the
//! result is stored through the last argument (`info`, `bufid`, `tid`...) instead of
//! being returned, and every CHARACTER argument adds a hidden length (`size_t`, in
//! argument order) after the visible ones. The work, the checks, `pvm_errno` and
//! PvmAutoErr reporting are the C routines' (`c`): a Fortran program sees exactly
//! what a C program would, converted.
//!
//! Fortran strings are blank-padded and carry no terminator (`strings`): an input is
//! read up to its hidden length (or an embedded NUL), trailing blanks dropped; an
//! output is copied and blank-padded to the length. A hidden length beyond
//! [`strings::MAX_LEN`] is refused with PvmBadParam before anything is read or written,
//! so a hostile length cannot walk off into memory.
//!
//! Where PVM's Fortran interface differs from C it is kept as PVM 3.4 documents it:
//! `pvmfconfig`, `pvmftasks` and `pvmfgetmboxinfo` hand out one entry per call and
//! cycle (`info`), `pvmfsiblings` reads one index, `pvmfcatchout` turns collection on
//! or off onto stdout, `pvmfspawn`'s `where` of `'*'` means anywhere, and the STRING
//! data type packs its characters as bytes.
//!
//! Every routine of PVM 3.4.6's libfpvm3 is here but pvmfaddmhf/pvmfdelmhf, for which
//! PVM documents no Fortran form; pvmfhostsync answers PvmNotImpl, with a warning, until
//! the C library has `pvm_hostsync`. Beyond PVM 3.4.6's library, the manual's names
//! `pvmftidtoh` and PVM 3.3's `pvmfserror`/`pvmfadvise`, `pvmfgetminfo` and
//! `pvmfsetminfo` are provided.
//!
//! Every routine runs inside a panic guard: a bug becomes PvmSysErr in the result
//! argument, never an unwind into Fortran.

#![allow(non_snake_case)]

mod c;
mod groups;
mod info;
mod mailbox;
mod messages;
mod process;
mod strings;

use std::ffi::c_int;

use pvm::PvmError;

/// Stores `v` through a Fortran result argument (skipped if a C caller passed NULL).
///
/// # Safety
/// `p` is NULL or points to a writable INTEGER.
unsafe fn put(p: *mut c_int, v: c_int) {
    if !p.is_null() {
        // SAFETY: non-NULL and writable by the caller's contract.
        unsafe { *p = v };
    }
}

/// Reads a Fortran INTEGER argument; a NULL from a C caller reads as `PvmBadParam`.
///
/// # Safety
/// `p` is NULL or points to a readable INTEGER.
unsafe fn get(p: *const c_int) -> Result<c_int, c_int> {
    if p.is_null() {
        return Err(PvmError::BadParam.code());
    }
    // SAFETY: non-NULL and readable by the caller's contract.
    Ok(unsafe { *p })
}

/// Runs the body of a routine and stores its result (a value, or a negative PVM code)
/// through `out`. A panic (a bug, never expected) stores PvmSysErr instead of
/// unwinding into Fortran.
///
/// # Safety
/// `out` is NULL or points to a writable INTEGER.
unsafe fn call(out: *mut c_int, f: impl FnOnce() -> Result<c_int, c_int>) {
    let v = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) | Ok(Err(v)) => v,
        Err(_) => PvmError::SysErr.code(),
    };
    // SAFETY: the caller's contract.
    unsafe { put(out, v) };
}

/// A routine's error found before any C call (a bad string, a NULL): recorded in
/// `pvm_errno` and reported under PvmAutoErr as the C library would, returned as the
/// code.
fn fail(routine: &str, e: PvmError) -> c_int {
    pvm3::pvm_errno.store(e.code(), std::sync::atomic::Ordering::Relaxed);
    pvm::global().report(routine, e).code()
}
