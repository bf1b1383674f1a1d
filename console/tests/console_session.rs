//! Console sessions: the real `pvm` binary driven through stdin against a real pvmd.
//!
//! Most tests use the shared harness ([`common::Vm`]): a private virtual machine whose
//! pvmd is started, and stopped with all its tasks on drop, by the harness. Tests of the
//! console starting pvmd itself wrap a prepared, daemon-less [`common::Vm`] in
//! [`SelfStarted`], which stops whatever pvmd the console started. Programs are spawned
//! by absolute path (`/bin/echo`, `/bin/sleep`, `/bin/sh`) or linked into the VM's
//! program path (the libpvm examples).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, ChildStdin, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use common::{Vm, PATIENCE};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use pvm::proto::runtime::LOCK_NAME;

/// A virtual machine whose pvmd the console under test starts by itself. Dropping it
/// halts that pvmd (through a console) or kills it by the pid in its lock file.
struct SelfStarted(Vm);

impl SelfStarted {
    fn new() -> SelfStarted {
        SelfStarted(Vm::prepare())
    }

    /// The pid in pvmd's lock file, if that process is alive.
    fn pvmd_pid(&self) -> Option<Pid> {
        let text = std::fs::read_to_string(self.0.runtime_dir().join(LOCK_NAME)).ok()?;
        let pid = Pid::from_raw(text.trim().parse().ok()?);
        alive(pid).then_some(pid)
    }
}

impl Drop for SelfStarted {
    fn drop(&mut self) {
        if self.pvmd_pid().is_some() {
            let _ = self
                .0
                .command(env!("CARGO_BIN_EXE_pvm"))
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .and_then(|mut c| {
                    if let Some(mut i) = c.stdin.take() {
                        let _ = i.write_all(b"halt\n");
                    }
                    wait_with_deadline(&mut c, Duration::from_secs(5))
                });
        }
        if let Some(pid) = self.pvmd_pid() {
            let _ = kill(pid, Signal::SIGKILL);
        }
    }
}

/// Whether a pvmd accepts connections on the VM's socket.
fn pvmd_answers(vm: &Vm) -> bool {
    UnixStream::connect(vm.socket()).is_ok()
}

fn alive(pid: Pid) -> bool {
    kill(pid, None).is_ok()
}

fn wait_with_deadline(c: &mut Child, limit: Duration) -> std::io::Result<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = c.try_wait()? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            let _ = c.kill();
            return c.wait();
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// A running `pvm` with its stdin in our hands and its output read line by line.
struct Console {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Receiver<String>,
    /// Everything read so far, for failure messages.
    transcript: Vec<String>,
}

fn line_reader(source: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(source).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

impl Console {
    fn start(vm: &Vm) -> Console {
        let mut cmd = vm.command(env!("CARGO_BIN_EXE_pvm"));
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // A console must not outlive a test runner that dies without unwinding.
        common::die_with_parent(&mut cmd);
        let mut child = cmd.spawn().expect("start pvm");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        Console {
            stdin: child.stdin.take(),
            child,
            lines: line_reader(stdout),
            stderr: line_reader(stderr),
            transcript: Vec::new(),
        }
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("console stdin open");
        writeln!(stdin, "{line}").expect("write to console");
        stdin.flush().expect("flush console stdin");
    }

    /// Reads stdout until a line contains `needle`; returns the lines read, that one last.
    fn expect(&mut self, needle: &str) -> Vec<String> {
        self.expect_line(needle, |l| l.contains(needle))
    }

    /// Reads stdout until a line satisfies `found`; `what` names it in failure messages.
    fn expect_line(&mut self, what: &str, found: impl Fn(&str) -> bool) -> Vec<String> {
        let needle = what;
        let deadline = Instant::now() + PATIENCE;
        let mut read = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.transcript.push(line.clone());
                    let hit = found(&line);
                    read.push(line);
                    if hit {
                        return read;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no line containing {needle:?}; transcript:\n{}",
                    self.transcript.join("\n")
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "console ended before {needle:?}; transcript:\n{}\nstderr:\n{}",
                    self.transcript.join("\n"),
                    self.stderr_text()
                ),
            }
        }
    }

    /// Sends a command and returns its output: everything up to the next prompt. A
    /// trailing `echo` marks the end so the output of the command itself is complete.
    fn run(&mut self, command: &str) -> Vec<String> {
        self.send(command);
        self.send("echo --end--");
        let mut lines = self.expect_line("--end--", |l| l == "--end--");
        lines.pop();
        lines
            .into_iter()
            .filter(|l| !l.ends_with("echo --end--"))
            .collect()
    }

    /// Everything the console wrote to stderr, once it has exited (its stderr closed).
    fn stderr_after_exit(&self) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut lines = Vec::new();
        while let Ok(line) = self
            .stderr
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            lines.push(line);
        }
        lines.join("\n")
    }

    fn stderr_text(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }

    /// Closes stdin and waits for the console to exit.
    fn finish(&mut self) -> ExitStatus {
        self.stdin.take();
        let status = wait_with_deadline(&mut self.child, PATIENCE).expect("console exit");
        self.transcript.extend(self.lines.try_iter());
        status
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let status = wait_with_deadline(&mut self.child, PATIENCE).expect("console exit");
        self.transcript.extend(self.lines.try_iter());
        status
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The tid (`t4000a`) on a line by itself, as spawn prints them.
fn tids_in(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.trim_start_matches("pvm> ").trim())
        .filter(|l| {
            l.len() > 1 && l.starts_with('t') && l[1..].chars().all(|c| c.is_ascii_hexdigit())
        })
        .map(str::to_string)
        .collect()
}

/// Repeats `command` until its output satisfies `done`.
fn poll(console: &mut Console, command: &str, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let out = console.run(command);
        if done(&out) {
            return out;
        }
        assert!(
            Instant::now() < deadline,
            "{command} never gave the expected output: {out:?}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn conf_shows_this_host() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    c.expect("pvmd already running.");
    let out = c.run("conf");
    assert!(
        out.iter().any(|l| l.ends_with("1 host, 1 data format")),
        "{out:?}"
    );
    assert!(
        out.iter()
            .any(|l| l.trim_start() == "HOST     DTID     ARCH   SPEED       DSIG"),
        "{out:?}"
    );
    let row = out
        .iter()
        .find(|l| l.contains(" 40000 "))
        .unwrap_or_else(|| panic!("no host row with dtid 40000: {out:?}"));
    assert!(row.contains("LINUX64"), "{row}");
    assert!(row.len() >= 24, "host column is 24 wide: {row:?}");
}

#[test]
fn spawn_to_console_prints_job_output() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    c.send("spawn -> /bin/echo hello world");
    let out = c.expect("[1] finished");
    let tid = tids_in(&out)
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no tid: {out:?}"));
    assert!(out.iter().any(|l| l.ends_with("[1]")), "{out:?}");
    assert!(out.iter().any(|l| l.ends_with("1 successful")), "{out:?}");
    assert!(
        out.iter()
            .any(|l| l.ends_with(&format!("[1:{tid}] hello world"))),
        "{out:?}"
    );
    assert!(
        out.iter().any(|l| l.ends_with(&format!("[1:{tid}] EOF"))),
        "{out:?}"
    );
    // Two tasks in one job: both announce themselves, the job ends after the second.
    c.send("spawn -2 -> /bin/sh -c 'echo one; echo two'");
    let out = c.expect("[2] finished");
    let tids = tids_in(&out);
    assert_eq!(tids.len(), 2, "{out:?}");
    for t in &tids {
        assert!(
            out.iter().any(|l| l.ends_with(&format!("[2:{t}] one"))),
            "{out:?}"
        );
        assert!(
            out.iter().any(|l| l.ends_with(&format!("[2:{t}] EOF"))),
            "{out:?}"
        );
    }
}

#[test]
fn spawn_hello_prints_the_hello_lines() {
    let vm = Vm::start();
    vm.link_example("hello");
    vm.link_example("hello_other");
    let mut c = Console::start(&vm);
    c.send("spawn -> hello");
    let out = c.expect("[1] finished");
    let tid = tids_in(&out)
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no tid: {out:?}"));
    assert!(
        out.iter()
            .any(|l| l.ends_with(&format!("[1:{tid}] i'm {tid}"))),
        "{out:?}"
    );
    let greeting = out
        .iter()
        .find(|l| l.contains(&format!("[1:{tid}] from t")))
        .unwrap_or_else(|| panic!("no greeting from hello_other: {out:?}"));
    assert!(greeting.contains(": hello, world from "), "{greeting}");
    // hello_other inherited the redirection: its end is reported in the same job.
    let eofs = out
        .iter()
        .filter(|l| l.starts_with("[1:t") || l.contains("pvm> [1:t"))
        .filter(|l| l.ends_with("] EOF"))
        .count();
    assert_eq!(eofs, 2, "{out:?}");
}

#[test]
fn spawn_to_file_writes_and_appends() {
    let vm = Vm::start();
    let file = vm.home().join("job.out");
    let mut c = Console::start(&vm);
    c.send(&format!("spawn ->{} /bin/echo first", file.display()));
    c.expect("[1] finished");
    c.send(&format!("spawn ->>{} /bin/echo second", file.display()));
    c.expect("[2] finished");
    let text = std::fs::read_to_string(&file).expect("job output file");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with("[1:t") && lines[0].ends_with("] first"),
        "{text}"
    );
    assert!(
        lines[1].ends_with("] EOF") && lines[3].ends_with("] EOF"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("[2:t") && lines[2].ends_with("] second"),
        "{text}"
    );
    // A file that cannot be opened is reported and nothing is spawned.
    let out = c.run("spawn ->/nonexistent-dir/out /bin/echo x");
    assert!(
        out.iter().any(|l| l.contains("/nonexistent-dir/out: ")),
        "{out:?}"
    );
    assert!(!out.iter().any(|l| l.contains("successful")), "{out:?}");
}

#[test]
fn ps_pstat_kill_and_reset() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    let out = c.run("spawn -2 /bin/sleep 300");
    assert!(out.iter().any(|l| l.ends_with("2 successful")), "{out:?}");
    let tids = tids_in(&out);
    assert_eq!(tids.len(), 2, "{out:?}");
    let hex: Vec<&str> = tids.iter().map(|t| &t[1..]).collect();

    let ps = c.run("ps -a");
    assert!(
        ps.iter().any(|l| l
            .trim_start()
            .starts_with("HOST      TID   FLAG 0x COMMAND")),
        "{ps:?}"
    );
    for h in &hex {
        let row = ps
            .iter()
            .find(|l| l.contains(&format!(" {h} ")))
            .unwrap_or_else(|| panic!("{h} not in {ps:?}"));
        assert!(row.contains("/bin/sleep"), "{row}");
    }
    let conf = c.run("conf");
    let host = conf
        .iter()
        .find(|l| l.contains(" 40000 "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no host row: {conf:?}"))
        .to_string();
    for by_host in [format!("ps -n{host}"), "ps -h40000".to_string()] {
        let out = c.run(&by_host);
        assert_eq!(
            out.iter().filter(|l| l.contains("/bin/sleep")).count(),
            2,
            "{by_host}: {out:?}"
        );
    }
    let out = c.run("ps -nnohost");
    assert!(
        out.iter().any(|l| l.ends_with("nohost: No such host")),
        "{out:?}"
    );
    let long = c.run("ps -l");
    assert!(
        long.iter().any(|l| l.contains("PTID") && l.contains("PID")),
        "{long:?}"
    );
    let me = c.run("id");
    let me = tids_in(&me)
        .pop()
        .unwrap_or_else(|| panic!("no console tid: {me:?}"));
    let with_console = c.run("ps -x");
    assert!(
        with_console.iter().any(|l| l.contains("(cons)")),
        "{with_console:?}"
    );
    assert!(!ps.iter().any(|l| l.contains("(cons)")), "{ps:?}");

    let st = c.run(&format!("pstat {}", tids[0]));
    assert!(
        st.iter()
            .any(|l| l.ends_with(&format!("t{:>8}  run", hex[0]))),
        "{st:?}"
    );

    let out = c.run(&format!("kill {me}"));
    assert!(
        out.iter()
            .any(|l| l.ends_with(&format!("{me}: that's me."))),
        "{out:?}"
    );
    c.run(&format!("kill {}", tids[0]));
    poll(&mut c, &format!("pstat {}", tids[0]), |o| {
        o.iter().any(|l| l.ends_with("No such task"))
    });

    c.run("reset");
    poll(&mut c, "ps -a", |o| {
        !o.iter().any(|l| l.contains("/bin/sleep"))
    });
    let st = c.run(&format!("pstat {}", tids[1]));
    assert!(st.iter().any(|l| l.ends_with("No such task")), "{st:?}");
    // The console survived its own reset.
    assert!(!c.run("id").is_empty());
}

#[test]
fn bad_input_gets_pvm_messages_and_the_console_goes_on() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    let cases = [
        ("foo", "foo: not found"),
        ("kill", "kill: wrong #args"),
        ("kill -c", "incorrect arg count"),
        ("kill -z t40001", "unknown flag -z"),
        ("sig 9", "sig: wrong #args"),
        ("spawn", "spawn: wrong #args"),
        ("spawn -2", "incorrect arg count"),
        ("mstat", "mstat: wrong #args"),
        ("pstat xyz", "t       0  Bad parameter"),
        ("pstat t40fff", "t   40fff  No such task"),
        ("mstat nohost", "                  nohost  No such host"),
        ("echo 'open", "unmatched '"),
        ("getopt Route", "PVM Option \"Route\" Unknown."),
        ("setopt PvmRoute", "setopt: wrong #args"),
        ("spawn /nonexistent/program", "No such file"),
        ("spawn -nohost /bin/true", "No such host"),
        (
            "spawn -@ /bin/true",
            "spawn: tracing a job (-@) is not supported",
        ),
        ("setenv =x y", "setenv: bad variable name \"=x\""),
        ("setenv A x\0y", "setenv: A: value holds a NUL byte"),
        ("export A=B", "export: bad variable name \"A=B\""),
        ("put", "put: wrong #args"),
        ("sig x t40001", "sig: bad number \"x\""),
    ];
    for (line, message) in cases {
        let out = c.run(line);
        assert!(
            out.iter().any(|l| l.ends_with(message)),
            "{line:?} should say {message:?}, said {out:?}"
        );
    }
    let out = c.run("id");
    assert_eq!(tids_in(&out).len(), 1, "{out:?}");
}

#[test]
fn local_commands_behave_like_pvm() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    c.run("alias h help");
    let out = c.run("h id");
    assert!(
        out.iter().any(
            |l| l.starts_with("id ") || l.ends_with("id          Print the tid of the console")
        ),
        "{out:?}"
    );
    assert!(out.iter().any(|l| l == "Syntax:  id"), "{out:?}");
    let out = c.run("alias");
    assert!(out.iter().any(|l| l.ends_with("h\thelp")), "{out:?}");
    c.run("unalias h");
    assert!(c.run("h id").iter().any(|l| l.ends_with("h: not found")));

    let out = c.run("echo hello   'big world'");
    assert!(
        out.iter().any(|l| l.ends_with("hello big world")),
        "{out:?}"
    );
    let out = c.run("help");
    assert!(out.iter().any(|l| l == "Commands are:"), "{out:?}");
    assert!(
        out.iter().filter(|l| l.starts_with("  ")).count() >= 27,
        "{out:?}"
    );
    let out = c.run("version");
    assert!(out.iter().any(|l| l.ends_with("3.4.6")), "{out:?}");

    c.run("setenv GREETING bonjour");
    assert!(c
        .run("setenv GREETING")
        .iter()
        .any(|l| l.ends_with("bonjour")));
    c.run("export GREETING OTHER");
    assert!(c
        .run("export")
        .iter()
        .any(|l| l.ends_with("PVM_EXPORT=GREETING:OTHER")));
    c.run("unexport OTHER");
    assert!(c
        .run("export")
        .iter()
        .any(|l| l.ends_with("PVM_EXPORT=GREETING")));
    // Exported variables reach spawned tasks.
    c.send("spawn -> /bin/sh -c 'echo greeting=$GREETING'");
    let out = c.expect("finished");
    assert!(
        out.iter().any(|l| l.ends_with("greeting=bonjour")),
        "{out:?}"
    );

    let out = c.run("getopt PvmRoute");
    assert!(
        out.iter().any(|l| l.contains("PvmRoute Currently Set to ")),
        "{out:?}"
    );
    let out = c.run("setopt PvmAutoErr 0");
    assert!(
        out.iter()
            .any(|l| l.contains("PvmAutoErr Changed from ") && l.ends_with(" to 0")),
        "{out:?}"
    );
    let out = c.run("getopt PvmAutoErr");
    assert!(
        out.iter()
            .any(|l| l.ends_with("PvmAutoErr Currently Set to 0")),
        "{out:?}"
    );
    let out = c.run("trace");
    assert!(out.iter().any(|l| l.contains(" * spawn ")), "{out:?}");
    c.run("trace - *");
    c.run("trace + pkint");
    let out = c.run("trace");
    assert_eq!(
        out.iter().filter(|l| l.contains(" * ")).count(),
        1,
        "{out:?}"
    );
    assert!(out.iter().any(|l| l.contains(" * pkint ")), "{out:?}");
    let out = c.run("trace nosuchcall");
    assert!(
        out.iter()
            .any(|l| l.ends_with("trace: unknown event nosuchcall")),
        "{out:?}"
    );
    // PVM_RSH is `false` here: the start fails as an unreachable host's would.
    let out = c.run("add otherhost");
    assert!(
        out.iter().any(|l| l == "0 successful")
            && out.iter().any(|l| l.contains("otherhost")
                && l.contains("Can't start pvmd (")
                && l.ends_with(')')),
        "{out:?}"
    );
    let out = c.run("delete otherhost");
    assert!(out.iter().any(|l| l.contains("otherhost")), "{out:?}");
}

#[test]
fn mailbox_put_and_names() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    let me = c.run("id");
    let me = tids_in(&me)
        .pop()
        .unwrap_or_else(|| panic!("no console tid: {me:?}"));
    c.run("put greeting 1 hello");
    let out = c.run("names greeting");
    let owner = format!(
        "owner=0x{}/{}",
        &me[1..],
        u32::from_str_radix(&me[1..], 16).expect("hex tid")
    );
    assert!(out.iter().any(|l| l.ends_with("<greeting>:")), "{out:?}");
    assert!(
        out.iter()
            .any(|l| l.contains(&owner) && l.contains("flags=0x1")),
        "{out:?}"
    );
    assert!(c.run("names nothing*").iter().all(|l| !l.contains("<")));
}

#[test]
fn quit_and_end_of_input_leave_pvmd_running() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    c.send("quit");
    c.expect("pvmd still running.");
    assert!(c.wait_exit().success());
    assert!(pvmd_answers(&vm));

    let mut c = Console::start(&vm);
    c.expect("pvmd already running.");
    c.run("id");
    let status = c.finish();
    assert!(status.success(), "{status}");
    assert!(
        c.transcript
            .iter()
            .any(|l| l.ends_with("pvmd still running.")),
        "{:?}",
        c.transcript
    );
    assert!(pvmd_answers(&vm));
}

#[test]
fn halt_stops_pvmd_and_its_tasks() {
    let mut vm = Vm::start();
    let mut c = Console::start(&vm);
    let marker = vm.home().join("marker");
    // A task that would outlive a sloppy halt: it writes a file after a while.
    let out = c.run(&format!(
        "spawn /bin/sh -c 'sleep 3; touch {}'",
        marker.display()
    ));
    assert!(out.iter().any(|l| l.ends_with("1 successful")), "{out:?}");
    c.send("halt");
    assert!(c.wait_exit().success());
    assert!(vm.wait_exit().success(), "pvmd exits cleanly after halt");
    thread::sleep(Duration::from_secs(4));
    assert!(!marker.exists(), "a task survived halt");
    assert!(!pvmd_answers(&vm));
}

#[test]
fn console_starts_pvmd_when_none_runs() {
    let vm = SelfStarted::new();
    let mut c = Console::start(&vm.0);
    let out = c.run("conf");
    assert!(
        out.iter().any(|l| l.ends_with("1 host, 1 data format")),
        "{out:?}"
    );
    assert!(
        !out.iter().any(|l| l.contains("already running")),
        "{out:?}"
    );
    assert!(vm.pvmd_pid().is_some(), "the console's pvmd holds the lock");
    c.send("halt");
    assert!(c.wait_exit().success());
}

#[test]
fn missing_daemon_program_is_reported() {
    let vm = Vm::prepare();
    let out = vm
        .command(env!("CARGO_BIN_EXE_pvm"))
        .env("PVM_DPATH", vm.home().join("no-such-pvmd"))
        .stdin(Stdio::null())
        .output()
        .expect("run pvm");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("PVM_DPATH") && err.contains("no-such-pvmd"),
        "{err}"
    );
}

/// A runtime directory planted as a symbolic link is named as the reason, not taken
/// for a running pvmd ("pvmd already running.") nor for a missing one.
#[test]
fn planted_runtime_directory_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let vm = Vm::prepare();
    let elsewhere = vm.home().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    std::os::unix::fs::symlink(&elsewhere, vm.runtime_dir()).expect("plant the link");
    let out = vm
        .command(env!("CARGO_BIN_EXE_pvm"))
        .stdin(Stdio::null())
        .output()
        .expect("run pvm");
    assert!(!out.status.success());
    let (said, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(!said.contains("already running"), "{said}");
    assert!(
        err.contains("cannot join the virtual machine") && err.contains("is a symbolic link"),
        "{err}"
    );
    assert!(std::fs::read_dir(&elsewhere)
        .expect("list")
        .next()
        .is_none());
}

/// pvmd's reason for refusing a join reaches the console, which prints it.
#[test]
fn refused_join_prints_pvmds_reason() {
    let vm = Vm::start();
    let out = vm
        .command(env!("CARGO_BIN_EXE_pvm"))
        // A spawned task's identity that pvmd never gave out.
        .env("PVM_TASK_TID", "40abc")
        .env("PVM_TASK_KEY", "12345")
        .stdin(Stdio::null())
        .output()
        .expect("run pvm");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pvmd refused us") && err.contains("no such spawned task awaits this claim"),
        "{err}"
    );
}

/// The console on a terminal (a pty made by `script`): rustyline reads the lines, job
/// output appears while the prompt waits, and lines typed in one burst all run.
#[test]
fn terminal_session_with_line_editing() {
    let vm = Vm::start();
    let pvm = env!("CARGO_BIN_EXE_pvm");
    let mut child = vm
        .command("script")
        .args(["-qfec", pvm, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script(1) from util-linux runs the console on a pty");
    let mut c = Console {
        stdin: child.stdin.take(),
        lines: line_reader(child.stdout.take().expect("piped stdout")),
        stderr: mpsc::channel().1,
        child,
        transcript: Vec::new(),
    };
    c.expect("pvmd already running.");
    // A terminal sends carriage returns.
    let stdin = c.stdin.as_mut().expect("stdin");
    stdin
        .write_all(b"spawn -> /bin/sh -c 'sleep 1; echo late'\r")
        .expect("type");
    stdin.flush().expect("flush");
    c.expect("1 successful");
    // Nothing typed: the output must come on its own while the prompt waits.
    c.expect("] late");
    c.expect("[1] finished");
    let stdin = c.stdin.as_mut().expect("stdin");
    stdin
        .write_all(b"echo first-line\recho second-line\r")
        .expect("type a burst");
    stdin.flush().expect("flush");
    // Each command's output line (not the echoed command line); terminal control
    // sequences may precede it on the same line.
    let printed =
        |word: &'static str| move |l: &str| l.trim_end().ends_with(word) && !l.contains("echo");
    let out = c.expect_line("second-line output", printed("second-line"));
    assert!(out.iter().any(|l| printed("first-line")(l)), "{out:?}");
    let stdin = c.stdin.as_mut().expect("stdin");
    stdin.write_all(b"quit\r").expect("type quit");
    stdin.flush().expect("flush");
    c.expect("pvmd still running.");
    assert!(c.wait_exit().success());
}

#[test]
fn console_hands_its_hostfile_to_the_pvmd_it_starts() {
    let vm = SelfStarted::new();
    let host = nix::unistd::gethostname().expect("host name");
    let hostfile = vm.0.home().join("hostfile");
    std::fs::write(
        &hostfile,
        format!(
            "# this host, slower\n{} sp=1234\n# another (PVM_RSH is `false` here)\nfar\n",
            host.to_string_lossy()
        ),
    )
    .expect("write hostfile");
    let mut child =
        vm.0.command(env!("CARGO_BIN_EXE_pvm"))
            .arg(&hostfile)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pvm");
    let mut c = Console {
        stdin: child.stdin.take(),
        lines: line_reader(child.stdout.take().expect("piped stdout")),
        stderr: line_reader(child.stderr.take().expect("piped stderr")),
        child,
        transcript: Vec::new(),
    };
    // The host pvmd could not start is named, with the reason, before the prompt.
    let said = c.expect("cannot add host far");
    assert!(
        said.iter().any(|l| l.contains("Can't start pvmd")),
        "{said:?}"
    );
    let out = c.run("conf");
    let row = out
        .iter()
        .find(|l| l.contains(" 40000 "))
        .unwrap_or_else(|| panic!("{out:?}"));
    assert!(row.contains(" 1234 "), "speed from the hostfile: {row}");
    assert!(
        out.iter().any(|l| l.ends_with("1 host, 1 data format")),
        "{out:?}"
    );
    c.send("halt");
    assert!(c.wait_exit().success());
}

#[test]
fn bad_hostfile_is_reported_with_pvmds_words() {
    let vm = SelfStarted::new();
    let hostfile = vm.0.home().join("hostfile");
    std::fs::write(&hostfile, "somehost bogus=\n").expect("write hostfile");
    let out =
        vm.0.command(env!("CARGO_BIN_EXE_pvm"))
            .arg(&hostfile)
            .stdin(Stdio::null())
            .output()
            .expect("run pvm");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pvmd exited") && err.contains("hostfile:1"),
        "{err}"
    );
    assert!(vm.pvmd_pid().is_none(), "no pvmd left running");
}

#[test]
fn two_consoles_starting_at_once_share_one_pvmd() {
    let vm = SelfStarted::new();
    let mut a = Console::start(&vm.0);
    let mut b = Console::start(&vm.0);
    let conf_a = a.run("conf");
    let conf_b = b.run("conf");
    for conf in [&conf_a, &conf_b] {
        assert!(
            conf.iter().any(|l| l.ends_with("1 host, 1 data format")),
            "{conf:?}"
        );
    }
    let ida = tids_in(&a.run("id"));
    let idb = tids_in(&b.run("id"));
    assert_eq!((ida.len(), idb.len()), (1, 1));
    assert_ne!(ida, idb, "two tasks of one virtual machine");
    let ps = a.run("ps -x");
    assert_eq!(
        ps.iter()
            .filter(|l| l.contains(" pvm ") || l.contains("(cons)"))
            .count(),
        2,
        "{ps:?}"
    );
    b.send("quit");
    b.expect("pvmd still running.");
    a.send("halt");
    assert!(a.wait_exit().success());
}

#[test]
fn console_notices_when_pvmd_dies() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    c.run("id");
    let pid = vm.pvmd_pid().expect("pvmd started by the harness");
    let pid = Pid::from_raw(i32::try_from(pid).expect("pid fits"));
    kill(pid, Signal::SIGKILL).expect("kill pvmd");
    let status = c.wait_exit();
    assert_eq!(status.code(), Some(1), "{status}");
    let err = c.stderr_after_exit();
    assert!(err.contains("lost the connection to pvmd"), "{err}");
}

#[test]
fn jobs_lists_running_jobs_until_they_finish() {
    let vm = Vm::start();
    let mut c = Console::start(&vm);
    let out = c.run("spawn -2 -> /bin/sleep 300");
    let tids = tids_in(&out);
    assert_eq!(tids.len(), 2, "{out:?}");
    let jobs = c.run("jobs");
    assert!(
        jobs.iter()
            .any(|l| l.ends_with(&format!(" 1: {} {}", tids[0], tids[1]))),
        "{jobs:?}"
    );
    let long = c.run("jobs -l");
    assert!(
        long.iter()
            .any(|l| l.trim_start().starts_with("HOST      TID")),
        "{long:?}"
    );
    assert!(long.iter().any(|l| l.ends_with(" 1:")), "{long:?}");
    assert_eq!(
        long.iter().filter(|l| l.contains("/bin/sleep")).count(),
        2,
        "{long:?}"
    );
    c.send(&format!("kill {} {}", tids[0], tids[1]));
    c.expect("[1] finished");
    let jobs = c.run("jobs");
    assert!(!jobs.iter().any(|l| l.contains(" 1:")), "{jobs:?}");
}
