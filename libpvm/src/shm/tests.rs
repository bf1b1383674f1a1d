use std::io::Write;
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;

use super::mapping::HEADER;
use super::pool::{Pool, SEGMENTS};
use super::*;
use crate::proto::{decode, encode, Message};
use crate::tid::Tid;

fn message(body: Bytes) -> Message {
    Message {
        src: Tid(0x40001),
        dst: Tid(0x40002),
        tag: 7,
        body,
        ..Message::default()
    }
}

/// Sends `msg`'s frame with `shared`'s segment over `tx` as the library does.
fn send(tx: &UnixStream, msg: &Message, shared: Shared) {
    let wire = shared.wire(msg).expect("encode");
    let n = send_with_fd(tx.as_fd(), &wire, shared.fd()).expect("sendmsg");
    assert_eq!(n, wire.len());
    shared.commit();
}

/// Reads one frame from `rx`, resolving a shared body.
fn receive(rx: &UnixStream, fds: &mut FdQueue) -> Result<Frame, crate::proto::ProtoError> {
    let mut buf = BytesMut::with_capacity(4096);
    loop {
        if let Some(frame) = decode(&mut buf)? {
            return Ok(resolve(frame, fds)?);
        }
        let n = recv_into(rx.as_fd(), &mut buf, 4096, fds).expect("recvmsg");
        assert!(n > 0, "stream ended before a whole frame");
    }
}

fn body(len: usize, seed: u8) -> Bytes {
    Bytes::from(
        (0..len)
            .map(|i| (i as u8).wrapping_mul(31) ^ seed)
            .collect::<Vec<_>>(),
    )
}

#[test]
fn a_body_crosses_in_shared_memory_and_its_segment_is_reused() {
    let (tx, rx) = UnixStream::pair().expect("pair");
    let mut fds = FdQueue::new();
    let pool = Pool::default();
    let first = body(300_000, 1);
    let (map, offset) = pool.stage(&first).expect("a segment");
    let shared = Shared::new(map, offset, first.len());
    let msg = message(first.clone());
    send(&tx, &msg, shared);
    let Frame::Data(got) = receive(&rx, &mut fds).expect("frame") else {
        panic!("not data");
    };
    assert_eq!(got.body, first);
    assert_eq!(
        got.flags & FLAG_SHARED_BODY,
        0,
        "the receiver sees a plain body"
    );
    assert_eq!((got.tag, got.src), (7, msg.src));
    assert!(fds.is_empty());

    // Held by the receiver: the next body needs a second segment.
    let (second, _) = pool.stage(&body(200_000, 2)).expect("a segment");
    assert_eq!(pool.len(), 2);
    second.release();
    drop(got);
    // Both given back: a third body reuses one of them.
    let (third, _) = pool.stage(&body(100_000, 3)).expect("a segment");
    assert_eq!(pool.len(), 2, "no new segment while old ones are free");
    third.release();
}

#[test]
fn a_received_body_is_sent_on_by_reference() {
    let (tx, rx) = UnixStream::pair().expect("pair");
    let mut fds = FdQueue::new();
    let original = body(MIN_BODY, 9);
    let msg = message(original.clone());
    send(&tx, &msg, share(&original).expect("shared"));
    let Frame::Data(got) = receive(&rx, &mut fds).expect("frame") else {
        panic!("not data");
    };
    // Forwarding what we received takes another reference to the same segment.
    let again = forward(&got.body).expect("found in its segment");
    assert!(
        forward(&original).is_none(),
        "ordinary memory is not a segment"
    );
    let (tx2, rx2) = UnixStream::pair().expect("pair");
    send(&tx2, &got, again);
    drop(got);
    let mut fds2 = FdQueue::new();
    let Frame::Data(echoed) = receive(&rx2, &mut fds2).expect("frame") else {
        panic!("not data");
    };
    assert_eq!(echoed.body, original);
    // A slice of a received body lies in the same segment too.
    assert!(forward(&echoed.body.slice(10..MIN_BODY - 10)).is_some());
}

#[test]
fn the_pool_is_bounded_and_bodies_then_go_inline() {
    let pool = Pool::default();
    let held: Vec<_> = (0..SEGMENTS)
        .map(|i| pool.stage(&body(MIN_BODY, i as u8)).expect("a segment"))
        .collect();
    assert!(pool.stage(&body(MIN_BODY, 99)).is_none(), "all in use");
    held[3].0.release();
    assert!(pool.stage(&body(MIN_BODY, 99)).is_some(), "one came back");
    assert_eq!(pool.len(), SEGMENTS);
}

#[test]
fn small_and_huge_bodies_are_not_shared() {
    assert!(share(&body(MIN_BODY - 1, 0)).is_none());
    assert!(share(&Bytes::from(vec![0u8; MAX_BODY + 1])).is_none());
}

fn shared_frame(desc: Descriptor) -> Frame {
    Frame::Data(Message {
        flags: FLAG_SHARED_BODY,
        body: desc.encode(),
        ..message(Bytes::new())
    })
}

#[test]
fn hostile_shared_frames_are_refused() {
    let desc = Descriptor {
        offset: HEADER as u64,
        len: 10,
    };
    // No descriptor came with the frame.
    let mut none = FdQueue::new();
    assert_eq!(
        resolve(shared_frame(desc), &mut none),
        Err(ShmError::MissingFd)
    );

    // A file that is not a sealed memfd (one end of a socket pair).
    let (tx, rx) = UnixStream::pair().expect("pair");
    let (a, _b) = UnixStream::pair().expect("pair");
    let mut wire = BytesMut::new();
    encode(&shared_frame(desc), &mut wire).expect("encode");
    send_with_fd(tx.as_fd(), &wire, a.as_fd()).expect("sendmsg");
    let mut fds = FdQueue::new();
    assert_eq!(
        receive(&rx, &mut fds),
        Err(ShmError::NotSealed.into()),
        "only sealed memfds are mapped"
    );

    // A memfd that could shrink under the receiver.
    let loose =
        nix::sys::memfd::memfd_create(c"loose", nix::sys::memfd::MemFdCreateFlag::MFD_CLOEXEC)
            .expect("memfd");
    nix::unistd::ftruncate(&loose, 1 << 20).expect("size");
    send_with_fd(tx.as_fd(), &wire, loose.as_fd()).expect("sendmsg");
    assert_eq!(receive(&rx, &mut fds), Err(ShmError::NotSealed.into()));

    // Descriptors pointing outside a real segment.
    let segment = mapping::Mapping::create(128 * 1024).expect("segment");
    for (offset, len, why) in [
        (0, 10, "body overlaps the header"),
        (HEADER as u64, 1 << 20, "body beyond the segment"),
        (u64::MAX - 4, 10, "body beyond the segment"),
    ] {
        let mut wire = BytesMut::new();
        encode(&shared_frame(Descriptor { offset, len }), &mut wire).expect("encode");
        send_with_fd(tx.as_fd(), &wire, segment.fd()).expect("sendmsg");
        assert_eq!(
            receive(&rx, &mut fds),
            Err(ShmError::BadDescriptor(why).into())
        );
    }
    // A descriptor of the wrong length.
    let mut odd = shared_frame(desc);
    if let Frame::Data(m) = &mut odd {
        m.body = Bytes::from_static(b"short");
    }
    let mut wire = BytesMut::new();
    encode(&odd, &mut wire).expect("encode");
    send_with_fd(tx.as_fd(), &wire, segment.fd()).expect("sendmsg");
    assert!(matches!(
        receive(&rx, &mut fds),
        Err(crate::proto::ProtoError::Shared(ShmError::BadDescriptor(_)))
    ));
}

#[test]
fn descriptors_without_frames_are_bounded() {
    let (tx, rx) = UnixStream::pair().expect("pair");
    let segment = mapping::Mapping::create(128 * 1024).expect("segment");
    let writer = std::thread::spawn(move || {
        for _ in 0..=FdQueue::MAX {
            if send_with_fd(tx.as_fd(), b"x", segment.fd()).is_err() {
                break;
            }
        }
        tx
    });
    let mut fds = FdQueue::new();
    let mut buf = BytesMut::with_capacity(4096);
    let refused = (0..10 * FdQueue::MAX).any(|_| {
        matches!(
            recv_into(rx.as_fd(), &mut buf, 4096, &mut fds),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData
        )
    });
    assert!(refused, "a flood of descriptors is an error");
    let mut tx = writer.join().expect("writer");
    let _ = tx.flush();
}
