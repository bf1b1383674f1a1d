//! Starting a slave pvmd through `$PVM_RSH`, without a network: the rsh is a small
//! shell script that either answers like a slave would (or like ssh fails), or runs
//! this build's real `pvmd --slave` on this machine with a private `PVM_TMP`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pvm::error::PvmError;
use pvmd::hostfile::{HostEntry, Hostfile};
use pvmd::remote::ssh::{start, start_within};
use pvmd::remote::{Rsh, SlaveConfig, SlaveReply, StartFailure, Started, PROTOCOL_VERSION};

const PVMD: &str = env!("CARGO_BIN_EXE_pvmd");
const SECRET: &str = "5ec4e75ec4e75ec4e75ec4e75ec4e7aa";

fn entry(line: &str) -> HostEntry {
    let hf = Hostfile::parse(line, "test").expect("hostfile line");
    hf.hosts.into_iter().next().expect("one host")
}

fn config(host: u32, name: &str) -> SlaveConfig {
    SlaveConfig {
        version: PROTOCOL_VERSION.to_string(),
        secret: SECRET.to_string(),
        host,
        name: name.to_string(),
        master: "master".to_string(),
        ep: None,
        wd: None,
        bx: None,
        sp: 1000,
        pvm_root: None,
    }
}

/// A fake rsh: `body` is a sh script run with the rsh's arguments; it also records its
/// argv and what it read on stdin in `dir`.
struct FakeRsh {
    dir: tempfile::TempDir,
}

impl FakeRsh {
    fn new(body: &str) -> FakeRsh {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = dir.path().join("rsh");
        let text = format!(
            "#!/bin/sh\nD='{d}'\nprintf '%s\\n' \"$@\" > \"$D/argv\"\n{body}\n",
            d = dir.path().display()
        );
        std::fs::write(&script, text).expect("write script");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        FakeRsh { dir }
    }

    fn rsh(&self) -> Rsh {
        Rsh::new(Some(&self.path("rsh").to_string_lossy()), PVMD.to_string())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn run_start(fake: &FakeRsh, line: &str) -> Result<Started, StartFailure> {
    runtime().block_on(start(&fake.rsh(), &entry(line), &config(2, "h2")))
}

fn reply_line(reply: &SlaveReply) -> String {
    serde_json::to_string(reply).expect("encode")
}

/// A script line that reads the config into `stdin` and prints `reply`.
fn answer(reply: &SlaveReply) -> String {
    format!(
        "IFS= read -r line; printf '%s\\n' \"$line\" > \"$D/stdin\"; printf '%s\\n' '{}'",
        reply_line(reply)
    )
}

#[test]
fn a_ready_slave_is_started_and_the_secret_stays_off_the_command_line() {
    let fake = FakeRsh::new(&answer(&SlaveReply::Ready {
        version: PROTOCOL_VERSION.to_string(),
        port: 40123,
        arch: "LINUX64".into(),
        dsig: 0x408841,
        hostname: "far".into(),
    }));
    let started = run_start(&fake, "h2 ip=10.9.9.2 lo=bob dx=/opt/pvmd").expect("started");
    assert_eq!(started.addr, "10.9.9.2");
    assert_eq!(started.port, 40123);
    assert_eq!(started.hostname, "far");
    let argv = fake.read("argv");
    assert_eq!(
        argv.lines().collect::<Vec<_>>(),
        ["-l", "bob", "10.9.9.2", "/opt/pvmd --slave"]
    );
    assert!(!argv.contains(SECRET));
    let sent: SlaveConfig = serde_json::from_str(&fake.read("stdin")).expect("config line");
    assert_eq!(sent, config(2, "h2"));
}

#[test]
fn a_failed_reply_keeps_its_code_and_reason() {
    let fake = FakeRsh::new(&answer(&SlaveReply::Failed {
        code: PvmError::DupHost.code(),
        reason: "a pvmd is already running on h2 (pid 7)".into(),
    }));
    let f = run_start(&fake, "h2").unwrap_err();
    assert_eq!(f.code, PvmError::DupHost);
    assert_eq!(f.reason, "a pvmd is already running on h2 (pid 7)");
}

#[test]
fn a_slave_of_another_version_is_refused() {
    let fake = FakeRsh::new(&answer(&SlaveReply::Ready {
        version: "pvmd-0.0.0-peer0".into(),
        port: 1,
        arch: "LINUX64".into(),
        dsig: 0,
        hostname: "h2".into(),
    }));
    assert_eq!(
        run_start(&fake, "h2").unwrap_err().code,
        PvmError::BadVersion
    );
}

#[test]
fn ssh_failures_become_cant_start_with_a_reason() {
    let cases = [
        (
            "echo 'bob@h2: Permission denied (publickey).' >&2; exit 255",
            "authentication failed for h2",
        ),
        (
            "echo 'ssh: connect to host h2 port 22: Connection refused' >&2; exit 255",
            "unreachable: ssh: connect to host h2 port 22: Connection refused",
        ),
        (
            "echo \"sh: 1: $2: not found\" >&2; exit 127",
            "no pvmd at /nowhere/pvmd on h2",
        ),
        (
            "echo 'not json'; echo 'pvmd: something broke' >&2; exit 1",
            "pvmd on h2 gave no answer: pvmd: something broke",
        ),
        ("exit 0", "pvmd on h2 gave no answer (exit 0)"),
    ];
    for (body, want) in cases {
        let fake = FakeRsh::new(body);
        let f = run_start(&fake, "h2 dx=/nowhere/pvmd").unwrap_err();
        assert_eq!(f.code, PvmError::CantStart, "{body}");
        assert!(f.reason.starts_with(want), "{body}: {f}");
    }
}

#[test]
fn a_missing_rsh_program_is_reported() {
    let rsh = Rsh::new(Some("/nonexistent/rsh -x"), PVMD.to_string());
    let f = runtime()
        .block_on(start(&rsh, &entry("h2"), &config(2, "h2")))
        .unwrap_err();
    assert_eq!(f.code, PvmError::CantStart);
    assert!(f.reason.contains("cannot run /nonexistent/rsh"), "{f}");
}

#[test]
fn a_silent_host_times_out_and_its_rsh_is_killed_and_reaped() {
    let fake = FakeRsh::new("echo $$ > \"$D/pid\"; echo 'connecting...' >&2; exec sleep 60");
    let t0 = Instant::now();
    let f = runtime()
        .block_on(start_within(
            &fake.rsh(),
            &entry("h2"),
            &config(2, "h2"),
            Duration::from_millis(700),
        ))
        .unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(10));
    assert_eq!(f.code, PvmError::CantStart);
    assert!(f.reason.starts_with("no answer from h2 within"), "{f}");
    let pid = fake.read("pid");
    let proc_dir = format!("/proc/{}", pid.trim());
    assert!(
        !pid.trim().is_empty() && !Path::new(&proc_dir).exists(),
        "rsh left behind"
    );
}

#[test]
fn so_pw_and_so_ms_run_nothing() {
    let fake = FakeRsh::new("touch \"$D/ran\"");
    for so in ["pw", "ms"] {
        let f = run_start(&fake, &format!("h2 so={so}")).unwrap_err();
        assert_eq!(f.code, PvmError::CantStart);
    }
    assert!(!fake.path("ran").exists());
}

/// The real slave: a fake rsh that runs the remote command locally with its own
/// `PVM_TMP`, so `pvmd --slave` answers for real.
struct LocalSlave {
    fake: FakeRsh,
    tmp: tempfile::TempDir,
}

impl LocalSlave {
    fn new() -> LocalSlave {
        let tmp = tempfile::tempdir().expect("tempdir");
        let body = format!(
            "for last; do :; done\nPVM_TMP='{}' exec sh -c \"$last\"",
            tmp.path().display()
        );
        LocalSlave {
            fake: FakeRsh::new(&body),
            tmp,
        }
    }

    fn start(&self, host: u32) -> Result<Started, StartFailure> {
        let rsh = self.fake.rsh();
        runtime().block_on(start(&rsh, &entry("h2"), &config(host, "h2")))
    }

    fn runtime_dir(&self) -> PathBuf {
        pvm::proto::runtime::runtime_dir(self.tmp.path(), pvm::proto::runtime::uid())
    }

    /// The slave's log.
    fn log(&self) -> String {
        let path = pvm::proto::runtime::log_path(&self.runtime_dir(), pvm::proto::runtime::uid());
        std::fs::read_to_string(path).unwrap_or_default()
    }

    /// The slave's pid, from its runtime directory's lock file.
    fn pid(&self) -> Option<i32> {
        std::fs::read_to_string(self.runtime_dir().join(pvm::proto::runtime::LOCK_NAME))
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

impl Drop for LocalSlave {
    fn drop(&mut self) {
        if let Some(pid) = self.pid() {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

#[test]
fn the_real_slave_answers_listens_and_refuses_a_second_start() {
    let slave = LocalSlave::new();
    let started = slave.start(2).expect("slave started");
    assert_eq!(started.arch, "LINUX64");
    assert_eq!(started.addr, "h2");
    let pid = slave.pid().expect("slave pid in the lock file");
    assert!(
        Path::new(&format!("/proc/{pid}")).exists(),
        "the lock names the running slave"
    );
    // It listens where it said it would.
    std::net::TcpStream::connect(("127.0.0.1", started.port)).expect("slave's port");
    // The same user's second slave on this host is a duplicate.
    let f = slave.start(3).unwrap_err();
    assert_eq!(f.code, PvmError::DupHost, "{f}");
    assert_eq!(
        f.reason,
        format!("a pvmd is already running on h2 (pid {pid})")
    );
}

#[test]
fn the_real_slave_refuses_another_version() {
    let slave = LocalSlave::new();
    let mut c = config(2, "h2");
    c.version = "pvmd-0.0.0-peer0".into();
    let f = runtime()
        .block_on(start(&slave.fake.rsh(), &entry("h2"), &c))
        .unwrap_err();
    assert_eq!(f.code, PvmError::BadVersion, "{f}");
    assert!(slave.pid().is_none(), "nothing started");
}

/// Plays a master that does not know the secret: challenge, then a made-up proof.
/// Returns whether the slave's response proved that IT knows the secret.
fn impostor(port: u16) -> bool {
    use pvm::proto::auth;
    use pvm::proto::peer::PeerMsg;
    use pvm::proto::{read_frame, write_frame, Frame};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("slave's port");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mine = vec![7u8; auth::NONCE_LEN];
    let challenge = PeerMsg::Challenge {
        nonce: mine.clone().into(),
    };
    write_frame(&mut s, &Frame::Peer(challenge)).expect("challenge");
    let mut buf = bytes::BytesMut::new();
    let Ok(Some(Frame::Peer(PeerMsg::Response { nonce, mac }))) = read_frame(&mut s, &mut buf)
    else {
        panic!("the slave did not answer the challenge");
    };
    let secret = auth::from_hex(SECRET).expect("hex");
    let slave_knows = auth::verify(&secret, auth::RESPONDER, &mine, &nonce, &mac);
    let forged = auth::mac(b"not the secret", auth::INITIATOR, &nonce, &mine);
    let confirm = PeerMsg::Confirm { mac: forged.into() };
    write_frame(&mut s, &Frame::Peer(confirm)).expect("confirm");
    // The slave hangs up on us.
    assert!(
        matches!(read_frame(&mut s, &mut buf), Ok(None) | Err(_)),
        "the slave kept talking to an impostor"
    );
    slave_knows
}

#[test]
fn the_real_slave_refuses_strangers_and_exits_when_its_master_goes() {
    let slave = LocalSlave::new();
    let started = slave.start(2).expect("slave started");
    let pid = slave.pid().expect("slave pid");

    // Garbage, then a master without the secret: both refused and logged.
    let mut junk = std::net::TcpStream::connect(("127.0.0.1", started.port)).expect("port");
    std::io::Write::write_all(&mut junk, b"GET / HTTP/1.0\r\n\r\n").expect("write");
    drop(junk);
    assert!(
        impostor(started.port),
        "the slave proved it knows the secret"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while slave.log().matches("refused").count() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = slave.log();
    assert_eq!(log.matches("refused").count(), 2, "log:\n{log}");
    assert!(
        log.contains("does not know this virtual machine's secret"),
        "{log}"
    );
    assert!(!log.contains(SECRET), "the secret is in the log");

    // The real master is accepted; when it goes away the slave exits by itself.
    runtime().block_on(async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", started.port))
            .await
            .expect("connect");
        let secret = pvm::proto::auth::from_hex(SECRET).expect("hex");
        pvmd::peer::link::authenticate_as_master(&mut stream, &secret)
            .await
            .expect("the right secret is accepted");
    });
    let deadline = Instant::now() + Duration::from_secs(15);
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!alive(pid), "slave still running without its master");
}

/// Whether a process runs (a zombie waiting to be reaped does not).
fn alive(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    match stat.rsplit_once(") ") {
        Some((_, rest)) => !rest.starts_with('Z') && !rest.starts_with('X'),
        None => false,
    }
}
