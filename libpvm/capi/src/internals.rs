//! Symbols of PVM 3.4's libpvm3 that are not in pvm3.h but that Debian's PVM programs
//! import (the console, tracer, trcsort, srm.pvm, the examples): error reporting
//! (`lpvmerr`), clock and sleep helpers, the environment helpers the console uses
//! (`pvmputenv`, `pvmgetrsh`, `pvmgettmp`, `pvmstrtoi`), `pvmreset` and `pvmendtask`,
//! the names of PVM's system message tags (`pvmnametag`), the allocator wrappers
//! (`pvm_alloc`...), and the library's exported variables (`pvm_useruid`,
//! `pvm_inprecv`, `pvmdebmask`, `pvmmyctx`).
//!
//! Exported variables are atomics of C's `int` layout. Those that mirror the library's
//! state are brought up to date by [`sync_globals`], which every call of the C
//! interface runs first; `pvmmyctx`, which PVM programs (srm.pvm) also write to send
//! in another context, is read back there too.

use std::ffi::{c_char, c_int, c_uint, c_void, CString};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, OnceLock};

use pvm::PvmError;

use crate::{guard, guard_value};

/// The user id the task runs as (C sees `int pvm_useruid`); -1 until the library is
/// first used, as in PVM.
#[no_mangle]
pub static pvm_useruid: AtomicI32 = AtomicI32::new(-1);

/// 1 while the task is inside `pvm_precv` (C sees `int pvm_inprecv`).
#[no_mangle]
pub static pvm_inprecv: AtomicI32 = AtomicI32::new(0);

/// The library's debug mask (`PvmDebugMask`; C sees `int pvmdebmask`).
#[no_mangle]
pub static pvmdebmask: AtomicI32 = AtomicI32::new(0);

/// The context messages are sent and received in (C sees `int pvmmyctx`). A program
/// may set it; the next call of the library then switches to that context.
#[no_mangle]
pub static pvmmyctx: AtomicI32 = AtomicI32::new(0);

/// The last context published in [`pvmmyctx`], to tell a program's write from ours.
static PUBLISHED_CTX: AtomicI32 = AtomicI32::new(0);

/// Brings the exported variables up to date with the library, and the library with a
/// context the program wrote into `pvmmyctx`. Runs at the start of every call.
pub(crate) fn sync_globals(g: &pvm::Pvm) {
    if pvm_useruid.load(Ordering::Relaxed) == -1 {
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        pvm_useruid.store(i32::try_from(uid).unwrap_or(i32::MAX), Ordering::Relaxed);
    }
    let written = pvmmyctx.load(Ordering::Relaxed);
    if written != PUBLISHED_CTX.load(Ordering::Relaxed) {
        if let Err(e) = g.setcontext(written) {
            tracing::warn!("pvmmyctx = {written}: not a context of this task ({e})");
        }
    }
    publish_context(g.getcontext());
}

/// Records `ctx` as the current context in `pvmmyctx`.
pub(crate) fn publish_context(ctx: i32) {
    PUBLISHED_CTX.store(ctx, Ordering::Relaxed);
    pvmmyctx.store(ctx, Ordering::Relaxed);
}

/// `lpvmerr(f, code)`: records `code` as the last error and reports it for call `f` as
/// PvmAutoErr says (PVM's own error path, which its examples call directly). Returns
/// `code`.
///
/// # Safety
/// `f` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn lpvmerr(f: *const c_char, code: c_int) -> c_int {
    guard_value(code, || {
        // SAFETY: caller's contract.
        let call = unsafe { crate::text(f) }.unwrap_or_default();
        match PvmError::from_code(code) {
            Some(e) if code < 0 => crate::errors::fail(&call, e),
            _ => code,
        }
    })
}

/// `pvmgetclock(tv)`: the time of day into `*tv` (as `gettimeofday`).
///
/// # Safety
/// `tv` is NULL or writable for one `struct timeval`.
#[no_mangle]
pub unsafe extern "C" fn pvmgetclock(tv: *mut libc::timeval) -> c_int {
    guard_value(-1, || {
        if tv.is_null() {
            return -1;
        }
        // SAFETY: tv is writable by the caller's contract; no time zone is asked for.
        unsafe { libc::gettimeofday(tv, std::ptr::null_mut()) }
    })
}

/// `pvmputenv(s)`: sets `NAME=VALUE` in the environment (spawned tasks get what
/// PVM_EXPORT names of it). 0, or -1 for a string without `=` or name.
///
/// # Safety
/// `s` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvmputenv(s: *const c_char) -> c_int {
    guard_value(-1, || {
        // SAFETY: caller's contract.
        let Ok(text) = (unsafe { crate::text(s) }) else {
            return -1;
        };
        match text.split_once('=') {
            Some((name, value)) if !name.is_empty() && !name.contains('\0') => {
                std::env::set_var(name, value);
                0
            }
            _ => -1,
        }
    })
}

/// Strings handed to C that must live as long as the process (one per name).
fn lasting(slot: &'static OnceLock<Mutex<CString>>, value: String) -> *const c_char {
    let cell = slot.get_or_init(|| Mutex::new(CString::default()));
    let mut s = cell.lock().unwrap_or_else(|p| p.into_inner());
    let fresh = CString::new(value).unwrap_or_default();
    if *s != fresh {
        // The previous text is kept alive: a caller may still hold it.
        std::mem::forget(std::mem::replace(&mut *s, fresh));
    }
    s.as_ptr()
}

/// `pvmgetrsh()`: the remote shell pvmd starts other hosts' pvmds with: `$PVM_RSH`, or
/// what our pvmd uses without it.
#[no_mangle]
pub extern "C" fn pvmgetrsh() -> *const c_char {
    static RSH: OnceLock<Mutex<CString>> = OnceLock::new();
    guard_value(std::ptr::null(), || {
        let rsh = std::env::var("PVM_RSH")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "ssh".into());
        lasting(&RSH, rsh)
    })
}

/// `pvmgettmp()`: the folder of PVM's runtime files: `$PVM_TMP`, else `/tmp`.
#[no_mangle]
pub extern "C" fn pvmgettmp() -> *const c_char {
    static TMP: OnceLock<Mutex<CString>> = OnceLock::new();
    guard_value(std::ptr::null(), || {
        let tmp = std::env::var("PVM_TMP")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "/tmp".into());
        lasting(&TMP, tmp)
    })
}

/// PVM's `pvmstrtoi`: a number in C's notation (`0x` hex, leading `0` octal, else
/// decimal with an optional sign), read as far as its digits go; 0 if none.
pub(crate) fn strtoi(s: &str) -> i32 {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, h)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    let v = digits
        .chars()
        .map_while(|c| c.to_digit(radix))
        .fold(0i32, |acc, d| {
            acc.wrapping_mul(radix as i32).wrapping_add(d as i32)
        });
    if neg {
        v.wrapping_neg()
    } else {
        v
    }
}

/// `pvmstrtoi(s)`: see [`strtoi`].
///
/// # Safety
/// `s` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvmstrtoi(s: *const c_char) -> c_int {
    // SAFETY: caller's contract.
    guard_value(0, || unsafe { crate::text(s) }.map_or(0, |t| strtoi(&t)))
}

/// `pvmreset(mytid, killtasks, class, index)`: the console's `reset`. With
/// `killtasks` every task but the caller and those with PvmNoReset is killed, and pvmd
/// drops the mailbox entries of the dead.
///
/// # Safety
/// `class` is NULL or a C string (not used: pvmd tidies the mailbox itself).
#[no_mangle]
pub unsafe extern "C" fn pvmreset(
    _mytid: c_int,
    killtasks: c_int,
    _class: *const c_char,
    _index: c_int,
) -> c_int {
    guard("pvmreset", || {
        if killtasks != 0 {
            crate::global().reset()?;
        }
        Ok(0)
    })
}

/// `pvmendtask()`: ends this task's membership of the virtual machine (what pvm_exit
/// does after its own bookkeeping); the next call joins again as a new task.
#[no_mangle]
pub extern "C" fn pvmendtask() -> c_int {
    guard("pvmendtask", || crate::global().exit().map(|_| 0))
}

/// `i_dump(how)`: PVM's debugging allocator dumps its heap accounting here. Ours keeps
/// none (memory is Rust's and libc's), which the log says.
#[no_mangle]
pub extern "C" fn i_dump(how: c_int) -> c_int {
    guard_value(0, || {
        tracing::warn!("i_dump({how}): this libpvm3 keeps no heap accounting to dump");
        0
    })
}

/// `pvm_alloc(len)`: `malloc` as PVM's library uses it (never NULL for a 0 length).
#[no_mangle]
pub extern "C" fn pvm_alloc(len: c_uint) -> *mut c_void {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: malloc with a non-zero size has no preconditions.
        let p = unsafe { libc::malloc(len.max(1) as usize) };
        if p.is_null() {
            tracing::warn!("pvm_alloc: cannot allocate {len} bytes");
        }
        p
    })
}

/// `pvm_realloc(p, len)`: `realloc`.
///
/// # Safety
/// `p` is NULL or came from `pvm_alloc`/`pvm_realloc` and was not freed.
#[no_mangle]
pub unsafe extern "C" fn pvm_realloc(p: *mut c_void, len: c_uint) -> *mut c_void {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: p is a live allocation of malloc's or NULL (caller's contract).
        let q = unsafe { libc::realloc(p, len.max(1) as usize) };
        if q.is_null() {
            tracing::warn!("pvm_realloc: cannot allocate {len} bytes");
        }
        q
    })
}

/// `pvm_free(p)`: `free`.
///
/// # Safety
/// `p` is NULL or came from `pvm_alloc`/`pvm_realloc` and was not freed.
#[no_mangle]
pub unsafe extern "C" fn pvm_free(p: *mut c_void) -> c_int {
    guard_value(0, || {
        // SAFETY: p is a live allocation of malloc's or NULL (caller's contract).
        unsafe { libc::free(p) };
        0
    })
}

/// PVM's system message tags by family: first tag and names in order (pvmproto.h's
/// numbering: each family counts up from its first tag).
const TAG_FAMILIES: &[(u32, &[&str])] = &[
    (
        0x8001_0001,
        &[
            "TM_CONNECT",
            "TM_CONN2",
            "TM_EXIT",
            "TM_ADDHOST",
            "TM_DELHOST",
            "TM_CONFIG",
            "TM_MSTAT",
            "TM_HALT",
            "TM_TICKLE",
            "TM_SPAWN",
            "TM_PSTAT",
            "TM_SENDSIG",
            "TM_TASK",
            "TM_MCA",
            "TM_NOTIFY",
            "TM_DB",
            "TM_SCHED",
            "TM_TASKER",
            "TM_HOSTER",
            "TM_TRACER",
            "TM_HOSTSYNC",
            "TM_SETOPT",
            "TM_GETOPT",
            "TM_CONTEXT",
            "TM_SHMCONN",
        ],
    ),
    (
        0x8002_0001,
        &[
            "DM_ADD",
            "DM_ADDACK",
            "DM_EXEC",
            "DM_EXECACK",
            "DM_SENDSIG",
            "DM_HTUPD",
            "DM_HTUPDACK",
            "DM_HTCOMMIT",
            "DM_SLCONF",
            "DM_STARTACK",
            "DM_TASK",
            "DM_TASKACK",
            "DM_DELHOST",
            "DM_DELHOSTACK",
            "DM_NULL",
            "DM_TASKOUT",
            "DM_PSTAT",
            "DM_PSTATACK",
            "DM_HALT",
            "DM_MCA",
            "DM_NOTIFY",
            "DM_NOTIFYACK",
            "DM_DB",
            "DM_DBACK",
            "DM_RESET",
            "DM_RESETACK",
            "DM_HTDEL",
            "DM_HOSTSYNC",
            "DM_HOSTSYNCACK",
        ],
    ),
    (
        0x8003_0001,
        &[
            "TC_CONREQ",
            "TC_CONACK",
            "TC_TASKEXIT",
            "TC_NOOP",
            "TC_OUTPUT",
            "TC_SETTRACE",
            "TC_SETTMASK",
            "TC_SETTRCBUF",
            "TC_SETTRCOPT",
            "TC_SHMAT",
            "TC_OUTPUTX",
            "TC_SIBLINGS",
        ],
    ),
    (
        0x8004_0001,
        &[
            "SM_SPAWN",
            "SM_EXEC",
            "SM_EXECACK",
            "SM_TASK",
            "SM_CONFIG",
            "SM_ADDHOST",
            "SM_DELHOST",
            "SM_ADD",
            "SM_ADDACK",
            "SM_NOTIFY",
            "SM_TASKX",
            "SM_HOSTX",
            "SM_HANDOFF",
            "SM_SCHED",
            "SM_STHOST",
            "SM_STHOSTACK",
            "SM_STTASK",
        ],
    ),
];

/// The name of system tag `tag`, if it is one.
pub(crate) fn tag_name(tag: i32) -> Option<&'static str> {
    let t = tag as u32;
    TAG_FAMILIES.iter().find_map(|(first, names)| {
        let i = t.checked_sub(*first)?;
        names.get(usize::try_from(i).ok()?).copied()
    })
}

/// `pvmnametag(tag, &found)`: the name of one of PVM's system message tags
/// (`SM_SPAWN`...), else the number in decimal; `*found` says which.
///
/// # Safety
/// `found` is NULL or writable for one int.
#[no_mangle]
pub unsafe extern "C" fn pvmnametag(tag: c_int, found: *mut c_int) -> *const c_char {
    static NUMBER: OnceLock<Mutex<CString>> = OnceLock::new();
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    guard_value(std::ptr::null(), || {
        let names = NAMES.get_or_init(|| {
            TAG_FAMILIES
                .iter()
                .flat_map(|(_, n)| n.iter())
                .map(|n| CString::new(*n).unwrap_or_default())
                .collect()
        });
        let (text, known) = match tag_name(tag) {
            Some(n) => (
                names
                    .iter()
                    .find(|c| c.to_bytes() == n.as_bytes())
                    .map_or(std::ptr::null(), |c| c.as_ptr()),
                1,
            ),
            None => (lasting(&NUMBER, tag.to_string()), 0),
        };
        if !found.is_null() {
            // SAFETY: non-NULL and writable by the caller's contract.
            unsafe { *found = known };
        }
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtoi_reads_cs_notation() {
        assert_eq!(strtoi("0x1f"), 31);
        assert_eq!(strtoi("017"), 15);
        assert_eq!(strtoi("-12"), -12);
        assert_eq!(strtoi("12abc"), 12);
        assert_eq!(strtoi("zz"), 0);
        assert_eq!(strtoi("0"), 0);
    }

    #[test]
    fn system_tags_have_pvms_names() {
        assert_eq!(tag_name(0x8004_0001u32 as i32), Some("SM_SPAWN"));
        assert_eq!(tag_name((0x8001_0001u32 + 9) as i32), Some("TM_SPAWN"));
        assert_eq!(tag_name((0x8003_0001u32 + 3) as i32), Some("TC_NOOP"));
        assert_eq!(tag_name((0x8002_0001u32 + 27) as i32), Some("DM_HOSTSYNC"));
        assert_eq!(tag_name(0x8004_0001u32 as i32 + 17), None);
        assert_eq!(tag_name(5), None);
    }
}
