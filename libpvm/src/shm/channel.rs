//! Messages over a [`ring`](super::ring): one direction of a direct link between two
//! tasks of the same host.
//!
//! The sender makes the ring and passes its memfd with its hello on the link's Unix
//! socket; the receiver answers with its wake-up eventfd (one per task, which its
//! reader also polls with its sockets). From then on the socket carries only the
//! memfds of segments (one marker byte, [`FD_BYTE`], per descriptor) and, by closing,
//! the news that the sender died; every message goes through the ring, so order on the
//! link is the ring's order:
//!
//! - a body of up to a quarter of the ring (and below [`MIN_BODY`](super::MIN_BODY)) is
//!   copied into the record;
//! - a larger one goes by descriptor into the sender's segment pool (one copy, none on
//!   the receiving side, as over sockets), the segment's memfd passed once per link:
//!   both sides keep the same table of the last [`KNOWN`] segments used, updated in the
//!   same order, so a record names a segment the receiver knows, or says its memfd is
//!   on the socket;
//! - a body no segment can take (all in use, or above [`MAX_BODY`](super::MAX_BODY))
//!   is cut into pieces, the sender waiting for room as the receiver reads.
//!
//! The receiver validates what it takes: a descriptor names a known segment and lies
//! inside it, pieces add up to their total, the socket carries only marker bytes with
//! their descriptors. Anything else is a [`RingError`] that closes this link only.

use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use nix::sys::socket::{recv, MsgFlags};

use super::fdpass::{recv_into, send_with_fd, FdQueue};
use super::mapping::{self, Mapping, HEADER};
use super::ring::{Consumer, Envelope, Header, Kind, Producer, RingError};
use super::{share, wants_sharing, ShmError};
use crate::proto::Message;

/// The byte that accompanies each descriptor on a ring link's socket.
pub const FD_BYTE: u8 = b'S';
/// Segments both sides of a link remember (by inode).
pub const KNOWN: usize = 16;
/// The largest message body a receiver assembles from pieces (PVM counts in `int`).
const MAX_MESSAGE: u64 = i32::MAX as u64;
/// How long a sender waiting for room in the ring goes between looks at whether the
/// receiver is still there.
const LIVENESS_EVERY: Duration = Duration::from_millis(2);

/// A new eventfd for this task's reader to sleep on (non-blocking, closed on exec).
pub fn wake_fd() -> Result<OwnedFd, ShmError> {
    // SAFETY: eventfd takes no pointers; a non-negative result is a new descriptor that
    // nobody else owns.
    let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
    if fd < 0 {
        return Err(ShmError::Sys {
            call: "eventfd",
            errno: nix::Error::last(),
        });
    }
    // SAFETY: `fd` was just created and is owned by nothing else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Resets the eventfd `fd` after it woke a poll.
pub fn drain_wake(fd: BorrowedFd<'_>) {
    let mut b = [0u8; 8];
    let _ = nix::unistd::read(fd.as_raw_fd(), &mut b);
}

fn ring_wake(fd: BorrowedFd<'_>) {
    // A full counter (EAGAIN) already wakes the reader.
    let _ = nix::unistd::write(fd, &1u64.to_ne_bytes());
}

/// The sending side of a ring link.
pub struct RingSender {
    ring: Producer,
    sock: UnixStream,
    wake: OwnedFd,
    /// Segments the receiver has the memfd of, least recently used first.
    known: VecDeque<u64>,
}

impl RingSender {
    /// Sends into `ring` (whose memfd the receiver took) over the link `sock`, waking the
    /// receiver through its eventfd `wake`.
    pub fn new(ring: Producer, sock: UnixStream, wake: OwnedFd) -> RingSender {
        RingSender {
            ring,
            sock,
            wake,
            known: VecDeque::new(),
        }
    }

    /// Sends `msg` (its source is the link's). Fails when the receiver is gone or broke
    /// the ring; the link is then useless.
    pub fn send(&mut self, msg: &Message) -> Result<(), RingError> {
        let env = Envelope {
            tag: msg.tag,
            ctx: msg.ctx,
            encoding: msg.encoding,
            flags: msg.flags,
        };
        let body = &msg.body;
        let total = body.len() as u64;
        if body.len() <= self.ring.max_payload() && !wants_sharing(body) {
            return self.push(Kind::Inline, env, total, &[body]);
        }
        if let Some(shared) = share(body) {
            let id = shared.map.inode();
            let kind = if touch(&mut self.known, id) {
                Kind::Shared
            } else {
                self.known.push_back(id);
                if self.known.len() > KNOWN {
                    self.known.pop_front();
                }
                send_with_fd(self.sock.as_fd(), &[FD_BYTE], shared.fd())
                    .map_err(|_| RingError::PeerGone)?;
                Kind::SharedNewFd
            };
            let mut d = [0u8; 16];
            d[..8].copy_from_slice(&id.to_le_bytes());
            d[8..].copy_from_slice(&shared.desc.offset.to_le_bytes());
            self.push(kind, env, total, &[&d])?;
            shared.commit();
            return Ok(());
        }
        let piece = self.ring.max_payload();
        let mut chunks = body.chunks(piece);
        let first = chunks.next().unwrap_or(&[]);
        self.push(Kind::First, env, total, &[first])?;
        for c in chunks {
            self.push(Kind::More, env, total, &[c])?;
        }
        Ok(())
    }

    /// Writes one record, waiting for room while the receiver reads, and wakes the
    /// receiver if it sleeps.
    fn push(
        &mut self,
        kind: Kind,
        env: Envelope,
        total: u64,
        payload: &[&[u8]],
    ) -> Result<(), RingError> {
        let mut tries = 0u32;
        let mut alive_checked = Instant::now();
        while !self.ring.try_push(kind, env, total, payload)? {
            // The receiver may sleep on what came before: it must read to make room.
            self.wake_receiver();
            tries += 1;
            if tries < 64 {
                std::hint::spin_loop();
            } else if tries < 256 {
                thread::yield_now();
            } else {
                thread::sleep(Duration::from_micros(50));
            }
            if alive_checked.elapsed() >= LIVENESS_EVERY {
                if !self.receiver_alive() {
                    return Err(RingError::PeerGone);
                }
                alive_checked = Instant::now();
            }
        }
        self.wake_receiver();
        Ok(())
    }

    fn wake_receiver(&self) {
        if self.ring.take_sleeper() {
            ring_wake(self.wake.as_fd());
        }
    }

    /// Whether the receiver still holds its end of the link.
    fn receiver_alive(&self) -> bool {
        let mut b = [0u8; 1];
        !matches!(
            recv(
                self.sock.as_raw_fd(),
                &mut b,
                MsgFlags::MSG_PEEK | MsgFlags::MSG_DONTWAIT
            ),
            Ok(0) | Err(nix::Error::ECONNRESET | nix::Error::EPIPE | nix::Error::ENOTCONN)
        )
    }
}

/// Moves `id` to the most recent end of `known` if it is there.
fn touch(known: &mut VecDeque<u64>, id: u64) -> bool {
    match known.iter().position(|&k| k == id) {
        Some(i) => {
            known.remove(i);
            known.push_back(id);
            true
        }
        None => false,
    }
}

/// A message taken from a ring: its envelope and body.
#[derive(Debug)]
pub struct Received {
    pub env: Envelope,
    pub body: Bytes,
}

/// A message arriving in pieces.
struct Partial {
    env: Envelope,
    total: u64,
    body: BytesMut,
}

/// The receiving side of a ring link.
pub struct RingReceiver {
    ring: Consumer,
    sock: UnixStream,
    fds: FdQueue,
    scratch: BytesMut,
    /// Segments whose memfd came, least recently used first (as the sender's list).
    known: VecDeque<(u64, Arc<Mapping>)>,
    partial: Option<Partial>,
}

impl RingReceiver {
    /// Receives from `ring` whose memfd came on `sock`; `pending` is what was read from
    /// the socket past the hello (nothing, from a sender that follows the protocol).
    pub fn new(ring: Consumer, sock: UnixStream, pending: &[u8]) -> Result<Self, RingError> {
        sock.set_nonblocking(true)
            .map_err(|_| RingError::Corrupt("link socket unusable"))?;
        check_markers(pending)?;
        Ok(RingReceiver {
            ring,
            sock,
            fds: FdQueue::new(),
            scratch: BytesMut::with_capacity(256),
            known: VecDeque::new(),
            partial: None,
        })
    }

    /// The link's socket, to poll: readable when a descriptor came or the sender left.
    pub fn fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }

    /// Reads what the socket holds (descriptors). `Ok(false)` once the sender closed
    /// it: what the ring still holds is still to be read, then the link is over.
    pub fn read_socket(&mut self) -> Result<bool, RingError> {
        loop {
            self.scratch.clear();
            match recv_into(self.sock.as_fd(), &mut self.scratch, 256, &mut self.fds) {
                Ok(0) => return Ok(false),
                Ok(_) => check_markers(&self.scratch)?,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(true),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(RingError::Corrupt("bad data on the link's socket")),
            }
        }
    }

    /// Whether a record waits in the ring.
    pub fn has_data(&self) -> bool {
        self.ring.has_data()
    }

    /// About to sleep (see [`Consumer::prepare_sleep`]).
    pub fn prepare_sleep(&self) -> bool {
        self.ring.prepare_sleep()
    }

    /// Woke up.
    pub fn awake(&self) {
        self.ring.awake()
    }

    /// Takes up to `max` whole messages from the ring into `out`.
    pub fn drain(&mut self, out: &mut Vec<Received>, max: usize) -> Result<(), RingError> {
        let mut taken = 0;
        while taken < max {
            let RingReceiver {
                ring,
                sock,
                fds,
                known,
                partial,
                ..
            } = self;
            let got = ring.next(|h, map, at| take(h, map, at, sock, fds, known, partial))?;
            match got {
                None => return Ok(()),
                Some(r) => {
                    if let Some(m) = r? {
                        out.push(m);
                        taken += 1;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The socket of a ring link carries only marker bytes.
fn check_markers(bytes: &[u8]) -> Result<(), RingError> {
    if bytes.iter().all(|&b| b == FD_BYTE) {
        Ok(())
    } else {
        Err(RingError::Corrupt(
            "data other than descriptors on the link's socket",
        ))
    }
}

/// What one record means: a whole message, or a piece (then `None` until the last).
fn take(
    h: &Header,
    ring: &Mapping,
    at: usize,
    sock: &UnixStream,
    fds: &mut FdQueue,
    known: &mut VecDeque<(u64, Arc<Mapping>)>,
    partial: &mut Option<Partial>,
) -> Result<Option<Received>, RingError> {
    let len = h.len as usize;
    match h.kind {
        Kind::Inline => {
            if h.total != u64::from(h.len) || partial.is_some() {
                return Err(RingError::Corrupt(
                    "inline record in the middle of a message",
                ));
            }
            let mut v = vec![0u8; len];
            ring.read_into(at, &mut v);
            Ok(Some(Received {
                env: h.env,
                body: Bytes::from(v),
            }))
        }
        Kind::Shared | Kind::SharedNewFd => {
            if len != 16 || partial.is_some() {
                return Err(RingError::Corrupt("bad segment descriptor record"));
            }
            let mut d = [0u8; 16];
            ring.read_into(at, &mut d);
            let id = u64::from_le_bytes(d[..8].try_into().expect("8 bytes"));
            let offset = u64::from_le_bytes(d[8..].try_into().expect("8 bytes"));
            let map = if h.kind == Kind::SharedNewFd {
                let fd = match fds.pop() {
                    Some(fd) => fd,
                    None => {
                        // The descriptor went before the record: it is in the socket.
                        let mut scratch = BytesMut::with_capacity(64);
                        match recv_into(sock.as_fd(), &mut scratch, 64, fds) {
                            Ok(_) => check_markers(&scratch)?,
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                            Err(_) => return Err(ShmError::MissingFd.into()),
                        }
                        fds.pop().ok_or(ShmError::MissingFd)?
                    }
                };
                let map = mapping::open(fd)?;
                if map.inode() != id {
                    // Its reference is the frame's, even for a segment we refuse.
                    map.release();
                    return Err(RingError::Corrupt("descriptor names another segment"));
                }
                known.retain(|(k, _)| *k != id);
                known.push_back((id, Arc::clone(&map)));
                if known.len() > KNOWN {
                    known.pop_front();
                }
                map
            } else {
                let i = known
                    .iter()
                    .position(|(k, _)| *k == id)
                    .ok_or(RingError::Corrupt("record names an unknown segment"))?;
                let entry = known.remove(i).expect("index from position");
                let map = Arc::clone(&entry.1);
                known.push_back(entry);
                map
            };
            let inside = offset >= HEADER as u64
                && offset
                    .checked_add(h.total)
                    .is_some_and(|end| end <= map.len() as u64);
            if !inside {
                map.release();
                return Err(ShmError::BadDescriptor("body beyond the segment").into());
            }
            // Both fit in the mapping's usize length, checked just above.
            Ok(Some(Received {
                env: h.env,
                body: mapping::view(map, offset as usize, h.total as usize),
            }))
        }
        Kind::First => {
            if partial.is_some() || h.total > MAX_MESSAGE || u64::from(h.len) > h.total {
                return Err(RingError::Corrupt("bad first piece of a message"));
            }
            // Grown as pieces come: a lying total costs no more than what is sent.
            let mut body = BytesMut::with_capacity((h.total as usize).min(16 << 20));
            append(ring, at, len, &mut body);
            let p = Partial {
                env: h.env,
                total: h.total,
                body,
            };
            Ok(complete(p, partial))
        }
        Kind::More => {
            let Some(mut p) = partial.take() else {
                return Err(RingError::Corrupt("a piece of no message"));
            };
            if p.body.len() as u64 + u64::from(h.len) > p.total {
                return Err(RingError::Corrupt("pieces longer than their message"));
            }
            append(ring, at, len, &mut p.body);
            Ok(complete(p, partial))
        }
        Kind::Pad => Err(RingError::Corrupt("pad record handed out")),
    }
}

fn append(ring: &Mapping, at: usize, len: usize, body: &mut BytesMut) {
    let start = body.len();
    body.resize(start + len, 0);
    ring.read_into(at, &mut body[start..]);
}

/// The message if its last piece came, else keeps it waiting in `slot`.
fn complete(p: Partial, slot: &mut Option<Partial>) -> Option<Received> {
    if p.body.len() as u64 == p.total {
        Some(Received {
            env: p.env,
            body: p.body.freeze(),
        })
    } else {
        *slot = Some(p);
        None
    }
}

#[cfg(test)]
mod tests;
