//! The message mailbox: pvmfputinfo, pvmfrecvinfo, pvmfdelinfo, pvmfgetmboxinfo.
//!
//! pvmfgetmboxinfo returns one class per call, as PVM's manual says: the first call
//! takes a snapshot of the classes matching the pattern, each call hands out the next
//! (its name, the number of classes, and the class's entries in `index`, `owner` and
//! `flags`), and after the last one `info` is PvmNotFound and the next call starts
//! over. Passing `info` = -1 starts over at once, with the pattern given.

use std::ffi::{c_char, c_int, CStr};
use std::sync::Mutex;

use pvm::PvmError;

use crate::strings::{acceptable, input, output};
use crate::{c, call, fail, get, put};

/// `call pvmfputinfo(name, bufid, flags, index)`.
///
/// # Safety
/// `name` holds `name_len` characters; `bufid`, `flags` readable, `index` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfputinfo_(
    name: *const c_char,
    bufid: *const c_int,
    flags: *const c_int,
    index: *mut c_int,
    name_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(index, || {
            let n = input(name, name_len).map_err(|e| fail("pvmfputinfo", e))?;
            Ok(c::pvm_putinfo(n.as_ptr(), get(bufid)?, get(flags)?))
        })
    }
}

/// `call pvmfrecvinfo(name, index, flags, bufid)`.
///
/// # Safety
/// `name` holds `name_len` characters; `index`, `flags` readable, `bufid` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfrecvinfo_(
    name: *const c_char,
    index: *const c_int,
    flags: *const c_int,
    bufid: *mut c_int,
    name_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(bufid, || {
            let n = input(name, name_len).map_err(|e| fail("pvmfrecvinfo", e))?;
            Ok(c::pvm_recvinfo(n.as_ptr(), get(index)?, get(flags)?))
        })
    }
}

/// `call pvmfdelinfo(name, index, flags, info)`.
///
/// # Safety
/// `name` holds `name_len` characters; `index`, `flags` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfdelinfo_(
    name: *const c_char,
    index: *const c_int,
    flags: *const c_int,
    info: *mut c_int,
    name_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let n = input(name, name_len).map_err(|e| fail("pvmfdelinfo", e))?;
            Ok(c::pvm_delinfo(n.as_ptr(), get(index)?, get(flags)?))
        })
    }
}

/// One class of a pvmfgetmboxinfo snapshot.
struct Class {
    name: Vec<u8>,
    indices: Vec<c_int>,
    owners: Vec<c_int>,
    flags: Vec<c_int>,
}

/// The classes of the current cycle and the next to hand out.
struct Classes {
    items: Vec<Class>,
    next: usize,
}

static CLASSES: Mutex<Option<Classes>> = Mutex::new(None);

/// `n` ints at `p` (NULL or a negative count read as none).
///
/// # Safety
/// `p` is NULL or points to `n` ints.
unsafe fn ints(p: *const c_int, n: c_int) -> Vec<c_int> {
    match usize::try_from(n) {
        // SAFETY: the caller's contract.
        Ok(n) if n > 0 && !p.is_null() => unsafe { std::slice::from_raw_parts(p, n) }.to_vec(),
        _ => Vec::new(),
    }
}

/// The classes matching `pattern`, copied out of the array the C library owns.
///
/// # Safety
/// A plain C call and reads of what it handed out.
unsafe fn snapshot(pattern: &CStr) -> Result<Vec<Class>, c_int> {
    let (mut n, mut classes) = (0, std::ptr::null_mut());
    // SAFETY: a C string and two writable locals.
    let r = unsafe { c::pvm_getmboxinfo(pattern.as_ptr(), &mut n, &mut classes) };
    if r < 0 {
        return Err(r);
    }
    let count = usize::try_from(n).unwrap_or(0);
    if classes.is_null() || count == 0 {
        return Ok(Vec::new());
    }
    // SAFETY: `n` entries, each with `mi_nentries` ints in its three arrays and a C
    // string name, owned by the library until its next call.
    let list = unsafe { std::slice::from_raw_parts(classes, count) };
    Ok(list
        .iter()
        .map(|m| {
            // SAFETY: as above.
            unsafe {
                Class {
                    name: match m.mi_name.is_null() {
                        true => Vec::new(),
                        false => CStr::from_ptr(m.mi_name).to_bytes().to_vec(),
                    },
                    indices: ints(m.mi_indices, m.mi_nentries),
                    owners: ints(m.mi_owners, m.mi_nentries),
                    flags: ints(m.mi_flags, m.mi_nentries),
                }
            }
        })
        .collect())
}

/// Copies `values` into a Fortran INTEGER array.
///
/// # Safety
/// `p` is NULL or writable for `values.len()` INTEGERs.
unsafe fn put_all(p: *mut c_int, values: &[c_int]) {
    if !p.is_null() {
        // SAFETY: the caller's contract.
        unsafe { std::ptr::copy_nonoverlapping(values.as_ptr(), p, values.len()) };
    }
}

/// `call pvmfgetmboxinfo(pattern, name, nclasses, nentries, index, owner, flags,
/// info)`: one class per call (see the module doc).
///
/// # Safety
/// `pattern` and `name` hold their hidden lengths of characters (`name` writable);
/// `index`, `owner` and `flags` are writable for as many INTEGERs as the class has
/// entries; `nclasses`, `nentries` writable; `info` readable and writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfgetmboxinfo_(
    pattern: *const c_char,
    name: *mut c_char,
    nclasses: *mut c_int,
    nentries: *mut c_int,
    index: *mut c_int,
    owner: *mut c_int,
    flags: *mut c_int,
    info: *mut c_int,
    pattern_len: usize,
    name_len: usize,
) {
    // SAFETY: the caller's contract for each pointer and length.
    unsafe {
        call(info, || {
            if !acceptable(name_len) {
                return Err(fail("pvmfgetmboxinfo", PvmError::BadParam));
            }
            let mut slot = CLASSES.lock().unwrap_or_else(|p| p.into_inner());
            if get(info)? == -1 {
                *slot = None;
            }
            if slot.is_none() {
                let pat = input(pattern, pattern_len).map_err(|e| fail("pvmfgetmboxinfo", e))?;
                *slot = Some(Classes {
                    items: snapshot(&pat)?,
                    next: 0,
                });
            }
            let classes = slot.as_mut().expect("filled above");
            let total = c_int::try_from(classes.items.len()).unwrap_or(c_int::MAX);
            let Some(class) = classes.items.get(classes.next) else {
                *slot = None;
                put(nclasses, total);
                return Err(PvmError::NotFound.code());
            };
            output(name, name_len, &class.name).map_err(|e| fail("pvmfgetmboxinfo", e))?;
            put(nclasses, total);
            put(
                nentries,
                c_int::try_from(class.indices.len()).unwrap_or(c_int::MAX),
            );
            put_all(index, &class.indices);
            put_all(owner, &class.owners);
            put_all(flags, &class.flags);
            classes.next += 1;
            Ok(0)
        })
    }
}
