//! `pvm_errno`, `pvm_errlist`, `pvm_strerror`, `pvm_perror` and PvmAutoErr reporting.

use std::ffi::{c_char, c_int, CStr};
use std::io::Write;
use std::sync::atomic::{AtomicI32, Ordering};

use pvm::PvmError;

/// The last error of a `pvm_*` call (C sees `extern int pvm_errno`; an `AtomicI32` has
/// the same size and alignment as `int`).
#[no_mangle]
pub static pvm_errno: AtomicI32 = AtomicI32::new(0);

/// Entries in [`pvm_errlist`].
#[no_mangle]
pub static pvm_nerr: c_int = ERRLIST_LEN as c_int;

const ERRLIST_LEN: usize = 37;

/// A pointer to a static C string; such pointers are never written through, so sharing
/// them between threads is sound.
#[repr(transparent)]
pub struct StaticStr(*const c_char);

// SAFETY: the pointers refer to immutable 'static data.
unsafe impl Sync for StaticStr {}

macro_rules! errlist {
    ($($s:literal),* $(,)?) => { [$(StaticStr(concat!($s, "\0").as_ptr().cast())),*] };
}

/// PVM's error texts indexed by `-code` (C sees `extern char *pvm_errlist[]`).
#[no_mangle]
pub static pvm_errlist: [StaticStr; ERRLIST_LEN] = errlist![
    "Error 0",
    "Error 1",
    "Bad parameter",
    "Parameter mismatch",
    "Value too large",
    "End of buffer",
    "No such host",
    "No such file",
    "Permission denied",
    "Error 9",
    "Malloc failed",
    "Error 11",
    "Can't decode message",
    "Error 13",
    "Can't contact local daemon",
    "No current buffer",
    "No such buffer",
    "Null group name",
    "Already in group",
    "No such group",
    "Not in group",
    "No such instance",
    "Host failed",
    "No parent task",
    "Not implemented",
    "Pvmd system error",
    "Version mismatch",
    "Out of resources",
    "Duplicate host",
    "Can't start pvmd",
    "Already in progress",
    "No such task",
    "Not Found",
    "Already Exists",
    "Hoster must run on master host",
    "Spawning parent set PvmNoParent",
    "Master Host IP Address is Loopback! (See pvm3/Readme)",
];

/// Records `e` as the last error, reports it if PvmAutoErr says so, returns its code.
pub(crate) fn fail(call: &str, e: PvmError) -> c_int {
    record(e);
    pvm::global().report(call, e).code()
}

/// Records `e` as the last error without reporting it; returns its code.
pub(crate) fn record(e: PvmError) -> c_int {
    pvm_errno.store(e.code(), Ordering::Relaxed);
    e.code()
}

fn text_of(code: c_int) -> *const c_char {
    let i = code.unsigned_abs() as usize;
    match pvm_errlist.get(i) {
        Some(s) if code <= 0 => s.0,
        _ => c"Unknown error".as_ptr(),
    }
}

/// `pvm_strerror`: PVM's text for an error code.
#[no_mangle]
pub extern "C" fn pvm_strerror(code: c_int) -> *const c_char {
    crate::guard_value(c"Unknown error".as_ptr(), || text_of(code))
}

/// `pvm_perror`: prints `msg` and the text of the last error on stderr.
///
/// # Safety
/// `msg` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pvm_perror(msg: *const c_char) -> c_int {
    crate::guard("pvm_perror", || {
        let code = pvm_errno.load(Ordering::Relaxed);
        // SAFETY: text_of returns a pointer into pvm_errlist or a literal, both
        // NUL-terminated.
        let what = unsafe { CStr::from_ptr(text_of(code)) }.to_string_lossy();
        // Never join the virtual machine just to print an error.
        let g = pvm::global();
        let me = match g.is_joined() {
            true => g
                .mytid()
                .map(|t| t.to_string())
                .unwrap_or_else(|_| "pvm".into()),
            false => "pvm".into(),
        };
        // SAFETY: caller's contract for msg.
        let prefix = unsafe { crate::text(msg) }.unwrap_or_default();
        // A closed stderr loses the message; it must not panic (eprintln! would).
        let _ = writeln!(std::io::stderr(), "libpvm [{me}]: {prefix}: {what}");
        Ok(0)
    })
}
