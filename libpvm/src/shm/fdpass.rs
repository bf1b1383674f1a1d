//! Passing segments' file descriptors along with frames on Unix stream sockets.
//!
//! A frame with a shared body is sent by one `sendmsg` that carries the memfd; the
//! kernel hands it to the receiver no later than the frame's first bytes. The receiver
//! queues the descriptors in arrival order and each such frame takes the oldest.

use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use bytes::BytesMut;
use nix::sys::socket::{sendmsg, ControlMessage, MsgFlags};

use super::ShmError;

/// Descriptors received on one connection and not yet taken by their frames.
#[derive(Debug, Default)]
pub struct FdQueue(VecDeque<OwnedFd>);

impl FdQueue {
    /// More waiting than this means the peer sends descriptors without frames.
    pub const MAX: usize = 64;

    pub fn new() -> FdQueue {
        FdQueue::default()
    }

    /// The oldest descriptor received.
    pub fn pop(&mut self) -> Option<OwnedFd> {
        self.0.pop_front()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Sends `data` with `fd` attached. Returns how much of `data` went (all of it, unless
/// the socket is non-blocking or a signal came: the rest is then written as usual).
pub fn send_with_fd(sock: BorrowedFd<'_>, data: &[u8], fd: BorrowedFd<'_>) -> io::Result<usize> {
    let fds = [fd.as_raw_fd()];
    let cmsg = [ControlMessage::ScmRights(&fds)];
    let iov = [IoSlice::new(data)];
    sendmsg::<()>(sock.as_raw_fd(), &iov, &cmsg, MsgFlags::MSG_NOSIGNAL, None)
        .map_err(io::Error::from)
}

fn invalid(e: ShmError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// Room for the control data of one receive: several descriptors' worth, aligned as
/// `cmsghdr` needs.
#[repr(C, align(8))]
struct Control([u8; 256]);

/// One `recvmsg(2)` of at most `max` bytes into the spare capacity of `buf`, which
/// grows by what was read; descriptors that came with them join `fds`. `Ok(0)` is the
/// end of the stream. Descriptors cut off by the kernel, or too many waiting, are an
/// `InvalidData` error: the stream cannot be trusted any more.
pub fn recv_into(
    sock: BorrowedFd<'_>,
    buf: &mut BytesMut,
    max: usize,
    fds: &mut FdQueue,
) -> io::Result<usize> {
    let spare = buf.spare_capacity_mut();
    let len = spare.len().min(max);
    let mut iov = libc::iovec {
        iov_base: spare.as_mut_ptr().cast(),
        iov_len: len,
    };
    let mut control = Control([0; 256]);
    // SAFETY: msghdr is plain data for which all zeroes (null pointers, zero lengths)
    // is a valid value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.0.as_mut_ptr().cast();
    msg.msg_controllen = control.0.len() as _;
    // SAFETY: `msg` points at one iovec of `len` writable bytes owned by `buf` and at
    // `control`, both alive for the call; the kernel writes only within them.
    let n = unsafe { libc::recvmsg(sock.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: CMSG_FIRSTHDR/CMSG_NXTHDR walk the control data the kernel filled in
    // (msg_controllen was updated to its length); a SCM_RIGHTS message's data is an
    // array of descriptors just installed in this process, each owned by nobody else.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(&msg);
        while !c.is_null() {
            if (*c).cmsg_level == libc::SOL_SOCKET && (*c).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(c).cast::<libc::c_int>();
                let bytes = (*c).cmsg_len as usize - libc::CMSG_LEN(0) as usize;
                for i in 0..bytes / std::mem::size_of::<libc::c_int>() {
                    let raw = std::ptr::read_unaligned(data.add(i));
                    fds.0.push_back(OwnedFd::from_raw_fd(raw));
                }
            }
            c = libc::CMSG_NXTHDR(&msg, c);
        }
    }
    // n >= 0 and n <= len, checked above.
    let n = n as usize;
    // SAFETY: recvmsg initialised the first `n` bytes of the spare capacity.
    unsafe { buf.set_len(buf.len() + n) };
    if msg.msg_flags & libc::MSG_CTRUNC != 0 {
        return Err(invalid(ShmError::FdTruncated));
    }
    if fds.len() > FdQueue::MAX {
        return Err(invalid(ShmError::TooManyFds(FdQueue::MAX)));
    }
    Ok(n)
}
