//! One TCP link to another pvmd: the authentication exchange, then a reader task that
//! decodes frames for the actor and a writer task that sends what the actor queues,
//! with a heartbeat both ways. Everything after the exchange is sealed with the keys it
//! gave ([`super::sealed`], [`pvm::proto::seal`]); a frame that does not open closes
//! the link, and the reason is what the link went down with.
//!
//! Each side sends a `Ping` every [`PING_EVERY`]; a link on which nothing arrives for
//! [`SILENCE_LIMIT`] is declared dead, so a host that crashes or is cut off is noticed
//! within that time even if TCP itself never reports an error.

use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use pvm::proto::auth;
use pvm::proto::peer::PeerMsg;
use pvm::proto::seal::{Inbound, LinkKeys};
use pvm::proto::{decode, Frame, ProtoError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinHandle};

use super::sealed::{SealedReader, SealedWriter};
use crate::connection::{read_frames, write_frames, FrameSource, ReadEnd};
use crate::flow::{self, Ahead, Gate, Queued, READ_AHEAD};

/// How often an idle link says it is alive.
pub const PING_EVERY: Duration = Duration::from_secs(1);
/// How long a link may stay silent before the other side is declared dead.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(6);
/// How long the authentication exchange may take.
pub const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest frame accepted before authentication: the exchange's frames are tiny.
const MAX_AUTH_FRAME: usize = 1024;

/// Why a link could not be set up or went down.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("connection error: {0}")]
    Io(#[from] std::io::Error),
    #[error("protocol error: {0}")]
    Proto(#[from] ProtoError),
    #[error("the peer does not know this virtual machine's secret")]
    BadSecret,
    #[error("unexpected frame during authentication")]
    Unexpected,
    #[error("authentication timed out")]
    Timeout,
    #[error("{0}")]
    Random(#[from] auth::RandomError),
}

impl From<auth::HandshakeError> for LinkError {
    fn from(e: auth::HandshakeError) -> LinkError {
        match e {
            auth::HandshakeError::BadProof => LinkError::BadSecret,
            auth::HandshakeError::Unexpected => LinkError::Unexpected,
            auth::HandshakeError::Random(r) => LinkError::Random(r),
        }
    }
}

/// What a link reports to the daemon; `host` is the peer's host number.
#[derive(Debug)]
pub enum LinkEvent {
    /// A frame, counted at the link's gate until the daemon drops its [`Ahead`].
    Frame(u32, Frame, Ahead),
    /// The link is gone: closed, broken, silent too long, or sent garbage.
    Down(u32, String),
}

/// The daemon's handle on one link.
#[derive(Debug)]
pub struct Link {
    pub tx: mpsc::UnboundedSender<Queued>,
    reader: AbortHandle,
    pinger: AbortHandle,
    pub writer: JoinHandle<()>,
}

impl Link {
    /// Queues a frame; false if the link is gone.
    pub fn send(&self, frame: impl Into<Queued>) -> bool {
        self.tx.send(frame.into()).is_ok()
    }

    /// Stops reading and pinging; what is queued is still written, then the socket
    /// closes.
    pub fn close(self) -> JoinHandle<()> {
        self.reader.abort();
        self.pinger.abort();
        self.writer
    }
}

/// The master's side of the exchange: challenge, check the slave's proof, prove.
/// Gives the link's keys.
pub async fn authenticate_as_master(
    stream: &mut TcpStream,
    secret: &[u8],
) -> Result<LinkKeys, LinkError> {
    let exchange = async {
        let (me, challenge) = auth::Initiator::start()?;
        write_frame(stream, &Frame::Peer(challenge)).await?;
        let answer = read_auth_frame(stream).await?;
        let (confirm, keys) = me.finish(secret, answer)?;
        write_frame(stream, &Frame::Peer(confirm)).await?;
        Ok(keys)
    };
    tokio::time::timeout(AUTH_TIMEOUT, exchange)
        .await
        .map_err(|_| LinkError::Timeout)?
}

/// The slave's side: answer the challenge, then check the master's proof. Gives the
/// link's keys.
pub async fn authenticate_as_slave(
    stream: &mut TcpStream,
    secret: &[u8],
) -> Result<LinkKeys, LinkError> {
    let exchange = async {
        let challenge = read_auth_frame(stream).await?;
        let (me, response) = auth::Responder::answer(secret, challenge)?;
        write_frame(stream, &Frame::Peer(response)).await?;
        let confirm = read_auth_frame(stream).await?;
        Ok(me.finish(secret, confirm)?)
    };
    tokio::time::timeout(AUTH_TIMEOUT, exchange)
        .await
        .map_err(|_| LinkError::Timeout)?
}

async fn write_frame(stream: &mut TcpStream, frame: &Frame) -> Result<(), LinkError> {
    let mut buf = BytesMut::new();
    pvm::proto::encode(frame, &mut buf)?;
    stream.write_all(&buf).await?;
    Ok(())
}

/// Reads one small peer frame, refusing anything large before the peer is trusted.
/// Reads exactly that frame: what follows it belongs to the link's reader.
async fn read_auth_frame(stream: &mut TcpStream) -> Result<PeerMsg, LinkError> {
    let mut prefix = [0u8; 4];
    stream.read_exact(&mut prefix).await?;
    let len = u32::from_be_bytes(prefix) as usize;
    if len == 0 || len > MAX_AUTH_FRAME {
        return Err(LinkError::Unexpected);
    }
    let mut buf = BytesMut::with_capacity(4 + len);
    buf.extend_from_slice(&prefix);
    buf.resize(4 + len, 0);
    stream.read_exact(&mut buf[4..]).await?;
    match decode(&mut buf)? {
        Some(Frame::Peer(msg)) => Ok(msg),
        _ => Err(LinkError::Unexpected),
    }
}

/// An authenticated connection to another pvmd, with the keys that seal it.
#[derive(Debug)]
pub struct Authenticated {
    pub stream: TcpStream,
    pub keys: LinkKeys,
}

/// Starts the reader, writer and heartbeat of an authenticated link to host `host`.
pub fn start<E: From<LinkEvent> + Send + 'static>(
    host: u32,
    link: Authenticated,
    events: mpsc::UnboundedSender<E>,
) -> Link {
    let Authenticated { stream, keys } = link;
    let _ = stream.set_nodelay(true);
    let (sealer, opener) = keys.split();
    let (rd, wr) = stream.into_split();
    // The exchange read exactly its own frames: nothing sealed was read ahead.
    let rd = SealedReader::new(rd, Inbound::new(opener, BytesMut::new()));
    let wr = SealedWriter::new(wr, sealer);
    let (tx, rx) = mpsc::unbounded_channel();
    // The reader stays at most READ_AHEAD in front of the daemon (a link is never
    // held: flow control tells the senders' pvmds instead).
    let source = Gated {
        inner: rd,
        gate: Gate::new(READ_AHEAD),
    };
    let reader = tokio::spawn(read_loop(host, source, events));
    let writer = tokio::spawn(write_loop(host, wr, rx));
    let ping_tx = tx.clone();
    let pinger = tokio::spawn(async move {
        let mut every = tokio::time::interval(PING_EVERY);
        loop {
            every.tick().await;
            if ping_tx.send(Frame::Peer(PeerMsg::Ping {}).into()).is_err() {
                return;
            }
        }
    });
    Link {
        tx,
        reader: reader.abort_handle(),
        pinger: pinger.abort_handle(),
        writer,
    }
}

/// A link's stream, read only while the daemon keeps up with it.
struct Gated<R> {
    inner: R,
    gate: Arc<Gate>,
}

impl<R: FrameSource + Send> FrameSource for Gated<R> {
    async fn read_some(&mut self, buf: &mut BytesMut, max: usize) -> std::io::Result<usize> {
        self.gate.ready().await;
        self.inner.read_some(buf, max).await
    }

    fn fds(&mut self) -> Option<&mut pvm::shm::FdQueue> {
        self.inner.fds()
    }
}

async fn read_loop<E: From<LinkEvent>>(
    host: u32,
    mut rd: Gated<SealedReader<OwnedReadHalf>>,
    events: mpsc::UnboundedSender<E>,
) {
    let gate = Arc::clone(&rd.gate);
    let deliver = |frame: Frame, wire| match frame {
        Frame::Peer(PeerMsg::Ping {}) => true,
        frame => {
            let ahead = gate.sent(flow::cost(wire));
            events
                .send(LinkEvent::Frame(host, frame, ahead).into())
                .is_ok()
        }
    };
    let end = read_frames(&mut rd, Some(SILENCE_LIMIT), deliver).await;
    let why = match (end, rd.inner.failure()) {
        (ReadEnd::Stopped, _) => return,
        (_, Some(refused)) => {
            tracing::warn!(host, "link refused a frame: {refused}");
            format!("link refused a frame: {refused}")
        }
        (ReadEnd::Bad(e), None) => format!("bad frame: {e}"),
        (ReadEnd::Silent, None) => format!("no heartbeat for {} s", SILENCE_LIMIT.as_secs()),
        (ReadEnd::Closed(why), None) => why,
    };
    let _ = events.send(LinkEvent::Down(host, why).into());
}

async fn write_loop(
    host: u32,
    wr: SealedWriter<OwnedWriteHalf>,
    rx: mpsc::UnboundedReceiver<Queued>,
) {
    write_frames(&format!("link to host {host}"), wr, rx).await;
}

impl Link {
    /// Drops the link at once, queued frames included (the peer is dead).
    pub fn abort(self) {
        self.reader.abort();
        self.pinger.abort();
        self.writer.abort();
    }
}
