//! The message mailbox: putinfo, recvinfo, delinfo, getmboxinfo, and PVM 3.3's
//! insert/lookup/delete, which PVM 3.4 keeps on top of the mailbox.

use std::ffi::{c_char, c_int, CString};
use std::sync::Mutex;

use pvm::pack::{Buffer, Encoding};
use pvm::PvmError;

use crate::{global, guard, text};

/// `pvm_putinfo`: stores buffer `bufid` under `name`; returns its index.
///
/// # Safety
/// `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_putinfo(name: *const c_char, bufid: c_int, flags: c_int) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_putinfo", || {
        global().putinfo(&unsafe { text(name) }?, bufid, flags)
    })
}

/// `pvm_recvinfo`: fetches entry `index` of `name` as the active receive buffer.
///
/// # Safety
/// `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_recvinfo(name: *const c_char, index: c_int, flags: c_int) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_recvinfo", || {
        global().recvinfo(&unsafe { text(name) }?, index, flags)
    })
}

/// `pvm_delinfo`: deletes entry `index` of `name`.
///
/// # Safety
/// `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_delinfo(name: *const c_char, index: c_int, flags: c_int) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_delinfo", || {
        global()
            .delinfo(&unsafe { text(name) }?, index, flags)
            .map(|_| 0)
    })
}

/// `struct pvmmboxinfo`.
#[repr(C)]
pub struct PvmMboxInfo {
    pub mi_name: *mut c_char,
    pub mi_nentries: c_int,
    pub mi_indices: *mut c_int,
    pub mi_owners: *mut c_int,
    pub mi_flags: *mut c_int,
}

/// The arrays the last `pvm_getmboxinfo` handed out, kept until the next call.
struct MboxStore {
    infos: Vec<PvmMboxInfo>,
    _names: Vec<CString>,
    _lists: Vec<Vec<c_int>>,
}

// SAFETY: the pointers in `infos` point into `_names` and `_lists`, owned alongside.
unsafe impl Send for MboxStore {}

static MBOX: Mutex<Option<MboxStore>> = Mutex::new(None);

/// `pvm_getmboxinfo`: the classes matching `pattern` (a glob, "*" for all).
///
/// # Safety
/// `pattern` is NULL or a C string; the out-pointers are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvm_getmboxinfo(
    pattern: *const c_char,
    nclasses: *mut c_int,
    classes: *mut *mut PvmMboxInfo,
) -> c_int {
    guard("pvm_getmboxinfo", || {
        // SAFETY: caller's contract.
        let pattern = unsafe { text(pattern) }?;
        let found = global().getmboxinfo(&pattern)?;
        let mut store = MboxStore {
            infos: Vec::new(),
            _names: Vec::new(),
            _lists: Vec::new(),
        };
        for class in found {
            let name = CString::new(class.name.replace('\0', "")).unwrap_or_default();
            let mut indices = class.indices.clone();
            let mut owners: Vec<c_int> = class.owners.iter().map(|t| t.raw()).collect();
            let mut flags = class.flags.clone();
            store.infos.push(PvmMboxInfo {
                mi_name: name.as_ptr().cast_mut(),
                mi_nentries: indices.len() as c_int,
                mi_indices: indices.as_mut_ptr(),
                mi_owners: owners.as_mut_ptr(),
                mi_flags: flags.as_mut_ptr(),
            });
            // Moving a CString or Vec keeps its heap buffer where it is.
            store._names.push(name);
            store._lists.extend([indices, owners, flags]);
        }
        let mut slot = MBOX.lock().unwrap_or_else(|p| p.into_inner());
        let store = slot.insert(store);
        // SAFETY: the out-pointers are NULL or writable by contract.
        unsafe {
            if !nclasses.is_null() {
                *nclasses = store.infos.len() as c_int;
            }
            if !classes.is_null() {
                *classes = store.infos.as_mut_ptr();
            }
        }
        Ok(0)
    })
}

/// `pvm_insert` (PVM 3.3): stores an int under `name`, at index `req` (-1: any).
///
/// # Safety
/// `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_insert(name: *const c_char, req: c_int, data: c_int) -> c_int {
    guard("pvm_insert", || {
        // SAFETY: caller's contract.
        let name = unsafe { text(name) }?;
        let mut b = Buffer::new(Encoding::Default);
        b.pack(&data)?;
        let flags = if req < 0 {
            pvm::constants::PvmMboxMultiInstance | pvm::constants::PvmMboxFirstAvail
        } else {
            pvm::constants::PvmMboxMultiInstance
        };
        global().putinfo_bytes(&name, Encoding::Default.code(), b.body(), flags)
    })
}

/// `pvm_lookup` (PVM 3.3): the int stored under `name` at index `req` (-1: any).
///
/// # Safety
/// `name` is NULL or a C string; `datap` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvm_lookup(name: *const c_char, req: c_int, datap: *mut c_int) -> c_int {
    guard("pvm_lookup", || {
        // SAFETY: caller's contract.
        let name = unsafe { text(name) }?;
        let index = req.max(0);
        let flags = if req < 0 {
            pvm::constants::PvmMboxFirstAvail
        } else {
            0
        };
        let entry = global().recvinfo_bytes(&name, index, flags)?;
        let mut b = entry.into_buffer()?;
        let v: i32 = b.unpack().map_err(|_| PvmError::BadMsg)?;
        if !datap.is_null() {
            // SAFETY: non-NULL and writable by contract.
            unsafe { *datap = v };
        }
        Ok(index)
    })
}

/// `pvm_delete` (PVM 3.3): removes the entry of `name` at index `req`.
///
/// # Safety
/// `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_delete(name: *const c_char, req: c_int) -> c_int {
    // SAFETY: caller's contract.
    guard("pvm_delete", || {
        global().delinfo(&unsafe { text(name) }?, req, 0).map(|_| 0)
    })
}
