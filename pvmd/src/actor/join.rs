//! Admitting task connections: a hello makes a connection a task (the spawned task
//! it claims to be, or a fresh one attached from a shell), answered by its welcome.

use pvm::error::PvmError;
use pvm::proto::{Claim, Reply, Welcome};
use pvm::tid::Tid;

use super::Daemon;
use crate::conns::ConnId;
use crate::tasks::Task;

impl Daemon {
    /// Joins a connection as a task: the spawned task it claims to be, or a fresh one.
    /// A refused hello gets its error and the connection is closed.
    pub(super) fn hello(
        &mut self,
        conn: ConnId,
        id: u32,
        pid: u32,
        name: String,
        claim: Option<Claim>,
    ) {
        let joined = match claim {
            Some(claim) => self.take_claim(conn, claim),
            None => self.attach(conn, pid, name),
        };
        let tid = match joined {
            Ok(tid) => tid,
            Err(reply) => {
                let conns = self.wiring.conns_mut();
                conns.reply(conn, id, reply);
                conns.remove(conn);
                return;
            }
        };
        if let Some(c) = self.wiring.conns_mut().get_mut(conn) {
            c.tid = Some(tid);
        }
        if self.tasks.get(tid).is_some_and(|t| t.awaiting_siblings) {
            self.held_welcomes.insert(tid, (conn, id));
            return;
        }
        self.welcome(tid, conn, id);
    }

    /// Answers a task's hello: who it is, its family, its inherited options; then the
    /// messages that arrived for it before it joined.
    fn welcome(&mut self, tid: Tid, conn: ConnId, id: u32) {
        let Some(task) = self.tasks.get_mut(tid) else {
            return;
        };
        let welcome = Welcome {
            tid,
            parent: (task.ptid.0 != 0).then_some(task.ptid),
            pvmd: self.wiring.me(),
            siblings: task.siblings.clone(),
            output: task.output,
            trace: task.trace,
            direct_key: self.wiring.cluster().direct_key(),
        };
        let pending = std::mem::take(&mut task.pending);
        let conns = self.wiring.conns();
        conns.reply(conn, id, Reply::Welcome { welcome });
        for m in pending {
            conns.send_queued(conn, m);
        }
    }

    /// A spawned task proves who it is with the key of its environment, once.
    fn take_claim(&mut self, conn: ConnId, claim: Claim) -> Result<Tid, Reply> {
        match self.tasks.get_mut(claim.tid) {
            Some(t) if t.key == Some(claim.key) && t.conn.is_none() => {
                t.conn = Some(conn);
                t.key = None;
                Ok(claim.tid)
            }
            _ => Err(Reply::error_with(
                PvmError::Denied,
                "no such spawned task awaits this claim",
            )),
        }
    }

    /// A task started from a shell gets a fresh tid.
    fn attach(&mut self, conn: ConnId, pid: u32, name: String) -> Result<Tid, Reply> {
        let tid = self
            .tasks
            .allocate()
            .ok_or_else(|| Reply::error(PvmError::OutOfRes))?;
        self.tasks.insert(Task {
            tid,
            name,
            pid,
            conn: Some(conn),
            ..Task::default()
        });
        Ok(tid)
    }

    /// A task spawned for another host's pvm_spawn may join now: its sibling list came
    /// (or took too long).
    pub(super) fn release_welcome(&mut self, tid: Tid) {
        if let Some(t) = self.tasks.get_mut(tid) {
            t.awaiting_siblings = false;
        }
        if let Some((conn, id)) = self.held_welcomes.remove(&tid) {
            self.welcome(tid, conn, id);
        }
    }
}
