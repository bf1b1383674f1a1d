//! `pvm_getminfo` and `pvm_setminfo`: a message buffer's header as `struct pvmminfo`.
//!
//! Our buffers keep length, context, tag, encoding and source; the fields PVM uses only
//! inside its own library (wait id, checksum) read as 0, and the destination is this
//! task for a received message, 0 for one made here. `pvm_setminfo` changes context,
//! tag and source, the fields a message handler forwarding a message needs.

use std::ffi::c_int;

use pvm::PvmError;

use crate::{global, guard};

/// `struct pvmminfo` of pvm3.h.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct PvmMinfo {
    pub len: c_int,
    pub ctx: c_int,
    pub tag: c_int,
    pub wid: c_int,
    pub enc: c_int,
    pub crc: c_int,
    pub src: c_int,
    pub dst: c_int,
}

/// `pvm_getminfo`: fills `*info` with buffer `bufid`'s header.
///
/// # Safety
/// `info` is NULL or writable for one `struct pvmminfo`.
#[no_mangle]
pub unsafe extern "C" fn pvm_getminfo(bufid: c_int, info: *mut PvmMinfo) -> c_int {
    guard("pvm_getminfo", || {
        if info.is_null() {
            return Err(PvmError::BadParam);
        }
        let me = global().mytid().map(|t| t.raw()).unwrap_or(0);
        let m = global().with_buffers(|t| {
            let b = t.get(bufid)?;
            Ok::<_, PvmError>(PvmMinfo {
                len: c_int::try_from(b.len()).map_err(|_| PvmError::Overflow)?,
                ctx: b.ctx(),
                tag: b.tag(),
                enc: b.encoding().code(),
                src: b.src(),
                dst: if b.is_local() { 0 } else { me },
                ..PvmMinfo::default()
            })
        })?;
        // SAFETY: non-NULL and writable by the caller's contract.
        unsafe { *info = m };
        Ok(0)
    })
}

/// `pvm_setminfo`: sets buffer `bufid`'s context, tag and source from `*info`.
///
/// # Safety
/// `info` is NULL or points to one `struct pvmminfo`.
#[no_mangle]
pub unsafe extern "C" fn pvm_setminfo(bufid: c_int, info: *const PvmMinfo) -> c_int {
    guard("pvm_setminfo", || {
        if info.is_null() {
            return Err(PvmError::BadParam);
        }
        // SAFETY: non-NULL and readable by the caller's contract.
        let m = unsafe { *info };
        global().with_buffers(|t| {
            let b = t.get_mut(bufid)?;
            b.set_ctx(m.ctx);
            b.set_tag(m.tag);
            b.set_src(m.src);
            Ok(0)
        })
    })
}
