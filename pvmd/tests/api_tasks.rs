//! The client API's task calls end to end: spawn, notify, kill, signals, catchout,
//! config/tasks/mstat/pstat, mailbox, options, against a real pvmd and real programs.

mod api_support;
mod common;

use std::time::Duration;

use api_support::{CaughtOutput, Machine, Task};
use common::PATIENCE;
use pvm::constants::*;
use pvm::{PvmError, Tid};

/// Spawns the pingpong example as an echo task of `parent`: a real PVM task that
/// waits for messages until told to stop.
fn spawn_echo(vm: &Machine, parent: &Task) -> Tid {
    if !vm.bin_dir().join("pingpong").exists() {
        vm.link_example("pingpong");
    }
    let spawned = parent
        .spawn("pingpong", &["echo", "pvmd"], PvmTaskDefault, "", 1)
        .expect("spawn");
    spawned.first().expect("echo task started")
}

/// Waits for a notification with `tag` and returns the tid it carries.
fn notified(t: &Task, tag: i32) -> Tid {
    let id = t
        .trecv(-1, tag, PATIENCE)
        .expect("recv")
        .expect("notified in time");
    let info = t.bufinfo(id).expect("bufinfo");
    assert!(
        Tid(info.src as u32).is_pvmd(),
        "notifications come from pvmd"
    );
    Tid(t.unpack::<i32>().expect("tid in body") as u32)
}

#[test]
fn spawn_of_a_missing_program_is_no_file() {
    let vm = Machine::start();
    let t = Task::join(&vm);
    let spawned = t
        .spawn("no_such_program", &[], PvmTaskDefault, "", 2)
        .expect("the call itself works");
    assert_eq!(spawned.started(), 0);
    assert_eq!(spawned.codes(), [PvmError::NoFile.code(); 2]);
    assert_eq!(
        t.spawn("", &[], PvmTaskDefault, "", 1).map(|_| ()),
        Err(PvmError::BadParam)
    );
    assert_eq!(
        t.spawn("x", &[], PvmTaskHost, "", 1).map(|_| ()),
        Err(PvmError::BadParam)
    );
}

#[test]
fn notify_tells_of_a_kill_dash_nine() {
    let vm = Machine::start();
    let t = Task::join(&vm);
    let child = spawn_echo(&vm, &t);
    t.notify(PvmTaskExit, 77, &[child]).expect("notify");
    let info = t.tasks(Some(child)).expect("tasks");
    assert_eq!(info.len(), 1);
    assert_eq!(info[0].ptid, t.mytid().expect("me"), "we are its parent");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(info[0].pid),
        nix::sys::signal::SIGKILL,
    )
    .expect("kill -9");
    assert_eq!(notified(&t, 77), child);
    assert_eq!(t.pstat(child), Err(PvmError::NoTask));
}

#[test]
fn kill_sendsig_and_notify_cancel() {
    let vm = Machine::start();
    let t = Task::join(&vm);
    let a = spawn_echo(&vm, &t);
    let b = spawn_echo(&vm, &t);
    t.notify(PvmTaskExit, 5, &[a, b]).expect("notify");
    t.notify(PvmTaskExit | PvmNotifyCancel, 5, &[b])
        .expect("cancel b");
    // A cancelled notify fires at once, as in PVM.
    assert_eq!(notified(&t, 5), b);
    assert_eq!(t.pstat(a), Ok(()));
    t.kill(a).expect("kill");
    assert_eq!(notified(&t, 5), a);
    t.notify(PvmTaskExit, 6, &[b]).expect("notify b");
    t.sendsig(b, nix::sys::signal::SIGKILL as i32)
        .expect("sendsig");
    assert_eq!(notified(&t, 6), b);
    // As PVM 3.4.6: a task that does not exist is no error, a pvmd is not a task.
    assert_eq!(t.kill(Tid::new(1, 0x3fff)), Ok(()));
    assert_eq!(t.sendsig(Tid::new(1, 0x3fff), 15), Ok(()));
    assert_eq!(t.kill(Tid::new(5, 1)), Ok(()), "a host that is not there");
    assert_eq!(t.kill(Tid(0)), Err(PvmError::BadParam));
    assert_eq!(t.kill(Tid::pvmd(1)), Err(PvmError::BadParam));
    assert_eq!(t.sendsig(Tid::pvmd(1), 15), Err(PvmError::BadParam));
}

#[test]
fn config_tasks_mstat_pstat_tidtohost() {
    let vm = Machine::start();
    let t = Task::join(&vm);
    let me = t.mytid().expect("me");
    let hosts = t.config().expect("config");
    assert_eq!(hosts.len(), 1);
    assert_eq!(hosts[0].arch, "LINUX64");
    assert_eq!(hosts[0].dtid, Tid::pvmd(1));
    assert_eq!(t.mstat(&hosts[0].name), Ok(()));
    assert_eq!(t.mstat("no-such-host"), Err(PvmError::NoHost));
    assert_eq!(t.pstat(me), Ok(()));
    assert_eq!(t.tidtohost(me), Ok(Tid::pvmd(1)));
    let all = t.tasks(None).expect("tasks");
    assert!(all
        .iter()
        .any(|i| i.tid == me && i.pid == std::process::id() as i32));
    assert_eq!(
        t.siblings(),
        Ok(vec![me]),
        "a task from a shell is its own sibling"
    );
}

#[test]
fn catchout_prints_children_lines_with_their_tids() {
    let vm = Machine::start();
    vm.script("talker", "echo one; echo two >&2; printf 'no newline'");
    let t = Task::join(&vm);
    let caught = CaughtOutput::default();
    t.catchout(Some(caught.sink())).expect("catchout");
    assert_eq!(t.getopt(PvmOutputTid), Ok(t.mytid().expect("me").raw()));
    let child = t
        .spawn("talker", &[], PvmTaskDefault, "", 1)
        .expect("spawn")
        .first()
        .expect("started");
    t.exit().expect("exit waits for the child's output");
    let text = caught.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(format!("[{child}] BEGIN").as_str())
    );
    assert_eq!(
        lines.last().copied(),
        Some(format!("[{child}] EOF").as_str())
    );
    for want in ["one", "two", "no newline"] {
        assert!(
            lines.contains(&format!("[{child}] {want}").as_str()),
            "{want:?} in caught output:\n{text}"
        );
    }
}

#[test]
fn catchout_without_tids() {
    let vm = Machine::start();
    vm.script("talker", "echo bare");
    let t = Task::join(&vm);
    t.setopt(PvmShowTids, 0).expect("setopt");
    let caught = CaughtOutput::default();
    t.catchout(Some(caught.sink())).expect("catchout");
    t.spawn("talker", &[], PvmTaskDefault, "", 1)
        .expect("spawn");
    t.exit().expect("exit");
    assert_eq!(caught.text(), "bare\n");
}

#[test]
fn mailbox_put_get_list_delete() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    let buf = a.initsend(PvmDataDefault).expect("initsend");
    a.pack("settings").expect("pack").pack(&3i32).expect("pack");
    let index = a.putinfo("config", buf, PvmMboxDefault).expect("putinfo");
    assert_eq!(index, 0);
    let other = b.initsend(PvmDataDefault).expect("initsend");
    b.pack(&0i32).expect("pack");
    assert!(
        b.putinfo("config", other, PvmMboxDefault).is_err(),
        "a locked entry is its owner's"
    );

    b.recvinfo("config", 0, PvmMboxDefault).expect("recvinfo");
    assert_eq!(b.unpack::<String>().as_deref(), Ok("settings"));
    assert_eq!(b.unpack::<i32>(), Ok(3));
    let classes = b.getmboxinfo("*").expect("getmboxinfo");
    let class = classes.iter().find(|c| c.name == "config").expect("listed");
    assert_eq!(class.owners, [a.mytid().expect("a")]);
    assert_eq!(
        b.recvinfo("nothing", 0, PvmMboxDefault),
        Err(PvmError::NotFound)
    );

    a.delinfo("config", 0, PvmMboxDefault).expect("delinfo");
    assert_eq!(
        b.recvinfo("config", 0, PvmMboxDefault),
        Err(PvmError::NotFound)
    );
}

#[test]
fn mailbox_entries_go_with_their_owner_unless_persistent() {
    let vm = Machine::start();
    let b = Task::join(&vm);
    {
        let a = Task::join(&vm);
        let buf = a.initsend(PvmDataDefault).expect("initsend");
        a.pack(&1i32).expect("pack");
        a.putinfo("gone", buf, PvmMboxDefault).expect("put");
        a.putinfo("kept", buf, PvmMboxPersistent).expect("put");
    }
    // The owner left when `a` dropped; pvmd removes its plain entries.
    let deadline = std::time::Instant::now() + PATIENCE;
    while b.recvinfo("gone", 0, PvmMboxDefault).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "entry outlived its owner"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    b.recvinfo("kept", 0, PvmMboxDefault)
        .expect("persistent entry stays");
    assert_eq!(b.unpack::<i32>(), Ok(1));
}

#[test]
fn recvinfo_can_wait_for_an_entry_while_messages_flow() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    let waiter = {
        let b = b.0.clone();
        std::thread::spawn(move || {
            let r = b.recvinfo("later", 0, PvmMboxWaitForInfo);
            r.and_then(|_| b.unpack::<String>())
        })
    };
    // The blocked request must not stop ordinary traffic on the same connection.
    a.psend(b.mytid().expect("b"), 1, &[5i32]).expect("send");
    let mut got = [0i32];
    b.precv(-1, 1, &mut got).expect("recv while recvinfo waits");
    assert_eq!(got, [5]);
    let buf = a.initsend(PvmDataDefault).expect("initsend");
    a.pack("finally").expect("pack");
    a.putinfo("later", buf, PvmMboxDefault).expect("put");
    let text = waiter.join().expect("waiter thread");
    assert_eq!(text.as_deref(), Ok("finally"));
}

#[test]
fn one_handle_shared_by_threads() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    let to = b.mytid().expect("b");
    let receivers: Vec<_> = (0..4)
        .map(|tag| {
            let b = b.0.clone();
            std::thread::spawn(move || {
                let mut got = [0i32; 1];
                b.precv(-1, tag, &mut got).map(|_| got[0])
            })
        })
        .collect();
    for tag in (0..4).rev() {
        a.psend(to, tag, &[tag * 10]).expect("send");
    }
    for (tag, r) in receivers.into_iter().enumerate() {
        assert_eq!(r.join().expect("thread"), Ok(tag as i32 * 10));
    }
}

#[test]
fn groups_instances_barrier_and_bcast() {
    let vm = Machine::start();
    let (a, b) = (Task::join(&vm), Task::join(&vm));
    let (ta, tb) = (a.mytid().expect("a"), b.mytid().expect("b"));
    assert_eq!(a.joingroup("g"), Ok(0));
    assert_eq!(b.joingroup("g"), Ok(1));
    assert_eq!(a.gsize("g"), Ok(2));
    assert_eq!(a.gettid("g", 1), Ok(tb));
    assert_eq!(b.getinst("g", ta), Ok(0));
    assert_eq!(a.joingroup(""), Err(PvmError::NullGroup));
    let other = {
        let b = b.0.clone();
        std::thread::spawn(move || b.barrier("g", 2))
    };
    a.barrier("g", 2).expect("barrier");
    other.join().expect("thread").expect("barrier in b");
    a.initsend(PvmDataDefault).expect("initsend");
    a.pack(&11i32).expect("pack");
    a.bcast("g", 3).expect("bcast");
    assert!(b.trecv(ta.raw(), 3, PATIENCE).expect("recv").is_some());
    assert_eq!(b.unpack::<i32>(), Ok(11));
    assert_eq!(
        a.trecv(-1, 3, Duration::from_millis(100)),
        Ok(None),
        "not to itself"
    );
    b.lvgroup("g").expect("leave");
    assert_eq!(a.gsize("g"), Ok(1));
}

#[test]
fn output_redirected_to_another_task_arrives_as_messages() {
    let vm = Machine::start();
    vm.script("talker", "echo hi");
    let (parent, listener) = (Task::join(&vm), Task::join(&vm));
    let to = listener.mytid().expect("listener");
    parent.setopt(PvmOutputTid, to.raw()).expect("output tid");
    parent.setopt(PvmOutputCode, 44).expect("output code");
    let child = parent
        .spawn("talker", &[], PvmTaskDefault, "", 1)
        .expect("spawn")
        .first()
        .expect("started");
    // PVM's output protocol: int tid, int count, then count bytes; -1 begins, 0 ends.
    let mut text = Vec::new();
    loop {
        listener
            .trecv(-1, 44, PATIENCE)
            .expect("recv")
            .expect("output message");
        assert_eq!(listener.unpack::<i32>(), Ok(child.raw()));
        let count: i32 = listener.unpack().expect("count");
        match count {
            -1 => continue,
            0 => break,
            n => text.extend(listener.unpack_vec::<u8>(n as usize).expect("text")),
        }
    }
    assert_eq!(text, b"hi\n");
}

#[test]
fn a_task_that_left_can_join_again_as_a_new_task() {
    let vm = Machine::start();
    let t = Task::join(&vm);
    let first = t.mytid().expect("first");
    t.exit().expect("exit");
    assert!(!t.is_joined());
    let second = t.mytid().expect("joins again");
    assert_ne!(first, second);
    assert_eq!(t.pstat(first), Err(PvmError::NoTask));
}
