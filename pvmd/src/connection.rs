//! One accepted socket: a reader task that decodes frames and hands them to the daemon,
//! and a writer task that sends what the daemon queues, in order.
//!
//! A frame that cannot be decoded stops the reader at once (the stream cannot be
//! resynchronised); the daemon answers with a `Close` frame and drops the connection,
//! and every other connection keeps being served. [`read_frames`] and [`write_frames`]
//! also carry the links between pvmds (`crate::peer::link`).
//!
//! A task's socket also carries the descriptors of large bodies in shared memory
//! ([`pvm::shm`]): the reader maps them (without touching the body), and the writer
//! passes a mapped body on to the receiving task by descriptor again, so pvmd never
//! copies it. Over a link to another host the body's bytes go through TCP.
//!
//! A task's reader waits at its connection's [`Gate`] before each read: flow control
//! ([`crate::flow`]) holds it while a queue its frames went to is over budget, and
//! while it is too far ahead of the daemon.

use std::future::Future;
use std::io::{self, IoSlice};
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::Duration;

use bytes::{BufMut, BytesMut};
use pvm::proto::buffering::{self, room_for_small, size_buffers, READ_CHUNK, WRITE_BUFFER};
use pvm::proto::{decode, encode_head, frame_len, Frame, Message, ProtoError};
use pvm::shm::{self, FdQueue, Shared};
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt, BufWriter, Interest};
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{tcp, UnixStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::conns::{Conn, ConnId};
use crate::flow::{self, Ahead, Gate, Queued, READ_AHEAD};

/// What a connection reports to the daemon.
#[derive(Debug)]
pub enum ConnEvent {
    /// A frame, counted at the connection's gate until the daemon drops its
    /// [`Ahead`].
    Frame(ConnId, Frame, Ahead),
    BadInput(ConnId, ProtoError),
    Closed(ConnId),
}

/// Starts the reader and writer of a new connection. `register` receives the daemon's
/// handle on it and the writer task (awaited at shutdown so queued frames are flushed)
/// and must pass them on to the daemon; the reader starts only after it returns, so the
/// daemon always learns of a connection before its first frame.
pub fn start<E: From<ConnEvent> + Send + 'static>(
    id: ConnId,
    stream: UnixStream,
    events: mpsc::UnboundedSender<E>,
    register: impl FnOnce(Conn, JoinHandle<()>),
) {
    size_buffers(&stream);
    let (rd, wr) = stream.into_split();
    let (tx, rx) = mpsc::unbounded_channel();
    let (go, started) = oneshot::channel::<()>();
    let gate = Gate::new(READ_AHEAD);
    let source = TaskSocket {
        rd,
        fds: FdQueue::new(),
        gate: Arc::clone(&gate),
    };
    let reader = tokio::spawn(async move {
        if started.await.is_ok() {
            read_loop(id, source, events).await;
        }
    });
    let writer = tokio::spawn(write_loop(id, wr, rx));
    let conn = Conn {
        tx,
        reader: reader.abort_handle(),
        gate,
        tid: None,
    };
    register(conn, writer);
    let _ = go.send(());
}

/// Bodies at least this large are written straight from their storage together with
/// their head in one vectored write, bypassing the write buffer.
const DIRECT_WRITE: usize = 64 * 1024;

async fn read_loop<E: From<ConnEvent>>(
    id: ConnId,
    mut source: TaskSocket,
    events: mpsc::UnboundedSender<E>,
) {
    let gate = Arc::clone(&source.gate);
    let deliver = |frame: Frame, wire| {
        let ahead = gate.sent(flow::cost(wire));
        events
            .send(ConnEvent::Frame(id, frame, ahead).into())
            .is_ok()
    };
    let event = match read_frames(&mut source, None, deliver).await {
        ReadEnd::Stopped => return,
        ReadEnd::Bad(e) => ConnEvent::BadInput(id, e),
        ReadEnd::Closed(_) | ReadEnd::Silent => ConnEvent::Closed(id),
    };
    let _ = events.send(event.into());
}

/// How reading a stream of frames ended.
#[derive(Debug)]
pub enum ReadEnd {
    /// End of stream, or the stream broke (why).
    Closed(String),
    /// Input that is not a frame: the stream cannot be trusted any more.
    Bad(ProtoError),
    /// Nothing arrived within the silence limit.
    Silent,
    /// The consumer wanted no more.
    Stopped,
}

/// A stream frames are read from.
pub trait FrameSource {
    /// Reads at most `max` bytes into the spare room of `buf`; 0 at the end.
    fn read_some<'a>(
        &'a mut self,
        buf: &'a mut BytesMut,
        max: usize,
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a;

    /// Descriptors of shared bodies received so far; `None` for a stream that cannot
    /// carry them (a frame claiming one is then bad input).
    fn fds(&mut self) -> Option<&mut FdQueue>;
}

/// A task's Unix socket: bytes and the descriptors of shared bodies, read only while
/// its gate is open.
struct TaskSocket {
    rd: OwnedReadHalf,
    fds: FdQueue,
    gate: Arc<Gate>,
}

impl FrameSource for TaskSocket {
    async fn read_some(&mut self, buf: &mut BytesMut, max: usize) -> io::Result<usize> {
        self.gate.ready().await;
        let stream: &UnixStream = self.rd.as_ref();
        loop {
            stream.readable().await?;
            let read = stream.try_io(Interest::READABLE, || {
                shm::recv_into(stream.as_fd(), buf, max, &mut self.fds)
            });
            match read {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                other => return other,
            }
        }
    }

    fn fds(&mut self) -> Option<&mut FdQueue> {
        Some(&mut self.fds)
    }
}

/// A link to another host's pvmd: bytes only.
impl FrameSource for tcp::OwnedReadHalf {
    async fn read_some(&mut self, buf: &mut BytesMut, max: usize) -> io::Result<usize> {
        self.read_buf(&mut buf.limit(max)).await
    }

    fn fds(&mut self) -> Option<&mut FdQueue> {
        None
    }
}

/// The next whole frame in `buf`, its shared body (if any) mapped, with the bytes it
/// took on the stream.
fn next_frame(
    buf: &mut BytesMut,
    fds: Option<&mut FdQueue>,
) -> Result<Option<(Frame, usize)>, ProtoError> {
    let before = buf.len();
    let Some(frame) = decode(buf)? else {
        return Ok(None);
    };
    let wire = before - buf.len();
    let mut none = FdQueue::new();
    Ok(Some((shm::resolve(frame, fds.unwrap_or(&mut none))?, wire)))
}

/// Reads frames from `rd` and hands each to `deliver` with the bytes it took on the
/// stream (false: stop) until the stream ends, breaks, sends garbage, or (with
/// `silence`) stays quiet that long. Used for task connections and for the links
/// between pvmds.
pub async fn read_frames<R: FrameSource>(
    rd: &mut R,
    silence: Option<Duration>,
    mut deliver: impl FnMut(Frame, usize) -> bool,
) -> ReadEnd {
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    let mut bodies = Recycler::default();
    loop {
        loop {
            match next_frame(&mut buf, rd.fds()) {
                Ok(Some((frame, wire))) => {
                    if !deliver(frame, wire) {
                        return ReadEnd::Stopped;
                    }
                }
                Ok(None) => break,
                Err(e) => return ReadEnd::Bad(e),
            }
        }
        let read = match frame_len(&buf) {
            // A large frame is read into a buffer of its own, recycled once the frame
            // was sent on, so streaming big messages neither regrows a buffer nor
            // faults fresh pages in for each one.
            Ok(Some(total)) if total > Recycler::BIG => {
                match read_big(rd, &mut buf, total, &mut bodies, silence).await {
                    Ok(Some(mut big)) => {
                        let cap = big.capacity();
                        // A whole frame of a length already checked: it decodes.
                        let (frame, wire) = match next_frame(&mut big, rd.fds()) {
                            Ok(Some(frame)) => frame,
                            Ok(None) => return ReadEnd::Closed("truncated frame".into()),
                            Err(e) => return ReadEnd::Bad(e),
                        };
                        bodies.put_back(big, cap);
                        if !deliver(frame, wire) {
                            return ReadEnd::Stopped;
                        }
                        Ok(true)
                    }
                    Ok(None) => Ok(false),
                    Err(e) => Err(e),
                }
            }
            known => {
                let room = room_for_small(&mut buf, known.ok().flatten());
                within(silence, rd.read_some(&mut buf, room))
                    .await
                    .map(|n| n > 0)
            }
        };
        match read {
            Ok(true) => {}
            Ok(false) => return ReadEnd::Closed("connection closed".into()),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return ReadEnd::Silent,
            Err(e) => return ReadEnd::Closed(format!("connection error: {e}")),
        }
    }
}

/// One read, failing with `TimedOut` when `silence` (if any) passes first.
async fn within<T>(
    silence: Option<Duration>,
    read: impl std::future::Future<Output = std::io::Result<T>>,
) -> std::io::Result<T> {
    match silence {
        None => read.await,
        Some(limit) => tokio::time::timeout(limit, read)
            .await
            .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into())),
    }
}

/// Reads a `total`-byte frame, whose start is all `buf` holds, into a recycled buffer
/// of its own. `None` at end of stream.
async fn read_big<R: FrameSource>(
    rd: &mut R,
    buf: &mut BytesMut,
    total: usize,
    bodies: &mut Recycler,
    silence: Option<Duration>,
) -> std::io::Result<Option<BytesMut>> {
    let mut big = bodies.get(total).await;
    // Everything in `buf` is this frame's: it is larger than any read chunk.
    big.extend_from_slice(buf);
    buf.clear();
    while big.len() < total {
        let left = total - big.len();
        if within(silence, rd.read_some(&mut big, left)).await? == 0 {
            return Ok(None);
        }
    }
    Ok(Some(big))
}

/// The buffers of a connection's large incoming frames, and the limit on how many may
/// be on their way to their receivers at once.
///
/// A buffer can be used again once every frame cut from it was dropped (written out),
/// so a stream of large messages reuses a few buffers instead of faulting fresh pages
/// in for each. And a sender faster than its receiver waits (its socket fills) once
/// [`Recycler::IN_FLIGHT`] of its large frames are queued, instead of pvmd buffering
/// the whole stream; the receiving library drains its socket even while its task is
/// busy sending, so two tasks streaming to each other both go on.
#[derive(Default)]
struct Recycler {
    /// Buffers with their storage size, free or still holding a frame in flight.
    bufs: Vec<(BytesMut, usize)>,
}

impl Recycler {
    /// Frames above this size get a buffer of their own.
    const BIG: usize = buffering::BIG;
    /// Larger frames are neither kept nor counted (rare, and held briefly).
    const KEEP_MAX: usize = buffering::KEEP_MAX;
    /// How many large frames of one sender may be queued in pvmd at once.
    const IN_FLIGHT: usize = 4;
    /// How long a sender over its limit waits before looking again.
    const PAUSE: std::time::Duration = std::time::Duration::from_millis(1);

    /// An empty buffer with room for `total` bytes: a free kept one if there is one,
    /// else a new one once fewer than [`Recycler::IN_FLIGHT`] are in flight.
    async fn get(&mut self, total: usize) -> BytesMut {
        if total > Self::KEEP_MAX {
            return BytesMut::with_capacity(total);
        }
        loop {
            // try_reclaim of a buffer's whole size succeeds only when it is free.
            let free = self
                .bufs
                .iter_mut()
                .position(|(b, cap)| b.try_reclaim(*cap));
            match free {
                Some(i) if self.bufs[i].1 >= total => return self.bufs.swap_remove(i).0,
                Some(i) => {
                    // Free but too small for this one: let it go.
                    self.bufs.swap_remove(i);
                    return BytesMut::with_capacity(total);
                }
                None if self.bufs.len() < Self::IN_FLIGHT => return BytesMut::with_capacity(total),
                None => tokio::time::sleep(Self::PAUSE).await,
            }
        }
    }

    /// Takes back `b`, emptied, whose storage of `cap` bytes holds a frame in flight.
    fn put_back(&mut self, mut b: BytesMut, cap: usize) {
        b.clear();
        if cap <= Self::KEEP_MAX {
            self.bufs.push((b, cap));
        }
    }
}

async fn write_loop(id: ConnId, wr: OwnedWriteHalf, rx: mpsc::UnboundedReceiver<Queued>) {
    write_frames(&format!("conn {id}"), wr, rx).await;
}

/// A stream frames are written to.
pub trait FrameSink: AsyncWrite + Unpin {
    /// The Unix socket underneath, which can pass descriptors of shared bodies.
    fn unix(&self) -> Option<&UnixStream>;
}

impl FrameSink for OwnedWriteHalf {
    fn unix(&self) -> Option<&UnixStream> {
        Some(self.as_ref())
    }
}

impl FrameSink for tcp::OwnedWriteHalf {
    fn unix(&self) -> Option<&UnixStream> {
        None
    }
}

/// Writes what is queued on `rx`, in order, until the queue closes or the stream
/// breaks (`what` names the stream in logs); each frame's charge is released once it
/// is written. Used for task connections and for the links between pvmds.
pub async fn write_frames<W: FrameSink>(
    what: &str,
    wr: W,
    mut rx: mpsc::UnboundedReceiver<Queued>,
) {
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, wr);
    let mut head = BytesMut::with_capacity(256);
    while let Some(Queued { frame, charge }) = rx.recv().await {
        // Released once the frame is written (or, on a broken stream, dropped).
        let _charge = charge;
        if let Some((m, shared)) = forwardable(&frame, out.get_ref()) {
            let mut result = write_shared(&mut out, m, shared).await;
            if result.is_ok() && rx.is_empty() {
                result = out.flush().await;
            }
            if let Err(e) = result {
                tracing::debug!("{what}: peer gone while writing: {e}");
                return;
            }
            continue;
        }
        head.clear();
        let body = match encode_head(&frame, &mut head) {
            Ok(body) => body,
            Err(e) => {
                tracing::warn!("{what}: frame not sent: {e}");
                continue;
            }
        };
        let mut result = match body {
            Some(body) if body.len() >= DIRECT_WRITE => {
                // What is buffered goes first, then head and body in one go.
                match out.flush().await {
                    Ok(()) => write_both(out.get_mut(), &head, &body).await,
                    Err(e) => Err(e),
                }
            }
            Some(body) => match out.write_all(&head).await {
                Ok(()) => out.write_all(&body).await,
                Err(e) => Err(e),
            },
            None => out.write_all(&head).await,
        };
        // Flush only when nothing else is queued: bursts of small frames share writes.
        if result.is_ok() && rx.is_empty() {
            result = out.flush().await;
        }
        if let Err(e) = result {
            tracing::debug!("{what}: peer gone while writing: {e}");
            return;
        }
    }
    let _ = out.flush().await;
    let _ = out.shutdown().await;
}

/// A message whose body lies in a shared segment pvmd mapped, about to go to a task's
/// Unix socket: it goes on by descriptor.
fn forwardable<'f, W: FrameSink>(frame: &'f Frame, out: &W) -> Option<(&'f Message, Shared)> {
    match frame {
        Frame::Data(m) if shm::wants_sharing(&m.body) && out.unix().is_some() => {
            Some((m, shm::forward(&m.body)?))
        }
        _ => None,
    }
}

/// Writes `m` with its body passed as the segment `shared`.
async fn write_shared<W: FrameSink>(
    out: &mut BufWriter<W>,
    m: &Message,
    shared: Shared,
) -> io::Result<()> {
    let wire = shared.wire(m).map_err(io::Error::other)?;
    // What is buffered goes first: frames stay in order.
    out.flush().await?;
    let Some(stream) = out.get_ref().unix() else {
        return Err(io::ErrorKind::Unsupported.into());
    };
    let sent = loop {
        stream.writable().await?;
        let sent = stream.try_io(Interest::WRITABLE, || {
            shm::send_with_fd(stream.as_fd(), &wire, shared.fd())
        });
        match sent {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            other => break other?,
        }
    };
    // The descriptor went with the first bytes: the task owns the reference now.
    shared.commit();
    out.get_mut().write_all(&wire[sent..]).await
}

/// Writes `head` then `body` with vectored writes, from their own storage.
async fn write_both<W: AsyncWrite + Unpin>(
    wr: &mut W,
    head: &[u8],
    body: &[u8],
) -> std::io::Result<()> {
    let mut done = 0;
    let total = head.len() + body.len();
    while done < total {
        let n = if done < head.len() {
            let parts = [IoSlice::new(&head[done..]), IoSlice::new(body)];
            wr.write_vectored(&parts).await?
        } else {
            wr.write(&body[done - head.len()..]).await?
        };
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        done += n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use pvm::proto::{encode, Message};
    use pvm::Tid;
    use std::time::Duration;

    fn data(tag: i32, len: usize) -> Frame {
        Frame::Data(Message {
            src: Tid(0x40001),
            dst: Tid(0x40002),
            tag,
            body: Bytes::from(vec![tag as u8; len]),
            ..Message::default()
        })
    }

    /// Starts a connection on one end of a socket pair; returns the other end and
    /// what the daemon would receive.
    fn connect() -> (UnixStream, mpsc::UnboundedReceiver<ConnEvent>, Conn) {
        let (ours, theirs) = UnixStream::pair().expect("pair");
        let (tx, rx) = mpsc::unbounded_channel();
        let mut conn = None;
        start(7, ours, tx, |c, _writer| conn = Some(c));
        (theirs, rx, conn.expect("registered"))
    }

    /// The next frame the daemon would receive, handled (its gate credited) at once.
    async fn next_frame(rx: &mut mpsc::UnboundedReceiver<ConnEvent>) -> Frame {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Some(ConnEvent::Frame(7, f, _ahead))) => f,
            other => panic!("expected a frame, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn large_frames_arrive_whole_among_small_ones() {
        let (mut peer, mut events, _conn) = connect();
        let sizes = [10, 1 << 20, 300_000, 5, 1 << 20, 5 << 20, 1 << 20];
        let mut wire = BytesMut::new();
        for (tag, &len) in sizes.iter().enumerate() {
            encode(&data(tag as i32, len), &mut wire).expect("encode");
        }
        let writer = tokio::spawn(async move {
            peer.write_all(&wire).await.expect("write");
            peer
        });
        for (tag, &len) in sizes.iter().enumerate() {
            // Each frame is dropped here at once, so the reader never waits.
            let Frame::Data(m) = next_frame(&mut events).await else {
                panic!("not data");
            };
            assert_eq!((m.tag, m.body.len()), (tag as i32, len));
            assert!(m.body.iter().all(|&b| b == tag as u8));
        }
        drop(writer.await.expect("writer"));
        assert!(matches!(events.recv().await, Some(ConnEvent::Closed(7))));
    }

    #[tokio::test]
    async fn a_sender_waits_while_its_large_frames_are_queued() {
        let (mut peer, mut events, _conn) = connect();
        let n = Recycler::IN_FLIGHT + 2;
        let mut wire = BytesMut::new();
        for tag in 0..n {
            encode(&data(tag as i32, 1 << 20), &mut wire).expect("encode");
        }
        tokio::spawn(async move {
            let _ = peer.write_all(&wire).await;
            // Keep the socket open until the test ends.
            tokio::time::sleep(Duration::from_secs(30)).await;
        });
        let mut held = Vec::new();
        for _ in 0..Recycler::IN_FLIGHT {
            held.push(next_frame(&mut events).await);
        }
        let more = tokio::time::timeout(Duration::from_millis(200), events.recv()).await;
        assert!(
            more.is_err(),
            "no more large frames while the first are queued"
        );
        held.remove(0);
        let Frame::Data(m) = next_frame(&mut events).await else {
            panic!("not data");
        };
        assert_eq!(m.tag, Recycler::IN_FLIGHT as i32, "order kept");
    }

    #[tokio::test]
    async fn big_body_is_written_whole_after_small_ones() {
        let (mut peer, _events, conn) = connect();
        conn.tx.send(data(1, 3).into()).expect("queue");
        conn.tx.send(data(2, 3 << 20).into()).expect("queue");
        conn.tx.send(data(3, 0).into()).expect("queue");
        let mut buf = BytesMut::new();
        let mut tags = Vec::new();
        while tags.len() < 3 {
            match pvm::proto::decode(&mut buf).expect("decode") {
                Some(Frame::Data(m)) => {
                    assert!(m.body.iter().all(|&b| b == m.tag as u8));
                    tags.push((m.tag, m.body.len()));
                }
                Some(other) => panic!("unexpected {other:?}"),
                None => {
                    buf.reserve(64 * 1024);
                    let n = tokio::time::timeout(Duration::from_secs(10), peer.read_buf(&mut buf))
                        .await
                        .expect("in time")
                        .expect("read");
                    assert!(n > 0, "writer closed early");
                }
            }
        }
        assert_eq!(tags, [(1, 3), (2, 3 << 20), (3, 0)]);
    }

    #[tokio::test]
    async fn a_buffer_is_reused_once_its_frame_is_gone() {
        let mut bodies = Recycler::default();
        let mut big = bodies.get(1 << 20).await;
        big.extend_from_slice(&vec![1u8; 1 << 20]);
        let at = big.as_ptr();
        let cap = big.capacity();
        let frame = big.split().freeze();
        bodies.put_back(big, cap);
        let other = bodies.get(1 << 20).await;
        assert_ne!(other.as_ptr(), at, "still in use by the frame");
        drop(frame);
        let again = bodies.get(1 << 20).await;
        assert_eq!(
            again.as_ptr(),
            at,
            "the same storage once the frame is gone"
        );
        drop(other);
    }

    #[tokio::test]
    async fn small_frames_queued_one_by_one_share_chunks() {
        let (mut peer, mut events, _conn) = connect();
        let mut kept = Vec::new();
        for tag in 0..200 {
            let mut wire = BytesMut::new();
            encode(&data(tag, 8), &mut wire).expect("encode");
            peer.write_all(&wire).await.expect("write");
            // Kept, as a frame queued for a busy receiver is.
            let Frame::Data(m) = next_frame(&mut events).await else {
                panic!("not data");
            };
            kept.push(m.body);
        }
        let chunks = 1 + kept
            .windows(2)
            .filter(|w| {
                let (a, b) = (w[0].as_ptr() as usize, w[1].as_ptr() as usize);
                b < a || b - a > READ_CHUNK
            })
            .count();
        assert!(chunks <= 2, "200 small frames pinned {chunks} chunks");
    }
}
