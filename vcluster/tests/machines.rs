//! Virtual hosts as machines of their own: each host's files, processes, host name and
//! memory are its own; clusters are saved, restored, cloned and reset; several run side
//! by side; 64 hosts come and go leaving nothing behind. Root only (CI is root); each
//! test makes its own cluster names, folders and subnets and removes them also when it
//! fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{root_or_skip, text};

const VCLUSTER: &str = env!("CARGO_BIN_EXE_vcluster");

/// A cluster folder (VCLUSTER_DIR) and image folder (VCLUSTER_IMAGES) of a test's own,
/// and the clusters made in them: every one is taken down when this is dropped, also
/// when the test panics.
struct Bench {
    root: tempfile::TempDir,
    images: tempfile::TempDir,
    clusters: Vec<String>,
}

impl Bench {
    fn new() -> Bench {
        Bench {
            root: tempfile::tempdir().expect("tempdir"),
            images: tempfile::tempdir().expect("tempdir"),
            clusters: Vec::new(),
        }
    }

    /// A cluster name no other test run uses: `tag` tells this file's tests apart, the
    /// pid other runs.
    fn name(tag: char) -> String {
        format!("m{tag}{}", std::process::id() % 100_000)
    }

    fn vcluster(&self, args: &[&str]) -> Output {
        Command::new(VCLUSTER)
            .args(args)
            .env("VCLUSTER_DIR", self.root.path())
            .env("VCLUSTER_IMAGES", self.images.path())
            .output()
            .expect("run vcluster")
    }

    /// `vcluster ARGS`, which must succeed; returns its standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.vcluster(args);
        assert!(
            out.status.success(),
            "vcluster {args:?}: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Builds cluster `name` with `vcluster up COUNT --name NAME EXTRA...`.
    fn up(&mut self, name: &str, count: usize, extra: &[&str]) {
        self.clusters.push(name.to_string());
        let count = count.to_string();
        let mut args = vec!["up", &count, "--name", name, "--user", "root"];
        args.extend_from_slice(extra);
        self.ok(&args);
    }

    /// Notes a cluster made by restore or clone, so it is taken down too.
    fn made(&mut self, name: &str) {
        self.clusters.push(name.to_string());
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// Runs `sh -c CMD` on a host over ssh.
    fn ssh(&self, name: &str, host: &str, cmd: &str) -> Output {
        Command::new("ssh")
            .arg("-F")
            .arg(self.dir(name).join("ssh_config"))
            .args([host, cmd])
            .output()
            .expect("run ssh")
    }

    /// Runs `sh -c CMD` on a host with `vcluster exec`; returns its output.
    fn exec(&self, name: &str, host: &str, cmd: &str) -> Output {
        self.vcluster(&["exec", "--name", name, host, "sh", "-c", cmd])
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        for c in &self.clusters {
            let _ = self.vcluster(&["down", c]);
        }
    }
}

/// What of cluster `name` this machine still has: namespaces, links, mounts, cgroups,
/// processes and subnet claims naming it.
fn leftovers(name: &str) -> Vec<String> {
    let mut left = Vec::new();
    let tag = format!("vc-{name}-");
    let out = |prog: &str, args: &[&str]| {
        text(&Command::new(prog).args(args).output().expect("run").stdout)
    };
    left.extend(
        out("ip", &["netns", "list"])
            .lines()
            .filter(|l| l.contains(&tag))
            .map(|l| format!("netns {l}")),
    );
    left.extend(
        out("ip", &["-o", "link"])
            .lines()
            .filter(|l| l.contains(&tag) || l.contains(&format!("vcbr-{name}")))
            .map(|l| format!("link {l}")),
    );
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    left.extend(
        mounts
            .lines()
            .filter(|l| l.contains(&format!("/{name}/")) || l.contains(&tag))
            .map(|l| format!("mount {l}")),
    );
    for hierarchy in ["", "memory", "cpu", "cpuacct"] {
        let d = Path::new("/sys/fs/cgroup")
            .join(hierarchy)
            .join(format!("vcluster.{name}"));
        if d.exists() {
            left.push(format!("cgroup {}", d.display()));
        }
    }
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else {
                continue;
            };
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(" _init ") && cmd.contains(&format!("/{name}/")) {
                left.push(format!("process {cmd}"));
            }
        }
    }
    left
}

#[test]
fn a_hosts_files_processes_and_name_are_its_own() {
    if !root_or_skip() {
        return;
    }
    let mut b = Bench::new();
    let n = Bench::name('a');
    b.up(&n, 3, &[]);
    let marker = format!("/root/vcluster-test-{n}");

    // A file written on h1 is there on h1 only.
    let out = b.ssh(&n, "h1", &format!("echo mine > {marker} && cat {marker}"));
    assert_eq!(text(&out.stdout), "mine", "{}", text(&out.stderr));
    assert!(
        !Path::new(&marker).exists(),
        "the file reached this machine"
    );
    let out = b.ssh(
        &n,
        "h2",
        &format!("test -e {marker} && echo there || echo absent"),
    );
    assert_eq!(text(&out.stdout), "absent");

    // A package installed on h2 (a directory with a program) runs there only.
    let pkg = format!("/opt/vcpkg-{n}");
    let install = format!(
        "mkdir -p {pkg}/bin && printf '#!/bin/sh\\necho tool on $(hostname)\\n' > {pkg}/bin/tool \
         && chmod +x {pkg}/bin/tool"
    );
    let out = b.exec(&n, "h2", &install);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = b.ssh(&n, "h2", &format!("{pkg}/bin/tool"));
    assert_eq!(text(&out.stdout), "tool on h2", "{}", text(&out.stderr));
    for h in ["h1", "h3"] {
        let out = b.exec(
            &n,
            h,
            &format!("test -e {pkg} && echo there || echo absent"),
        );
        assert_eq!(text(&out.stdout), "absent", "{h}");
    }
    assert!(!Path::new(&pkg).exists());

    // Its own PID namespace: PID 1 is the host's init, and only the host's own
    // processes are listed (no trace of this test).
    let out = b.ssh(
        &n,
        "h3",
        "cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /proc | grep -c '^[0-9]'",
    );
    let listing = text(&out.stdout);
    let mut lines = listing.lines();
    assert!(
        lines.next().is_some_and(|l| l.contains("_init")),
        "{listing}"
    );
    let count: usize = lines
        .next()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(999);
    assert!(count < 20, "h3 sees {count} processes: {listing}");
    let me = std::process::id().to_string();
    let out = b.ssh(
        &n,
        "h3",
        &format!("test -e /proc/{me}/cmdline && cat /proc/{me}/cmdline"),
    );
    assert!(
        !text(&out.stdout).contains("machines"),
        "the test is visible on h3"
    );

    // /etc/hosts names every host, so hosts reach each other by name.
    let out = b.ssh(&n, "h1", "ssh h3 hostname");
    assert_eq!(text(&out.stdout), "h3", "{}", text(&out.stderr));
    let out = b.exec(&n, "h2", "getent hosts h1 h2 h3 | wc -l");
    assert_eq!(text(&out.stdout), "3");

    // Its own IPC namespace: a message queue made on h1 is not on h2.
    if Command::new("ipcmk").arg("--help").output().is_ok() {
        let out = b.exec(&n, "h1", "ipcmk -Q >/dev/null && ipcs -q | grep -c 0x");
        assert_eq!(text(&out.stdout), "1", "{}", text(&out.stderr));
        let out = b.exec(&n, "h2", "ipcs -q | grep -c 0x");
        assert_eq!(text(&out.stdout), "0");
    }

    // kill ends exactly the host's processes: h3's go, h1's stay.
    let out = b.ssh(
        &n,
        "h1",
        "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo started",
    );
    assert_eq!(text(&out.stdout), "started");
    b.ok(&["kill", "--name", &n, "h3"]);
    let out = b.exec(&n, "h1", "pgrep -x sleep | wc -l");
    assert_eq!(text(&out.stdout), "1", "h1's sleeper died with h3");
    b.ok(&["heal", "--name", &n, "h3"]);
    let out = b.ssh(&n, "h3", "hostname");
    assert_eq!(text(&out.stdout), "h3");

    b.ok(&["down", &n]);
    let left = leftovers(&n);
    assert!(left.is_empty(), "left behind: {left:#?}");
}

#[test]
fn a_memory_hog_dies_on_its_host_only() {
    if !root_or_skip() {
        return;
    }
    let mut b = Bench::new();
    let n = Bench::name('b');
    b.up(&n, 3, &["--memory", "48M", "--cpus", "0.5"]);
    // dd fills a 256 MiB buffer: far over h3's 48 MiB.
    let out = b.exec(
        &n,
        "h3",
        "dd if=/dev/zero of=/dev/null bs=256M count=1 2>/dev/null; echo $?",
    );
    let status: i32 = text(&out.stdout).parse().unwrap_or(-1);
    assert!(
        status == 137 || status == 1,
        "the hog was not stopped: {status} {}",
        text(&out.stderr)
    );
    for h in ["h1", "h2", "h3"] {
        let out = b.ssh(&n, h, "hostname");
        assert_eq!(
            text(&out.stdout),
            h,
            "{h} after the hog: {}",
            text(&out.stderr)
        );
    }
    // What fits in a host runs.
    let out = b.exec(
        &n,
        "h1",
        "dd if=/dev/zero of=/dev/null bs=8M count=4 2>/dev/null; echo $?",
    );
    assert_eq!(text(&out.stdout), "0");
    let list = b.ok(&["list"]);
    assert!(
        list.contains("memory 48.0 MiB per host") && list.contains("0.5 CPUs"),
        "{list}"
    );
    let h1 = list
        .lines()
        .find(|l| l.trim_start().starts_with("h1 "))
        .unwrap_or("");
    assert!(h1.contains(" MiB") && h1.contains('s'), "no usage: {list}");
}

#[test]
fn bad_requests_get_clear_errors() {
    let mut b = Bench::new();
    let e = fails(&b, &["up", "2", "--memory", "lots"]);
    assert!(e.contains("bad memory size"), "{e}");
    let e = fails(&b, &["up", "2", "--cpus=-1"]);
    assert!(e.contains("bad CPU share"), "{e}");
    for sub in [
        "up", "save", "restore", "reset", "clone", "images", "list", "exec",
    ] {
        let out = b.vcluster(&[sub, "--help"]);
        assert!(out.status.success(), "{sub} --help");
    }
    if !common::is_root() {
        let e = fails(&b, &["up", "2", "--name", "x"]);
        assert!(e.contains("needs root"), "{e}");
        return;
    }
    let n = Bench::name('c');
    let e = fails(
        &b,
        &["up", "2", "--name", &n, "--base", "/nonexistent/root"],
    );
    assert!(e.contains("does not exist"), "{e}");
    let e = fails(&b, &["restore", "no-such-image"]);
    assert!(e.contains("no saved image"), "{e}");
    let e = fails(&b, &["up", "2", "--name", &n, "--user", "nobody"]);
    assert!(e.contains("cannot log in"), "{e}");
    assert!(!b.dir(&n).exists());
    let e = fails(
        &b,
        &["up", "2", "--name", &n, "--user", "root", "--subnet", "254"],
    );
    assert!(e.contains("bad subnet"), "{e}");

    // A subnet a cluster holds is refused to the next, which leaves nothing behind.
    b.up(&n, 1, &[]);
    let list = b.ok(&["list"]);
    let subnet = list
        .split("(10.250.")
        .nth(1)
        .and_then(|r| r.split('.').next())
        .expect("subnet in list")
        .to_string();
    let other = Bench::name('g');
    let e = fails(
        &b,
        &[
            "up", "1", "--name", &other, "--user", "root", "--subnet", &subnet,
        ],
    );
    assert!(e.contains("already in use"), "{e}");
    assert!(!b.dir(&other).exists());
}

/// Runs `vcluster ARGS`, which must fail; returns what it said.
fn fails(b: &Bench, args: &[&str]) -> String {
    let out = b.vcluster(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    text(&out.stderr)
}

#[test]
fn save_restore_clone_and_reset() {
    if !root_or_skip() {
        return;
    }
    let mut b = Bench::new();
    let n = Bench::name('d');
    b.up(&n, 2, &[]);
    let f = format!("/root/vcluster-saved-{n}");
    // Files added and a base file deleted (overlay whiteout) are saved alike.
    let out = b.exec(&n, "h1", &format!("echo saved > {f}"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = b.exec(
        &n,
        "h2",
        "rm /etc/debian_version && mkdir -p /srv/data && echo d > /srv/data/x",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let addrs = std::fs::read_to_string(b.dir(&n).join("hostfile")).unwrap();
    let saved = b.ok(&["save", &n, "--name", &n]);
    assert!(saved.contains("MiB"), "{saved}");
    let images = b.ok(&["images"]);
    assert!(
        images.contains(&n) && images.contains("2 hosts"),
        "{images}"
    );
    let e = b.vcluster(&["save", &n, "--name", &n]);
    assert!(text(&e.stderr).contains("already exists"));

    // A clone runs beside the original, with its own subnet, and starts from its files.
    let c = Bench::name('e');
    b.made(&c);
    b.ok(&["clone", &n, &c]);
    let out = b.exec(&c, "h1", &format!("cat {f}"));
    assert_eq!(text(&out.stdout), "saved");
    assert_ne!(
        std::fs::read_to_string(b.dir(&c).join("hostfile")).unwrap(),
        std::fs::read_to_string(b.dir(&n).join("hostfile"))
            .unwrap()
            .replace(&n, &c)
    );
    // ...and taking it down leaves the original alone.
    b.ok(&["down", &c]);
    let out = b.ssh(&n, "h1", &format!("cat {f}"));
    assert_eq!(text(&out.stdout), "saved", "{}", text(&out.stderr));

    // Changes after the save are gone after a restore; what was saved is back.
    let out = b.exec(
        &n,
        "h1",
        &format!("echo later > {f}.later && echo changed > {f}"),
    );
    assert!(out.status.success());
    b.ok(&["down", &n]);
    b.ok(&["restore", &n]);
    assert_eq!(
        std::fs::read_to_string(b.dir(&n).join("hostfile")).unwrap(),
        addrs
    );
    let out = b.ssh(
        &n,
        "h1",
        &format!("cat {f}; test -e {f}.later && echo later"),
    );
    assert_eq!(text(&out.stdout), "saved", "{}", text(&out.stderr));
    let out = b.ssh(
        &n,
        "h2",
        "test -e /etc/debian_version && echo back; cat /srv/data/x",
    );
    assert_eq!(text(&out.stdout), "d");

    // reset puts one host back to the base; the other keeps its files.
    b.ok(&["reset", "--name", &n, "h1"]);
    let out = b.exec(&n, "h1", &format!("test -e {f} && echo there || echo gone"));
    assert_eq!(text(&out.stdout), "gone");
    let out = b.exec(&n, "h2", "cat /srv/data/x");
    assert_eq!(text(&out.stdout), "d");

    // up --fresh throws the whole cluster's files away.
    b.ok(&["up", "2", "--name", &n, "--user", "root", "--fresh"]);
    let out = b.exec(&n, "h2", "test -e /srv/data/x && echo there || echo gone");
    assert_eq!(text(&out.stdout), "gone");
    let out = b.vcluster(&["up", "2", "--name", &n, "--user", "root"]);
    assert!(text(&out.stderr).contains("already exists"));

    b.ok(&["images", "--remove", &n]);
    assert!(!b.ok(&["images"]).contains(&n));
}

#[test]
fn sixty_four_hosts_come_and_go_leaving_nothing() {
    if !root_or_skip() {
        return;
    }
    let mut b = Bench::new();
    let n = Bench::name('f');
    b.up(&n, 64, &["--memory", "64M"]);
    let out = b.ssh(&n, "h64", "hostname; ssh h1 hostname");
    assert_eq!(text(&out.stdout), "h64\nh1", "{}", text(&out.stderr));
    assert!(!leftovers(&n).is_empty());
    b.ok(&["down", &n]);
    let left = leftovers(&n);
    assert!(left.is_empty(), "left behind: {left:#?}");
    assert!(!b.dir(&n).exists());
}
