//! Where frames leave a pvmd: its task connections and its links to the other pvmds.
//!
//! [`Wiring`] is the part of the daemon every request family shares: who this pvmd is,
//! the connections ([`Conns`]) and the links with the calls in flight on them
//! ([`Cluster`]). It holds none of the families' state, so a family's own table can be
//! borrowed mutably beside it; a family that only answers gets the narrower
//! [`Outbox`].

use pvm::proto::peer::PeerMsg;
use pvm::proto::{Message, Reply, Request};
use pvm::tid::Tid;

use crate::cluster::{Cluster, Then};
use crate::conns::Conns;
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
}

impl Wiring {
    pub fn new(me: Tid, cluster: Cluster) -> Wiring {
        Wiring {
            me,
            conns: Conns::default(),
            cluster,
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

    /// Routes a message: to a task of this host (`tasks`, where a message for a task
    /// not connected yet waits), or towards the host of its destination, one of
    /// `hosts` or not.
    pub fn deliver(&self, tasks: &mut TaskTable, hosts: &HostTable, msg: Message) {
        let host = msg.dst.host();
        if host == self.me.host() {
            route::deliver(tasks, &self.conns, msg);
        } else {
            self.cluster.forward_data(msg, hosts.contains(host));
        }
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
    use pvm::proto::Frame;
    use pvm::tid::Tid;
    use tokio::sync::mpsc;

    use super::Wiring;
    use crate::cluster::Cluster;
    use crate::conns::{Conn, ConnId};
    use crate::remote::Rsh;

    /// The one task connection of [`wires`].
    pub const CONN: ConnId = 1;

    /// The wiring of a master pvmd with one task connection, [`CONN`], and what is
    /// queued for it. Needs a tokio runtime.
    pub fn wires() -> (Wiring, mpsc::UnboundedReceiver<Frame>) {
        let (tx, sent) = mpsc::unbounded_channel();
        let reader = tokio::spawn(async {}).abort_handle();
        let cluster = Cluster::master(Rsh::from_env()).expect("a secret for the machine");
        let mut wiring = Wiring::new(Tid::pvmd(1), cluster);
        let tid = None;
        wiring.conns_mut().insert(CONN, Conn { tx, reader, tid });
        (wiring, sent)
    }
}
