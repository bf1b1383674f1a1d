//! Sending and receiving messages: send, mcast, recv, nrecv, trecv, probe.
//!
//! These calls move packed bodies ([`Bytes`] plus their encoding); the buffer layer
//! ([`super::buffers`]) packs and unpacks them and keeps PVM's active send and receive
//! buffers. Receives match on source and tag, `-1` being a wildcard as in PVM, and only
//! ever see messages of the task's current context. Message handlers and matching
//! functions ([`super::handlers`]) take part in every receive. With `PvmDebugMask` set
//! (any non-zero level) every send and every message a receive takes or a handler gets
//! is logged on stderr, as PVM's library logs its operations.

use std::time::{Duration, Instant};

use bytes::Bytes;

use super::handlers::Wait;
use super::inbox::{Filter, Incoming};
use super::Pvm;
use crate::error::{PvmError, Result};
use crate::proto::Message;
use crate::tid::Tid;

impl Pvm {
    /// Checks a destination and tag as PVM does before anything is sent.
    fn check_dest(&self, dst: Tid, tag: i32) -> Result<()> {
        let resv = self.options().resv_tids;
        if dst.raw() <= 0 || (tag < 0 && !resv) || (dst.is_pvmd() && !resv) {
            return Err(PvmError::BadParam);
        }
        Ok(())
    }

    /// Sends a packed body to `dst` with `tag`, in the current context.
    pub fn send_bytes(&self, dst: Tid, tag: i32, encoding: i32, body: Bytes) -> Result<()> {
        self.check_dest(dst, tag)?;
        let s = self.session()?;
        let (route, debug) = {
            let o = self.options();
            (o.route, o.debug_mask)
        };
        if debug != 0 {
            debug_line(
                s.me(),
                format_args!(
                    "send() dst {dst} tag {tag} ctx {} len {}",
                    self.getcontext(),
                    body.len()
                ),
            );
        }
        let msg = Message {
            src: s.me(),
            dst,
            tag,
            ctx: self.getcontext(),
            encoding,
            flags: 0,
            body,
        };
        s.send(msg, route)
    }

    /// Sends one packed body to every task in `dsts` (the caller excluded, as in PVM).
    /// The body is shared, not copied, between the messages.
    pub fn mcast_bytes(&self, dsts: &[Tid], tag: i32, encoding: i32, body: Bytes) -> Result<()> {
        for &d in dsts {
            self.check_dest(d, tag)?;
        }
        let me = self.mytid()?;
        for &d in dsts.iter().filter(|&&d| d != me) {
            self.send_bytes(d, tag, encoding, body.clone())?;
        }
        Ok(())
    }

    pub(super) fn filter(&self, src: i32, tag: i32) -> Result<Filter> {
        if src < -1 || (tag < -1 && !self.options().resv_tids) {
            return Err(PvmError::BadParam);
        }
        Ok(Filter::from_pvm(src, tag, self.getcontext()))
    }

    /// A descriptor that is readable while a message is queued for this task
    /// (`pvm_getfds`; see [`super::readiness`]). Joins first if needed.
    pub fn readiness_fd(&self) -> Result<std::os::fd::RawFd> {
        self.session()?.hub.readiness_fd().map_err(|e| {
            tracing::warn!("no readiness descriptor: {e}");
            PvmError::SysErr
        })
    }

    /// Logs what a receive took when `PvmDebugMask` is set.
    pub(super) fn debug_received(&self, call: &str, m: &Incoming) {
        if self.options().debug_mask == 0 {
            return;
        }
        if let Some(s) = self.lock_session().as_ref() {
            debug_line(
                s.me(),
                format_args!(
                    "{call}() src {} tag {} ctx {} len {}",
                    m.src,
                    m.tag,
                    m.ctx,
                    m.body.len()
                ),
            );
        }
    }

    /// Waits for a message from `src` with `tag` (`-1` matches any) and takes it.
    pub fn recv_bytes(&self, src: i32, tag: i32) -> Result<Incoming> {
        self.receive(src, tag, Wait::Forever, false)?
            .ok_or(PvmError::SysErr)
    }

    /// Takes a matching message if one has arrived; never waits.
    pub fn nrecv_bytes(&self, src: i32, tag: i32) -> Result<Option<Incoming>> {
        self.receive(src, tag, Wait::Never, false)
    }

    /// Waits at most `timeout` for a matching message; `None` when none came.
    pub fn trecv_bytes(&self, src: i32, tag: i32, timeout: Duration) -> Result<Option<Incoming>> {
        let deadline = Instant::now().checked_add(timeout);
        self.receive(src, tag, Wait::Until(deadline), false)
    }

    /// The oldest matching message, left in the queue (`pvm_probe`).
    pub fn probe_bytes(&self, src: i32, tag: i32) -> Result<Option<Incoming>> {
        self.receive(src, tag, Wait::Never, true)
    }
}

/// One line of the library's debug log (`PvmDebugMask` not 0): on stderr, in PVM's
/// `libpvm [tid]: ` form. A closed stderr loses it, never panics.
pub(super) fn debug_line(me: Tid, what: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "libpvm [{me}]: {what}");
}
