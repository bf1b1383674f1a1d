//! Direct task-to-task routes (`PvmRouteDirect`) end to end.

mod api_support;
mod common;

use api_support::{Machine, Task};
use common::PATIENCE;
use pvm::constants::*;
use pvm::pack::{Buffer, Encoding};

/// Sends `range` as numbered messages from `a` to `b`.
fn send_numbered(a: &Task, b: &Task, range: std::ops::Range<i32>) {
    let to = b.mytid().expect("b");
    for i in range {
        a.psend(to, 1, &[i]).expect("send");
    }
}

/// Receives `n` numbered messages and checks they come in order from `first`.
fn expect_numbered(b: &Task, first: i32, n: i32) {
    for want in first..first + n {
        let mut got = [0i32];
        let (_, _, held) = b.precv(-1, 1, &mut got).expect("recv");
        assert_eq!((held, got[0]), (1, want), "message order");
    }
}

#[test]
fn order_is_kept_when_the_sender_switches_to_direct_mid_stream() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    let to = b.mytid().expect("b");
    // A burst through pvmd still in flight when the direct link opens.
    send_numbered(&a, &b, 0..2000);
    assert_eq!(a.setopt(PvmRoute, PvmRouteDirect), Ok(PvmAllowDirect));
    send_numbered(&a, &b, 2000..4000);
    assert_eq!(a.direct_peers(), [to], "the direct link was used");
    expect_numbered(&b, 0, 4000);
    // An open link stays in use whatever the option says (as in PVM), so turning
    // direct routing off cannot reorder what is still in flight.
    a.setopt(PvmRoute, PvmDontRoute).expect("setopt");
    send_numbered(&a, &b, 4000..4100);
    expect_numbered(&b, 4000, 100);
}

#[test]
fn both_directions_direct_with_large_messages() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    for t in [&a, &b] {
        t.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
    }
    let body: Vec<u8> = (0..8u32 << 20).map(|i| (i % 253) as u8).collect();
    let mut send = Buffer::new(Encoding::InPlace);
    send.pack(&body[..]).expect("pack");
    a.send_buf(b.mytid().expect("b"), 2, &mut send)
        .expect("send");
    let mut got = b.recv_msg(-1, 2).expect("recv");
    assert!(got.unpack_bytes(body.len()).expect("unpack")[..] == body[..]);
    b.send_buf(a.mytid().expect("a"), 3, &mut got)
        .expect("send back");
    let mut back = a.recv_msg(-1, 3).expect("recv back");
    assert_eq!(back.len(), body.len());
    assert_eq!(a.direct_peers(), [b.mytid().expect("b")]);
    assert_eq!(b.direct_peers(), [a.mytid().expect("a")]);
    assert!(back.unpack_bytes(body.len()).expect("unpack")[..] == body[..]);
}

#[test]
fn a_receiver_that_refuses_direct_routes_still_gets_everything() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    b.setopt(PvmRoute, PvmDontRoute).expect("setopt b");
    a.setopt(PvmRoute, PvmRouteDirect).expect("setopt a");
    send_numbered(&a, &b, 0..50);
    assert!(a.direct_peers().is_empty(), "refused, so through pvmd");
    expect_numbered(&b, 0, 50);
}

#[test]
fn direct_messages_respect_contexts_and_tags() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    a.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
    let ctx = a.newcontext().expect("newcontext");
    a.setcontext(ctx).expect("setcontext");
    a.psend(b.mytid().expect("b"), 9, &[7i32]).expect("send");
    assert_eq!(
        b.trecv(-1, 9, std::time::Duration::from_millis(200)),
        Ok(None)
    );
    b.setcontext(ctx).expect("setcontext");
    assert!(b.trecv(-1, 9, PATIENCE).expect("recv").is_some());
    assert_eq!(b.unpack::<i32>(), Ok(7));
}
