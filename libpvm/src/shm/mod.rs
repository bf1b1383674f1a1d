//! Large message bodies through shared memory instead of through sockets.
//!
//! A body of [`MIN_BODY`] to [`MAX_BODY`] bytes sent over a Unix socket (to pvmd, or
//! to a peer of the same host on a direct route) does not go through the socket. The
//! sender copies it once into a *segment*, a sealed memfd it keeps mapped, and sends a
//! data frame with [`FLAG_SHARED_BODY`] whose body is a 16-byte [`Descriptor`] (where in
//! the segment the body lies), passing the memfd with the frame (`SCM_RIGHTS`). The
//! receiver maps the segment and hands out the body without copying it. pvmd routes
//! such a frame by passing the memfd on, so through pvmd a body is copied once instead
//! of four times through two socket pairs, and never touched by pvmd.
//!
//! # Ownership
//!
//! The first 64 bytes of a segment are its header: a reference count of the messages
//! in flight or held that point into it. The sender claims a free segment (its count
//! goes from 0 to 1) before copying into it, and that reference travels with the
//! frame. Whoever holds
//! the mapped body gives it back when the last `Bytes` of it is dropped; sending a
//! mapped body on (pvmd forwarding, a task echoing what it got) takes one more
//! reference first. A segment whose count is back at 0 is free for the sender's next
//! message, so a stream of large messages reuses a few segments, already mapped and
//! faulted in, on both sides ([`mapping`] keeps the receivers' mappings).
//!
//! # Limits and trust
//!
//! A process keeps at most [`pool::SEGMENTS`] segments; while all are in use, a large
//! body goes through the socket as before, whose flow control then applies. Bodies
//! above [`MAX_BODY`] always do, so a rare huge message does not leave a huge segment
//! behind. A receiver maps only a memfd sealed against shrinking and checks the
//! descriptor against its size, so a peer cannot make it fault by truncating the file.
//! The runtime directory is private to the user: segments only ever come from the
//! user's own processes.
//!
//! # Rings
//!
//! A direct link between two tasks of the same host carries its messages in a
//! [`ring`] of cache-line cells in a sealed memfd instead of through its socket
//! ([`channel`]): small bodies are copied into the ring, large ones go by descriptor
//! into the segments above, and the receiver polls the ring before it sleeps on an
//! eventfd the sender signals only when the receiver said it sleeps.

pub mod channel;
mod fdpass;
mod mapping;
mod pool;
pub mod ring;

use std::os::fd::{BorrowedFd, OwnedFd};
use std::sync::Arc;

use bytes::{Buf, BufMut, Bytes, BytesMut};

pub use fdpass::{recv_into, send_with_fd, FdQueue};
use mapping::Mapping;

use crate::proto::{Frame, Message, ProtoError};

/// Data frame flag: the body is a [`Descriptor`] of a segment passed with the frame.
pub const FLAG_SHARED_BODY: u32 = 2;

/// Bodies at least this large travel in shared memory when they can.
pub const MIN_BODY: usize = 64 * 1024;
/// Bodies above this size always go through the socket (or, on a ring, in pieces).
pub const MAX_BODY: usize = 16 << 20;

/// Where in its segment a shared body lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Descriptor {
    pub offset: u64,
    pub len: u64,
}

impl Descriptor {
    /// Size on the wire.
    pub const LEN: usize = 16;

    fn encode(self) -> Bytes {
        let mut b = BytesMut::with_capacity(Self::LEN);
        b.put_u64(self.offset);
        b.put_u64(self.len);
        b.freeze()
    }

    fn decode(mut b: &[u8]) -> Result<Descriptor, ShmError> {
        if b.len() != Self::LEN {
            return Err(ShmError::BadDescriptor("wrong length"));
        }
        Ok(Descriptor {
            offset: b.get_u64(),
            len: b.get_u64(),
        })
    }
}

/// Why a shared body could not be taken. The connection it came on is then closed,
/// as for any other bad frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShmError {
    #[error("a shared-memory message came without its file descriptor")]
    MissingFd,
    #[error("more than {0} file descriptors waiting on one connection")]
    TooManyFds(usize),
    #[error("a file descriptor was cut off in transit")]
    FdTruncated,
    #[error("bad shared-memory descriptor: {0}")]
    BadDescriptor(&'static str),
    #[error("the shared segment is not a memfd sealed against shrinking")]
    NotSealed,
    #[error("{call} failed on a shared segment: {errno}")]
    Sys {
        call: &'static str,
        errno: nix::Error,
    },
}

/// A reference to a body in a segment, on its way out with a frame. Dropped without
/// [`Shared::commit`] (the frame was not sent), it gives its reference back.
pub struct Shared {
    map: Arc<Mapping>,
    desc: Descriptor,
    committed: bool,
}

impl Shared {
    /// The `len` bytes at `offset` of `map`, whose reference the caller took.
    fn new(map: Arc<Mapping>, offset: usize, len: usize) -> Shared {
        Shared {
            map,
            desc: Descriptor {
                offset: offset as u64,
                len: len as u64,
            },
            committed: false,
        }
    }

    /// The memfd to pass with the frame.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.map.fd()
    }

    /// The frame to send in place of `msg`: the same message with the descriptor as
    /// its body.
    pub fn frame(&self, msg: &Message) -> Frame {
        Frame::Data(Message {
            flags: msg.flags | FLAG_SHARED_BODY,
            body: self.desc.encode(),
            ..msg.clone()
        })
    }

    /// The bytes to send, with [`Shared::fd`] attached to the first of them.
    pub fn wire(&self, msg: &Message) -> Result<BytesMut, ProtoError> {
        let mut wire = BytesMut::with_capacity(64);
        crate::proto::encode(&self.frame(msg), &mut wire)?;
        Ok(wire)
    }

    /// The frame went out: its receiver now owns the reference.
    pub fn commit(mut self) {
        self.committed = true;
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        if !self.committed {
            self.map.release();
        }
    }
}

/// Whether `body` is worth sending through shared memory.
pub fn wants_sharing(body: &Bytes) -> bool {
    (MIN_BODY..=MAX_BODY).contains(&body.len())
}

/// A reference to `body` if it already lies in a segment this process mapped (a body
/// it received): sending it on then copies nothing.
pub fn forward(body: &Bytes) -> Option<Shared> {
    let (map, offset) = mapping::find(body)?;
    map.acquire();
    Some(Shared::new(map, offset, body.len()))
}

/// Whether `body` lies in a segment this process mapped (it can go on by descriptor).
pub fn is_shared(body: &Bytes) -> bool {
    wants_sharing(body) && mapping::find(body).is_some()
}

/// `body` in shared memory: forwarded if it already is there, else copied into a free
/// segment of this process. `None` when every segment is in use (send it inline).
pub fn share(body: &Bytes) -> Option<Shared> {
    if !wants_sharing(body) {
        return None;
    }
    forward(body).or_else(|| {
        let (map, offset) = pool::stage(body)?;
        Some(Shared::new(map, offset, body.len()))
    })
}

/// Turns a received data frame that refers to a segment into one carrying its body,
/// taking the segment's memfd from `fds`. Other frames pass unchanged.
pub fn resolve(frame: Frame, fds: &mut FdQueue) -> Result<Frame, ShmError> {
    match frame {
        Frame::Data(mut m) if m.flags & FLAG_SHARED_BODY != 0 => {
            let fd = fds.pop().ok_or(ShmError::MissingFd)?;
            let desc = Descriptor::decode(&m.body)?;
            m.body = attach(fd, desc)?;
            m.flags &= !FLAG_SHARED_BODY;
            Ok(Frame::Data(m))
        }
        other => Ok(other),
    }
}

/// The body `desc` describes in the segment `fd`, mapped (or found mapped already).
fn attach(fd: OwnedFd, desc: Descriptor) -> Result<Bytes, ShmError> {
    let map = mapping::open(fd)?;
    let (offset, len) = (desc.offset, desc.len);
    let bad = if offset < mapping::HEADER as u64 {
        Some("body overlaps the header")
    } else if offset
        .checked_add(len)
        .is_none_or(|end| end > map.len() as u64)
    {
        Some("body beyond the segment")
    } else {
        None
    };
    if let Some(why) = bad {
        // The frame's reference is ours to give back, even for a body we refuse.
        map.release();
        return Err(ShmError::BadDescriptor(why));
    }
    // Both fit in the mapping's usize length, checked just above.
    Ok(mapping::view(map, offset as usize, len as usize))
}

#[cfg(test)]
mod tests;
