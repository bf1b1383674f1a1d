//! After `halt`, pvmd reaps the tasks it killed before it exits: none is handed to
//! init as a zombie.
//!
//! The test process makes itself a child subreaper, so whatever its pvmd leaves
//! behind becomes its own child instead of init's, where a zombie can be seen. That
//! changes the whole process, hence a test binary of its own.

mod common;

use std::path::Path;
use std::time::Instant;

use common::{Vm, PATIENCE};
use nix::sys::wait::{waitpid, WaitPidFlag};
use nix::unistd::Pid;
use pvm::proto::{Reply, Request, SpawnRequest};
use pvm::tid::Tid;

/// How many tasks pvmd kills at halt.
const TASKS: u32 = 40;

/// The state letter of process `pid` (`Z` for a zombie), `None` once it is gone.
fn state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name in parentheses may hold spaces; the state follows it.
    stat.rsplit_once(") ")
        .and_then(|(_, rest)| rest.chars().next())
}

#[test]
fn halt_reaps_the_killed_tasks_before_pvmd_exits() {
    nix::sys::prctl::set_child_subreaper(true).expect("become a child subreaper");
    let mut vm = Vm::start();
    vm.link_program("sleeper", Path::new("/bin/sleep"));
    let mut raw = vm.attach();
    // Many tasks, so that their deaths cannot all be noticed in passing while pvmd
    // flushes its connections.
    let spawn = SpawnRequest {
        file: "sleeper".into(),
        argv: vec!["600".into()],
        count: TASKS,
        ..SpawnRequest::default()
    };
    let tids: Vec<Tid> = match raw.request(Request::Spawn { spawn }) {
        Reply::Spawned { results } => results.iter().filter_map(|r| Tid::from_raw(*r)).collect(),
        other => panic!("spawn answered {other:?}"),
    };
    assert_eq!(tids.len(), TASKS as usize, "every sleeper spawned");
    let pids: Vec<i32> = match raw.request(Request::Tasks { which: Tid(0) }) {
        Reply::Tasks { tasks } => tasks
            .iter()
            .filter(|t| tids.contains(&t.tid))
            .map(|t| t.pid)
            .collect(),
        other => panic!("tasks answered {other:?}"),
    };
    assert!(
        pids.iter().all(|p| state(*p).is_some_and(|s| s != 'Z')),
        "the tasks run"
    );

    assert!(vm.halt().success(), "pvmd halts cleanly");
    // pvmd is gone. A task it did not reap is now our zombie (or about to be, once
    // the kill lands): wait for either end.
    let start = Instant::now();
    while pids.iter().any(|p| state(*p).is_some_and(|s| s != 'Z')) {
        assert!(start.elapsed() < PATIENCE, "a task outlived pvmd's halt");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let zombies: Vec<i32> = pids
        .iter()
        .copied()
        .filter(|p| state(*p).is_some())
        .collect();
    // Reap what pvmd left us either way, so this process ends clean.
    while let Ok(status) = waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
        if status == nix::sys::wait::WaitStatus::StillAlive {
            break;
        }
    }
    assert!(
        zombies.is_empty(),
        "pvmd exited without reaping its killed tasks {zombies:?}"
    );
}
