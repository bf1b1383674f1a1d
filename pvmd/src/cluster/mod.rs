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

mod membership;
mod spawning;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use pvm::error::PvmError;
use pvm::proto::peer::PeerMsg;
use pvm::proto::{Frame, GroupOp, Message, Reply, Request, TaskInfo};
use pvm::tid::Tid;

use crate::daemon::{Daemon, ReplyTo};
use crate::remote::Rsh;

pub use membership::{AddDone, AddGather, HostStart};

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
    /// Hosts being started: number reserved, name.
    starting: BTreeMap<u32, String>,
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
            starting: BTreeMap::new(),
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
