//! One membership of the virtual machine: from joining to `pvm_exit`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::debug;

use super::connection::{Connection, JoinError};
use super::direct::{Links, Listener, Opener, Sent};
use super::hub::Hub;
use super::options::{Options, Route};
use super::output::OutputCollector;
use crate::error::Result;
use crate::proto::{Message, Reply, Request, Welcome};
use crate::tid::Tid;

/// How long `pvm_exit` waits for children's caught output before giving up on it.
const OUTPUT_GRACE: Duration = Duration::from_secs(30);

/// Bodies above this size may not fit in the socket's buffer, so sending them can wait
/// for the receiver (see [`Hub::writing`]).
const MAY_BLOCK: usize = 64 * 1024;

/// A joined task's live state.
pub(super) struct Session {
    pub conn: Connection,
    pub hub: Arc<Hub>,
    pub output: Arc<OutputCollector>,
    pub links: Links,
    pub listener: Mutex<Option<Listener>>,
}

impl Session {
    /// Joins the virtual machine and starts listening for direct routes.
    pub fn join(options: &Options, socket: Option<PathBuf>) -> Result<Session, JoinError> {
        let output = Arc::new(OutputCollector::default());
        output.set_show_tids(options.show_tids);
        let conn = Connection::open(socket, Arc::clone(&output))?;
        let hub = Arc::clone(conn.hub());
        let me = conn.welcome().tid;
        let accepting = options.route != Route::DontRoute;
        let key = conn.welcome().direct_key.clone();
        // Direct routes are an optimisation: without a listener the task still works.
        let started = Listener::start(conn.runtime_dir(), me, Arc::clone(&hub), accepting, key);
        let listener = match started {
            Ok(l) => {
                let path = l.path().to_string_lossy().into_owned();
                match conn.request(Request::RegisterDirect { path }) {
                    Ok(_) => {
                        if let Some(port) = l.tcp_port() {
                            let port = u32::from(port);
                            if let Err(e) = conn.request(Request::RegisterDirectTcp { port }) {
                                debug!("pvmd did not take our TCP port: {e}");
                            }
                        }
                        Some(l)
                    }
                    Err(e) => {
                        debug!("pvmd did not take our direct socket: {e}");
                        None
                    }
                }
            }
            Err(e) => {
                debug!("no direct-route listener: {e}");
                None
            }
        };
        Ok(Session {
            links: Links::new(me, conn.welcome().direct_key.clone()),
            conn,
            hub,
            output,
            listener: Mutex::new(listener),
        })
    }

    pub fn me(&self) -> Tid {
        self.conn.welcome().tid
    }

    pub fn welcome(&self) -> &Welcome {
        self.conn.welcome()
    }

    /// Sends one message: over a direct link when one is open (or the route asks for
    /// one and the peer takes it), else through pvmd.
    pub fn send(&self, msg: Message, route: Route) -> Result<()> {
        let _sending = self.hub.sending();
        let _blocking = (msg.body.len() > MAY_BLOCK).then(|| self.hub.writing());
        if self.links.send(&msg, self, route == Route::Direct)? == Sent::Direct {
            return Ok(());
        }
        self.conn.send_message(msg)
    }

    /// Leaves: waits for children's caught output, tells pvmd, closes everything.
    pub fn leave(&self) {
        let me = self.me();
        self.output.wait_children(OUTPUT_GRACE, || {
            let note = "children still running, waiting for their output";
            // Never a panic on a closed stderr: this runs inside pvm_exit.
            let _ = writeln!(std::io::stderr(), "libpvm [{me}]: {note}");
        });
        self.output.set_sink(None);
        self.close();
        self.conn.exit();
    }

    /// Stops accepting direct links and removes our socket, even while other handles
    /// still hold the session.
    pub fn close(&self) {
        self.listener
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
    }

    /// Whether new direct links are accepted.
    pub fn set_accepting(&self, on: bool) {
        if let Some(l) = self
            .listener
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            l.set_accepting(on);
        }
    }
}

impl Opener for Session {
    fn lookup(&self, peer: Tid) -> Result<Option<PathBuf>> {
        match self.conn.request(Request::LookupDirect { tid: peer }) {
            Ok(Reply::Direct { path }) => Ok(path.map(PathBuf::from)),
            Ok(_) => Ok(None),
            // An unknown peer: let the pvmd route report it.
            Err(_) => Ok(None),
        }
    }

    fn send_marker(&self, peer: Tid) -> Result<()> {
        self.conn.send_marker(self.me(), peer)
    }
}
