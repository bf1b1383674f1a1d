//! Large bodies through shared memory, end to end: tasks of this process and a real
//! pvmd. Bodies of every size around the limits arrive intact by both routes; through
//! pvmd a large body is passed on by descriptor (pvmd maps it, never copies it); a
//! stream reuses a few segments; and frames that lie about their segment cost only
//! their own connection.

mod api_support;
mod common;

use std::collections::HashSet;
use std::os::fd::AsFd;

use api_support::{Machine, Task};
use bytes::{Bytes, BytesMut};
use common::Vm;
use pvm::constants::*;
use pvm::proto::{encode, Frame, Message};
use pvm::shm::{self, FLAG_SHARED_BODY, MAX_BODY, MIN_BODY};
use pvm::Tid;

fn body(len: usize, seed: u8) -> Bytes {
    Bytes::from(
        (0..len)
            .map(|i| (i as u8).wrapping_mul(13) ^ (i >> 12) as u8 ^ seed)
            .collect::<Vec<_>>(),
    )
}

/// The inodes of the message segments process `pid` has mapped.
fn segments(pid: u32) -> HashSet<u64> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).expect("maps");
    maps.lines()
        .filter(|l| l.contains("memfd:pvm-message"))
        .filter_map(|l| l.split_whitespace().nth(4)?.parse().ok())
        .collect()
}

#[test]
fn bodies_around_the_limits_arrive_intact_by_both_routes() {
    let sizes = [
        MIN_BODY - 1,
        MIN_BODY,
        300_001,
        1 << 20,
        MAX_BODY,
        MAX_BODY + 1,
    ];
    for route in [PvmDontRoute, PvmRouteDirect] {
        let vm = Machine::start();
        let (a, b) = (Task::join(&vm), Task::join(&vm));
        a.setopt(PvmRoute, route).expect("setopt a");
        b.setopt(PvmRoute, route).expect("setopt b");
        let to = b.mytid().expect("tid");
        // Taken in reverse order: the early ones wait, held, in the inbox meanwhile.
        // The receiver waits in the library from the start: more than a socket holds
        // is sent before it takes anything, and a task outside the library does not
        // read that much (the sender would wait for it, as PVM's does).
        let receiving = std::thread::spawn(move || {
            for (tag, &len) in sizes.iter().enumerate().rev() {
                let m = b.recv_bytes(-1, tag as i32).expect("recv");
                assert!(
                    m.body == body(len, tag as u8),
                    "route {route}: the {len}-byte body arrived changed"
                );
            }
            b
        });
        for (tag, &len) in sizes.iter().enumerate() {
            a.send_bytes(to, tag as i32, PvmDataRaw, body(len, tag as u8))
                .expect("send");
        }
        let _b = receiving.join().expect("receiver");
    }
}

#[test]
fn through_pvmd_a_large_body_is_passed_on_not_copied() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    let pvmd = vm.pvmd_pid().expect("pvmd pid");
    let to = b.mytid().expect("tid");
    let sent = body(1 << 20, 1);
    a.send_bytes(to, 1, PvmDataRaw, sent.clone()).expect("send");
    let m = b.recv_bytes(-1, 1).expect("recv");
    assert!(m.body == sent);
    let ours = segments(std::process::id());
    assert!(!ours.is_empty(), "the body came in a segment");
    let theirs = segments(pvmd);
    assert!(
        theirs.iter().any(|ino| ours.contains(ino)),
        "pvmd mapped the very segment it passed on: {theirs:?} vs {ours:?}"
    );

    // A stream cycles through a few segments instead of making one per message.
    for i in 0..100u8 {
        a.send_bytes(to, 2, PvmDataRaw, body(1 << 20, i))
            .expect("send");
        let m = b.recv_bytes(-1, 2).expect("recv");
        assert!(m.body == body(1 << 20, i), "message {i} changed");
    }
    // Counted in pvmd, which maps every segment it passes on: this process's
    // other tests share the pool but talk to pvmds of their own.
    let used = segments(pvmd);
    assert!(
        used.len() <= 8,
        "100 messages came in {} segments",
        used.len()
    );
}

#[test]
fn a_received_body_sent_on_stays_intact() {
    let vm = Machine::start();
    let (a, b, c) = (Task::join(&vm), Task::join(&vm), Task::join(&vm));
    let (tb, tc) = (b.mytid().expect("b"), c.mytid().expect("c"));
    let sent = body(700_000, 5);
    a.send_bytes(tb, 1, PvmDataRaw, sent.clone()).expect("send");
    let got = b.recv_bytes(-1, 1).expect("recv");
    // b forwards what it got (by reference) and drops its own copy at once.
    b.send_bytes(tc, 2, PvmDataRaw, got.body.slice(100..600_100))
        .expect("forward");
    drop(got);
    // a's next large message may reuse a segment: it must not be the one c holds.
    a.send_bytes(tb, 3, PvmDataRaw, body(700_000, 6))
        .expect("send");
    let later = b.recv_bytes(-1, 3).expect("recv");
    let m = c.recv_bytes(-1, 2).expect("recv");
    assert!(m.body == sent.slice(100..600_100), "forwarded body intact");
    assert!(later.body == body(700_000, 6));
}

/// Sends `frame` on `raw`'s socket with `fd` attached.
fn send_with(raw: &mut common::Raw, frame: &Frame, fd: Option<std::os::fd::BorrowedFd<'_>>) {
    let mut wire = BytesMut::new();
    encode(frame, &mut wire).expect("encode");
    match fd {
        Some(fd) => {
            shm::send_with_fd(raw.stream().as_fd(), &wire, fd).expect("sendmsg");
        }
        None => raw.write_raw(&wire).expect("write"),
    }
}

fn lying_frame(src: Tid, dst: Tid, offset: u64, len: u64) -> Frame {
    let mut desc = BytesMut::new();
    desc.extend_from_slice(&offset.to_be_bytes());
    desc.extend_from_slice(&len.to_be_bytes());
    Frame::Data(Message {
        src,
        dst,
        tag: 1,
        flags: FLAG_SHARED_BODY,
        body: desc.freeze(),
        ..Message::default()
    })
}

fn closed(raw: &mut common::Raw) -> bool {
    loop {
        match raw.read_frame() {
            Ok(Some(Frame::Close { .. })) | Ok(None) | Err(_) => return true,
            Ok(Some(_)) => continue,
        }
    }
}

#[test]
fn lying_shared_frames_cost_only_their_connection() {
    let vm = Vm::start();
    let mut good = vm.attach();
    let victim = good.tid;
    let (pipe_r, _pipe_w) = nix::unistd::pipe().expect("pipe");
    let loose =
        nix::sys::memfd::memfd_create(c"loose", nix::sys::memfd::MemFdCreateFlag::MFD_CLOEXEC)
            .expect("memfd");
    nix::unistd::ftruncate(&loose, 1 << 20).expect("size");
    let sealed = nix::sys::memfd::memfd_create(
        c"sealed",
        nix::sys::memfd::MemFdCreateFlag::MFD_CLOEXEC
            | nix::sys::memfd::MemFdCreateFlag::MFD_ALLOW_SEALING,
    )
    .expect("memfd");
    nix::unistd::ftruncate(&sealed, 128 << 10).expect("size");
    use std::os::fd::AsRawFd;
    nix::fcntl::fcntl(
        sealed.as_raw_fd(),
        nix::fcntl::FcntlArg::F_ADD_SEALS(nix::fcntl::SealFlag::F_SEAL_SHRINK),
    )
    .expect("seal");
    let cases: [(&str, Option<std::os::fd::BorrowedFd<'_>>, u64, u64); 4] = [
        ("no descriptor", None, 64, 10),
        ("a pipe", Some(pipe_r.as_fd()), 64, 10),
        ("an unsealed memfd", Some(loose.as_fd()), 64, 10),
        (
            "a body beyond its segment",
            Some(sealed.as_fd()),
            64,
            1 << 20,
        ),
    ];
    for (what, fd, offset, len) in cases {
        let mut raw = vm.attach();
        let frame = lying_frame(raw.tid, victim, offset, len);
        send_with(&mut raw, &frame, fd);
        assert!(closed(&mut raw), "{what}: pvmd hung up on the liar");
    }
    // Everyone else is still served.
    let mut other = vm.attach();
    other.send(victim, 3, &b"still here"[..]);
    assert_eq!(&good.recv().body[..], b"still here");
}
