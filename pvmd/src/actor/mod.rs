//! The daemon's state and the one actor that owns it.
//!
//! Connections, child watchers and output readers never touch the state: they send
//! [`Input`]s down one channel and the actor handles them one at a time, so every
//! decision (who exists, where a message goes, who is notified) is taken in a single
//! place and in a single order. Nothing in the actor blocks.
//!
//! A task's request goes through [`crate::router`] and is carried out by the
//! dispatcher (`dispatch`), which hands each request family its part: this host's
//! tasks (`tasks`), spawning (`spawning`), notifications (`notify`), the host table
//! (`hosts`), and the master's mailbox ([`crate::mailbox`]), groups
//! ([`crate::groups`]) and contexts ([`crate::contexts`]). `join` admits task
//! connections; `peers` reads what the links to other pvmds bring.

/// The narrow context a request family answers through ([`crate::outbox::Outbox`]),
/// borrowed from the daemon's fields alone, so the family's own field can be
/// borrowed mutably beside it.
macro_rules! outbox {
    ($daemon:expr) => {
        crate::outbox::Outbox {
            me: $daemon.me,
            conns: &$daemon.conns,
            cluster: &$daemon.cluster,
        }
    };
}

mod dispatch;
mod hosts;
mod join;
mod notify;
mod peers;
mod spawning;
mod tasks;

use std::collections::BTreeMap;
use std::time::Duration;

use pvm::error::PvmError;
use pvm::proto::{Frame, Message, ProtoError, Request};
use pvm::tid::Tid;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::cluster::Cluster;
use crate::connection::ConnEvent;
use crate::conns::{Conn, ConnId, Conns};
use crate::contexts::Contexts;
use crate::groups::Groups;
use crate::hosts::HostTable;
use crate::mailbox::Mail;
use crate::notify::{Kind, Notifies};
use crate::output::{OutputEvent, Outputs};
use crate::peer::LinkEvent;
use crate::route;
use crate::router::ReplyTo;
use crate::spawn::SpawnConfig;
use crate::tasks::TaskTable;

pub use hosts::{AddDone, AddOutcome, HostStart};

/// Everything the actor reacts to.
#[derive(Debug)]
pub enum Input {
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
    HostStarted(Box<HostStart>),
    /// Start these hosts (the hostfile's, at startup); `done` learns each outcome.
    AddHosts {
        names: Vec<String>,
        done: tokio::sync::oneshot::Sender<Vec<(String, AddOutcome)>>,
    },
    /// A task spawned for another host's pvm_spawn waited long enough for its
    /// sibling list: let it join without.
    SiblingsTimeout(Tid),
}

impl From<LinkEvent> for Input {
    fn from(e: LinkEvent) -> Input {
        Input::Link(e)
    }
}

impl From<ConnEvent> for Input {
    fn from(e: ConnEvent) -> Input {
        Input::Conn(e)
    }
}

impl From<OutputEvent> for Input {
    fn from(e: OutputEvent) -> Input {
        Input::Output(e)
    }
}

/// How long a dead process's connection may stay open before its task is removed.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// How long a halting pvmd waits for its killed children to be reaped: SIGKILL cannot
/// be refused, so only a process stuck in the kernel takes this long.
const REAP_WAIT: Duration = Duration::from_secs(10);
/// How long a halting pvmd waits for queued frames to be written.
const FLUSH_WAIT: Duration = Duration::from_secs(2);

/// The state of this host's pvmd.
pub struct Daemon {
    me: Tid,
    hosts: HostTable,
    tasks: TaskTable,
    conns: Conns,
    notifies: Notifies,
    /// The master's request families.
    mail: Mail,
    groups: Groups,
    contexts: Contexts,
    outputs: Outputs,
    spawner: spawning::Spawner,
    /// Host starts in progress (master).
    adds: hosts::Adds,
    /// Spawned tasks waiting for their sibling list before they get their welcome.
    held_welcomes: BTreeMap<Tid, (ConnId, u32)>,
    /// Links to the other pvmds, calls in flight on them, watches.
    cluster: Cluster,
    inputs: mpsc::UnboundedSender<Input>,
    /// Connection writers, awaited at shutdown so queued frames leave.
    writers: Vec<JoinHandle<()>>,
    halting: bool,
}

impl Daemon {
    pub fn new(
        hosts: HostTable,
        outputs: Outputs,
        spawn: SpawnConfig,
        cluster: Cluster,
        inputs: mpsc::UnboundedSender<Input>,
    ) -> Daemon {
        let me = hosts.local.info.dtid;
        Daemon {
            me,
            tasks: TaskTable::new(me.host()),
            hosts,
            conns: Conns::default(),
            notifies: Notifies::default(),
            mail: Mail::default(),
            groups: Groups::default(),
            contexts: Contexts::default(),
            outputs,
            spawner: spawning::Spawner::new(spawn, inputs.clone()),
            adds: hosts::Adds::default(),
            held_welcomes: BTreeMap::new(),
            cluster,
            inputs,
            writers: Vec::new(),
            halting: false,
        }
    }

    /// Handles inputs until halted, then stops every task and flushes every connection.
    pub async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Input>) {
        while let Some(input) = rx.recv().await {
            self.handle(input);
            if self.halting {
                break;
            }
        }
        self.shutdown().await;
    }

    fn handle(&mut self, input: Input) {
        match input {
            Input::Connected(id, conn, writer) => {
                self.writers.retain(|w| !w.is_finished());
                self.writers.push(writer);
                self.conns.insert(id, conn);
            }
            Input::Conn(ConnEvent::Frame(id, frame)) => self.frame(id, frame),
            Input::Conn(ConnEvent::BadInput(id, e)) => self.bad_input(id, &e),
            Input::Conn(ConnEvent::Closed(id)) => self.conn_closed(id),
            Input::ChildExited(tid, pid) => self.child_exited(tid, pid),
            Input::ExitGraceOver(tid, pid) => {
                if self.tasks.get(tid).is_some_and(|t| t.pid == pid) {
                    self.task_gone(tid);
                }
            }
            Input::Output(OutputEvent::Data(tid, data)) => {
                if let Some(m) = self.outputs.data(tid, &data) {
                    self.deliver(m);
                }
            }
            Input::Output(OutputEvent::Eof(tid)) => {
                if let Some(m) = self.outputs.end(tid) {
                    self.deliver(m);
                }
            }
            Input::Shutdown(why) => {
                self.outputs.log.line(&format!("{why}, halting"));
                self.leave_machine();
                self.halting = true;
            }
            Input::Link(LinkEvent::Frame(host, frame)) => self.link_frame(host, frame),
            Input::Link(LinkEvent::Down(host, why)) => self.link_down(host, &why),
            Input::HostStarted(start) => self.host_started(*start),
            Input::AddHosts { names, done } => self.add_hosts(names, AddDone::Startup(done)),
            Input::SiblingsTimeout(tid) => self.release_welcome(tid),
        }
    }

    /// Sends the answer to a request where it is awaited.
    fn answer(&self, to: ReplyTo, reply: pvm::proto::Reply) {
        outbox!(self).answer(to, reply);
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
        let inputs = self.inputs.clone();
        tokio::spawn(async move {
            tokio::time::sleep(EXIT_GRACE).await;
            let _ = inputs.send(Input::ExitGraceOver(tid, pid));
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

    /// Routes a message: to a task of this host, or towards the host of its
    /// destination.
    fn deliver(&mut self, msg: Message) {
        let host = msg.dst.host();
        if host == self.hosts.me() {
            route::deliver(&mut self.tasks, &self.conns, msg);
        } else {
            self.cluster.forward_data(msg, self.hosts.contains(host));
        }
    }

    /// A task is gone (exited, killed, disconnected): forget it and tell subscribers.
    fn task_gone(&mut self, tid: Tid) {
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
    fn forget_task(&mut self, tid: Tid) {
        for sub in self.notifies.fire(Kind::TaskExit, tid) {
            let m = sub.message(self.me, tid);
            self.deliver(m);
        }
        self.mail.owner_exited(tid);
        self.groups.exited(&outbox!(self), tid);
    }

    /// Removes a dead task's direct-route socket: a task killed outright cannot. Only
    /// files directly inside our runtime directory are touched, never a path elsewhere
    /// that a task merely claimed.
    fn remove_direct_socket(&self, path: &std::path::Path) {
        let socket = &self.spawner.config().socket;
        if path.parent() != socket.parent() || path.file_name().is_none() || path == socket {
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

    /// Halts: the slaves are told, every spawned task is killed and reaped (none is
    /// left a zombie for init), and what is queued for connections and links is
    /// written, each wait bounded.
    async fn shutdown(mut self) {
        self.halt_slaves();
        let mut killed = Vec::new();
        for tid in self.tasks.tids() {
            if let Some(t) = self.tasks.get(tid) {
                tasks::kill_process(t, true);
                killed.push(t.pid);
            }
            self.task_gone(tid);
        }
        // A process that left the machine (pvm_exit) and lives on is not ours to wait
        // for; its watcher goes with the runtime.
        let reaped = self.spawner.watchers_of(&killed);
        if !join_within(reaped, REAP_WAIT).await {
            tracing::warn!("some killed tasks were not reaped before pvmd exits");
        }
        self.outputs.log.line("pvmd halted");
        for id in self.conns.ids() {
            self.conns.remove(id);
        }
        let links = self.cluster.close_all_links();
        self.writers.extend(links);
        // Queued frames (the halt reply among them) are flushed before we exit; a peer
        // that does not read is not waited for long.
        let writers = std::mem::take(&mut self.writers);
        join_within(writers, FLUSH_WAIT).await;
    }
}

/// Awaits every task of `handles` for at most `limit`; false if some did not end.
async fn join_within(handles: Vec<JoinHandle<()>>, limit: Duration) -> bool {
    let all = async {
        for h in handles {
            let _ = h.await;
        }
    };
    tokio::time::timeout(limit, all).await.is_ok()
}
