//! Builds a real 3-host cluster, logs into its hosts over ssh, cuts one off and tears it
//! all down, checking that nothing it made is left behind.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{is_root, root_or_skip, text};

const VCLUSTER: &str = env!("CARGO_BIN_EXE_vcluster");

/// A cluster that is always taken down, also when the test panics.
struct TestCluster {
    name: String,
    root: PathBuf,
}

impl TestCluster {
    fn up(count: usize) -> TestCluster {
        let name = format!("t{}", std::process::id() % 10_000_000);
        let root = std::env::temp_dir().join(format!("vcluster-test-{name}"));
        let c = TestCluster { name, root };
        let out = c.vcluster(&[
            "up",
            &count.to_string(),
            "--name",
            &c.name,
            "--user",
            "root",
        ]);
        assert!(out.status.success(), "up failed: {}", text(&out.stderr));
        c
    }

    fn vcluster(&self, args: &[&str]) -> Output {
        Command::new(VCLUSTER)
            .args(args)
            .env("VCLUSTER_DIR", &self.root)
            .output()
            .expect("run vcluster")
    }

    fn dir(&self) -> PathBuf {
        self.root.join(&self.name)
    }

    fn ssh(&self, host: &str, cmd: &str) -> Output {
        Command::new("ssh")
            .arg("-F")
            .arg(self.dir().join("ssh_config"))
            .args([host, cmd])
            .output()
            .expect("run ssh")
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        let _ = self.vcluster(&["down", &self.name]);
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn namespaces() -> String {
    text(
        &Command::new("ip")
            .args(["netns", "list"])
            .output()
            .unwrap()
            .stdout,
    )
}

fn links() -> String {
    text(
        &Command::new("ip")
            .args(["-o", "link"])
            .output()
            .unwrap()
            .stdout,
    )
}

#[test]
fn cluster_lifecycle() {
    if !root_or_skip() {
        return;
    }
    let c = TestCluster::up(3);
    let prefix = format!("vc-{}-", c.name);

    // Each host answers over ssh under its own name and address.
    for i in 1..=3 {
        let out = c.ssh(
            &format!("h{i}"),
            "hostname; cat /proc/net/fib_trie | grep -c 10.250",
        );
        assert!(out.status.success(), "ssh h{i}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with(&format!("h{i}\n")),
            "{:?}",
            text(&out.stdout)
        );
    }

    // Each host has its own PVM_TMP, private to the cluster's user, in ssh sessions
    // and in `vcluster exec` alike.
    for i in 1..=3 {
        let want = c.dir().join("tmp").join(format!("h{i}"));
        let out = c.ssh(&format!("h{i}"), "echo $PVM_TMP");
        assert_eq!(text(&out.stdout), want.display().to_string());
        let out = c.vcluster(&[
            "exec",
            "--name",
            &c.name,
            &format!("h{i}"),
            "sh",
            "-c",
            "echo $PVM_TMP",
        ]);
        assert_eq!(text(&out.stdout), want.display().to_string());
        let meta = std::fs::metadata(&want).expect("host PVM_TMP");
        assert_eq!(meta.permissions().mode() & 0o777, 0o700);
    }
    // What a client sends cannot move it.
    let out = Command::new("ssh")
        .arg("-F")
        .arg(c.dir().join("ssh_config"))
        .args(["-o", "SetEnv=PVM_TMP=/elsewhere", "h1", "echo $PVM_TMP"])
        .output()
        .expect("run ssh");
    assert_eq!(
        text(&out.stdout),
        c.dir().join("tmp/h1").display().to_string()
    );

    // The hostfile names every host with its address.
    let hostfile = std::fs::read_to_string(c.dir().join("hostfile")).unwrap();
    assert_eq!(
        hostfile
            .lines()
            .filter(|l| l.contains(" ip=10.250."))
            .count(),
        3
    );

    // Hosts reach each other across the bridge.
    let out = c.vcluster(&[
        "exec",
        "--name",
        &c.name,
        "h1",
        "bash",
        "-c",
        &format!(
            "exec 3<>/dev/tcp/{}/22 && head -c 7 <&3",
            host_addr(&hostfile, "h2")
        ),
    ]);
    assert_eq!(text(&out.stdout), "SSH-2.0", "{}", text(&out.stderr));

    // A killed host is unreachable; the others keep working.
    let out = c.vcluster(&["kill", "--name", &c.name, "h2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!c.ssh("h2", "true").status.success());
    assert!(c.ssh("h3", "true").status.success());
    let list = text(&c.vcluster(&["list"]).stdout);
    assert!(list.contains("h2") && list.contains("down"), "{list}");

    // A process left in a host is gone once it is killed, and healing brings it back
    // with nothing of its old processes.
    let out = c.vcluster(&["heal", "--name", &c.name, "h2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = c.ssh("h2", "hostname");
    assert_eq!(text(&out.stdout), "h2", "{}", text(&out.stderr));

    // A cut host keeps its processes but cannot be reached until healed.
    let out = c.vcluster(&["cut", "--name", &c.name, "h3"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!c.ssh("h3", "true").status.success());
    let list = text(&c.vcluster(&["list"]).stdout);
    let h3 = list.lines().find(|l| l.trim_start().starts_with("h3 "));
    assert!(
        h3.is_some_and(|l| l.contains("sshd up") && l.contains("link down")),
        "{list}"
    );
    let out = c.vcluster(&["heal", "--name", &c.name, "h3"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(c.ssh("h3", "true").status.success());

    // down kills whatever still runs in the hosts, detached or not.
    // The host has a PID namespace of its own: the pid it reports is not this
    // machine's, so the process is found by its network namespace.
    let out = c.ssh(
        "h3",
        "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The shell answers once it has forked: the child may not have become `sleep` yet.
    let ns = format!("{prefix}h3");
    let deadline = Instant::now() + Duration::from_secs(60);
    let orphan = loop {
        if let Some(pid) = find_in_netns(&ns, "sleep\x00300") {
            break pid;
        }
        assert!(
            Instant::now() < deadline,
            "no background process: {}",
            text(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(50));
    };

    // down removes namespaces, interfaces, sshds and files.
    let out = c.vcluster(&["down", &c.name]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!namespaces().contains(&prefix), "{}", namespaces());
    assert!(!links().contains(&prefix), "{}", links());
    assert!(!links().contains(&format!("vcbr-{}", c.name)));
    assert!(!Path::new(&c.dir()).exists());
    assert!(!alive(&orphan), "left running");
}

/// The pid (on this machine) of a process in network namespace `ns` whose command line
/// holds `cmdline` (arguments separated by NUL).
fn find_in_netns(ns: &str, cmdline: &str) -> Option<String> {
    let out = Command::new("ip")
        .args(["netns", "pids", ns])
        .output()
        .ok()?;
    text(&out.stdout)
        .split_whitespace()
        .find(|p| {
            std::fs::read(format!("/proc/{p}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(cmdline))
        })
        .map(str::to_string)
}

/// Whether a process runs (a zombie waiting for init to reap it does not).
fn alive(pid: &str) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The state follows the parenthesised command name.
    match stat.rsplit_once(") ") {
        Some((_, rest)) => !rest.starts_with('Z') && !rest.starts_with('X'),
        None => false,
    }
}

#[test]
fn refuses_bad_requests_cleanly() {
    let out = Command::new(VCLUSTER)
        .args(["up", "2", "--name", "Bad_Name"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    if is_root() {
        assert!(err.contains("bad cluster name"), "{err}");
    } else {
        assert!(err.contains("needs root"), "{err}");
    }
    let out = Command::new(VCLUSTER)
        .args(["frobnicate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

fn host_addr(hostfile: &str, host: &str) -> String {
    hostfile
        .lines()
        .find(|l| l.starts_with(&format!("{host} ")))
        .and_then(|l| l.split("ip=").nth(1))
        .expect("host in hostfile")
        .trim()
        .to_string()
}
