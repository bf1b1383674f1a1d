//! How a receive chooses its message: message handlers (`pvm_addmhf`) and matching
//! functions (`pvm_recvf`).
//!
//! A message handler is a function the task registers for a (source, tag, context)
//! triple, each of them `-1` for any. A message that matches a handler never reaches
//! a receive: the receive that meets it (`recv`, `nrecv`, `trecv`, `probe`, whatever
//! they wait for) runs the handler instead, with the message as the active receive
//! buffer and no active send buffer, then frees the message (unless the handler did)
//! and puts the caller's buffers back, as PVM 3.4 does. Handlers run on the receiving
//! thread with no lock of the library held, so they may call PVM; a receive made
//! inside a handler does not run handlers again (PVM forbids receiving there; ours
//! just leaves handled messages queued until the outer receive).
//!
//! A matching function replaces the rule "source and tag, `-1` for any, in the current
//! context" for `recv`, `nrecv`, `trecv` and `probe`. It is asked about every queued
//! message, each shown to it as a buffer id (so it can call `bufinfo`/`getminfo`),
//! and answers with PVM's ranks: negative ends the receive with that error, 0 skips
//! the message, 1 takes it at once, more than 1 takes the highest-ranked after all
//! were seen. A receive made inside a matching function uses PVM's own rule.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Instant;

use super::inbox::Incoming;
use super::session::Session;
use super::Pvm;
use crate::error::{PvmError, Result};

/// A message handler: called with the id of the buffer holding the message.
pub type HandlerFn = Arc<dyn Fn(i32) + Send + Sync>;

/// A matching function for receives: `(bufid, tid, tag)` asked of the receive, the
/// answer a rank (see the module doc).
pub type MatchFn = Arc<dyn Fn(i32, i32, i32) -> i32 + Send + Sync>;

/// One registered handler's key, as `pvmdisplaymhfinfo` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerKey {
    /// The id `addmhf` returned.
    pub mhid: i32,
    /// Source tid, `-1` for any.
    pub src: i32,
    /// Tag, `-1` for any.
    pub tag: i32,
    /// Context, `-1` for any.
    pub ctx: i32,
}

impl HandlerKey {
    fn matches(&self, m: &Incoming) -> bool {
        (self.src == -1 || self.src == m.src.raw())
            && (self.tag == -1 || self.tag == m.tag)
            && (self.ctx == -1 || self.ctx == m.ctx)
    }
}

/// The task's message handlers, by id (the lowest free id is reused, as in PVM).
#[derive(Default)]
pub struct Handlers {
    slots: Vec<Option<(HandlerKey, HandlerFn)>>,
}

impl Handlers {
    /// Registers `func` for messages matching `src`, `tag`, `ctx`; its id.
    /// `PvmExists` when a handler has the same triple already.
    pub fn add(&mut self, src: i32, tag: i32, ctx: i32, func: HandlerFn) -> Result<i32> {
        if self
            .keys()
            .any(|k| (k.src, k.tag, k.ctx) == (src, tag, ctx))
        {
            return Err(PvmError::Exists);
        }
        let at = match self.slots.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        let mhid = i32::try_from(at).map_err(|_| PvmError::NoMem)?;
        self.slots[at] = Some((
            HandlerKey {
                mhid,
                src,
                tag,
                ctx,
            },
            func,
        ));
        Ok(mhid)
    }

    /// Removes handler `mhid`: `PvmBadParam` for a negative id, `PvmNotFound` for one
    /// not registered.
    pub fn delete(&mut self, mhid: i32) -> Result<()> {
        let at = usize::try_from(mhid).map_err(|_| PvmError::BadParam)?;
        match self.slots.get_mut(at) {
            Some(slot @ Some(_)) => {
                *slot = None;
                Ok(())
            }
            _ => Err(PvmError::NotFound),
        }
    }

    /// The registered handlers' keys, by id.
    pub fn keys(&self) -> impl Iterator<Item = &HandlerKey> {
        self.slots.iter().flatten().map(|(k, _)| k)
    }

    /// The handler for `m`, if one matches (the lowest id when several do).
    fn find(&self, m: &Incoming) -> Option<HandlerFn> {
        self.slots
            .iter()
            .flatten()
            .find(|(k, _)| k.matches(m))
            .map(|(_, f)| Arc::clone(f))
    }

    fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }
}

thread_local! {
    /// How many handlers or matching functions this thread is inside: receives there
    /// run no handler and use PVM's own matching rule.
    static IN_HANDLER: Cell<u32> = const { Cell::new(0) };
}

/// How long a receive may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Not at all (`nrecv`, `probe`).
    Never,
    /// Until the instant (`trecv`; `None`: the timeout cannot be represented, so
    /// forever).
    Until(Option<Instant>),
    /// Until a message comes (`recv`).
    Forever,
}

impl Pvm {
    /// `pvm_addmhf`: runs `func` for every message from `src` with `tag` in context
    /// `ctx` (`-1`: any) instead of letting a receive take it. Returns the handler's id.
    pub fn addmhf(&self, src: i32, tag: i32, ctx: i32, func: HandlerFn) -> Result<i32> {
        if src < -1 || ctx < -1 {
            return Err(PvmError::BadParam);
        }
        self.handlers().add(src, tag, ctx, func)
    }

    /// `pvm_delmhf`: removes a handler.
    pub fn delmhf(&self, mhid: i32) -> Result<()> {
        self.handlers().delete(mhid)
    }

    /// The handler table for `pvmdisplaymhfinfo`: its size (slots ever used, free
    /// ones included) and the registered handlers.
    pub fn handler_table(&self) -> (usize, Vec<HandlerKey>) {
        let h = self.handlers();
        (h.slots.len(), h.keys().copied().collect())
    }

    /// `pvm_recvf`: installs `matcher` (`None`: PVM's default rule) for the receives;
    /// returns the one it replaces.
    pub fn recvf(&self, matcher: Option<MatchFn>) -> Option<MatchFn> {
        let mut slot = self
            .shared
            .matcher
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        std::mem::replace(&mut *slot, matcher)
    }

    fn handlers(&self) -> std::sync::MutexGuard<'_, Handlers> {
        self.shared
            .handlers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// The matching function, unless this thread is inside a handler or a matching
    /// function already (a receive there uses PVM's rule, so it cannot recurse).
    fn matcher(&self) -> Option<MatchFn> {
        if IN_HANDLER.with(Cell::get) > 0 {
            return None;
        }
        self.shared
            .matcher
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The keys receives must leave to handlers now; none inside a handler.
    fn live_handlers(&self) -> Vec<HandlerKey> {
        if IN_HANDLER.with(Cell::get) > 0 {
            return Vec::new();
        }
        let h = self.handlers();
        if h.is_empty() {
            return Vec::new();
        }
        h.keys().copied().collect()
    }

    /// The receive every `recv`-family call makes: the oldest message `src`/`tag`
    /// match in the current context (or what the matching function picks), waiting as
    /// `wait` says; `peek` leaves it queued. Handled messages met on the way are
    /// given to their handlers.
    pub(super) fn receive(
        &self,
        src: i32,
        tag: i32,
        wait: Wait,
        peek: bool,
    ) -> Result<Option<Incoming>> {
        let filter = self.filter(src, tag)?;
        let s = self.session()?;
        loop {
            self.run_queued_handlers(&s)?;
            if let Some(matcher) = self.matcher() {
                match self.receive_matched(&s, &matcher, src, tag, wait, peek)? {
                    Pick::Got(m) => return Ok(Some(self.taken(m, peek))),
                    Pick::Nothing => return Ok(None),
                    Pick::Again => continue,
                }
            }
            let keys = self.live_handlers();
            if keys.is_empty() {
                // No handler takes part: PVM's rule alone.
                let got = match (wait, peek) {
                    (_, true) => s.hub.peek_now(&filter)?,
                    (Wait::Never, false) => s.hub.take_now(&filter)?,
                    (Wait::Until(deadline), false) => s.hub.wait_take(&filter, deadline)?,
                    (Wait::Forever, false) => {
                        Some(s.hub.wait_take(&filter, None)?.ok_or(PvmError::SysErr)?)
                    }
                };
                return Ok(got.map(|m| self.taken(m, peek)));
            }
            let wanted = |m: &Incoming| filter.matches(m) || keys.iter().any(|k| k.matches(m));
            let m = if peek {
                // Handled messages were just taken; a probe only looks for its own.
                let mine = |m: &Incoming| filter.matches(m) && !keys.iter().any(|k| k.matches(m));
                return s.hub.peek_now_where(mine);
            } else {
                match wait {
                    Wait::Never => s.hub.take_now_where(wanted)?,
                    Wait::Until(deadline) => s.hub.wait_take_where(wanted, deadline)?,
                    Wait::Forever => Some(
                        s.hub
                            .wait_take_where(wanted, None)?
                            .ok_or(PvmError::SysErr)?,
                    ),
                }
            };
            let Some(m) = m else { return Ok(None) };
            match self.handler_for(&m) {
                Some(h) => self.dispatch(m, h)?,
                None => return Ok(Some(self.taken(m, peek))),
            }
        }
    }

    /// A message a receive hands out (logged with `PvmDebugMask`).
    fn taken(&self, m: Incoming, peek: bool) -> Incoming {
        self.debug_received(if peek { "probe" } else { "recv" }, &m);
        m
    }

    fn handler_for(&self, m: &Incoming) -> Option<HandlerFn> {
        if IN_HANDLER.with(Cell::get) > 0 {
            return None;
        }
        self.handlers().find(m)
    }

    /// Gives every queued message that has a handler to it.
    fn run_queued_handlers(&self, s: &Session) -> Result<()> {
        loop {
            let keys = self.live_handlers();
            if keys.is_empty() {
                return Ok(());
            }
            let handled = |m: &Incoming| keys.iter().any(|k| k.matches(m));
            let Some(m) = s.hub.take_now_where(handled)? else {
                return Ok(());
            };
            match self.handler_for(&m) {
                Some(h) => self.dispatch(m, h)?,
                // Its handler went meanwhile: the message is an ordinary one again.
                None => return self.requeue(s, m),
            }
        }
    }

    /// Puts back a message taken for a handler that was deleted before it ran.
    fn requeue(&self, s: &Session, m: Incoming) -> Result<()> {
        s.hub.requeue(m);
        Ok(())
    }

    /// Runs handler `h` on message `m` as PVM does: `m` is the active receive buffer,
    /// there is no send buffer; afterwards `m` is freed (unless the handler did) and
    /// the caller's buffers are active again.
    fn dispatch(&self, m: Incoming, h: HandlerFn) -> Result<()> {
        self.debug_received("handler", &m);
        let buf = m.into_buffer()?;
        let (mid, sbuf, rbuf) = self.with_buffers(|t| {
            let mid = t.insert(buf)?;
            let sbuf = t.setsbuf(0)?;
            let rbuf = t.setrbuf(mid)?;
            Ok::<_, PvmError>((mid, sbuf, rbuf))
        })?;
        IN_HANDLER.with(|d| d.set(d.get() + 1));
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h(mid)));
        IN_HANDLER.with(|d| d.set(d.get() - 1));
        self.with_buffers(|t| {
            if t.contains(mid) {
                let _ = t.freebuf(mid);
            }
            let _ = t.setsbuf(if t.contains(sbuf) { sbuf } else { 0 });
            let _ = t.setrbuf(if t.contains(rbuf) { rbuf } else { 0 });
        });
        ran.map_err(|_| PvmError::SysErr)
    }

    /// One look (and, as `wait` allows, waits) with the matching function.
    fn receive_matched(
        &self,
        s: &Session,
        matcher: &MatchFn,
        src: i32,
        tag: i32,
        wait: Wait,
        peek: bool,
    ) -> Result<Pick> {
        let keys = self.live_handlers();
        let (seen, queued) = s.hub.queued_now()?;
        let mut best: Option<(i32, Incoming)> = None;
        for m in queued {
            if keys.iter().any(|k| k.matches(&m)) {
                // Its handler runs first (next round).
                return Ok(Pick::Again);
            }
            let id = self.with_buffers(|t| t.insert(m.clone().into_buffer()?))?;
            IN_HANDLER.with(|d| d.set(d.get() + 1));
            let rank =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| matcher(id, src, tag)));
            IN_HANDLER.with(|d| d.set(d.get() - 1));
            let rank = rank.map_err(|_| PvmError::SysErr);
            self.with_buffers(|t| {
                let _ = t.freebuf(id);
            });
            let rank = rank?;
            if rank < 0 {
                return Err(PvmError::from_code(rank).unwrap_or(PvmError::SysErr));
            }
            if rank > best.as_ref().map_or(0, |(r, _)| *r) {
                let stop = rank == 1;
                best = Some((rank, m));
                if stop {
                    break;
                }
            }
        }
        if let Some((_, m)) = best {
            if peek {
                return Ok(Pick::Got(m));
            }
            return Ok(match s.hub.take_now_where(|q| q.same(&m))? {
                Some(m) => Pick::Got(m),
                // Another thread took it meanwhile: look again.
                None => Pick::Again,
            });
        }
        let deadline = match wait {
            Wait::Never => return Ok(Pick::Nothing),
            Wait::Until(d) => d,
            Wait::Forever => None,
        };
        match s.hub.wait_arrival(seen, deadline)? {
            true => Ok(Pick::Again),
            false => Ok(Pick::Nothing),
        }
    }
}

/// What one look with a matching function found.
enum Pick {
    Got(Incoming),
    Nothing,
    /// Something changed; look again.
    Again,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tid::Tid;
    use bytes::Bytes;

    fn msg(src: u32, tag: i32, ctx: i32) -> Incoming {
        Incoming {
            src: Tid(src),
            tag,
            ctx,
            encoding: 0,
            body: Bytes::new(),
        }
    }

    fn nothing() -> HandlerFn {
        Arc::new(|_| {})
    }

    #[test]
    fn ids_are_reused_and_triples_unique() {
        let mut h = Handlers::default();
        assert_eq!(h.add(-1, 5, -1, nothing()), Ok(0));
        assert_eq!(h.add(7, 6, 0, nothing()), Ok(1));
        assert_eq!(h.add(-1, 5, -1, nothing()), Err(PvmError::Exists));
        assert_eq!(h.delete(0), Ok(()));
        assert_eq!(h.delete(0), Err(PvmError::NotFound));
        assert_eq!(h.delete(-1), Err(PvmError::BadParam));
        assert_eq!(h.add(-1, 9, -1, nothing()), Ok(0));
        let ids: Vec<i32> = h.keys().map(|k| k.mhid).collect();
        assert_eq!(ids, [0, 1]);
    }

    #[test]
    fn wildcards_match_as_in_pvm() {
        let mut h = Handlers::default();
        h.add(-1, 5, -1, nothing()).unwrap();
        h.add(7, -1, 3, nothing()).unwrap();
        assert!(h.find(&msg(1, 5, 0)).is_some());
        assert!(h.find(&msg(7, 1, 3)).is_some());
        assert!(h.find(&msg(7, 1, 0)).is_none());
        assert!(h.find(&msg(8, 6, 3)).is_none());
    }
}
