//! Questions and notifications about the virtual machine: config, tasks, mstat, pstat,
//! tidtohost, hostsync, getnoresets, tickle, notify, version, archcode.
//!
//! `pvm_config` and `pvm_tasks` hand out arrays the library owns until the next call of
//! the same function, as PVM does; they live in statics here.

use std::ffi::{c_char, c_int, CString};
use std::sync::Mutex;

use pvm::constants::{PvmHostAdd, PvmNotifyCancel};
use pvm::PvmError;

use crate::{global, guard, text, tid};

/// `struct pvmhostinfo`.
#[repr(C)]
pub struct PvmHostInfo {
    pub hi_tid: c_int,
    pub hi_name: *mut c_char,
    pub hi_arch: *mut c_char,
    pub hi_speed: c_int,
    pub hi_dsig: c_int,
}

/// `struct pvmtaskinfo`.
#[repr(C)]
pub struct PvmTaskInfo {
    pub ti_tid: c_int,
    pub ti_ptid: c_int,
    pub ti_host: c_int,
    pub ti_flag: c_int,
    pub ti_a_out: *mut c_char,
    pub ti_pid: c_int,
}

/// An array handed to C plus the strings its entries point into.
struct Owned<T> {
    items: Vec<T>,
    _strings: Vec<CString>,
}

// SAFETY: the raw pointers in `items` point into `_strings`, owned alongside and only
// ever read by C; moving the pair between threads moves the owner with the pointers.
unsafe impl<T> Send for Owned<T> {}

static HOSTS: Mutex<Option<Owned<PvmHostInfo>>> = Mutex::new(None);
static TASKS: Mutex<Option<Owned<PvmTaskInfo>>> = Mutex::new(None);

fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "")).unwrap_or_default()
}

/// `pvm_config`: the hosts; `*hostp` points to an array of `*nhost` entries.
///
/// # Safety
/// Each pointer is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvm_config(
    nhost: *mut c_int,
    narch: *mut c_int,
    hostp: *mut *mut PvmHostInfo,
) -> c_int {
    guard("pvm_config", || {
        let hosts = global().config()?;
        let mut strings = Vec::new();
        let mut items = Vec::new();
        let mut archs: Vec<&str> = Vec::new();
        for h in &hosts {
            let (mut name, mut arch) = (c_string(&h.name), c_string(&h.arch));
            items.push(PvmHostInfo {
                hi_tid: h.dtid.raw(),
                hi_name: name.as_ptr().cast_mut(),
                hi_arch: arch.as_ptr().cast_mut(),
                hi_speed: h.speed,
                hi_dsig: h.dsig,
            });
            // The CStrings' heap buffers do not move when the CStrings themselves do.
            strings.push(std::mem::take(&mut name));
            strings.push(std::mem::take(&mut arch));
            if !archs.contains(&h.arch.as_str()) {
                archs.push(&h.arch);
            }
        }
        let mut slot = HOSTS.lock().unwrap_or_else(|p| p.into_inner());
        let owned = slot.insert(Owned {
            items,
            _strings: strings,
        });
        // SAFETY: each pointer is NULL or writable by the caller's contract.
        unsafe {
            if !nhost.is_null() {
                *nhost = owned.items.len() as c_int;
            }
            if !narch.is_null() {
                *narch = archs.len() as c_int;
            }
            if !hostp.is_null() {
                *hostp = owned.items.as_mut_ptr();
            }
        }
        Ok(0)
    })
}

/// `pvm_tasks`: the tasks of the machine (`where_` 0), of a host (a pvmd tid) or one
/// task; `*taskp` points to an array of `*ntask` entries.
///
/// # Safety
/// Each pointer is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvm_tasks(
    where_: c_int,
    ntask: *mut c_int,
    taskp: *mut *mut PvmTaskInfo,
) -> c_int {
    guard("pvm_tasks", || {
        let which = if where_ == 0 {
            None
        } else {
            Some(tid(where_)?)
        };
        let tasks = global().tasks(which)?;
        let mut strings = Vec::new();
        let mut items = Vec::new();
        for t in &tasks {
            let mut name = c_string(&t.name);
            items.push(PvmTaskInfo {
                ti_tid: t.tid.raw(),
                ti_ptid: t.ptid.raw(),
                ti_host: t.host.raw(),
                ti_flag: t.flag,
                ti_a_out: name.as_ptr().cast_mut(),
                ti_pid: t.pid,
            });
            strings.push(std::mem::take(&mut name));
        }
        let mut slot = TASKS.lock().unwrap_or_else(|p| p.into_inner());
        let owned = slot.insert(Owned {
            items,
            _strings: strings,
        });
        // SAFETY: each pointer is NULL or writable by the caller's contract.
        unsafe {
            if !ntask.is_null() {
                *ntask = owned.items.len() as c_int;
            }
            if !taskp.is_null() {
                *taskp = owned.items.as_mut_ptr();
            }
        }
        Ok(0)
    })
}

/// `pvm_mstat`: PvmOk if the host is up, else PvmNoHost or PvmHostFail.
///
/// # Safety
/// `host` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_mstat(host: *const c_char) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_mstat", || {
        global().mstat(&unsafe { text(host) }?).map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn pvm_pstat(t: c_int) -> c_int {
    guard("pvm_pstat", || global().pstat(tid(t)?).map(|_| 0))
}

#[no_mangle]
pub extern "C" fn pvm_tidtohost(t: c_int) -> c_int {
    guard("pvm_tidtohost", || Ok(global().tidtohost(tid(t)?)?.raw()))
}

/// `pvm_notify`: asks for a message with `msgtag` when the tasks in `tids` exit, the
/// hosts in `tids` are deleted, or (PvmHostAdd) the next `cnt` hosts are added.
///
/// # Safety
/// `tids` points to `cnt` ints (ignored for PvmHostAdd).
#[no_mangle]
pub unsafe extern "C" fn pvm_notify(
    what: c_int,
    msgtag: c_int,
    cnt: c_int,
    tids: *const c_int,
) -> c_int {
    guard("pvm_notify", || {
        if what & !PvmNotifyCancel == PvmHostAdd {
            return global().notify_host_add(what, msgtag, cnt).map(|_| 0);
        }
        let n = usize::try_from(cnt).map_err(|_| PvmError::BadParam)?;
        if n == 0 || tids.is_null() {
            return Err(PvmError::BadParam);
        }
        // SAFETY: the caller gave cnt ints at tids.
        let raw = unsafe { std::slice::from_raw_parts(tids, n) };
        let list = raw.iter().map(|t| tid(*t)).collect::<Result<Vec<_>, _>>()?;
        global().notify(what, msgtag, &list).map(|_| 0)
    })
}

/// `pvm_version`: the PVM version this library implements.
#[no_mangle]
pub extern "C" fn pvm_version() -> *const c_char {
    // Nothing here can panic; the guard keeps it so as the function changes.
    crate::guard_value(c"3.4.6".as_ptr(), || c"3.4.6".as_ptr())
}

/// `pvm_archcode`: the data-format class of an architecture (PVM's dsig idea: hosts
/// with equal codes can exchange PvmDataRaw); every 64-bit little-endian Linux is one.
///
/// # Safety
/// `arch` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_archcode(arch: *const c_char) -> c_int {
    guard("pvm_archcode", || {
        // SAFETY: caller's contract.
        let a = unsafe { text(arch) }?;
        match a.as_ref() {
            "LINUX64" | "LINUXX86_64" => Ok(1),
            "LINUX" => Ok(2),
            _ => Err(PvmError::NotFound),
        }
    })
}

/// Library-owned storage for the array `pvm_getnoresets` hands out.
static NORESETS: Mutex<Vec<c_int>> = Mutex::new(Vec::new());

/// `pvm_getnoresets(&tids, &ntids)`: the tasks that set PvmNoReset (those the
/// console's `reset` spares); `*tids` points to them until the next call.
///
/// # Safety
/// Each pointer is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvm_getnoresets(tids: *mut *mut c_int, ntids: *mut c_int) -> c_int {
    guard("pvm_getnoresets", || {
        let list = global().noresets()?;
        let mut store = NORESETS.lock().unwrap_or_else(|p| p.into_inner());
        *store = list.iter().map(|t| t.raw()).collect();
        // SAFETY: each pointer is NULL or writable by the caller's contract; the array
        // lives in NORESETS until the next call.
        unsafe {
            if !tids.is_null() {
                *tids = store.as_mut_ptr();
            }
            if !ntids.is_null() {
                *ntids = store.len() as c_int;
            }
        }
        Ok(0)
    })
}

/// A duration with its sign as PVM writes it into a `struct timeval`: microseconds
/// always in 0..999999, the seconds carrying the sign (-1 µs is -1 s + 999999 µs).
fn signed_timeval(d: std::time::Duration, negative: bool) -> libc::timeval {
    let (secs, micros) = (d.as_secs() as i64, i64::from(d.subsec_micros()));
    let (sec, usec) = match (negative, micros) {
        (false, _) => (secs, micros),
        (true, 0) => (-secs, 0),
        (true, us) => (-secs - 1, 1_000_000 - us),
    };
    libc::timeval {
        tv_sec: sec as libc::time_t,
        tv_usec: usec as libc::suseconds_t,
    }
}

/// `pvm_hostsync(host, &clk, &delta)`: a sample of the time of day on `host` (a
/// pvmd's tid) and how far it is ahead of this host's clock (see [`signed_timeval`]).
///
/// # Safety
/// `clk` and `delta` are NULL or writable for one `struct timeval` each.
#[no_mangle]
pub unsafe extern "C" fn pvm_hostsync(
    host: c_int,
    clk: *mut libc::timeval,
    delta: *mut libc::timeval,
) -> c_int {
    guard("pvm_hostsync", || {
        let (remote, ahead, behind) = global().hostsync(tid(host)?)?;
        let since = remote
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        // SAFETY: each pointer is NULL or writable by the caller's contract.
        unsafe {
            if !clk.is_null() {
                *clk = signed_timeval(since, false);
            }
            if !delta.is_null() {
                *delta = signed_timeval(ahead, behind);
            }
        }
        Ok(0)
    })
}

/// `pvm_tickle(narg, argp, &nresp, resp)`: a debugging action of the local pvmd,
/// `argp[0]` saying which (PVM's numbers: 1 dumps the host table, 2 the task table,
/// 3 the waits, 4 the mailbox to the pvmd log; 5 gets its debug mask into `resp[0]`,
/// 6 sets it to `argp[1]`). `*nresp` is how many results were written to `resp`
/// (at most 10; none for most actions). 1 to 10 arguments, else PvmBadParam.
///
/// # Safety
/// `argp` holds `narg` ints; `nresp` is NULL or writable; `resp` is NULL or has room
/// for 10 ints.
#[no_mangle]
pub unsafe extern "C" fn pvm_tickle(
    narg: c_int,
    argp: *const c_int,
    nresp: *mut c_int,
    resp: *mut c_int,
) -> c_int {
    guard("pvm_tickle", || {
        let max = pvm::proto::consts::TICKLE_MAX_ARGS;
        let n = usize::try_from(narg).map_err(|_| PvmError::BadParam)?;
        if n < 1 || n > max || argp.is_null() {
            return Err(PvmError::BadParam);
        }
        // SAFETY: narg ints at argp by the caller's contract.
        let args = unsafe { std::slice::from_raw_parts(argp, n) };
        let mut results = global().tickle(args)?;
        results.truncate(max);
        if !nresp.is_null() {
            // SAFETY: writable by the caller's contract.
            unsafe { *nresp = results.len() as c_int };
        }
        if !resp.is_null() {
            // SAFETY: room for TICKLE_MAX_ARGS ints by the caller's contract.
            unsafe { std::ptr::copy_nonoverlapping(results.as_ptr(), resp, results.len()) };
        }
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn deltas_are_signed_as_pvm_writes_them() {
        let tv = |d, n| {
            let t = signed_timeval(d, n);
            (t.tv_sec, t.tv_usec)
        };
        assert_eq!(tv(Duration::from_micros(3_250_000), false), (3, 250_000));
        assert_eq!(tv(Duration::ZERO, false), (0, 0));
        assert_eq!(tv(Duration::from_micros(1), true), (-1, 999_999));
        assert_eq!(tv(Duration::from_secs(1), true), (-1, 0));
        assert_eq!(tv(Duration::from_micros(1_100_000), true), (-2, 900_000));
    }
}
