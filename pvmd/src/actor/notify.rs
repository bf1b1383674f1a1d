//! The notify request family (`pvm_notify`): subscriptions to a task's exit, a host's
//! deletion or any host's addition, kept by the subscriber's pvmd ([`crate::notify`]).
//! A task of another host is watched through its own pvmd (`crate::cluster`).

use pvm::error::PvmError;
use pvm::proto::consts::PVM_NOTIFY_CANCEL;
use pvm::proto::Reply;
use pvm::tid::Tid;

use super::Daemon;
use crate::notify::{Kind, Sub};

impl Daemon {
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
                self.watch_remote(target);
            }
            if cancel {
                // A cancelled notify is delivered as if the event had happened.
                for gone in self.notifies.cancel(&s) {
                    let m = gone.message(self.me, target);
                    self.deliver(m);
                }
            } else if alive {
                self.notifies.add(s);
            } else {
                let m = s.message(self.me, target);
                self.deliver(m);
            }
        }
        Reply::Done {}
    }
}
