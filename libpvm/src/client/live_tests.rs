//! The client against a real pvmd: several threads receiving on one handle, timeouts
//! while another thread reads, and a daemon that dies under waiting threads.
//!
//! Each test runs a private pvmd through the workspace's harness (`pvm-harness`), which
//! has cargo build it first.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use bytes::Bytes;
use pvm_harness::PATIENCE;

use crate::constants::{PvmDataRaw, PvmRoute, PvmRouteDirect};
use crate::error::PvmError;
use crate::Pvm;

/// A private pvmd, killed when dropped (also when a test fails).
struct Daemon(pvm_harness::Vm);

impl Daemon {
    fn start() -> Daemon {
        Daemon(pvm_harness::Vm::start())
    }

    /// A new task of this virtual machine (each handle joins as a task of its own).
    fn task(&self) -> Pvm {
        let pvm = Pvm::with_socket(self.0.socket());
        pvm.mytid().expect("join");
        pvm
    }

    fn kill(&mut self) {
        self.0.kill();
    }
}

fn body(text: &str) -> Bytes {
    Bytes::copy_from_slice(text.as_bytes())
}

#[test]
fn threads_receive_on_one_handle_each_its_own_tag() {
    let vm = Daemon::start();
    let (a, b) = (vm.task(), vm.task());
    let sender = b.mytid().expect("tid").raw();
    let waiters: Vec<_> = (1..=4)
        .map(|tag| {
            let a = a.clone();
            thread::spawn(move || a.trecv_bytes(sender, tag, PATIENCE))
        })
        .collect();
    thread::sleep(Duration::from_millis(50));
    let dst = a.mytid().expect("tid");
    for tag in (1..=4).rev() {
        b.send_bytes(dst, tag, PvmDataRaw, body(&format!("for {tag}")))
            .expect("send");
    }
    for (w, tag) in waiters.into_iter().zip(1..) {
        let m = w.join().expect("thread").expect("recv").expect("in time");
        assert_eq!((m.tag, &m.body[..]), (tag, format!("for {tag}").as_bytes()));
    }
    assert_eq!(a.nrecv_bytes(-1, -1).map(|m| m.is_none()), Ok(true));
}

#[test]
fn trecv_times_out_while_another_thread_waits() {
    let vm = Daemon::start();
    let (a, b) = (vm.task(), vm.task());
    let got = Arc::new(AtomicBool::new(false));
    let waiter = {
        let (a, got) = (a.clone(), Arc::clone(&got));
        thread::spawn(move || {
            let r = a.recv_bytes(-1, 1);
            got.store(true, Ordering::SeqCst);
            r
        })
    };
    thread::sleep(Duration::from_millis(50));
    let r = a.trecv_bytes(-1, 2, Duration::from_millis(100));
    assert_eq!(r.map(|m| m.is_none()), Ok(true), "nothing with tag 2 came");
    assert!(!got.load(Ordering::SeqCst), "the other thread still waits");
    // A request (needs a reply read from the same socket) works meanwhile.
    assert_eq!(a.config().map(|hosts| hosts.len()), Ok(1));
    b.send_bytes(a.mytid().expect("tid"), 1, PvmDataRaw, body("one"))
        .expect("send");
    let m = waiter.join().expect("thread").expect("recv");
    assert_eq!(&m.body[..], b"one");
}

#[test]
fn pvmd_killed_under_waiting_threads_is_syserr() {
    let mut vm = Daemon::start();
    let a = vm.task();
    let waiters: Vec<_> = [None, Some(PATIENCE)]
        .into_iter()
        .map(|timeout| {
            let a = a.clone();
            thread::spawn(move || match timeout {
                None => a.recv_bytes(-1, 1).map(|_| ()),
                Some(t) => a.trecv_bytes(-1, 1, t).map(|_| ()),
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(50));
    vm.kill();
    for w in waiters {
        assert_eq!(w.join().expect("thread"), Err(PvmError::SysErr));
    }
    assert_eq!(a.nrecv_bytes(-1, -1).map(|_| ()), Err(PvmError::SysErr));
    assert_eq!(a.config().map(|_| ()), Err(PvmError::SysErr));
}

#[test]
fn direct_route_keeps_order_across_the_switch() {
    let vm = Daemon::start();
    let (a, b) = (vm.task(), vm.task());
    let dst = b.mytid().expect("tid");
    // The first half goes through pvmd, the rest over the direct link.
    for i in 0..100u32 {
        if i == 50 {
            a.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
        }
        let big = if i % 10 == 9 { 1 << 20 } else { 4 };
        let mut data = vec![0u8; big];
        data[..4].copy_from_slice(&i.to_be_bytes());
        a.send_bytes(dst, 7, PvmDataRaw, Bytes::from(data))
            .expect("send");
    }
    assert_eq!(a.direct_peers(), [dst], "the second half went direct");
    let src = a.mytid().expect("tid").raw();
    for i in 0..100u32 {
        let m = b
            .trecv_bytes(src, 7, PATIENCE)
            .expect("recv")
            .expect("in time");
        assert_eq!(m.body[..4], i.to_be_bytes(), "message {i} in order");
    }
}

/// The peers `pvm` reaches through a shared ring.
fn ring_peers(pvm: &Pvm) -> Vec<crate::Tid> {
    pvm.session().expect("joined").links.ring_peers()
}

#[test]
fn same_host_direct_links_are_rings_that_keep_pvms_semantics() {
    let vm = Daemon::start();
    let (a, b) = (vm.task(), vm.task());
    a.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
    let (src, dst) = (a.mytid().expect("tid"), b.mytid().expect("tid"));
    // Inline, by segment, in pieces (above the largest segment), empty.
    let sizes = [
        1usize,
        60_000,
        200_000,
        3 << 20,
        crate::shm::MAX_BODY + 1,
        0,
    ];
    let body_of = |i: usize, len: usize| {
        Bytes::from((0..len).map(|j| (j as u8) ^ (i as u8)).collect::<Vec<_>>())
    };
    for (i, &len) in sizes.iter().enumerate() {
        a.send_bytes(dst, 10 + i as i32, PvmDataRaw, body_of(i, len))
            .expect("send");
    }
    assert_eq!(ring_peers(&a), [dst], "the link is a shared ring");
    // A context of its own: invisible to receives in the default one.
    let ctx = a.newcontext().expect("context");
    a.setcontext(ctx).expect("setcontext");
    a.send_bytes(dst, 99, PvmDataRaw, body("in a context"))
        .expect("send");
    a.setcontext(0).expect("setcontext");
    // A tag asked for first, then the rest in order with wildcards.
    let last = b
        .trecv_bytes(src.raw(), 15, PATIENCE)
        .expect("recv")
        .expect("in time");
    assert!(last.body.is_empty());
    for (i, &len) in sizes.iter().enumerate().take(5) {
        let m = b
            .trecv_bytes(-1, -1, PATIENCE)
            .expect("recv")
            .expect("in time");
        assert_eq!((m.src, m.tag, m.body.len()), (src, 10 + i as i32, len));
        assert!(m.body == body_of(i, len), "message {i}'s body");
    }
    let none = b.trecv_bytes(-1, -1, Duration::from_millis(100));
    assert_eq!(
        none.map(|m| m.is_none()),
        Ok(true),
        "the context's message stays apart"
    );
    b.setcontext(ctx).expect("setcontext");
    let m = b
        .trecv_bytes(-1, -1, PATIENCE)
        .expect("recv")
        .expect("in time");
    assert_eq!((m.tag, &m.body[..]), (99, &b"in a context"[..]));
}

#[test]
fn a_ring_peer_that_exits_is_notified_and_its_link_closes() {
    let vm = Daemon::start();
    let (a, b) = (vm.task(), vm.task());
    a.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
    b.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
    let (ta, tb) = (a.mytid().expect("tid"), b.mytid().expect("tid"));
    a.notify(crate::constants::PvmTaskExit, 66, &[tb])
        .expect("notify");
    b.send_bytes(ta, 1, PvmDataRaw, body("before exit"))
        .expect("send");
    a.send_bytes(tb, 1, PvmDataRaw, body("to b")).expect("send");
    assert_eq!(ring_peers(&a), [tb]);
    assert_eq!(ring_peers(&b), [ta]);
    let m = b
        .trecv_bytes(-1, 1, PATIENCE)
        .expect("recv")
        .expect("in time");
    assert_eq!(&m.body[..], b"to b");
    b.exit().expect("exit");
    let m = a
        .trecv_bytes(-1, 1, PATIENCE)
        .expect("recv")
        .expect("in time");
    assert_eq!(
        &m.body[..],
        b"before exit",
        "what came before the exit is kept"
    );
    let n = a
        .trecv_bytes(-1, 66, PATIENCE)
        .expect("recv")
        .expect("notified");
    assert_eq!(n.tag, 66);
    // Sending to the gone peer fails over to pvmd (which drops or refuses it), never
    // hangs on a ring nobody reads.
    let _ = a.send_bytes(tb, 1, PvmDataRaw, Bytes::from(vec![0u8; 1 << 20]));
    let _ = a.send_bytes(tb, 1, PvmDataRaw, body("late"));
}
