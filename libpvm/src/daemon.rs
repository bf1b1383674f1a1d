//! Finding and starting this user's pvmd (what PVM's `pvm_start_pvmd` does).
//!
//! The console, and prender when it renders on a private virtual machine, start a pvmd
//! when none answers on the user's socket. The daemon is never looked up in `PATH`
//! (PVM 3.4's own `pvmd` may live in /usr/bin): the program named by `PVM_DPATH` (PVM's
//! variable for the daemon's path) runs, or the `pvmd` that sits beside the running
//! executable.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

use crate::client::{connect_socket, JoinError};
use crate::proto::runtime;
use thiserror::Error;

/// The variable naming the pvmd program to start.
pub const ENV_DPATH: &str = "PVM_DPATH";

/// How long a freshly started pvmd may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(25);

/// Why no pvmd could be started.
#[derive(Debug, Error)]
pub enum DaemonError {
    #[error("cannot find pvmd: {0}")]
    NotFound(String),
    #[error("cannot start {path}: {source}")]
    Start {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("pvmd exited ({status}) before accepting connections: {message}")]
    Exited { status: String, message: String },
    #[error("pvmd did not accept connections within {0:?}")]
    Timeout(Duration),
}

/// Whether a pvmd answers on this user's socket.
pub fn is_running() -> bool {
    matches!(check_running(), Ok(true))
}

/// Whether a pvmd answers on this user's socket, or why that cannot be known: a
/// runtime directory that is not ours alone (say a symbolic link planted by another
/// user) is an error, since no pvmd of ours may be joined or started there.
pub fn check_running() -> Result<bool, JoinError> {
    let path = runtime::socket_path();
    let dir = path
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(runtime::default_runtime_dir);
    match connect_socket(&path, &dir) {
        Ok(_) => Ok(true),
        Err(e) if e.no_daemon() => Ok(false),
        Err(e) => Err(e),
    }
}

/// The pvmd program the console would start.
pub fn locate() -> Result<PathBuf, DaemonError> {
    if let Some(p) = std::env::var_os(ENV_DPATH).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(p);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(DaemonError::NotFound(format!(
                "{ENV_DPATH}={} is not a file",
                path.display()
            )))
        };
    }
    let exe =
        std::env::current_exe().map_err(|e| DaemonError::NotFound(format!("where am I? {e}")))?;
    let beside = exe
        .parent()
        .map(|dir| dir.join("pvmd"))
        .filter(|p| p.is_file());
    beside.ok_or_else(|| {
        DaemonError::NotFound(format!(
            "no pvmd beside {}; set {ENV_DPATH} to the daemon's path",
            exe.display()
        ))
    })
}

/// A pvmd this process started, and what it says on stderr.
#[derive(Debug)]
pub struct Started {
    /// The daemon's pid (SIGTERM to it is a halt).
    pub pid: u32,
    complaints: Option<Receiver<String>>,
}

impl Started {
    /// What pvmd has written on stderr so far (hosts of the hostfile it could not
    /// start, say), waiting at most `wait` for the next line.
    pub fn complaints(&self, wait: Duration) -> Vec<String> {
        let Some(rx) = &self.complaints else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        while let Ok(line) = rx.recv_timeout(wait) {
            lines.push(line);
        }
        lines
    }
}

/// Starts `program [hostfile]` detached from the caller and waits until it accepts
/// connections. Returns the daemon's pid (SIGTERM to it is a halt).
pub fn start(program: &Path, hostfile: Option<&Path>) -> Result<u32, DaemonError> {
    start_watched(program, hostfile).map(|s| s.pid)
}

/// [`start`], keeping pvmd's stderr for [`Started::complaints`].
pub fn start_watched(program: &Path, hostfile: Option<&Path>) -> Result<Started, DaemonError> {
    let mut cmd = Command::new(program);
    if let Some(h) = hostfile {
        cmd.arg(h);
    }
    // Its own process group: a Ctrl-C at a prompt must not reach the daemon.
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = cmd.spawn().map_err(|source| DaemonError::Start {
        path: program.to_path_buf(),
        source,
    })?;
    let complaints = child.stderr.take().map(drain_lines);
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if is_running() {
            // A daemon that stays in the foreground is reaped by a thread, so it never
            // lingers as a zombie of its starter.
            let pid = child.id();
            thread::spawn(move || child.wait());
            return Ok(Started { pid, complaints });
        }
        if let Ok(Some(status)) = child.try_wait() {
            // A daemon that forks into the background exits 0 and is ready soon after;
            // a failure may mean another pvmd won the race: while that one holds the
            // runtime directory's lock it is still starting, and it will serve us.
            if !status.success() && !is_running() && !another_holds_the_lock() {
                return Err(DaemonError::Exited {
                    status: status.to_string(),
                    message: complaints.map(collect_lines).unwrap_or_default(),
                });
            }
        }
        if Instant::now() >= deadline {
            return Err(DaemonError::Timeout(START_TIMEOUT));
        }
        thread::sleep(POLL);
    }
}

/// Whether a pvmd holds this user's runtime-directory lock: one is running or
/// starting (it takes the lock before it listens). A missing lock file or directory
/// means none.
fn another_holds_the_lock() -> bool {
    let path = runtime::default_runtime_dir().join(runtime::LOCK_NAME);
    let Ok(file) = std::fs::File::open(&path) else {
        return false;
    };
    match Flock::lock(file, FlockArg::LockSharedNonblock) {
        Ok(_probe) => false,
        Err((_, errno)) => errno == Errno::EWOULDBLOCK,
    }
}

/// Reads `source` line by line on a thread for as long as it stays open. The daemon's
/// stderr is drained this way for the console's whole life, so the daemon never blocks
/// on a full pipe; what it said before failing to start becomes the console's error.
fn drain_lines(source: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(source).lines() {
            let Ok(line) = line else { return };
            // Once nobody listens (pvmd started fine) lines are just discarded.
            let _ = tx.send(line);
        }
    });
    rx
}

/// Everything a daemon that exited wrote to stderr, on one line.
fn collect_lines(rx: Receiver<String>) -> String {
    let mut lines = Vec::new();
    // The daemon has exited, so its stderr ends soon; the bound only guards against a
    // grandchild that kept it open.
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(1)) {
        lines.push(line);
    }
    if lines.is_empty() {
        let log = runtime::log_path(&runtime::default_runtime_dir(), runtime::uid());
        format!("see its log {}", log.display())
    } else {
        lines.join("; ")
    }
}
