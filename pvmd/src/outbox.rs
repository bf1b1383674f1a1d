//! Answers going back where their requests came from.
//!
//! [`Outbox`] is the narrow context a request family answers through: the task
//! connections of this host and the links to the others, nothing of the daemon's
//! state; it is lent by the daemon's [`crate::wiring::Wiring`]. A family that parks a
//! request (a blocking `recvinfo`, a barrier) keeps its [`ReplyTo`] and answers
//! through an `Outbox` later.

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
    me: Tid,
    conns: &'a Conns,
    cluster: &'a Cluster,
}

impl<'a> Outbox<'a> {
    pub fn new(me: Tid, conns: &'a Conns, cluster: &'a Cluster) -> Outbox<'a> {
        Outbox { me, conns, cluster }
    }

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
