//! Messages: buffers (pvmfinitsend, pvmfmkbuf, pvmffreebuf, pvmfget/setsbuf,
//! pvmfget/setrbuf, pvmfbufinfo, pvmfgetminfo, pvmfsetminfo), packing (pvmfpack,
//! pvmfunpack), sending and receiving (pvmfsend, pvmfmcast, pvmfrecv, pvmfnrecv,
//! pvmfprobe, pvmftrecv, pvmfpsend, pvmfprecv) and contexts.
//!
//! Fortran names the type of packed data with a code (`fpvm3.h`'s STRING, BYTE1,
//! INTEGER2, INTEGER4, REAL4, COMPLEX8, REAL8, COMPLEX16, INTEGER8), the same numbers
//! as C's `PVM_*`. A STRING is its `nitem` characters packed as bytes: Fortran strings
//! have no terminator, so a Fortran receiver unpacks the same count of bytes.

use std::ffi::{c_int, c_void};

use pvm::PvmError;

use crate::{c, call, get, put};

/// `call pvmfinitsend(encoding, bufid)`.
///
/// # Safety
/// `encoding` readable, `bufid` writable (as for the routines below: inputs readable
/// INTEGERs, results writable ones).
#[no_mangle]
pub unsafe extern "C" fn pvmfinitsend_(encoding: *const c_int, bufid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(bufid, || Ok(c::pvm_initsend(get(encoding)?))) }
}

/// `call pvmfmkbuf(encoding, bufid)`.
///
/// # Safety
/// As [`pvmfinitsend_`].
#[no_mangle]
pub unsafe extern "C" fn pvmfmkbuf_(encoding: *const c_int, bufid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(bufid, || Ok(c::pvm_mkbuf(get(encoding)?))) }
}

/// `call pvmffreebuf(bufid, info)`.
///
/// # Safety
/// `bufid` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmffreebuf_(bufid: *const c_int, info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(c::pvm_freebuf(get(bufid)?))) }
}

/// `call pvmfgetsbuf(bufid)`.
///
/// # Safety
/// `bufid` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgetsbuf_(bufid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(bufid, || Ok(c::pvm_getsbuf())) }
}

/// `call pvmfgetrbuf(bufid)`.
///
/// # Safety
/// `bufid` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgetrbuf_(bufid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(bufid, || Ok(c::pvm_getrbuf())) }
}

/// `call pvmfsetsbuf(bufid, oldbuf)`.
///
/// # Safety
/// `bufid` readable, `oldbuf` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfsetsbuf_(bufid: *const c_int, oldbuf: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(oldbuf, || Ok(c::pvm_setsbuf(get(bufid)?))) }
}

/// `call pvmfsetrbuf(bufid, oldbuf)`.
///
/// # Safety
/// `bufid` readable, `oldbuf` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfsetrbuf_(bufid: *const c_int, oldbuf: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(oldbuf, || Ok(c::pvm_setrbuf(get(bufid)?))) }
}

/// `call pvmfbufinfo(bufid, bytes, msgtag, tid, info)`.
///
/// # Safety
/// `bufid` readable, the others writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfbufinfo_(
    bufid: *const c_int,
    bytes: *mut c_int,
    msgtag: *mut c_int,
    tid: *mut c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract; NULL out-pointers are skipped by the C routine.
    unsafe { call(info, || Ok(c::pvm_bufinfo(get(bufid)?, bytes, msgtag, tid))) }
}

/// `call pvmfgetminfo(bufid, len, ctx, tag, wid, enc, crc, src, dst, info)`.
///
/// # Safety
/// `bufid` readable, the others writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgetminfo_(
    bufid: *const c_int,
    len: *mut c_int,
    ctx: *mut c_int,
    tag: *mut c_int,
    wid: *mut c_int,
    enc: *mut c_int,
    crc: *mut c_int,
    src: *mut c_int,
    dst: *mut c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let mut m = c::MInfo::default();
            let r = c::pvm_getminfo(get(bufid)?, &mut m);
            if r < 0 {
                return Err(r);
            }
            for (p, v) in [
                (len, m.len),
                (ctx, m.ctx),
                (tag, m.tag),
                (wid, m.wid),
                (enc, m.enc),
                (crc, m.crc),
                (src, m.src),
                (dst, m.dst),
            ] {
                put(p, v);
            }
            Ok(r)
        })
    }
}

/// `call pvmfsetminfo(bufid, ctx, tag, wid, src, dst, info)`: the settable header
/// fields; length, encoding and checksum stay the buffer's.
///
/// # Safety
/// `info` writable, the others readable.
#[no_mangle]
pub unsafe extern "C" fn pvmfsetminfo_(
    bufid: *const c_int,
    ctx: *const c_int,
    tag: *const c_int,
    wid: *const c_int,
    src: *const c_int,
    dst: *const c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let id = get(bufid)?;
            let mut m = c::MInfo::default();
            let r = c::pvm_getminfo(id, &mut m);
            if r < 0 {
                return Err(r);
            }
            m.ctx = get(ctx)?;
            m.tag = get(tag)?;
            m.wid = get(wid)?;
            m.src = get(src)?;
            m.dst = get(dst)?;
            Ok(c::pvm_setminfo(id, &m))
        })
    }
}

/// The C packing routine for a Fortran type code.
///
/// # Safety
/// `xp` points to the items `nitem` and `stride` describe, of the type `what` names.
unsafe fn pack(what: c_int, xp: *const c_void, nitem: c_int, stride: c_int) -> c_int {
    // SAFETY: the caller's contract, the pointer cast to the type the code names.
    unsafe {
        match what {
            0 | 1 => c::pvm_pkbyte(xp.cast(), nitem, stride),
            2 => c::pvm_pkshort(xp.cast(), nitem, stride),
            3 => c::pvm_pkint(xp.cast(), nitem, stride),
            4 => c::pvm_pkfloat(xp.cast(), nitem, stride),
            5 => c::pvm_pkcplx(xp.cast(), nitem, stride),
            6 => c::pvm_pkdouble(xp.cast(), nitem, stride),
            7 => c::pvm_pkdcplx(xp.cast(), nitem, stride),
            8 => c::pvm_pklong(xp.cast(), nitem, stride),
            _ => crate::fail("pvmfpack", PvmError::BadParam),
        }
    }
}

/// The C unpacking routine for a Fortran type code.
///
/// # Safety
/// `xp` points to writable storage for the items `nitem` and `stride` describe.
unsafe fn unpack(what: c_int, xp: *mut c_void, nitem: c_int, stride: c_int) -> c_int {
    // SAFETY: the caller's contract, the pointer cast to the type the code names.
    unsafe {
        match what {
            0 | 1 => c::pvm_upkbyte(xp.cast(), nitem, stride),
            2 => c::pvm_upkshort(xp.cast(), nitem, stride),
            3 => c::pvm_upkint(xp.cast(), nitem, stride),
            4 => c::pvm_upkfloat(xp.cast(), nitem, stride),
            5 => c::pvm_upkcplx(xp.cast(), nitem, stride),
            6 => c::pvm_upkdouble(xp.cast(), nitem, stride),
            7 => c::pvm_upkdcplx(xp.cast(), nitem, stride),
            8 => c::pvm_upklong(xp.cast(), nitem, stride),
            _ => crate::fail("pvmfunpack", PvmError::BadParam),
        }
    }
}

/// `call pvmfpack(what, xp, nitem, stride, info)`: packs `nitem` items of type `what`,
/// every `stride`-th, from `xp` (for STRING, `nitem` characters with stride 1).
///
/// `xp` may be any type, so any hidden length gfortran adds for a CHARACTER `xp` is
/// not read: `nitem` says how much there is.
///
/// # Safety
/// `xp` holds the items described; the INTEGERs readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfpack_(
    what: *const c_int,
    xp: *const c_void,
    nitem: *const c_int,
    stride: *const c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(pack(get(what)?, xp, get(nitem)?, get(stride)?))) }
}

/// `call pvmfunpack(what, xp, nitem, stride, info)`.
///
/// # Safety
/// `xp` is writable for the items described; the INTEGERs readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfunpack_(
    what: *const c_int,
    xp: *mut c_void,
    nitem: *const c_int,
    stride: *const c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            Ok(unpack(get(what)?, xp, get(nitem)?, get(stride)?))
        })
    }
}

/// `call pvmfsend(tid, msgtag, info)`.
///
/// # Safety
/// `tid`, `msgtag` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfsend_(tid: *const c_int, msgtag: *const c_int, info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(c::pvm_send(get(tid)?, get(msgtag)?))) }
}

/// `call pvmfmcast(ntask, tids, msgtag, info)`.
///
/// # Safety
/// `tids` holds `ntask` INTEGERs; `ntask`, `msgtag` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfmcast_(
    ntask: *const c_int,
    tids: *const c_int,
    msgtag: *const c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(c::pvm_mcast(tids, get(ntask)?, get(msgtag)?))) }
}

/// `call pvmfrecv(tid, msgtag, bufid)`.
///
/// # Safety
/// `tid`, `msgtag` readable, `bufid` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfrecv_(tid: *const c_int, msgtag: *const c_int, bufid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(bufid, || Ok(c::pvm_recv(get(tid)?, get(msgtag)?))) }
}

/// `call pvmfnrecv(tid, msgtag, bufid)`.
///
/// # Safety
/// As [`pvmfrecv_`].
#[no_mangle]
pub unsafe extern "C" fn pvmfnrecv_(tid: *const c_int, msgtag: *const c_int, bufid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(bufid, || Ok(c::pvm_nrecv(get(tid)?, get(msgtag)?))) }
}

/// `call pvmfprobe(tid, msgtag, bufid)`.
///
/// # Safety
/// As [`pvmfrecv_`].
#[no_mangle]
pub unsafe extern "C" fn pvmfprobe_(tid: *const c_int, msgtag: *const c_int, bufid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(bufid, || Ok(c::pvm_probe(get(tid)?, get(msgtag)?))) }
}

/// `call pvmftrecv(tid, msgtag, sec, usec, bufid)`: waits at most `sec` seconds and
/// `usec` microseconds; `sec` = -1 waits as long as it takes (C's NULL timeout).
///
/// # Safety
/// The INTEGERs readable, `bufid` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmftrecv_(
    tid: *const c_int,
    msgtag: *const c_int,
    sec: *const c_int,
    usec: *const c_int,
    bufid: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(bufid, || {
            let (t, tag, s) = (get(tid)?, get(msgtag)?, get(sec)?);
            if s == -1 {
                return Ok(c::pvm_trecv(t, tag, std::ptr::null()));
            }
            let tv = libc::timeval {
                tv_sec: libc::time_t::from(s),
                tv_usec: libc::suseconds_t::from(get(usec)?),
            };
            Ok(c::pvm_trecv(t, tag, &tv))
        })
    }
}

/// `call pvmfpsend(tid, msgtag, buf, len, datatype, info)`.
///
/// # Safety
/// `buf` holds `len` items of the type `datatype` names; the INTEGERs readable,
/// `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfpsend_(
    tid: *const c_int,
    msgtag: *const c_int,
    buf: *const c_void,
    len: *const c_int,
    datatype: *const c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            Ok(c::pvm_psend(
                get(tid)?,
                get(msgtag)?,
                buf,
                get(len)?,
                get(datatype)?,
            ))
        })
    }
}

/// `call pvmfprecv(tid, msgtag, buf, len, datatype, atid, atag, alen, info)`.
///
/// # Safety
/// `buf` is writable for `len` items of the type `datatype` names; the INTEGER inputs
/// readable, `atid`, `atag`, `alen`, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfprecv_(
    tid: *const c_int,
    msgtag: *const c_int,
    buf: *mut c_void,
    len: *const c_int,
    datatype: *const c_int,
    atid: *mut c_int,
    atag: *mut c_int,
    alen: *mut c_int,
    info: *mut c_int,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            Ok(c::pvm_precv(
                get(tid)?,
                get(msgtag)?,
                buf,
                get(len)?,
                get(datatype)?,
                atid,
                atag,
                alen,
            ))
        })
    }
}

/// `call pvmfnewcontext(ctx)`.
///
/// # Safety
/// `ctx` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfnewcontext_(ctx: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(ctx, || Ok(c::pvm_newcontext())) }
}

/// `call pvmfsetcontext(new_ctx, old_ctx)`.
///
/// # Safety
/// `new_ctx` readable, `old_ctx` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfsetcontext_(new_ctx: *const c_int, old_ctx: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(old_ctx, || Ok(c::pvm_setcontext(get(new_ctx)?))) }
}

/// `call pvmffreecontext(ctx, info)`.
///
/// # Safety
/// `ctx` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmffreecontext_(ctx: *const c_int, info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(c::pvm_freecontext(get(ctx)?))) }
}

/// `call pvmfgetcontext(ctx)`.
///
/// # Safety
/// `ctx` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgetcontext_(ctx: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(ctx, || Ok(c::pvm_getcontext())) }
}
