//! What ends, and what the end sets off in every family: a task (`pvm_exit`, a
//! reset, a closed connection, a lost host), a host (deleted or lost) and the
//! machine (`pvm_halt`). These reach every family's state, so they are the daemon's
//! own; each family's part is a method of its context.

use std::collections::BTreeSet;

use pvm::error::PvmError;
use pvm::proto::{Reply, Request};
use pvm::tid::Tid;

use super::hosts::Deleted;
use super::tasks::kill_process;
use super::Daemon;
use crate::cluster::Then;
use crate::flow::Sink;
use crate::notify::Kind;
use crate::router::{Reach, ReplyTo};

impl Daemon {
    /// `pvm_exit`: the task leaves; nothing is answered.
    pub(super) fn exit(&mut self, to: ReplyTo, tid: Tid) {
        // Only a task's own connection can say it leaves.
        if matches!(to, ReplyTo::Conn { .. }) {
            self.task_gone(tid);
        }
    }

    /// `pvm_halt`, on the master (a slave's goes there): every pvmd halts once this
    /// one has answered.
    pub(super) fn halt(&mut self, caller: Tid) -> Reply {
        self.outputs.log(&format!("halt requested by {caller}"));
        self.halting = true;
        Reply::Done {}
    }

    /// The console's `reset`: every task but the caller and PvmNoReset ones is
    /// killed, here and with `Reach::Machine` on every other host.
    pub(super) fn reset(&mut self, caller: Tid, reach: Reach) -> Reply {
        if reach == Reach::Machine {
            let me = self.hosts.me();
            for host in self.hosts.numbers().into_iter().filter(|h| *h != me) {
                self.call_peer(host, caller, Request::Reset {}, Then::Ignore);
            }
        }
        let doomed: Vec<Tid> = self
            .tasks
            .iter()
            .filter(|t| t.tid != caller && !t.no_reset)
            .map(|t| t.tid)
            .collect();
        for tid in doomed {
            if let Some(t) = self.tasks.get(tid) {
                kill_process(t, true);
            }
            self.task_gone(tid);
        }
        // Entries of other hosts' tasks stay: their pvmds kill those, and the exits
        // they report remove the entries.
        let me = self.hosts.me();
        let tasks = &self.tasks;
        self.mail
            .reset(|owner| owner.host() != me || tasks.get(owner).is_some());
        self.outputs.log(&format!("reset by {caller}"));
        Reply::Done {}
    }

    /// A task of this host is gone (exited, killed, disconnected): forget it and tell
    /// subscribers.
    pub(super) fn task_gone(&mut self, tid: Tid) {
        let Some(task) = self.tasks.remove(tid) else {
            return;
        };
        if let Some(conn) = task.conn {
            self.wiring.conns_mut().remove(conn);
        }
        if !task.pending.is_empty() {
            tracing::debug!(%tid, n = task.pending.len(), "task gone with undelivered messages");
        }
        self.held_welcomes.remove(&tid);
        // Its senders wait for nothing any more.
        self.wiring.forget_queue(Sink::Task(tid));
        self.notifies.forget_subscriber(tid);
        self.wiring.tell_watchers(tid);
        self.forget_task(tid);
        if let Some(path) = task.direct {
            self.remove_direct_socket(std::path::Path::new(&path));
        }
    }

    /// A task of any host is gone: fire its exit notifications here and drop what the
    /// mailbox and the groups of this pvmd held for it.
    pub(super) fn forget_task(&mut self, tid: Tid) {
        self.notify_cx().fire(Kind::TaskExit, tid);
        self.mail.owner_exited(tid);
        self.groups.exited(&self.wiring.outbox(), tid);
    }

    /// Removes a dead task's direct-route socket: a task killed outright cannot. Only
    /// files directly inside our runtime directory are touched, never a path elsewhere
    /// that a task merely claimed.
    fn remove_direct_socket(&self, path: &std::path::Path) {
        let socket = &self.spawner.config().socket;
        if path.parent() != socket.parent() || path.file_name().is_none() || path == socket {
            return;
        }
        let is_socket = std::fs::symlink_metadata(path)
            .is_ok_and(|m| std::os::unix::fs::FileTypeExt::is_socket(&m.file_type()));
        if is_socket {
            if let Err(e) = std::fs::remove_file(path) {
                tracing::debug!(path = %path.display(), "cannot remove direct socket: {e}");
            }
        }
    }

    /// `pvm_delhosts` on the master: each named slave is told to halt and removed.
    pub(super) fn delete_hosts(&mut self, names: &[String]) -> Reply {
        let mut results = Vec::with_capacity(names.len());
        let mut reasons = Vec::with_capacity(names.len());
        for name in names {
            let (code, reason) = match self.host_cx().delete(name) {
                Ok(Deleted { host, writer }) => {
                    self.writers.extend(writer);
                    self.host_gone(host, "deleted");
                    (0, String::new())
                }
                Err((code, reason)) => (code.code(), reason),
            };
            results.push(code);
            reasons.push(reason);
        }
        Reply::Hosts { results, reasons }
    }

    /// The master lost host `host` (failed, cut off, deleted or halted).
    pub(super) fn host_gone(&mut self, host: u32, why: &str) {
        if self.host_cx().drop_host(host, why) {
            self.forget_host(host);
        }
    }

    /// Host `host` is no longer part of the machine: its calls fail, and everything
    /// waiting for its tasks hears that they are gone.
    pub(super) fn forget_host(&mut self, host: u32) {
        self.wiring.flow_mut().host_gone(host);
        for then in self.wiring.cluster_mut().calls_to(host) {
            self.complete(then, Reply::error(PvmError::HostFail));
        }
        self.notify_cx().fire(Kind::HostDelete, Tid::pvmd(host));
        let mut lost: BTreeSet<Tid> = self.notifies.task_targets_on(host).into_iter().collect();
        lost.extend(self.groups.members_on(host));
        lost.extend(self.mail.owners_on(host));
        lost.extend(self.wiring.cluster_mut().forget_host(host));
        for tid in lost {
            self.forget_task(tid);
        }
    }
}
