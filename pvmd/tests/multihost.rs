//! A virtual machine of several pvmds on this machine: a fake rsh runs each "remote"
//! pvmd here with a private PVM_TMP (as vcluster's hosts have), and the pvmds link over
//! loopback TCP. This exercises the master's side of every multi-host feature (start,
//! conf, add/delete, placement, cross-host messages and spawns, notifies, a crashed or
//! silent host, halt) quickly and without root; vcluster's tests repeat the important
//! ones across real network namespaces over ssh.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{xdr_ints, Raw, Vm, PATIENCE};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use pvm::error::PvmError;
use pvm::proto::consts::{PVM_HOST_DELETE, PVM_TASK_EXIT, PVM_TASK_HOST};
use pvm::proto::{GroupOp, Reply, Request, SpawnRequest};
use pvm::tid::Tid;

/// A master pvmd whose hostfile names other hosts, all reached through a fake rsh.
struct Cluster {
    vm: Option<Vm>,
    hosts: PathBuf,
}

impl Cluster {
    /// `lines` are hostfile lines for the other hosts (each needs `ip=127.0.0.1`).
    fn start(lines: &str) -> Cluster {
        let vm = Vm::prepare();
        let hosts = vm.home().join("hosts");
        std::fs::create_dir_all(&hosts).expect("hosts dir");
        let rsh = vm.home().join("fake-rsh");
        // The remote command is the last argument; every start gets a fresh PVM_TMP,
        // like a separate machine's /tmp.
        let script = format!(
            "#!/bin/sh\nfor a; do cmd=$a; done\nd=$(mktemp -d '{}/h.XXXXXX')\nPVM_TMP=\"$d\" exec sh -c \"$cmd\"\n",
            hosts.display()
        );
        std::fs::write(&rsh, script).expect("write rsh");
        std::fs::set_permissions(&rsh, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let hostfile = vm.home().join("hostfile");
        let ep = vm.bin_dir();
        std::fs::write(&hostfile, format!("* ep={}\n{lines}", ep.display())).expect("hostfile");
        let mut cmd = vm.command(common::pvmd_binary());
        cmd.arg(&hostfile)
            .env("PVM_RSH", &rsh)
            .env("PVMD_LOG", "error")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit());
        let vm = vm.launch(cmd);
        vm.link_example("hello_other");
        Cluster {
            vm: Some(vm),
            hosts,
        }
    }

    fn vm(&self) -> &Vm {
        self.vm.as_ref().expect("the master runs until drop")
    }

    /// The pid of the slave pvmd that says it runs host `name`.
    fn slave_pid(&self, name: &str) -> i32 {
        let needle = format!(" on {name} (LINUX64) ready");
        for dir in std::fs::read_dir(&self.hosts).expect("hosts").flatten() {
            let Some(run) = runtime_dir(&dir.path()) else {
                continue;
            };
            let log = std::fs::read_to_string(run.join(log_name())).unwrap_or_default();
            if log.contains(&needle) {
                let pid = std::fs::read_to_string(run.join("pvmd.lock")).expect("lock file");
                return pid.trim().parse().expect("pid");
            }
        }
        panic!("no slave runs {name}");
    }

    /// The socket of the pvmd of host `name`.
    fn slave_socket(&self, name: &str) -> PathBuf {
        let needle = format!(" on {name} (LINUX64) ready");
        let dirs = std::fs::read_dir(&self.hosts).expect("hosts");
        let run = dirs
            .flatten()
            .filter_map(|d| runtime_dir(&d.path()))
            .find(|run| {
                std::fs::read_to_string(run.join(log_name())).is_ok_and(|l| l.contains(&needle))
            })
            .unwrap_or_else(|| panic!("no slave runs {name}"));
        run.join("pvmd.sock")
    }

    /// A task attached to the pvmd of host `name`, as if run from a shell there.
    fn attach_on(&self, name: &str) -> Raw {
        let mut raw = Raw::connect_path(&self.slave_socket(name)).expect("connect to the slave");
        raw.hello(None);
        raw
    }

    /// Every slave pid, running or not.
    fn slave_pids(&self) -> Vec<i32> {
        let Ok(dirs) = std::fs::read_dir(&self.hosts) else {
            return Vec::new();
        };
        dirs.flatten()
            .filter_map(|d| runtime_dir(&d.path()))
            .filter_map(|run| std::fs::read_to_string(run.join("pvmd.lock")).ok())
            .filter_map(|pid| pid.trim().parse().ok())
            .collect()
    }

    fn config(&self, raw: &mut Raw) -> Vec<(Tid, String, i32)> {
        match raw.request(Request::Config {}) {
            Reply::Config { hosts } => hosts
                .into_iter()
                .map(|h| (h.dtid, h.name, h.speed))
                .collect(),
            other => panic!("config answered {other:?}"),
        }
    }

    fn wait_hosts(&self, raw: &mut Raw, n: usize, what: &str) {
        let start = Instant::now();
        while self.config(raw).len() != n {
            assert!(start.elapsed() < PATIENCE, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // The master's halt (in its own drop) stops the slaves; anything left is
        // killed.
        let pids = self.slave_pids();
        drop(self.vm.take());
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) && pids.iter().any(|p| alive(*p)) {
            std::thread::sleep(Duration::from_millis(50));
        }
        for pid in pids {
            if alive(pid) && is_pvmd(pid) {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
        }
    }
}

fn runtime_dir(tmp: &Path) -> Option<PathBuf> {
    let run = tmp.join(format!("pvm.{}", nix::unistd::getuid().as_raw()));
    run.is_dir().then_some(run)
}

fn log_name() -> String {
    format!("pvml.{}", nix::unistd::getuid().as_raw())
}

fn alive(pid: i32) -> bool {
    kill(Pid::from_raw(pid), None).is_ok() && !is_zombie(pid)
}

fn is_zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(')')
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(true)
}

fn is_pvmd(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c.contains("pvmd"))
}

fn wait_gone(pid: i32, what: &str) {
    let start = Instant::now();
    while alive(pid) {
        assert!(start.elapsed() < PATIENCE, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn spawn(raw: &mut Raw, file: &str, count: u32, flags: i32, where_: &str) -> Vec<i32> {
    let req = SpawnRequest {
        file: file.into(),
        count,
        flags,
        where_: where_.into(),
        ..SpawnRequest::default()
    };
    match raw.request(Request::Spawn { spawn: req }) {
        Reply::Spawned { results } => results,
        other => panic!("spawn answered {other:?}"),
    }
}

const TWO: &str = "h2 ip=127.0.0.1\nh3 ip=127.0.0.1 sp=2000\n&h4 ip=127.0.0.1\n";

#[test]
fn the_hostfile_hosts_start_and_add_delete_answer_per_host() {
    let c = Cluster::start(TWO);
    let mut raw = c.vm().attach();
    let conf = c.config(&mut raw);
    let dtids: Vec<Tid> = conf.iter().map(|h| h.0).collect();
    assert_eq!(
        dtids,
        [Tid(0x40000), Tid(0x80000), Tid(0xc0000)],
        "{conf:?}"
    );
    assert_eq!((conf[1].1.as_str(), conf[1].2), ("h2", 1000));
    assert_eq!((conf[2].1.as_str(), conf[2].2), ("h3", 2000));
    assert_eq!(
        raw.request(Request::Mstat { host: "h3".into() }),
        Reply::Value { value: 0 }
    );

    let add = |raw: &mut Raw, names: &[&str]| {
        raw.request(Request::AddHosts {
            names: names.iter().map(|n| n.to_string()).collect(),
        })
    };
    match add(&mut raw, &["h4", "h2", "h4"]) {
        Reply::Hosts { results, reasons } => {
            let dup = PvmError::DupHost.code();
            assert_eq!(results, [0x100000, dup, dup], "one h4 starts, once");
            assert!(
                reasons[0].is_empty() && reasons[1].contains("h2") && reasons[2].contains("h4"),
                "{reasons:?}"
            );
        }
        other => panic!("addhosts answered {other:?}"),
    }
    assert_eq!(c.config(&mut raw).len(), 4);
    let h4 = c.slave_pid("h4");
    let del = raw.request(Request::DelHosts {
        names: vec!["h4".into(), "nowhere".into()],
    });
    assert!(
        matches!(&del, Reply::Hosts { results, .. } if *results == [0, PvmError::NoHost.code()]),
        "{del:?}"
    );
    wait_gone(h4, "the deleted host's pvmd exits");
    assert_eq!(c.config(&mut raw).len(), 3);
}

#[test]
fn spawns_spread_by_speed_and_messages_cross_hosts() {
    let c = Cluster::start(TWO);
    let mut raw = c.vm().attach();
    let tids = spawn(&mut raw, "hello_other", 8, 0, "");
    let hosts: Vec<u32> = tids.iter().map(|t| Tid(*t as u32).host()).collect();
    assert!(tids.iter().all(|t| *t > 0), "{tids:x?}");
    // Speeds 1000, 1000, 2000: host 3 gets half.
    assert_eq!(hosts.iter().filter(|h| **h == 3).count(), 4, "{hosts:?}");
    assert_eq!(hosts.iter().filter(|h| **h == 2).count(), 2, "{hosts:?}");
    let mut from: Vec<u32> = (0..8).map(|_| raw.recv_tag(1).src.0).collect();
    from.sort_unstable();
    let mut want: Vec<u32> = tids.iter().map(|t| *t as u32).collect();
    want.sort_unstable();
    assert_eq!(from, want, "every instance's message arrived");

    let on_h3 = spawn(&mut raw, "hello_other", 1, PVM_TASK_HOST, "h3");
    assert_eq!(Tid(on_h3[0] as u32).host(), 3, "{on_h3:x?}");
    assert_eq!(raw.recv_tag(1).src.0, on_h3[0] as u32);
    let nowhere = spawn(&mut raw, "hello_other", 2, PVM_TASK_HOST, "nowhere");
    assert_eq!(nowhere, [PvmError::NoHost.code(); 2]);
    let missing = spawn(&mut raw, "no-such-program", 3, 0, "");
    assert_eq!(missing, [PvmError::NoFile.code(); 3], "every host says so");
}

#[test]
fn a_crashed_host_fires_notifies_and_the_rest_carries_on() {
    let c = Cluster::start(TWO);
    c.vm().script("sleeper", "#!/bin/sh\nexec sleep 60\n");
    let mut raw = c.vm().attach();
    let t = spawn(&mut raw, "sleeper", 1, PVM_TASK_HOST, "h2")[0];
    assert_eq!(Tid(t as u32).host(), 2);
    let notify = |raw: &mut Raw, what, tag, target: u32| {
        raw.request(Request::Notify {
            what,
            tag,
            ctx: 0,
            count: 1,
            targets: vec![Tid(target)],
        })
    };
    assert_eq!(notify(&mut raw, PVM_TASK_EXIT, 7, t as u32), Reply::Done {});
    assert_eq!(
        notify(&mut raw, PVM_HOST_DELETE, 8, 0x80000),
        Reply::Done {}
    );
    let tasks = match raw.request(Request::Tasks { which: Tid(0) }) {
        Reply::Tasks { tasks } => tasks,
        other => panic!("tasks answered {other:?}"),
    };
    assert!(tasks
        .iter()
        .any(|i| i.tid.0 == t as u32 && i.host == Tid(0x80000)));

    kill(Pid::from_raw(c.slave_pid("h2")), Signal::SIGKILL).expect("kill h2's pvmd");
    assert_eq!(xdr_ints(&raw.recv_tag(8).body), [0x80000]);
    assert_eq!(xdr_ints(&raw.recv_tag(7).body), [t]);
    assert_eq!(c.config(&mut raw).len(), 2);
    let on_h3 = spawn(&mut raw, "hello_other", 1, PVM_TASK_HOST, "h3");
    assert_eq!(raw.recv_tag(1).src.0, on_h3[0] as u32, "h3 still works");
    // The host can come back.
    let again = raw.request(Request::AddHosts {
        names: vec!["h2".into()],
    });
    assert!(
        matches!(&again, Reply::Hosts { results, .. } if results[0] > 0),
        "{again:?}"
    );
}

#[test]
fn a_silent_host_is_dropped_by_the_heartbeat_and_leaves_by_itself() {
    let c = Cluster::start(TWO);
    let mut raw = c.vm().attach();
    let h2 = c.slave_pid("h2");
    kill(Pid::from_raw(h2), Signal::SIGSTOP).expect("stop h2's pvmd");
    c.wait_hosts(&mut raw, 2, "the master drops the silent host");
    kill(Pid::from_raw(h2), Signal::SIGCONT).expect("continue h2's pvmd");
    wait_gone(h2, "the cut-off slave notices it lost its master and exits");
}

#[test]
fn halt_stops_every_pvmd() {
    let mut c = Cluster::start(TWO);
    let pids = c.slave_pids();
    assert_eq!(pids.len(), 2);
    c.vm.as_mut().expect("master").halt();
    for pid in pids {
        wait_gone(pid, "every slave pvmd exits with the master");
    }
}

#[test]
fn groups_mailbox_and_messages_work_from_a_slave_host() {
    let c = Cluster::start(TWO);
    let mut here = c.vm().attach();
    let mut there = c.attach_on("h3");
    assert_eq!(there.tid.host(), 3, "a task of h3 gets an h3 tid");
    let join = |raw: &mut Raw| {
        raw.request(Request::Group {
            op: GroupOp::Join { group: "g".into() },
        })
    };
    assert_eq!(join(&mut here), Reply::Value { value: 0 });
    assert_eq!(
        join(&mut there),
        Reply::Value { value: 1 },
        "one group server"
    );
    let put = Request::PutInfo {
        name: "shared".into(),
        flags: 0,
        encoding: 0,
        body: bytes::Bytes::from_static(b"\0\0\0\x2a"),
    };
    assert_eq!(there.request(put), Reply::Value { value: 0 });
    let get = Request::GetInfo {
        name: "shared".into(),
        index: 0,
        flags: 0,
    };
    assert!(matches!(here.request(get.clone()), Reply::Info { owner, .. } if owner == there.tid));
    // Both ways across hosts.
    there.send(here.tid, 5, &b"ping"[..]);
    assert_eq!(&here.recv_tag(5).body[..], b"ping");
    here.send(there.tid, 6, &b"pong"[..]);
    assert_eq!(&there.recv_tag(6).body[..], b"pong");
    // The remote member leaves the machine: the master's group and mailbox forget it.
    let gone = there.tid;
    drop(there);
    let size = |raw: &mut Raw| {
        raw.request(Request::Group {
            op: GroupOp::Size { group: "g".into() },
        })
    };
    let start = Instant::now();
    while size(&mut here) != (Reply::Value { value: 1 }) {
        assert!(
            start.elapsed() < PATIENCE,
            "the master never heard {gone} exit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        here.request(get),
        Reply::Error {
            code: PvmError::NotFound.code(),
            detail: String::new()
        }
    );
}

#[test]
fn direct_routes_cross_hosts_over_tcp_and_need_no_pvmd_once_open() {
    use pvm::constants::{PvmRoute, PvmRouteDirect};
    let c = Cluster::start(TWO);
    let here = pvm::Pvm::with_socket(c.vm().socket());
    let there = pvm::Pvm::with_socket(c.slave_socket("h2"));
    for task in [&here, &there] {
        task.setopt(PvmRoute, PvmRouteDirect)
            .expect("direct routes");
    }
    let (a, b) = (
        here.mytid().expect("join here"),
        there.mytid().expect("join h2"),
    );
    assert_eq!((a.host(), b.host()), (1, 2));
    let wait = Duration::from_secs(10);
    here.psend(b, 1, &[1i32]).expect("first send");
    assert!(there.trecv(a.raw(), 1, wait).expect("recv").is_some());
    // The link is open: with h2's pvmd frozen, only the direct link can carry this.
    let h2 = Pid::from_raw(c.slave_pid("h2"));
    kill(h2, Signal::SIGSTOP).expect("stop h2's pvmd");
    let sent = here.psend(b, 2, &[2i32]);
    let got = there.trecv(a.raw(), 2, wait);
    kill(h2, Signal::SIGCONT).expect("continue h2's pvmd");
    sent.expect("second send");
    assert!(
        got.expect("recv").is_some(),
        "the message did not come over the direct TCP link"
    );
    let _ = here.exit();
    let _ = there.exit();
}

#[test]
fn large_bodies_cross_hosts_through_the_pvmds_and_direct_links() {
    use bytes::Bytes;
    use pvm::constants::{PvmDataRaw, PvmRoute, PvmRouteDirect};
    let c = Cluster::start(TWO);
    let here = pvm::Pvm::with_socket(c.vm().socket());
    let there = pvm::Pvm::with_socket(c.slave_socket("h2"));
    let (a, b) = (
        here.mytid().expect("join here"),
        there.mytid().expect("join h2"),
    );
    let body = |seed: u8| {
        Bytes::from(
            (0..(1usize << 20) + 3)
                .map(|i| (i as u8).wrapping_mul(7) ^ (i >> 10) as u8 ^ seed)
                .collect::<Vec<_>>(),
        )
    };
    // Through both pvmds: the body leaves this host's pvmd in a segment and crosses
    // the TCP link as bytes; h2's task sends it back as it came (by reference if it
    // came in a segment).
    for round in 0..3u8 {
        here.send_bytes(b, 1, PvmDataRaw, body(round))
            .expect("send");
        let got = there.recv_bytes(a.raw(), 1).expect("recv on h2");
        assert!(
            got.body == body(round),
            "round {round}: changed on the way out"
        );
        there.send_bytes(a, 2, PvmDataRaw, got.body).expect("echo");
        let back = here.recv_bytes(b.raw(), 2).expect("recv back");
        assert!(
            back.body == body(round),
            "round {round}: changed on the way back"
        );
    }
    // Over the direct TCP link.
    for task in [&here, &there] {
        task.setopt(PvmRoute, PvmRouteDirect).expect("direct");
    }
    for round in 10..13u8 {
        here.send_bytes(b, 3, PvmDataRaw, body(round))
            .expect("send");
        let got = there.recv_bytes(a.raw(), 3).expect("recv on h2");
        assert!(
            got.body == body(round),
            "round {round}: changed over the link"
        );
    }
    let _ = here.exit();
    let _ = there.exit();
}

/// `pvm_hostsync`'s question: every host's pvmd answers with its clock (these all run
/// on one machine, so the clocks agree), asked from the master and from a slave; a
/// host not in the machine is PvmNoHost.
#[test]
fn every_host_answers_its_clock() {
    let c = Cluster::start(TWO);
    let mut here = c.vm().attach();
    let mut there = c.attach_on("h3");
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_micros() as i128
    };
    for raw in [&mut here, &mut there] {
        for host in 1..=3 {
            let before = now();
            let reply = raw.request(Request::HostClock {
                host: Tid::pvmd(host),
            });
            let after = now();
            let Reply::Clock { micros } = reply else {
                panic!("host {host}: {reply:?}");
            };
            let micros = i128::from(micros);
            assert!(
                (before - 1000..=after + 1000).contains(&micros),
                "host {host}: {micros} not within {before}..{after}"
            );
        }
        assert_eq!(
            raw.request(Request::HostClock { host: Tid::pvmd(9) }),
            Reply::Error {
                code: PvmError::NoHost.code(),
                detail: String::new()
            }
        );
    }
}

/// A pvmd's peak resident memory so far (VmHWM), in bytes.
fn peak_rss(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kb * 1024
}

/// A receiver on h2 that does not read makes its pvmd tell the sender's (h3's, through
/// the master) to hold the sender; the link through the master stays free, so h3 and
/// h4 go on talking through it. Then everything arrives, in order and intact, and no
/// pvmd held more than its budgets.
#[test]
fn a_receiver_that_does_not_read_holds_its_remote_sender_and_no_link() {
    use bytes::Bytes;
    use pvm::constants::PvmDataRaw;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    const COUNT: u64 = 100_000;
    const SIZE: usize = 1024;
    let c = Cluster::start("h2 ip=127.0.0.1\nh3 ip=127.0.0.1\nh4 ip=127.0.0.1\n");
    let receiver = pvm::Pvm::with_socket(c.slave_socket("h2"));
    let sender = pvm::Pvm::with_socket(c.slave_socket("h3"));
    let ping = pvm::Pvm::with_socket(c.slave_socket("h3"));
    let echo = pvm::Pvm::with_socket(c.slave_socket("h4"));
    let tid = |p: &pvm::Pvm| p.mytid().expect("join");
    let (to, from, ping_tid, echo_tid) = (tid(&receiver), tid(&sender), tid(&ping), tid(&echo));
    let body = |seq: u64| {
        let mut b = vec![(seq % 251) as u8; SIZE];
        b[..8].copy_from_slice(&seq.to_be_bytes());
        Bytes::from(b)
    };
    let sent = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&sent);
    let flooder = sender.clone();
    let flooding = std::thread::spawn(move || {
        for seq in 0..COUNT {
            flooder
                .send_bytes(to, 1, PvmDataRaw, body(seq))
                .expect("send");
            counter.store(seq + 1, Ordering::SeqCst);
        }
    });
    // Until the sender stops moving (it is held), or all is sent (it was not).
    let (mut last, mut since) = (0, Instant::now());
    let start = Instant::now();
    let held = loop {
        std::thread::sleep(Duration::from_millis(20));
        let now = sent.load(Ordering::SeqCst);
        if now == COUNT || (now > 0 && since.elapsed() >= Duration::from_secs(1)) {
            break now;
        }
        if now != last {
            (last, since) = (now, Instant::now());
        }
        assert!(start.elapsed() < PATIENCE * 3, "the flood never started");
    };
    assert!(held < COUNT, "the sender was never held");

    // h3 <-> h4 through the master meanwhile.
    let echoing = std::thread::spawn(move || {
        for _ in 0..500 {
            let m = echo.recv_bytes(ping_tid.raw(), 2).expect("ping");
            echo.send_bytes(ping_tid, 2, PvmDataRaw, m.body)
                .expect("pong");
        }
        echo
    });
    for i in 0..500u64 {
        let b = Bytes::from(i.to_be_bytes().to_vec());
        ping.send_bytes(echo_tid, 2, PvmDataRaw, b.clone())
            .expect("ping");
        assert_eq!(ping.recv_bytes(echo_tid.raw(), 2).expect("pong").body, b);
    }
    let echo = echoing.join().expect("echo");
    assert!(
        sent.load(Ordering::SeqCst) < COUNT,
        "h2's task still reads nothing"
    );

    for seq in 0..COUNT {
        let m = receiver.recv_bytes(from.raw(), 1).expect("recv");
        assert!(
            m.body == body(seq),
            "message {seq} is not intact or in order"
        );
    }
    flooding.join().expect("sender");
    let mut pids = vec![c.vm().pvmd_pid().expect("master") as i32];
    pids.extend(["h2", "h3", "h4"].map(|h| c.slave_pid(h)));
    for pid in pids {
        let peak = peak_rss(pid);
        assert!(peak < 64 << 20, "pvmd {pid} peaked at {} MB", peak >> 20);
        eprintln!("pvmd {pid}: peak {:.1} MB", peak as f64 / (1 << 20) as f64);
    }
    for p in [&receiver, &sender, &ping, &echo] {
        let _ = p.exit();
    }
}
