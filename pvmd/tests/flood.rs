//! Flow control end to end: what pvmd holds for a task that does not receive is
//! bounded, its sender waits (its socket fills) while everyone else goes on, nothing is
//! lost or reordered, and nothing deadlocks (a task sending to itself, two tasks
//! flooding each other). Tasks are `Pvm` handles of this process and raw connections;
//! pvmd is the real binary, whose peak memory is read from /proc.

mod api_support;
mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use api_support::{Machine, Task};
use bytes::Bytes;
use common::PATIENCE;
use pvm::constants::PvmDataRaw;
use pvm::proto::Frame;
use pvm::Tid;

const DATA: i32 = 1;
const PING: i32 = 2;
const SIZE: usize = 1024;
/// pvmd's peak memory (RSS) must stay below this whatever the flood's size.
const RSS_BOUND: u64 = 64 << 20;

/// The body of message `seq`: `SIZE` bytes that depend on `seq`, the sequence first.
fn body(seq: u64) -> Bytes {
    let mut b = Vec::with_capacity(SIZE + 8);
    let mut x = seq.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    b.extend_from_slice(&seq.to_be_bytes());
    while b.len() < SIZE {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b.extend_from_slice(&x.to_le_bytes());
    }
    b.truncate(SIZE);
    Bytes::from(b)
}

/// pvmd's peak resident memory so far (VmHWM), in bytes.
fn pvmd_peak_rss(vm: &Machine) -> u64 {
    let pid = vm.pvmd_pid().expect("pvmd runs");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/<pid>/status");
    kb * 1024
}

fn assert_bounded(vm: &Machine) {
    let peak = pvmd_peak_rss(vm);
    assert!(
        peak < RSS_BOUND,
        "pvmd peaked at {} MB (bound {} MB)",
        peak >> 20,
        RSS_BOUND >> 20
    );
    eprintln!("pvmd peak RSS {:.1} MB", peak as f64 / (1 << 20) as f64);
}

/// Sends `count` messages to `to` on a thread of its own; `sent` counts them.
fn flood(task: Task, to: Tid, count: u64, sent: Arc<AtomicU64>) -> thread::JoinHandle<Task> {
    thread::spawn(move || {
        for seq in 0..count {
            task.send_bytes(to, DATA, PvmDataRaw, body(seq))
                .expect("send");
            sent.store(seq + 1, Ordering::SeqCst);
        }
        task
    })
}

/// Receives `count` messages from `from` and checks each is the next, intact.
fn drain(task: &Task, from: Tid, count: u64) {
    for seq in 0..count {
        let m = task.recv_bytes(from.raw(), DATA).expect("recv");
        assert!(
            m.body == body(seq),
            "message {seq} from {from} is not intact or in order"
        );
    }
}

/// Waits until the flood counted by `sent` is done or has stopped moving: its sender
/// is held (or the machine is slow, which only makes the checks after this weaker).
fn wait_until_held(sent: &AtomicU64, total: u64) -> u64 {
    let quiet = Duration::from_secs(1);
    let start = Instant::now();
    let (mut last, mut since) = (sent.load(Ordering::SeqCst), Instant::now());
    loop {
        thread::sleep(Duration::from_millis(20));
        let now = sent.load(Ordering::SeqCst);
        if now == total || (now > 0 && since.elapsed() >= quiet) {
            return now;
        }
        if now != last {
            (last, since) = (now, Instant::now());
        }
        assert!(start.elapsed() < PATIENCE * 3, "the flood never started");
    }
}

#[test]
fn a_flood_to_a_task_that_does_not_receive_waits_in_its_sender_and_arrives_whole() {
    const COUNT: u64 = 200_000;
    const TRIPS: usize = 2000;
    let vm = Machine::start();
    let receiver = Task::join(&vm);
    let sender = Task::join(&vm);
    let (ping, pong) = (Task::join(&vm), Task::join(&vm));
    let to = receiver.mytid().expect("tid");
    let from = sender.mytid().expect("tid");
    let sender_side = sender.0.clone();
    let sent = Arc::new(AtomicU64::new(0));
    let flooding = flood(sender, to, COUNT, Arc::clone(&sent));
    let held = wait_until_held(&sent, COUNT);
    // 200 MB cannot have gone anywhere while nobody received it.
    assert!(held < COUNT, "the sender was never held");
    eprintln!("the sender is held after {held} messages");

    // Another pair goes on meanwhile, through the same pvmd.
    let pong_tid = pong.mytid().expect("tid");
    let ping_tid = ping.mytid().expect("tid");
    let echo = thread::spawn(move || {
        for _ in 0..TRIPS {
            let m = pong.recv_bytes(ping_tid.raw(), PING).expect("ping");
            pong.send_bytes(ping_tid, PING, PvmDataRaw, m.body)
                .expect("pong");
        }
        pong
    });
    for i in 0..TRIPS {
        let b = Bytes::from((i as u64).to_be_bytes().to_vec());
        ping.send_bytes(pong_tid, PING, PvmDataRaw, b.clone())
            .expect("ping");
        let back = ping.recv_bytes(pong_tid.raw(), PING).expect("pong");
        assert_eq!(back.body, b);
    }
    let _pong = echo.join().expect("echo thread");
    // The flooding task still receives while its sends wait.
    ping.send_bytes(from, PING, PvmDataRaw, Bytes::from_static(b"hi"))
        .expect("send to the flooder");
    let m = sender_side.recv_bytes(ping_tid.raw(), PING).expect("recv");
    assert_eq!(&m.body[..], b"hi");
    assert!(
        sent.load(Ordering::SeqCst) < COUNT,
        "the receiver still reads nothing"
    );

    drain(&receiver, from, COUNT);
    let _sender = flooding.join().expect("sender thread");
    assert_bounded(&vm);
}

#[test]
fn a_connection_that_reads_nothing_holds_its_sender_and_loses_nothing() {
    const COUNT: u64 = 100_000;
    let vm = Machine::start();
    let mut raw = vm.attach();
    let sender = Task::join(&vm);
    let from = sender.mytid().expect("tid");
    let sent = Arc::new(AtomicU64::new(0));
    let flooding = flood(sender, raw.tid, COUNT, Arc::clone(&sent));
    assert!(
        wait_until_held(&sent, COUNT) < COUNT,
        "the sender was never held"
    );
    // Other tasks still talk to pvmd and to each other.
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    let b_tid = b.mytid().expect("tid");
    a.send_bytes(b_tid, PING, PvmDataRaw, Bytes::from_static(b"x"))
        .expect("send");
    assert_eq!(&b.recv_bytes(-1, PING).expect("recv").body[..], b"x");
    assert!(
        sent.load(Ordering::SeqCst) < COUNT,
        "the sender was never held"
    );
    for seq in 0..COUNT {
        let m = match raw.read_frame().expect("read") {
            Some(Frame::Data(m)) => m,
            other => panic!("message {seq}: got {other:?}"),
        };
        assert_eq!(m.src, from);
        assert!(
            m.body == body(seq),
            "message {seq} is not intact or in order"
        );
    }
    let _sender = flooding.join().expect("sender thread");
    assert_bounded(&vm);
}

#[test]
fn a_task_flooding_itself_finishes_and_receives_everything() {
    const COUNT: u64 = 50_000;
    let vm = Machine::start();
    let task = Task::join(&vm);
    let me = task.mytid().expect("tid");
    let sent = Arc::new(AtomicU64::new(0));
    let task = flood(task, me, COUNT, sent).join().expect("sender thread");
    drain(&task, me, COUNT);
    assert_bounded(&vm);
}

#[test]
fn two_tasks_flooding_each_other_both_finish() {
    const COUNT: u64 = 50_000;
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    let (a_tid, b_tid) = (a.mytid().expect("tid"), b.mytid().expect("tid"));
    // Each sends everything before it receives anything, as a program whose tasks
    // first hand out all their data does.
    let both = [(a, b_tid), (b, a_tid)].map(|(task, peer)| {
        thread::spawn(move || {
            for seq in 0..COUNT {
                task.send_bytes(peer, DATA, PvmDataRaw, body(seq))
                    .expect("send");
            }
            drain(&task, peer, COUNT);
            task
        })
    });
    for t in both {
        t.join().expect("task thread");
    }
    assert_bounded(&vm);
}
