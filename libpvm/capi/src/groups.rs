//! Dynamic process groups (PVM's libgpvm3): join, leave, instances, size, barrier,
//! broadcast, freeze. pvmd keeps the groups; these calls only translate. Also
//! libgpvm3's `gs_getgstid` and `pvmgs_tmout`, which Debian's group tools import.
//!
//! The same shared object serves as libgpvm3.so.3: install a link of that name to
//! libpvm3.so and programs linked with `-lgpvm3` load the one library (the dynamic
//! loader recognises the same file), so group calls and the rest share one task.

use std::ffi::{c_char, c_int};

use crate::{global, guard, text, tid};

/// # Safety
/// `group` is NULL or a C string.
pub(crate) unsafe fn group_name(group: *const c_char) -> Result<String, pvm::PvmError> {
    if group.is_null() {
        return Err(pvm::PvmError::NullGroup);
    }
    // SAFETY: non-NULL C string by the caller's contract.
    Ok(unsafe { text(group) }?.into_owned())
}

/// `pvm_joingroup`: joins a group; returns the instance number.
///
/// # Safety
/// `group` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_joingroup(group: *const c_char) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_joingroup", || {
        global().joingroup(&unsafe { group_name(group) }?)
    })
}

/// `pvm_lvgroup`: leaves a group.
///
/// # Safety
/// `group` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_lvgroup(group: *const c_char) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_lvgroup", || {
        global().lvgroup(&unsafe { group_name(group) }?).map(|_| 0)
    })
}

/// `pvm_getinst`: the instance number of a task in a group.
///
/// # Safety
/// `group` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_getinst(group: *const c_char, t: c_int) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_getinst", || {
        global().getinst(&unsafe { group_name(group) }?, tid(t)?)
    })
}

/// `pvm_gettid`: the tid of an instance of a group.
///
/// # Safety
/// `group` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_gettid(group: *const c_char, inst: c_int) -> c_int {
    guard("pvm_gettid", || {
        // SAFETY: caller's contract.
        Ok(global().gettid(&unsafe { group_name(group) }?, inst)?.raw())
    })
}

/// `pvm_gsize`: the number of members of a group.
///
/// # Safety
/// `group` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_gsize(group: *const c_char) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_gsize", || {
        global().gsize(&unsafe { group_name(group) }?)
    })
}

/// `pvm_barrier`: waits until `count` members (-1: all) have called it.
///
/// # Safety
/// `group` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_barrier(group: *const c_char, count: c_int) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_barrier", || {
        global()
            .barrier(&unsafe { group_name(group) }?, count)
            .map(|_| 0)
    })
}

/// `pvm_bcast`: sends the active send buffer to every other member of a group.
///
/// # Safety
/// `group` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_bcast(group: *const c_char, msgtag: c_int) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_bcast", || {
        global()
            .bcast(&unsafe { group_name(group) }?, msgtag)
            .map(|_| 0)
    })
}

/// `pvm_freezegroup`: fixes a group's size (-1: its size now) once that many members
/// have called it; returns the size.
///
/// # Safety
/// `group` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_freezegroup(group: *const c_char, size: c_int) -> c_int {
    guard("pvm_freezegroup", || {
        // SAFETY: caller's contract.
        global().freezegroup_sync(&unsafe { group_name(group) }?, size)
    })
}

/// How long libgpvm3's calls wait for the group server (C sees
/// `struct timeval *pvmgs_tmout`; NULL: forever). Our groups are answered by the
/// master pvmd, which always answers, so nothing reads it; programs may set it.
#[no_mangle]
pub static pvmgs_tmout: std::sync::atomic::AtomicPtr<libc::timeval> =
    std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

/// `gs_getgstid()`: libgpvm3's way to the group server, the task registered in the
/// mailbox as `pvmgs`. PVM starts one when none is; our groups live in the master pvmd
/// and no group server task exists, so without such an entry the call says so in a
/// warning and returns PvmNotImpl (Debian's pvm_gstat and pvmgroups, which query a
/// group server's tables, report that).
#[no_mangle]
pub extern "C" fn gs_getgstid() -> c_int {
    guard("gs_getgstid", || {
        let g = global();
        let saved = g.setrbuf(0)?;
        let found = g.recvinfo("pvmgs", 0, 0).and_then(|id| {
            let tid = g.unpack::<i32>();
            let _ = g.freebuf(id);
            tid
        });
        let _ = g.setrbuf(saved);
        match found {
            Ok(tid) => Ok(tid),
            Err(pvm::PvmError::NotFound) => {
                tracing::warn!(
                    "gs_getgstid: groups are kept by the master pvmd; no group server task runs"
                );
                Err(pvm::PvmError::NotImpl)
            }
            Err(e) => Err(e),
        }
    })
}
