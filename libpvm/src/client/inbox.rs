//! The task's queue of arrived messages, shared by every thread that feeds or reads it.
//!
//! Messages arrive on several connections at once (the pvmd socket, one socket per peer
//! that routes to us directly); reader threads push them here and the API's `recv`
//! family takes them out under PVM's matching rules (source and tag, `-1` a wildcard,
//! always in the current context), oldest first.
//!
//! Order across a route switch: when a peer starts sending to us directly it first sends
//! a *marker* through pvmd, after everything it sent that way. Until the marker arrives,
//! what comes over the direct socket is held back, so a message that took the slower
//! pvmd path is never overtaken by a later one that took the direct path.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Instant;

use bytes::Bytes;

use crate::error::{PvmError, Result};
use crate::tid::Tid;

/// One message as it arrived: envelope plus the still-encoded body.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The sending task (a pvmd's tid for messages the daemon originates).
    pub src: Tid,
    /// The message tag.
    pub tag: i32,
    /// The context it was sent in.
    pub ctx: i32,
    /// The encoding its body is packed in (`PvmDataDefault`...).
    pub encoding: i32,
    /// The packed body.
    pub body: Bytes,
}

/// What a receive call is looking for. `None` matches anything, as PVM's `-1` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    /// The source to match.
    pub src: Option<Tid>,
    /// The tag to match.
    pub tag: Option<i32>,
    /// The context; never a wildcard.
    pub ctx: i32,
}

impl Filter {
    /// A filter from PVM's integer arguments: `-1` is a wildcard.
    pub fn from_pvm(tid: i32, tag: i32, ctx: i32) -> Filter {
        Filter {
            src: (tid != -1).then_some(Tid(tid as u32)),
            tag: (tag != -1).then_some(tag),
            ctx,
        }
    }

    fn matches(&self, m: &Incoming) -> bool {
        m.ctx == self.ctx
            && self.src.is_none_or(|s| s == m.src)
            && self.tag.is_none_or(|t| t == m.tag)
    }
}

/// A direct link's identity: its sender (a sender opens at most one link to us).
pub type LinkKey = Tid;

#[derive(Default)]
struct State {
    queue: VecDeque<Incoming>,
    /// Direct links whose marker has not come yet, with what they brought meanwhile.
    held: HashMap<LinkKey, Vec<Incoming>>,
    /// Why no more messages will come from pvmd, once that is so.
    closed: Option<PvmError>,
}

/// The queue plus the condition variable receivers sleep on.
#[derive(Default)]
pub struct Inbox {
    state: Mutex<State>,
    arrived: Condvar,
}

impl Inbox {
    /// An empty, open inbox.
    pub fn new() -> Inbox {
        Inbox::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the queue half-updated (every
        // update is a single push or remove), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues a message that came through pvmd.
    pub fn push(&self, msg: Incoming) {
        self.lock().queue.push_back(msg);
        self.arrived.notify_all();
    }

    /// Announces a direct link: its messages are held until `marker` comes via pvmd.
    pub fn open_link(&self, key: LinkKey) {
        self.lock().held.entry(key).or_default();
    }

    /// Queues a message that came over a direct link, or holds it back.
    pub fn push_direct(&self, key: LinkKey, msg: Incoming) {
        let mut st = self.lock();
        match st.held.get_mut(&key) {
            Some(held) => held.push(msg),
            None => {
                st.queue.push_back(msg);
                drop(st);
                self.arrived.notify_all();
            }
        }
    }

    /// The marker of a link came through pvmd: what the link holds is now in order.
    pub fn marker_arrived(&self, key: LinkKey) {
        let mut st = self.lock();
        if let Some(held) = st.held.remove(&key) {
            st.queue.extend(held);
            drop(st);
            self.arrived.notify_all();
        }
    }

    /// A direct link closed. Anything it still held is released rather than lost: the
    /// sender is gone, so nothing of its can still be in flight through pvmd.
    pub fn close_link(&self, key: LinkKey) {
        self.marker_arrived(key);
    }

    /// No more messages will come from pvmd; waiting receivers get `why`.
    pub fn close(&self, why: PvmError) {
        self.lock().closed.get_or_insert(why);
        self.arrived.notify_all();
    }

    /// Waits until the pvmd connection is gone or `deadline` passes; whether it is gone.
    pub fn wait_closed(&self, deadline: Instant) -> bool {
        let mut st = self.lock();
        while st.closed.is_none() {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            st = self
                .arrived
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        true
    }

    /// Whether the pvmd connection is gone.
    pub fn is_closed(&self) -> bool {
        self.lock().closed.is_some()
    }

    /// Removes and returns the oldest message that matches, without waiting.
    pub fn take(&self, filter: &Filter) -> Option<Incoming> {
        let mut st = self.lock();
        let at = st.queue.iter().position(|m| filter.matches(m))?;
        st.queue.remove(at)
    }

    /// The envelope of the oldest matching message, left in the queue.
    pub fn peek(&self, filter: &Filter) -> Option<Incoming> {
        self.lock()
            .queue
            .iter()
            .find(|m| filter.matches(m))
            .cloned()
    }

    /// Waits for a matching message until `deadline` (forever when `None`).
    ///
    /// `Ok(None)` means the deadline passed; an error means pvmd is gone and no queued
    /// message matches, so waiting longer could never succeed.
    pub fn wait_take(
        &self,
        filter: &Filter,
        deadline: Option<Instant>,
    ) -> Result<Option<Incoming>> {
        self.wait_take_where(|m| filter.matches(m), deadline)
    }

    /// Waits until a message matching `pred` is queued, and removes it.
    pub fn wait_take_where(
        &self,
        pred: impl Fn(&Incoming) -> bool,
        deadline: Option<Instant>,
    ) -> Result<Option<Incoming>> {
        let mut st = self.lock();
        loop {
            if let Some(at) = st.queue.iter().position(&pred) {
                return Ok(st.queue.remove(at));
            }
            if let Some(why) = st.closed {
                return Err(why);
            }
            st = match deadline {
                None => self.arrived.wait(st).unwrap_or_else(|p| p.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Ok(None);
                    }
                    self.arrived
                        .wait_timeout(st, d - now)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    fn msg(src: u32, tag: i32, ctx: i32) -> Incoming {
        Incoming {
            src: Tid(src),
            tag,
            ctx,
            encoding: 0,
            body: Bytes::from(vec![tag as u8]),
        }
    }

    #[test]
    fn wildcards_take_oldest_match() {
        let inbox = Inbox::new();
        inbox.push(msg(1, 5, 0));
        inbox.push(msg(2, 6, 0));
        inbox.push(msg(1, 6, 0));
        let m = inbox.take(&Filter::from_pvm(-1, 6, 0)).expect("match");
        assert_eq!((m.src, m.tag), (Tid(2), 6));
        let m = inbox.take(&Filter::from_pvm(1, -1, 0)).expect("match");
        assert_eq!(m.tag, 5);
        assert!(inbox.take(&Filter::from_pvm(2, -1, 0)).is_none());
        assert!(inbox.take(&Filter::from_pvm(-1, -1, 0)).is_some());
    }

    #[test]
    fn contexts_never_mix() {
        let inbox = Inbox::new();
        inbox.push(msg(1, 5, 7));
        assert!(inbox.take(&Filter::from_pvm(-1, -1, 0)).is_none());
        assert!(inbox.peek(&Filter::from_pvm(-1, -1, 7)).is_some());
        assert!(inbox.take(&Filter::from_pvm(-1, -1, 7)).is_some());
    }

    #[test]
    fn direct_messages_wait_for_marker() {
        let inbox = Inbox::new();
        let key = Tid(9);
        inbox.open_link(key);
        inbox.push_direct(key, msg(9, 2, 0));
        assert!(inbox.take(&Filter::from_pvm(-1, -1, 0)).is_none());
        inbox.push(msg(9, 1, 0));
        inbox.marker_arrived(key);
        inbox.push_direct(key, msg(9, 3, 0));
        let tags: Vec<i32> = std::iter::from_fn(|| inbox.take(&Filter::from_pvm(9, -1, 0)))
            .map(|m| m.tag)
            .collect();
        assert_eq!(tags, [1, 2, 3]);
    }

    #[test]
    fn timeout_and_close() {
        let inbox = Arc::new(Inbox::new());
        let f = Filter::from_pvm(-1, -1, 0);
        let soon = Some(Instant::now() + Duration::from_millis(20));
        assert!(inbox.wait_take(&f, soon).expect("open").is_none());
        let other = Arc::clone(&inbox);
        let t = std::thread::spawn(move || other.wait_take(&f, None));
        std::thread::sleep(Duration::from_millis(20));
        inbox.close(PvmError::SysErr);
        assert_eq!(t.join().expect("thread").unwrap_err(), PvmError::SysErr);
    }
}
