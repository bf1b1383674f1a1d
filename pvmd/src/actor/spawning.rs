//! The spawn request family: starting this host's instances of a `pvm_spawn`
//! (program search, processes, their output and death watchers), placing a spawn over
//! the machine, gathering the other hosts' instances, and handing every instance its
//! sibling list.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use pvm::error::PvmError;
use pvm::proto::consts::{
    PVM_HOST_COMPL, PVM_NO_SPAWN_PARENT, PVM_TASK_ARCH, PVM_TASK_DEBUG, PVM_TASK_HOST,
};
use pvm::proto::peer::PeerMsg;
use pvm::proto::{Reply, Request, SpawnRequest};
use pvm::tid::Tid;

use super::dispatch::Reach;
use super::{Daemon, Input};
use crate::cluster::Then;
use crate::output;
use crate::router::ReplyTo;
use crate::spawn::{self, Launch};
use crate::tasks::Task;

/// The most instances one spawn may ask for.
const MAX_SPAWN: u32 = 4096;
/// How long a task spawned for another host waits for its sibling list.
const SIBLINGS_WAIT: Duration = Duration::from_secs(5);

/// Spawns waiting for other hosts' instances, by gather id.
#[derive(Debug, Default)]
pub(super) struct Gathers {
    map: HashMap<u64, SpawnGather>,
}

#[derive(Debug)]
struct SpawnGather {
    to: ReplyTo,
    results: Vec<i32>,
    /// Hosts whose instances are not reported yet.
    waiting: usize,
    hosts: BTreeSet<u32>,
}

impl Daemon {
    /// Holds the welcome of a task spawned for another host until its siblings are
    /// known.
    fn await_siblings(&mut self, tid: Tid) {
        if let Some(t) = self.tasks.get_mut(tid) {
            t.awaiting_siblings = true;
        }
        let inputs = self.inputs.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SIBLINGS_WAIT).await;
            let _ = inputs.send(Input::SiblingsTimeout(tid));
        });
    }

    /// `pvm_spawn` of task `parent`: with `Reach::Machine` placed over the machine and
    /// answered once every host reported (`None` here); with `Reach::Here` (another
    /// host's spawn) this host's share, whose tasks wait for their sibling list.
    pub(super) fn spawn(
        &mut self,
        to: ReplyTo,
        parent: Tid,
        req: SpawnRequest,
        reach: Reach,
    ) -> Option<Reply> {
        match reach {
            Reach::Machine => {
                self.place(to, parent, req);
                None
            }
            Reach::Here => {
                let results = self.spawn_here(parent, &req);
                for tid in results.iter().filter_map(|r| Tid::from_raw(*r)) {
                    self.await_siblings(tid);
                }
                Some(spawned(results))
            }
        }
    }

    /// Places the instances (PvmTaskHost, PvmTaskArch, or round robin by speed),
    /// starts this host's share and asks the other hosts for theirs.
    fn place(&mut self, to: ReplyTo, parent: Tid, req: SpawnRequest) {
        if req.count > MAX_SPAWN {
            self.answer(to, spawned(vec![PvmError::BadParam.code()]));
            return;
        }
        let count = req.count as usize;
        let eligible = self.eligible(&req);
        if eligible.is_empty() {
            self.answer(to, spawned(vec![PvmError::NoHost.code(); count]));
            return;
        }
        let placed = self.hosts.place(&eligible, count);
        let mut by_host: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (slot, host) in placed.into_iter().enumerate() {
            by_host.entry(host).or_default().push(slot);
        }
        let me = self.hosts.me();
        let gather = self.cluster.gather_id();
        let mut g = SpawnGather {
            to,
            results: vec![PvmError::HostFail.code(); count],
            waiting: 0,
            hosts: by_host.keys().copied().collect(),
        };
        if let Some(slots) = by_host.remove(&me) {
            let here = SpawnRequest {
                count: slots.len() as u32,
                ..req.clone()
            };
            for (slot, r) in slots.into_iter().zip(self.spawn_here(parent, &here)) {
                g.results[slot] = r;
            }
        }
        g.waiting = by_host.len();
        self.spawns.map.insert(gather, g);
        for (host, slots) in by_host {
            let there = SpawnRequest {
                count: slots.len() as u32,
                ..req.clone()
            };
            let then = Then::Spawn { gather, slots };
            self.call_peer(host, parent, Request::Spawn { spawn: there }, then);
        }
        self.finish_spawn(gather);
    }

    /// The hosts an instance of `req` may run on.
    fn eligible(&self, req: &SpawnRequest) -> Vec<u32> {
        let all = self.hosts.numbers();
        let compl = req.flags & PVM_HOST_COMPL != 0;
        let chosen: Box<dyn Fn(u32) -> bool + '_> = if req.flags & PVM_TASK_HOST != 0 {
            let named = self.hosts.find(&req.where_);
            Box::new(move |h| named == Some(h))
        } else if req.flags & PVM_TASK_ARCH != 0 {
            Box::new(|h| self.hosts.arch(h) == Some(req.where_.as_str()))
        } else {
            return all;
        };
        all.into_iter().filter(|h| chosen(*h) != compl).collect()
    }

    pub(super) fn spawn_answered(&mut self, gather: u64, slots: &[usize], reply: Reply) {
        let Some(g) = self.spawns.map.get_mut(&gather) else {
            return;
        };
        let results = match reply {
            Reply::Spawned { results } => results,
            Reply::Error { code, .. } => vec![code; slots.len()],
            _ => vec![PvmError::SysErr.code(); slots.len()],
        };
        for (i, slot) in slots.iter().enumerate() {
            if let Some(r) = g.results.get_mut(*slot) {
                *r = results.get(i).copied().unwrap_or(PvmError::SysErr.code());
            }
        }
        g.waiting = g.waiting.saturating_sub(1);
        self.finish_spawn(gather);
    }

    /// Once every host reported: the sibling list to every host that started one, and
    /// the results to the spawner.
    fn finish_spawn(&mut self, gather: u64) {
        if self.spawns.map.get(&gather).is_none_or(|g| g.waiting > 0) {
            return;
        }
        let Some(g) = self.spawns.map.remove(&gather) else {
            return;
        };
        let tids: Vec<Tid> = g.results.iter().filter_map(|r| Tid::from_raw(*r)).collect();
        let me = self.hosts.me();
        self.set_siblings(&tids);
        for host in g.hosts.into_iter().filter(|h| *h != me) {
            if tids.iter().any(|t| t.host() == host) {
                let msg = PeerMsg::Siblings {
                    from: self.me,
                    to: Tid::pvmd(host),
                    tids: tids.clone(),
                };
                self.cluster.send_peer(Tid::pvmd(host), msg);
            }
        }
        self.answer(g.to, spawned(g.results));
    }

    pub(super) fn siblings(&mut self, tids: Vec<Tid>) {
        self.set_siblings(&tids);
        let me = self.hosts.me();
        for tid in tids.into_iter().filter(|t| t.host() == me) {
            self.release_welcome(tid);
        }
    }

    /// Starts every instance of `req` on this host: one result per instance, a tid or
    /// an error code. The instances are each other's siblings until the spawn's other
    /// hosts report theirs (see `crate::cluster`).
    fn spawn_here(&mut self, parent: Tid, req: &SpawnRequest) -> Vec<i32> {
        if req.count > MAX_SPAWN {
            return vec![PvmError::BadParam.code()];
        }
        let Some(program) = self.spawn.find_program(&req.file) else {
            return vec![PvmError::NoFile.code(); req.count as usize];
        };
        let ptid = if req.flags & PVM_NO_SPAWN_PARENT != 0 {
            Tid(0)
        } else {
            parent
        };
        let mut results = Vec::with_capacity(req.count as usize);
        let mut started = Vec::new();
        for _ in 0..req.count {
            match self.start_instance(ptid, &program, req) {
                Ok(tid) => {
                    started.push(tid);
                    results.push(tid.raw());
                }
                Err(e) => results.push(e.code()),
            }
        }
        self.set_siblings(&started);
        results
    }

    /// Gives the tasks of this host among `tids` their sibling list.
    fn set_siblings(&mut self, tids: &[Tid]) {
        for tid in tids {
            if let Some(t) = self.tasks.get_mut(*tid) {
                t.siblings = tids.to_vec();
            }
        }
    }

    /// Starts one instance: a new tid, the process, its output watcher and the watcher
    /// that notices its death.
    fn start_instance(
        &mut self,
        ptid: Tid,
        program: &std::path::Path,
        req: &SpawnRequest,
    ) -> Result<Tid, PvmError> {
        let tid = self.tasks.allocate().ok_or(PvmError::OutOfRes)?;
        let key = random_key();
        let launch = Launch {
            tid,
            key,
            program,
            argv: &req.argv,
            env: &req.env,
            debug: req.flags & PVM_TASK_DEBUG != 0,
        };
        let s = spawn::start(&self.spawn, &launch)?;
        self.tasks.insert(Task {
            tid,
            ptid,
            name: req.file.clone(),
            pid: s.pid,
            key: Some(key),
            spawned: true,
            output: req.output,
            trace: req.trace,
            ..Task::default()
        });
        if let Some(m) = self.outputs.begin(tid, ptid, req.output) {
            self.deliver(m);
        }
        output::watch(tid, s.output, self.inputs.clone());
        let (inputs, pid, mut child) = (self.inputs.clone(), s.pid, s.child);
        // Waiting reaps the process; shutdown awaits this so no zombie outlives pvmd.
        let watcher = tokio::spawn(async move {
            let _ = child.wait().await;
            let _ = inputs.send(Input::ChildExited(tid, pid));
        });
        self.children.retain(|(_, w)| !w.is_finished());
        self.children.push((pid, watcher));
        Ok(tid)
    }
}

fn spawned(results: Vec<i32>) -> Reply {
    Reply::Spawned { results }
}

/// A key nobody can guess, proving a spawned task's claim on its tid.
fn random_key() -> u64 {
    use std::io::Read;
    let mut b = [0u8; 8];
    match std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b)) {
        Ok(()) => u64::from_ne_bytes(b),
        Err(_) => {
            // Without /dev/urandom, fall back on std's per-process random hasher keys.
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            h.finish()
        }
    }
}
