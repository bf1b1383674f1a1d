//! The virtual machine beyond this host: carrying requests between pvmds and gathering
//! their answers.
//!
//! [`Cluster`] owns the links to the other pvmds, the calls in flight on them, the
//! task lists being gathered and the exit watches across hosts. It decides nothing
//! about requests (that is `crate::router` and the daemon's request families) and
//! never sees the daemon's state: a call carries a [`Then`] saying what to do with its
//! answer, and the daemon does it.
//!
//! The machine is a star around the master: a frame for another host leaves a slave
//! through its master, which relays it. A task's request that needs another host
//! becomes a `Call` to that host's pvmd, answered by one `Answer`; a host that fails
//! meanwhile answers its calls with PvmHostFail ([`Cluster::calls_to`]).
//!
//! Exit notification across hosts: a subscription lives at the subscriber's pvmd,
//! which asks the target's pvmd to `Watch` it; that pvmd sends `Exited` when the task
//! goes. When a host fails, every pvmd fires the subscriptions on its tasks itself, as
//! PVM does, so nothing waits forever for a host that cannot answer.

use std::collections::{BTreeSet, HashMap};

use pvm::proto::peer::PeerMsg;
use pvm::proto::{Frame, Reply, Request, TaskInfo};
use pvm::tid::Tid;
use tokio::task::JoinHandle;

use crate::flow::Queued;
use crate::peer::{Link, Links};
use crate::remote::Rsh;
use crate::router::ReplyTo;

/// Multi-host state of one pvmd.
#[derive(Debug)]
pub struct Cluster {
    /// The virtual machine's secret, shared by its pvmds.
    secret: Vec<u8>,
    /// How the master starts other hosts (`None` on a slave).
    rsh: Option<Rsh>,
    /// The address of this host as the others see it.
    local_addr: String,
    /// Links to the other pvmds (a slave has one, its master's).
    links: Links,
    calls: HashMap<u32, PendingCall>,
    next_call: u32,
    task_lists: HashMap<u64, TasksGather>,
    next_gather: u64,
    /// Tasks of this host that other pvmds watch, and who watches.
    watchers: HashMap<Tid, BTreeSet<Tid>>,
    /// Tasks of other hosts this pvmd asked to hear about.
    watching: BTreeSet<Tid>,
}

/// What to do with the answer to a call in flight.
#[derive(Debug)]
pub enum Then {
    /// Pass the answer on.
    Forward(ReplyTo),
    /// Fill these instances of a spawn gather.
    Spawn { gather: u64, slots: Vec<usize> },
    /// Add these tasks to a `pvm_tasks(0)` list.
    Tasks { gather: u64 },
    /// Nobody waits (another host's share of a reset).
    Ignore,
}

#[derive(Debug)]
struct PendingCall {
    host: u32,
    then: Then,
}

/// A `pvm_tasks(0)` list waiting for the other hosts' tasks.
#[derive(Debug)]
struct TasksGather {
    to: ReplyTo,
    tasks: Vec<TaskInfo>,
    waiting: usize,
}

impl Cluster {
    /// The master's state: a fresh secret for the new virtual machine.
    pub fn master(rsh: Rsh) -> Result<Cluster, pvm::proto::auth::RandomError> {
        let secret = pvm::proto::auth::random_bytes(pvm::proto::auth::NONCE_LEN)?;
        Ok(Self::new(secret, Some(rsh)))
    }

    /// A slave's state, with the secret its master gave it and the link to it.
    pub fn slave(secret: Vec<u8>, master: Link) -> Cluster {
        let mut c = Self::new(secret, None);
        c.links.insert(1, master);
        c
    }

    fn new(secret: Vec<u8>, rsh: Option<Rsh>) -> Cluster {
        Cluster {
            secret,
            rsh,
            local_addr: String::new(),
            links: Links::default(),
            calls: HashMap::new(),
            next_call: 1,
            task_lists: HashMap::new(),
            next_gather: 1,
            watchers: HashMap::new(),
            watching: BTreeSet::new(),
        }
    }

    /// The key tasks prove to each other on direct TCP links: derived from the
    /// secret, so it says "a task of this virtual machine" without revealing it.
    pub fn direct_key(&self) -> bytes::Bytes {
        let key = pvm::proto::auth::mac(&self.secret, "pvm direct routes", &[], &[]);
        bytes::Bytes::from(key)
    }

    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// Only the master starts hosts, so only the master has an rsh.
    pub fn is_master(&self) -> bool {
        self.rsh.is_some()
    }

    pub fn rsh(&self) -> Option<&Rsh> {
        self.rsh.as_ref()
    }

    /// This host's address as the other hosts see it; empty until known.
    pub fn local_addr(&self) -> &str {
        &self.local_addr
    }

    pub fn set_local_addr(&mut self, addr: &str) {
        addr.clone_into(&mut self.local_addr);
    }

    /// A fresh id for a gather of answers.
    pub fn gather_id(&mut self) -> u64 {
        let id = self.next_gather;
        self.next_gather += 1;
        id
    }

    // ----- links -----

    pub fn insert_link(&mut self, host: u32, link: Link) {
        self.links.insert(host, link);
    }

    /// The hosts this pvmd has a link to.
    pub fn linked(&self) -> Vec<u32> {
        self.links.hosts()
    }

    /// Queues a frame on the link to host `host`; false if there is none.
    pub fn send_link(&self, host: u32, frame: impl Into<Queued>) -> bool {
        self.links.send(host, frame)
    }

    /// Forgets a dead link at once.
    pub fn abort_link(&mut self, host: u32) {
        self.links.abort(host);
    }

    /// Closes a link once what is queued is written; its writer is returned.
    pub fn close_link(&mut self, host: u32) -> Option<JoinHandle<()>> {
        self.links.close(host)
    }

    pub fn close_all_links(&mut self) -> Vec<JoinHandle<()>> {
        self.links.close_all()
    }

    /// The host a frame for host `host` leaves through: itself from the master, the
    /// master from a slave.
    pub fn next_hop(&self, host: u32) -> u32 {
        if self.is_master() {
            host
        } else {
            1
        }
    }

    /// Queues a peer message for pvmd `to`; false if it cannot be sent.
    pub fn send_peer(&self, to: Tid, msg: PeerMsg) -> bool {
        self.links.send(self.next_hop(to.host()), Frame::Peer(msg))
    }

    // ----- calls -----

    /// Sends `req` of task `caller` to host `host`'s pvmd from pvmd `me`; its answer
    /// will be handed back with `then`. `Err(then)` if it cannot be sent.
    pub fn call(
        &mut self,
        me: Tid,
        host: u32,
        caller: Tid,
        req: Request,
        then: Then,
    ) -> Result<(), Then> {
        let id = self.next_call;
        self.next_call = self.next_call.wrapping_add(1).max(1);
        let msg = PeerMsg::Call {
            id,
            from: me,
            to: Tid::pvmd(host),
            caller,
            req,
        };
        if self.send_peer(Tid::pvmd(host), msg) {
            self.calls.insert(id, PendingCall { host, then });
            Ok(())
        } else {
            Err(then)
        }
    }

    /// The call `id` was answered: what to do with the answer.
    pub fn answered(&mut self, id: u32) -> Option<Then> {
        self.calls.remove(&id).map(|c| c.then)
    }

    /// Host `host` is gone: its calls in flight, which will never be answered.
    pub fn calls_to(&mut self, host: u32) -> Vec<Then> {
        let failed: Vec<u32> = self
            .calls
            .iter()
            .filter(|(_, c)| c.host == host)
            .map(|(id, _)| *id)
            .collect();
        failed
            .into_iter()
            .filter_map(|id| self.answered(id))
            .collect()
    }

    // ----- task lists -----

    /// Starts gathering `pvm_tasks(0)` from `others`, with this host's `tasks`; the
    /// gather's id for the calls' [`Then::Tasks`].
    pub fn gather_tasks(&mut self, to: ReplyTo, mut tasks: Vec<TaskInfo>, others: usize) -> u64 {
        let gather = self.gather_id();
        tasks.sort_by_key(|t| t.tid);
        let g = TasksGather {
            to,
            tasks,
            waiting: others,
        };
        self.task_lists.insert(gather, g);
        gather
    }

    /// One host's share of a task list arrived (or failed).
    pub fn tasks_answered(&mut self, gather: u64, reply: Reply) {
        if let Some(g) = self.task_lists.get_mut(&gather) {
            if let Reply::Tasks { tasks } = reply {
                g.tasks.extend(tasks);
            }
            g.waiting = g.waiting.saturating_sub(1);
        }
    }

    /// The whole list, and who waits for it, once every host answered.
    pub fn finish_tasks(&mut self, gather: u64) -> Option<(ReplyTo, Reply)> {
        if self.task_lists.get(&gather)?.waiting > 0 {
            return None;
        }
        let mut g = self.task_lists.remove(&gather)?;
        g.tasks.sort_by_key(|t| (t.host.host(), t.tid));
        Some((g.to, Reply::Tasks { tasks: g.tasks }))
    }

    // ----- exit watches -----

    /// Records that this pvmd asked about remote task `tid`; false if it already had.
    pub fn watch(&mut self, tid: Tid) -> bool {
        self.watching.insert(tid)
    }

    /// The watched remote task `tid` exited.
    pub fn unwatch(&mut self, tid: Tid) {
        self.watching.remove(&tid);
    }

    /// Pvmd `from` wants to hear when task `tid` of this host exits.
    pub fn add_watcher(&mut self, tid: Tid, from: Tid) {
        self.watchers.entry(tid).or_default().insert(from);
    }

    /// Task `tid` of this host exited: the pvmds to tell.
    pub fn take_watchers(&mut self, tid: Tid) -> BTreeSet<Tid> {
        self.watchers.remove(&tid).unwrap_or_default()
    }

    /// Host `host` left: it watches nothing any more, and the tasks of it this pvmd
    /// watched are returned (they are gone too).
    pub fn forget_host(&mut self, host: u32) -> Vec<Tid> {
        let dtid = Tid::pvmd(host);
        for set in self.watchers.values_mut() {
            set.remove(&dtid);
        }
        let lost = self
            .watching
            .iter()
            .filter(|t| t.host() == host)
            .copied()
            .collect();
        self.watching.retain(|t| t.host() != host);
        lost
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(tid: Tid) -> TaskInfo {
        TaskInfo {
            tid,
            ptid: Tid(0),
            host: tid.host_daemon(),
            flag: 0,
            name: "a.out".into(),
            pid: 1,
        }
    }

    fn master() -> Cluster {
        Cluster::master(Rsh::from_env()).expect("a secret for the machine")
    }

    #[test]
    fn a_call_with_no_link_hands_back_what_it_was_for() {
        let mut c = master();
        let then = c.call(
            Tid::pvmd(1),
            2,
            Tid::new(1, 1),
            Request::Config {},
            Then::Ignore,
        );
        assert!(matches!(then, Err(Then::Ignore)));
        assert!(c.calls_to(2).is_empty(), "nothing is left in flight");
    }

    #[test]
    fn a_task_list_waits_for_every_host_and_comes_sorted_by_host() {
        let mut c = master();
        let to = ReplyTo::Conn { conn: 1, id: 9 };
        let mine = vec![info(Tid::new(1, 2)), info(Tid::new(1, 1))];
        let gather = c.gather_tasks(to, mine, 2);
        assert!(c.finish_tasks(gather).is_none(), "two hosts to hear from");
        let theirs = vec![info(Tid::new(3, 1))];
        c.tasks_answered(gather, Reply::Tasks { tasks: theirs });
        assert!(c.finish_tasks(gather).is_none(), "one host to hear from");
        // A failed host adds nothing but is no longer waited for.
        c.tasks_answered(gather, Reply::error(pvm::error::PvmError::HostFail));
        let Some((got, Reply::Tasks { tasks })) = c.finish_tasks(gather) else {
            panic!("the list is complete");
        };
        assert_eq!(got, to);
        let tids: Vec<Tid> = tasks.iter().map(|t| t.tid).collect();
        assert_eq!(tids, [Tid::new(1, 1), Tid::new(1, 2), Tid::new(3, 1)]);
        assert!(c.finish_tasks(gather).is_none(), "answered once");
    }
}
