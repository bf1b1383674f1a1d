//! The virtual machine beyond this host: which requests another pvmd must answer,
//! forwarding them and gathering the answers, starting and deleting hosts, noticing
//! failed ones, and relaying traffic between slaves.
//!
//! Ownership follows PVM: each pvmd owns its own tasks (spawning, signals, exit
//! notices, output); the master owns the host table, the mailbox, the groups and the
//! contexts, so a slave forwards those requests to it. A task's request that needs
//! another host becomes a `Call` to that host's pvmd, answered by one `Answer`; the
//! task's answer is sent when every answer it needs has arrived, or at once with
//! PvmHostFail for a host that fails meanwhile.
//!
//! Exit notification across hosts: a subscription lives at the subscriber's pvmd, which
//! asks the target's pvmd to `Watch` it; that pvmd sends `Exited` when the task goes.
//! When a host fails, every pvmd fires the subscriptions on its tasks itself, as PVM
//! does, so nothing waits forever for a host that cannot answer.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use pvm::error::PvmError;
use pvm::proto::consts::{PVM_HOST_COMPL, PVM_TASK_ARCH, PVM_TASK_HOST};
use pvm::proto::peer::{PeerHost, PeerMsg};
use pvm::proto::{Frame, GroupOp, HostInfo, Message, Reply, Request, SpawnRequest, TaskInfo};
use pvm::tid::Tid;
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use crate::daemon::{Daemon, Event, ReplyTo};
use crate::hostfile::HostEntry;
use crate::hosts::DEFAULT_SPEED;
use crate::notify::Event as NotifyEvent;
use crate::peer;
use crate::remote::{self, Rsh, SlaveConfig, StartFailure, Started};
use crate::requests::MAX_SPAWN;

/// How long a task spawned for another host waits for its sibling list.
const SIBLINGS_WAIT: Duration = Duration::from_secs(5);

/// Multi-host state of one pvmd.
#[derive(Debug)]
pub struct Cluster {
    /// The virtual machine's secret, shared by its pvmds.
    secret: Vec<u8>,
    /// How the master starts other hosts (`None` on a slave).
    rsh: Option<Rsh>,
    /// The address of this host as the others see it.
    local_addr: String,
    calls: HashMap<u32, PendingCall>,
    next_call: u32,
    spawns: HashMap<u64, SpawnGather>,
    task_lists: HashMap<u64, TasksGather>,
    next_gather: u64,
    /// Tasks of this host that other pvmds watch, and who watches.
    watchers: HashMap<Tid, BTreeSet<Tid>>,
    /// Tasks of other hosts this pvmd asked to hear about.
    watching: BTreeSet<Tid>,
    /// Host numbers being started.
    starting: BTreeSet<u32>,
}

impl Cluster {
    /// The master's state: a fresh secret for the new virtual machine.
    pub fn master(rsh: Rsh) -> Result<Cluster, pvm::proto::auth::RandomError> {
        let secret = pvm::proto::auth::random_bytes(pvm::proto::auth::NONCE_LEN)?;
        Ok(Self::new(secret, Some(rsh)))
    }

    /// A slave's state, with the secret its master gave it.
    pub fn slave(secret: Vec<u8>, local_addr: String) -> Cluster {
        let mut c = Self::new(secret, None);
        c.local_addr = local_addr;
        c
    }

    fn new(secret: Vec<u8>, rsh: Option<Rsh>) -> Cluster {
        Cluster {
            secret,
            rsh,
            local_addr: String::new(),
            calls: HashMap::new(),
            next_call: 1,
            spawns: HashMap::new(),
            task_lists: HashMap::new(),
            next_gather: 1,
            watchers: HashMap::new(),
            watching: BTreeSet::new(),
            starting: BTreeSet::new(),
        }
    }

    /// The key tasks prove to each other on direct TCP links: derived from the
    /// secret, so it says "a task of this virtual machine" without revealing it.
    pub fn direct_key(&self) -> bytes::Bytes {
        let key = pvm::proto::auth::mac(&self.secret, "pvm direct routes", &[], &[]);
        bytes::Bytes::from(key)
    }

    fn gather_id(&mut self) -> u64 {
        let id = self.next_gather;
        self.next_gather += 1;
        id
    }
}

/// What to do with the answer to a call in flight.
#[derive(Debug)]
struct PendingCall {
    host: u32,
    then: Then,
}

#[derive(Debug)]
enum Then {
    /// Pass the answer on.
    Forward(ReplyTo),
    /// Fill these instances of a spawn.
    Spawn { gather: u64, slots: Vec<usize> },
    /// Add these tasks to a `pvm_tasks(0)` list.
    Tasks { gather: u64 },
    /// Nobody waits (reset, halt).
    Ignore,
}

#[derive(Debug)]
struct SpawnGather {
    to: ReplyTo,
    results: Vec<i32>,
    /// Hosts whose instances are not reported yet.
    waiting: usize,
    hosts: BTreeSet<u32>,
}

#[derive(Debug)]
struct TasksGather {
    to: ReplyTo,
    tasks: Vec<TaskInfo>,
    waiting: usize,
}

/// The outcome of starting one host.
pub type AddOutcome = Result<Tid, StartFailure>;

/// Who waits for an `add`: a task (or a slave on its behalf), or startup.
#[derive(Debug)]
pub enum AddDone {
    Reply(ReplyTo),
    Startup(oneshot::Sender<Vec<(String, AddOutcome)>>),
}

/// Hosts being started by one `add`.
#[derive(Debug)]
pub struct AddGather {
    done: AddDone,
    results: Vec<(String, Option<AddOutcome>)>,
}

/// A host start finished (see [`Event::HostStarted`]).
#[derive(Debug)]
pub struct HostStart {
    add: u64,
    slot: usize,
    number: u32,
    entry: HostEntry,
    result: Result<(Started, TcpStream, String), StartFailure>,
}

impl Daemon {
    /// A request from a task of this host: carried out here, or sent where it belongs.
    pub(crate) fn task_request(&mut self, to: ReplyTo, tid: Tid, req: Request) {
        let me = self.hosts.me();
        let master = self.hosts.is_master();
        match req {
            Request::Spawn { spawn } => self.spawn(to, tid, spawn),
            Request::Tasks { which } if which.0 == 0 && !self.hosts.remote.is_empty() => {
                self.gather_tasks(to, tid);
            }
            Request::Tasks { which } if which.0 != 0 && which.host() != me => {
                let err = if which.is_pvmd() {
                    PvmError::NoHost
                } else {
                    PvmError::NoTask
                };
                self.forward_or(which.host(), to, tid, Request::Tasks { which }, err);
            }
            Request::LookupDirect { tid: t } if t.host() != me => {
                if self.hosts.contains(t.host()) {
                    let req = Request::LookupDirect { tid: t };
                    self.call_peer(t.host(), tid, req, Then::Forward(to));
                } else {
                    self.answer(to, Reply::Direct { path: None });
                }
            }
            req @ (Request::Pstat { .. } | Request::Kill { .. } | Request::SendSig { .. })
                if target_of(&req).is_some_and(|t| t.host() != me) =>
            {
                let host = target_of(&req).map_or(0, Tid::host);
                self.forward_or(host, to, tid, req, PvmError::NoTask);
            }
            Request::Reset {} => {
                for host in self.hosts.numbers() {
                    if host != me {
                        self.call_peer(host, tid, Request::Reset {}, Then::Ignore);
                    }
                }
                self.request(to, tid, Request::Reset {});
            }
            Request::Halt {} if !master => {
                self.outputs.log.line(&format!("halt requested by {tid}"));
                self.call_peer(1, tid, Request::Halt {}, Then::Ignore);
                self.answer(to, Reply::Done {});
            }
            Request::AddHosts { names } if master => self.add_hosts(names, AddDone::Reply(to)),
            Request::DelHosts { names } if master => {
                let reply = self.delete_hosts(&names);
                self.answer(to, reply);
            }
            req if !master && master_owned(&req) => {
                self.forward_or(1, to, tid, req, PvmError::HostFail);
            }
            req => self.request(to, tid, req),
        }
    }

    /// A call from the pvmd `from` on behalf of its task `caller`.
    fn call(&mut self, from: Tid, id: u32, caller: Tid, req: Request) {
        let to = ReplyTo::Peer { pvmd: from, id };
        match req {
            Request::Spawn { spawn } => {
                let results = self.spawn_here(caller, &spawn);
                for tid in results.iter().filter_map(|r| Tid::from_raw(*r)) {
                    self.await_siblings(tid);
                }
                self.answer(to, Reply::Spawned { results });
            }
            Request::Halt {} => {
                self.outputs
                    .log
                    .line(&format!("halt requested by {caller}"));
                self.halting = true;
            }
            Request::Reset {} => {
                self.reset(caller);
            }
            Request::LookupDirect { tid } => {
                // Another host's task can only use the TCP port, at our address.
                let addr = &self.cluster.local_addr;
                let path = self
                    .tasks
                    .get(tid)
                    .and_then(|t| t.direct_port)
                    .filter(|_| !addr.is_empty())
                    .map(|port| format!("tcp:{addr}:{port}"));
                self.answer(to, Reply::Direct { path });
            }
            Request::AddHosts { names } if self.hosts.is_master() => {
                self.add_hosts(names, AddDone::Reply(to));
            }
            Request::DelHosts { names } if self.hosts.is_master() => {
                let reply = self.delete_hosts(&names);
                self.answer(to, reply);
            }
            req => {
                // The master keeps group members and mailbox owners of other hosts:
                // it must hear when they exit.
                let remembers = matches!(
                    req,
                    Request::PutInfo { .. }
                        | Request::Group {
                            op: GroupOp::Join { .. }
                        }
                );
                self.request(to, caller, req);
                if remembers {
                    self.watch_remote(caller);
                }
            }
        }
    }

    /// Holds the welcome of a task spawned for another host until its siblings are
    /// known.
    fn await_siblings(&mut self, tid: Tid) {
        if let Some(t) = self.tasks.get_mut(tid) {
            t.awaiting_siblings = true;
        }
        let events = self.events.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SIBLINGS_WAIT).await;
            let _ = events.send(Event::SiblingsTimeout(tid));
        });
    }

    // ----- spawning across hosts -----

    /// `pvm_spawn`: places the instances (PvmTaskHost, PvmTaskArch, or round robin by
    /// speed), starts this host's share and asks the other hosts for theirs.
    fn spawn(&mut self, to: ReplyTo, parent: Tid, req: SpawnRequest) {
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
        self.cluster.spawns.insert(gather, g);
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

    fn spawn_answered(&mut self, gather: u64, slots: &[usize], reply: Reply) {
        let Some(g) = self.cluster.spawns.get_mut(&gather) else {
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
        if self
            .cluster
            .spawns
            .get(&gather)
            .is_none_or(|g| g.waiting > 0)
        {
            return;
        }
        let Some(g) = self.cluster.spawns.remove(&gather) else {
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
                self.send_peer(Tid::pvmd(host), msg);
            }
        }
        self.answer(g.to, spawned(g.results));
    }

    fn siblings(&mut self, tids: Vec<Tid>) {
        self.set_siblings(&tids);
        let me = self.hosts.me();
        for tid in tids.into_iter().filter(|t| t.host() == me) {
            self.release_welcome(tid);
        }
    }

    // ----- task lists -----

    fn gather_tasks(&mut self, to: ReplyTo, caller: Tid) {
        let gather = self.cluster.gather_id();
        let mut tasks = match self.tasks_of(Tid(0)) {
            Reply::Tasks { tasks } => tasks,
            _ => Vec::new(),
        };
        tasks.sort_by_key(|t| t.tid);
        let others: Vec<u32> = self.hosts.remote.keys().copied().collect();
        self.cluster.task_lists.insert(
            gather,
            TasksGather {
                to,
                tasks,
                waiting: others.len(),
            },
        );
        for host in others {
            let req = Request::Tasks {
                which: Tid::pvmd(host),
            };
            self.call_peer(host, caller, req, Then::Tasks { gather });
        }
        self.finish_tasks(gather);
    }

    fn finish_tasks(&mut self, gather: u64) {
        if self
            .cluster
            .task_lists
            .get(&gather)
            .is_none_or(|g| g.waiting > 0)
        {
            return;
        }
        if let Some(mut g) = self.cluster.task_lists.remove(&gather) {
            g.tasks.sort_by_key(|t| (t.host.host(), t.tid));
            self.answer(g.to, Reply::Tasks { tasks: g.tasks });
        }
    }

    // ----- calls -----

    /// Sends `req` to host `host`'s pvmd; its answer goes to `to`. `missing` answers
    /// at once when that host is not in the table.
    fn forward_or(&mut self, host: u32, to: ReplyTo, caller: Tid, req: Request, missing: PvmError) {
        if !self.hosts.contains(host) {
            self.answer(to, Reply::error(missing));
            return;
        }
        self.call_peer(host, caller, req, Then::Forward(to));
    }

    fn call_peer(&mut self, host: u32, caller: Tid, req: Request, then: Then) {
        let id = self.cluster.next_call;
        self.cluster.next_call = self.cluster.next_call.wrapping_add(1).max(1);
        let msg = PeerMsg::Call {
            id,
            from: self.me,
            to: Tid::pvmd(host),
            caller,
            req,
        };
        if self.send_peer(Tid::pvmd(host), msg) {
            self.cluster.calls.insert(id, PendingCall { host, then });
        } else {
            self.call_failed(then, PvmError::HostFail);
        }
    }

    fn answered(&mut self, id: u32, reply: Reply) {
        if let Some(call) = self.cluster.calls.remove(&id) {
            self.complete(call.then, reply);
        }
    }

    fn complete(&mut self, then: Then, reply: Reply) {
        match then {
            Then::Forward(to) => self.answer(to, reply),
            Then::Spawn { gather, slots } => self.spawn_answered(gather, &slots, reply),
            Then::Tasks { gather } => {
                if let Some(g) = self.cluster.task_lists.get_mut(&gather) {
                    if let Reply::Tasks { tasks } = reply {
                        g.tasks.extend(tasks);
                    }
                    g.waiting = g.waiting.saturating_sub(1);
                }
                self.finish_tasks(gather);
            }
            Then::Ignore => {}
        }
    }

    fn call_failed(&mut self, then: Then, e: PvmError) {
        self.complete(then, Reply::error(e));
    }

    // ----- links and routing -----

    /// The host a frame for host `host` leaves through: itself from the master, the
    /// master from a slave.
    fn next_hop(&self, host: u32) -> u32 {
        if self.hosts.is_master() {
            host
        } else {
            1
        }
    }

    /// Queues a peer message for pvmd `to`; false if it cannot be sent.
    pub(crate) fn send_peer(&self, to: Tid, msg: PeerMsg) -> bool {
        let hop = self.next_hop(to.host());
        self.links.send(hop, Frame::Peer(msg))
    }

    /// Sends a message towards another host's task.
    pub(crate) fn forward_data(&self, msg: Message) {
        let host = msg.dst.host();
        if !self.hosts.contains(host) || !self.links.send(self.next_hop(host), Frame::Data(msg)) {
            tracing::debug!(dst = %Tid::pvmd(host), "message for an unknown host dropped");
        }
    }

    /// A frame from the pvmd of host `host`.
    pub(crate) fn link_frame(&mut self, host: u32, frame: Frame) {
        match frame {
            Frame::Data(msg) => self.deliver(msg),
            Frame::Peer(msg) => match msg.destination() {
                Some(to) if to.host() != self.hosts.me() => {
                    if self.hosts.is_master() {
                        self.send_peer(to, msg);
                    }
                }
                _ => self.peer_message(host, msg),
            },
            other => {
                tracing::warn!(host, "unexpected frame on a pvmd link: {other:?}");
                self.link_down(host, "protocol error");
            }
        }
    }

    fn peer_message(&mut self, host: u32, msg: PeerMsg) {
        match msg {
            PeerMsg::Hosts { hosts } if !self.hosts.is_master() => self.new_table(hosts),
            PeerMsg::Call {
                id,
                from,
                caller,
                req,
                ..
            } => self.call(from, id, caller, req),
            PeerMsg::Answer { id, reply, .. } => self.answered(id, reply),
            PeerMsg::Watch { from, tid, .. } => {
                if self.tasks.get(tid).is_some() {
                    self.cluster.watchers.entry(tid).or_default().insert(from);
                } else {
                    let me = self.me;
                    self.send_peer(
                        from,
                        PeerMsg::Exited {
                            from: me,
                            to: from,
                            tid,
                        },
                    );
                }
            }
            PeerMsg::Exited { tid, .. } => {
                self.cluster.watching.remove(&tid);
                self.forget_task(tid);
            }
            PeerMsg::Siblings { tids, .. } => self.siblings(tids),
            PeerMsg::Halt {} if self.hosts.is_master() => {
                self.host_gone(host, "its pvmd halted");
            }
            PeerMsg::Halt {} => {
                self.outputs.log.line("halted by the master");
                self.halting = true;
            }
            other => tracing::debug!(host, "ignored on a link: {other:?}"),
        }
    }

    /// A link went down: on a slave it is the master's, and the slave goes; on the
    /// master the host is deleted.
    pub(crate) fn link_down(&mut self, host: u32, why: &str) {
        self.links.abort(host);
        if self.hosts.is_master() {
            self.host_gone(host, why);
        } else {
            self.outputs
                .log
                .line(&format!("lost the master ({why}), halting"));
            self.halting = true;
        }
    }

    /// Asks the pvmd of remote task `tid` to say when it exits.
    pub(crate) fn watch_remote(&mut self, tid: Tid) {
        if tid.host() == self.hosts.me() || !self.cluster.watching.insert(tid) {
            return;
        }
        let msg = PeerMsg::Watch {
            from: self.me,
            to: tid.host_daemon(),
            tid,
        };
        self.send_peer(tid.host_daemon(), msg);
    }

    /// A task of this host exited: tell the pvmds that watch it.
    pub(crate) fn tell_watchers(&mut self, tid: Tid) {
        let Some(pvmds) = self.cluster.watchers.remove(&tid) else {
            return;
        };
        for to in pvmds {
            let me = self.me;
            self.send_peer(to, PeerMsg::Exited { from: me, to, tid });
        }
    }

    // ----- the host table -----

    /// A slave received the master's table.
    fn new_table(&mut self, hosts: Vec<PeerHost>) {
        if let Some(me) = hosts.iter().find(|h| h.info.dtid == self.me) {
            self.cluster.local_addr.clone_from(&me.addr);
        }
        let (added, gone) = self.hosts.replace(hosts);
        for dtid in gone {
            self.forget_host(dtid.host());
        }
        self.hosts_added(&added);
    }

    /// HostAdd notifications for hosts that joined.
    fn hosts_added(&mut self, added: &[Tid]) {
        for dtid in added {
            for sub in self.notifies.host_added() {
                let m = sub.message(self.me, *dtid);
                self.deliver(m);
            }
        }
    }

    /// The master tells every slave the current table.
    fn publish_table(&mut self) {
        let hosts = self.hosts.peers(&self.cluster.local_addr);
        for host in self.links.hosts() {
            self.links.send(
                host,
                Frame::Peer(PeerMsg::Hosts {
                    hosts: hosts.clone(),
                }),
            );
        }
    }

    /// The master lost host `host` (failed, cut off, deleted or halted).
    fn host_gone(&mut self, host: u32, why: &str) {
        if self.hosts.remote.remove(&host).is_none() {
            return;
        }
        self.links.abort(host);
        let name = format!("{}", Tid::pvmd(host));
        self.outputs
            .log
            .line(&format!("host {name} deleted: {why}"));
        tracing::warn!(host = %name, "host deleted: {why}");
        self.publish_table();
        self.forget_host(host);
    }

    /// Host `host` is no longer part of the machine: its calls fail, and everything
    /// waiting for its tasks hears that they are gone.
    fn forget_host(&mut self, host: u32) {
        let failed: Vec<u32> = self
            .cluster
            .calls
            .iter()
            .filter(|(_, c)| c.host == host)
            .map(|(id, _)| *id)
            .collect();
        for id in failed {
            if let Some(call) = self.cluster.calls.remove(&id) {
                self.call_failed(call.then, PvmError::HostFail);
            }
        }
        let dtid = Tid::pvmd(host);
        for sub in self.notifies.fire(NotifyEvent::HostDelete, dtid) {
            let m = sub.message(self.me, dtid);
            self.deliver(m);
        }
        let mut lost: BTreeSet<Tid> = self.notifies.task_targets_on(host).into_iter().collect();
        lost.extend(self.groups.members_on(host));
        lost.extend(self.mbox.owners_on(host));
        lost.extend(self.cluster.watching.iter().filter(|t| t.host() == host));
        self.cluster.watching.retain(|t| t.host() != host);
        for set in self.cluster.watchers.values_mut() {
            set.remove(&dtid);
        }
        for tid in lost {
            self.forget_task(tid);
        }
    }

    /// `pvm_addhosts` on the master: starts each named host in the background.
    pub(crate) fn add_hosts(&mut self, names: Vec<String>, done: AddDone) {
        let gather = self.cluster.gather_id();
        let mut results = Vec::with_capacity(names.len());
        let mut starts = Vec::new();
        for (slot, name) in names.into_iter().enumerate() {
            let outcome = match self.prepare_start(&name) {
                Ok((number, config)) => {
                    starts.push((slot, number, config, self.hosts.entry_for(&name)));
                    None
                }
                Err(e) => Some(Err(e)),
            };
            results.push((name, outcome));
        }
        self.adds.insert(gather, AddGather { done, results });
        let Some(rsh) = self.cluster.rsh.clone() else {
            self.finish_add(gather);
            return;
        };
        let secret = self.cluster.secret.clone();
        for (slot, number, config, entry) in starts {
            let (events, rsh, secret) = (self.events.clone(), rsh.clone(), secret.clone());
            tokio::spawn(async move {
                let result = start_host(&rsh, &entry, &config, &secret).await;
                let start = HostStart {
                    add: gather,
                    slot,
                    number,
                    entry,
                    result,
                };
                let _ = events.send(Event::HostStarted(Box::new(start)));
            });
        }
        self.finish_add(gather);
    }

    /// Checks a host may be added and reserves its number.
    fn prepare_start(&mut self, name: &str) -> Result<(u32, SlaveConfig), StartFailure> {
        let fail = |code, reason: String| StartFailure { code, reason };
        if name.is_empty() {
            return Err(fail(PvmError::BadParam, "empty host name".into()));
        }
        if self.hosts.find(name).is_some() {
            return Err(fail(
                PvmError::DupHost,
                format!("{name} is already in the virtual machine"),
            ));
        }
        let number = (2..=pvm::tid::MAX_HOST)
            .find(|n| !self.hosts.contains(*n) && !self.cluster.starting.contains(n))
            .ok_or_else(|| fail(PvmError::OutOfRes, "no host number left".into()))?;
        let entry = self.hosts.entry_for(name);
        if self
            .hosts
            .remote
            .values()
            .any(|h| h.info.name == entry.name)
            || self.cluster.starting_names(&self.adds).any(|n| n == name)
        {
            return Err(fail(
                PvmError::DupHost,
                format!("{name} is being added already"),
            ));
        }
        self.cluster.starting.insert(number);
        let o = &entry.opts;
        let config = SlaveConfig {
            version: remote::PROTOCOL_VERSION.to_string(),
            secret: pvm::proto::auth::to_hex(&self.cluster.secret),
            host: number,
            name: name.to_string(),
            master: self.hosts.local.info.name.clone(),
            ep: o.ep.clone(),
            wd: o.wd.clone(),
            bx: o.bx.clone(),
            sp: o.sp.unwrap_or(DEFAULT_SPEED),
            pvm_root: std::env::var("PVM_ROOT").ok().filter(|r| !r.is_empty()),
        };
        Ok((number, config))
    }

    /// A host start finished: link it in, or report why not.
    pub(crate) fn host_started(&mut self, s: HostStart) {
        self.cluster.starting.remove(&s.number);
        let outcome = match s.result {
            Ok((started, stream, local_addr)) if !self.halting => {
                if self.cluster.local_addr.is_empty() {
                    self.cluster.local_addr = local_addr;
                }
                let link = peer::link::start(s.number, stream, self.events.clone());
                self.links.insert(s.number, link);
                let dtid = Tid::pvmd(s.number);
                let host = PeerHost {
                    info: HostInfo {
                        dtid,
                        name: s.entry.name.clone(),
                        arch: started.arch,
                        speed: s.entry.opts.sp.unwrap_or(DEFAULT_SPEED),
                        dsig: started.dsig,
                    },
                    addr: started.addr,
                };
                self.hosts.remote.insert(s.number, host);
                self.outputs.log.line(&format!(
                    "host {} ({}) added as {dtid}",
                    s.entry.name, started.hostname
                ));
                self.publish_table();
                self.hosts_added(&[dtid]);
                Ok(dtid)
            }
            Ok(_) => Err(StartFailure {
                code: PvmError::SysErr,
                reason: "pvmd is halting".into(),
            }),
            Err(e) => {
                self.outputs
                    .log
                    .line(&format!("cannot add host {}: {}", s.entry.name, e.reason));
                Err(e)
            }
        };
        if let Some(g) = self.adds.get_mut(&s.add) {
            if let Some(r) = g.results.get_mut(s.slot) {
                r.1 = Some(outcome);
            }
        }
        self.finish_add(s.add);
    }

    fn finish_add(&mut self, gather: u64) {
        let complete = self
            .adds
            .get(&gather)
            .is_some_and(|g| g.results.iter().all(|(_, r)| r.is_some()));
        if !complete {
            return;
        }
        let Some(g) = self.adds.remove(&gather) else {
            return;
        };
        let results: Vec<(String, AddOutcome)> = g
            .results
            .into_iter()
            .filter_map(|(name, r)| r.map(|r| (name, r)))
            .collect();
        match g.done {
            AddDone::Reply(to) => {
                let codes = results
                    .iter()
                    .map(|(_, r)| r.as_ref().map_or_else(|e| e.code.code(), |t| t.raw()))
                    .collect();
                let reasons = results
                    .into_iter()
                    .map(|(_, r)| r.err().map(|e| e.reason).unwrap_or_default())
                    .collect();
                self.answer(
                    to,
                    Reply::Hosts {
                        results: codes,
                        reasons,
                    },
                );
            }
            AddDone::Startup(tx) => {
                let _ = tx.send(results);
            }
        }
    }

    /// `pvm_delhosts` on the master: each named slave is told to halt and removed.
    fn delete_hosts(&mut self, names: &[String]) -> Reply {
        let mut results = Vec::with_capacity(names.len());
        let mut reasons = Vec::with_capacity(names.len());
        for name in names {
            let (code, reason) = match self.hosts.find(name) {
                None => (
                    PvmError::NoHost.code(),
                    format!("{name} is not in the virtual machine"),
                ),
                Some(n) if n == self.hosts.me() => (
                    PvmError::BadParam.code(),
                    "the master host cannot be deleted".into(),
                ),
                Some(n) => {
                    self.links.send(n, Frame::Peer(PeerMsg::Halt {}));
                    if let Some(w) = self.links.close(n) {
                        self.writers.push(w);
                    }
                    self.host_gone(n, "deleted");
                    (0, String::new())
                }
            };
            results.push(code);
            reasons.push(reason);
        }
        Reply::Hosts { results, reasons }
    }

    /// The master halts: every slave is told to halt too.
    pub(crate) fn halt_slaves(&mut self) {
        if self.hosts.is_master() {
            for host in self.links.hosts() {
                self.links.send(host, Frame::Peer(PeerMsg::Halt {}));
            }
        }
    }

    /// A slave halting on its own (a signal) tells the master it is leaving.
    pub(crate) fn leave_machine(&mut self) {
        if !self.hosts.is_master() {
            self.links.send(1, Frame::Peer(PeerMsg::Halt {}));
        }
    }
}

impl Cluster {
    fn starting_names<'a>(
        &'a self,
        adds: &'a HashMap<u64, AddGather>,
    ) -> impl Iterator<Item = &'a str> + 'a {
        adds.values()
            .flat_map(|g| g.results.iter())
            .filter(|(_, r)| r.is_none())
            .map(|(n, _)| n.as_str())
    }
}

/// Starts one slave over ssh and links to it.
async fn start_host(
    rsh: &Rsh,
    entry: &HostEntry,
    config: &SlaveConfig,
    secret: &[u8],
) -> Result<(Started, TcpStream, String), StartFailure> {
    let started = remote::ssh::start(rsh, entry, config).await?;
    match peer::connect_to_slave(&started.addr, started.port, secret).await {
        Ok((stream, local)) => Ok((started, stream, local)),
        Err(e) => Err(StartFailure {
            code: PvmError::CantStart,
            reason: format!(
                "pvmd on {} started but its port {}:{} is unusable: {e}",
                entry.name, started.addr, started.port
            ),
        }),
    }
}

/// Requests only the master answers.
fn master_owned(req: &Request) -> bool {
    matches!(
        req,
        Request::PutInfo { .. }
            | Request::GetInfo { .. }
            | Request::DelInfo { .. }
            | Request::MboxInfo { .. }
            | Request::NewContext {}
            | Request::FreeContext { .. }
            | Request::Group { .. }
            | Request::AddHosts { .. }
            | Request::DelHosts { .. }
    )
}

/// The task a signal or status request is about.
fn target_of(req: &Request) -> Option<Tid> {
    match req {
        Request::Pstat { tid } | Request::Kill { tid } | Request::SendSig { tid, .. } => Some(*tid),
        _ => None,
    }
}

fn spawned(results: Vec<i32>) -> Reply {
    Reply::Spawned { results }
}
