//! Task and machine control: pvmfmytid, pvmfparent, pvmfsiblings, pvmfexit,
//! pvmfspawn, pvmfkill, pvmfsendsig, pvmfhalt, pvmfaddhost, pvmfdelhost,
//! pvmfstartpvmd, pvmfsleep.

use std::ffi::{c_char, c_int, CString};

use pvm::PvmError;

use crate::strings::input;
use crate::{c, call, fail, get, put};

/// `call pvmfmytid(tid)`: joins the virtual machine on first use.
///
/// # Safety
/// `tid` is a writable INTEGER (as for every result argument below).
#[no_mangle]
pub unsafe extern "C" fn pvmfmytid_(tid: *mut c_int) {
    // SAFETY: the caller's contract; the C routine takes no pointer.
    unsafe { call(tid, || Ok(c::pvm_mytid())) }
}

/// `call pvmfparent(tid)`.
///
/// # Safety
/// `tid` is a writable INTEGER.
#[no_mangle]
pub unsafe extern "C" fn pvmfparent_(tid: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(tid, || Ok(c::pvm_parent())) }
}

/// `call pvmfsiblings(ntids, index, sibling)`: the number of tasks spawned together
/// with this one, and the tid at `index` (0-based) in `sibling`. Index -1 leaves
/// `sibling` alone; any other index out of range stores PvmNoTask there.
///
/// # Safety
/// `ntids`, `sibling` writable and `index` a readable INTEGER.
#[no_mangle]
pub unsafe extern "C" fn pvmfsiblings_(
    ntids: *mut c_int,
    index: *const c_int,
    sibling: *mut c_int,
) {
    // SAFETY: the caller's contract for each pointer.
    unsafe {
        call(ntids, || {
            let mut tids: *mut c_int = std::ptr::null_mut();
            let n = c::pvm_siblings(&mut tids);
            if n < 0 {
                return Err(n);
            }
            match get(index)? {
                -1 => {}
                i if (0..n).contains(&i) && !tids.is_null() => {
                    // In range of the array pvm_siblings handed out.
                    put(sibling, *tids.add(i as usize));
                }
                _ => put(sibling, PvmError::NoTask.code()),
            }
            Ok(n)
        })
    }
}

/// `call pvmfexit(info)`.
///
/// # Safety
/// `info` is a writable INTEGER.
#[no_mangle]
pub unsafe extern "C" fn pvmfexit_(info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(c::pvm_exit())) }
}

/// `call pvmfspawn(task, flag, where, ntask, tids, numt)`: `where` blank or `'*'`
/// lets PVM choose, as a NULL `where` does in C; the programs get no arguments.
///
/// # Safety
/// `task` and `where_` hold their hidden lengths of characters; `flag` and `ntask`
/// are readable INTEGERs, `tids` has room for `ntask` of them, `numt` is writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfspawn_(
    task: *const c_char,
    flag: *const c_int,
    where_: *const c_char,
    ntask: *const c_int,
    tids: *mut c_int,
    numt: *mut c_int,
    task_len: usize,
    where_len: usize,
) {
    // SAFETY: the caller's contract for each pointer and length.
    unsafe {
        call(numt, || {
            let name = input(task, task_len).map_err(|e| fail("pvmfspawn", e))?;
            let place = input(where_, where_len).map_err(|e| fail("pvmfspawn", e))?;
            let place = match place.as_bytes() {
                b"" | b"*" => std::ptr::null(),
                _ => place.as_ptr(),
            };
            let (flag, ntask) = (get(flag)?, get(ntask)?);
            Ok(c::pvm_spawn(
                name.as_ptr(),
                std::ptr::null(),
                flag,
                place,
                ntask,
                tids,
            ))
        })
    }
}

/// `call pvmfkill(tid, info)`.
///
/// # Safety
/// `tid` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfkill_(tid: *const c_int, info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(c::pvm_kill(get(tid)?))) }
}

/// `call pvmfsendsig(tid, signum, info)`.
///
/// # Safety
/// `tid`, `signum` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfsendsig_(tid: *const c_int, signum: *const c_int, info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(c::pvm_sendsig(get(tid)?, get(signum)?))) }
}

/// `call pvmfhalt(info)`.
///
/// # Safety
/// `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfhalt_(info: *mut c_int) {
    // SAFETY: the caller's contract.
    unsafe { call(info, || Ok(c::pvm_halt())) }
}

/// One host for `pvm_addhosts`/`pvm_delhosts`: `info` is that host's outcome (1, or
/// its error code), as PVM's Fortran routines give it.
///
/// # Safety
/// `host` holds `len` characters.
unsafe fn one_host(
    routine: &str,
    host: *const c_char,
    len: usize,
    f: unsafe extern "C" fn(*const *const c_char, c_int, *mut c_int) -> c_int,
) -> Result<c_int, c_int> {
    // SAFETY: the caller's contract.
    let name = unsafe { input(host, len) }.map_err(|e| fail(routine, e))?;
    let names = [name.as_ptr()];
    let mut outcome: c_int = 0;
    // SAFETY: one valid C string and room for one result.
    let done = unsafe { f(names.as_ptr(), 1, &mut outcome) };
    match done {
        1.. => Ok(1),
        0 => Err(outcome.min(-1)),
        e => Err(e),
    }
}

/// `call pvmfaddhost(host, info)`: adds one host; `info` is 1, or the error.
///
/// # Safety
/// `host` holds `host_len` characters; `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfaddhost_(host: *const c_char, info: *mut c_int, host_len: usize) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            one_host("pvmfaddhost", host, host_len, c::pvm_addhosts)
        })
    }
}

/// `call pvmfdelhost(host, info)`: deletes one host; `info` is 1, or the error.
///
/// # Safety
/// `host` holds `host_len` characters; `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfdelhost_(host: *const c_char, info: *mut c_int, host_len: usize) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            one_host("pvmfdelhost", host, host_len, c::pvm_delhosts)
        })
    }
}

/// `call pvmfstartpvmd(args, block, info)`: `args` holds pvmd's arguments separated by
/// blanks (`'-d41 /u/jones/pvmd_hosts'`).
///
/// # Safety
/// `args` holds `args_len` characters; `block` readable, `info` writable.
#[no_mangle]
pub unsafe extern "C" fn pvmfstartpvmd_(
    args: *const c_char,
    block: *const c_int,
    info: *mut c_int,
    args_len: usize,
) {
    // SAFETY: the caller's contract.
    unsafe {
        call(info, || {
            let text = input(args, args_len).map_err(|e| fail("pvmfstartpvmd", e))?;
            let words: Vec<CString> = text
                .as_bytes()
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty())
                .map(|w| CString::new(w).expect("no NUL in a C string's words"))
                .collect();
            let argv: Vec<*const c_char> = words.iter().map(|w| w.as_ptr()).collect();
            let argc = c_int::try_from(argv.len()).map_err(|_| PvmError::BadParam.code())?;
            Ok(c::pvm_start_pvmd(argc, argv.as_ptr(), get(block)?))
        })
    }
}

/// `call pvmfsleep(secs)`: sleeps `secs` seconds (PVM's Fortran library has it; the
/// gexamples' frsg waits with it).
///
/// # Safety
/// `secs` is a readable INTEGER.
#[no_mangle]
pub unsafe extern "C" fn pvmfsleep_(secs: *const c_int) {
    // SAFETY: the caller's contract.
    let secs = unsafe { get(secs) }.unwrap_or(0);
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: a plain C call.
        unsafe { c::pvmsleep(secs) }
    });
}
