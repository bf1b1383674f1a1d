//! pvmd under hostile input: random bytes, frames with random payloads, and valid but
//! arbitrary control requests, each on its own connection. pvmd must keep serving.

mod common;

use bytes::{BufMut, BytesMut};
use common::{Raw, Vm};
use pvm::proto::wire::{Sampler, Wire};
use pvm::proto::{Frame, Reply, Request};
use pvm::tid::Tid;

/// Requests the fuzzer may send: those that signal processes or stop pvmd are left out
/// because the harness's own tasks are processes of this test.
fn harmless(req: &Request) -> bool {
    !matches!(
        req,
        Request::Kill { .. } | Request::SendSig { .. } | Request::Halt {} | Request::Exit {}
    )
}

fn still_serving(vm: &Vm) {
    let mut a = vm.attach();
    let mut b = vm.attach();
    assert!(matches!(
        a.request(Request::Config {}),
        Reply::Config { .. }
    ));
    a.send(b.tid, 3, &b"still here"[..]);
    assert_eq!(&b.recv().body[..], b"still here");
}

#[test]
fn random_bytes_on_many_connections() {
    let vm = Vm::start();
    let mut g = Sampler::new(7);
    for _ in 0..200 {
        let mut raw = Raw::connect(&vm);
        let n = g.below(64) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| g.next_u64() as u8).collect();
        // The peer may already have closed on us: a failed write is fine.
        let _ = raw.write_raw(&bytes);
    }
    still_serving(&vm);
}

#[test]
fn well_framed_garbage_payloads() {
    let vm = Vm::start();
    let mut g = Sampler::new(11);
    for kind in [1u8, 2, 3, 4, 5] {
        for _ in 0..40 {
            let mut raw = vm.attach();
            let n = g.below(48) as usize;
            let mut f = BytesMut::new();
            f.put_u32(1 + n as u32);
            f.put_u8(kind);
            f.extend((0..n).map(|_| g.next_u64() as u8));
            let _ = raw.write_raw(&f);
        }
    }
    still_serving(&vm);
}

#[test]
fn arbitrary_valid_requests_after_hello() {
    let vm = Vm::start();
    let mut g = Sampler::new(23);
    let mut sent = 0;
    for round in 0..20 {
        let mut raw = vm.attach();
        for i in 0..50 {
            let req = Request::sample(&mut g);
            if !harmless(&req) {
                continue;
            }
            raw.send_frame(&Frame::Request {
                id: round * 100 + i,
                req,
            });
            sent += 1;
        }
        // Messages with arbitrary headers to arbitrary tids, too.
        raw.send(Tid::sample(&mut g), i32::sample(&mut g), &b"x"[..]);
    }
    assert!(sent > 500, "only {sent} requests were harmless");
    still_serving(&vm);
}
