//! Message buffers (initsend, mkbuf, freebuf, set/get send and receive buffers,
//! bufinfo), packing/unpacking every type with count and stride, and messages packed
//! inside messages (pkmesg, pkmesgbody, upkmesg).

use std::ffi::{c_char, c_int, c_long, c_short, c_uint, c_ulong, c_ushort};

use pvm::pack::{Complex32, Complex64, Scalar, Strided};
use pvm::PvmError;

use crate::{global, guard};

#[no_mangle]
pub extern "C" fn pvm_initsend(encoding: c_int) -> c_int {
    guard("pvm_initsend", || global().initsend(encoding))
}

#[no_mangle]
pub extern "C" fn pvm_mkbuf(encoding: c_int) -> c_int {
    guard("pvm_mkbuf", || global().mkbuf(encoding))
}

#[no_mangle]
pub extern "C" fn pvm_freebuf(bufid: c_int) -> c_int {
    guard("pvm_freebuf", || global().freebuf(bufid).map(|_| 0))
}

#[no_mangle]
pub extern "C" fn pvm_getsbuf() -> c_int {
    guard("pvm_getsbuf", || Ok(global().getsbuf()))
}

#[no_mangle]
pub extern "C" fn pvm_getrbuf() -> c_int {
    guard("pvm_getrbuf", || Ok(global().getrbuf()))
}

#[no_mangle]
pub extern "C" fn pvm_setsbuf(bufid: c_int) -> c_int {
    guard("pvm_setsbuf", || global().setsbuf(bufid))
}

#[no_mangle]
pub extern "C" fn pvm_setrbuf(bufid: c_int) -> c_int {
    guard("pvm_setrbuf", || global().setrbuf(bufid))
}

/// `pvm_bufinfo`: length, tag and source of a buffer; NULL out-pointers are skipped.
///
/// # Safety
/// Each pointer is NULL or writable for one int.
#[no_mangle]
pub unsafe extern "C" fn pvm_bufinfo(
    bufid: c_int,
    bytes: *mut c_int,
    msgtag: *mut c_int,
    tid: *mut c_int,
) -> c_int {
    guard("pvm_bufinfo", || {
        let info = global().bufinfo(bufid)?;
        let len = c_int::try_from(info.bytes).map_err(|_| PvmError::Overflow)?;
        for (p, v) in [(bytes, len), (msgtag, info.tag), (tid, info.src)] {
            if !p.is_null() {
                // SAFETY: non-NULL and writable by the caller's contract.
                unsafe { *p = v };
            }
        }
        Ok(0)
    })
}

/// The items `pvm_pk*(p, nitem, stride)` names, as a slice: exactly the span C said it
/// has, starting at the lowest address the stride reaches.
///
/// # Safety
/// `p` points to at least the items the call describes.
unsafe fn items<'a, T>(p: *const T, nitem: c_int, stride: c_int) -> Result<&'a [T], PvmError> {
    let (offset, len) = Strided::span(nitem, stride)?;
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(PvmError::BadParam);
    }
    // SAFETY: the caller promises the described items exist; offset/len are exactly them.
    Ok(unsafe { std::slice::from_raw_parts(p.offset(offset), len) })
}

/// Mutable counterpart of [`items`] for unpacking.
///
/// # Safety
/// `p` points to writable storage for the items the call describes.
unsafe fn items_mut<'a, T>(
    p: *mut T,
    nitem: c_int,
    stride: c_int,
) -> Result<&'a mut [T], PvmError> {
    let (offset, len) = Strided::span(nitem, stride)?;
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(PvmError::BadParam);
    }
    // SAFETY: as in `items`, for writable storage.
    Ok(unsafe { std::slice::from_raw_parts_mut(p.offset(offset), len) })
}

/// Packs `data` (the span [`items`] made) with PVM's count and stride: for a negative
/// stride the span starts at the lowest address and packing runs down from its end.
fn pack<T: Scalar>(call: &str, data: &[T], nitem: c_int, stride: c_int) -> c_int {
    guard(call, || {
        global().with_buffers(|t| t.sbuf_mut()?.pk(data, nitem, stride))?;
        Ok(0)
    })
}

fn unpack<T: Scalar>(call: &str, out: &mut [T], nitem: c_int, stride: c_int) -> c_int {
    guard(call, || {
        global().with_buffers(|t| t.rbuf_mut()?.upk(out, nitem, stride))?;
        Ok(0)
    })
}

/// A pack call's event id plus this is its unpack's (`TEV_PKINT` 36, `TEV_UPKINT` 63).
const UPK_OFFSET: usize = 27;

/// A traced pack or unpack: the address, count and stride, then the result.
fn traced_pack(
    kind: usize,
    addr: usize,
    nitem: c_int,
    stride: c_int,
    run: impl FnOnce() -> c_int,
) -> c_int {
    use pvm::trace::did;
    let g = pvm::global();
    g.trace_event(kind, false, |rec| {
        rec.long(did::PDA, addr as std::ffi::c_long)
            .int(did::PC, nitem)
            .int(did::PSD, stride);
    });
    let cc = run();
    g.trace_event(kind, true, |rec| {
        rec.int(did::CC, cc);
    });
    cc
}

macro_rules! pack_fns {
    ($($pk:ident, $upk:ident, $c:ty => $rust:ty, $tev:expr;)*) => {$(
        /// Packs `nitem` items, every `stride`-th, into the active send buffer.
        ///
        /// # Safety
        /// `p` points to the items the call describes.
        #[no_mangle]
        pub unsafe extern "C" fn $pk(p: *const $c, nitem: c_int, stride: c_int) -> c_int {
            // SAFETY: same layout ($c and $rust are the same C type); caller's contract.
            let run = || match unsafe { items(p.cast::<$rust>(), nitem, stride) } {
                Ok(data) => pack(stringify!($pk), data, nitem, stride),
                Err(e) => crate::ret(stringify!($pk), Err(e)),
            };
            if !pvm::global().traces($tev) {
                return run();
            }
            traced_pack($tev, p as usize, nitem, stride, run)
        }

        /// Unpacks `nitem` items, every `stride`-th, from the active receive buffer.
        ///
        /// # Safety
        /// `p` points to writable storage for the items the call describes.
        #[no_mangle]
        pub unsafe extern "C" fn $upk(p: *mut $c, nitem: c_int, stride: c_int) -> c_int {
            // SAFETY: as above, for writable storage.
            let run = || match unsafe { items_mut(p.cast::<$rust>(), nitem, stride) } {
                Ok(out) => unpack(stringify!($upk), out, nitem, stride),
                Err(e) => crate::ret(stringify!($upk), Err(e)),
            };
            if !pvm::global().traces($tev + UPK_OFFSET) {
                return run();
            }
            traced_pack($tev + UPK_OFFSET, p as usize, nitem, stride, run)
        }
    )*};
}

pack_fns! {
    pvm_pkbyte, pvm_upkbyte, c_char => i8, 31;
    pvm_pkshort, pvm_upkshort, c_short => i16, 40;
    pvm_pkushort, pvm_upkushort, c_ushort => u16, 41;
    pvm_pkint, pvm_upkint, c_int => i32, 36;
    pvm_pkuint, pvm_upkuint, c_uint => u32, 37;
    pvm_pklong, pvm_upklong, c_long => i64, 38;
    pvm_pkulong, pvm_upkulong, c_ulong => u64, 39;
    pvm_pkfloat, pvm_upkfloat, f32 => f32, 35;
    pvm_pkdouble, pvm_upkdouble, f64 => f64, 34;
    pvm_pkcplx, pvm_upkcplx, f32 => Complex32, 32;
    pvm_pkdcplx, pvm_upkdcplx, f64 => Complex64, 33;
}

/// `pvm_pkstr`: packs a C string.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pvm_pkstr(s: *const c_char) -> c_int {
    guard("pvm_pkstr", || {
        if s.is_null() {
            return Err(PvmError::BadParam);
        }
        // SAFETY: non-NULL, NUL-terminated by contract.
        let bytes = unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes();
        global().with_buffers(|t| t.sbuf_mut()?.pkstr(bytes))?;
        Ok(0)
    })
}

/// `pvm_upkstr`: unpacks a string into `s`, NUL-terminated. As in PVM, `s` must be large
/// enough for the string the sender packed.
///
/// # Safety
/// `s` is NULL or writable for the packed string and its NUL.
#[no_mangle]
pub unsafe extern "C" fn pvm_upkstr(s: *mut c_char) -> c_int {
    guard("pvm_upkstr", || {
        if s.is_null() {
            return Err(PvmError::BadParam);
        }
        let bytes = global().with_buffers(|t| t.rbuf_mut()?.upkstr())?;
        let body = bytes.strip_suffix(&[0]).unwrap_or(&bytes);
        // SAFETY: the caller provides room for the string and its NUL (PVM's contract).
        unsafe {
            std::ptr::copy_nonoverlapping(body.as_ptr().cast(), s, body.len());
            *s.add(body.len()) = 0;
        }
        Ok(0)
    })
}

/// `pvm_pkmesg`: packs message `bufid` (header and body) into the active send buffer.
#[no_mangle]
pub extern "C" fn pvm_pkmesg(bufid: c_int) -> c_int {
    guard("pvm_pkmesg", || global().pkmesg(bufid).map(|_| 0))
}

/// `pvm_pkmesgbody`: appends message `bufid`'s body to the active send buffer.
#[no_mangle]
pub extern "C" fn pvm_pkmesgbody(bufid: c_int) -> c_int {
    guard("pvm_pkmesgbody", || global().pkmesgbody(bufid).map(|_| 0))
}

/// `pvm_upkmesg`: unpacks a message packed with `pvm_pkmesg` into a new buffer.
#[no_mangle]
pub extern "C" fn pvm_upkmesg() -> c_int {
    guard("pvm_upkmesg", || global().upkmesg())
}
