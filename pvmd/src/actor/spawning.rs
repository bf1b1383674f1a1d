//! The spawn request family: starting this host's instances of a `pvm_spawn`
//! (program search, processes, their output and the watchers that reap them), placing
//! a spawn over the machine, gathering the other hosts' instances, and handing every
//! instance its sibling list.
//!
//! [`Spawner`] owns this host's side (the programs' path, the processes' watchers,
//! the spawns waiting for other hosts). [`SpawnCx`] is what the family works on: the
//! spawner, the task table and output collection it fills, the host table it places
//! by and the wiring that carries the calls and answers.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::Duration;

use pvm::error::PvmError;
use pvm::proto::consts::{
    PVM_HOST_COMPL, PVM_NO_SPAWN_PARENT, PVM_TASK_ARCH, PVM_TASK_DEBUG, PVM_TASK_HOST,
};
use pvm::proto::peer::PeerMsg;
use pvm::proto::{Message, Reply, Request, SpawnRequest};
use pvm::tid::Tid;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::input::Input;
use crate::cluster::Then;
use crate::hosts::HostTable;
use crate::output::{self, Outputs};
use crate::router::{Reach, ReplyTo};
use crate::spawn::{self, Launch, SpawnConfig};
use crate::tasks::{Task, TaskTable};
use crate::wiring::Wiring;

/// The most instances one spawn may ask for.
const MAX_SPAWN: u32 = 4096;
/// How long a task spawned for another host waits for its sibling list.
const SIBLINGS_WAIT: Duration = Duration::from_secs(5);

/// This host's side of spawning.
#[derive(Debug)]
pub(super) struct Spawner {
    config: SpawnConfig,
    inputs: mpsc::UnboundedSender<Input>,
    /// The watchers of spawned processes by pid: waiting reaps the process, so
    /// shutdown awaits those of the tasks it kills and leaves no zombie.
    children: Vec<(u32, JoinHandle<()>)>,
    /// Spawns waiting for other hosts' instances, by gather id.
    gathers: HashMap<u64, SpawnGather>,
}

#[derive(Debug)]
struct SpawnGather {
    to: ReplyTo,
    results: Vec<i32>,
    /// Hosts whose instances are not reported yet.
    waiting: usize,
    hosts: BTreeSet<u32>,
}

impl SpawnGather {
    /// Puts `results` in the instances' `slots`; a missing result is a system error.
    fn fill(&mut self, slots: &[usize], results: &[i32]) {
        for (i, slot) in slots.iter().enumerate() {
            if let Some(r) = self.results.get_mut(*slot) {
                *r = results.get(i).copied().unwrap_or(PvmError::SysErr.code());
            }
        }
    }
}

impl Spawner {
    pub(super) fn new(config: SpawnConfig, inputs: mpsc::UnboundedSender<Input>) -> Spawner {
        Spawner {
            config,
            inputs,
            children: Vec::new(),
            gathers: HashMap::new(),
        }
    }

    pub(super) fn config(&self) -> &SpawnConfig {
        &self.config
    }

    /// Starts every instance of `req` for `parent` on this host: one result per
    /// instance, a tid or an error code, and the output-begin messages to deliver.
    /// The instances are each other's siblings until the spawn's other hosts report
    /// theirs.
    fn start(
        &mut self,
        tasks: &mut TaskTable,
        outputs: &mut Outputs,
        parent: Tid,
        req: &SpawnRequest,
    ) -> (Vec<i32>, Vec<Message>) {
        if req.count > MAX_SPAWN {
            return (vec![PvmError::BadParam.code()], Vec::new());
        }
        let Some(program) = self.config.find_program(&req.file) else {
            return (
                vec![PvmError::NoFile.code(); req.count as usize],
                Vec::new(),
            );
        };
        let ptid = if req.flags & PVM_NO_SPAWN_PARENT != 0 {
            Tid(0)
        } else {
            parent
        };
        let mut results = Vec::with_capacity(req.count as usize);
        let (mut started, mut begins) = (Vec::new(), Vec::new());
        for _ in 0..req.count {
            match self.start_instance(tasks, ptid, &program, req) {
                Ok(tid) => {
                    started.push(tid);
                    results.push(tid.raw());
                    begins.extend(outputs.begin(tid, ptid, req.output));
                }
                Err(e) => results.push(e.code()),
            }
        }
        set_siblings(tasks, &started);
        (results, begins)
    }

    /// Starts one instance: a new tid, the process, its output watcher and the watcher
    /// that reaps it and reports its death.
    fn start_instance(
        &mut self,
        tasks: &mut TaskTable,
        ptid: Tid,
        program: &Path,
        req: &SpawnRequest,
    ) -> Result<Tid, PvmError> {
        let tid = tasks.allocate().ok_or(PvmError::OutOfRes)?;
        let key = random_key();
        let launch = Launch {
            tid,
            key,
            program,
            argv: &req.argv,
            env: &req.env,
            debug: req.flags & PVM_TASK_DEBUG != 0,
        };
        let s = spawn::start(&self.config, &launch)?;
        tasks.insert(Task {
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
        output::watch(tid, s.output, self.inputs.clone());
        let (inputs, pid, mut child) = (self.inputs.clone(), s.pid, s.child);
        let watcher = tokio::spawn(async move {
            let _ = child.wait().await;
            let _ = inputs.send(Input::ChildExited(tid, pid));
        });
        self.children.retain(|(_, w)| !w.is_finished());
        self.children.push((pid, watcher));
        Ok(tid)
    }

    /// Holds the welcome of task `tid`, spawned for another host, until its siblings
    /// are known or [`SIBLINGS_WAIT`] has passed.
    fn hold_for_siblings(&self, tasks: &mut TaskTable, tid: Tid) {
        if let Some(t) = tasks.get_mut(tid) {
            t.awaiting_siblings = true;
        }
        let inputs = self.inputs.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SIBLINGS_WAIT).await;
            let _ = inputs.send(Input::SiblingsTimeout(tid));
        });
    }

    /// The watchers of processes `pids` (the ones shutdown kills), to await.
    pub(super) fn watchers_of(&mut self, pids: &[u32]) -> Vec<JoinHandle<()>> {
        std::mem::take(&mut self.children)
            .into_iter()
            .filter(|(pid, _)| pids.contains(pid))
            .map(|(_, watcher)| watcher)
            .collect()
    }
}

/// What the spawn family works on.
pub(super) struct SpawnCx<'a> {
    spawner: &'a mut Spawner,
    tasks: &'a mut TaskTable,
    outputs: &'a mut Outputs,
    hosts: &'a mut HostTable,
    wiring: &'a mut Wiring,
}

impl<'a> SpawnCx<'a> {
    pub(super) fn new(
        spawner: &'a mut Spawner,
        tasks: &'a mut TaskTable,
        outputs: &'a mut Outputs,
        hosts: &'a mut HostTable,
        wiring: &'a mut Wiring,
    ) -> SpawnCx<'a> {
        SpawnCx {
            spawner,
            tasks,
            outputs,
            hosts,
            wiring,
        }
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
                    self.spawner.hold_for_siblings(self.tasks, tid);
                }
                Some(spawned(results))
            }
        }
    }

    /// This host's instances, their output announced where it goes.
    fn spawn_here(&mut self, parent: Tid, req: &SpawnRequest) -> Vec<i32> {
        let (results, begins) = self.spawner.start(self.tasks, self.outputs, parent, req);
        for m in begins {
            let from = crate::flow::Source::Pvmd;
            self.wiring.deliver(self.tasks, self.hosts, m, from);
        }
        results
    }

    /// Places the instances (PvmTaskHost, PvmTaskArch, or round robin by speed),
    /// starts this host's share and asks the other hosts for theirs.
    fn place(&mut self, to: ReplyTo, parent: Tid, req: SpawnRequest) {
        if req.count > MAX_SPAWN {
            self.wiring
                .answer(to, spawned(vec![PvmError::BadParam.code()]));
            return;
        }
        let count = req.count as usize;
        let eligible = eligible(self.hosts, &req);
        if eligible.is_empty() {
            self.wiring
                .answer(to, spawned(vec![PvmError::NoHost.code(); count]));
            return;
        }
        let mut by_host: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (slot, host) in self.hosts.place(&eligible, count).into_iter().enumerate() {
            by_host.entry(host).or_default().push(slot);
        }
        let share = |slots: &[usize]| SpawnRequest {
            count: slots.len() as u32,
            ..req.clone()
        };
        let mut g = SpawnGather {
            to,
            results: vec![PvmError::HostFail.code(); count],
            waiting: 0,
            hosts: by_host.keys().copied().collect(),
        };
        if let Some(slots) = by_host.remove(&self.hosts.me()) {
            g.fill(&slots, &self.spawn_here(parent, &share(&slots)));
        }
        g.waiting = by_host.len();
        let gather = self.wiring.cluster_mut().gather_id();
        self.spawner.gathers.insert(gather, g);
        for (host, slots) in by_host {
            let there = Request::Spawn {
                spawn: share(&slots),
            };
            let failed = slots.clone();
            let then = Then::Spawn { gather, slots };
            if self.wiring.call(host, parent, there, then).is_err() {
                self.spawn_answered(gather, &failed, Reply::error(PvmError::HostFail));
            }
        }
        self.finish_spawn(gather);
    }

    /// Another host reported its instances of spawn `gather` (or failed).
    pub(super) fn spawn_answered(&mut self, gather: u64, slots: &[usize], reply: Reply) {
        let Some(g) = self.spawner.gathers.get_mut(&gather) else {
            return;
        };
        let results = match reply {
            Reply::Spawned { results } => results,
            Reply::Error { code, .. } => vec![code; slots.len()],
            unexpected => {
                tracing::warn!("a spawn was answered {unexpected:?}");
                vec![PvmError::SysErr.code(); slots.len()]
            }
        };
        g.fill(slots, &results);
        g.waiting = g.waiting.saturating_sub(1);
        self.finish_spawn(gather);
    }

    /// Once every host reported: the sibling list to every host that started one, and
    /// the results to the spawner.
    fn finish_spawn(&mut self, gather: u64) {
        let gathers = &mut self.spawner.gathers;
        if gathers.get(&gather).is_none_or(|g| g.waiting > 0) {
            return;
        }
        let Some(g) = gathers.remove(&gather) else {
            return;
        };
        let tids: Vec<Tid> = g.results.iter().filter_map(|r| Tid::from_raw(*r)).collect();
        let me = self.hosts.me();
        set_siblings(self.tasks, &tids);
        for host in g.hosts.into_iter().filter(|h| *h != me) {
            if tids.iter().any(|t| t.host() == host) {
                let msg = PeerMsg::Siblings {
                    from: self.wiring.me(),
                    to: Tid::pvmd(host),
                    tids: tids.clone(),
                };
                self.wiring.cluster().send_peer(Tid::pvmd(host), msg);
            }
        }
        self.wiring.answer(g.to, spawned(g.results));
    }

    /// The sibling list of a spawn another host placed: returns this host's
    /// instances of it, which may join now.
    pub(super) fn siblings(&mut self, tids: Vec<Tid>) -> Vec<Tid> {
        set_siblings(self.tasks, &tids);
        let me = self.hosts.me();
        tids.into_iter().filter(|t| t.host() == me).collect()
    }
}

/// The hosts an instance of `req` may run on.
fn eligible(hosts: &HostTable, req: &SpawnRequest) -> Vec<u32> {
    let all = hosts.numbers();
    let compl = req.flags & PVM_HOST_COMPL != 0;
    let chosen: Box<dyn Fn(u32) -> bool + '_> = if req.flags & PVM_TASK_HOST != 0 {
        let named = hosts.find(&req.where_);
        Box::new(move |h| named == Some(h))
    } else if req.flags & PVM_TASK_ARCH != 0 {
        Box::new(|h| hosts.arch(h) == Some(req.where_.as_str()))
    } else {
        return all;
    };
    all.into_iter().filter(|h| chosen(*h) != compl).collect()
}

/// Gives the tasks of this host among `tids` their sibling list.
fn set_siblings(tasks: &mut TaskTable, tids: &[Tid]) {
    for tid in tids {
        if let Some(t) = tasks.get_mut(*tid) {
            t.siblings = tids.to_vec();
        }
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
