//! `pvm_notify` subscriptions and the messages they turn into.
//!
//! A notification is an ordinary message from the pvmd's tid with the subscriber's tag
//! and context whose body is one XDR int: the tid that exited, or the pvmd tid of the
//! host deleted or added. A subscription to something that is already gone fires at
//! once, as in PVM; cancelling one (PvmNotifyCancel) delivers it as if the event had
//! happened.

use pvm::proto::consts::{PVM_DATA_DEFAULT, PVM_HOST_ADD, PVM_HOST_DELETE, PVM_TASK_EXIT};
use pvm::proto::Message;
use pvm::tid::Tid;

use crate::xdr;

/// What a subscription waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    TaskExit,
    HostDelete,
    HostAdd,
}

impl Kind {
    /// The kind named by pvm_notify's `what` (without PvmNotifyCancel).
    pub fn from_what(what: i32) -> Option<Kind> {
        match what {
            PVM_TASK_EXIT => Some(Kind::TaskExit),
            PVM_HOST_DELETE => Some(Kind::HostDelete),
            PVM_HOST_ADD => Some(Kind::HostAdd),
            _ => None,
        }
    }
}

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sub {
    pub kind: Kind,
    pub subscriber: Tid,
    pub tag: i32,
    pub ctx: i32,
    /// The task or host watched (unused for HostAdd).
    pub target: Tid,
    /// HostAdd: how many more to deliver (-1 = forever).
    pub count: i32,
}

impl Sub {
    /// The notification message this subscription sends about `about`.
    pub fn message(&self, from: Tid, about: Tid) -> Message {
        Message {
            src: from,
            dst: self.subscriber,
            tag: self.tag,
            ctx: self.ctx,
            encoding: PVM_DATA_DEFAULT,
            flags: 0,
            body: xdr::ints(&[about.raw()]),
        }
    }
}

/// Every live subscription.
#[derive(Debug, Default)]
pub struct Notifies {
    subs: Vec<Sub>,
}

impl Notifies {
    pub fn add(&mut self, sub: Sub) {
        self.subs.push(sub);
    }

    /// Removes subscriptions matching `sub` exactly (PvmNotifyCancel) and returns them.
    pub fn cancel(&mut self, sub: &Sub) -> Vec<Sub> {
        let matches = |s: &Sub| {
            s.kind == sub.kind
                && s.subscriber == sub.subscriber
                && s.tag == sub.tag
                && s.ctx == sub.ctx
                && (sub.kind == Kind::HostAdd || s.target == sub.target)
        };
        let (gone, kept) = std::mem::take(&mut self.subs)
            .into_iter()
            .partition(matches);
        self.subs = kept;
        gone
    }

    /// `target` exited or was deleted: the subscriptions it fires, now removed.
    pub fn fire(&mut self, kind: Kind, target: Tid) -> Vec<Sub> {
        let (fired, kept) = std::mem::take(&mut self.subs)
            .into_iter()
            .partition(|s| s.kind == kind && s.target == target);
        self.subs = kept;
        fired
    }

    /// A host was added: every HostAdd subscription fires, and wears out after `count`.
    pub fn host_added(&mut self) -> Vec<Sub> {
        let mut fired = Vec::new();
        self.subs.retain_mut(|s| {
            if s.kind != Kind::HostAdd {
                return true;
            }
            fired.push(s.clone());
            if s.count > 0 {
                s.count -= 1;
            }
            s.count != 0
        });
        fired
    }

    /// The tasks of host number `host` that TaskExit subscriptions watch.
    pub fn task_targets_on(&self, host: u32) -> Vec<Tid> {
        let mut all: Vec<Tid> = self
            .subs
            .iter()
            .filter(|s| s.kind == Kind::TaskExit && s.target.host() == host)
            .map(|s| s.target)
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Every live subscription, in the order made.
    pub fn iter(&self) -> impl Iterator<Item = &Sub> {
        self.subs.iter()
    }

    /// A subscriber is gone: nobody to tell any more.
    pub fn forget_subscriber(&mut self, tid: Tid) {
        self.subs.retain(|s| s.subscriber != tid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(target: u32) -> Sub {
        Sub {
            kind: Kind::TaskExit,
            subscriber: Tid(0x40001),
            tag: 9,
            ctx: 0,
            target: Tid(target),
            count: 1,
        }
    }

    #[test]
    fn exit_fires_once_and_cancel_removes() {
        let mut n = Notifies::default();
        n.add(sub(0x40002));
        n.add(sub(0x40003));
        assert_eq!(n.fire(Kind::TaskExit, Tid(0x40002)).len(), 1);
        assert!(n.fire(Kind::TaskExit, Tid(0x40002)).is_empty());
        assert_eq!(n.cancel(&sub(0x40003)).len(), 1);
        assert!(n.fire(Kind::TaskExit, Tid(0x40003)).is_empty());
    }

    #[test]
    fn host_add_wears_out() {
        let mut n = Notifies::default();
        n.add(Sub {
            kind: Kind::HostAdd,
            count: 2,
            ..sub(0)
        });
        assert_eq!(n.host_added().len(), 1);
        assert_eq!(n.host_added().len(), 1);
        assert!(n.host_added().is_empty());
        let m = sub(0).message(Tid(0x40000), Tid(0x40002));
        assert_eq!(&m.body[..], &[0, 4, 0, 2]);
    }
}
