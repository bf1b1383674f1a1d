//! The task request family: what this pvmd answers about its own tasks (lists,
//! status, signals, options, direct routes). The requests that end tasks (exit,
//! reset, halt) reach every family and are the daemon's (`ends`).

use pvm::error::PvmError;
use pvm::proto::{Reply, Request, TaskOpt};
use pvm::tid::Tid;

use crate::cluster::Then;
use crate::hosts::HostTable;
use crate::router::{Reach, ReplyTo};
use crate::tasks::{Task, TaskTable};
use crate::wiring::Wiring;

/// What the task family works on: this host's task table, the host table (read)
/// and the wiring, to answer and to gather other hosts' lists.
pub(super) struct TaskCx<'a> {
    tasks: &'a mut TaskTable,
    hosts: &'a HostTable,
    wiring: &'a mut Wiring,
}

impl<'a> TaskCx<'a> {
    pub(super) fn new(
        tasks: &'a mut TaskTable,
        hosts: &'a HostTable,
        wiring: &'a mut Wiring,
    ) -> TaskCx<'a> {
        TaskCx {
            tasks,
            hosts,
            wiring,
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
        let host = self.wiring.me();
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
        let tasks = self
            .tasks
            .iter()
            .map(|t| t.info(self.wiring.me()))
            .collect();
        let others = self.hosts.remote_numbers();
        let gather = self
            .wiring
            .cluster_mut()
            .gather_tasks(to, tasks, others.len());
        for host in others {
            let req = Request::Tasks {
                which: Tid::pvmd(host),
            };
            if self
                .wiring
                .call(host, caller, req, Then::Tasks { gather })
                .is_err()
            {
                self.tasks_answered(gather, Reply::error(PvmError::HostFail));
            }
        }
        self.finish_task_list(gather);
    }

    /// A host answered its part of task list `gather` (or failed).
    pub(super) fn tasks_answered(&mut self, gather: u64, reply: Reply) {
        self.wiring.cluster_mut().tasks_answered(gather, reply);
        self.finish_task_list(gather);
    }

    fn finish_task_list(&mut self, gather: u64) {
        if let Some((to, reply)) = self.wiring.cluster_mut().finish_tasks(gather) {
            self.wiring.answer(to, reply);
        }
    }

    /// `pvm_pstat`: this pvmd or one of its tasks is alive.
    pub(super) fn pstat(&self, tid: Tid) -> Reply {
        if tid == self.wiring.me() || self.tasks.get(tid).is_some() {
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
            let addr = self.wiring.cluster().local_addr();
            task.and_then(|t| t.direct_port)
                .filter(|_| !addr.is_empty())
                .map(|port| format!("tcp:{addr}:{port}"))
        };
        Reply::Direct { path }
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
