//! Everything the actor reacts to: what connections, child watchers, output readers,
//! links and host starts send it, one [`Input`] at a time.

use pvm::tid::Tid;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::connection::ConnEvent;
use crate::conns::{Conn, ConnId};
use crate::flow::Sink;
use crate::hostfile::HostEntry;
use crate::output::OutputEvent;
use crate::peer::LinkEvent;
use crate::remote::{StartFailure, Started};

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
        done: oneshot::Sender<Vec<(String, AddOutcome)>>,
    },
    /// A task spawned for another host's pvm_spawn waited long enough for its
    /// sibling list: let it join without.
    SiblingsTimeout(Tid),
    /// A queue someone waits for is down to its low mark (see [`crate::flow`]).
    Drained(Sink),
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

/// The outcome of starting one host.
pub type AddOutcome = Result<Tid, StartFailure>;

/// A host start finished (see [`Input::HostStarted`]): slot `slot` of the `add`
/// gathered as `add`, host number `number`.
#[derive(Debug)]
pub struct HostStart {
    pub(super) add: u64,
    pub(super) slot: usize,
    pub(super) number: u32,
    pub(super) entry: HostEntry,
    pub(super) result: Result<(Started, crate::peer::Authenticated, String), StartFailure>,
}
