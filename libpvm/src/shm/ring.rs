//! A single-producer/single-consumer ring of cache-line cells in a sealed memfd.
//!
//! The ring carries *records*, each one or more contiguous 64-byte cells. Its memfd
//! starts with four cache lines of header, one per writer so that neither side's
//! stores invalidate the line the other polls:
//!
//! | line | holds | written by |
//! | --- | --- | --- |
//! | 0 | magic, number of cells | the producer, once, before sharing |
//! | 1 | `head`: cells published, ever | the producer |
//! | 2 | `tail`: cells consumed, ever | the consumer |
//! | 3 | `sleeping`: 1 while the consumer may sleep | both (see below) |
//!
//! A record never wraps: one that does not fit before the end is preceded by a pad
//! record filling the cells up to it. Its first cell begins with a [`HEADER_LEN`]-byte
//! header (sequence number, kind, cell count, payload length, envelope, total body
//! length) and its payload follows, contiguous. The producer writes a record's cells,
//! then publishes them by moving `head` (release); the consumer reads `head` (acquire),
//! copies what it needs out and gives the cells back by moving `tail`.
//!
//! Waking: the consumer that is about to sleep stores `sleeping = 1`, then looks at
//! `head` once more; the producer, after moving `head`, looks at `sleeping` and, when it
//! takes a 1 back to 0, wakes the consumer (the caller's wake-up: an eventfd). Both
//! sides put a sequentially consistent fence between their store and their load, so
//! one of them always sees the other: no wake-up is lost, and none is sent to a
//! consumer that is busy polling.
//!
//! # Trust
//!
//! The peer maps the same memory and may write anything anywhere at any time. The
//! consumer keeps its own copy of the geometry and of `tail`, copies every header out
//! before looking at it, and checks it (sequence, kind, cell count, lengths against
//! the cells it spans and the ring's end, `head` against `tail`): a record that fails
//! is a [`RingError::Corrupt`], after which the link is closed. Nothing the peer writes
//! can make either side read or write outside the mapping.

use std::os::fd::{BorrowedFd, OwnedFd};
use std::sync::atomic::{fence, Ordering};

use super::mapping::Mapping;
use super::ShmError;

/// Bytes per cell: a cache line.
pub const CELL: usize = 64;
/// Header lines before the first cell.
const PREAMBLE: usize = 4 * CELL;
const MAGIC: u64 = u64::from_be_bytes(*b"PVMRING1");
const HEAD: usize = CELL;
const TAIL: usize = 2 * CELL;
const SLEEPING: usize = 3 * CELL;
/// The ring sizes a consumer accepts.
const MIN_CELLS: u32 = 64;
const MAX_CELLS: u32 = 1 << 20;
/// Cells of a ring this library makes: 256 kB.
pub const CELLS: u32 = 4096;

/// Bytes of a record's header, at the start of its first cell.
pub const HEADER_LEN: usize = 40;

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// Fills the cells up to the ring's end; skipped.
    Pad = 1,
    /// A whole message, its body in the record.
    Inline = 2,
    /// A message whose body lies in a segment the consumer has seen before.
    Shared = 3,
    /// As `Shared`, for a segment whose memfd was just passed on the link's socket.
    SharedNewFd = 4,
    /// The first piece of a message too large for one record.
    First = 5,
    /// A further piece of it.
    More = 6,
}

impl Kind {
    fn from_u8(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Pad,
            2 => Kind::Inline,
            3 => Kind::Shared,
            4 => Kind::SharedNewFd,
            5 => Kind::First,
            6 => Kind::More,
            _ => return None,
        })
    }
}

/// A message's envelope as a record carries it (the source is the link's sender).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Envelope {
    pub tag: i32,
    pub ctx: i32,
    pub encoding: i32,
    pub flags: u32,
}

/// A record's header, as copied out of the ring (and not yet trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub seq: u32,
    pub kind: Kind,
    pub cells: u32,
    /// Payload bytes in this record.
    pub len: u32,
    pub env: Envelope,
    /// The whole message body's length (for `Inline`, `len`; for `First` and the
    /// shared kinds, the body's).
    pub total: u64,
}

impl Header {
    fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..4].copy_from_slice(&self.seq.to_le_bytes());
        b[4] = self.kind as u8;
        b[8..12].copy_from_slice(&self.cells.to_le_bytes());
        b[12..16].copy_from_slice(&self.len.to_le_bytes());
        b[16..20].copy_from_slice(&self.env.tag.to_le_bytes());
        b[20..24].copy_from_slice(&self.env.ctx.to_le_bytes());
        b[24..28].copy_from_slice(&self.env.encoding.to_le_bytes());
        b[28..32].copy_from_slice(&self.env.flags.to_le_bytes());
        b[32..40].copy_from_slice(&self.total.to_le_bytes());
        b
    }

    fn decode(b: &[u8; HEADER_LEN]) -> Result<Header, RingError> {
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let kind = Kind::from_u8(b[4]).ok_or(RingError::Corrupt("unknown record kind"))?;
        let mut total = [0u8; 8];
        total.copy_from_slice(&b[32..40]);
        Ok(Header {
            seq: u32_at(0),
            kind,
            cells: u32_at(8),
            len: u32_at(12),
            env: Envelope {
                tag: u32_at(16) as i32,
                ctx: u32_at(20) as i32,
                encoding: u32_at(24) as i32,
                flags: u32_at(28),
            },
            total: u64::from_le_bytes(total),
        })
    }
}

/// How many cells a record with `len` payload bytes spans.
pub fn cells_for(len: usize) -> u64 {
    (HEADER_LEN + len).div_ceil(CELL) as u64
}

/// Why a ring cannot be used (any of these closes its link).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RingError {
    /// The peer wrote something the protocol does not allow.
    #[error("corrupt shared ring: {0}")]
    Corrupt(&'static str),
    /// The consumer is gone (its end of the link's socket closed).
    #[error("the receiving task is gone")]
    PeerGone,
    #[error(transparent)]
    Shm(#[from] ShmError),
}

/// A new ring of `cells` cells (a power of two), for this process to produce into.
pub fn create(cells: u32) -> Result<Mapping, ShmError> {
    debug_assert!(cells.is_power_of_two() && (MIN_CELLS..=MAX_CELLS).contains(&cells));
    let map = Mapping::create(PREAMBLE + cells as usize * CELL)?;
    let mut line = [0u8; 16];
    line[..8].copy_from_slice(&MAGIC.to_le_bytes());
    line[8..12].copy_from_slice(&cells.to_le_bytes());
    map.write_at(0, &line);
    Ok(map)
}

/// The producing side of a ring.
pub struct Producer {
    map: Mapping,
    cells: u64,
    /// Cells published (our copy: `head` in memory is only ever written by us).
    head: u64,
    /// `tail` as last read: the consumer can only have moved it further.
    tail: u64,
    seq: u32,
}

impl Producer {
    /// Produces into `map`, made by [`create`].
    pub fn new(map: Mapping) -> Producer {
        let mut line = [0u8; 12];
        map.read_into(0, &mut line);
        let cells = u32::from_le_bytes([line[8], line[9], line[10], line[11]]);
        Producer {
            map,
            cells: u64::from(cells),
            head: 0,
            tail: 0,
            seq: 0,
        }
    }

    /// The memfd, to pass to the consumer.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.map.fd()
    }

    /// The cells of the ring.
    pub fn cells(&self) -> u64 {
        self.cells
    }

    /// The largest payload one record can carry (a quarter of the ring, so a few
    /// records are always in flight).
    pub fn max_payload(&self) -> usize {
        (self.cells as usize / 4) * CELL - HEADER_LEN
    }

    /// Free cells, reading the consumer's `tail` again when our copy says too few.
    fn free(&mut self, need: u64) -> Result<u64, RingError> {
        let mut used = self.head - self.tail;
        if self.cells - used < need {
            let tail = self.map.atomic_u64(TAIL).load(Ordering::Acquire);
            if tail < self.tail || tail > self.head {
                return Err(RingError::Corrupt("tail moved backwards or past head"));
            }
            self.tail = tail;
            used = self.head - tail;
        }
        Ok(self.cells - used)
    }

    /// Writes one record with `payload` (in up to two pieces, concatenated) if the ring
    /// has room now; `Ok(false)` when it has not (try again once the consumer read).
    pub fn try_push(
        &mut self,
        kind: Kind,
        env: Envelope,
        total: u64,
        payload: &[&[u8]],
    ) -> Result<bool, RingError> {
        let len: usize = payload.iter().map(|p| p.len()).sum();
        assert!(
            len <= self.max_payload(),
            "record larger than the ring allows"
        );
        let need = cells_for(len);
        let pos = self.head % self.cells;
        let pad = if pos + need > self.cells {
            self.cells - pos
        } else {
            0
        };
        if self.free(need + pad)? < need + pad {
            return Ok(false);
        }
        if pad > 0 {
            let h = Header {
                seq: self.seq,
                kind: Kind::Pad,
                cells: pad as u32,
                len: 0,
                env: Envelope::default(),
                total: 0,
            };
            self.map.write_at(cell_offset(pos), &h.encode());
            self.seq = self.seq.wrapping_add(1);
            self.head += pad;
        }
        let at = cell_offset(self.head % self.cells);
        let h = Header {
            seq: self.seq,
            kind,
            cells: need as u32,
            len: len as u32,
            env,
            total,
        };
        self.map.write_at(at, &h.encode());
        let mut off = at + HEADER_LEN;
        for p in payload {
            self.map.write_at(off, p);
            off += p.len();
        }
        self.seq = self.seq.wrapping_add(1);
        self.head += need;
        self.map
            .atomic_u64(HEAD)
            .store(self.head, Ordering::Release);
        Ok(true)
    }

    /// After publishing: whether the consumer sleeps and must be woken. Clears its
    /// flag, so one wake-up serves however many records came meanwhile.
    pub fn take_sleeper(&self) -> bool {
        fence(Ordering::SeqCst);
        let s = self.map.atomic_u32(SLEEPING);
        s.load(Ordering::Relaxed) != 0 && s.swap(0, Ordering::AcqRel) != 0
    }

    /// Whether the consumer has read everything published.
    pub fn drained(&self) -> bool {
        self.map.atomic_u64(TAIL).load(Ordering::Acquire) == self.head
    }
}

fn cell_offset(cell: u64) -> usize {
    PREAMBLE + cell as usize * CELL
}

/// The consuming side of a ring.
pub struct Consumer {
    map: Mapping,
    cells: u64,
    tail: u64,
    seq: u32,
}

impl Consumer {
    /// Consumes the ring in the received memfd `fd`, after checking its geometry.
    pub fn open(fd: OwnedFd) -> Result<Consumer, RingError> {
        let map = Mapping::open_private(fd)?;
        if map.len() < PREAMBLE {
            return Err(RingError::Corrupt("ring smaller than its header"));
        }
        let mut line = [0u8; 16];
        map.read_into(0, &mut line);
        let magic = u64::from_le_bytes(line[..8].try_into().expect("8 bytes"));
        let cells = u32::from_le_bytes(line[8..12].try_into().expect("4 bytes"));
        if magic != MAGIC {
            return Err(RingError::Corrupt("not a ring"));
        }
        if !cells.is_power_of_two() || !(MIN_CELLS..=MAX_CELLS).contains(&cells) {
            return Err(RingError::Corrupt("ring size out of range"));
        }
        if map.len() != PREAMBLE + cells as usize * CELL {
            return Err(RingError::Corrupt("ring size does not match its memfd"));
        }
        let tail = map.atomic_u64(TAIL).load(Ordering::Acquire);
        if tail != 0 || map.atomic_u64(HEAD).load(Ordering::Acquire) != 0 {
            return Err(RingError::Corrupt("a new ring that is not empty"));
        }
        Ok(Consumer {
            map,
            cells: u64::from(cells),
            tail: 0,
            seq: 0,
        })
    }

    /// Cells published and not yet read.
    fn available(&self) -> Result<u64, RingError> {
        let head = self.map.atomic_u64(HEAD).load(Ordering::Acquire);
        let avail = head.wrapping_sub(self.tail);
        if avail > self.cells {
            return Err(RingError::Corrupt("head beyond the ring"));
        }
        Ok(avail)
    }

    /// Whether a record is waiting (garbage counts: reading it reports it).
    pub fn has_data(&self) -> bool {
        self.available() != Ok(0)
    }

    /// Reads the next record, if one is published, handing its header and payload to
    /// `take` before the cells are given back. Pad records are skipped.
    pub fn next<R>(
        &mut self,
        take: impl FnOnce(&Header, &Mapping, usize) -> R,
    ) -> Result<Option<R>, RingError> {
        let mut take = Some(take);
        loop {
            let avail = self.available()?;
            if avail == 0 {
                return Ok(None);
            }
            let pos = self.tail % self.cells;
            let at = cell_offset(pos);
            let mut raw = [0u8; HEADER_LEN];
            self.map.read_into(at, &mut raw);
            let h = Header::decode(&raw)?;
            if h.seq != self.seq {
                return Err(RingError::Corrupt("record out of sequence"));
            }
            let cells = u64::from(h.cells);
            if cells == 0 || cells > avail || pos + cells > self.cells {
                return Err(RingError::Corrupt("record beyond the published cells"));
            }
            if h.kind == Kind::Pad {
                if pos + cells != self.cells || h.len != 0 {
                    return Err(RingError::Corrupt("pad record that does not end the ring"));
                }
            } else if cells_for(h.len as usize) != cells {
                return Err(RingError::Corrupt("record length does not match its cells"));
            }
            let r = match (h.kind, take.take()) {
                (Kind::Pad, t) => {
                    take = t;
                    None
                }
                (_, Some(t)) => Some(t(&h, &self.map, at + HEADER_LEN)),
                (_, None) => None,
            };
            self.seq = self.seq.wrapping_add(1);
            self.tail += cells;
            self.map
                .atomic_u64(TAIL)
                .store(self.tail, Ordering::Release);
            if let Some(r) = r {
                return Ok(Some(r));
            }
        }
    }

    /// About to sleep: raises the flag the producer looks at. `false` when a record came
    /// meanwhile (do not sleep then; the flag is lowered again).
    pub fn prepare_sleep(&self) -> bool {
        self.map.atomic_u32(SLEEPING).store(1, Ordering::Relaxed);
        fence(Ordering::SeqCst);
        if self.has_data() {
            self.awake();
            return false;
        }
        true
    }

    /// Done sleeping (or decided not to): producers need not wake us.
    pub fn awake(&self) {
        self.map.atomic_u32(SLEEPING).store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    fn pair(cells: u32) -> (Producer, Consumer) {
        let p = Producer::new(create(cells).expect("ring"));
        let fd = p.fd().try_clone_to_owned().expect("dup");
        let c = Consumer::open(fd).expect("consumer");
        (p, c)
    }

    fn read(c: &mut Consumer) -> Option<(Header, Vec<u8>)> {
        c.next(|h, map, at| {
            let mut v = vec![0; h.len as usize];
            map.read_into(at, &mut v);
            (*h, v)
        })
        .expect("valid")
    }

    const ENV: Envelope = Envelope {
        tag: 7,
        ctx: 3,
        encoding: 0,
        flags: 0,
    };

    #[test]
    fn records_cross_in_order_and_wrap_around() {
        let (mut p, mut c) = pair(64);
        // 64 cells: records of 3 cells wrap many times, with pads.
        for i in 0..1000u32 {
            let body = vec![i as u8; 100 + (i as usize % 30)];
            assert!(p
                .try_push(Kind::Inline, ENV, body.len() as u64, &[&body])
                .expect("push"));
            let (h, got) = read(&mut c).expect("a record");
            assert_eq!((h.kind, h.env, got), (Kind::Inline, ENV, body));
        }
        assert!(read(&mut c).is_none());
        assert!(p.drained());
    }

    #[test]
    fn a_full_ring_refuses_until_read() {
        let (mut p, mut c) = pair(64);
        let body = [1u8; 600]; // with its header, 10 cells
        let mut pushed = 0;
        while p.try_push(Kind::Inline, ENV, 600, &[&body]).expect("push") {
            pushed += 1;
        }
        assert_eq!(pushed, 6, "six records of 10 cells in 64");
        assert!(read(&mut c).is_some());
        assert!(p.try_push(Kind::Inline, ENV, 600, &[&body]).expect("push"));
    }

    #[test]
    fn sleeping_consumer_is_woken_once() {
        let (mut p, mut c) = pair(64);
        assert!(!p.take_sleeper(), "nobody sleeps yet");
        assert!(c.prepare_sleep());
        p.try_push(Kind::Inline, ENV, 1, &[b"x"]).expect("push");
        assert!(p.take_sleeper(), "the sleeper must be woken");
        assert!(!p.take_sleeper(), "one wake-up is enough");
        assert!(!c.prepare_sleep(), "a record waits: no sleep");
        assert!(read(&mut c).is_some());
    }

    /// Writes raw bytes where the peer could.
    fn scribble(c: &Consumer, offset: usize, bytes: &[u8]) {
        c.map.write_at(offset, bytes);
    }

    #[test]
    fn garbage_in_the_ring_is_an_error_never_a_wild_read() {
        let cases: [(&str, usize, &[u8]); 5] = [
            ("sequence", PREAMBLE, &[9, 9, 9, 9]),
            ("kind", PREAMBLE + 4, &[77]),
            ("cells", PREAMBLE + 8, &[200, 0, 0, 0]),
            ("length", PREAMBLE + 12, &[0, 1, 0, 0]),
            ("zero cells", PREAMBLE + 8, &[0, 0, 0, 0]),
        ];
        for (what, offset, bytes) in cases {
            let (mut p, mut c) = pair(64);
            p.try_push(Kind::Inline, ENV, 5, &[b"hello"]).expect("push");
            scribble(&c, offset, bytes);
            let r = c.next(|_, _, _| ());
            assert!(matches!(r, Err(RingError::Corrupt(_))), "{what}: {r:?}");
        }
        // A head far beyond the tail.
        let (_p, mut c) = pair(64);
        scribble(&c, HEAD, &u64::MAX.to_le_bytes());
        assert!(matches!(c.next(|_, _, _| ()), Err(RingError::Corrupt(_))));
        // A tail the consumer never wrote, seen by the producer.
        let (mut p, c) = pair(64);
        p.try_push(Kind::Inline, ENV, 1, &[b"x"]).expect("push");
        scribble(&c, TAIL, &1000u64.to_le_bytes());
        let big = [0u8; 900];
        let r = (0..10).try_for_each(|_| p.try_push(Kind::Inline, ENV, 900, &[&big]).map(drop));
        assert!(matches!(r, Err(RingError::Corrupt(_))), "{r:?}");
    }

    #[test]
    fn only_sealed_rings_of_the_right_shape_are_taken() {
        let seg = Mapping::create(PREAMBLE + 64 * CELL).expect("memfd");
        let fd = seg.fd().as_fd().try_clone_to_owned().expect("dup");
        assert!(
            matches!(Consumer::open(fd), Err(RingError::Corrupt("not a ring"))),
            "no magic"
        );
        let ring = create(64).expect("ring");
        ring.write_at(8, &100u32.to_le_bytes());
        let fd = ring.fd().try_clone_to_owned().expect("dup");
        assert!(matches!(Consumer::open(fd), Err(RingError::Corrupt(_))));
        let unsealed =
            nix::sys::memfd::memfd_create(c"x", nix::sys::memfd::MemFdCreateFlag::MFD_CLOEXEC)
                .expect("memfd");
        nix::unistd::ftruncate(&unsealed, 8192).expect("size");
        assert!(matches!(
            Consumer::open(unsealed),
            Err(RingError::Shm(ShmError::NotSealed))
        ));
    }
}
