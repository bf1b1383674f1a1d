//! The descriptor `pvm_getfds` hands out: readable exactly while a message is queued.
//!
//! PVM's own library gives programs its pvmd socket to `select()` on. Ours cannot: the
//! thread that holds the reader token (or the background reader) may already have read
//! a message off that socket into the inbox, leaving the socket empty while a message
//! waits. Instead the inbox keeps one end of a socket pair holding one byte while its
//! queue is not empty, and empty otherwise, so `select()` on the other end says what a
//! following `pvm_nrecv` will find. Only the inbox writes and reads the pair, under the
//! hub's lock, so the byte and the queue always agree.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;

/// A level-triggered "something is queued" flag as a readable descriptor.
pub struct Readiness {
    /// The end the inbox writes the byte into.
    tx: UnixStream,
    /// The end programs select on; the inbox reads the byte back from it.
    rx: UnixStream,
    /// Whether the byte is in the pair now.
    raised: bool,
}

impl Readiness {
    /// A lowered flag.
    pub fn new() -> io::Result<Readiness> {
        let (tx, rx) = UnixStream::pair()?;
        tx.set_nonblocking(true)?;
        rx.set_nonblocking(true)?;
        Ok(Readiness {
            tx,
            rx,
            raised: false,
        })
    }

    /// The descriptor to select on (owned here; valid while the task is joined).
    pub fn fd(&self) -> RawFd {
        self.rx.as_raw_fd()
    }

    /// Raises or lowers the flag.
    pub fn set(&mut self, up: bool) {
        if up == self.raised {
            return;
        }
        let done = if up {
            (&self.tx).write(&[1]).map(|n| n == 1)
        } else {
            (&self.rx).read(&mut [0u8; 1]).map(|n| n == 1)
        };
        match done {
            Ok(true) => self.raised = up,
            // A full or empty pair is already in the wanted state.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.raised = up,
            other => tracing::debug!("readiness descriptor not updated: {other:?}"),
        }
    }
}
