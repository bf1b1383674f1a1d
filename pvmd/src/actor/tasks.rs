//! The task request family: what this pvmd answers about its own tasks (lists,
//! status, signals, options, direct routes), and the requests that end them (exit,
//! reset, halt).

use pvm::error::PvmError;
use pvm::proto::{Reply, Request, TaskOpt};
use pvm::tid::Tid;

use super::dispatch::Reach;
use super::Daemon;
use crate::cluster::Then;
use crate::router::ReplyTo;
use crate::tasks::Task;

impl Daemon {
    /// `pvm_exit`: the task leaves; nothing is answered.
    pub(super) fn exit(&mut self, to: ReplyTo, tid: Tid) {
        // Only a task's own connection can say it leaves.
        if matches!(to, ReplyTo::Conn { .. }) {
            self.task_gone(tid);
        }
    }

    /// `pvm_tasks(which)`: this host's part, or with `Reach::Machine` every host's
    /// gathered (`None`: answered when the gather completes).
    pub(super) fn task_list(
        &mut self,
        to: ReplyTo,
        caller: Tid,
        which: Tid,
        reach: Reach,
    ) -> Option<Reply> {
        match reach {
            Reach::Here => Some(self.tasks_of(which)),
            Reach::Machine => {
                self.gather_tasks(to, caller);
                None
            }
        }
    }

    fn tasks_of(&self, which: Tid) -> Reply {
        let host = self.me;
        let tasks = if which.0 == 0 || which == host {
            self.tasks.iter().map(|t| t.info(host)).collect()
        } else if which.is_pvmd() {
            return Reply::error(PvmError::NoHost);
        } else {
            match self.tasks.get(which) {
                Some(t) => vec![t.info(host)],
                None => return Reply::error(PvmError::NoTask),
            }
        };
        Reply::Tasks { tasks }
    }

    /// Every host's tasks: this host's now, the others' as they answer.
    fn gather_tasks(&mut self, to: ReplyTo, caller: Tid) {
        let tasks = self.tasks.iter().map(|t| t.info(self.me)).collect();
        let others: Vec<u32> = self.hosts.remote.keys().copied().collect();
        let gather = self.cluster.gather_tasks(to, tasks, others.len());
        for host in others {
            let req = Request::Tasks {
                which: Tid::pvmd(host),
            };
            self.call_peer(host, caller, req, Then::Tasks { gather });
        }
        self.finish_task_list(gather);
    }

    pub(super) fn finish_task_list(&mut self, gather: u64) {
        if let Some((to, reply)) = self.cluster.finish_tasks(gather) {
            self.answer(to, reply);
        }
    }

    /// `pvm_pstat`: this pvmd or one of its tasks is alive.
    pub(super) fn pstat(&self, tid: Tid) -> Reply {
        if tid == self.me || self.tasks.get(tid).is_some() {
            Reply::Value { value: 0 }
        } else {
            Reply::error(PvmError::NoTask)
        }
    }

    /// `pvm_kill`: SIGTERM, as in PVM.
    pub(super) fn kill(&self, tid: Tid) -> Reply {
        match self.tasks.get(tid) {
            Some(task) => {
                kill_process(task, false);
                Reply::Done {}
            }
            None => Reply::error(PvmError::NoTask),
        }
    }

    /// `pvm_sendsig`.
    pub(super) fn send_signal(&self, tid: Tid, signal: i32) -> Reply {
        let Ok(sig) = nix::sys::signal::Signal::try_from(signal) else {
            return Reply::error(PvmError::BadParam);
        };
        let Some(task) = self.tasks.get(tid) else {
            return Reply::error(PvmError::NoTask);
        };
        let Ok(pid) = i32::try_from(task.pid) else {
            return Reply::error(PvmError::NoTask);
        };
        match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig) {
            Ok(()) => Reply::Done {},
            Err(_) => Reply::error(PvmError::NoTask),
        }
    }

    /// `pvm_setopt` options pvmd must know.
    pub(super) fn set_opt(&mut self, tid: Tid, opt: TaskOpt) -> Reply {
        match (opt, self.tasks.get_mut(tid)) {
            (TaskOpt::NoReset { on }, Some(t)) => t.no_reset = on,
            // The task checks reserved tids itself; pvmd has nothing to keep.
            (TaskOpt::ResvTids { .. }, _) | (TaskOpt::NoReset { .. }, None) => {}
        }
        Reply::Done {}
    }

    pub(super) fn register_direct(&mut self, tid: Tid, path: String) -> Reply {
        if let Some(t) = self.tasks.get_mut(tid) {
            t.direct = Some(path);
        }
        Reply::Done {}
    }

    pub(super) fn register_direct_tcp(&mut self, tid: Tid, port: u32) -> Reply {
        if let Some(t) = self.tasks.get_mut(tid) {
            t.direct_port = Some(port);
        }
        Reply::Done {}
    }

    /// Where task `tid` of this host takes direct routes from `caller`: its Unix
    /// socket for a task of this host; for another host's task only the TCP port, at
    /// this host's address.
    pub(super) fn lookup_direct(&self, caller: Tid, tid: Tid) -> Reply {
        let task = self.tasks.get(tid);
        let path = if caller.host() == self.hosts.me() {
            task.and_then(|t| t.direct.clone())
        } else {
            let addr = self.cluster.local_addr();
            task.and_then(|t| t.direct_port)
                .filter(|_| !addr.is_empty())
                .map(|port| format!("tcp:{addr}:{port}"))
        };
        Reply::Direct { path }
    }

    /// `pvm_halt`, on the master (a slave's goes there): every pvmd halts once this
    /// one has answered.
    pub(super) fn halt(&mut self, caller: Tid) -> Reply {
        self.outputs
            .log
            .line(&format!("halt requested by {caller}"));
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
        self.outputs.log.line(&format!("reset by {caller}"));
        Reply::Done {}
    }
}

/// Signals a task's process. `hard` (halt, reset) kills a spawned task with its whole
/// process group by SIGKILL, and leaves a task attached from a shell alone: it is the
/// user's own process (a console, a test, a program run by hand), which loses its
/// connection instead. Otherwise (`pvm_kill`) the task gets SIGTERM, as in PVM.
pub(super) fn kill_process(task: &Task, hard: bool) {
    use nix::sys::signal::{kill, killpg, Signal};
    use nix::unistd::Pid;
    if hard && !task.spawned {
        return;
    }
    let Ok(pid) = i32::try_from(task.pid) else {
        return;
    };
    if pid <= 1 {
        return;
    }
    let result = if hard {
        killpg(Pid::from_raw(pid), Signal::SIGKILL)
    } else {
        kill(Pid::from_raw(pid), Signal::SIGTERM)
    };
    if let Err(e) = result {
        tracing::debug!(tid = %task.tid, pid, "kill: {e}");
    }
}
