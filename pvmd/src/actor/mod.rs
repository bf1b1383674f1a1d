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
//! ([`crate::groups`]) and contexts ([`crate::contexts`]). A family never sees the
//! daemon: it works through a context of its own (`TaskCx`, `SpawnCx`, `NotifyCx`,
//! `HostCx`, or the [`crate::outbox::Outbox`] of the master's families), lent by the
//! daemon from its fields, the shared [`Wiring`] among them. What reaches every
//! family (a task or a host ending, halt, reset) is the daemon's own (`ends`).
//! `join` admits task connections; `peers` reads what the links to other pvmds
//! bring.

mod dispatch;
mod ends;
mod hosts;
mod input;
mod join;
mod notify;
mod peers;
mod spawning;
mod tasks;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use pvm::error::PvmError;
use pvm::proto::{Frame, Message, ProtoError, Request};
use pvm::tid::Tid;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::cluster::Cluster;
use crate::connection::ConnEvent;
use crate::conns::ConnId;
use crate::contexts::Contexts;
use crate::flow::{Drains, Gate, Source};
use crate::groups::Groups;
use crate::hosts::HostTable;
use crate::mailbox::Mail;
use crate::notify::Notifies;
use crate::output::{OutputEvent, Outputs};
use crate::peer::LinkEvent;
use crate::router::ReplyTo;
use crate::spawn::SpawnConfig;
use crate::tasks::TaskTable;
use crate::tickle::DebugMask;
use crate::wiring::Wiring;

use hosts::{AddDone, HostCx};
use input::HostStart;
pub use input::Input;
use notify::NotifyCx;
use spawning::SpawnCx;
use tasks::TaskCx;

/// How long a dead process's connection may stay open before its task is removed.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// How long a halting pvmd waits for its killed children to be reaped: SIGKILL cannot
/// be refused, so only a process stuck in the kernel takes this long.
const REAP_WAIT: Duration = Duration::from_secs(10);
/// How long a halting pvmd waits for queued frames to be written.
const FLUSH_WAIT: Duration = Duration::from_secs(2);

/// The state of this host's pvmd: the wiring every family shares, and each family's
/// own state.
pub struct Daemon {
    /// This pvmd, its connections, its links to the other pvmds with the calls in
    /// flight and the watches.
    wiring: Wiring,
    hosts: HostTable,
    tasks: TaskTable,
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
    /// `pvm_tickle`'s debug mask.
    debug_mask: DebugMask,
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
        let to_actor = inputs.clone();
        let drains: Drains = Arc::new(move |sink| {
            let _ = to_actor.send(Input::Drained(sink));
        });
        Daemon {
            wiring: Wiring::new(me, cluster, drains),
            tasks: TaskTable::new(me.host()),
            hosts,
            notifies: Notifies::default(),
            mail: Mail::default(),
            groups: Groups::default(),
            contexts: Contexts::default(),
            outputs,
            spawner: spawning::Spawner::new(spawn, inputs.clone()),
            adds: hosts::Adds::default(),
            held_welcomes: BTreeMap::new(),
            debug_mask: DebugMask::default(),
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
                self.wiring.conns_mut().insert(id, conn);
            }
            Input::Conn(ConnEvent::Frame(id, frame, _ahead)) => self.frame(id, frame),
            Input::Conn(ConnEvent::BadInput(id, e)) => self.bad_input(id, &e),
            Input::Conn(ConnEvent::Closed(id)) => self.conn_closed(id),
            Input::ChildExited(tid, pid) => self.child_exited(tid, pid),
            Input::ExitGraceOver(tid, pid) => {
                if self.tasks.get(tid).is_some_and(|t| t.pid == pid) {
                    self.task_gone(tid);
                }
            }
            Input::Output(OutputEvent::Data(tid, data, ahead)) => {
                if let Some(m) = self.outputs.data(tid, &data) {
                    self.deliver(m, Source::Gate(ahead.gate()));
                }
            }
            Input::Output(OutputEvent::Eof(tid)) => {
                if let Some(m) = self.outputs.end(tid) {
                    self.deliver(m, Source::Pvmd);
                }
            }
            Input::Shutdown(why) => {
                self.outputs.log(&format!("{why}, halting"));
                self.host_cx().leave_machine();
                self.halting = true;
            }
            Input::Link(LinkEvent::Frame(host, frame, _ahead)) => self.link_frame(host, frame),
            Input::Link(LinkEvent::Down(host, why)) => self.link_down(host, &why),
            Input::HostStarted(start) => self.host_started(*start),
            Input::AddHosts { names, done } => {
                self.host_cx().add_hosts(names, AddDone::Startup(done));
            }
            Input::SiblingsTimeout(tid) => self.release_welcome(tid),
            Input::Drained(sink) => self.wiring.drained(sink),
        }
    }

    /// Sends the answer to a request where it is awaited.
    fn answer(&self, to: ReplyTo, reply: pvm::proto::Reply) {
        self.wiring.answer(to, reply);
    }

    /// Routes a message from `from`: to a task of this host, or towards the host of
    /// its destination.
    fn deliver(&mut self, msg: Message, from: Source<'_>) {
        self.wiring.deliver(&mut self.tasks, &self.hosts, msg, from);
    }

    // ----- the families' contexts, each lent from the fields it needs -----

    fn task_cx(&mut self) -> TaskCx<'_> {
        TaskCx::new(&mut self.tasks, &self.hosts, &mut self.wiring)
    }

    fn spawn_cx(&mut self) -> SpawnCx<'_> {
        SpawnCx::new(
            &mut self.spawner,
            &mut self.tasks,
            &mut self.outputs,
            &mut self.hosts,
            &mut self.wiring,
        )
    }

    fn notify_cx(&mut self) -> NotifyCx<'_> {
        NotifyCx::new(
            &mut self.notifies,
            &mut self.tasks,
            &self.hosts,
            &mut self.wiring,
        )
    }

    fn host_cx(&mut self) -> HostCx<'_> {
        HostCx::new(
            &mut self.hosts,
            &mut self.adds,
            &mut self.wiring,
            &mut self.outputs,
            &self.inputs,
        )
    }

    /// A host start finished: the HostAdd notifications go before the `add` is
    /// answered.
    fn host_started(&mut self, start: HostStart) {
        let halting = self.halting;
        let (add, added) = self.host_cx().host_started(start, halting);
        if let Some(dtid) = added {
            self.notify_cx().hosts_added(&[dtid]);
        }
        self.host_cx().finish_add(add);
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

    /// A frame from a task connection.
    fn frame(&mut self, conn: ConnId, frame: Frame) {
        let Some(c) = self.wiring.conns().get(conn) else {
            return;
        };
        let (tid, gate) = (c.tid, Arc::clone(&c.gate));
        self.conn_frame(conn, tid, frame, &gate);
    }

    fn conn_frame(&mut self, conn: ConnId, tid: Option<Tid>, frame: Frame, gate: &Arc<Gate>) {
        match (tid, frame) {
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
                self.deliver(msg, Source::Gate(gate));
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
        let conns = self.wiring.conns_mut();
        let tid = conns.get(conn).and_then(|c| c.tid);
        conns.close(conn, PvmError::BadMsg, why.to_string());
        if let Some(tid) = tid {
            self.task_gone(tid);
        }
    }

    fn conn_closed(&mut self, conn: ConnId) {
        if let Some(c) = self.wiring.conns_mut().remove(conn) {
            if let Some(tid) = c.tid {
                self.task_gone(tid);
            }
        }
    }

    /// Halts: the slaves are told, every spawned task is killed and reaped (none is
    /// left a zombie for init), and what is queued for connections and links is
    /// written, each wait bounded.
    async fn shutdown(mut self) {
        self.host_cx().halt_slaves();
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
        self.outputs.log("pvmd halted");
        let conns = self.wiring.conns_mut();
        for id in conns.ids() {
            conns.remove(id);
        }
        let links = self.wiring.cluster_mut().close_all_links();
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
