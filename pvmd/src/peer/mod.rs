//! The links between pvmds.
//!
//! The virtual machine is a star around the master (host 1): the master starts each
//! slave over ssh (`crate::remote`) and connects to the port the slave reported; a
//! slave accepts exactly one authenticated connection, its master's, and exits when it
//! loses it. A slave's traffic for another slave goes through the master, which
//! forwards every frame whose destination is not itself. [`link`] owns one TCP link;
//! [`sealed`] encrypts and authenticates what it carries after the handshake.

pub mod link;
pub mod sealed;

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub use link::{Authenticated, Link, LinkError, LinkEvent};

use crate::flow::Queued;

/// How long a new slave waits for its master to connect before giving up.
pub const MASTER_WAIT: Duration = Duration::from_secs(30);
/// How long the master tries to connect to a slave that said it is ready.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The links of this pvmd, by the peer's host number. A slave has one: the master's.
#[derive(Debug, Default)]
pub struct Links {
    map: BTreeMap<u32, Link>,
}

impl Links {
    pub fn insert(&mut self, host: u32, link: Link) {
        if let Some(old) = self.map.insert(host, link) {
            old.abort();
        }
    }

    /// Queues a frame for host `host`; false if there is no link to it.
    pub fn send(&self, host: u32, frame: impl Into<Queued>) -> bool {
        self.map.get(&host).is_some_and(|l| l.send(frame))
    }

    pub fn contains(&self, host: u32) -> bool {
        self.map.contains_key(&host)
    }

    pub fn hosts(&self) -> Vec<u32> {
        self.map.keys().copied().collect()
    }

    /// Forgets a dead link at once.
    pub fn abort(&mut self, host: u32) {
        if let Some(l) = self.map.remove(&host) {
            l.abort();
        }
    }

    /// Closes a link after what is queued has been written; the writer is returned so
    /// a halting pvmd can wait for it.
    pub fn close(&mut self, host: u32) -> Option<JoinHandle<()>> {
        self.map.remove(&host).map(Link::close)
    }

    /// Closes every link, returning their writers.
    pub fn close_all(&mut self) -> Vec<JoinHandle<()>> {
        std::mem::take(&mut self.map)
            .into_values()
            .map(Link::close)
            .collect()
    }
}

/// The master connects to a slave at `addr:port` and proves itself; the link is then
/// ready for [`link::start`]. Also returns the local address used, which is how the
/// slave's hosts reach the master.
pub async fn connect_to_slave(
    addr: &str,
    port: u16,
    secret: &[u8],
) -> Result<(Authenticated, String), LinkError> {
    let connect = TcpStream::connect((addr, port));
    let mut stream = tokio::time::timeout(CONNECT_TIMEOUT, connect)
        .await
        .map_err(|_| LinkError::Timeout)??;
    let keys = link::authenticate_as_master(&mut stream, secret).await?;
    let local = stream.local_addr().map(|a| a.ip().to_string())?;
    Ok((Authenticated { stream, keys }, local))
}

/// A slave waits for its master: the first connection that proves it knows the secret.
/// Connections that do not are refused and logged. Gives up after [`MASTER_WAIT`].
pub async fn accept_master(
    listener: TcpListener,
    secret: &[u8],
    mut refused: impl FnMut(&str),
) -> Option<Authenticated> {
    let wait = async {
        loop {
            let (mut stream, from) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            match link::authenticate_as_slave(&mut stream, secret).await {
                Ok(keys) => return Authenticated { stream, keys },
                Err(e) => {
                    tracing::warn!(%from, "pvmd connection refused: {e}");
                    refused(&format!("connection from {from} refused: {e}"));
                }
            }
        }
    };
    tokio::time::timeout(MASTER_WAIT, wait).await.ok()
}
