//! Groups: pvmfjoingroup, pvmflvgroup, pvmfgetinst, pvmfgettid, pvmfgsize,
//! pvmfbarrier, pvmfbcast, pvmffreezegroup, the collectives pvmfreduce, pvmfgather,
//! pvmfscatter, and the predefined reduction routines as Fortran sees them (PvmSum,
//! PvmProduct, PvmMax, PvmMin: `pvmsum_`...).
//!
//! A Fortran reduction SUBROUTINE `f(datatype, x, y, num, info)` has exactly the C
//! reduction function's convention (every argument by reference), so pvmfreduce hands
//! whatever routine it is given to `pvm_reduce` unchanged, the predefined ones
//! included.

use std::ffi::{c_char, c_int, c_void, CString};

use pvm::PvmError;

use crate::strings::input;
use crate::{c, call, fail, get};

/// A group name argument.
///
/// # Safety
/// `group` holds `len` characters.
unsafe fn group_name(routine: &str, group: *const c_char, len: usize) -> Result<CString, c_int> {
    // SAFETY: the caller's contract.
    unsafe { input(group, len) }.map_err(|e| fail(routine, e))
}

/// `call pvmfjoingroup(group, inum)`.
///
/// # Safety
/// `group` holds `group_len` characters; `inum` writable (as for every result below).
#[no_mangle]
pub unsafe extern "C" fn pvmfjoingroup_(group: *const c_char, inum: *mut c_int, group_len: usize) {
    // SAFETY: the caller's contract.
    unsafe {
        call(inum, || {
            let g = group_name("pvmfjoingroup", group, group_len)?;
            Ok(c::pvm_joingroup(g.as_ptr()))
        })
    }
}

/// `call pvmflvgroup(group, info)`.
///
/// # Safety
/// `group` holds `group_len` characters; `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmflvgroup_(group: *const c_char, info: *mut c_int, group_len: usize) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let g = group_name("pvmflvgroup", group, group_len)?;
            Ok(c::pvm_lvgroup(g.as_ptr()))
        })
    }
}

/// `call pvmfgetinst(group, tid, inum)`.
///
/// # Safety
/// `group` holds `group_len` characters; `tid` readable, `inum` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgetinst_(
    group: *const c_char,
    tid: *const c_int,
    inum: *mut c_int,
    group_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(inum, || {
            let g = group_name("pvmfgetinst", group, group_len)?;
            Ok(c::pvm_getinst(g.as_ptr(), get(tid)?))
        })
    }
}

/// `call pvmfgettid(group, inum, tid)`.
///
/// # Safety
/// `group` holds `group_len` characters; `inum` readable, `tid` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgettid_(
    group: *const c_char,
    inum: *const c_int,
    tid: *mut c_int,
    group_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(tid, || {
            let g = group_name("pvmfgettid", group, group_len)?;
            Ok(c::pvm_gettid(g.as_ptr(), get(inum)?))
        })
    }
}

/// `call pvmfgsize(group, size)`.
///
/// # Safety
/// `group` holds `group_len` characters; `size` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgsize_(group: *const c_char, size: *mut c_int, group_len: usize) {
    // SAFETY: the caller's contract.
    unsafe {
        call(size, || {
            let g = group_name("pvmfgsize", group, group_len)?;
            Ok(c::pvm_gsize(g.as_ptr()))
        })
    }
}

/// `call pvmfbarrier(group, count, info)`.
///
/// # Safety
/// `group` holds `group_len` characters; `count` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfbarrier_(
    group: *const c_char,
    count: *const c_int,
    info: *mut c_int,
    group_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let g = group_name("pvmfbarrier", group, group_len)?;
            Ok(c::pvm_barrier(g.as_ptr(), get(count)?))
        })
    }
}

/// `call pvmfbcast(group, msgtag, info)`.
///
/// # Safety
/// `group` holds `group_len` characters; `msgtag` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfbcast_(
    group: *const c_char,
    msgtag: *const c_int,
    info: *mut c_int,
    group_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let g = group_name("pvmfbcast", group, group_len)?;
            Ok(c::pvm_bcast(g.as_ptr(), get(msgtag)?))
        })
    }
}

/// `call pvmffreezegroup(group, size, info)`.
///
/// # Safety
/// `group` holds `group_len` characters; `size` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmffreezegroup_(
    group: *const c_char,
    size: *const c_int,
    info: *mut c_int,
    group_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let g = group_name("pvmffreezegroup", group, group_len)?;
            Ok(c::pvm_freezegroup(g.as_ptr(), get(size)?))
        })
    }
}

/// `call pvmfreduce(func, data, count, datatype, msgtag, group, rootginst, info)`:
/// `func` is PvmSum, PvmProduct, PvmMax, PvmMin or the program's own reduction
/// SUBROUTINE (declared external).
///
/// # Safety
/// `func` is a reduction routine; `data` holds `count` writable items of the type
/// `datatype` names; `group` holds `group_len` characters; the INTEGER inputs
/// readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfreduce_(
    func: Option<c::ReduceFn>,
    data: *mut c_void,
    count: *const c_int,
    datatype: *const c_int,
    msgtag: *const c_int,
    group: *const c_char,
    rootginst: *const c_int,
    info: *mut c_int,
    group_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let g = group_name("pvmfreduce", group, group_len)?;
            Ok(c::pvm_reduce(
                func,
                data,
                get(count)?,
                get(datatype)?,
                get(msgtag)?,
                g.as_ptr(),
                get(rootginst)?,
            ))
        })
    }
}

/// The signature gather and scatter share.
type Collective = unsafe extern "C" fn(
    *mut c_void,
    *const c_void,
    c_int,
    c_int,
    c_int,
    *const c_char,
    c_int,
) -> c_int;

/// The body of pvmfgather and pvmfscatter.
///
/// # Safety
/// As those routines.
#[allow(clippy::too_many_arguments)]
unsafe fn collective(
    routine: &str,
    f: Collective,
    result: *mut c_void,
    data: *const c_void,
    count: *const c_int,
    datatype: *const c_int,
    msgtag: *const c_int,
    group: *const c_char,
    rootginst: *const c_int,
    group_len: usize,
) -> Result<c_int, c_int> {
    // SAFETY: the caller's contract.
    unsafe {
        let g = group_name(routine, group, group_len)?;
        Ok(f(
            result,
            data,
            get(count)?,
            get(datatype)?,
            get(msgtag)?,
            g.as_ptr(),
            get(rootginst)?,
        ))
    }
}

/// `call pvmfgather(result, data, count, datatype, msgtag, group, rootginst, info)`.
///
/// # Safety
/// `data` holds `count` items of the type `datatype` names; at the root `result` is
/// writable for `count` times the group's size of them; `group` holds `group_len`
/// characters; the INTEGER inputs readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgather_(
    result: *mut c_void,
    data: *const c_void,
    count: *const c_int,
    datatype: *const c_int,
    msgtag: *const c_int,
    group: *const c_char,
    rootginst: *const c_int,
    info: *mut c_int,
    group_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            collective(
                "pvmfgather",
                c::pvm_gather,
                result,
                data,
                count,
                datatype,
                msgtag,
                group,
                rootginst,
                group_len,
            )
        })
    }
}

/// `call pvmfscatter(result, data, count, datatype, msgtag, group, rootginst, info)`.
///
/// # Safety
/// `result` is writable for `count` items of the type `datatype` names; at the root
/// `data` holds `count` times the group's size of them; `group` holds `group_len`
/// characters; the INTEGER inputs readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfscatter_(
    result: *mut c_void,
    data: *const c_void,
    count: *const c_int,
    datatype: *const c_int,
    msgtag: *const c_int,
    group: *const c_char,
    rootginst: *const c_int,
    info: *mut c_int,
    group_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            collective(
                "pvmfscatter",
                c::pvm_scatter,
                result,
                data,
                count,
                datatype,
                msgtag,
                group,
                rootginst,
                group_len,
            )
        })
    }
}

macro_rules! fortran_reduction {
    ($name:ident, $c:ident) => {
        #[doc = concat!("`", stringify!($c), "` under its Fortran name: `call ", stringify!($c),
                    "(datatype, x, y, num, info)` folds `y` into `x`, and pvmfreduce takes it.")]
        ///
        /// # Safety
        /// As PVM's reduction signature describes.
        #[no_mangle]
        pub unsafe extern "C" fn $name(
            datatype: *mut c_int,
            x: *mut c_void,
            y: *mut c_void,
            num: *mut c_int,
            info: *mut c_int,
        ) {
            let outcome = std::panic::catch_unwind(|| {
                // SAFETY: forwarded caller's contract.
                unsafe { c::$c(datatype, x, y, num, info) }
            });
            if outcome.is_err() {
                // SAFETY: the caller's contract.
                unsafe { crate::put(info, PvmError::SysErr.code()) };
            }
        }
    };
}

fortran_reduction!(pvmsum_, PvmSum);
fortran_reduction!(pvmproduct_, PvmProduct);
fortran_reduction!(pvmmax_, PvmMax);
fortran_reduction!(pvmmin_, PvmMin);
