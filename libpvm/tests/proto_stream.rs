//! The blocking frame reader and writer over a real socket: short reads, frames split
//! at every boundary, a large body, and a peer that hangs up mid-frame.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::thread;

use bytes::{Bytes, BytesMut};
use pvm::proto::{encode, read_frame, write_frame, Frame, Message, Reply, Request, StreamError};
use pvm::tid::Tid;

fn data(tag: i32, body: Bytes) -> Frame {
    Frame::Data(Message {
        src: Tid(0x40001),
        dst: Tid(0x40002),
        tag,
        body,
        ..Message::default()
    })
}

#[test]
fn frames_trickling_in_a_few_bytes_at_a_time() {
    let frames = vec![
        data(1, Bytes::from_static(b"first")),
        Frame::Request {
            id: 9,
            req: Request::Mstat {
                host: "somewhere".into(),
            },
        },
        Frame::Reply {
            id: 9,
            reply: Reply::Value { value: -6 },
        },
        data(2, Bytes::new()),
    ];
    let mut wire = BytesMut::new();
    for f in &frames {
        encode(f, &mut wire).expect("encode");
    }
    let (mut w, mut r) = UnixStream::pair().expect("socketpair");
    let writer = thread::spawn(move || {
        for chunk in wire.chunks(3) {
            w.write_all(chunk).expect("write chunk");
            w.flush().expect("flush");
        }
    });
    let mut buf = BytesMut::new();
    for f in &frames {
        let got = read_frame(&mut r, &mut buf)
            .expect("read")
            .expect("a frame");
        assert_eq!(&got, f);
    }
    writer.join().expect("writer");
    assert!(read_frame(&mut r, &mut buf).expect("clean end").is_none());
}

#[test]
fn a_large_body_crosses_a_socket_intact() {
    let body = Bytes::from(
        (0..(8usize << 20))
            .map(|i| (i % 253) as u8)
            .collect::<Vec<u8>>(),
    );
    let (mut w, mut r) = UnixStream::pair().expect("socketpair");
    let sent = body.clone();
    let writer = thread::spawn(move || write_frame(&mut w, &data(5, sent)).expect("write"));
    let mut buf = BytesMut::new();
    match read_frame(&mut r, &mut buf).expect("read") {
        Some(Frame::Data(m)) => assert!(m.body == body, "body changed in transit"),
        other => panic!("expected data, got {other:?}"),
    }
    writer.join().expect("writer");
}

#[test]
fn a_peer_hanging_up_mid_frame_is_an_error_not_a_hang() {
    let mut wire = BytesMut::new();
    encode(&data(1, Bytes::from_static(b"cut")), &mut wire).expect("encode");
    let (mut w, mut r) = UnixStream::pair().expect("socketpair");
    w.write_all(&wire[..wire.len() - 1]).expect("write");
    drop(w);
    let mut buf = BytesMut::new();
    assert!(matches!(
        read_frame(&mut r, &mut buf),
        Err(StreamError::Io(_))
    ));
}
