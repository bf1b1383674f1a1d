//! The shared-memory ring of same-host direct links, without pvmd: a record written
//! and read by one thread (the cost of the ring itself), and a ping-pong between two
//! threads over a pair of links as two tasks use them (one-way time = half of it).
//! `cargo bench -p pvm-benches --bench ring`.

use std::os::unix::net::UnixStream;
use std::thread;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pvm::proto::Message;
use pvm::shm::channel::{wake_fd, Received, RingReceiver, RingSender};
use pvm::shm::ring::{self, Consumer, Envelope, Kind, Producer};

/// One direction of a link, as the handshake sets it up.
fn link() -> (RingSender, RingReceiver) {
    let (tx, rx) = UnixStream::pair().expect("pair");
    let producer = Producer::new(ring::create(ring::CELLS).expect("ring"));
    let fd = producer.fd().try_clone_to_owned().expect("dup");
    let consumer = Consumer::open(fd).expect("consumer");
    let sender = RingSender::new(producer, tx, wake_fd().expect("eventfd"));
    (
        sender,
        RingReceiver::new(consumer, rx, &[]).expect("receiver"),
    )
}

/// Spins until one message came.
fn take_one(r: &mut RingReceiver, got: &mut Vec<Received>) -> Received {
    loop {
        r.drain(got, 1).expect("drain");
        if let Some(m) = got.pop() {
            return m;
        }
        std::hint::spin_loop();
    }
}

fn records(c: &mut Criterion) {
    let mut p = Producer::new(ring::create(ring::CELLS).expect("ring"));
    let fd = p.fd().try_clone_to_owned().expect("dup");
    let mut cons = Consumer::open(fd).expect("consumer");
    let mut g = c.benchmark_group("ring");
    for len in [8usize, 4096] {
        let body = vec![7u8; len];
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_function(format!("record {len} B, write and read"), |b| {
            b.iter(|| {
                assert!(p
                    .try_push(Kind::Inline, Envelope::default(), len as u64, &[&body])
                    .expect("push"));
                cons.next(|h, _, _| h.len).expect("read").expect("a record")
            })
        });
    }
    g.finish();
}

fn pingpong(c: &mut Criterion) {
    let mut g = c.benchmark_group("ring link");
    for len in [1usize, 1 << 20] {
        let (mut to_echo, mut at_echo) = link();
        let (mut from_echo, mut back) = link();
        let echo = thread::spawn(move || {
            let mut got = Vec::new();
            loop {
                let m = take_one(&mut at_echo, &mut got);
                if m.env.tag == 0 {
                    return;
                }
                let reply = Message {
                    tag: m.env.tag,
                    body: m.body,
                    ..Message::default()
                };
                from_echo.send(&reply).expect("echo");
            }
        });
        let msg = Message {
            tag: 1,
            body: Bytes::from(vec![1u8; len]),
            ..Message::default()
        };
        let mut got = Vec::new();
        g.throughput(Throughput::Bytes(2 * len as u64));
        g.bench_function(format!("round trip {len} B"), |b| {
            b.iter(|| {
                to_echo.send(&msg).expect("send");
                take_one(&mut back, &mut got)
            })
        });
        to_echo
            .send(&Message {
                tag: 0,
                ..Message::default()
            })
            .expect("stop");
        echo.join().expect("echo thread");
    }
    g.finish();
}

criterion_group!(benches, records, pingpong);
criterion_main!(benches);
