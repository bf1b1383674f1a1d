//! Questions about the virtual machine and the library's settings: pvmfconfig and
//! pvmftasks (one entry per call), pvmfmstat, pvmfpstat, pvmftidtohost, pvmfnotify,
//! pvmfarchcode, pvmfcatchout, pvmfperror, pvmfsetopt/pvmfgetopt and PVM 3.3's
//! pvmfserror/pvmfadvise, pvmfhostsync.
//!
//! PVM's Fortran pvmfconfig and pvmftasks return one host or task per call: the first
//! call of a cycle takes a snapshot, each call hands out the next entry, and the cycle
//! starts again after the last one (or at once when the caller passes -1 as the
//! count). The snapshots live here, one per routine.

use std::ffi::{c_char, c_int, CStr};
use std::io::Write;
use std::sync::Mutex;

use pvm::constants::{PvmAutoErr, PvmRoute};
use pvm::PvmError;

use crate::strings::{acceptable, input, output};
use crate::{c, call, fail, get, put};

/// A cycle through a list the C library handed out, copied so it outlives the next
/// C call.
struct Cycle<T> {
    items: Vec<T>,
    next: usize,
    /// The count reported during the cycle (nhost/ntask) and the second number
    /// (narch) where there is one.
    counts: (c_int, c_int),
}

impl<T> Cycle<T> {
    /// The entry to hand out now, advancing; the cycle ends after the last one.
    fn take(slot: &mut Option<Cycle<T>>) -> Option<(T, (c_int, c_int))>
    where
        T: Clone,
    {
        let cycle = slot.as_mut()?;
        let item = cycle.items.get(cycle.next).cloned();
        cycle.next += 1;
        let counts = cycle.counts;
        if cycle.next >= cycle.items.len() {
            *slot = None;
        }
        item.map(|i| (i, counts))
    }
}

#[derive(Clone)]
struct Host {
    tid: c_int,
    name: Vec<u8>,
    arch: Vec<u8>,
    speed: c_int,
}

#[derive(Clone)]
struct Task {
    tid: c_int,
    ptid: c_int,
    host: c_int,
    flag: c_int,
    a_out: Vec<u8>,
}

static HOSTS: Mutex<Option<Cycle<Host>>> = Mutex::new(None);
static TASKS: Mutex<Option<Cycle<Task>>> = Mutex::new(None);

/// A C string the library handed out, as bytes (NULL reads as empty).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn bytes_of(p: *const c_char) -> Vec<u8> {
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(p) }.to_bytes().to_vec()
}

/// `call pvmfconfig(nhost, narch, dtid, name, arch, speed, info)`: one host per call
/// (see the module doc); `nhost` = -1 on entry starts a new cycle.
///
/// # Safety
/// `nhost` readable and writable; `narch`, `dtid`, `speed`, `info` writable; `name`
/// and `arch` hold their hidden lengths of writable characters.
#[no_mangle]
pub unsafe extern "C" fn pvmfconfig_(
    nhost: *mut c_int,
    narch: *mut c_int,
    dtid: *mut c_int,
    name: *mut c_char,
    arch: *mut c_char,
    speed: *mut c_int,
    info: *mut c_int,
    name_len: usize,
    arch_len: usize,
) {
    // SAFETY: the caller's contract for each pointer and length.
    unsafe {
        call(info, || {
            if !acceptable(name_len) || !acceptable(arch_len) {
                return Err(fail("pvmfconfig", PvmError::BadParam));
            }
            let mut slot = HOSTS.lock().unwrap_or_else(|p| p.into_inner());
            if get(nhost)? == -1 {
                *slot = None;
            }
            if slot.is_none() {
                let (mut n, mut na, mut hostp) = (0, 0, std::ptr::null_mut());
                let r = c::pvm_config(&mut n, &mut na, &mut hostp);
                if r < 0 {
                    return Err(r);
                }
                let count = usize::try_from(n).unwrap_or(0);
                let items = match hostp.is_null() {
                    true => Vec::new(),
                    // `n` entries in the array the library owns until its next call.
                    false => std::slice::from_raw_parts(hostp, count)
                        .iter()
                        .map(|h| Host {
                            tid: h.hi_tid,
                            name: bytes_of(h.hi_name),
                            arch: bytes_of(h.hi_arch),
                            speed: h.hi_speed,
                        })
                        .collect(),
                };
                *slot = Some(Cycle {
                    items,
                    next: 0,
                    counts: (n, na),
                });
            }
            let Some((host, (n, na))) = Cycle::take(&mut slot) else {
                put(nhost, 0);
                return Ok(0);
            };
            output(name, name_len, &host.name).map_err(|e| fail("pvmfconfig", e))?;
            output(arch, arch_len, &host.arch).map_err(|e| fail("pvmfconfig", e))?;
            put(nhost, n);
            put(narch, na);
            put(dtid, host.tid);
            put(speed, host.speed);
            Ok(0)
        })
    }
}

/// `call pvmftasks(where, ntask, tid, ptid, dtid, flag, aout, info)`: one task per
/// call; `ntask` = -1 on entry starts a new cycle.
///
/// # Safety
/// `where_` readable; `ntask` readable and writable; the others writable; `aout` holds
/// `aout_len` writable characters.
#[no_mangle]
pub unsafe extern "C" fn pvmftasks_(
    where_: *const c_int,
    ntask: *mut c_int,
    tid: *mut c_int,
    ptid: *mut c_int,
    dtid: *mut c_int,
    flag: *mut c_int,
    aout: *mut c_char,
    info: *mut c_int,
    aout_len: usize,
) {
    // SAFETY: the caller's contract for each pointer and length.
    unsafe {
        call(info, || {
            if !acceptable(aout_len) {
                return Err(fail("pvmftasks", PvmError::BadParam));
            }
            let mut slot = TASKS.lock().unwrap_or_else(|p| p.into_inner());
            if get(ntask)? == -1 {
                *slot = None;
            }
            if slot.is_none() {
                let (mut n, mut taskp) = (0, std::ptr::null_mut());
                let r = c::pvm_tasks(get(where_)?, &mut n, &mut taskp);
                if r < 0 {
                    return Err(r);
                }
                let count = usize::try_from(n).unwrap_or(0);
                let items = match taskp.is_null() {
                    true => Vec::new(),
                    // `n` entries in the array the library owns until its next call.
                    false => std::slice::from_raw_parts(taskp, count)
                        .iter()
                        .map(|t| Task {
                            tid: t.ti_tid,
                            ptid: t.ti_ptid,
                            host: t.ti_host,
                            flag: t.ti_flag,
                            a_out: bytes_of(t.ti_a_out),
                        })
                        .collect(),
                };
                *slot = Some(Cycle {
                    items,
                    next: 0,
                    counts: (n, 0),
                });
            }
            let Some((task, (n, _))) = Cycle::take(&mut slot) else {
                put(ntask, 0);
                return Ok(0);
            };
            output(aout, aout_len, &task.a_out).map_err(|e| fail("pvmftasks", e))?;
            put(ntask, n);
            put(tid, task.tid);
            put(ptid, task.ptid);
            put(dtid, task.host);
            put(flag, task.flag);
            Ok(0)
        })
    }
}

/// `call pvmfmstat(host, mstat)`.
///
/// # Safety
/// `host` holds `host_len` characters; `mstat` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfmstat_(host: *const c_char, mstat: *mut c_int, host_len: usize) {
    // SAFETY: the caller's contract.
    unsafe {
        call(mstat, || {
            let name = input(host, host_len).map_err(|e| fail("pvmfmstat", e))?;
            Ok(c::pvm_mstat(name.as_ptr()))
        })
    }
}

/// `call pvmfpstat(tid, status)`.
///
/// # Safety
/// `tid` readable, `status` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfpstat_(tid: *const c_int, status: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(status, || Ok(c::pvm_pstat(get(tid)?))) }
}

/// `call pvmftidtohost(tid, dtid)`.
///
/// # Safety
/// `tid` readable, `dtid` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmftidtohost_(tid: *const c_int, dtid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(dtid, || Ok(c::pvm_tidtohost(get(tid)?))) }
}

/// `call pvmftidtoh(tid, dtid)`: the name PVM's manual page gives pvmftidtohost.
///
/// # Safety
/// As [`pvmftidtohost_`].
#[no_mangle]
pub unsafe extern "C" fn pvmftidtoh_(tid: *const c_int, dtid: *mut c_int) {
    // SAFETY: forwarded contract.
    unsafe { pvmftidtohost_(tid, dtid) }
}

/// `call pvmfnotify(what, msgtag, cnt, tids, info)`.
///
/// # Safety
/// `what`, `msgtag`, `cnt` readable; `tids` holds `cnt` INTEGERs (unused for
/// PVMHOSTADD); `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfnotify_(
    what: *const c_int,
    msgtag: *const c_int,
    cnt: *const c_int,
    tids: *const c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            Ok(c::pvm_notify(get(what)?, get(msgtag)?, get(cnt)?, tids))
        })
    }
}

/// `call pvmfarchcode(arch, cod)`.
///
/// # Safety
/// `arch` holds `arch_len` characters; `cod` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfarchcode_(arch: *const c_char, cod: *mut c_int, arch_len: usize) {
    // SAFETY: the caller's contract.
    unsafe {
        call(cod, || {
            let name = input(arch, arch_len).map_err(|e| fail("pvmfarchcode", e))?;
            Ok(c::pvm_archcode(name.as_ptr()))
        })
    }
}

/// `call pvmfcatchout(onoff, info)`: output of tasks spawned from now on is collected
/// (nonzero) onto this task's stdout, or no longer (0).
///
/// # Safety
/// `onoff` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfcatchout_(onoff: *const c_int, info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let sink: Option<Box<dyn std::io::Write + Send>> = match get(onoff)? {
                0 => None,
                _ => Some(Box::new(std::io::stdout())),
            };
            match pvm::global().catchout(sink) {
                Ok(()) => Ok(0),
                Err(e) => Err(fail("pvmfcatchout", e)),
            }
        })
    }
}

/// `call pvmfperror(msg, info)`.
///
/// # Safety
/// `msg` holds `msg_len` characters; `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfperror_(msg: *const c_char, info: *mut c_int, msg_len: usize) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let text = input(msg, msg_len).map_err(|e| fail("pvmfperror", e))?;
            Ok(c::pvm_perror(text.as_ptr()))
        })
    }
}

/// `call pvmfsetopt(what, val, oldval)`.
///
/// # Safety
/// `what`, `val` readable, `oldval` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfsetopt_(what: *const c_int, val: *const c_int, oldval: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(oldval, || Ok(c::pvm_setopt(get(what)?, get(val)?))) }
}

/// `call pvmfgetopt(what, val)`.
///
/// # Safety
/// `what` readable, `val` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgetopt_(what: *const c_int, val: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(val, || Ok(c::pvm_getopt(get(what)?))) }
}

/// `call pvmfserror(set, oldset)`: PVM 3.3's switch of automatic error reports,
/// PvmAutoErr.
///
/// # Safety
/// `set` readable, `oldset` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfserror_(set: *const c_int, oldset: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(oldset, || Ok(c::pvm_setopt(PvmAutoErr, get(set)?))) }
}

/// `call pvmfadvise(route, info)`: PVM 3.3's routing advice, PvmRoute.
///
/// # Safety
/// `route` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfadvise_(route: *const c_int, info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let old = c::pvm_setopt(PvmRoute, get(route)?);
            Ok(old.min(0))
        })
    }
}

/// `call pvmfhostsync(host, clksec, clkusec, deltasec, deltausec, info)`.
///
/// Not available yet: the C library has no `pvm_hostsync` to sample a host's clock
/// with, so `info` is PvmNotImpl (with a warning on stderr naming the routine) and the clock
/// arguments are left alone.
///
/// # Safety
/// `info` writable (the other arguments are not touched).
#[no_mangle]
pub unsafe extern "C" fn pvmfhostsync_(
    _host: *const c_int,
    _clksec: *mut c_int,
    _clkusec: *mut c_int,
    _deltasec: *mut c_int,
    _deltausec: *mut c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            // Written, not logged: a Fortran program has no tracing subscriber. A closed
            // stderr loses the warning; it must not panic.
            let _ = writeln!(
                std::io::stderr(),
                "libfpvm3: pvmfhostsync is not implemented (libpvm3 has no pvm_hostsync yet)"
            );
            Err(fail("pvmfhostsync", PvmError::NotImpl))
        })
    }
}
