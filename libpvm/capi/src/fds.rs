//! The descriptors a task can wait on with `select()`: pvm_getfds, and the set of the
//! program's own descriptors a timed receive also watches (pvm_fd_add/pvm_fd_delete).
//!
//! `pvm_getfds` hands out one descriptor, fds[0], readable exactly while a message is
//! queued for the task (see libpvm's `client::readiness`): after `select()` says so, a
//! `pvm_nrecv`/`pvm_probe` finds a message, which PVM's own socket could only hint at.
//! Direct routes add no descriptors: their messages raise the same one.
//!
//! `pvm_fd_add(fd, sense)` adds a descriptor (sense 1: reading, 2: writing) to the set
//! PVM's library waits on; here a `pvm_trecv` returns early (0, no message) as soon as
//! one of them is ready, so a program can wait for a message and its own input in one
//! call. As in PVM, descriptors past `FD_SETSIZE` are refused with 1 and a log line.

use std::ffi::c_int;
use std::sync::Mutex;
use std::time::Duration;

use crate::{global, guard};

/// `select()`'s limit, which PVM's set has too.
const FD_SETSIZE: c_int = 1024;

/// The program's descriptors added with pvm_fd_add: (descriptor, sense bits).
static USER_FDS: Mutex<Vec<(c_int, c_int)>> = Mutex::new(Vec::new());

/// Library-owned storage for the array pvm_getfds hands out.
static FDS: Mutex<Vec<c_int>> = Mutex::new(Vec::new());

/// `pvm_getfds(&fds)`: the descriptors to select on; returns how many (always 1).
///
/// # Safety
/// `fds` is NULL or writable for one pointer.
#[no_mangle]
pub unsafe extern "C" fn pvm_getfds(fds: *mut *mut c_int) -> c_int {
    guard("pvm_getfds", || {
        let fd = global().readiness_fd()?;
        let mut store = FDS.lock().unwrap_or_else(|p| p.into_inner());
        *store = vec![fd];
        if !fds.is_null() {
            // SAFETY: writable by the caller's contract; the array lives in FDS until
            // the next call.
            unsafe { *fds = store.as_mut_ptr() };
        }
        Ok(store.len() as c_int)
    })
}

/// `pvm_fd_add(fd, sense)`: adds `fd` to the descriptors the library waits on
/// (sense: 1 read, 2 write, 3 both).
#[no_mangle]
pub extern "C" fn pvm_fd_add(fd: c_int, sense: c_int) -> c_int {
    guard("pvm_fd_add", || {
        if !(0..FD_SETSIZE).contains(&fd) {
            tracing::warn!("pvm_fd_add: descriptor {fd} is outside select's range");
            return Ok(1);
        }
        let sense = sense & 3;
        let mut set = USER_FDS.lock().unwrap_or_else(|p| p.into_inner());
        match set.iter_mut().find(|(f, _)| *f == fd) {
            Some((_, s)) => *s |= sense,
            None if sense != 0 => set.push((fd, sense)),
            None => {}
        }
        Ok(0)
    })
}

/// `pvm_fd_delete(fd, sense)`: removes `fd`'s `sense` bits from the set.
#[no_mangle]
pub extern "C" fn pvm_fd_delete(fd: c_int, sense: c_int) -> c_int {
    guard("pvm_fd_delete", || {
        if !(0..FD_SETSIZE).contains(&fd) {
            tracing::warn!("pvm_fd_delete: descriptor {fd} is outside select's range");
            return Ok(1);
        }
        let mut set = USER_FDS.lock().unwrap_or_else(|p| p.into_inner());
        for (f, s) in set.iter_mut() {
            if *f == fd {
                *s &= !(sense & 3);
            }
        }
        set.retain(|(_, s)| *s != 0);
        Ok(0)
    })
}

/// The added descriptors, if any.
pub(crate) fn user_fds() -> Vec<(c_int, c_int)> {
    USER_FDS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Whether one of `set` is ready now.
pub(crate) fn any_ready(set: &[(c_int, c_int)]) -> bool {
    let mut polls: Vec<libc::pollfd> = set
        .iter()
        .map(|&(fd, sense)| libc::pollfd {
            fd,
            events: (if sense & 1 != 0 { libc::POLLIN } else { 0 })
                | (if sense & 2 != 0 { libc::POLLOUT } else { 0 }),
            revents: 0,
        })
        .collect();
    // SAFETY: `polls` is a valid array of pollfd of the given length; no waiting.
    let n = unsafe { libc::poll(polls.as_mut_ptr(), polls.len() as libc::nfds_t, 0) };
    n > 0
}

/// How often a timed receive looks at the program's descriptors.
pub(crate) const SLICE: Duration = Duration::from_millis(5);
