//! Reading frames from several sockets without a thread per socket.
//!
//! The thread that holds the reader token (see [`super::hub`]) waits on all of the
//! task's sockets at once with `ppoll(2)`, then reads each ready socket once into its
//! [`FrameReader`] and decodes the frames that are complete. A read never blocks (it
//! follows a readiness report and a Unix stream socket has one reader), so a frame that
//! arrives in pieces cannot hold the token hostage: the rest is read on later rounds.
//!
//! Reads go through [`shm::recv_into`], which also collects the file descriptors of
//! shared bodies ([`crate::shm`]); a frame with a shared body is resolved to an
//! ordinary one as it is decoded. [`write_message`] is the other direction.
//!
//! A direct link from another host's task is sealed ([`crate::proto::seal`]): its
//! reader keeps an [`Inbound`] that the reads fill and opens one sealed frame at a time
//! as the frames are taken, so everything read is delivered without waiting for the
//! socket to be readable again.
//!
//! The one `unsafe` block is the syscall std does not offer: `ppoll`.

use std::io::{self, BufWriter, Write};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use bytes::BytesMut;

use crate::proto::buffering::{room_for_small, BIG, KEEP_MAX};
use crate::proto::seal::Inbound;
use crate::proto::{self, Frame, Message, ProtoError, StreamError};
use crate::shm::{self, FdQueue, Shared};

/// How many buffers of large frames are kept for reuse (see
/// [`crate::proto::buffering`]).
const KEEP: usize = 2;

/// One socket's incoming byte stream, cut into frames.
pub(super) struct FrameReader {
    stream: UnixStream,
    buf: BytesMut,
    /// Buffers of earlier large frames, reusable once their messages are dropped.
    spare: Vec<BytesMut>,
    /// Descriptors of shared bodies whose frames are not complete yet.
    fds: FdQueue,
    /// A sealed link's received bytes, opened as frames are taken.
    sealed: Option<Box<Inbound>>,
}

/// What one [`FrameReader::fill`] found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Fill {
    /// Bytes arrived (or the read was interrupted: nothing lost, try again later).
    More,
    /// The peer closed the stream.
    Eof,
}

impl FrameReader {
    /// Reads `stream`, starting with `pending`: bytes that arrived ahead of a handshake.
    pub fn new(stream: UnixStream, pending: BytesMut) -> FrameReader {
        FrameReader {
            stream,
            buf: pending,
            spare: Vec::new(),
            fds: FdQueue::new(),
            sealed: None,
        }
    }

    /// Reads the sealed link `stream` ([`super::tcp_link`]): `inbound` opens what comes,
    /// `pending` holds frames already opened.
    pub fn sealed(stream: UnixStream, inbound: Inbound, pending: BytesMut) -> FrameReader {
        FrameReader {
            sealed: Some(Box::new(inbound)),
            ..FrameReader::new(stream, pending)
        }
    }

    /// The socket, for polling.
    pub fn fd(&self) -> RawFd {
        self.stream.as_raw_fd()
    }

    /// The next complete frame already read, if any.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, ProtoError> {
        loop {
            if let Some(frame) = self.next_buffered()? {
                return Ok(Some(frame));
            }
            if !self.take_opened()? {
                return Ok(None);
            }
        }
    }

    /// A sealed link: moves opened bytes into the frame buffer, up to the end of the
    /// large frame being received (whose buffer then holds it alone), opening the next
    /// sealed frame when none are left. False when nothing more was opened.
    fn take_opened(&mut self) -> Result<bool, ProtoError> {
        let Some(inbound) = self.sealed.as_mut() else {
            return Ok(false);
        };
        if !inbound.has_plain() && !inbound.open_next()? {
            return Ok(false);
        }
        let max = match proto::frame_len(&self.buf)? {
            Some(total) if total > BIG => {
                if self.buf.capacity() < total {
                    self.make_room(total);
                }
                total - self.buf.len()
            }
            _ => usize::MAX,
        };
        let inbound = self.sealed.as_mut().ok_or(ProtoError::Truncated)?;
        Ok(inbound.take(&mut self.buf, max) > 0)
    }

    fn next_buffered(&mut self) -> Result<Option<Frame>, ProtoError> {
        let big = matches!(proto::frame_len(&self.buf), Ok(Some(total)) if total > BIG);
        let frame = proto::decode(&mut self.buf)?;
        if big && frame.is_some() && self.buf.is_empty() {
            // The buffer held exactly this frame (see `fill`): keep its storage.
            let mut spent = std::mem::take(&mut self.buf);
            spent.clear();
            if spent.capacity() <= KEEP_MAX {
                if self.spare.len() == KEEP {
                    self.spare.remove(0);
                }
                self.spare.push(spent);
            }
        }
        Ok(frame.map(|f| shm::resolve(f, &mut self.fds)).transpose()?)
    }

    /// Moves the start of a `total`-byte frame into a buffer with room for all of it,
    /// reusing a kept one whose message is gone.
    fn make_room(&mut self, total: usize) {
        let mut big = match self.spare.iter_mut().position(|b| b.try_reclaim(total)) {
            Some(i) => self.spare.swap_remove(i),
            None => BytesMut::with_capacity(total),
        };
        big.extend_from_slice(&self.buf);
        self.buf = big;
    }

    /// One `read(2)` of what the socket has: at least up to the end of the frame being
    /// received, whose length is known once its first bytes came, so a large body lands
    /// in one buffer of its own size, and no further for a large frame, whose buffer
    /// then holds it alone. Call only when the socket polled readable.
    /// A bad frame length is an error before anything is allocated for it.
    pub fn fill(&mut self) -> Result<Fill, proto::StreamError> {
        if self.sealed.is_some() {
            return self.fill_sealed();
        }
        let len = match proto::frame_len(&self.buf)? {
            Some(total) if total > BIG => {
                // The buffer holds this frame's start and nothing before it (frames
                // are taken out after every read).
                if self.buf.capacity() < total {
                    self.make_room(total);
                }
                total.saturating_sub(self.buf.len())
            }
            known => room_for_small(&mut self.buf, known),
        };
        if len == 0 {
            // A whole frame is already here (bytes that came with a handshake).
            return Ok(Fill::More);
        }
        self.buf.reserve(len);
        let n = match shm::recv_into(self.stream.as_fd(), &mut self.buf, len, &mut self.fds) {
            Ok(n) => n,
            Err(e) => {
                return match e.kind() {
                    io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock => Ok(Fill::More),
                    _ => Err(e.into()),
                }
            }
        };
        if n == 0 {
            return if self.buf.is_empty() {
                Ok(Fill::Eof)
            } else {
                Err(io::Error::from(io::ErrorKind::UnexpectedEof).into())
            };
        }
        Ok(Fill::More)
    }
}

impl FrameReader {
    /// [`FrameReader::fill`] for a sealed link: one read of sealed bytes, opened as
    /// [`FrameReader::next_frame`] takes them.
    fn fill_sealed(&mut self) -> Result<Fill, proto::StreamError> {
        let Some(inbound) = self.sealed.as_mut() else {
            return Ok(Fill::More);
        };
        let raw = inbound.raw_mut(SEALED_READ);
        let n = match shm::recv_into(self.stream.as_fd(), raw, SEALED_READ, &mut self.fds) {
            Ok(n) => n,
            Err(e) => {
                return match e.kind() {
                    io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock => Ok(Fill::More),
                    _ => Err(e.into()),
                }
            }
        };
        if n == 0 {
            // Whole sealed frames are opened now; only a piece of one is an error.
            inbound
                .open_all()
                .and_then(|()| inbound.end())
                .map_err(ProtoError::from)?;
            return Ok(Fill::Eof);
        }
        Ok(Fill::More)
    }
}

/// How much one read of a sealed link asks for.
const SEALED_READ: usize = super::tcp_link::SEALED_READ;

/// Writes a data frame to `w`. With `local` (a Unix socket to pvmd or to a peer of
/// this host) a body of shared size goes as a segment passed with the frame, when one
/// is free; otherwise, and for every other frame, the bytes go through the socket.
pub(super) fn write_message(
    w: &mut BufWriter<UnixStream>,
    msg: &Message,
    local: bool,
) -> Result<(), StreamError> {
    if local {
        if let Some(shared) = shm::share(&msg.body) {
            return write_shared(w, msg, shared);
        }
    }
    proto::write_frame(w, &Frame::Data(msg.clone()))
}

fn write_shared(
    w: &mut BufWriter<UnixStream>,
    msg: &Message,
    shared: Shared,
) -> Result<(), StreamError> {
    let wire = shared.wire(msg)?;
    // What is buffered goes first: frames stay in order.
    w.flush()?;
    let sent = shm::send_with_fd(w.get_ref().as_fd(), &wire, shared.fd())?;
    // The descriptor went with the first bytes: the receiver owns the reference now.
    shared.commit();
    w.write_all(&wire[sent..])?;
    w.flush()?;
    Ok(())
}

/// Reads one frame from the blocking socket `stream` (a handshake), collecting the
/// descriptors that come with it into `fds`; never reads past the frame's end. `None`
/// when the stream ended first.
pub(super) fn read_frame_with_fds(
    stream: &UnixStream,
    buf: &mut BytesMut,
    fds: &mut FdQueue,
) -> Result<Option<Frame>, StreamError> {
    loop {
        if let Some(frame) = proto::decode(buf)? {
            return Ok(Some(frame));
        }
        let want = match proto::frame_len(buf)? {
            Some(total) => total.saturating_sub(buf.len()).max(1),
            // The length prefix first: a descriptor comes with the first byte.
            None => 4usize.saturating_sub(buf.len()).max(1),
        };
        buf.reserve(want);
        match shm::recv_into(stream.as_fd(), buf, want, fds) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// Which of `fds` are ready to read (or hung up, or failed: a read then says which).
/// Waits at most `timeout`, forever when `None`. Interrupted by a signal: nothing ready.
pub(super) fn poll_readable(
    fds: &mut Vec<libc::pollfd>,
    timeout: Option<Duration>,
) -> io::Result<()> {
    for p in fds.iter_mut() {
        p.events = libc::POLLIN;
        p.revents = 0;
    }
    let ts = timeout.map(|d| libc::timespec {
        tv_sec: d.as_secs().min(i32::MAX as u64) as libc::time_t,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    });
    let ts_ptr = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `fds` is a valid array of `fds.len()` pollfd structs that ppoll may
    // update; `ts_ptr` is null or points at a timespec alive for the call; a null
    // signal mask leaves the mask unchanged.
    let r = unsafe {
        libc::ppoll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            ts_ptr,
            std::ptr::null(),
        )
    };
    if r < 0 {
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    Ok(())
}

/// Whether `p` reported something to read (data, hang-up or error).
pub(super) fn is_ready(p: &libc::pollfd) -> bool {
    p.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// A `pollfd` asking for readability of `fd`.
pub(super) fn pollfd(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{encode, Message};
    use crate::tid::Tid;
    use bytes::Bytes;
    use std::io::Write;

    fn data(tag: i32, len: usize) -> Frame {
        Frame::Data(Message {
            src: Tid(0x40001),
            dst: Tid(0x40002),
            tag,
            body: Bytes::from(vec![tag as u8; len]),
            ..Message::default()
        })
    }

    fn ready(r: &FrameReader, timeout: Duration) -> bool {
        let mut fds = vec![pollfd(r.fd())];
        poll_readable(&mut fds, Some(timeout)).expect("poll");
        is_ready(&fds[0])
    }

    #[test]
    fn frames_in_pieces_and_in_bursts() {
        let (mut tx, rx) = UnixStream::pair().expect("pair");
        let mut r = FrameReader::new(rx, BytesMut::new());
        assert!(!ready(&r, Duration::from_millis(1)), "nothing sent yet");
        let mut wire = BytesMut::new();
        encode(&data(1, 3), &mut wire).expect("encode");
        encode(&data(2, 200_000), &mut wire).expect("encode");
        encode(&data(3, 0), &mut wire).expect("encode");
        let writer = std::thread::spawn(move || {
            // The large frame in several writes, as a busy sender would deliver it.
            for piece in wire.chunks(50_000) {
                tx.write_all(piece).expect("write");
            }
            tx
        });
        let mut tags = Vec::new();
        while tags.len() < 3 {
            assert!(ready(&r, Duration::from_secs(10)), "data must come");
            assert_eq!(r.fill().expect("fill"), Fill::More);
            while let Some(Frame::Data(m)) = r.next_frame().expect("decode") {
                assert!(m.body.iter().all(|&b| b == m.tag as u8));
                tags.push(m.tag);
            }
        }
        assert_eq!(tags, [1, 2, 3]);
        drop(writer.join().expect("writer"));
        assert!(ready(&r, Duration::from_secs(10)), "hang-up is readable");
        assert_eq!(r.fill().expect("eof"), Fill::Eof);
    }

    #[test]
    fn cut_frame_and_bad_length_are_errors() {
        let (mut tx, rx) = UnixStream::pair().expect("pair");
        let mut r = FrameReader::new(rx, BytesMut::new());
        tx.write_all(&[0, 0, 0, 9, 1, 0]).expect("write");
        drop(tx);
        assert_eq!(r.fill().expect("first bytes"), Fill::More);
        assert!(r.next_frame().expect("incomplete").is_none());
        assert!(r.fill().is_err(), "end of stream inside a frame");

        let (mut tx, rx) = UnixStream::pair().expect("pair");
        let mut r = FrameReader::new(rx, BytesMut::new());
        tx.write_all(&[0xff, 0xff, 0xff, 0xff, 1]).expect("write");
        assert_eq!(r.fill().expect("read"), Fill::More);
        assert!(
            r.fill().is_err(),
            "a 4 GB frame is refused before allocating"
        );
    }

    #[test]
    fn small_messages_read_one_by_one_share_chunks() {
        let (mut tx, rx) = UnixStream::pair().expect("pair");
        let mut r = FrameReader::new(rx, BytesMut::new());
        let mut kept = Vec::new();
        for tag in 0..200 {
            let mut wire = BytesMut::new();
            encode(&data(tag, 8), &mut wire).expect("encode");
            tx.write_all(&wire).expect("write");
            assert!(ready(&r, Duration::from_secs(10)));
            assert_eq!(r.fill().expect("fill"), Fill::More);
            match r.next_frame().expect("decode") {
                // Kept, as an unreceived message waits in the inbox.
                Some(Frame::Data(m)) => kept.push(m.body),
                other => panic!("expected one frame, got {other:?}"),
            }
        }
        let chunks = 1 + kept
            .windows(2)
            .filter(|w| {
                let (a, b) = (w[0].as_ptr() as usize, w[1].as_ptr() as usize);
                b < a || b - a > crate::proto::buffering::READ_CHUNK
            })
            .count();
        assert!(chunks <= 2, "200 small messages pinned {chunks} chunks");
    }
}
