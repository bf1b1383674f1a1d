//! The client API's messaging end to end: two tasks in this process (every `Pvm`
//! handle joins as a task of its own) talking through a real pvmd.

mod api_support;
mod common;

use std::time::{Duration, Instant};

use api_support::{Machine, Task};

use pvm::constants::*;
use pvm::pack::{Buffer, Complex32, Complex64, Encoding};
use pvm::{PvmError, Tid};

const SHORT: Duration = Duration::from_millis(200);

fn pair(vm: &Machine) -> (Task, Task) {
    (Task::join(vm), Task::join(vm))
}

#[test]
fn every_type_in_every_encoding_through_a_real_message() {
    let vm = Machine::start();
    let (a, b) = pair(&vm);
    let to = b.mytid().expect("tid");
    for enc in [PvmDataDefault, PvmDataRaw, PvmDataInPlace] {
        a.initsend(enc).expect("initsend");
        a.pack(&-5i8).expect("i8");
        a.pack(&250u8).expect("u8");
        a.pack(&-300i16).expect("i16");
        a.pack(&60000u16).expect("u16");
        a.pack(&-70000i32).expect("i32");
        a.pack(&4_000_000_000u32).expect("u32");
        a.pack(&-(1i64 << 30)).expect("i64");
        a.pack(&(1u64 << 31)).expect("u64");
        a.pack(&1.5f32).expect("f32");
        a.pack(&-2.25f64).expect("f64");
        a.pack(&Complex32::new(1.0, -1.0)).expect("cplx");
        a.pack(&Complex64::new(0.5, 8.0)).expect("dcplx");
        if enc == PvmDataInPlace {
            // Strings cannot be left in place (pack's rule); the rest of the message can.
            assert_eq!(a.pack("x").map(drop), Err(PvmError::NotImpl));
        } else {
            a.pack("a string").expect("str");
        }
        a.pack(&[1i32, 2, 3, 4, 5][..]).expect("slice");
        a.send(to, 10 + enc).expect("send");
    }
    for enc in [PvmDataDefault, PvmDataRaw, PvmDataInPlace] {
        b.recv(-1, 10 + enc).expect("recv");
        assert_eq!(b.unpack::<i8>(), Ok(-5));
        assert_eq!(b.unpack::<u8>(), Ok(250));
        assert_eq!(b.unpack::<i16>(), Ok(-300));
        assert_eq!(b.unpack::<u16>(), Ok(60000));
        assert_eq!(b.unpack::<i32>(), Ok(-70000));
        assert_eq!(b.unpack::<u32>(), Ok(4_000_000_000));
        assert_eq!(b.unpack::<i64>(), Ok(-(1i64 << 30)));
        assert_eq!(b.unpack::<u64>(), Ok(1u64 << 31));
        assert_eq!(b.unpack::<f32>(), Ok(1.5));
        assert_eq!(b.unpack::<f64>(), Ok(-2.25));
        assert_eq!(b.unpack::<Complex32>(), Ok(Complex32::new(1.0, -1.0)));
        assert_eq!(b.unpack::<Complex64>(), Ok(Complex64::new(0.5, 8.0)));
        if enc != PvmDataInPlace {
            assert_eq!(b.unpack::<String>().as_deref(), Ok("a string"));
        }
        assert_eq!(b.unpack_vec::<i32>(5), Ok(vec![1, 2, 3, 4, 5]));
        assert_eq!(b.unpack::<i32>(), Err(PvmError::NoData), "nothing more");
    }
}

#[test]
fn strided_pack_and_unpack() {
    let vm = Machine::start();
    let (a, b) = pair(&vm);
    let mut send = Buffer::new(Encoding::Default);
    send.pk(&[1.0f64, 9.0, 2.0, 9.0, 3.0], 3, 2)
        .expect("stride 2");
    a.send_buf(b.mytid().expect("tid"), 1, &mut send)
        .expect("send");
    let mut got = b.recv_msg(-1, 1).expect("recv");
    let mut out = [0.0f64; 6];
    got.upk(&mut out, 3, 2).expect("unpack stride 2");
    assert_eq!(out, [1.0, 0.0, 2.0, 0.0, 3.0, 0.0]);
}

#[test]
fn recv_matches_source_and_tag_with_wildcards_in_arrival_order() {
    let vm = Machine::start();
    let (a, b) = pair(&vm);
    let c = Task::join(&vm);
    let to = b.mytid().expect("tid");
    for (sender, tag) in [(&a, 1), (&c, 2), (&a, 3), (&c, 1)] {
        sender.initsend(PvmDataDefault).expect("initsend");
        sender.pack(&tag).expect("pack");
        sender.send(to, tag).expect("send");
    }
    let (ta, tc) = (a.mytid().expect("a"), c.mytid().expect("c"));
    let take = |src: Tid, tag: i32| {
        let id = b
            .recv(if src.0 == 0 { -1 } else { src.raw() }, tag)
            .expect("recv");
        let info = b.bufinfo(id).expect("bufinfo");
        (Tid(info.src as u32), info.tag)
    };
    assert_eq!(take(Tid(0), 2), (tc, 2));
    assert_eq!(take(ta, -1), (ta, 1));
    assert_eq!(take(Tid(0), 1), (tc, 1));
    assert_eq!(take(Tid(0), -1), (ta, 3));
    assert_eq!(b.nrecv(-1, -1), Ok(None));
}

#[test]
fn nrecv_trecv_and_probe() {
    let vm = Machine::start();
    let (a, b) = pair(&vm);
    assert_eq!(b.nrecv(-1, -1), Ok(None));
    let t = Instant::now();
    assert_eq!(b.trecv(-1, 7, SHORT), Ok(None));
    assert!(t.elapsed() >= SHORT, "trecv waited its timeout");
    assert_eq!(b.probe(-1, 7), Ok(None));

    a.initsend(PvmDataDefault).expect("initsend");
    a.pack(&42i32).expect("pack");
    a.send(b.mytid().expect("tid"), 7).expect("send");
    let deadline = Instant::now() + common::PATIENCE;
    let probed = loop {
        if let Some(id) = b.probe(-1, 7).expect("probe") {
            break id;
        }
        assert!(Instant::now() < deadline, "the message never showed up");
        std::thread::sleep(Duration::from_millis(5));
    };
    let info = b.bufinfo(probed).expect("bufinfo of probed");
    assert_eq!((info.tag, info.src), (7, a.mytid().expect("a").raw()));
    let id = b
        .trecv(-1, 7, common::PATIENCE)
        .expect("trecv")
        .expect("still queued");
    assert_eq!(b.getrbuf(), id);
    assert_eq!(b.unpack::<i32>(), Ok(42));
    assert_eq!(b.probe(-1, 7), Ok(None), "received, so gone");
}

#[test]
fn psend_precv_and_mcast() {
    let vm = Machine::start();
    let (a, b) = pair(&vm);
    let (c, d) = pair(&vm);
    a.psend(b.mytid().expect("b"), 3, &[1.5f64, 2.5, 3.5])
        .expect("psend");
    let mut out = [0f64; 2];
    let (from, tag, held) = b.precv(-1, 3, &mut out).expect("precv");
    assert_eq!((from, tag, held), (a.mytid().expect("a"), 3, 3));
    assert_eq!(out, [1.5, 2.5], "cut to the room given");

    let me = a.mytid().expect("a");
    let all = [
        me,
        b.mytid().expect("b"),
        c.mytid().expect("c"),
        d.mytid().expect("d"),
    ];
    a.initsend(PvmDataRaw).expect("initsend");
    a.pack("to all").expect("pack");
    a.mcast(&all, 4).expect("mcast");
    for t in [&b, &c, &d] {
        t.trecv(me.raw(), 4, common::PATIENCE)
            .expect("recv")
            .expect("each one gets it");
        assert_eq!(t.unpack::<String>().as_deref(), Ok("to all"));
    }
    assert_eq!(a.trecv(-1, 4, SHORT), Ok(None), "not sent to the sender");
}

#[test]
fn contexts_keep_messages_apart() {
    let vm = Machine::start();
    let (a, b) = pair(&vm);
    let ctx = a.newcontext().expect("newcontext");
    assert_ne!(ctx, PvmBaseContext);
    assert_eq!(a.setcontext(ctx), Ok(PvmBaseContext));
    assert_eq!(a.getcontext(), ctx);
    a.psend(b.mytid().expect("b"), 1, &[1i32])
        .expect("send in ctx");
    assert_eq!(
        b.trecv(-1, -1, SHORT),
        Ok(None),
        "other context: not received"
    );
    b.setcontext(ctx).expect("setcontext");
    assert!(b.trecv(-1, 1, common::PATIENCE).expect("recv").is_some());
    a.setcontext(PvmBaseContext).expect("back to base");
    a.freecontext(ctx).expect("freecontext");
}

#[test]
fn hundred_megabyte_message() {
    let vm = Machine::start();
    let (a, b) = pair(&vm);
    let body: Vec<u8> = (0..100u32 << 20).map(|i| (i % 251) as u8).collect();
    let mut send = Buffer::new(Encoding::Raw);
    send.pack(&body[..]).expect("pack 100 MB");
    a.send_buf(b.mytid().expect("b"), 5, &mut send)
        .expect("send");
    let mut got = b.recv_msg(-1, 5).expect("recv 100 MB");
    assert_eq!(got.len(), body.len());
    let back = got.unpack_bytes(body.len()).expect("unpack");
    assert!(back[..] == body[..], "100 MB arrived intact");
}

#[test]
fn bad_arguments_and_unknown_buffers_are_errors() {
    let vm = Machine::start();
    let a = Task::join(&vm);
    assert_eq!(a.psend(Tid(0), 1, &[1i32]), Err(PvmError::BadParam));
    assert_eq!(
        a.psend(a.mytid().expect("me"), -5, &[1i32]),
        Err(PvmError::BadParam)
    );
    assert_eq!(a.recv(-7, 1), Err(PvmError::BadParam));
    assert_eq!(a.setsbuf(999), Err(PvmError::NoSuchBuf));
    assert_eq!(a.bufinfo(999), Err(PvmError::NoSuchBuf));
    assert_eq!(a.initsend(77), Err(PvmError::BadParam));
    assert_eq!(a.setopt(PvmRoute, 42), Err(PvmError::BadParam));
    assert_eq!(a.parent(), Err(PvmError::NoParent));
}

#[test]
fn a_task_whose_pvmd_dies_gets_syserr_not_a_hang() {
    let vm = Machine::start();
    let a = Task::join(&vm);
    let pid = vm.pvmd_pid().expect("pvmd pid");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::SIGKILL,
    )
    .expect("kill pvmd");
    assert_eq!(a.recv(-1, -1), Err(PvmError::SysErr));
    assert_eq!(a.trecv(-1, -1, common::PATIENCE), Err(PvmError::SysErr));
    assert_eq!(a.config().map(|_| ()), Err(PvmError::SysErr));
}
