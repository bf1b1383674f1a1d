//! Direct routes between tasks of different hosts: TCP instead of a Unix socket.
//!
//! A task listens on a TCP port of its host besides its Unix socket and registers it
//! with pvmd (`RegisterDirectTcp`); a task elsewhere learns `tcp:ADDR:PORT` from
//! `LookupDirect`. Before the usual `DirectHello`, the two prove they belong to the
//! same virtual machine with the key pvmd gave both in their welcome (the challenge
//! of [`crate::proto::auth`]: the connecting side challenges, the listener answers
//! and challenges back). A connection that cannot prove it is dropped.
//!
//! Everything after the exchange is sealed ([`crate::proto::seal`]) with keys derived
//! from that key and both nonces: the hello, the answer and every message. Writes go
//! through [`SealedWrite`]; the receiving [`super::frames::FrameReader`] opens what
//! it reads. A frame that fails to open closes the link.
//!
//! Once authenticated, the TCP socket is handed on as a [`UnixStream`]: both are
//! stream sockets, and the links only read, write and poll their descriptor, so the
//! rest of the direct-route code and the hub need not tell them apart.

use std::io::{self, IoSlice, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use bytes::BytesMut;

use crate::proto::auth;
use crate::proto::peer::PeerMsg;
use crate::proto::seal::{Inbound, LinkKeys, Sealer};
use crate::proto::{self, Frame, ProtoError, StreamError};
use crate::shm::{self, FdQueue};

/// The prefix of a TCP endpoint in `LookupDirect`'s answer.
pub const TCP_PREFIX: &str = "tcp:";
/// How long connecting and authenticating may take.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Listens for other hosts' tasks on every address of this host.
pub fn listen() -> io::Result<(TcpListener, u16)> {
    let listener = TcpListener::bind(("0.0.0.0", 0))?;
    let port = listener.local_addr()?.port();
    Ok((listener, port))
}

/// Wakes a thread blocked accepting on `port`, so it can see it should stop.
pub fn wake(port: u16) {
    let _ = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), TIMEOUT);
}

/// An authenticated link: the socket, sealing what we send, and opening what we read
/// (with what was read ahead of the exchange's end).
pub struct Sealed {
    pub stream: UnixStream,
    pub sealer: Sealer,
    pub inbound: Inbound,
}

/// Connects to `endpoint` (`ADDR:PORT`, the part after [`TCP_PREFIX`]) and proves we
/// know `key`. `Ok(None)`: the peer is not a task of our virtual machine.
pub fn connect(
    endpoint: &str,
    key: &[u8],
    buf: &mut BytesMut,
) -> Result<Option<Sealed>, StreamError> {
    let addr = endpoint
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no address"))?;
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    prepare(&stream)?;
    let (me, challenge) = auth::Initiator::start().map_err(io::Error::other)?;
    send(&mut stream, challenge)?;
    let Some(Frame::Peer(answer)) = proto::read_frame(&mut stream, buf)? else {
        return Ok(None);
    };
    let Ok((confirm, keys)) = me.finish(key, answer) else {
        return Ok(None);
    };
    send(&mut stream, confirm)?;
    Ok(Some(sealed(stream, keys, buf)?))
}

/// The listening side of [`connect`]: answers the challenge and checks the proof.
/// `Ok(None)`: the caller does not know the key (or speaks something else).
pub fn accept(
    mut stream: TcpStream,
    key: &[u8],
    buf: &mut BytesMut,
) -> Result<Option<Sealed>, StreamError> {
    prepare(&stream)?;
    let Some(Frame::Peer(challenge)) = proto::read_frame(&mut stream, buf)? else {
        let _ = stream.shutdown(Shutdown::Both);
        return Ok(None);
    };
    let (me, response) = match auth::Responder::answer(key, challenge) {
        Ok(answer) => answer,
        Err(auth::HandshakeError::Random(e)) => return Err(io::Error::other(e).into()),
        Err(_) => return Ok(None),
    };
    send(&mut stream, response)?;
    let Some(Frame::Peer(confirm)) = proto::read_frame(&mut stream, buf)? else {
        return Ok(None);
    };
    let Ok(keys) = me.finish(key, confirm) else {
        return Ok(None);
    };
    Ok(Some(sealed(stream, keys, buf)?))
}

fn prepare(stream: &TcpStream) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))
}

fn send(stream: &mut TcpStream, msg: PeerMsg) -> Result<(), StreamError> {
    proto::write_frame(stream, &Frame::Peer(msg))?;
    stream.flush()?;
    Ok(())
}

/// The authenticated socket as the stream type the links use, timeouts off again,
/// with its keys; what `read_ahead` holds beyond the exchange is already sealed.
fn sealed(stream: TcpStream, keys: LinkKeys, read_ahead: &mut BytesMut) -> io::Result<Sealed> {
    stream.set_read_timeout(None)?;
    stream.set_write_timeout(None)?;
    let (sealer, opener) = keys.split();
    Ok(Sealed {
        stream: UnixStream::from(OwnedFd::from(stream)),
        sealer,
        inbound: Inbound::new(opener, read_ahead.split()),
    })
}

/// How much one read of a sealed link asks for.
pub(super) const SEALED_READ: usize = 256 * 1024;

impl Sealed {
    /// Seals and writes one frame (a handshake's).
    pub fn write_frame(&mut self, frame: &Frame) -> Result<(), StreamError> {
        let mut plain = BytesMut::new();
        proto::encode(frame, &mut plain)?;
        let mut wire = BytesMut::new();
        self.sealer
            .seal_all(&plain, &mut wire)
            .map_err(ProtoError::from)?;
        self.stream.write_all(&wire)?;
        Ok(())
    }

    /// The sending half, once the hello is done.
    pub fn into_writer(self) -> SealedWrite {
        SealedWrite::new(self.stream, self.sealer)
    }

    /// Reads one frame from the blocking socket (a handshake's), keeping in `plain`
    /// what was opened beyond it. `None` when the stream ended first.
    pub fn read_frame(&mut self, plain: &mut BytesMut) -> Result<Option<Frame>, StreamError> {
        let mut none = FdQueue::new();
        loop {
            if let Some(frame) = proto::decode(plain)? {
                return Ok(Some(frame));
            }
            if self.inbound.has_plain() {
                self.inbound.take(plain, usize::MAX);
                continue;
            }
            if self.inbound.open_next().map_err(ProtoError::from)? {
                continue;
            }
            let raw = self.inbound.raw_mut(SEALED_READ);
            match shm::recv_into(self.stream.as_fd(), raw, SEALED_READ, &mut none) {
                Ok(0) => {
                    self.inbound.end().map_err(ProtoError::from)?;
                    return Ok(None);
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// The sending side of a sealed link: each frame goes out as sealed frames of its
/// head and body together (at most [`crate::proto::seal::MAX_PLAIN`] bytes each), each
/// written as soon as it is sealed, so the receiver opens one while we seal the next.
pub struct SealedWrite {
    stream: UnixStream,
    sealer: Sealer,
    head: BytesMut,
    out: BytesMut,
}

impl SealedWrite {
    pub fn new(stream: UnixStream, sealer: Sealer) -> SealedWrite {
        SealedWrite {
            stream,
            sealer,
            head: BytesMut::new(),
            out: BytesMut::new(),
        }
    }

    /// Seals and writes `frame`.
    pub fn write_frame(&mut self, frame: &Frame) -> Result<(), StreamError> {
        self.head.clear();
        let body = proto::encode_head(frame, &mut self.head)?;
        let (head, body) = (&self.head[..], body.as_deref().unwrap_or(&[]));
        let mut done = 0;
        while done < head.len() + body.len() {
            let rest = if done < head.len() {
                [IoSlice::new(&head[done..]), IoSlice::new(body)]
            } else {
                [IoSlice::new(&body[done - head.len()..]), IoSlice::new(&[])]
            };
            self.out.clear();
            done += self
                .sealer
                .seal(&rest, &mut self.out)
                .map_err(ProtoError::from)?;
            self.stream.write_all(&self.out)?;
        }
        Ok(())
    }
}
