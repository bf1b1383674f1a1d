//! How frames are buffered, one policy for the blocking client and the async pvmd:
//! socket buffer sizes, the chunks small frames share, when a frame gets a buffer of
//! its own, and the size of write buffers.
//!
//! Small frames share a chunk until it is nearly full: a frame queued for a busy
//! receiver keeps its whole chunk alive, so a chunk per frame would multiply memory.
//! A frame above [`BIG`] is read into a buffer of its own, which the reader keeps for
//! reuse once the frame was dropped (up to [`KEEP_MAX`]): a stream of 1 MB messages then
//! neither regrows a buffer nor faults fresh pages in for every message.

use std::os::fd::AsFd;

use bytes::BytesMut;

/// Socket buffer asked for in each direction: a 1 MB message then crosses in a few
/// large copies instead of many wake-ups of both ends. The kernel caps it at
/// `net.core.wmem_max` / `rmem_max`; less is not an error.
pub const SOCKET_BUFFER: usize = 2 << 20;

/// How much room to make when the next frame's length is not known yet, and at least
/// how much when it is (so a burst of small frames is read in one call).
pub const READ_CHUNK: usize = 64 * 1024;

/// Below this much room left, a new chunk is made.
pub const MIN_SPARE: usize = 4 * 1024;

/// Frames above this size are read into a buffer of their own.
pub const BIG: usize = 256 * 1024;

/// Buffers of larger frames are not kept for reuse (rare, and held briefly).
pub const KEEP_MAX: usize = 4 << 20;

/// Capacity of the buffered writer in front of a socket.
pub const WRITE_BUFFER: usize = 64 * 1024;

/// Asks for [`SOCKET_BUFFER`]-sized send and receive buffers on `socket`, as far as
/// the system allows; the defaults still work, only slower.
pub fn size_buffers(socket: &impl AsFd) {
    use nix::sys::socket::{setsockopt, sockopt};
    if let Err(e) = setsockopt(socket, sockopt::SndBuf, &SOCKET_BUFFER) {
        tracing::debug!("SO_SNDBUF not raised: {e}");
    }
    if let Err(e) = setsockopt(socket, sockopt::RcvBuf, &SOCKET_BUFFER) {
        tracing::debug!("SO_RCVBUF not raised: {e}");
    }
}

/// Makes room in `buf` for the next read of small frames and returns how much there is:
/// at least the rest of the frame being received when its length `known` is, and a new
/// chunk once the current one is nearly full.
pub fn room_for_small(buf: &mut BytesMut, known: Option<usize>) -> usize {
    let need = known.map_or(0, |total| total.saturating_sub(buf.len()));
    if buf.capacity() - buf.len() < need.max(MIN_SPARE) {
        buf.reserve(need.max(READ_CHUNK));
    }
    buf.capacity() - buf.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_frames_share_a_chunk_until_it_is_nearly_full() {
        let mut buf = BytesMut::new();
        assert!(room_for_small(&mut buf, None) >= READ_CHUNK);
        let cap = buf.capacity();
        buf.extend_from_slice(&[0; 100]);
        assert_eq!(room_for_small(&mut buf, Some(120)), cap - 100);
        assert_eq!(buf.capacity(), cap, "no new chunk while there is room");
        buf.resize(cap - MIN_SPARE + 1, 0);
        assert!(room_for_small(&mut buf, None) >= READ_CHUNK);
    }

    #[test]
    fn a_known_frame_gets_room_for_all_of_it() {
        let mut buf = BytesMut::new();
        assert!(room_for_small(&mut buf, Some(BIG)) >= BIG);
    }
}
