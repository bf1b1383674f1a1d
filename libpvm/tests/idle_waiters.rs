//! Waiting costs (almost) nothing: tasks blocked in `recv` with nothing arriving, each
//! with shared-ring links open both ways, use well under 1% of a core each once their
//! first moments of polling are over. Measured from the kernel's account of each
//! waiting thread's CPU time (`/proc/self/task/<tid>/schedstat`, in nanoseconds) and
//! of the whole process (the library's background threads included).
//!
//! The only test in this file, so the process's CPU time is the waiters' alone.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use bytes::Bytes;
use pvm::constants::{PvmDataRaw, PvmRoute, PvmRouteDirect};
use pvm::Pvm;
use pvm_harness::PATIENCE;

const WAITERS: usize = 8;
/// How long the waiters are watched.
const WINDOW: Duration = Duration::from_secs(2);

/// CPU time (ns) of thread `tid` of this process.
fn cpu_ns(tid: i32) -> u64 {
    let text =
        std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).expect("schedstat");
    text.split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .expect("CPU time")
}

/// The whole process: the sum over its threads (`/proc/self/schedstat` is the reading
/// thread's only).
fn process_cpu_ns() -> u64 {
    std::fs::read_dir("/proc/self/task")
        .expect("tasks")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .map(|t| std::fs::read_to_string(format!("/proc/self/task/{t}/schedstat")).ok())
        .filter_map(|s| s?.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

#[test]
fn eight_idle_waiters_use_under_one_percent_of_a_core_each() {
    let vm = pvm_harness::Vm::start();
    let master = Pvm::with_socket(vm.socket());
    master.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
    let me = master.mytid().expect("join");
    let (ready_tx, ready) = mpsc::channel();
    let waiters: Vec<_> = (0..WAITERS)
        .map(|_| {
            let w = Pvm::with_socket(vm.socket());
            w.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
            let ready_tx = ready_tx.clone();
            thread::spawn(move || {
                w.send_bytes(me, 1, PvmDataRaw, Bytes::from_static(b"hello"))
                    .expect("send");
                // The master's answer comes over its own link to us.
                w.trecv_bytes(me.raw(), 2, PATIENCE)
                    .expect("recv")
                    .expect("answer");
                ready_tx.send(thread_id()).expect("report");
                // Nothing with tag 3 comes until the measurement is over.
                let m = w.recv_bytes(me.raw(), 3).expect("recv");
                (w, m.tag)
            })
        })
        .collect();
    let mut tasks = Vec::new();
    for _ in 0..WAITERS {
        let m = master
            .trecv_bytes(-1, 1, PATIENCE)
            .expect("recv")
            .expect("hello");
        master
            .send_bytes(m.src, 2, PvmDataRaw, Bytes::from_static(b"welcome"))
            .expect("send");
        tasks.push(m.src);
    }
    let tids: Vec<i32> = (0..WAITERS)
        .map(|_| ready.recv_timeout(PATIENCE).expect("a waiter is ready"))
        .collect();
    assert_eq!(
        master.direct_peers().len(),
        WAITERS,
        "links to every waiter"
    );
    // Past the first millisecond (and then some): the waiters sleep by now.
    thread::sleep(Duration::from_millis(100));
    let before: Vec<u64> = tids.iter().map(|&t| cpu_ns(t)).collect();
    let process_before = process_cpu_ns();
    let start = Instant::now();
    thread::sleep(WINDOW);
    let elapsed = start.elapsed().as_nanos() as u64;
    let used: Vec<u64> = tids
        .iter()
        .zip(&before)
        .map(|(&t, b)| cpu_ns(t) - b)
        .collect();
    let process = process_cpu_ns() - process_before;
    for &t in &tasks {
        master
            .send_bytes(t, 3, PvmDataRaw, Bytes::new())
            .expect("send");
    }
    for w in waiters {
        let (_task, tag) = w.join().expect("waiter");
        assert_eq!(tag, 3, "each waiter got its message after all");
    }
    let percent = |ns: u64| ns as f64 * 100.0 / elapsed as f64;
    println!(
        "idle for {:?}: waiters used {:?} % of a core, the process {:.3} %",
        WINDOW,
        used.iter()
            .map(|&u| (percent(u) * 1000.0).round() / 1000.0)
            .collect::<Vec<_>>(),
        percent(process)
    );
    for (i, u) in used.iter().enumerate() {
        assert!(
            *u * 100 < elapsed,
            "waiter {i} used {:.2}% of a core while idle",
            *u as f64 * 100.0 / elapsed as f64
        );
    }
    assert!(
        process * 100 < elapsed * WAITERS as u64,
        "the idle process used {:.2}% of a core for {WAITERS} waiters",
        process as f64 * 100.0 / elapsed as f64
    );
}

/// The calling thread's kernel id: `/proc/thread-self` links to `<pid>/task/<tid>`.
fn thread_id() -> i32 {
    let link = std::fs::read_link("/proc/thread-self").expect("/proc/thread-self");
    link.file_name()
        .and_then(|n| n.to_str()?.parse().ok())
        .expect("a thread id")
}
