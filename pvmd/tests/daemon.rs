//! pvmd end to end: the real daemon, driven with raw protocol frames.

mod common;

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use bytes::{BufMut, Bytes, BytesMut};
use common::{xdr_ints, Raw, Vm};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use pvm::error::PvmError;
use pvm::proto::consts::{PVM_TASK_EXIT, PVM_TASK_HOST};
use pvm::proto::{Claim, Frame, Redirect, Reply, Request, SpawnRequest};
use pvm::tid::Tid;

fn spawn_req(file: &str, count: u32) -> SpawnRequest {
    SpawnRequest {
        file: file.into(),
        count,
        ..SpawnRequest::default()
    }
}

/// Spawns and returns the per-instance results.
fn spawn(raw: &mut Raw, req: SpawnRequest) -> Vec<i32> {
    match raw.request(Request::Spawn { spawn: req }) {
        Reply::Spawned { results } => results,
        other => panic!("spawn answered {other:?}"),
    }
}

fn spawn_one(raw: &mut Raw, file: &str) -> Tid {
    let r = spawn(raw, spawn_req(file, 1));
    Tid::from_raw(r[0]).unwrap_or_else(|| panic!("spawn of {file} failed: {r:?}"))
}

fn task_pid(raw: &mut Raw, tid: Tid) -> Option<i32> {
    match raw.request(Request::Tasks { which: Tid(0) }) {
        Reply::Tasks { tasks } => tasks.iter().find(|t| t.tid == tid).map(|t| t.pid),
        other => panic!("tasks answered {other:?}"),
    }
}

fn alive(pid: i32) -> bool {
    // A zombie still answers kill(0); look at its state too.
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    kill(Pid::from_raw(pid), None).is_ok() && !stat.contains(") Z")
}

/// A spawned task's claim, read from its environment as the task itself would.
fn claim_of(pid: i32) -> Claim {
    let env = std::fs::read(format!("/proc/{pid}/environ")).expect("read task environment");
    let var = |name: &str| -> String {
        env.split(|&b| b == 0)
            .filter_map(|kv| std::str::from_utf8(kv).ok())
            .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .unwrap_or_else(|| panic!("{name} missing from the task's environment"))
            .to_string()
    };
    Claim {
        tid: var("PVM_TASK_TID").parse().expect("tid in hex"),
        key: var("PVM_TASK_KEY").parse().expect("key in decimal"),
    }
}

#[test]
fn second_pvmd_is_refused_with_the_running_pid() {
    let vm = Vm::start();
    let out = vm
        .command(common::pvmd_binary())
        .output()
        .expect("run second pvmd");
    assert!(!out.status.success(), "second pvmd must fail");
    let err = String::from_utf8_lossy(&out.stderr);
    let pid = vm.pvmd_pid().expect("first pvmd runs").to_string();
    assert!(err.contains("already running"), "stderr: {err}");
    assert!(err.contains(&pid), "stderr should name pid {pid}: {err}");
    // The first one is unharmed.
    let mut raw = vm.attach();
    assert!(matches!(
        raw.request(Request::Config {}),
        Reply::Config { .. }
    ));
}

#[test]
fn runtime_directory_is_private_and_an_open_one_is_refused() {
    let vm = Vm::start();
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&vm.runtime_dir()), 0o700);
    assert_eq!(mode(vm.socket()), 0o600);
    drop(vm);

    let vm = Vm::prepare();
    std::fs::create_dir_all(vm.runtime_dir()).expect("mkdir");
    std::fs::set_permissions(vm.runtime_dir(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    let out = vm
        .command(common::pvmd_binary())
        .output()
        .expect("run pvmd");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0700"), "stderr: {err}");
    assert!(!vm.socket().exists());
}

#[test]
fn bad_frames_close_only_their_connection() {
    let vm = Vm::start();
    let mut good = vm.attach();
    let mut peer = vm.attach();

    let expect_closed = |raw: &mut Raw| {
        match raw.read_frame() {
            Ok(Some(Frame::Close { code, reason })) => {
                assert_eq!(code, PvmError::BadMsg.code(), "reason: {reason}");
            }
            other => panic!("expected Close, got {other:?}"),
        }
        assert!(matches!(raw.read_frame(), Ok(None)), "connection must end");
    };

    // Unknown kind.
    let mut a = Raw::connect(&vm);
    a.write_raw(&[0, 0, 0, 1, 0x99]).expect("write");
    expect_closed(&mut a);
    // A length far beyond the maximum: refused before anything is read or allocated.
    let mut b = Raw::connect(&vm);
    b.write_raw(&[0x7f, 0xff, 0xff, 0xff, 1]).expect("write");
    expect_closed(&mut b);
    // A control frame whose body lies about a string's length.
    let mut c = Raw::connect(&vm);
    let mut f = BytesMut::new();
    f.put_u32(1 + 4 + 1 + 4 + 4);
    f.put_u8(2);
    f.put_u32(1);
    f.put_u8(6); // Mstat
    f.put_u32(0xffff_fff0);
    f.put_u32(0);
    c.write_raw(&f).expect("write");
    expect_closed(&mut c);
    // A data frame before hello.
    let mut d = Raw::connect(&vm);
    d.send(Tid(0x40001), 1, &b"x"[..]);
    expect_closed(&mut d);
    // A joined task sending garbage loses its connection and its task entry.
    let mut e = vm.attach();
    let e_tid = e.tid;
    e.write_raw(&[0, 0, 0, 0]).expect("write");
    expect_closed(&mut e);
    // Truncated frame, then the peer hangs up.
    let mut t = Raw::connect(&vm);
    t.write_raw(&[0, 0, 0, 50, 1, 0, 0]).expect("write");
    drop(t);

    // Everyone else is still served, and in order.
    for i in 0..10u8 {
        good.send(peer.tid, 5, vec![i]);
    }
    for i in 0..10u8 {
        let m = peer.recv();
        assert_eq!((m.src, m.tag, &m.body[..]), (good.tid, 5, &[i][..]));
    }
    assert_eq!(task_pid(&mut good, e_tid), None, "bad task removed");
}

#[test]
fn messages_keep_order_and_large_bodies_pass() {
    let vm = Vm::start();
    let mut a = vm.attach();
    let mut b = vm.attach();
    for i in 0..2000u32 {
        a.send(b.tid, 1, Bytes::copy_from_slice(&i.to_be_bytes()));
    }
    for i in 0..2000u32 {
        let m = b.recv();
        assert_eq!(&m.body[..], &i.to_be_bytes(), "message {i} out of order");
    }
    let big: Vec<u8> = (0..100usize << 20).map(|i| (i % 251) as u8).collect();
    let big = Bytes::from(big);
    let sender = std::thread::spawn({
        let big = big.clone();
        move || {
            a.send(Tid(0x40002), 2, big);
            a
        }
    });
    let m = b.recv();
    assert_eq!(m.body.len(), big.len());
    assert!(m.body == big, "100 MB body corrupted");
    drop(sender.join().expect("sender thread"));
    // Routing must not copy the body around: pvmd's peak memory stays a small multiple
    // of the message.
    let pid = vm.pvmd_pid().expect("running");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("pvmd status");
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc status");
    eprintln!("pvmd peak RSS after a 100 MB message: {peak_kb} kB");
    assert!(
        peak_kb < 3 * 100 * 1024,
        "pvmd peak RSS {peak_kb} kB for a 100 MB message"
    );
}

#[test]
fn spawn_of_a_missing_program_is_no_file() {
    let vm = Vm::start();
    let mut raw = vm.attach();
    let r = spawn(&mut raw, spawn_req("no_such_program", 2));
    assert_eq!(r, vec![PvmError::NoFile.code(); 2]);
    let r = spawn(&mut raw, spawn_req("/nonexistent/prog", 1));
    assert_eq!(r, vec![PvmError::NoFile.code()]);
    let mut req = spawn_req("sleep", 1);
    req.flags = PVM_TASK_HOST;
    req.where_ = "no.such.host".into();
    assert_eq!(spawn(&mut raw, req), vec![PvmError::NoHost.code()]);
}

#[test]
fn spawned_task_claims_its_tid_and_gets_queued_messages() {
    let vm = Vm::start();
    vm.script("sleeper", "exec sleep 60");
    let mut parent = vm.attach();
    let r = spawn(&mut parent, spawn_req("sleeper", 2));
    let tids: Vec<Tid> = r
        .iter()
        .map(|&t| Tid::from_raw(t).expect("spawned"))
        .collect();
    assert_eq!(tids.len(), 2);
    // Sent before the task connects: must wait for it.
    parent.send(tids[0], 42, &b"early"[..]);
    let pid = task_pid(&mut parent, tids[0]).expect("listed");
    let claim = claim_of(pid);
    assert_eq!(claim.tid, tids[0]);

    let mut wrong = Raw::connect(&vm);
    let req = Request::Hello {
        pid: 1,
        name: "thief".into(),
        claim: Some(Claim {
            tid: claim.tid,
            key: claim.key.wrapping_add(1),
        }),
    };
    assert!(
        matches!(wrong.request(req), Reply::Error { code, .. } if code == PvmError::Denied.code())
    );

    let mut child = Raw::connect(&vm);
    let w = child.hello(Some(claim));
    assert_eq!(w.tid, tids[0]);
    assert_eq!(w.parent, Some(parent.tid));
    assert_eq!(w.siblings, tids);
    let m = child.recv();
    assert_eq!((m.src, m.tag, &m.body[..]), (parent.tid, 42, &b"early"[..]));
}

#[test]
fn kill_dash_nine_is_noticed_and_subscribers_told() {
    let vm = Vm::start();
    vm.script("sleeper", "exec sleep 60");
    let mut raw = vm.attach();
    let tid = spawn_one(&mut raw, "sleeper");
    let req = Request::Notify {
        what: PVM_TASK_EXIT,
        tag: 77,
        ctx: 0,
        count: 1,
        targets: vec![tid, Tid(0x4ffff)],
    };
    assert_eq!(raw.request(req), Reply::Done {});
    // The already-absent target fires at once.
    let m = raw.recv_tag(77);
    assert_eq!(xdr_ints(&m.body), vec![0x4ffff]);
    let pid = task_pid(&mut raw, tid).expect("listed");
    kill(Pid::from_raw(pid), Signal::SIGKILL).expect("kill -9");
    let m = raw.recv_tag(77);
    assert_eq!(m.src, Tid::pvmd(1));
    assert_eq!(xdr_ints(&m.body), vec![tid.raw()]);
    assert_eq!(task_pid(&mut raw, tid), None);
}

#[test]
fn disconnect_of_an_attached_task_notifies() {
    let vm = Vm::start();
    let mut watcher = vm.attach();
    let other = vm.attach();
    let req = Request::Notify {
        what: PVM_TASK_EXIT,
        tag: 5,
        ctx: 3,
        count: 1,
        targets: vec![other.tid],
    };
    assert_eq!(watcher.request(req), Reply::Done {});
    let gone = other.tid;
    drop(other);
    let m = watcher.recv_tag(5);
    assert_eq!((m.ctx, xdr_ints(&m.body)), (3, vec![gone.raw()]));
}

#[test]
fn output_goes_to_the_log_with_tid_prefixes() {
    let vm = Vm::start();
    vm.script("talker", "echo hello; echo oops >&2; printf 'no newline'");
    let mut raw = vm.attach();
    let tid = spawn_one(&mut raw, "talker");
    let want = [
        format!("[{tid}] hello"),
        format!("[{tid}] oops"),
        format!("[{tid}] no newline"),
    ];
    vm.wait_until("the output is logged", || {
        let log = vm.log();
        want.iter()
            .all(|w| log.lines().any(|l| l.ends_with(w.as_str())))
    });
    assert!(vm.log().lines().all(|l| l.starts_with("[t40000] ")));
}

#[test]
fn output_goes_to_the_output_tid_as_catchout_messages() {
    let vm = Vm::start();
    vm.script("talker", "echo hello");
    let mut raw = vm.attach();
    let mut req = spawn_req("talker", 1);
    req.output = Redirect {
        tid: raw.tid,
        code: 33,
        ctx: 0,
    };
    let tid = Tid::from_raw(spawn(&mut raw, req)[0]).expect("spawned");
    let begin = raw.recv_tag(33);
    assert_eq!(xdr_ints(&begin.body), vec![tid.raw(), -1, raw.tid.raw()]);
    let data = raw.recv_tag(33);
    assert_eq!(xdr_ints(&data.body[..8]), vec![tid.raw(), 6]);
    assert_eq!(&data.body[8..14], b"hello\n");
    let end = raw.recv_tag(33);
    assert_eq!(xdr_ints(&end.body), vec![tid.raw(), 0]);
}

#[test]
fn hostfile_ep_is_the_program_path() {
    let vm = Vm::prepare();
    let bin = vm.home().join("mybin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let prog = bin.join("elsewhere");
    std::fs::write(&prog, "#!/bin/sh\nsleep 60\n").expect("write");
    std::fs::set_permissions(&prog, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let hostfile = vm.home().join("hostfile");
    std::fs::write(
        &hostfile,
        format!("# test\nlocalhost ep={}\n", bin.display()),
    )
    .expect("write");
    let mut cmd = vm.command(common::pvmd_binary());
    cmd.arg(&hostfile).stdout(std::process::Stdio::piped());
    let vm = vm.launch(cmd);
    let mut raw = vm.attach();
    spawn_one(&mut raw, "elsewhere");
}

#[test]
fn bad_hostfile_names_file_and_line() {
    let vm = Vm::prepare();
    let hostfile = vm.home().join("hf");
    std::fs::write(&hostfile, "alpha\nbeta frob=1\n").expect("write");
    let out = vm
        .command(common::pvmd_binary())
        .arg(&hostfile)
        .output()
        .expect("run pvmd");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:2:", hostfile.display())),
        "stderr: {err}"
    );
}

#[test]
fn mailbox_put_get_wait_and_owner_exit() {
    let vm = Vm::start();
    let mut owner = vm.attach();
    let mut reader = vm.attach();
    let get = |name: &str, flags| Request::GetInfo {
        name: name.into(),
        index: 0,
        flags,
    };
    // A waiting recvinfo is answered when the entry appears.
    let mut waiter = vm.attach();
    let wait_id = 1000;
    waiter.send_frame(&Frame::Request {
        id: wait_id,
        req: get("svc", pvm::proto::consts::PVM_MBOX_WAIT_FOR_INFO),
    });
    let put = Request::PutInfo {
        name: "svc".into(),
        flags: 0,
        encoding: 0,
        body: Bytes::from_static(b"addr"),
    };
    assert_eq!(owner.request(put.clone()), Reply::Value { value: 0 });
    match waiter.read_frame() {
        Ok(Some(Frame::Reply {
            id,
            reply: Reply::Info { owner: o, body, .. },
        })) => {
            assert_eq!((id, o, &body[..]), (wait_id, owner.tid, &b"addr"[..]));
        }
        other => panic!("waiting recvinfo got {other:?}"),
    }
    assert!(
        matches!(reader.request(put), Reply::Error { code, .. } if code == PvmError::Exists.code())
    );
    assert!(matches!(reader.request(get("svc", 0)), Reply::Info { .. }));
    drop(owner);
    vm.wait_until("the owner's entry is gone", || {
        matches!(reader.request(get("svc", 0)), Reply::Error { code, .. } if code == PvmError::NotFound.code())
    });
}

#[test]
fn reset_kills_all_but_the_caller_and_no_reset_tasks() {
    let vm = Vm::start();
    vm.script("sleeper", "exec sleep 60");
    let mut console = vm.attach();
    let mut keeper = vm.attach();
    assert_eq!(
        keeper.request(Request::SetOpt {
            opt: pvm::proto::TaskOpt::NoReset { on: true }
        }),
        Reply::Done {}
    );
    let victim = spawn_one(&mut console, "sleeper");
    let pid = task_pid(&mut console, victim).expect("listed");
    assert_eq!(console.request(Request::Reset {}), Reply::Done {});
    vm.wait_until("the spawned task is dead", || !alive(pid));
    assert_eq!(task_pid(&mut console, victim), None);
    assert!(task_pid(&mut console, keeper.tid).is_some());
    let me = console.tid;
    assert!(task_pid(&mut console, me).is_some());
}

#[test]
fn halt_leaves_nothing_running() {
    let mut vm = Vm::start();
    vm.script("sleeper", "sleep 60 & wait");
    let mut raw = vm.attach();
    let tid = spawn_one(&mut raw, "sleeper");
    let pid = task_pid(&mut raw, tid).expect("listed");
    // The script's own child, in the task's process group.
    let mut grandchild = None;
    vm.wait_until("the script started its sleep", || {
        grandchild = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
            .ok()
            .and_then(|s| {
                s.split_whitespace()
                    .next()
                    .and_then(|p| p.parse::<i32>().ok())
            });
        grandchild.is_some()
    });
    let status = vm.halt();
    assert!(status.success(), "pvmd exit status {status}");
    assert!(!vm.socket().exists(), "socket removed");
    vm.wait_until("the task is gone", || !alive(pid));
    let gc = grandchild.expect("found above");
    vm.wait_until("the task's child is gone", || !alive(gc));
    let mut buf = String::new();
    let _ = std::fs::File::open(vm.log_path()).and_then(|mut f| f.read_to_string(&mut buf));
    assert!(buf.contains("halt"), "log: {buf}");
}

#[test]
fn sighup_is_ignored_and_sigterm_halts_cleanly() {
    let mut vm = Vm::start();
    let pid = vm.pvmd_pid().expect("running") as i32;
    // A hang-up (the starting terminal closed) does not stop the virtual machine.
    kill(Pid::from_raw(pid), Signal::SIGHUP).expect("signal pvmd");
    let mut raw = vm.attach();
    assert!(matches!(
        raw.request(Request::Config {}),
        Reply::Config { .. }
    ));
    kill(Pid::from_raw(pid), Signal::SIGTERM).expect("signal pvmd");
    assert!(vm.wait_exit().success());
    assert!(!vm.socket().exists());
}

#[test]
fn direct_sockets_are_looked_up_and_removed_when_their_task_dies() {
    let vm = Vm::start();
    let mut peer = vm.attach();
    let mut task = vm.attach();
    let inside = vm.runtime_dir().join(format!("d{:x}", task.tid.0));
    let _listener = std::os::unix::net::UnixListener::bind(&inside).expect("bind direct socket");
    let path = inside.display().to_string();
    assert_eq!(
        task.request(Request::RegisterDirect { path: path.clone() }),
        Reply::Done {}
    );
    assert_eq!(
        peer.request(Request::LookupDirect { tid: task.tid }),
        Reply::Direct { path: Some(path) }
    );
    // A path outside the runtime directory is never removed by pvmd.
    let mut other = vm.attach();
    let outside = vm.home().join("mine.sock");
    let _l2 = std::os::unix::net::UnixListener::bind(&outside).expect("bind");
    let req = Request::RegisterDirect {
        path: outside.display().to_string(),
    };
    assert_eq!(other.request(req), Reply::Done {});
    drop(task);
    drop(other);
    vm.wait_until("the dead task's socket is removed", || !inside.exists());
    assert!(matches!(
        peer.request(Request::Tasks { which: Tid(0) }),
        Reply::Tasks { tasks } if tasks.len() == 1
    ));
    assert!(outside.exists());
}

#[test]
fn groups_number_members_and_barriers_open_together() {
    use pvm::proto::GroupOp;
    let vm = Vm::start();
    let mut a = vm.attach();
    let mut b = vm.attach();
    let join = |g: &str| Request::Group {
        op: GroupOp::Join { group: g.into() },
    };
    assert_eq!(a.request(join("workers")), Reply::Value { value: 0 });
    assert_eq!(b.request(join("workers")), Reply::Value { value: 1 });
    let size = Request::Group {
        op: GroupOp::Size {
            group: "workers".into(),
        },
    };
    assert_eq!(a.request(size.clone()), Reply::Value { value: 2 });
    let members = Request::Group {
        op: GroupOp::Members {
            group: "workers".into(),
        },
    };
    assert_eq!(
        a.request(members),
        Reply::Tids {
            tids: vec![a.tid, b.tid]
        }
    );
    // a waits at the barrier until b arrives.
    let barrier = Request::Group {
        op: GroupOp::Barrier {
            group: "workers".into(),
            count: 2,
        },
    };
    a.send_frame(&Frame::Request {
        id: 500,
        req: barrier.clone(),
    });
    assert_eq!(b.request(barrier), Reply::Done {});
    match a.read_frame() {
        Ok(Some(Frame::Reply { id: 500, reply })) => assert_eq!(reply, Reply::Done {}),
        other => panic!("barrier reply expected, got {other:?}"),
    }
    // A member that dies leaves the group.
    drop(b);
    vm.wait_until("the dead member left", || {
        a.request(size.clone()) == Reply::Value { value: 1 }
    });
    let gone = Request::Group {
        op: GroupOp::Size {
            group: "nobody".into(),
        },
    };
    assert!(
        matches!(a.request(gone), Reply::Error { code, .. } if code == PvmError::NoGroup.code())
    );
}

#[test]
fn spawned_tasks_get_the_pvm_environment_and_working_directory() {
    let vm = Vm::prepare();
    let wd = vm.home().join("work");
    std::fs::create_dir_all(&wd).expect("mkdir");
    let hostfile = vm.home().join("hostfile");
    std::fs::write(&hostfile, format!("* wd={}\nlocalhost\n", wd.display())).expect("write");
    let mut cmd = vm.command(common::pvmd_binary());
    cmd.arg(&hostfile).stdout(std::process::Stdio::piped());
    let vm = vm.launch(cmd);
    vm.script(
        "envtest",
        r#"echo "arch=$PVM_ARCH root=$PVM_ROOT foo=$FOO wd=$(pwd) args=$*""#,
    );
    let mut raw = vm.attach();
    let mut req = spawn_req("envtest", 1);
    req.env = vec!["FOO=bar baz".into()];
    req.argv = vec!["one".into(), "two".into()];
    req.flags = pvm::proto::consts::PVM_TASK_ARCH;
    req.where_ = "LINUX64".into();
    let tid = Tid::from_raw(spawn(&mut raw, req)[0]).expect("spawned");
    let want = format!(
        "[{tid}] arch=LINUX64 root={} foo=bar baz wd={} args=one two",
        vm.pvm_root().display(),
        wd.display()
    );
    vm.wait_until("the task's line is logged", || {
        vm.log().lines().any(|l| l.ends_with(&want))
    });
    let mut other_arch = spawn_req("envtest", 1);
    other_arch.flags = pvm::proto::consts::PVM_TASK_ARCH;
    other_arch.where_ = "SUN4".into();
    assert_eq!(spawn(&mut raw, other_arch), vec![PvmError::NoHost.code()]);
}

#[test]
fn control_requests_answer_like_pvm() {
    let vm = Vm::start();
    vm.script("sleeper", "exec sleep 60");
    let mut raw = vm.attach();
    match raw.request(Request::Config {}) {
        Reply::Config { hosts } => {
            assert_eq!(hosts.len(), 1);
            assert_eq!(
                (hosts[0].dtid, hosts[0].arch.as_str()),
                (Tid(0x40000), "LINUX64")
            );
        }
        other => panic!("config answered {other:?}"),
    }
    let no = |r: Reply, e: PvmError| matches!(r, Reply::Error { code, .. } if code == e.code());
    assert_eq!(
        raw.request(Request::Mstat {
            host: "localhost".into()
        }),
        Reply::Value { value: 0 }
    );
    assert!(no(
        raw.request(Request::Mstat {
            host: "elsewhere".into()
        }),
        PvmError::NoHost
    ));
    assert!(no(
        raw.request(Request::Pstat { tid: Tid(0x40fff) }),
        PvmError::NoTask
    ));
    // The harness's PVM_RSH is `false`: the start fails without touching a network.
    match raw.request(Request::AddHosts {
        names: vec!["h2".into(), String::new()],
    }) {
        Reply::Hosts { results, reasons } => {
            assert_eq!(
                results,
                [PvmError::CantStart.code(), PvmError::BadParam.code()]
            );
            assert!(reasons.iter().all(|r| !r.is_empty()), "{reasons:?}");
        }
        other => panic!("addhosts answered {other:?}"),
    }
    assert!(matches!(
        raw.request(Request::DelHosts {
            names: vec!["h2".into()]
        }),
        Reply::Hosts { results, .. } if results == [PvmError::NoHost.code()]
    ));
    let ctx = match raw.request(Request::NewContext {}) {
        Reply::Value { value } => value,
        other => panic!("newcontext answered {other:?}"),
    };
    assert_ne!(ctx, 0, "base context is never handed out");
    assert_eq!(raw.request(Request::FreeContext { ctx }), Reply::Done {});
    assert!(no(
        raw.request(Request::FreeContext { ctx }),
        PvmError::BadParam
    ));

    let tid = spawn_one(&mut raw, "sleeper");
    match raw.request(Request::Tasks { which: tid }) {
        Reply::Tasks { tasks } => {
            assert_eq!(tasks.len(), 1);
            assert_eq!(
                (tasks[0].ptid, tasks[0].name.as_str()),
                (raw.tid, "sleeper")
            );
        }
        other => panic!("tasks answered {other:?}"),
    }
    assert!(no(
        raw.request(Request::Tasks {
            which: Tid(0x80000)
        }),
        PvmError::NoHost
    ));
    assert_eq!(
        raw.request(Request::Pstat { tid }),
        Reply::Value { value: 0 }
    );
    let watch = Request::Notify {
        what: PVM_TASK_EXIT,
        tag: 8,
        ctx: 0,
        count: 1,
        targets: vec![tid],
    };
    assert_eq!(raw.request(watch), Reply::Done {});
    assert!(no(
        raw.request(Request::SendSig { tid, signal: 999 }),
        PvmError::BadParam
    ));
    assert_eq!(raw.request(Request::Kill { tid }), Reply::Done {});
    assert_eq!(xdr_ints(&raw.recv_tag(8).body), vec![tid.raw()]);
    assert!(no(raw.request(Request::Kill { tid }), PvmError::NoTask));
}

#[test]
fn cancelled_notify_is_delivered_at_once() {
    let vm = Vm::start();
    vm.script("sleeper", "exec sleep 60");
    let mut raw = vm.attach();
    let tid = spawn_one(&mut raw, "sleeper");
    let notify = |what| Request::Notify {
        what,
        tag: 4,
        ctx: 0,
        count: 1,
        targets: vec![tid],
    };
    assert_eq!(raw.request(notify(PVM_TASK_EXIT)), Reply::Done {});
    let cancel = notify(PVM_TASK_EXIT | pvm::proto::consts::PVM_NOTIFY_CANCEL);
    assert_eq!(raw.request(cancel), Reply::Done {});
    assert_eq!(xdr_ints(&raw.recv_tag(4).body), vec![tid.raw()]);
    assert!(
        task_pid(&mut raw, tid).is_some(),
        "the task itself lives on"
    );
}

/// Tags of the last-words exchange.
const GO: i32 = 20;
const BYE: i32 = 21;
const EXITED: i32 = 22;

#[test]
fn last_words_arrive_before_the_exit_notify() {
    let vm = Vm::start();
    let exe = std::env::current_exe().expect("test executable");
    vm.script(
        "lastwords",
        &format!(
            "exec '{}' --exact child_role_last_words --ignored --nocapture --test-threads=1",
            exe.display()
        ),
    );
    let mut raw = vm.attach();
    for round in 0..5 {
        let tid = spawn_one(&mut raw, "lastwords");
        let watch = Request::Notify {
            what: PVM_TASK_EXIT,
            tag: EXITED,
            ctx: 0,
            count: 1,
            targets: vec![tid],
        };
        assert_eq!(raw.request(watch), Reply::Done {});
        raw.send(tid, GO, &b"go"[..]);
        let first = raw.recv();
        assert_eq!(
            (first.src, first.tag),
            (tid, BYE),
            "round {round}: last words first"
        );
        let second = raw.recv();
        assert_eq!(second.tag, EXITED, "round {round}");
        assert_eq!(xdr_ints(&second.body), vec![tid.raw()]);
    }
}

/// Not a test: the spawned task of `last_words_arrive_before_the_exit_notify`. It joins
/// with the claim pvmd put in its environment, waits for GO, answers BYE to its parent
/// (16 MB) and exits at once, without closing anything politely.
#[test]
#[ignore = "run by pvmd as a spawned task, see last_words_arrive_before_the_exit_notify"]
fn child_role_last_words() {
    let var = |n: &str| std::env::var(n).unwrap_or_else(|_| panic!("{n} not set"));
    let claim = Claim {
        tid: var("PVM_TASK_TID").parse().expect("tid"),
        key: var("PVM_TASK_KEY").parse().expect("key"),
    };
    let mut s = std::os::unix::net::UnixStream::connect(var("PVM_SOCKET")).expect("connect");
    let hello = Request::Hello {
        pid: std::process::id(),
        name: "lastwords".into(),
        claim: Some(claim),
    };
    pvm::proto::write_frame(&mut s, &Frame::Request { id: 1, req: hello }).expect("hello");
    let mut buf = BytesMut::new();
    let parent = match pvm::proto::read_frame(&mut s, &mut buf) {
        Ok(Some(Frame::Reply {
            reply: Reply::Welcome { welcome },
            ..
        })) => welcome.parent.expect("spawned by a task"),
        other => panic!("no welcome: {other:?}"),
    };
    loop {
        match pvm::proto::read_frame(&mut s, &mut buf) {
            Ok(Some(Frame::Data(m))) if m.tag == GO => break,
            Ok(Some(_)) => {}
            other => panic!("no GO: {other:?}"),
        }
    }
    let bye = pvm::proto::Message {
        src: claim.tid,
        dst: parent,
        tag: BYE,
        // Large, so pvmd is still reading it when it learns that the process died.
        body: Bytes::from(vec![7u8; 16 << 20]),
        ..Default::default()
    };
    pvm::proto::write_frame(&mut s, &Frame::Data(bye)).expect("bye");
    std::process::exit(0);
}

#[test]
fn after_a_crash_tasks_die_and_a_new_pvmd_takes_over() {
    let mut vm = Vm::start();
    vm.script("sleeper", "exec sleep 60");
    let mut raw = vm.attach();
    let tid = spawn_one(&mut raw, "sleeper");
    let task = task_pid(&mut raw, tid).expect("listed");
    let pvmd = vm.pvmd_pid().expect("running") as i32;
    kill(Pid::from_raw(pvmd), Signal::SIGKILL).expect("kill -9 pvmd");
    assert!(!vm.wait_exit().success());
    assert!(
        matches!(raw.read_frame(), Ok(None)),
        "tasks see the connection end"
    );
    vm.wait_until("the orphaned task died with pvmd", || !alive(task));
    assert!(vm.socket().exists(), "a crashed pvmd leaves its socket");
    let mut cmd = vm.command(common::pvmd_binary());
    cmd.stdout(std::process::Stdio::piped());
    let vm = vm.launch(cmd);
    let mut fresh = vm.attach();
    assert!(matches!(
        fresh.request(Request::Tasks { which: Tid(0) }),
        Reply::Tasks { tasks } if tasks.len() == 1
    ));
}

#[test]
fn a_missing_pvm_tmp_is_a_clear_error() {
    let vm = Vm::prepare();
    let out = vm
        .command(common::pvmd_binary())
        .env("PVM_TMP", vm.home().join("does/not/exist"))
        .output()
        .expect("run pvmd");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot create") && err.contains("does/not/exist"),
        "stderr: {err}"
    );
}
