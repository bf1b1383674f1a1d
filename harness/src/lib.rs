//! The harness every crate's integration tests use: a private virtual machine per test.
//!
//! [`Vm::start`] creates a temporary directory holding PVM_TMP, PVM_ROOT (whose
//! `bin/LINUX64` is on the default spawn path, so tests can link programs there) and
//! HOME, starts the real `pvmd` binary with them, and waits for its ready line. Dropping
//! the [`Vm`] halts pvmd, kills it if it does not go, and kills every task it had, also
//! when the test panics: no daemon or task outlives a test.
//!
//! [`Vm::command`] builds a process that joins this virtual machine (the environment a
//! PVM program needs); [`Raw`] talks the wire protocol directly, for tests that need no
//! client library or that send malformed input on purpose.
//!
//! The daemon under test is [`pvmd_binary`], built by cargo on first use.

mod binaries;
mod process;

pub use binaries::{binary, example, libfpvm3, libpvm3, pvmd_binary, target_dir};
pub use process::{die_with_parent, run_with_limit};

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use nix::sys::signal::{kill, killpg, Signal};
use nix::unistd::Pid;
use pvm::proto::consts::TF_SPAWNED;
use pvm::proto::runtime::{log_path, runtime_dir, uid, SOCKET_NAME};
use pvm::proto::{read_frame, write_frame, Frame, Message, Reply, Request, StreamError};
use pvm::tid::Tid;
use tempfile::TempDir;

/// Upper bound for anything to happen; only reached when something is broken.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A private virtual machine with its own pvmd.
pub struct Vm {
    dir: TempDir,
    pvmd: Option<Child>,
    socket: PathBuf,
}

impl Vm {
    /// A virtual machine with no hostfile.
    pub fn start() -> Vm {
        Vm::start_with(None, &[])
    }

    /// A virtual machine whose pvmd reads `hostfile` (written to a file first).
    pub fn start_with_hostfile(hostfile: &str) -> Vm {
        Vm::start_with(Some(hostfile), &[])
    }

    /// The general form: an optional hostfile and extra environment for pvmd.
    pub fn start_with(hostfile: Option<&str>, env: &[(&str, &str)]) -> Vm {
        let vm = Vm::prepare();
        let mut cmd = vm.command(pvmd_binary());
        if let Some(text) = hostfile {
            let path = vm.dir.path().join("hostfile");
            std::fs::write(&path, text).expect("write hostfile");
            cmd.arg(path);
        }
        cmd.envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        vm.launch(cmd)
    }

    /// Directories only, no pvmd yet (see [`Vm::launch`]).
    pub fn prepare() -> Vm {
        // A console under test starts the pvmd beside its own executable: have it built.
        pvmd_binary();
        let dir = tempfile::tempdir().expect("temporary directory");
        for sub in ["tmp", "home", "root/bin/LINUX64"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("create vm directories");
        }
        let socket = runtime_dir(&dir.path().join("tmp"), uid()).join(SOCKET_NAME);
        Vm {
            dir,
            pvmd: None,
            socket,
        }
    }

    /// Starts `cmd` (a pvmd command with piped stdout) as this VM's pvmd and waits for
    /// its ready line.
    pub fn launch(mut self, mut cmd: Command) -> Vm {
        die_with_parent(&mut cmd);
        let mut child = cmd.spawn().expect("start pvmd");
        let stdout = child.stdout.take().expect("pvmd stdout is piped");
        self.pvmd = Some(child);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(PATIENCE).unwrap_or_default();
        assert_eq!(
            Path::new(line.trim()),
            self.socket,
            "pvmd did not print its socket path when ready"
        );
        self
    }

    /// The environment a process needs to join this virtual machine.
    pub fn env(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("PVM_TMP", self.pvm_tmp().into()),
            ("PVM_ROOT", self.pvm_root().into()),
            ("PVM_ARCH", "LINUX64".into()),
            ("HOME", self.home().into()),
            // Adding a host must never reach a network from a test.
            ("PVM_RSH", "false".into()),
        ]
    }

    /// A command that runs `program` inside this virtual machine's environment (any
    /// PVM_SOCKET / PVM_TASK_* of the test process removed).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        for var in ["PVM_SOCKET", "PVM_TASK_TID", "PVM_TASK_KEY", "PVM_EXPORT"] {
            cmd.env_remove(var);
        }
        cmd.envs(self.env());
        cmd
    }

    pub fn pvm_tmp(&self) -> PathBuf {
        self.dir.path().join("tmp")
    }

    pub fn pvm_root(&self) -> PathBuf {
        self.dir.path().join("root")
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// `$PVM_ROOT/bin/LINUX64`, on pvmd's default program path.
    pub fn bin_dir(&self) -> PathBuf {
        self.pvm_root().join("bin/LINUX64")
    }

    /// The private runtime directory.
    pub fn runtime_dir(&self) -> PathBuf {
        runtime_dir(&self.pvm_tmp(), uid())
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// pvmd's log file.
    pub fn log_path(&self) -> PathBuf {
        log_path(&self.runtime_dir(), uid())
    }

    /// The log's current text (empty if not written yet).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Makes `target` spawnable under `name` (a symlink in [`Vm::bin_dir`]).
    pub fn link_program(&self, name: &str, target: &Path) {
        std::os::unix::fs::symlink(target, self.bin_dir().join(name)).expect("link program");
    }

    /// Makes libpvm's example `name` spawnable under its own name.
    pub fn link_example(&self, name: &str) {
        self.link_program(name, &example(name));
    }

    /// Writes an executable shell script `name` into [`Vm::bin_dir`].
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.bin_dir().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    /// The pvmd process id.
    pub fn pvmd_pid(&self) -> Option<u32> {
        self.pvmd.as_ref().map(Child::id)
    }

    /// Connects and joins as a fresh task (an "attach", like a program run by hand).
    pub fn attach(&self) -> Raw {
        let mut raw = Raw::connect(self);
        raw.hello(None);
        raw
    }

    /// Polls `cond` until it holds; panics saying `what` after [`PATIENCE`].
    pub fn wait_until(&self, what: &str, mut cond: impl FnMut() -> bool) {
        let start = Instant::now();
        while !cond() {
            assert!(start.elapsed() < PATIENCE, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills pvmd at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(child) = self.pvmd.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits for pvmd to exit by itself and returns its status.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let child = self.pvmd.as_mut().expect("pvmd was started");
        let start = Instant::now();
        loop {
            if let Some(st) = child.try_wait().expect("wait for pvmd") {
                return st;
            }
            assert!(start.elapsed() < PATIENCE, "pvmd did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Asks pvmd to halt over the protocol and waits for it to exit.
    pub fn halt(&mut self) -> ExitStatus {
        let mut raw = self.attach();
        assert_eq!(raw.request(Request::Halt {}), Reply::Done {});
        self.wait_exit()
    }

    /// Pids of the tasks pvmd spawned, asked without panicking (used on drop).
    fn task_pids(&self) -> Vec<i32> {
        let Ok(mut raw) = Raw::try_connect_quick(self) else {
            return Vec::new();
        };
        if raw.try_hello().is_err() {
            return Vec::new();
        }
        match raw.try_request(Request::Tasks { which: Tid(0) }) {
            // Only what pvmd spawned: attached tasks are processes of the tests themselves.
            Ok(Reply::Tasks { tasks }) => tasks
                .iter()
                .filter(|t| t.flag & TF_SPAWNED != 0 && t.pid > 1)
                .filter(|t| t.pid as u32 != std::process::id())
                .map(|t| t.pid)
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        let Some(mut child) = self.pvmd.take() else {
            return;
        };
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        let pids = self.task_pids();
        // A polite halt first (pvmd kills its tasks), then force.
        if let Ok(mut raw) = Raw::try_connect_quick(self) {
            if raw.try_hello().is_ok() {
                let _ = raw.try_request(Request::Halt {});
            }
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && child.try_wait().ok().flatten().is_none() {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        for pid in pids {
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }
}

/// A connection speaking raw protocol frames, with a timeout on every read.
pub struct Raw {
    stream: UnixStream,
    buf: BytesMut,
    next_id: u32,
    /// Our tid once joined.
    pub tid: Tid,
    /// Messages that arrived while waiting for a reply.
    inbox: VecDeque<Message>,
}

impl Raw {
    /// Connects without saying hello.
    pub fn connect(vm: &Vm) -> Raw {
        Raw::try_connect(vm).expect("connect to pvmd")
    }

    /// For cleanup: a pvmd that does not answer within a few seconds is killed instead.
    fn try_connect_quick(vm: &Vm) -> std::io::Result<Raw> {
        let raw = Raw::try_connect(vm)?;
        raw.stream.set_read_timeout(Some(Duration::from_secs(3)))?;
        raw.stream.set_write_timeout(Some(Duration::from_secs(3)))?;
        Ok(raw)
    }

    fn try_connect(vm: &Vm) -> std::io::Result<Raw> {
        Raw::connect_path(vm.socket())
    }

    /// Connects to the pvmd listening at `socket` (another host's, say), without
    /// saying hello.
    pub fn connect_path(socket: &Path) -> std::io::Result<Raw> {
        let stream = UnixStream::connect(socket)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        stream.set_write_timeout(Some(PATIENCE))?;
        Ok(Raw {
            stream,
            buf: BytesMut::new(),
            next_id: 1,
            tid: Tid(0),
            inbox: VecDeque::new(),
        })
    }

    /// Joins, claiming a spawned identity or attaching; returns the welcome.
    pub fn hello(&mut self, claim: Option<pvm::proto::Claim>) -> pvm::proto::Welcome {
        let req = Request::Hello {
            pid: std::process::id(),
            name: "harness".into(),
            claim,
        };
        match self.request(req) {
            Reply::Welcome { welcome } => {
                self.tid = welcome.tid;
                welcome
            }
            other => panic!("hello answered {other:?}"),
        }
    }

    fn try_hello(&mut self) -> Result<(), StreamError> {
        let req = Request::Hello {
            pid: std::process::id(),
            name: "harness".into(),
            claim: None,
        };
        self.try_request(req).map(|_| ())
    }

    /// The underlying socket, for writing arbitrary bytes.
    pub fn stream(&mut self) -> &mut UnixStream {
        &mut self.stream
    }

    /// Writes raw bytes.
    pub fn write_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes)
    }

    pub fn send_frame(&mut self, frame: &Frame) {
        write_frame(&mut self.stream, frame).expect("write frame");
    }

    /// The next frame, `Ok(None)` at end of stream.
    pub fn read_frame(&mut self) -> Result<Option<Frame>, StreamError> {
        read_frame(&mut self.stream, &mut self.buf)
    }

    /// Sends a request and returns its reply, keeping messages that arrive meanwhile.
    pub fn request(&mut self, req: Request) -> Reply {
        self.try_request(req).expect("request answered")
    }

    fn try_request(&mut self, req: Request) -> Result<Reply, StreamError> {
        let id = self.next_id;
        self.next_id += 1;
        write_frame(&mut self.stream, &Frame::Request { id, req })?;
        loop {
            match self.read_frame()? {
                Some(Frame::Reply { id: got, reply }) if got == id => return Ok(reply),
                Some(Frame::Data(m)) => self.inbox.push_back(m),
                // An error, not a panic: this also runs inside Drop.
                Some(other) => {
                    return Err(StreamError::Io(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("unexpected frame while waiting for reply {id}: {other:?}"),
                    )))
                }
                None => {
                    return Err(StreamError::Io(std::io::Error::from(
                        std::io::ErrorKind::UnexpectedEof,
                    )))
                }
            }
        }
    }

    /// Sends a message.
    pub fn send(&mut self, dst: Tid, tag: i32, body: impl Into<Bytes>) {
        let msg = Message {
            src: self.tid,
            dst,
            tag,
            body: body.into(),
            ..Message::default()
        };
        self.send_frame(&Frame::Data(msg));
    }

    /// The next message (panics after [`PATIENCE`] or at end of stream).
    pub fn recv(&mut self) -> Message {
        if let Some(m) = self.inbox.pop_front() {
            return m;
        }
        match self.read_frame().expect("read message") {
            Some(Frame::Data(m)) => m,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// The next message with `tag`, keeping others for later.
    pub fn recv_tag(&mut self, tag: i32) -> Message {
        if let Some(i) = self.inbox.iter().position(|m| m.tag == tag) {
            return self.inbox.remove(i).expect("index is in range");
        }
        loop {
            match self.read_frame().expect("read message") {
                Some(Frame::Data(m)) if m.tag == tag => return m,
                Some(Frame::Data(m)) => self.inbox.push_back(m),
                other => panic!("expected a message, got {other:?}"),
            }
        }
    }
}

/// XDR ints of a pvmd-made body (notify and output messages).
pub fn xdr_ints(body: &[u8]) -> Vec<i32> {
    body.chunks_exact(4)
        .map(|c| i32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}
