//! Where frames leave a pvmd: its task connections and its links to the other pvmds.
//!
//! [`Wiring`] is the part of the daemon every request family shares: who this pvmd is,
//! the connections ([`Conns`]), the links with the calls in flight on them
//! ([`Cluster`]) and the flow control of everything queued on them ([`Flow`]). It
//! holds none of the families' state, so a family's own table can be borrowed mutably
//! beside it; a family that only answers gets the narrower [`Outbox`].

use pvm::proto::peer::PeerMsg;
use pvm::proto::{Message, Reply, Request};
use pvm::tid::Tid;

use crate::cluster::{Cluster, Then};
use crate::conns::Conns;
use crate::flow::{self, Drains, Flow, Sink, Source};
use crate::hosts::HostTable;
use crate::outbox::Outbox;
use crate::route;
use crate::router::ReplyTo;
use crate::tasks::TaskTable;

/// This pvmd (`me`), its connections and its links.
#[derive(Debug)]
pub struct Wiring {
    me: Tid,
    conns: Conns,
    cluster: Cluster,
    flow: Flow,
}

impl Wiring {
    /// The wiring of pvmd `me`; `drains` is told when a queue someone waits for has
    /// drained (see [`Wiring::drained`]).
    pub fn new(me: Tid, cluster: Cluster, drains: Drains) -> Wiring {
        Wiring {
            me,
            conns: Conns::default(),
            cluster,
            flow: Flow::new(drains),
        }
    }

    /// This pvmd's tid.
    pub fn me(&self) -> Tid {
        self.me
    }

    pub fn conns(&self) -> &Conns {
        &self.conns
    }

    pub fn conns_mut(&mut self) -> &mut Conns {
        &mut self.conns
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// What a family that only answers needs.
    pub fn outbox(&self) -> Outbox<'_> {
        Outbox::new(self.me, &self.conns, &self.cluster)
    }

    /// Sends the answer to a request where it is awaited.
    pub fn answer(&self, to: ReplyTo, reply: Reply) {
        self.outbox().answer(to, reply);
    }

    /// Routes a message from `from`: to a task of this host (`tasks`, where a message
    /// for a task not connected yet waits), or towards the host of its destination, one
    /// of `hosts` or not. When its queue is over budget, `from` is held (a source of
    /// this host) or told (another host's pvmd); see [`crate::flow`].
    pub fn deliver(
        &mut self,
        tasks: &mut TaskTable,
        hosts: &HostTable,
        msg: Message,
        from: Source<'_>,
    ) {
        let full = if msg.dst.host() == self.me.host() {
            route::deliver(tasks, &self.conns, &mut self.flow, msg)
        } else {
            self.forward(hosts, msg, from)
        };
        if let Some(sink) = full {
            self.over(sink, from);
        }
    }

    /// Sends a message towards a task of another host; a message for a host that is
    /// not in the machine is dropped, as PVM drops it. `Some` names the link's queue
    /// when it is now over budget.
    fn forward(&mut self, hosts: &HostTable, msg: Message, from: Source<'_>) -> Option<Sink> {
        let host = msg.dst.host();
        if !hosts.contains(host) {
            tracing::debug!(dst = %Tid::pvmd(host), "message for an unknown host dropped");
            return None;
        }
        self.flow.towards_remote(msg.dst, from);
        let hop = self.cluster.next_hop(host);
        let sink = Sink::Link(hop);
        let (queued, over) = flow::charged(self.flow.budget(sink), msg, false);
        if !self.cluster.send_link(hop, queued) {
            tracing::debug!(dst = %Tid::pvmd(host), "message for a host with no link dropped");
            return None;
        }
        over.then_some(sink)
    }

    /// A frame of `from` went to `sink`, now over budget: hold `from` or tell its pvmd.
    fn over(&mut self, sink: Sink, from: Source<'_>) {
        let Some(host) = self.flow.over(sink, from) else {
            return;
        };
        if host == self.me.host() {
            return;
        }
        let to = Tid::pvmd(host);
        let full = PeerMsg::Full {
            from: self.me,
            to,
            tid: sink.tid(),
        };
        self.cluster.send_peer(to, full);
    }

    /// A queue someone waited for has drained: its sources go on, the pvmds told it
    /// was full hear it is not.
    pub fn drained(&mut self, sink: Sink) {
        let released = self.flow.release(sink);
        self.tell_drained(sink, released.hosts);
    }

    /// A queue is gone (its task left): as if drained, and its budget forgotten.
    pub fn forget_queue(&mut self, sink: Sink) {
        let released = self.flow.forget(sink);
        self.tell_drained(sink, released.hosts);
    }

    fn tell_drained(&self, sink: Sink, hosts: Vec<u32>) {
        for host in hosts {
            let to = Tid::pvmd(host);
            let drained = PeerMsg::Drained {
                from: self.me,
                to,
                tid: sink.tid(),
            };
            self.cluster.send_peer(to, drained);
        }
    }

    /// Flow control, for what the other pvmds say about their queues and hosts that
    /// leave.
    pub fn flow_mut(&mut self) -> &mut Flow {
        &mut self.flow
    }

    /// Sends `req` of `caller` to host `host`'s pvmd; `then` says what its answer is
    /// for. `Err(then)` if it cannot be sent: the caller fails it at once.
    pub fn call(&mut self, host: u32, caller: Tid, req: Request, then: Then) -> Result<(), Then> {
        self.cluster.call(self.me, host, caller, req, then)
    }

    /// Asks the pvmd of remote task `tid` to say when it exits.
    pub fn watch_remote(&mut self, tid: Tid) {
        if tid.host() == self.me.host() || !self.cluster.watch(tid) {
            return;
        }
        let msg = PeerMsg::Watch {
            from: self.me,
            to: tid.host_daemon(),
            tid,
        };
        self.cluster.send_peer(tid.host_daemon(), msg);
    }

    /// A task of this host exited: tell the pvmds that watch it.
    pub fn tell_watchers(&mut self, tid: Tid) {
        let me = self.me;
        for to in self.cluster.take_watchers(tid) {
            self.cluster
                .send_peer(to, PeerMsg::Exited { from: me, to, tid });
        }
    }
}

/// Wiring to test a request family with, without a daemon.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::Arc;

    use pvm::proto::Frame;
    use pvm::tid::Tid;
    use tokio::sync::mpsc;

    use super::Wiring;
    use crate::cluster::Cluster;
    use crate::conns::{Conn, ConnId};
    use crate::flow::{Gate, Queued, READ_AHEAD};
    use crate::remote::Rsh;

    /// The one task connection of [`wires`].
    pub const CONN: ConnId = 1;

    /// What was queued for [`CONN`].
    pub struct Sent(mpsc::UnboundedReceiver<Queued>);

    impl Sent {
        pub fn try_recv(&mut self) -> Result<Frame, mpsc::error::TryRecvError> {
            self.0.try_recv().map(|q| q.frame)
        }
    }

    /// The wiring of a master pvmd with one task connection, [`CONN`], and what is
    /// queued for it. Needs a tokio runtime.
    pub fn wires() -> (Wiring, Sent) {
        let (tx, sent) = mpsc::unbounded_channel();
        let reader = tokio::spawn(async {}).abort_handle();
        let cluster = Cluster::master(Rsh::from_env()).expect("a secret for the machine");
        let mut wiring = Wiring::new(Tid::pvmd(1), cluster, Arc::new(|_| {}));
        let conn = Conn {
            tx,
            reader,
            gate: Gate::new(READ_AHEAD),
            tid: None,
        };
        wiring.conns_mut().insert(CONN, conn);
        (wiring, Sent(sent))
    }
}
