//! The libpvm examples, run for real under a real pvmd, their output checked against
//! what PVM's own examples print.
//!
//! Needs the examples built: `cargo build -p pvm --examples` (`cargo test --workspace`
//! builds them).

mod api_support;
mod common;

use api_support::{run, CaughtOutput, Machine, Task};
use common::example;
use pvm::constants::{PvmTaskDefault, PvmTaskExit};
use pvm::Tid;

#[test]
fn hello_greets_from_its_child() {
    let vm = Machine::start();
    vm.link_example("hello_other");
    let out = run(&vm, &example("hello"), &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "output: {out}");
    let me: Tid = lines[0]
        .strip_prefix("i'm ")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("first line {:?}", lines[0]));
    assert_eq!(me.host(), 1, "first host's task");
    let host = nix::unistd::gethostname().expect("hostname");
    let (from, text) = lines[1].split_once(": ").expect("from line");
    let child: Tid = from
        .strip_prefix("from ")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("second line {:?}", lines[1]));
    assert_ne!(child, me);
    assert_eq!(child.host(), 1);
    assert_eq!(
        text,
        format!("hello, world from {}", host.to_string_lossy())
    );
}

#[test]
fn hello_without_partner_says_so() {
    let vm = Machine::start();
    let out = run(&vm, &example("hello"), &[]);
    assert!(out.ends_with("can't start hello_other\n"), "output: {out}");
}

#[test]
fn master1_collects_every_slave_result() {
    let vm = Machine::start();
    vm.link_example("slave1");
    let out = run(&vm, &example("master1"), &[]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("Spawning 3 worker tasks ... SUCCESSFUL"));
    let mut who_seen = Vec::new();
    for line in lines {
        // "I got 200.000000 from 0; (expecting 200.000000)"
        let rest = line.strip_prefix("I got ").expect("result line");
        let (got, rest) = rest.split_once(" from ").expect("from");
        let (who, expecting) = rest.split_once("; (expecting ").expect("expecting");
        assert_eq!(format!("{got})"), expecting, "{line}");
        who_seen.push(who.parse::<i32>().expect("slave number"));
    }
    who_seen.sort_unstable();
    assert_eq!(who_seen, [0, 1, 2]);
}

#[test]
fn spmd_passes_the_token_around_four_siblings() {
    let vm = Machine::start();
    vm.link_example("spmd");
    let pvm = Task::join(&vm);
    let caught = CaughtOutput::default();
    pvm.catchout(Some(caught.sink())).expect("catchout");
    let spawned = pvm
        .spawn("spmd", &[], PvmTaskDefault, "", 4)
        .expect("spawn");
    let tids: Vec<Tid> = spawned.tids().collect();
    assert_eq!(tids.len(), 4, "{spawned:?}");
    pvm.notify(PvmTaskExit, 99, &tids).expect("notify");
    for _ in 0..4 {
        pvm.trecv(-1, 99, common::PATIENCE)
            .expect("recv")
            .expect("every spmd task exits");
    }
    pvm.exit().expect("exit");
    let text = caught.text();
    let first = tids[0];
    let ring: Vec<String> = tids.iter().map(|t| format!("{:6}", t.raw())).collect();
    let expected = [
        format!("[{first}] BEGIN"),
        format!("[{first}] Pass a token through the   4 tid ring:"),
        format!("[{first}] {} -> {} ", ring.join(" -> "), ring[0]),
        format!("[{first}] token ring done"),
        format!("[{first}] EOF"),
    ];
    let mine: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(&format!("[{first}]")))
        .collect();
    assert_eq!(mine, expected, "caught output:\n{text}");
    for t in &tids[1..] {
        let theirs: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(&format!("[{t}]")))
            .collect();
        assert_eq!(theirs, [format!("[{t}] BEGIN"), format!("[{t}] EOF")]);
    }
}

/// Messages sent to a spawned task before it joined wait in pvmd and follow its welcome
/// at once; a large one travels as a shared body whose descriptor rides along. Each
/// task must still get every one of them (reading the welcome must not swallow the
/// descriptor), and so must answer the ping sent after them. Several tasks, as the
/// loss needs the welcome and the next frame to arrive in one read.
#[test]
fn large_messages_sent_before_a_task_joins_reach_it() {
    use bytes::Bytes;
    use pvm::constants::PvmDataRaw;

    let vm = Machine::start();
    vm.link_example("pingpong");
    let pvm = Task::join(&vm);
    let spawned = pvm
        .spawn("pingpong", &["echo", "pvmd"], PvmTaskDefault, "", 4)
        .expect("spawn");
    let echoes: Vec<Tid> = spawned.tids().collect();
    assert_eq!(echoes.len(), 4, "{spawned:?}");
    pvm.notify(PvmTaskExit, 99, &echoes).expect("notify");
    // Sent at once, before the new processes have joined: 1 MB bodies go shared.
    let bulk = Bytes::from(vec![0x5a_u8; 1 << 20]);
    let ping = Bytes::from_static(b"ping");
    for &echo in &echoes {
        pvm.send_bytes(echo, 2, PvmDataRaw, bulk.clone())
            .expect("bulk");
        pvm.send_bytes(echo, 1, PvmDataRaw, ping.clone())
            .expect("ping");
    }
    for _ in &echoes {
        let back = pvm
            .trecv_bytes(-1, -1, pvm_harness::PATIENCE)
            .expect("receive")
            .expect("an answer within the patience limit");
        assert_eq!(back.tag, 1, "an echo task died instead of answering");
        assert_eq!(back.body, ping);
    }
    for &echo in &echoes {
        pvm.send_bytes(echo, 9, PvmDataRaw, Bytes::new())
            .expect("stop");
    }
}
