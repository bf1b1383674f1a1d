//! Sending and receiving: send, mcast, psend, recv, nrecv, trecv, probe, precv.
//! A timed receive also watches the descriptors added with `pvm_fd_add` (`fds`).

use std::ffi::{c_int, c_void};
use std::time::Duration;

use pvm::pack::Scalar;
use pvm::{PvmError, Tid};

use pvm::trace::{did, event};

use crate::tev::{self, traced};
use crate::{global, guard, tid};

#[no_mangle]
pub extern "C" fn pvm_send(t: c_int, msgtag: c_int) -> c_int {
    guard("pvm_send", || {
        traced(
            event::SEND,
            |rec| {
                rec.int(did::MNB, tev::send_bytes())
                    .int(did::DST, t)
                    .int(did::MC, msgtag)
                    .int(did::MCX, global().getcontext());
            },
            || global().send(tid(t)?, msgtag).map(|_| 0),
            |rec, r| {
                rec.int(did::CC, tev::cc(r));
            },
        )
    })
}

/// `pvm_mcast`: sends the active send buffer to `ntask` tasks.
///
/// # Safety
/// `tids` points to `ntask` ints.
#[no_mangle]
pub unsafe extern "C" fn pvm_mcast(tids: *const c_int, ntask: c_int, msgtag: c_int) -> c_int {
    guard("pvm_mcast", || {
        let n = usize::try_from(ntask).map_err(|_| PvmError::BadParam)?;
        if n > 0 && tids.is_null() {
            return Err(PvmError::BadParam);
        }
        let raw = if n == 0 {
            &[][..]
        } else {
            // SAFETY: the caller gave ntask ints at tids.
            unsafe { std::slice::from_raw_parts(tids, n) }
        };
        traced(
            event::MCAST,
            |rec| {
                rec.int(did::MNB, tev::send_bytes())
                    .int(did::MC, msgtag)
                    .int(did::MCX, global().getcontext())
                    .ints(did::MDL, raw);
            },
            || {
                let dsts = raw
                    .iter()
                    .map(|t| tid(*t))
                    .collect::<Result<Vec<Tid>, _>>()?;
                global().mcast(&dsts, msgtag).map(|_| 0)
            },
            |rec, r| {
                rec.int(did::CC, tev::cc(r));
            },
        )
    })
}

#[no_mangle]
pub extern "C" fn pvm_recv(t: c_int, msgtag: c_int) -> c_int {
    guard("pvm_recv", || {
        traced(
            event::RECV,
            |rec| tev::receiving(rec, t, msgtag),
            || global().recv(t, msgtag),
            tev::received,
        )
    })
}

#[no_mangle]
pub extern "C" fn pvm_nrecv(t: c_int, msgtag: c_int) -> c_int {
    guard("pvm_nrecv", || {
        traced(
            event::NRECV,
            |rec| tev::receiving(rec, t, msgtag),
            || Ok(global().nrecv(t, msgtag)?.unwrap_or(0)),
            tev::received,
        )
    })
}

#[no_mangle]
pub extern "C" fn pvm_probe(t: c_int, msgtag: c_int) -> c_int {
    guard("pvm_probe", || Ok(global().probe(t, msgtag)?.unwrap_or(0)))
}

/// `pvm_trecv`: waits at most `tmout` (NULL: forever, like `pvm_recv`).
///
/// # Safety
/// `tmout` is NULL or points to a `struct timeval`.
#[no_mangle]
pub unsafe extern "C" fn pvm_trecv(t: c_int, msgtag: c_int, tmout: *const libc::timeval) -> c_int {
    guard("pvm_trecv", || {
        // SAFETY: NULL or a timeval, by contract.
        let tv = unsafe { tmout.as_ref() };
        traced(
            event::TRECV,
            |rec| {
                tev::receiving(rec, t, msgtag);
                let (ts, tu) = tv.map_or((-1, -1), |v| (v.tv_sec as c_int, v.tv_usec as c_int));
                rec.int(did::MTS, ts).int(did::MTU, tu);
            },
            // SAFETY: the caller's contract, passed on.
            || unsafe { trecv(t, msgtag, tmout) },
            tev::received,
        )
    })
}

/// `pvm_trecv` untraced.
///
/// # Safety
/// `tmout` is NULL or points to a `struct timeval`.
unsafe fn trecv(t: c_int, msgtag: c_int, tmout: *const libc::timeval) -> Result<c_int, PvmError> {
    {
        if tmout.is_null() {
            return global().recv(t, msgtag);
        }
        // SAFETY: non-NULL timeval by contract.
        let tv = unsafe { *tmout };
        let (s, us) = (u64::try_from(tv.tv_sec), u64::try_from(tv.tv_usec));
        let (Ok(s), Ok(us)) = (s, us) else {
            return Err(PvmError::BadParam);
        };
        let wait = Duration::from_secs(s) + Duration::from_micros(us);
        let watched = crate::fds::user_fds();
        if watched.is_empty() {
            return Ok(global().trecv(t, msgtag, wait)?.unwrap_or(0));
        }
        // Watch the program's own descriptors too (pvm_fd_add): a slice at a time.
        let deadline = std::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if let Some(id) = global().trecv(t, msgtag, left.min(crate::fds::SLICE))? {
                return Ok(id);
            }
            if left.is_zero() || crate::fds::any_ready(&watched) {
                return Ok(0);
            }
        }
    }
}

/// # Safety
/// `buf` points to `len` items of `T`.
unsafe fn psend_as<T: Scalar>(
    dst: Tid,
    tag: c_int,
    buf: *const c_void,
    len: usize,
) -> Result<(), PvmError> {
    if len > 0 && buf.is_null() {
        return Err(PvmError::BadParam);
    }
    let data = if len == 0 {
        &[][..]
    } else {
        // SAFETY: the caller's contract.
        unsafe { std::slice::from_raw_parts(buf.cast::<T>(), len) }
    };
    global().psend(dst, tag, data)
}

/// `pvm_psend`: packs `len` items of `datatype` and sends them in one call.
///
/// # Safety
/// `buf` points to `len` items of the C type `datatype` names.
#[no_mangle]
pub unsafe extern "C" fn pvm_psend(
    t: c_int,
    msgtag: c_int,
    buf: *const c_void,
    len: c_int,
    datatype: c_int,
) -> c_int {
    guard("pvm_psend", || {
        let dst = tid(t)?;
        let n = usize::try_from(len).map_err(|_| PvmError::BadParam)?;
        // SAFETY: forwarded caller's contract.
        unsafe { by_type!(datatype, psend_as, dst, msgtag, buf, n) }.map(|_| 0)
    })
}

/// # Safety
/// `buf` is writable for `len` items of `T`.
unsafe fn precv_as<T: Scalar>(
    src: c_int,
    tag: c_int,
    buf: *mut c_void,
    len: usize,
) -> Result<(Tid, i32, usize), PvmError> {
    if len > 0 && buf.is_null() {
        return Err(PvmError::BadParam);
    }
    let out = if len == 0 {
        &mut [][..]
    } else {
        // SAFETY: the caller's contract.
        unsafe { std::slice::from_raw_parts_mut(buf.cast::<T>(), len) }
    };
    global().precv(src, tag, out)
}

/// `pvm_precv`: receives a message and unpacks up to `len` items of `datatype` into
/// `buf`; reports sender, tag and item count through the (optional) out-pointers.
///
/// # Safety
/// `buf` is writable for `len` items of the type `datatype` names; the out-pointers are
/// NULL or writable for one int each.
#[no_mangle]
pub unsafe extern "C" fn pvm_precv(
    t: c_int,
    msgtag: c_int,
    buf: *mut c_void,
    len: c_int,
    datatype: c_int,
    rtid: *mut c_int,
    rtag: *mut c_int,
    rlen: *mut c_int,
) -> c_int {
    guard("pvm_precv", || {
        let _inside = InPrecv::enter();
        let n = usize::try_from(len).map_err(|_| PvmError::BadParam)?;
        // SAFETY: forwarded caller's contract.
        let (from, tag, held) = unsafe { by_type!(datatype, precv_as, t, msgtag, buf, n) }?;
        let count = c_int::try_from(held).unwrap_or(c_int::MAX);
        for (p, v) in [(rtid, from.raw()), (rtag, tag), (rlen, count)] {
            if !p.is_null() {
                // SAFETY: non-NULL and writable by contract.
                unsafe { *p = v };
            }
        }
        Ok(0)
    })
}

/// Holds `pvm_inprecv` at 1 while a `pvm_precv` runs.
struct InPrecv;

impl InPrecv {
    fn enter() -> InPrecv {
        crate::internals::pvm_inprecv.store(1, std::sync::atomic::Ordering::Relaxed);
        InPrecv
    }
}

impl Drop for InPrecv {
    fn drop(&mut self) {
        crate::internals::pvm_inprecv.store(0, std::sync::atomic::Ordering::Relaxed);
    }
}
