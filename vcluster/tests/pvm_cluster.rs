//! PVM on a real virtual cluster: this machine runs the master pvmd and the console,
//! three vcluster hosts (network namespaces with their own sshd, address and host
//! name) run slave pvmds started over ssh. Each test builds its own cluster and
//! virtual machine and tears both down, also when it fails.
//!
//! Needs root (namespaces) and the workspace's binaries and examples built
//! (`cargo build --workspace --examples`, or `cargo test`, which builds examples).

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use common::{root_or_skip, text};

const VCLUSTER: &str = env!("CARGO_BIN_EXE_vcluster");
/// The examples every test puts in `$PVM_ROOT/bin/LINUX64`.
const PROGRAMS: [&str; 8] = [
    "hello",
    "hello_other",
    "master1",
    "slave1",
    "spmd",
    "pingpong",
    "hostwatch",
    "flood",
];

/// One cluster at a time: `vcluster up` picks a free subnet, and the failure tests
/// time heartbeats, which a machine busy building three clusters would stretch.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A vcluster, a private PVM_ROOT/PVM_TMP for its master, and the console driving
/// the virtual machine. Dropping it halts the machine, kills what is left and takes
/// the cluster down.
struct PvmCluster {
    name: String,
    /// VCLUSTER_DIR of this cluster.
    state: tempfile::TempDir,
    /// PVM_ROOT (programs in bin/LINUX64) and PVM_TMP (tmp) of the master.
    work: tempfile::TempDir,
    console: Option<Console>,
    _serial: MutexGuard<'static, ()>,
}

impl PvmCluster {
    /// Builds a cluster of `hosts` hosts; `tag` (a letter) tells tests apart.
    fn up(tag: char, hosts: usize) -> PvmCluster {
        PvmCluster::up_with(tag, hosts, &[])
    }

    /// As [`PvmCluster::up`], with more `vcluster up` options (limits).
    fn up_with(tag: char, hosts: usize, extra: &[&str]) -> PvmCluster {
        let serial = serial();
        let c = PvmCluster {
            name: format!("p{tag}{}", std::process::id() % 100_000),
            state: tempfile::tempdir().expect("tempdir"),
            work: tempfile::tempdir().expect("tempdir"),
            console: None,
            _serial: serial,
        };
        let count = hosts.to_string();
        let mut args = vec!["up", &count, "--name", &c.name, "--user", "root"];
        args.extend_from_slice(extra);
        let out = c.vcluster(&args);
        assert!(out.status.success(), "up: {}", text(&out.stderr));
        let bin = c.work.path().join("root/bin/LINUX64");
        std::fs::create_dir_all(&bin).expect("PVM_ROOT");
        std::fs::create_dir_all(c.pvm_tmp()).expect("PVM_TMP");
        for p in PROGRAMS {
            let from = pvm_harness::example(p);
            std::fs::copy(&from, bin.join(p)).expect("copy example");
        }
        c
    }

    fn vcluster(&self, args: &[&str]) -> Output {
        Command::new(VCLUSTER)
            .args(args)
            .env("VCLUSTER_DIR", self.state.path())
            .output()
            .expect("run vcluster")
    }

    /// `vcluster CMD --name NAME HOST`, which must succeed.
    fn host_command(&self, cmd: &str, host: &str) {
        let out = self.vcluster(&[cmd, "--name", &self.name, host]);
        assert!(out.status.success(), "{cmd} {host}: {}", text(&out.stderr));
    }

    fn dir(&self) -> PathBuf {
        self.state.path().join(&self.name)
    }

    fn pvm_root(&self) -> PathBuf {
        self.work.path().join("root")
    }

    fn pvm_tmp(&self) -> PathBuf {
        self.work.path().join("tmp")
    }

    /// The address of a cluster host, from the hostfile vcluster wrote.
    fn addr(&self, host: &str) -> String {
        let hostfile = std::fs::read_to_string(self.dir().join("hostfile")).expect("hostfile");
        hostfile
            .lines()
            .find(|l| l.starts_with(&format!("{host} ")))
            .and_then(|l| l.split("ip=").nth(1))
            .expect("host in hostfile")
            .trim()
            .to_string()
    }

    /// Writes a hostfile: a `*` line with ep= and dx=, `first` (e.g. options for this
    /// machine), then the cluster's hosts (`&h2`: deferred) with their addresses and
    /// `extra` options.
    fn hostfile(&self, first: &str, hosts: &[(&str, &str)]) -> PathBuf {
        let mut text = format!(
            "* ep={}/bin/LINUX64 dx={}\n{first}\n",
            self.pvm_root().display(),
            pvm_harness::pvmd_binary().display()
        );
        for (h, extra) in hosts {
            let addr = self.addr(h.trim_start_matches('&'));
            text.push_str(&format!("{h} ip={addr} {extra}\n"));
        }
        let path = self.work.path().join("hostfile");
        std::fs::write(&path, text).expect("write hostfile");
        path
    }

    /// Starts the console (which starts the master pvmd with `hostfile`).
    fn start_console(&mut self, hostfile: &Path) -> &mut Console {
        let console = Console::start(self, hostfile);
        self.console.insert(console)
    }

    fn console(&mut self) -> &mut Console {
        self.console.as_mut().expect("console started")
    }

    /// The master pvmd's pid, from its lock file.
    fn master_pid(&self) -> Option<i32> {
        let dir = pvm::proto::runtime::runtime_dir(&self.pvm_tmp(), pvm::proto::runtime::uid());
        std::fs::read_to_string(dir.join(pvm::proto::runtime::LOCK_NAME))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// How many established TCP connections processes named `program` have in `host`.
    fn tcp_links_of(&self, host: &str, program: &str) -> usize {
        let ns = format!("vc-{}-{host}", self.name);
        let out = Command::new("ip")
            .args(["netns", "exec", &ns, "ss", "-Htnp", "state", "established"])
            .output()
            .expect("ss");
        let owner = format!("((\"{program}\",");
        text(&out.stdout)
            .lines()
            .filter(|l| l.contains(&owner))
            .count()
    }

    /// The pid of the slave pvmd running in `host`.
    fn pvmd_in(&self, host: &str) -> Option<i32> {
        let ns = format!("vc-{}-{host}", self.name);
        let out = Command::new("ip")
            .args(["netns", "pids", &ns])
            .output()
            .expect("ip netns pids");
        text(&out.stdout)
            .split_whitespace()
            .filter_map(|pid| pid.parse().ok())
            .find(|pid: &i32| {
                std::fs::read(format!("/proc/{pid}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains("--slave"))
            })
    }

    /// Every process running in a host other than its sshd and init.
    fn processes_in(&self, host: &str) -> Vec<String> {
        let ns = format!("vc-{}-{host}", self.name);
        let out = Command::new("ip")
            .args(["netns", "pids", &ns])
            .output()
            .expect("ip netns pids");
        text(&out.stdout)
            .split_whitespace()
            .filter_map(|pid| {
                let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
                let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
                (!cmd.trim().is_empty() && !cmd.contains("sshd") && !cmd.contains(" _init "))
                    .then_some(cmd)
            })
            .collect()
    }
}

impl Drop for PvmCluster {
    fn drop(&mut self) {
        if let Some(mut console) = self.console.take() {
            console.send("halt");
            console.wait_exit(Duration::from_secs(5));
        }
        if let Some(pid) = self.master_pid().filter(|p| alive(*p)) {
            // SIGTERM halts the whole machine; SIGKILL if even that hangs.
            signal(pid, nix::sys::signal::Signal::SIGTERM);
            let t = Instant::now();
            while alive(pid) && t.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_millis(50));
            }
            signal(pid, nix::sys::signal::Signal::SIGKILL);
        }
        // Kills whatever still runs in the hosts, then removes them.
        let _ = self.vcluster(&["down", &self.name]);
    }
}

fn signal(pid: i32, sig: nix::sys::signal::Signal) {
    let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig);
}

/// Whether a process runs (a zombie waiting to be reaped does not).
fn alive(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    match stat.rsplit_once(") ") {
        Some((_, rest)) => !rest.starts_with('Z') && !rest.starts_with('X'),
        None => false,
    }
}

/// The `pvm` console with piped stdio; everything it prints is collected.
struct Console {
    child: Child,
    stdin: ChildStdin,
    out: Arc<Mutex<String>>,
}

impl Console {
    fn start(c: &PvmCluster, hostfile: &Path) -> Console {
        let mut child = Command::new(pvm_harness::binary("pvm-console", "pvm"))
            .arg(hostfile)
            .env("PVM_ROOT", c.pvm_root())
            .env("PVM_TMP", c.pvm_tmp())
            .env(
                "PVM_RSH",
                format!("ssh -F {}", c.dir().join("ssh_config").display()),
            )
            .env_remove("PVM_DPATH")
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pvm");
        let out = Arc::new(Mutex::new(String::new()));
        for pipe in [
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let out = Arc::clone(&out);
            std::thread::spawn(move || collect(pipe, out));
        }
        let stdin = child.stdin.take().expect("stdin");
        Console { child, stdin, out }
    }

    fn send(&mut self, line: &str) {
        let _ = writeln!(self.stdin, "{line}");
        let _ = self.stdin.flush();
    }

    fn len(&self) -> usize {
        self.out.lock().map(|o| o.len()).unwrap_or(0)
    }

    fn since(&self, mark: usize) -> String {
        self.out
            .lock()
            .map(|o| o.get(mark..).unwrap_or("").to_string())
            .unwrap_or_default()
    }

    /// Waits until what was printed after `mark` satisfies `done`; returns it.
    fn wait(
        &self,
        mark: usize,
        limit: Duration,
        what: &str,
        done: impl Fn(&str) -> bool,
    ) -> String {
        let t = Instant::now();
        loop {
            let seen = self.since(mark);
            if done(&seen) {
                return seen;
            }
            assert!(
                t.elapsed() < limit,
                "console: no {what} within {limit:?}; it printed:\n{seen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs `line` and returns its output: what follows the console's echo of the
    /// line, up to the next prompt.
    fn command(&mut self, line: &str, limit: Duration) -> String {
        let mark = self.len();
        self.send(line);
        let echo = format!("{line}\n");
        let after = |s: &str| {
            s.split_once(echo.as_str())
                .map(|(_, rest)| rest.to_string())
        };
        let seen = self.wait(mark, limit, &format!("prompt after {line:?}"), |s| {
            after(s).is_some_and(|rest| rest.contains("pvm> "))
        });
        let rest = after(&seen).unwrap_or_default();
        rest.split("pvm> ").next().unwrap_or("").to_string()
    }

    /// `conf`: the hosts as (name, dtid).
    fn conf(&mut self) -> Vec<(String, String)> {
        let out = self.command("conf", Duration::from_secs(20));
        out.lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (f.len() == 5 && f[2] == "LINUX64").then(|| (f[0].to_string(), f[1].to_string()))
            })
            .collect()
    }

    /// Runs `spawn -> ...` and waits for the job's "[N] finished".
    fn job(&mut self, spawn: &str, limit: Duration) -> String {
        let (mark, n) = self.start_job(spawn);
        self.wait(mark, limit, &format!("end of job {n}"), |s| {
            s.contains(&format!("[{n}] finished"))
        })
    }

    /// Sends a `spawn -> ...` and returns where its output starts and its job number.
    fn start_job(&mut self, spawn: &str) -> (usize, u32) {
        let mark = self.len();
        self.send(spawn);
        let first = self.wait(mark, Duration::from_secs(20), "job number", |s| {
            job_number(s).is_some()
        });
        (mark, job_number(&first).expect("job number"))
    }

    /// The output of job `n` once it has finished.
    fn finished_job(&self, mark: usize, n: u32) -> Option<String> {
        let seen = self.since(mark);
        seen.contains(&format!("[{n}] finished")).then_some(seen)
    }

    fn wait_exit(&mut self, limit: Duration) {
        let t = Instant::now();
        while t.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(mut pipe: Box<dyn Read + Send>, out: Arc<Mutex<String>>) {
    let mut buf = [0u8; 4096];
    while let Ok(n @ 1..) = pipe.read(&mut buf) {
        if let Ok(mut o) = out.lock() {
            o.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
}

/// The job number the console printed as `[N]` on a line of its own.
fn job_number(s: &str) -> Option<u32> {
    s.lines()
        .find_map(|l| l.trim().strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

/// The host number of a tid written as PVM prints it (`t80001` -> 2).
fn host_of(tid: &str) -> u32 {
    let raw = u32::from_str_radix(tid.trim_start_matches('t'), 16).expect("hex tid");
    (raw >> 18) & 0xfff
}

/// The tids of a job's tasks, from the console's `[job:tid]` prefixes.
fn job_tids(output: &str) -> Vec<String> {
    let mut tids: Vec<String> = output
        .lines()
        .filter_map(|l| {
            let inner = l.trim().strip_prefix('[')?.split(']').next()?;
            Some(inner.split_once(':')?.1.to_string())
        })
        .collect();
    tids.sort();
    tids.dedup();
    tids
}

const CLUSTER_HOSTS: [(&str, &str); 3] = [("h1", ""), ("h2", ""), ("h3", "")];

#[test]
fn hostfile_startup_conf_hello_and_master1_across_hosts() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up('a', 3);
    let hostfile = c.hostfile("", &CLUSTER_HOSTS);
    let console = c.start_console(&hostfile);
    let hosts = console.conf();
    let dtids: Vec<&str> = hosts.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(dtids, ["40000", "80000", "c0000", "100000"], "{hosts:?}");
    let names: Vec<&str> = hosts[1..].iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["h1", "h2", "h3"]);
    let name_of = |tid: &str| hosts[host_of(tid) as usize - 1].0.clone();

    // hello on h3 greets the hello_other it spawned, wherever that ran; the greeting
    // names the host the sender's tid says it ran on (this machine's real name for
    // host 1, which conf may show under another alias, so only remote ones are
    // compared by name).
    let out = console.job("spawn -h3 -> hello", Duration::from_secs(30));
    assert!(out.contains("i'm t100001"), "{out}");
    let greeting = out
        .lines()
        .find_map(|l| l.split_once("from t").map(|(_, rest)| rest.to_string()))
        .unwrap_or_else(|| panic!("no greeting: {out}"));
    let (sender, text) = greeting.split_once(": ").expect("from tX: text");
    let sender = format!("t{sender}");
    assert!(text.starts_with("hello, world from "), "{out}");
    if host_of(&sender) != 1 {
        assert_eq!(text, format!("hello, world from {}", name_of(&sender)));
    }

    // Four hellos spread over the four hosts; each one's partner answers.
    let out = console.job("spawn -4 -> hello", Duration::from_secs(40));
    assert_eq!(out.matches("hello, world from").count(), 4, "{out}");
    let mut placed: Vec<u32> = out
        .lines()
        .filter_map(|l| l.split("i'm ").nth(1))
        .map(host_of)
        .collect();
    placed.sort_unstable();
    assert_eq!(placed, [1, 2, 3, 4], "{out}");
    for l in out.lines().filter(|l| l.contains("hello, world from h")) {
        let (sender, text) = l
            .split_once("from t")
            .and_then(|(_, r)| r.split_once(": "))
            .expect("greeting line");
        assert_eq!(
            text,
            format!("hello, world from {}", name_of(&format!("t{sender}")))
        );
    }

    // master1 spawns three slave1 per host; every answer is the one expected.
    let out = console.job("spawn -> master1", Duration::from_secs(60));
    assert!(
        out.contains("Spawning 12 worker tasks ... SUCCESSFUL"),
        "{out}"
    );
    let answers: Vec<&str> = out.lines().filter(|l| l.contains("I got ")).collect();
    assert_eq!(answers.len(), 12, "{out}");
    for a in &answers {
        let got = a.split("I got ").nth(1).and_then(|r| r.split(' ').next());
        let want = a
            .split("(expecting ")
            .nth(1)
            .and_then(|r| r.split(')').next());
        assert!(got.is_some() && got == want, "{a}");
    }
    let mut slave_hosts: Vec<u32> = job_tids(&out).iter().map(|t| host_of(t)).collect();
    slave_hosts.sort_unstable();
    slave_hosts.dedup();
    assert_eq!(slave_hosts, [1, 2, 3, 4], "tasks on every host: {out}");
}

#[test]
fn a_memory_hog_on_one_host_dies_there_and_the_pvm_carries_on() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up_with('h', 3, &["--memory", "128M"]);
    let hostfile = c.hostfile("", &CLUSTER_HOSTS);
    c.start_console(&hostfile);
    assert_eq!(c.console().conf().len(), 4);

    // dd fills a 512 MiB buffer on h3: the largest process there, so the one killed.
    let out = c.vcluster(&[
        "exec",
        "--name",
        &c.name,
        "h3",
        "sh",
        "-c",
        "dd if=/dev/zero of=/dev/null bs=512M count=1 2>/dev/null; echo $?",
    ]);
    assert_eq!(text(&out.stdout), "137", "{}", text(&out.stderr));

    // Every pvmd lives on, h3's too, and tasks run on the others as before.
    let console = c.console();
    assert_eq!(console.conf().len(), 4);
    for h in ["h1", "h2", "h3"] {
        let out = console.job(&format!("spawn -{h} -> hello"), Duration::from_secs(30));
        assert!(out.contains("hello, world from"), "{h}: {out}");
    }
}

#[test]
fn messages_cross_hosts_through_pvmds_and_by_direct_route() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up('b', 1);
    // This machine slow, h1 fast: PvmTaskDefault spawns land on h1.
    let hostfile = c.hostfile("localhost sp=1", &[("h1", "sp=1000000")]);
    let console = c.start_console(&hostfile);
    assert_eq!(console.conf().len(), 2);
    let out = console.job("spawn -localhost -> hello", Duration::from_secs(30));
    assert!(out.contains("i'm t40"), "{out}");
    assert!(out.contains("hello, world from h1"), "{out}");
    for mode in ["pvmd", "direct"] {
        // Long enough to catch the echo task's links while it runs.
        let spawn = format!("spawn -localhost -> pingpong {mode} 20000 50");
        let (mark, n) = c.console().start_job(&spawn);
        let t = Instant::now();
        let mut tcp_links = 0;
        let out = loop {
            tcp_links = tcp_links.max(c.tcp_links_of("h1", "pingpong"));
            if let Some(out) = c.console().finished_job(mark, n) {
                break out;
            }
            let seen = c.console().since(mark);
            assert!(t.elapsed() < Duration::from_secs(120), "{mode}: {seen}");
            std::thread::sleep(Duration::from_millis(20));
        };
        let tids = job_tids(&out);
        let hosts: Vec<u32> = tids.iter().map(|t| host_of(t)).collect();
        assert!(hosts.contains(&1) && hosts.contains(&2), "{mode}: {out}");
        let value = |key: &str| -> f64 {
            out.lines()
                .find_map(|l| l.split(&format!("{key} ")).nth(1))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("{mode}: no {key}: {out}"))
        };
        assert!(value("rtt_us") > 0.0 && value("mbps") > 0.0, "{out}");
        eprintln!("{mode}: {tcp_links} TCP links of the echo task seen");
        // Through the pvmds the echo task only talks to its own pvmd (a Unix socket);
        // by direct route it has a TCP link of its own to its peer on this machine.
        if mode == "pvmd" {
            assert_eq!(tcp_links, 0, "a pvmd-routed task with its own TCP link");
        } else {
            assert!(tcp_links > 0, "no direct TCP link seen: {out}");
        }
    }
}

#[test]
fn a_host_cut_off_is_deleted_notified_and_added_back() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up('c', 3);
    let hostfile = c.hostfile("", &CLUSTER_HOSTS);
    c.start_console(&hostfile);
    assert_eq!(c.console().conf().len(), 4);
    let console = c.console();
    let mark = console.len();
    console.send("spawn -localhost -> hostwatch h2");
    console.wait(mark, Duration::from_secs(30), "watching", |s| {
        s.contains("watching h2 tc0000 sleeper tc0001")
    });

    c.host_command("kill", "h2");
    let cut = Instant::now();
    let console = c.console();
    let seen = console.wait(mark, Duration::from_secs(15), "notifications", |s| {
        s.contains("done")
    });
    eprintln!("notified {:?} after h2 was cut off", cut.elapsed());
    assert!(seen.contains("host-delete tc0000"), "{seen}");
    assert!(seen.contains("task-exit tc0001"), "{seen}");
    let hosts = loop {
        let hosts = console.conf();
        if hosts.len() == 3 || cut.elapsed() > Duration::from_secs(15) {
            break hosts;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let names: Vec<&str> = hosts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[1..], ["h1", "h3"], "{hosts:?}");

    // The others keep working.
    let out = console.job("spawn -h3 -> hello", Duration::from_secs(30));
    assert!(out.contains("hello, world from"), "{out}");

    // Healed, h2 can be added again, and works.
    c.host_command("heal", "h2");
    let console = c.console();
    let out = console.command("add h2", Duration::from_secs(40));
    assert!(out.contains("1 successful"), "{out}");
    let hosts = console.conf();
    assert_eq!(hosts.len(), 4, "{hosts:?}");
    let out = console.job("spawn -h2 -> hello", Duration::from_secs(30));
    assert!(out.contains("i'm t"), "{out}");
    assert!(out.contains("hello, world from"), "{out}");
}

#[test]
fn halt_stops_every_pvmd_and_down_leaves_nothing() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up('d', 3);
    let hostfile = c.hostfile("", &CLUSTER_HOSTS);
    c.start_console(&hostfile);
    let console = c.console();
    assert_eq!(console.conf().len(), 4);
    // Tasks that would run for long on every host.
    let out = console.command("spawn -4 hostwatch sleep", Duration::from_secs(30));
    assert!(out.contains("4 successful"), "{out}");
    for h in ["h1", "h2", "h3"] {
        let procs = c.processes_in(h);
        assert!(
            procs.iter().any(|p| p.contains("--slave"))
                && procs.iter().any(|p| p.contains("hostwatch")),
            "{h}: {procs:?}"
        );
    }
    let master = c.master_pid().expect("master pid");

    let console = c.console();
    console.send("halt");
    console.wait_exit(Duration::from_secs(15));
    let t = Instant::now();
    while alive(master) && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!alive(master), "master pvmd still running");
    let mut left = Vec::new();
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(10) {
        left = ["h1", "h2", "h3"]
            .iter()
            .flat_map(|h| c.processes_in(h))
            .collect();
        if left.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(left.is_empty(), "left running after halt: {left:?}");

    let out = c.vcluster(&["down", &c.name]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let netns = Command::new("ip")
        .args(["netns", "list"])
        .output()
        .expect("ip");
    let links = Command::new("ip")
        .args(["-o", "link"])
        .output()
        .expect("ip");
    let prefix = format!("vc-{}-", c.name);
    assert!(!text(&netns.stdout).contains(&prefix));
    assert!(!text(&links.stdout).contains(&prefix));
    assert!(!text(&links.stdout).contains(&format!("vcbr-{}", c.name)));
}

/// prender with `+V`: runs in `dir`, joining the cluster's virtual machine when `c`
/// is given (else a private one-host machine of its own).
fn prender(c: Option<&PvmCluster>, dir: &Path, args: &[&str]) -> Output {
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).expect("PVM_TMP");
    let mut cmd = Command::new(pvm_harness::binary("raytracer", "prender"));
    cmd.args(args).current_dir(dir).env_remove("PVM_SOCKET");
    match c {
        Some(c) => cmd
            .env("PVM_TMP", c.pvm_tmp())
            .env("PVM_ROOT", c.pvm_root()),
        None => cmd.env("PVM_TMP", &tmp),
    };
    cmd.output().expect("run prender")
}

#[test]
fn prender_across_hosts_matches_a_local_render() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up('e', 3);
    let hostfile = c.hostfile("", &CLUSTER_HOSTS);
    let console = c.start_console(&hostfile);
    assert_eq!(console.conf().len(), 4);
    let scene = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenes/vase.pov");
    let input = format!("+I{}", scene.display());
    let size = ["+W120", "+H90", "+A0.3"];
    let dir = c.work.path().to_path_buf();

    let mut args = vec![input.as_str(), "+Olocal.tga"];
    args.extend(size);
    let out = prender(None, &dir, &args);
    assert!(out.status.success(), "local: {}", text(&out.stderr));

    let mut args = vec![
        input.as_str(),
        "+Odist.tga",
        "+NT3",
        "+NW16",
        "+NH16",
        "pvm_hosts=h1,h2,h3",
        "+V",
    ];
    args.extend(size);
    let out = prender(Some(&c), &dir, &args);
    let report = text(&out.stderr);
    assert!(out.status.success(), "distributed: {report}");
    // Every slave ran on a virtual host and did some of the work.
    for h in ["h1", "h2", "h3"] {
        let row = report
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(h))
            .unwrap_or_else(|| panic!("no slave on {h}: {report}"));
        let pixels: u64 = row
            .split_whitespace()
            .nth(3)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        assert!(pixels > 0, "{row}");
    }
    let local = std::fs::read(dir.join("local.tga")).expect("local image");
    let dist = std::fs::read(dir.join("dist.tga")).expect("distributed image");
    assert!(
        dist == local,
        "the distributed image differs from the local one"
    );
}

#[test]
fn start_failures_come_back_with_their_reason_and_disturb_nothing() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up('f', 3);
    let h2 = c.addr("h2");
    let unused = format!("{}.99", h2.rsplit_once('.').expect("dotted address").0);
    // A pvmd of the same user already runs on h2 (its own PVM_TMP, from vcluster).
    let pvmd = pvm_harness::pvmd_binary().to_path_buf();
    let script = format!("{} </dev/null >/dev/null 2>&1 &", pvmd.display());
    let out = c.vcluster(&["exec", "--name", &c.name, "h2", "sh", "-c", &script]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let hostfile = c.hostfile(
        "",
        &[
            ("h1", ""),
            ("&h2", "dx=/nonexistent/pvmd"),
            ("&h3", "lo=nosuchuser"),
        ],
    );
    let console = c.start_console(&hostfile);
    assert_eq!(console.conf().len(), 2);
    let wait = Duration::from_secs(40);
    for (add, want) in [
        ("add h2", "no pvmd at /nonexistent/pvmd on h2"),
        ("add h3", "authentication failed for h3"),
        (&format!("add {unused}"), "unreachable: "),
        ("add h1", "h1 is already in the virtual machine"),
        (
            &format!("add {h2}"),
            &format!("a pvmd is already running on {h2} (pid "),
        ),
    ] {
        let out = console.command(add, wait);
        assert!(
            out.contains("0 successful") && out.contains(want),
            "{add}: {out}"
        );
    }
    // Nothing else noticed.
    let hosts = console.conf();
    assert_eq!(hosts.len(), 2, "{hosts:?}");
    let out = console.job("spawn -h1 -> hello", Duration::from_secs(30));
    assert!(out.contains("i'm t80001"), "{out}");
    assert!(out.contains("hello, world from"), "{out}");
}

#[test]
fn a_partitioned_slave_halts_by_itself_and_its_host_is_added_back() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up('g', 3);
    let hostfile = c.hostfile("", &CLUSTER_HOSTS);
    let console = c.start_console(&hostfile);
    assert_eq!(console.conf().len(), 4);
    let out = console.command("spawn -h2 hostwatch sleep", Duration::from_secs(30));
    assert!(out.contains("1 successful"), "{out}");
    let running = |c: &PvmCluster| {
        c.processes_in("h2")
            .into_iter()
            .filter(|p| p.contains("--slave") || p.contains("hostwatch"))
            .count()
    };
    assert_eq!(running(&c), 2, "{:?}", c.processes_in("h2"));

    // Partition: nothing is killed, the link just goes quiet both ways.
    c.host_command("cut", "h2");
    let cut = Instant::now();
    let console = c.console();
    let hosts = loop {
        let hosts = console.conf();
        if hosts.len() == 3 || cut.elapsed() > Duration::from_secs(15) {
            break hosts;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(hosts.len(), 3, "{hosts:?}");
    // The slave on the other side sees its master gone, and halts with its task.
    while running(&c) > 0 && cut.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(running(&c), 0, "{:?}", c.processes_in("h2"));
    eprintln!("h2's slave gone {:?} after the cut", cut.elapsed());

    // Healed, the host joins again (no stale pvmd there to refuse it).
    c.host_command("heal", "h2");
    let console = c.console();
    let out = console.command("add h2", Duration::from_secs(40));
    assert!(out.contains("1 successful"), "{out}");
    assert_eq!(console.conf().len(), 4);
}

/// A process's peak resident memory (VmHWM), in bytes.
fn peak_rss(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[test]
fn a_receiver_that_does_not_read_on_h2_stalls_nothing_between_h1_and_h3() {
    if !root_or_skip() {
        return;
    }
    let mut c = PvmCluster::up('i', 3);
    let hostfile = c.hostfile("", &CLUSTER_HOSTS);
    let console = c.start_console(&hostfile);
    assert_eq!(console.conf().len(), 4);
    // The sink on h2 reads nothing until signalled; the sender on h1 floods it through
    // the master; meanwhile h1 and h3 ping-pong through the master too.
    let out = console.job(
        "spawn -localhost -> flood 200000 1024 h2 h1 h1 h3 1000",
        Duration::from_secs(300),
    );
    assert!(
        out.contains("held yes at "),
        "the sender was never held: {out}"
    );
    assert!(out.contains("sink ok 200000 "), "{out}");
    // Round trips while the sender streams and while it is held.
    for key in ["rtt_during_us ", "rtt_stopped_us "] {
        let us = out
            .lines()
            .find_map(|l| l.split(key).nth(1))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no {key}: {out}"));
        assert!(us > 0.0, "{out}");
    }
    eprintln!("{out}");
    let mut pvmds = vec![("master".to_string(), c.master_pid().expect("master pid"))];
    for h in ["h1", "h2", "h3"] {
        let pid = c.pvmd_in(h).unwrap_or_else(|| panic!("no pvmd in {h}"));
        pvmds.push((h.to_string(), pid));
    }
    for (host, pid) in pvmds {
        let peak = peak_rss(pid);
        eprintln!(
            "pvmd of {host}: peak {:.1} MB",
            peak as f64 / (1 << 20) as f64
        );
        assert!(
            peak > 0 && peak < 64 << 20,
            "pvmd of {host} peaked at {} MB",
            peak >> 20
        );
    }
}
