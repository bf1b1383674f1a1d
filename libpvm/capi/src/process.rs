//! Task life: mytid, parent, siblings, spawn, kill, signals, exit, halt.

use std::ffi::{c_char, c_int};
use std::sync::Mutex;

use pvm::PvmError;

use pvm::trace::{did, event};

use crate::tev::{self, traced};
use crate::{global, guard, text, tid};

/// `pvm_mytid`: this task's tid, joining the virtual machine on first use.
#[no_mangle]
pub extern "C" fn pvm_mytid() -> c_int {
    guard("pvm_mytid", || {
        traced(
            event::MYTID,
            |_| {},
            || {
                let me = global().mytid()?.raw();
                crate::tev::refresh_tracer(global());
                Ok(me)
            },
            |rec, r| {
                rec.int(did::MT, tev::cc(r));
            },
        )
    })
}

/// `pvm_parent`: the tid of the task that spawned this one.
#[no_mangle]
pub extern "C" fn pvm_parent() -> c_int {
    guard("pvm_parent", || Ok(global().parent()?.raw()))
}

/// Library-owned storage for the array `pvm_siblings` hands out (valid until the next call).
static SIBLINGS: Mutex<Vec<c_int>> = Mutex::new(Vec::new());

/// Siblings announced by a task-control message (`pvm_tc_siblings`), which replace
/// those pvmd told at joining.
static ANNOUNCED: Mutex<Option<Vec<c_int>>> = Mutex::new(None);

/// Records the sibling list a `TC_SIBLINGS` message announced.
pub(crate) fn announce_siblings(tids: Vec<c_int>) {
    *ANNOUNCED.lock().unwrap_or_else(|p| p.into_inner()) = Some(tids);
}

/// `pvm_siblings`: the tasks spawned together with this one; `*tids` points to them.
///
/// # Safety
/// `tids` is NULL or points to writable storage for one pointer.
#[no_mangle]
pub unsafe extern "C" fn pvm_siblings(tids: *mut *mut c_int) -> c_int {
    guard("pvm_siblings", || {
        let announced = ANNOUNCED.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let sibs = match announced {
            Some(tids) => tids,
            None => global().siblings()?.iter().map(|t| t.raw()).collect(),
        };
        let mut store = SIBLINGS.lock().unwrap_or_else(|p| p.into_inner());
        *store = sibs;
        if !tids.is_null() {
            // SAFETY: non-NULL, writable by the caller's contract; the array lives in
            // SIBLINGS until the next call, as PVM promises.
            unsafe { *tids = store.as_mut_ptr() };
        }
        Ok(store.len() as c_int)
    })
}

/// `pvm_exit`: leaves the virtual machine.
#[no_mangle]
pub extern "C" fn pvm_exit() -> c_int {
    guard("pvm_exit", || {
        // Only the entry half: the events go out with the last flush, before leaving.
        if global().traces(event::EXIT) {
            global().trace_event(event::EXIT, false, |_| {});
        }
        global().exit().map(|_| 0)
    })
}

/// `pvm_spawn`: starts `ntask` copies of `task`; fills `tids` with their tids (or error
/// codes for those that failed) and returns how many started.
///
/// # Safety
/// `task` is a C string; `argv` is NULL or a NULL-terminated array of C strings;
/// `where_` is NULL or a C string; `tids` is NULL or has room for `ntask` ints.
#[no_mangle]
pub unsafe extern "C" fn pvm_spawn(
    task: *const c_char,
    argv: *const *const c_char,
    flag: c_int,
    where_: *const c_char,
    ntask: c_int,
    tids: *mut c_int,
) -> c_int {
    guard("pvm_spawn", || {
        // SAFETY: caller's contract for task and where_.
        let task = unsafe { text(task) }?;
        let place = if where_.is_null() {
            String::new()
        } else {
            // SAFETY: non-NULL C string by contract.
            unsafe { text(where_) }?.into_owned()
        };
        let count = usize::try_from(ntask).map_err(|_| PvmError::BadParam)?;
        let mut args = Vec::new();
        if !argv.is_null() {
            for i in 0.. {
                // SAFETY: argv is NULL-terminated, so every index up to the NULL is valid.
                let a = unsafe { *argv.add(i) };
                if a.is_null() {
                    break;
                }
                // SAFETY: each element is a C string.
                args.push(unsafe { text(a) }?.into_owned());
            }
        }
        let argrefs: Vec<&str> = args.iter().map(String::as_str).collect();
        tev::sync_child_mask();
        let spawned = traced(
            event::SPAWN,
            |rec| {
                rec.string(did::SE, &task)
                    .string(did::SW, &place)
                    .int(did::SF, flag)
                    .int(did::SC, ntask);
            },
            || global().spawn(&task, &argrefs, flag, &place, count),
            |rec, r| {
                let n = r
                    .as_ref()
                    .map_or_else(|e| e.code(), |s| s.started() as c_int);
                let started: Vec<c_int> = r
                    .as_ref()
                    .map(|s| s.tids().map(|t| t.raw()).collect())
                    .unwrap_or_default();
                rec.int(did::CC, n).ints(did::STL, &started);
            },
        )?;
        let codes = spawned.codes();
        if !tids.is_null() {
            // SAFETY: the caller gave room for ntask ints; codes has exactly ntask.
            let out = unsafe { std::slice::from_raw_parts_mut(tids, count) };
            out.copy_from_slice(&codes[..count.min(codes.len())]);
        }
        // As PVM: the count started; failed instances' codes are in `tids`.
        Ok(spawned.started() as c_int)
    })
}

/// `pvm_kill`: terminates a task.
#[no_mangle]
pub extern "C" fn pvm_kill(t: c_int) -> c_int {
    guard("pvm_kill", || global().kill(tid(t)?).map(|_| 0))
}

/// `pvm_sendsig`: sends a Unix signal to a task.
#[no_mangle]
pub extern "C" fn pvm_sendsig(t: c_int, signum: c_int) -> c_int {
    guard("pvm_sendsig", || {
        global().sendsig(tid(t)?, signum).map(|_| 0)
    })
}

/// `pvm_halt`: stops the whole virtual machine.
#[no_mangle]
pub extern "C" fn pvm_halt() -> c_int {
    guard("pvm_halt", || global().halt().map(|_| 0))
}

/// Turns per-host results into PVM's `infos` array and return value (hosts handled).
///
/// # Safety
/// `infos` is NULL or writable for `codes.len()` ints.
unsafe fn host_results(codes: &[c_int], infos: *mut c_int) -> c_int {
    if !infos.is_null() {
        // SAFETY: room for one int per host by the caller's contract.
        unsafe { std::slice::from_raw_parts_mut(infos, codes.len()) }.copy_from_slice(codes);
    }
    codes.iter().filter(|c| **c >= 0).count() as c_int
}

/// Host names from C's `char **hosts` with `nhost` entries.
///
/// # Safety
/// `hosts` points to `nhost` C strings.
unsafe fn host_names(hosts: *const *const c_char, nhost: c_int) -> Result<Vec<String>, PvmError> {
    let n = usize::try_from(nhost).map_err(|_| PvmError::BadParam)?;
    if n == 0 || hosts.is_null() {
        return Err(PvmError::BadParam);
    }
    (0..n)
        // SAFETY: nhost valid C strings by contract.
        .map(|i| unsafe { text(*hosts.add(i)) }.map(|s| s.into_owned()))
        .collect()
}

/// `pvm_addhosts`: adds hosts; `infos` gets each one's pvmd tid or error code.
///
/// # Safety
/// `hosts` points to `nhost` C strings; `infos` is NULL or has room for `nhost` ints.
#[no_mangle]
pub unsafe extern "C" fn pvm_addhosts(
    hosts: *const *const c_char,
    nhost: c_int,
    infos: *mut c_int,
) -> c_int {
    guard("pvm_addhosts", || {
        // SAFETY: caller's contract.
        let names = unsafe { host_names(hosts, nhost) }?;
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let codes: Vec<c_int> = global()
            .addhosts(&refs)?
            .into_iter()
            .map(|r| r.map_or_else(|e| e.code(), |t| t.raw()))
            .collect();
        // SAFETY: caller's contract.
        Ok(unsafe { host_results(&codes, infos) })
    })
}

/// `pvm_delhosts`: deletes hosts; `infos` gets each one's result.
///
/// # Safety
/// As [`pvm_addhosts`].
#[no_mangle]
pub unsafe extern "C" fn pvm_delhosts(
    hosts: *const *const c_char,
    nhost: c_int,
    infos: *mut c_int,
) -> c_int {
    guard("pvm_delhosts", || {
        // SAFETY: caller's contract.
        let names = unsafe { host_names(hosts, nhost) }?;
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let codes: Vec<c_int> = global()
            .delhosts(&refs)?
            .into_iter()
            .map(|r| r.map_or_else(|e| e.code(), |_| 0))
            .collect();
        // SAFETY: caller's contract.
        Ok(unsafe { host_results(&codes, infos) })
    })
}

/// `pvmsleep`: sleeps `secs` seconds. Not in pvm3.h, but PVM's libpvm3 exports it and
/// some of PVM's own examples (gexamples' trsg) call it.
#[no_mangle]
pub extern "C" fn pvmsleep(secs: c_int) -> c_int {
    guard("pvmsleep", || {
        let secs = u64::try_from(secs).unwrap_or(0);
        std::thread::sleep(std::time::Duration::from_secs(secs));
        Ok(0)
    })
}

/// `pvm_start_pvmd`: starts a pvmd for this user, with `argv`'s first argument that is
/// not an option as its host file. The daemon is the one `PVM_DPATH` names, or the
/// `pvmd` beside the running program (never a `pvmd` found in `PATH`, which may be PVM
/// 3.4's own). Returns `PvmDupHost` when one already runs, `PvmSysErr` when none could
/// be started. The call always waits until the daemon accepts connections, which is
/// all `block` asks for on a virtual machine of one host.
///
/// # Safety
/// `argv` is NULL or holds `argc` C strings (or NULLs, which are skipped).
#[no_mangle]
pub unsafe extern "C" fn pvm_start_pvmd(
    argc: c_int,
    argv: *const *const c_char,
    _block: c_int,
) -> c_int {
    guard("pvm_start_pvmd", || {
        let argc = usize::try_from(argc).map_err(|_| PvmError::BadParam)?;
        if argc > 0 && argv.is_null() {
            return Err(PvmError::BadParam);
        }
        let mut hostfile = None;
        for i in 0..argc {
            // SAFETY: `argv` holds `argc` pointers by the caller's contract.
            let arg = unsafe { *argv.add(i) };
            if arg.is_null() {
                continue;
            }
            // SAFETY: a non-NULL entry is a C string by contract.
            let arg = unsafe { text(arg) }?;
            if hostfile.is_none() && !arg.starts_with('-') {
                hostfile = Some(std::path::PathBuf::from(arg.as_ref()));
            }
        }
        if pvm::daemon::is_running() {
            return Err(PvmError::DupHost);
        }
        let program = pvm::daemon::locate().map_err(|e| {
            tracing::warn!("pvm_start_pvmd: {e}");
            PvmError::SysErr
        })?;
        pvm::daemon::start(&program, hostfile.as_deref()).map_err(|e| {
            tracing::warn!("pvm_start_pvmd: {e}");
            PvmError::SysErr
        })?;
        Ok(0)
    })
}
