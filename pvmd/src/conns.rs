//! The open task connections, as the actor sees them.
//!
//! Every connection has a writer task fed by an unbounded channel: the daemon's actor
//! never waits on a slow reader, and frames queued for one connection leave in the
//! order queued, which is what keeps messages between two tasks in order. What is
//! queued is bounded by flow control ([`crate::flow`]): data frames carry their
//! charge, and the connection's [`Gate`] stops its reader while it is held.

use std::collections::HashMap;
use std::sync::Arc;

use pvm::error::PvmError;
use pvm::proto::{Frame, Reply};
use pvm::tid::Tid;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::flow::{Gate, Queued};

/// Identifies one accepted connection for the daemon's lifetime.
pub type ConnId = u64;

/// One accepted connection, as the actor sees it.
#[derive(Debug)]
pub struct Conn {
    /// Frames to write, in order.
    pub tx: mpsc::UnboundedSender<Queued>,
    /// Stops the reader when the daemon drops the connection.
    pub reader: AbortHandle,
    /// What its reader waits at: held while its frames' queue is over budget.
    pub gate: Arc<Gate>,
    /// The task on it, after hello.
    pub tid: Option<Tid>,
}

/// Every open connection.
#[derive(Debug, Default)]
pub struct Conns {
    map: HashMap<ConnId, Conn>,
}

impl Conns {
    pub fn insert(&mut self, id: ConnId, conn: Conn) {
        self.map.insert(id, conn);
    }

    pub fn get(&self, id: ConnId) -> Option<&Conn> {
        self.map.get(&id)
    }

    pub fn get_mut(&mut self, id: ConnId) -> Option<&mut Conn> {
        self.map.get_mut(&id)
    }

    pub fn ids(&self) -> Vec<ConnId> {
        self.map.keys().copied().collect()
    }

    /// Queues a control frame (never charged); false if the connection is gone.
    pub fn send(&self, id: ConnId, frame: Frame) -> bool {
        self.send_queued(id, frame.into())
    }

    /// Queues a frame with its charge; false if the connection is gone.
    pub fn send_queued(&self, id: ConnId, queued: Queued) -> bool {
        self.map.get(&id).is_some_and(|c| c.tx.send(queued).is_ok())
    }

    /// Queues the reply to request `req` of connection `id`.
    pub fn reply(&self, id: ConnId, req: u32, reply: Reply) {
        self.send(id, Frame::Reply { id: req, reply });
    }

    /// Forgets a connection: queued frames are still written, then it closes.
    pub fn remove(&mut self, id: ConnId) -> Option<Conn> {
        let conn = self.map.remove(&id)?;
        conn.reader.abort();
        Some(conn)
    }

    /// Tells the peer why, then closes the connection.
    pub fn close(&mut self, id: ConnId, code: PvmError, reason: String) -> Option<Conn> {
        self.send(
            id,
            Frame::Close {
                code: code.code(),
                reason,
            },
        );
        self.remove(id)
    }
}
