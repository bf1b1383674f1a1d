//! The task table of this host: who exists, under which tid, and how to reach them.

use std::collections::BTreeMap;

use pvm::proto::consts::{TF_CONNECTED, TF_NORESET, TF_SPAWNED};
use pvm::proto::{Redirect, TaskInfo};
use pvm::tid::{Tid, MAX_LOCAL};

use crate::conns::ConnId;
use crate::flow::Queued;

/// One task of this host.
#[derive(Debug, Default)]
pub struct Task {
    pub tid: Tid,
    /// The spawning task, `Tid(0)` if none.
    pub ptid: Tid,
    pub name: String,
    pub pid: u32,
    /// Its connection, once it said hello.
    pub conn: Option<ConnId>,
    /// Proof of identity handed to a spawned task through its environment.
    pub key: Option<u64>,
    pub spawned: bool,
    /// PvmNoReset: spared by `reset`.
    pub no_reset: bool,
    /// Where it accepts direct routes: a Unix socket for tasks of this host...
    pub direct: Option<String>,
    /// ...and a TCP port for tasks of other hosts.
    pub direct_port: Option<u32>,
    /// Where its children's output goes unless the spawn says otherwise (inherited).
    pub output: Redirect,
    pub trace: Redirect,
    /// Tasks of the same spawn call.
    pub siblings: Vec<Tid>,
    /// Messages that arrived before the task connected, delivered on hello in order
    /// (charged to the task's queue like those on its connection).
    pub pending: Vec<Queued>,
    /// Spawned for another host's pvm_spawn: its welcome waits for the sibling list.
    pub awaiting_siblings: bool,
}

impl Task {
    /// `pvm_tasks`' view of the task.
    pub fn info(&self, host: Tid) -> TaskInfo {
        let mut flag = 0;
        if self.conn.is_some() {
            flag |= TF_CONNECTED;
        }
        if self.spawned {
            flag |= TF_SPAWNED;
        }
        if self.no_reset {
            flag |= TF_NORESET;
        }
        TaskInfo {
            tid: self.tid,
            ptid: self.ptid,
            host,
            flag,
            name: self.name.clone(),
            pid: i32::try_from(self.pid).unwrap_or(-1),
        }
    }
}

/// Every task of this host, by tid.
#[derive(Debug)]
pub struct TaskTable {
    host: u32,
    next_local: u32,
    tasks: BTreeMap<Tid, Task>,
}

impl TaskTable {
    /// An empty table for host number `host` (1 for the master).
    pub fn new(host: u32) -> TaskTable {
        TaskTable {
            host,
            next_local: 1,
            tasks: BTreeMap::new(),
        }
    }

    /// A fresh tid, like PVM counting up from `t40001` and wrapping past the last local
    /// number, skipping tids in use; `None` when every local number is taken.
    pub fn allocate(&mut self) -> Option<Tid> {
        for _ in 0..MAX_LOCAL {
            let local = self.next_local;
            self.next_local = if local >= MAX_LOCAL { 1 } else { local + 1 };
            let tid = Tid::new(self.host, local);
            if !self.tasks.contains_key(&tid) {
                return Some(tid);
            }
        }
        None
    }

    pub fn insert(&mut self, task: Task) {
        self.tasks.insert(task.tid, task);
    }

    pub fn get(&self, tid: Tid) -> Option<&Task> {
        self.tasks.get(&tid)
    }

    pub fn get_mut(&mut self, tid: Tid) -> Option<&mut Task> {
        self.tasks.get_mut(&tid)
    }

    pub fn remove(&mut self, tid: Tid) -> Option<Task> {
        self.tasks.remove(&tid)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values()
    }

    pub fn tids(&self) -> Vec<Tid> {
        self.tasks.keys().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tids_count_up_and_skip_used_ones() {
        let mut t = TaskTable::new(1);
        let a = t.allocate().expect("free tid");
        assert_eq!(a, Tid(0x40001));
        t.insert(Task {
            tid: a,
            ..Task::default()
        });
        assert_eq!(t.allocate(), Some(Tid(0x40002)));
        t.next_local = MAX_LOCAL;
        assert_eq!(t.allocate(), Some(Tid::new(1, MAX_LOCAL)));
        // Wraps to 1, which is taken, so 2 is next.
        assert_eq!(t.allocate(), Some(Tid(0x40002)));
    }
}
