use std::io::Write;
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use super::*;
use crate::shm::ring::{self, CELLS};
use crate::shm::{pool::SEGMENTS, MAX_BODY};
use crate::tid::Tid;

/// A sender and receiver joined as the handshake joins them, with a ring of `cells`.
fn link(cells: u32) -> (RingSender, RingReceiver) {
    let (tx, rx) = UnixStream::pair().expect("pair");
    let producer = Producer::new(ring::create(cells).expect("ring"));
    let fd = producer.fd().try_clone_to_owned().expect("dup");
    let consumer = Consumer::open(fd).expect("consumer");
    let wake = wake_fd().expect("eventfd");
    let sender = RingSender::new(producer, tx, wake);
    let receiver = RingReceiver::new(consumer, rx, &[]).expect("receiver");
    (sender, receiver)
}

fn message(tag: i32, body: Bytes) -> Message {
    Message {
        src: Tid(0x40001),
        dst: Tid(0x40002),
        tag,
        ctx: 5,
        encoding: 1,
        body,
        ..Message::default()
    }
}

fn body(len: usize, seed: u8) -> Bytes {
    Bytes::from(
        (0..len)
            .map(|i| (i as u8).wrapping_mul(29) ^ (i >> 10) as u8 ^ seed)
            .collect::<Vec<_>>(),
    )
}

/// Reads until `n` messages came (or a limit passed).
fn receive(r: &mut RingReceiver, n: usize) -> Result<Vec<Received>, RingError> {
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while out.len() < n {
        r.read_socket()?;
        r.drain(&mut out, usize::MAX)?;
        assert!(Instant::now() < deadline, "only {} of {n} came", out.len());
        std::thread::yield_now();
    }
    Ok(out)
}

#[test]
fn small_large_and_huge_messages_keep_their_order() {
    let (mut s, mut r) = link(CELLS);
    // Inline, by segment (twice through the same segments), in pieces (above
    // MAX_BODY), and empty.
    let sizes = [1, 1000, 65_000, 70_000, 1 << 20, 70_000, MAX_BODY + 5, 0, 3];
    let bodies: Vec<Bytes> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| body(n, i as u8))
        .collect();
    let sent = bodies.clone();
    let sender = std::thread::spawn(move || {
        for (tag, b) in sent.into_iter().enumerate() {
            s.send(&message(tag as i32, b)).expect("send");
        }
        s
    });
    let got = receive(&mut r, sizes.len()).expect("receive");
    let _s = sender.join().expect("sender");
    for (i, (m, b)) in got.iter().zip(&bodies).enumerate() {
        assert_eq!(m.env.tag, i as i32);
        assert_eq!((m.env.ctx, m.env.encoding), (5, 1));
        assert_eq!(m.body.len(), b.len(), "message {i}");
        assert!(m.body == *b, "message {i}'s body");
    }
    assert_eq!(r.fds.len(), 0, "every descriptor taken by its record");
}

#[test]
fn segments_are_passed_once_per_link() {
    let (mut s, mut r) = link(CELLS);
    for i in 0..40u8 {
        s.send(&message(1, body(100_000, i))).expect("send");
        let got = receive(&mut r, 1).expect("receive");
        assert_eq!(got[0].body, body(100_000, i));
    }
    // Other tests share the process's pool, so a segment or more may be theirs.
    assert!(
        s.known.len() <= SEGMENTS,
        "a stream reuses its segments: {:?}",
        s.known
    );
    assert_eq!(
        r.known.len(),
        s.known.len(),
        "both sides know the same segments"
    );
}

#[test]
fn a_sender_that_dies_mid_message_leaves_nothing_half_read() {
    let (mut s, mut r) = link(64);
    // A ring of 64 cells takes a few kB at once: a 1 MB body that no segment can take
    // (the sender's pool is bypassed by sending pieces directly) stops half-way.
    let first = ring::cells_for(100);
    assert!(first < 64);
    s.ring
        .try_push(Kind::First, Envelope::default(), 1 << 20, &[&[7u8; 100]])
        .expect("first piece");
    drop(s);
    assert!(!r.read_socket().expect("socket"), "the sender's end closed");
    let mut out = Vec::new();
    r.drain(&mut out, usize::MAX).expect("drain");
    assert!(out.is_empty(), "an incomplete message is never delivered");
}

#[test]
fn a_receiver_gone_fails_the_sender_instead_of_hanging() {
    let (mut s, r) = link(64);
    drop(r);
    let start = Instant::now();
    let e = s
        .send(&message(1, body(200_000, 1).slice(..60_000)))
        .map(|_| ());
    // 60 kB through a 4 kB ring: the sender waits for room, then sees nobody reads.
    assert_eq!(e, Err(RingError::PeerGone));
    assert!(start.elapsed() < Duration::from_secs(10));
}

/// A receiver whose sender is the test, writing garbage where it likes.
fn hostile() -> (Producer, UnixStream, RingReceiver) {
    let (tx, rx) = UnixStream::pair().expect("pair");
    let producer = Producer::new(ring::create(64).expect("ring"));
    let fd = producer.fd().try_clone_to_owned().expect("dup");
    let r = RingReceiver::new(Consumer::open(fd).expect("consumer"), rx, &[]).expect("rx");
    (producer, tx, r)
}

fn drained(r: &mut RingReceiver) -> Result<Vec<Received>, RingError> {
    let mut out = Vec::new();
    r.read_socket()?;
    r.drain(&mut out, usize::MAX)?;
    Ok(out)
}

fn descriptor(id: u64, offset: u64) -> [u8; 16] {
    let mut d = [0u8; 16];
    d[..8].copy_from_slice(&id.to_le_bytes());
    d[8..].copy_from_slice(&offset.to_le_bytes());
    d
}

#[test]
fn garbage_from_the_peer_closes_the_link_with_an_error() {
    let env = Envelope::default();
    // Bytes on the socket that are not descriptor markers.
    let (_p, mut tx, mut r) = hostile();
    tx.write_all(b"hello").expect("write");
    assert!(matches!(drained(&mut r), Err(RingError::Corrupt(_))));

    // A record naming a segment never passed.
    let (mut p, _tx, mut r) = hostile();
    p.try_push(Kind::Shared, env, 100, &[&descriptor(42, 64)])
        .expect("push");
    assert!(matches!(drained(&mut r), Err(RingError::Corrupt(_))));

    // A record saying a descriptor came, without one.
    let (mut p, _tx, mut r) = hostile();
    p.try_push(Kind::SharedNewFd, env, 100, &[&descriptor(42, 64)])
        .expect("push");
    assert_eq!(
        drained(&mut r).map(|_| ()),
        Err(RingError::Shm(ShmError::MissingFd))
    );

    // A real segment, but a body beyond its end; and one naming another segment.
    for (lie_about_id, offset) in [(false, 1u64 << 40), (true, 64)] {
        let (mut p, tx, mut r) = hostile();
        let seg = Mapping::create(1 << 17).expect("segment");
        seg.acquire();
        send_with_fd(tx.as_fd(), &[FD_BYTE], seg.fd()).expect("pass");
        let id = seg.inode() + u64::from(lie_about_id);
        p.try_push(Kind::SharedNewFd, env, 1000, &[&descriptor(id, offset)])
            .expect("push");
        assert!(drained(&mut r).is_err());
        assert!(
            seg.is_free(),
            "the refused frame's reference was given back"
        );
    }

    // Pieces that do not add up, a piece of no message, an inline record inside one.
    let cases: [&[(Kind, u64, &[u8])]; 3] = [
        &[(Kind::First, 10, b"12345"), (Kind::More, 10, b"1234567")],
        &[(Kind::More, 10, b"12345")],
        &[(Kind::First, 10, b"12345"), (Kind::Inline, 3, b"abc")],
    ];
    for records in cases {
        let (mut p, _tx, mut r) = hostile();
        for &(kind, total, payload) in records {
            p.try_push(kind, env, total, &[payload]).expect("push");
        }
        assert!(
            matches!(drained(&mut r), Err(RingError::Corrupt(_))),
            "{records:?}"
        );
    }
}

#[test]
fn a_sleeping_receiver_is_woken_through_its_eventfd() {
    let (tx, rx) = UnixStream::pair().expect("pair");
    let producer = Producer::new(ring::create(64).expect("ring"));
    let fd = producer.fd().try_clone_to_owned().expect("dup");
    let wake = wake_fd().expect("eventfd");
    let theirs = wake.as_fd().try_clone_to_owned().expect("dup");
    let mut s = RingSender::new(producer, tx, theirs);
    let r = RingReceiver::new(Consumer::open(fd).expect("consumer"), rx, &[]).expect("rx");
    let mut b = [0u8; 8];
    assert!(
        nix::unistd::read(wake.as_raw_fd(), &mut b).is_err(),
        "not signalled yet"
    );
    s.send(&message(1, body(10, 1))).expect("send");
    assert!(
        nix::unistd::read(wake.as_raw_fd(), &mut b).is_err(),
        "a receiver that does not sleep is not woken"
    );
    let mut r = r;
    let mut out = Vec::new();
    r.drain(&mut out, 10).expect("drain");
    assert!(r.prepare_sleep());
    s.send(&message(2, body(10, 2))).expect("send");
    assert_eq!(nix::unistd::read(wake.as_raw_fd(), &mut b), Ok(8), "woken");
}
