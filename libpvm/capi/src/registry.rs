//! The resource-manager hooks of PVM 3.4: pvm_reg_rm (a task that takes over spawn,
//! host and notify decisions), pvm_reg_hoster (a task that starts slave pvmds instead
//! of rsh) and pvm_reg_tasker (a task that starts tasks, as debuggers did).
//!
//! Each needs pvmd to hand its decisions to the registered task (PVM's SM_ messages).
//! Our pvmd has no such path yet, so the calls refuse with PvmNotImpl and name what is
//! missing in a warning, and the virtual machine carries on deciding for itself.

use std::ffi::c_int;

use pvm::PvmError;

use crate::guard;

fn refuse(what: &str) -> Result<c_int, PvmError> {
    tracing::warn!("{what}: our pvmd does not hand its decisions to a registered task");
    Err(PvmError::NotImpl)
}

/// `pvm_reg_rm(&hostinfo)`: registers this task as the resource manager.
///
/// # Safety
/// `hip` is NULL or writable for one pointer (never written: the call is refused).
#[no_mangle]
pub unsafe extern "C" fn pvm_reg_rm(_hip: *mut *mut crate::info::PvmHostInfo) -> c_int {
    guard("pvm_reg_rm", || refuse("pvm_reg_rm"))
}

/// `pvm_reg_hoster()`: registers this task as the starter of slave pvmds.
#[no_mangle]
pub extern "C" fn pvm_reg_hoster() -> c_int {
    guard("pvm_reg_hoster", || refuse("pvm_reg_hoster"))
}

/// `pvm_reg_tasker()`: registers this task as the starter of tasks.
#[no_mangle]
pub extern "C" fn pvm_reg_tasker() -> c_int {
    guard("pvm_reg_tasker", || refuse("pvm_reg_tasker"))
}
