//! The task's queue of arrived messages.
//!
//! Messages arrive on several connections at once (the pvmd socket, one socket per peer
//! that routes to us directly); whichever thread reads them (see [`super::hub`]) pushes
//! them here and the API's `recv` family takes them out under PVM's matching rules (source and tag, `-1` a wildcard,
//! always in the current context), oldest first.
//!
//! Order across a route switch: when a peer starts sending to us directly it first sends
//! a *marker* through pvmd, after everything it sent that way. Until the marker arrives,
//! what comes over the direct socket is held back, so a message that took the slower
//! pvmd path is never overtaken by a later one that took the direct path.
//!
//! For programs that `select()` on PVM's descriptors (`pvm_getfds`), the inbox can keep
//! a [`Readiness`] descriptor readable exactly while a message is queued.
//!
//! The inbox counts the bytes it holds ([`Inbox::bytes`]), so the background reader
//! can stop filling it for a task that does not receive (see [`super::hub`]).

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;

use super::readiness::Readiness;
use crate::error::PvmError;
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

    /// Whether `m` is a message this filter takes.
    pub fn matches(&self, m: &Incoming) -> bool {
        m.ctx == self.ctx
            && self.src.is_none_or(|s| s == m.src)
            && self.tag.is_none_or(|t| t == m.tag)
    }
}

/// What a queued message costs beyond its body.
const MESSAGE_COST: usize = 96;

/// A direct link's identity: its sender (a sender opens at most one link to us).
pub type LinkKey = Tid;

/// The queue of arrived messages and the links still waiting for their marker.
///
/// Plain data: the [`super::hub::Hub`] keeps it under its lock, together with the
/// other things receivers wait for, so one condition variable serves them all.
#[derive(Default)]
pub struct Inbox {
    queue: VecDeque<Incoming>,
    /// Direct links whose marker has not come yet, with what they brought meanwhile.
    held: HashMap<LinkKey, Vec<Incoming>>,
    /// Why no more messages will come from pvmd, once that is so.
    closed: Option<PvmError>,
    /// How many messages have been queued so far (never decreases), so a waiter can
    /// tell that something new came.
    arrivals: u64,
    /// The descriptor `pvm_getfds` hands out, once asked for.
    readiness: Option<Readiness>,
    /// What the queued and held messages cost ([`Incoming::cost`]).
    bytes: usize,
}

impl Incoming {
    /// What a message costs in the inbox: its body and its envelope.
    pub fn cost(&self) -> usize {
        MESSAGE_COST + self.body.len()
    }

    /// Whether `other` is this very message (same envelope, same body bytes).
    pub fn same(&self, other: &Incoming) -> bool {
        self.src == other.src
            && self.tag == other.tag
            && self.ctx == other.ctx
            && self.encoding == other.encoding
            && self.body.as_ptr() == other.body.as_ptr()
            && self.body.len() == other.body.len()
    }
}

impl Inbox {
    /// An empty, open inbox.
    pub fn new() -> Inbox {
        Inbox::default()
    }

    /// Queues a message that came through pvmd.
    pub fn push(&mut self, msg: Incoming) {
        self.bytes += msg.cost();
        self.queue.push_back(msg);
        self.queued(1);
    }

    /// Puts a message taken out back at the head of the queue (it was taken for a
    /// handler that is gone); not a new arrival.
    pub fn push_front(&mut self, msg: Incoming) {
        self.bytes += msg.cost();
        self.queue.push_front(msg);
        self.sync_readiness();
    }

    /// What the queued messages and those held back cost, in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Counts `n` new messages in the queue and updates the readiness descriptor.
    fn queued(&mut self, n: usize) {
        self.arrivals += n as u64;
        self.sync_readiness();
    }

    fn sync_readiness(&mut self) {
        if let Some(r) = self.readiness.as_mut() {
            r.set(!self.queue.is_empty());
        }
    }

    /// A descriptor that is readable while a message is queued (made on first use).
    pub fn readiness_fd(&mut self) -> std::io::Result<std::os::fd::RawFd> {
        if self.readiness.is_none() {
            self.readiness = Some(Readiness::new()?);
            self.sync_readiness();
        }
        Ok(self.readiness.as_ref().map_or(-1, Readiness::fd))
    }

    /// How many messages have been queued since the inbox was made.
    pub fn arrivals(&self) -> u64 {
        self.arrivals
    }

    /// Every queued message, oldest first.
    pub fn queued_messages(&self) -> impl Iterator<Item = &Incoming> {
        self.queue.iter()
    }

    /// Announces a direct link: its messages are held until `marker` comes via pvmd.
    pub fn open_link(&mut self, key: LinkKey) {
        self.held.entry(key).or_default();
    }

    /// Queues a message that came over a direct link, or holds it back.
    pub fn push_direct(&mut self, key: LinkKey, msg: Incoming) {
        self.bytes += msg.cost();
        match self.held.get_mut(&key) {
            Some(held) => held.push(msg),
            None => {
                self.queue.push_back(msg);
                self.queued(1);
            }
        }
    }

    /// The marker of a link came through pvmd: what the link holds is now in order.
    pub fn marker_arrived(&mut self, key: LinkKey) {
        if let Some(held) = self.held.remove(&key) {
            let n = held.len();
            self.queue.extend(held);
            self.queued(n);
        }
    }

    /// A direct link closed. Anything it still held is released rather than lost: the
    /// sender is gone, so nothing of its can still be in flight through pvmd.
    pub fn close_link(&mut self, key: LinkKey) {
        self.marker_arrived(key);
    }

    /// No more messages will come from pvmd; receivers that find nothing get `why`.
    pub fn close(&mut self, why: PvmError) {
        self.closed.get_or_insert(why);
    }

    /// Why no more messages will come from pvmd, if that is so.
    pub fn closed(&self) -> Option<PvmError> {
        self.closed
    }

    /// Removes and returns the oldest message that matches.
    pub fn take(&mut self, filter: &Filter) -> Option<Incoming> {
        self.take_where(|m| filter.matches(m))
    }

    /// Removes and returns the oldest message that satisfies `pred`.
    pub fn take_where(&mut self, pred: impl Fn(&Incoming) -> bool) -> Option<Incoming> {
        let at = self.queue.iter().position(pred)?;
        let m = self.queue.remove(at)?;
        self.bytes -= m.cost();
        self.sync_readiness();
        Some(m)
    }

    /// The envelope of the oldest matching message, left in the queue.
    pub fn peek(&self, filter: &Filter) -> Option<Incoming> {
        self.peek_where(|m| filter.matches(m))
    }

    /// The oldest message that satisfies `pred`, left in the queue.
    pub fn peek_where(&self, pred: impl Fn(&Incoming) -> bool) -> Option<Incoming> {
        self.queue.iter().find(|m| pred(m)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut inbox = Inbox::new();
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
        let mut inbox = Inbox::new();
        inbox.push(msg(1, 5, 7));
        assert!(inbox.take(&Filter::from_pvm(-1, -1, 0)).is_none());
        assert!(inbox.peek(&Filter::from_pvm(-1, -1, 7)).is_some());
        assert!(inbox.take(&Filter::from_pvm(-1, -1, 7)).is_some());
    }

    #[test]
    fn direct_messages_wait_for_marker() {
        let mut inbox = Inbox::new();
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
    fn readiness_follows_the_queue() {
        let mut inbox = Inbox::new();
        let fd = inbox.readiness_fd().expect("readiness");
        let readable = |fd| {
            let mut fds = vec![super::super::frames::pollfd(fd)];
            super::super::frames::poll_readable(&mut fds, Some(std::time::Duration::ZERO))
                .expect("poll");
            super::super::frames::is_ready(&fds[0])
        };
        assert!(!readable(fd));
        inbox.push(msg(1, 5, 0));
        inbox.push(msg(1, 6, 0));
        assert!(readable(fd));
        assert_eq!(inbox.arrivals(), 2);
        inbox.take(&Filter::from_pvm(-1, 5, 0));
        assert!(readable(fd), "one is still queued");
        inbox.take(&Filter::from_pvm(-1, 6, 0));
        assert!(!readable(fd));
    }

    #[test]
    fn closed_link_releases_what_it_held() {
        let mut inbox = Inbox::new();
        inbox.open_link(Tid(4));
        inbox.push_direct(Tid(4), msg(4, 8, 0));
        inbox.close_link(Tid(4));
        assert_eq!(
            inbox.take(&Filter::from_pvm(4, 8, 0)).map(|m| m.tag),
            Some(8)
        );
        assert_eq!(inbox.closed(), None);
        inbox.close(PvmError::SysErr);
        inbox.close(PvmError::BadParam);
        assert_eq!(
            inbox.closed(),
            Some(PvmError::SysErr),
            "the first reason stays"
        );
    }

    #[test]
    fn the_inbox_counts_what_it_holds() {
        let mut inbox = Inbox::new();
        let one = msg(1, 5, 0).cost();
        inbox.open_link(Tid(4));
        inbox.push_direct(Tid(4), msg(4, 8, 0));
        inbox.push(msg(1, 5, 0));
        assert_eq!(inbox.bytes(), 2 * one, "held messages count too");
        inbox.marker_arrived(Tid(4));
        assert_eq!(inbox.bytes(), 2 * one);
        let m = inbox.take(&Filter::from_pvm(-1, 5, 0)).expect("match");
        assert_eq!(inbox.bytes(), one);
        inbox.push_front(m);
        while inbox.take(&Filter::from_pvm(-1, -1, 0)).is_some() {}
        assert_eq!(inbox.bytes(), 0);
    }
}
