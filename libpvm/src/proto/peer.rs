//! pvmd-to-pvmd messages: what travels on the TCP links between the hosts' daemons.
//!
//! A link carries [`super::Frame::Data`] (PVM messages on their way to a task of
//! another host, unchanged) and [`super::Frame::Peer`] frames holding a [`PeerMsg`].
//! The links form a star around the master: a slave reaches another slave through
//! the master, which forwards anything whose destination (`to`, or a message's `dst`)
//! is not itself. Every link starts with the authentication exchange (see
//! [`super::auth`]): `Challenge` from the master, `Response` from the slave, `Confirm`
//! from the master; nothing else is accepted before it completes.

use bytes::Bytes;

use super::control::{HostInfo, Reply, Request};
use super::wire::{wire_enum, wire_struct};
use crate::tid::Tid;

/// A host as the master describes it to the others.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeerHost {
    pub info: HostInfo,
    /// The address other hosts reach it by (`ip=`, else its name); empty for the master
    /// when no slave could tell which of its addresses it used.
    pub addr: String,
}

/// One pvmd-to-pvmd message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerMsg {
    /// Master -> slave, first frame of a link: prove you know the secret.
    Challenge { nonce: Bytes },
    /// Slave -> master: the proof, and a challenge back.
    Response { nonce: Bytes, mac: Bytes },
    /// Master -> slave: the master's proof. The link is up.
    Confirm { mac: Bytes },
    /// Master -> every slave: the host table, after every change.
    Hosts { hosts: Vec<PeerHost> },
    /// pvmd `from` asks pvmd `to` to carry out `req` on behalf of task `caller`;
    /// answered by one `Answer` with the same `id`. A `Spawn` call starts every
    /// instance on `to` itself.
    Call {
        id: u32,
        from: Tid,
        to: Tid,
        caller: Tid,
        req: Request,
    },
    /// The answer to call `id` of `to`.
    Answer {
        id: u32,
        from: Tid,
        to: Tid,
        reply: Reply,
    },
    /// pvmd `from` wants to hear when task `tid` (a task of `to`) exits.
    Watch { from: Tid, to: Tid, tid: Tid },
    /// Task `tid` of pvmd `from` exited (sent to every pvmd that watched it).
    Exited { from: Tid, to: Tid, tid: Tid },
    /// The complete sibling list of a spawn some of whose tasks run on `to`.
    Siblings { from: Tid, to: Tid, tids: Vec<Tid> },
    /// Master -> slave: stop every task and exit. Slave -> master: the slave is going
    /// away on its own (its pvmd was told to halt by a signal).
    Halt {},
    /// Keeps an idle link's heartbeat going.
    Ping {},
    /// Flow control: pvmd `from` holds more than its budget for `tid` (one of its
    /// tasks; or, with a pvmd's tid, everything for that host, when the master's link
    /// to it is full), and `to`'s tasks sent some of it: `to` stops reading its
    /// tasks that send to `tid` until `Drained`.
    Full { from: Tid, to: Tid, tid: Tid },
    /// Flow control: what `from` holds for `tid` is down again; senders may go on.
    Drained { from: Tid, to: Tid, tid: Tid },
}

impl PeerMsg {
    /// The pvmd this message is for, when it names one (relayed by the master).
    pub fn destination(&self) -> Option<Tid> {
        match self {
            PeerMsg::Call { to, .. }
            | PeerMsg::Answer { to, .. }
            | PeerMsg::Watch { to, .. }
            | PeerMsg::Exited { to, .. }
            | PeerMsg::Siblings { to, .. }
            | PeerMsg::Full { to, .. }
            | PeerMsg::Drained { to, .. } => Some(*to),
            _ => None,
        }
    }
}

wire_struct!(PeerHost { info, addr });

// Variant codes are the wire contract: append new ones, never renumber.
wire_enum!(PeerMsg {
    1 => Challenge { nonce },
    2 => Response { nonce, mac },
    3 => Confirm { mac },
    4 => Hosts { hosts },
    5 => Call { id, from, to, caller, req },
    6 => Answer { id, from, to, reply },
    7 => Watch { from, to, tid },
    8 => Exited { from, to, tid },
    9 => Siblings { from, to, tids },
    10 => Halt {},
    11 => Ping {},
    12 => Full { from, to, tid },
    13 => Drained { from, to, tid },
});
