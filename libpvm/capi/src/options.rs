//! Options, output collection, exported environment and contexts.

use std::ffi::{c_char, c_int};
use std::io::Write;

use pvm::PvmError;

use crate::{global, guard, text};

#[no_mangle]
pub extern "C" fn pvm_setopt(what: c_int, val: c_int) -> c_int {
    guard("pvm_setopt", || {
        let old = global().setopt(what, val)?;
        if what == pvm::constants::PvmDebugMask {
            crate::internals::pvmdebmask.store(val, std::sync::atomic::Ordering::Relaxed);
        }
        crate::tev::refresh_tracer(global());
        Ok(old)
    })
}

#[no_mangle]
pub extern "C" fn pvm_getopt(what: c_int) -> c_int {
    guard("pvm_getopt", || global().getopt(what))
}

/// A C `FILE *` as a writer for caught output.
struct CFile(*mut libc::FILE);

// SAFETY: stdio streams are locked internally by libc, so writing from the library's
// reader thread is sound; the FILE outlives the task by pvm_catchout's contract.
unsafe impl Send for CFile {}

impl Write for CFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // SAFETY: buf is valid for buf.len() bytes; the stream is open (contract).
        let n = unsafe { libc::fwrite(buf.as_ptr().cast(), 1, buf.len(), self.0) };
        if n == 0 && !buf.is_empty() {
            return Err(std::io::Error::other("fwrite failed"));
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // SAFETY: the stream is open (contract).
        unsafe { libc::fflush(self.0) };
        Ok(())
    }
}

/// `pvm_catchout`: children's output is written to `ff` (NULL: stop catching).
///
/// # Safety
/// `ff` is NULL or an open stream that stays open while output is caught.
#[no_mangle]
pub unsafe extern "C" fn pvm_catchout(ff: *mut libc::FILE) -> c_int {
    guard("pvm_catchout", || {
        let sink: Option<Box<dyn Write + Send>> = if ff.is_null() {
            None
        } else {
            Some(Box::new(CFile(ff)))
        };
        global().catchout(sink).map(|_| 0)
    })
}

/// The names in PVM_EXPORT, which spawn passes on to children.
fn exported() -> Vec<String> {
    std::env::var("PVM_EXPORT")
        .unwrap_or_default()
        .split(':')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `pvm_export`: adds a variable name to PVM_EXPORT.
///
/// # Safety
/// `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_export(name: *const c_char) -> c_int {
    guard("pvm_export", || {
        // SAFETY: caller's contract.
        let name = unsafe { text(name) }?.into_owned();
        if name.is_empty() || name.contains([':', '=']) {
            return Err(PvmError::BadParam);
        }
        let mut list = exported();
        if !list.contains(&name) {
            list.push(name);
        }
        std::env::set_var("PVM_EXPORT", list.join(":"));
        Ok(0)
    })
}

/// `pvm_unexport`: removes a variable name from PVM_EXPORT.
///
/// # Safety
/// `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_unexport(name: *const c_char) -> c_int {
    guard("pvm_unexport", || {
        // SAFETY: caller's contract.
        let name = unsafe { text(name) }?;
        let list: Vec<String> = exported().into_iter().filter(|n| *n != name).collect();
        std::env::set_var("PVM_EXPORT", list.join(":"));
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn pvm_newcontext() -> c_int {
    guard("pvm_newcontext", || global().newcontext())
}

#[no_mangle]
pub extern "C" fn pvm_setcontext(ctx: c_int) -> c_int {
    guard("pvm_setcontext", || {
        let old = global().setcontext(ctx)?;
        crate::internals::publish_context(ctx);
        Ok(old)
    })
}

#[no_mangle]
pub extern "C" fn pvm_freecontext(ctx: c_int) -> c_int {
    guard("pvm_freecontext", || global().freecontext(ctx).map(|_| 0))
}

#[no_mangle]
pub extern "C" fn pvm_getcontext() -> c_int {
    guard("pvm_getcontext", || Ok(global().getcontext()))
}
