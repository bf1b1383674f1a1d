//! Direct routes between tasks of different hosts: TCP instead of a Unix socket.
//!
//! A task listens on a TCP port of its host besides its Unix socket and registers it
//! with pvmd (`RegisterDirectTcp`); a task elsewhere learns `tcp:ADDR:PORT` from
//! `LookupDirect`. Before the usual `DirectHello`, the two prove they belong to the
//! same virtual machine with the key pvmd gave both in their welcome (the challenge
//! of [`crate::proto::auth`]: the connecting side challenges, the listener answers
//! and challenges back). A connection that cannot prove it is dropped.
//!
//! Once authenticated, the TCP socket is handed on as a [`UnixStream`]: both are
//! stream sockets, and the links only read, write and poll their descriptor, so the
//! rest of the direct-route code and the hub need not tell them apart.

use std::io::{self, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::time::Duration;

use bytes::BytesMut;

use crate::proto::auth;
use crate::proto::peer::PeerMsg;
use crate::proto::{self, Frame, StreamError};

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

/// Connects to `endpoint` (`ADDR:PORT`, the part after [`TCP_PREFIX`]) and proves we
/// know `key`. `Ok(None)`: the peer is not a task of our virtual machine.
pub fn connect(
    endpoint: &str,
    key: &[u8],
    buf: &mut BytesMut,
) -> Result<Option<UnixStream>, StreamError> {
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
    let Ok(confirm) = me.finish(key, answer) else {
        return Ok(None);
    };
    send(&mut stream, confirm)?;
    Ok(Some(into_stream(stream)?))
}

/// The listening side of [`connect`]: answers the challenge and checks the proof.
/// `Ok(None)`: the caller does not know the key (or speaks something else).
pub fn accept(
    mut stream: TcpStream,
    key: &[u8],
    buf: &mut BytesMut,
) -> Result<Option<UnixStream>, StreamError> {
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
    if me.finish(key, confirm).is_err() {
        return Ok(None);
    }
    Ok(Some(into_stream(stream)?))
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

/// The authenticated socket as the stream type the links use; timeouts off again.
fn into_stream(stream: TcpStream) -> io::Result<UnixStream> {
    stream.set_read_timeout(None)?;
    stream.set_write_timeout(None)?;
    Ok(UnixStream::from(OwnedFd::from(stream)))
}
