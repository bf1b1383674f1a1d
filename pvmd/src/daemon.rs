//! The daemon's state and the one actor that owns it.
//!
//! Connections, child watchers and output readers never touch the state: they send
//! [`Event`]s down one channel and the actor handles them one at a time, so every
//! decision (who exists, where a message goes, who is notified) is taken in a single
//! place and in a single order. Nothing in the actor blocks.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use pvm::error::PvmError;
use pvm::proto::{Frame, Message, ProtoError, Reply, Request, Welcome};
use pvm::tid::Tid;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::cluster::{AddGather, Cluster};
use crate::connection::ConnEvent;
use crate::groups::Groups;
use crate::hosts::HostTable;
use crate::mbox::Mailbox;
use crate::notify::{Event as NotifyEvent, Notifies};
use crate::output::{OutputEvent, Outputs};
use crate::peer::{LinkEvent, Links};
use crate::route::{self, Conn, ConnId, Conns};
use crate::spawn::SpawnConfig;
use crate::tasks::{Task, TaskTable};

/// Everything the actor reacts to.
#[derive(Debug)]
pub enum Event {
    /// A connection was accepted; its writer is awaited at shutdown.
    Connected(ConnId, Conn, JoinHandle<()>),
    Conn(ConnEvent),
    /// A spawned process ended (tid, pid).
    ChildExited(Tid, u32),
    /// A process that ended with its connection open has had time to let pvmd read
    /// what it sent; if the connection is still open (a forked child holds it), the
    /// task is declared gone anyway.
    ExitGraceOver(Tid, u32),
    Output(OutputEvent),
    /// SIGTERM or SIGINT: halt as if asked.
    Shutdown(&'static str),
    /// Something happened on a link to another pvmd.
    Link(LinkEvent),
    /// A host the master was starting is up (its link authenticated) or failed.
    HostStarted(Box<crate::cluster::HostStart>),
    /// Start these hosts (the hostfile's, at startup); `done` learns each outcome.
    AddHosts {
        names: Vec<String>,
        done: tokio::sync::oneshot::Sender<Vec<(String, Result<Tid, crate::remote::StartFailure>)>>,
    },
    /// A task spawned for another host's pvm_spawn waited long enough for its
    /// sibling list: let it join without.
    SiblingsTimeout(Tid),
}

impl From<LinkEvent> for Event {
    fn from(e: LinkEvent) -> Event {
        Event::Link(e)
    }
}

/// Where the answer to a request goes: a task's connection, or the pvmd of another
/// host that forwarded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyTo {
    Conn { conn: ConnId, id: u32 },
    Peer { pvmd: Tid, id: u32 },
}

impl From<ConnEvent> for Event {
    fn from(e: ConnEvent) -> Event {
        Event::Conn(e)
    }
}

impl From<OutputEvent> for Event {
    fn from(e: OutputEvent) -> Event {
        Event::Output(e)
    }
}

/// How long a dead process's connection may stay open before its task is removed.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// A `recvinfo` with PvmMboxWaitForInfo waiting for its entry.
#[derive(Debug)]
pub(crate) struct InfoWaiter {
    pub to: ReplyTo,
    pub tid: Tid,
    pub name: String,
    pub index: i32,
    pub flags: i32,
}

/// The state of this host's pvmd.
pub struct Daemon {
    pub(crate) me: Tid,
    pub(crate) hosts: HostTable,
    pub(crate) tasks: TaskTable,
    pub(crate) conns: Conns,
    pub(crate) notifies: Notifies,
    pub(crate) mbox: Mailbox,
    pub(crate) groups: Groups,
    pub(crate) info_waiters: Vec<InfoWaiter>,
    pub(crate) outputs: Outputs,
    pub(crate) spawn: SpawnConfig,
    pub(crate) contexts: BTreeSet<i32>,
    pub(crate) next_context: i32,
    pub(crate) events: mpsc::UnboundedSender<Event>,
    pub(crate) writers: Vec<JoinHandle<()>>,
    pub(crate) halting: bool,
    /// Links to the other pvmds.
    pub(crate) links: Links,
    /// Multi-host bookkeeping: the secret, calls in flight, gathers, watches.
    pub(crate) cluster: Cluster,
    /// Host starts in progress (master), by gather id.
    pub(crate) adds: HashMap<u64, AddGather>,
    /// Spawned tasks waiting for their sibling list before they get their welcome.
    pub(crate) held_welcomes: BTreeMap<Tid, (ConnId, u32)>,
}

impl Daemon {
    pub fn new(
        hosts: HostTable,
        outputs: Outputs,
        spawn: SpawnConfig,
        cluster: Cluster,
        events: mpsc::UnboundedSender<Event>,
    ) -> Daemon {
        let me = hosts.local.info.dtid;
        Daemon {
            me,
            hosts,
            tasks: TaskTable::new(me.host()),
            conns: Conns::default(),
            notifies: Notifies::default(),
            mbox: Mailbox::default(),
            groups: Groups::default(),
            info_waiters: Vec::new(),
            outputs,
            spawn,
            contexts: BTreeSet::new(),
            next_context: 1,
            events,
            writers: Vec::new(),
            halting: false,
            links: Links::default(),
            cluster,
            adds: HashMap::new(),
            held_welcomes: BTreeMap::new(),
        }
    }

    /// Handles events until halted, then stops every task and flushes every connection.
    pub async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Event>) {
        while let Some(ev) = rx.recv().await {
            self.handle(ev);
            if self.halting {
                break;
            }
        }
        self.shutdown().await;
    }

    fn handle(&mut self, ev: Event) {
        match ev {
            Event::Connected(id, conn, writer) => {
                self.writers.retain(|w| !w.is_finished());
                self.writers.push(writer);
                self.conns.insert(id, conn);
            }
            Event::Conn(ConnEvent::Frame(id, frame)) => self.frame(id, frame),
            Event::Conn(ConnEvent::BadInput(id, e)) => self.bad_input(id, &e),
            Event::Conn(ConnEvent::Closed(id)) => self.conn_closed(id),
            Event::ChildExited(tid, pid) => self.child_exited(tid, pid),
            Event::ExitGraceOver(tid, pid) => {
                if self.tasks.get(tid).is_some_and(|t| t.pid == pid) {
                    self.task_gone(tid);
                }
            }
            Event::Output(OutputEvent::Data(tid, data)) => {
                if let Some(m) = self.outputs.data(tid, &data) {
                    self.deliver(m);
                }
            }
            Event::Output(OutputEvent::Eof(tid)) => {
                if let Some(m) = self.outputs.end(tid) {
                    self.deliver(m);
                }
            }
            Event::Shutdown(why) => {
                self.outputs.log.line(&format!("{why}, halting"));
                self.leave_machine();
                self.halting = true;
            }
            Event::Link(LinkEvent::Frame(host, frame)) => self.link_frame(host, frame),
            Event::Link(LinkEvent::Down(host, why)) => self.link_down(host, &why),
            Event::HostStarted(start) => self.host_started(*start),
            Event::AddHosts { names, done } => {
                self.add_hosts(names, crate::cluster::AddDone::Startup(done))
            }
            Event::SiblingsTimeout(tid) => self.release_welcome(tid),
        }
    }

    /// A spawned process ended. If it is still connected, what it sent just before
    /// dying may not have been read yet: its connection's end of stream, which follows
    /// those frames, removes the task, so its last messages arrive before the exit
    /// notifications. A grace period covers a connection kept open by a forked child.
    fn child_exited(&mut self, tid: Tid, pid: u32) {
        let Some(task) = self.tasks.get(tid).filter(|t| t.pid == pid) else {
            return;
        };
        if task.conn.is_none() {
            self.task_gone(tid);
            return;
        }
        let events = self.events.clone();
        tokio::spawn(async move {
            tokio::time::sleep(EXIT_GRACE).await;
            let _ = events.send(Event::ExitGraceOver(tid, pid));
        });
    }

    fn frame(&mut self, conn: ConnId, frame: Frame) {
        let Some(c) = self.conns.get(conn) else {
            return;
        };
        match (c.tid, frame) {
            (
                None,
                Frame::Request {
                    id,
                    req: Request::Hello { pid, name, claim },
                },
            ) => {
                self.hello(conn, id, pid, name, claim);
            }
            (None, _) => self.drop_conn(conn, "the first frame must be a Hello request"),
            (Some(tid), Frame::Data(mut msg)) => {
                // The sender is who the connection says, whatever the header claims.
                msg.src = tid;
                self.deliver(msg);
            }
            (Some(tid), Frame::Request { id, req }) => {
                self.task_request(ReplyTo::Conn { conn, id }, tid, req)
            }
            (Some(_), Frame::Close { .. }) => self.conn_closed(conn),
            (Some(_), _) => self.drop_conn(conn, "tasks send only data frames and requests"),
        }
    }

    fn bad_input(&mut self, conn: ConnId, e: &ProtoError) {
        tracing::warn!(conn, "bad frame: {e}");
        self.drop_conn(conn, &format!("bad frame: {e}"));
    }

    /// Closes a connection that broke the protocol; its task, if any, is gone.
    fn drop_conn(&mut self, conn: ConnId, why: &str) {
        let tid = self.conns.get(conn).and_then(|c| c.tid);
        self.conns.close(conn, PvmError::BadMsg, why.to_string());
        if let Some(tid) = tid {
            self.task_gone(tid);
        }
    }

    fn conn_closed(&mut self, conn: ConnId) {
        if let Some(c) = self.conns.remove(conn) {
            if let Some(tid) = c.tid {
                self.task_gone(tid);
            }
        }
    }

    /// Joins a connection as a task: the spawned task it claims to be, or a fresh one.
    /// A refused hello gets its error and the connection is closed.
    fn hello(
        &mut self,
        conn: ConnId,
        id: u32,
        pid: u32,
        name: String,
        claim: Option<pvm::proto::Claim>,
    ) {
        let joined = match claim {
            Some(claim) => self.take_claim(conn, claim),
            None => self.attach(conn, pid, name),
        };
        let tid = match joined {
            Ok(tid) => tid,
            Err(reply) => {
                self.conns.reply(conn, id, reply);
                self.conns.remove(conn);
                return;
            }
        };
        if let Some(c) = self.conns.get_mut(conn) {
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
            pvmd: self.me,
            siblings: task.siblings.clone(),
            output: task.output,
            trace: task.trace,
            direct_key: self.cluster.direct_key(),
        };
        let pending = std::mem::take(&mut task.pending);
        self.conns.reply(conn, id, Reply::Welcome { welcome });
        for m in pending {
            self.conns.send(conn, Frame::Data(m));
        }
    }

    /// A spawned task proves who it is with the key of its environment, once.
    fn take_claim(&mut self, conn: ConnId, claim: pvm::proto::Claim) -> Result<Tid, Reply> {
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
    pub(crate) fn release_welcome(&mut self, tid: Tid) {
        if let Some(t) = self.tasks.get_mut(tid) {
            t.awaiting_siblings = false;
        }
        if let Some((conn, id)) = self.held_welcomes.remove(&tid) {
            self.welcome(tid, conn, id);
        }
    }

    /// Routes a message: to a task of this host, or towards the host of its
    /// destination.
    pub(crate) fn deliver(&mut self, msg: Message) {
        if msg.dst.host() == self.hosts.me() {
            route::deliver(&mut self.tasks, &self.conns, msg);
        } else {
            self.forward_data(msg);
        }
    }

    /// A task is gone (exited, killed, disconnected): forget it and tell subscribers.
    pub(crate) fn task_gone(&mut self, tid: Tid) {
        let Some(task) = self.tasks.remove(tid) else {
            return;
        };
        if let Some(conn) = task.conn {
            self.conns.remove(conn);
        }
        if !task.pending.is_empty() {
            tracing::debug!(%tid, n = task.pending.len(), "task gone with undelivered messages");
        }
        self.held_welcomes.remove(&tid);
        self.notifies.forget_subscriber(tid);
        self.tell_watchers(tid);
        self.forget_task(tid);
        if let Some(path) = task.direct {
            self.remove_direct_socket(std::path::Path::new(&path));
        }
    }

    /// A task of any host is gone: fire its exit notifications here and drop what the
    /// mailbox and the groups of this pvmd held for it.
    pub(crate) fn forget_task(&mut self, tid: Tid) {
        for sub in self.notifies.fire(NotifyEvent::TaskExit, tid) {
            let m = sub.message(self.me, tid);
            self.deliver(m);
        }
        self.mbox.owner_exited(tid);
        self.info_waiters.retain(|w| w.tid != tid);
        let opened = self.groups.task_exited(tid);
        self.release_barrier(opened);
    }

    /// Removes a dead task's direct-route socket: a task killed outright cannot. Only
    /// files directly inside our runtime directory are touched, never a path elsewhere
    /// that a task merely claimed.
    fn remove_direct_socket(&self, path: &std::path::Path) {
        let ours = self.spawn.socket.parent();
        if path.parent() != ours || path.file_name().is_none() || path == self.spawn.socket {
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

    /// Signals a task's process. `hard` (halt, reset) kills a spawned task with its
    /// whole process group by SIGKILL, and leaves a task attached from a shell alone: it
    /// is the user's own process (a console, a test, a program run by hand), which loses
    /// its connection instead. Otherwise (`pvm_kill`) the task gets SIGTERM, as in PVM.
    pub(crate) fn kill_process(task: &Task, hard: bool) {
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

    async fn shutdown(mut self) {
        self.halt_slaves();
        for tid in self.tasks.tids() {
            if let Some(t) = self.tasks.get(tid) {
                Self::kill_process(t, true);
            }
            self.task_gone(tid);
        }
        self.outputs.log.line("pvmd halted");
        for id in self.conns.ids() {
            self.conns.remove(id);
        }
        let links = self.links.close_all();
        self.writers.extend(links);
        // Queued frames (the halt reply among them) are flushed before we exit; a peer
        // that does not read is not waited for long.
        let writers = std::mem::take(&mut self.writers);
        let flush = async {
            for w in writers {
                let _ = w.await;
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(2), flush).await;
    }
}
