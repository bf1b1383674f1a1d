//! The notify request family (`pvm_notify`): subscriptions to a task's exit, a host's
//! deletion or any host's addition, kept by the subscriber's pvmd ([`crate::notify`]).
//! A task of another host is watched through its own pvmd (`crate::cluster`).

use pvm::error::PvmError;
use pvm::proto::consts::PVM_NOTIFY_CANCEL;
use pvm::proto::Reply;
use pvm::tid::Tid;

use crate::hosts::HostTable;
use crate::notify::{Kind, Notifies, Sub};
use crate::tasks::TaskTable;
use crate::wiring::Wiring;

/// What the notify family works on: the subscriptions, and what a notification is
/// delivered through (the task table, where a message may wait, the host table and
/// the wiring).
pub(super) struct NotifyCx<'a> {
    notifies: &'a mut Notifies,
    tasks: &'a mut TaskTable,
    hosts: &'a HostTable,
    wiring: &'a mut Wiring,
}

impl<'a> NotifyCx<'a> {
    pub(super) fn new(
        notifies: &'a mut Notifies,
        tasks: &'a mut TaskTable,
        hosts: &'a HostTable,
        wiring: &'a mut Wiring,
    ) -> NotifyCx<'a> {
        NotifyCx {
            notifies,
            tasks,
            hosts,
            wiring,
        }
    }

    /// `pvm_notify(what, ...)` of task `me`; a subscription to something already gone,
    /// or a cancelled one, is delivered at once.
    pub(super) fn notify(
        &mut self,
        me: Tid,
        what: i32,
        tag: i32,
        ctx: i32,
        count: i32,
        targets: Vec<Tid>,
    ) -> Reply {
        let cancel = what & PVM_NOTIFY_CANCEL != 0;
        let Some(kind) = Kind::from_what(what & !PVM_NOTIFY_CANCEL) else {
            return Reply::error(PvmError::BadParam);
        };
        let sub = |target| Sub {
            kind,
            subscriber: me,
            tag,
            ctx,
            target,
            count,
        };
        if kind == Kind::HostAdd {
            if cancel {
                self.notifies.cancel(&sub(Tid(0)));
            } else if count != 0 {
                self.notifies.add(sub(Tid(0)));
            }
            return Reply::Done {};
        }
        for target in targets {
            let s = sub(target);
            let here = target.host() == self.hosts.me();
            let alive = match kind {
                Kind::TaskExit if here => self.tasks.get(target).is_some(),
                // The task's own pvmd says when it exits (or that it already has).
                Kind::TaskExit => self.hosts.contains(target.host()),
                Kind::HostDelete | Kind::HostAdd => {
                    target.is_pvmd() && self.hosts.contains(target.host())
                }
            };
            if alive && !cancel && kind == Kind::TaskExit && !here {
                self.wiring.watch_remote(target);
            }
            if cancel {
                // A cancelled notify is delivered as if the event had happened.
                for gone in self.notifies.cancel(&s) {
                    let m = gone.message(self.wiring.me(), target);
                    self.deliver(m);
                }
            } else if alive {
                self.notifies.add(s);
            } else {
                let m = s.message(self.wiring.me(), target);
                self.deliver(m);
            }
        }
        Reply::Done {}
    }

    /// `kind` happened to `target`: the subscriptions to it fire, once.
    pub(super) fn fire(&mut self, kind: Kind, target: Tid) {
        for sub in self.notifies.fire(kind, target) {
            let m = sub.message(self.wiring.me(), target);
            self.deliver(m);
        }
    }

    /// HostAdd notifications for hosts that joined.
    pub(super) fn hosts_added(&mut self, added: &[Tid]) {
        for dtid in added {
            for sub in self.notifies.host_added() {
                let m = sub.message(self.wiring.me(), *dtid);
                self.deliver(m);
            }
        }
    }

    fn deliver(&mut self, msg: pvm::proto::Message) {
        self.wiring
            .deliver(self.tasks, self.hosts, msg, crate::flow::Source::Pvmd);
    }
}
