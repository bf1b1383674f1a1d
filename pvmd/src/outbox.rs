//! Answers going back where their requests came from.
//!
//! [`Outbox`] is the narrow context a request family answers through: the task
//! connections of this host and the links to the others, nothing of the daemon's
//! state. A family that parks a request (a blocking `recvinfo`, a barrier) keeps its
//! [`ReplyTo`] and answers through an `Outbox` later.

use pvm::error::PvmError;
use pvm::proto::peer::PeerMsg;
use pvm::proto::Reply;
use pvm::tid::Tid;

use crate::cluster::Cluster;
use crate::conns::Conns;
use crate::router::ReplyTo;

/// Where answers leave from: this pvmd (`me`), its connections and its links.
#[derive(Debug, Clone, Copy)]
pub struct Outbox<'a> {
    pub me: Tid,
    pub conns: &'a Conns,
    pub cluster: &'a Cluster,
}

impl Outbox<'_> {
    /// Sends the answer to a request where it is awaited.
    pub fn answer(&self, to: ReplyTo, reply: Reply) {
        match to {
            ReplyTo::Conn { conn, id } => self.conns.reply(conn, id, reply),
            ReplyTo::Peer { pvmd, id } => {
                let msg = PeerMsg::Answer {
                    id,
                    from: self.me,
                    to: pvmd,
                    reply,
                };
                self.cluster.send_peer(pvmd, msg);
            }
        }
    }
}

/// The answer to a request that returns a number.
pub fn value(result: Result<i32, PvmError>) -> Reply {
    match result {
        Ok(value) => Reply::Value { value },
        Err(e) => Reply::error(e),
    }
}

/// The answer to a request that returns nothing.
pub fn done(result: Result<(), PvmError>) -> Reply {
    match result {
        Ok(()) => Reply::Done {},
        Err(e) => Reply::error(e),
    }
}

/// An outbox to test a request family with, without a daemon.
#[cfg(test)]
pub(crate) mod testing {
    use pvm::proto::Frame;
    use pvm::tid::Tid;
    use tokio::sync::mpsc;

    use super::Outbox;
    use crate::cluster::Cluster;
    use crate::conns::{Conn, ConnId, Conns};
    use crate::remote::Rsh;

    /// The one task connection of [`Wires`].
    pub const CONN: ConnId = 1;

    /// The connections and links of a master pvmd with one task connection, [`CONN`].
    pub struct Wires {
        conns: Conns,
        cluster: Cluster,
    }

    impl Wires {
        /// The wires, and what is queued for [`CONN`]. Needs a tokio runtime.
        pub fn new() -> (Wires, mpsc::UnboundedReceiver<Frame>) {
            let (tx, sent) = mpsc::unbounded_channel();
            let reader = tokio::spawn(async {}).abort_handle();
            let mut conns = Conns::default();
            let tid = None;
            conns.insert(CONN, Conn { tx, reader, tid });
            let cluster = Cluster::master(Rsh::from_env()).expect("a secret for the machine");
            (Wires { conns, cluster }, sent)
        }

        pub fn outbox(&self) -> Outbox<'_> {
            Outbox {
                me: Tid::pvmd(1),
                conns: &self.conns,
                cluster: &self.cluster,
            }
        }
    }
}
