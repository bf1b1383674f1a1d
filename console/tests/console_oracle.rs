//! Differential test against PVM 3.4.6's own console (Debian's `pvm`, installed as a
//! test oracle by scripts/install-test-deps.sh): the same script of commands goes through
//! both consoles, and what does not depend on the machine (usage errors, table headers,
//! status texts) must read the same.
//!
//! PVM refuses to run as root, so under root the oracle runs as an unprivileged user
//! (`PVM_ORACLE_USER`, default `pvmref`, created if missing) and always in a private
//! PVM_TMP, so it never meets another pvmd of that user. Its pvmd is halted on drop.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::Vm;
use tempfile::TempDir;

/// Debian's PVM console.
const ORACLE: &str = "/usr/bin/pvm";

/// Commands whose output reads the same on any machine.
const SCRIPT: &[&str] = &[
    "conf",
    "ps",
    "foo",
    "kill",
    "kill -c",
    "kill -z t40001",
    "sig 9",
    "mstat",
    "mstat nohost",
    "pstat",
    "put x",
    "setopt PvmRoute",
    "getopt Route",
    "help help help",
    "spawn",
    "spawn -2",
    "alias h help",
    "alias",
    "echo one   two",
    "echo",
    "unalias h",
    "h id",
    "pstat xyz",
    "pstat t40fff",
    "kill t40001",
    "setopt Foo 1",
    "getopt Foo",
    "spawn -nohost /bin/true",
    "spawn /nonexistent/program",
    "jobs",
    "export",
    "export A B",
    "unexport A",
    "export",
    "quit",
];

/// Lines of output that depend on the machine or implementation, per command: how
/// many leading lines to compare (`None`: all).
fn compared_lines(command: &str) -> Option<usize> {
    match command {
        // The count line and the header; rows hold this host's name and data signature.
        "conf" => Some(2),
        // The header; PVM's console lists itself in `ps` (as a task named "-").
        "ps" => Some(1),
        // After quit PVM's console says more than "pvmd still running.".
        "quit" => Some(0),
        _ => None,
    }
}

/// The PVM oracle in its own PVM_TMP, as whoever may run it.
struct Oracle {
    tmp: TempDir,
    user: Option<String>,
}

impl Oracle {
    fn new() -> Oracle {
        assert!(
            Path::new(ORACLE).is_file(),
            "{ORACLE} missing: install Debian's pvm (scripts/install-test-deps.sh)"
        );
        let tmp = tempfile::tempdir().expect("oracle PVM_TMP");
        let user = nix::unistd::geteuid().is_root().then(|| {
            let name = std::env::var("PVM_ORACLE_USER").unwrap_or_else(|_| "pvmref".into());
            ensure_user(&name);
            let u = nix::unistd::User::from_name(&name)
                .expect("user lookup")
                .expect("oracle user exists");
            nix::unistd::chown(tmp.path(), Some(u.uid), Some(u.gid)).expect("chown PVM_TMP");
            name
        });
        Oracle { tmp, user }
    }

    /// `pvm` of PVM 3.4.6 reading `input`.
    fn run(&self, input: &str) -> Output {
        feed(&mut self.command(), input, Duration::ZERO)
    }

    /// `pvm` of PVM 3.4.6 as a command, not started yet.
    fn command(&self) -> Command {
        let shell = format!("PVM_TMP='{}' exec {ORACLE}", self.tmp.path().display());
        let mut cmd = match &self.user {
            Some(user) => {
                let mut c = Command::new("su");
                c.args([user.as_str(), "-s", "/bin/sh", "-c", &shell]);
                c
            }
            None => {
                let mut c = Command::new("/bin/sh");
                c.args(["-c", &shell]);
                c
            }
        };
        cmd.current_dir("/");
        cmd
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        // PVM's halt kills the console too; only the daemon's end matters here.
        let _ = self.run("halt\n");
    }
}

fn ensure_user(name: &str) {
    if nix::unistd::User::from_name(name).ok().flatten().is_none() {
        let status = Command::new("useradd")
            .args(["-m", name])
            .status()
            .expect("run useradd");
        assert!(status.success(), "useradd {name} failed");
    }
}

/// Runs `cmd` with `input` on stdin, line by line with `pause` before each line after
/// the first (so job output can arrive before the next command); returns its output.
fn feed(cmd: &mut Command, input: &str, pause: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start console");
    if let Some(mut stdin) = child.stdin.take() {
        for (i, line) in input.lines().enumerate() {
            if i > 0 {
                std::thread::sleep(pause);
            }
            // A console that has exited takes no more lines; its output says why.
            if writeln!(stdin, "{line}")
                .and_then(|()| stdin.flush())
                .is_err()
            {
                break;
            }
        }
    }
    child.wait_with_output().expect("console output")
}

/// The transcript cut into (command, output lines) at each echoed prompt.
fn blocks(stdout: &[u8]) -> Vec<(String, Vec<String>)> {
    let text = String::from_utf8_lossy(stdout);
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("pvm> ") {
            out.push((cmd.to_string(), Vec::new()));
        } else if let Some((_, lines)) = out.last_mut() {
            lines.push(line.to_string());
        }
    }
    out
}

#[test]
fn usage_errors_and_headers_read_like_pvm() {
    let input: String = SCRIPT.iter().map(|c| format!("{c}\n")).collect();
    // As below: the oracle's console may give up on a slow pvmd; it gets a few tries.
    let mut theirs = Vec::new();
    for _ in 0..3 {
        let oracle = Oracle::new();
        theirs = blocks(&oracle.run(&input).stdout);
        if theirs.len() == SCRIPT.len() {
            break;
        }
    }

    let vm = Vm::start();
    let ours_out = feed(
        &mut vm.command(env!("CARGO_BIN_EXE_pvm")),
        &input,
        Duration::ZERO,
    );
    let ours = blocks(&ours_out.stdout);

    let commands =
        |b: &[(String, Vec<String>)]| b.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>();
    assert_eq!(commands(&theirs), SCRIPT, "oracle transcript: {theirs:?}");
    assert_eq!(commands(&ours), SCRIPT, "our transcript: {ours:?}");
    for ((cmd, t), (_, o)) in theirs.iter().zip(&ours) {
        let n = compared_lines(cmd).unwrap_or(usize::MAX);
        let t: Vec<&String> = t.iter().take(n).collect();
        let o: Vec<&String> = o.iter().take(n).collect();
        assert_eq!(o, t, "`{cmd}` reads differently from PVM 3.4.6");
    }
}

/// The lines of a transcript that report on jobs (`[1]`, `[1:t40002] text`,
/// `[1] finished`) and spawn results, prompts removed.
fn job_lines(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| l.trim_start_matches("pvm> ").to_string())
        .filter(|l| l.starts_with('[') || l.ends_with(" successful") || l.starts_with("t4"))
        .collect()
}

#[test]
fn job_output_reads_like_pvm() {
    // /bin/echo is no PVM program: pvmd collects its output all the same.
    let input =
        "spawn -> /bin/echo hello world\nspawn -2 -> /bin/sh -c 'echo a; sleep 1; echo b'\nquit\n";
    let pause = Duration::from_secs(3);
    // PVM 3.4.6's console gives up when the pvmd it starts is slow to answer, as it
    // may be on a loaded machine: the oracle gets a few tries at a complete run.
    let mut theirs = Vec::new();
    for _ in 0..3 {
        let oracle = Oracle::new();
        theirs = job_lines(&feed(&mut oracle.command(), input, pause).stdout);
        if theirs.iter().any(|l| l == "[1] finished") {
            break;
        }
    }
    let vm = Vm::start();
    let ours = job_lines(&feed(&mut vm.command(env!("CARGO_BIN_EXE_pvm")), input, pause).stdout);
    assert!(
        theirs.iter().any(|l| l == "[1] finished"),
        "oracle: {theirs:?}"
    );
    // Two tasks of one job may interleave differently; compare each task's lines in order.
    let per_task = |lines: &[String], prefix: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l.starts_with(prefix))
            .cloned()
            .collect()
    };
    for prefix in [
        "[1",
        "[2:t40003]",
        "[2:t40004]",
        "[2]",
        "1 successful",
        "2 successful",
    ] {
        assert_eq!(
            per_task(&ours, prefix),
            per_task(&theirs, prefix),
            "lines starting {prefix:?}; ours {ours:?}, PVM's {theirs:?}"
        );
    }
}
