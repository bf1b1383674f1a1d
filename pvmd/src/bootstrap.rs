//! The slave's side of a remote start (`pvmd --slave`), run first thing in `main`,
//! while the process still has a single thread and no tokio runtime.
//!
//! It reads the master's [`SlaveConfig`] line from stdin, takes this host's runtime
//! directory (refusing when a pvmd of the user already runs here), binds the TCP port
//! the master will connect to, and forks: the parent exits at once, the child starts a
//! session of its own, answers [`SlaveReply::Ready`] on stdout and then lets go of
//! stdin, stdout and stderr, which ends the ssh session while the child goes on as the
//! slave pvmd. Any failure before the fork is answered with [`SlaveReply::Failed`]
//! (a PVM error code and a reason) and ends the process with an error.

use std::io::{BufRead, Write};
use std::net::TcpListener;
use std::path::Path;

use anyhow::{anyhow, Context};
use nix::unistd::{fork, ForkResult};
use pvm::error::PvmError;
use pvm::proto::runtime;

use crate::hosts;
use crate::remote::{SlaveConfig, SlaveReply, StartFailure, PROTOCOL_VERSION};
use crate::rundir::RunDirError;
use crate::server::{self, Prepared, SlaveSetup, StartError};

/// The longest config line accepted from the master.
const MAX_CONFIG: u64 = 64 * 1024;

/// A slave pvmd, detached from the ssh session, ready to serve.
#[derive(Debug)]
pub struct Boot {
    pub prepared: Prepared,
    pub slave: SlaveSetup,
}

fn failure(code: PvmError, reason: impl Into<String>) -> StartFailure {
    StartFailure {
        code,
        reason: reason.into(),
    }
}

/// Runs the bootstrap. Returns only in the detached child; the parent exits 0 once it
/// has forked. Must be called before any thread is started.
pub fn run() -> anyhow::Result<Boot> {
    let setup = match prepare(std::io::stdin().lock()) {
        Ok(s) => s,
        Err(f) => {
            // The master may already be gone; the exit status still says it failed.
            let _ = answer(&SlaveReply::Failed {
                code: f.code.code(),
                reason: f.reason.clone(),
            });
            return Err(anyhow!("{}", f.reason));
        }
    };
    detach(setup)
}

/// What the bootstrap has before it forks.
struct BeforeFork {
    prepared: Prepared,
    config: SlaveConfig,
    listener: TcpListener,
}

/// Everything before the fork.
fn prepare(input: impl BufRead) -> Result<BeforeFork, StartFailure> {
    let config = read_config(input)?;
    if !single_threaded() {
        return Err(failure(
            PvmError::SysErr,
            "internal error: the slave bootstrap must run before any thread starts",
        ));
    }
    if std::env::var_os("PVM_ROOT").is_none() {
        if let Some(root) = &config.pvm_root {
            // Changing the environment is only sound with no other thread reading it
            // (checked just above); spawned tasks inherit it.
            std::env::set_var("PVM_ROOT", root);
        }
    }
    let prepared = server::prepare_slave(&config, runtime::pvm_tmp())
        .map_err(|e| prepare_failure(e, &config.name))?;
    let listener = TcpListener::bind(("0.0.0.0", 0)).map_err(|e| {
        failure(
            PvmError::CantStart,
            format!("cannot listen for the master on {}: {e}", config.name),
        )
    })?;
    Ok(BeforeFork {
        prepared,
        config,
        listener,
    })
}

/// Reads the master's one config line, checking the protocol version before the
/// fields, so an older or newer master gets `PvmBadVersion` rather than a parse error.
pub fn read_config(input: impl BufRead) -> Result<SlaveConfig, StartFailure> {
    let mut line = Vec::new();
    input
        .take(MAX_CONFIG)
        .read_until(b'\n', &mut line)
        .map_err(|e| {
            failure(
                PvmError::CantStart,
                format!("cannot read the master's request: {e}"),
            )
        })?;
    if !line.ends_with(b"\n") {
        return Err(failure(
            PvmError::CantStart,
            "no start request from the master (pvmd --slave is started by a master pvmd)",
        ));
    }
    let bad =
        |e: serde_json::Error| failure(PvmError::CantStart, format!("bad start request: {e}"));
    let value: serde_json::Value = serde_json::from_slice(&line).map_err(bad)?;
    let version = value
        .get("version")
        .and_then(|v| v.as_str())
        .unwrap_or("unknown");
    if version != PROTOCOL_VERSION {
        return Err(failure(
            PvmError::BadVersion,
            format!("master is version {version}, this pvmd is {PROTOCOL_VERSION}"),
        ));
    }
    serde_json::from_value(value).map_err(bad)
}

/// The failure to report when this host's runtime directory cannot be taken.
fn prepare_failure(e: StartError, host: &str) -> StartFailure {
    match e {
        StartError::RunDir(RunDirError::AlreadyRunning { pid, .. }) => failure(
            PvmError::DupHost,
            format!("a pvmd is already running on {host} (pid {pid})"),
        ),
        other => failure(PvmError::CantStart, format!("{host}: {other}")),
    }
}

/// Whether this process has exactly one thread (Linux: one entry in /proc/self/task).
fn single_threaded() -> bool {
    std::fs::read_dir("/proc/self/task")
        .map(|d| d.count() == 1)
        .unwrap_or(false)
}

/// Forks; in the child, answers Ready and lets go of the ssh session.
fn detach(setup: BeforeFork) -> anyhow::Result<Boot> {
    let BeforeFork {
        prepared,
        config,
        listener,
    } = setup;
    let port = listener.local_addr().context("listening port")?.port();
    // SAFETY: `prepare` checked that this process has a single thread, so the child
    // cannot inherit a lock held by another thread; it goes on as an ordinary process.
    match unsafe { fork() } {
        Err(e) => {
            let reason = format!("cannot fork on {}: {e}", config.name);
            let _ = answer(&SlaveReply::Failed {
                code: PvmError::CantStart.code(),
                reason: reason.clone(),
            });
            return Err(anyhow!(reason));
        }
        Ok(ForkResult::Parent { .. }) => std::process::exit(0),
        Ok(ForkResult::Child) => {}
    }
    // Out of the ssh session's process group, so its end sends us no SIGHUP.
    let _ = nix::unistd::setsid();
    note_pid(&prepared);
    let hostname = nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_else(|_| config.name.clone());
    answer(&SlaveReply::Ready {
        version: PROTOCOL_VERSION.to_string(),
        port,
        arch: hosts::ARCH.to_string(),
        dsig: hosts::DSIG,
        hostname,
    })
    .context("answering the master")?;
    release_stdio().context("detaching from the ssh session")?;
    Ok(Boot {
        prepared,
        slave: SlaveSetup { config, listener },
    })
}

/// The lock file holds the pid of the pvmd that owns the runtime directory: the
/// parent wrote its own, which is gone now.
fn note_pid(prepared: &Prepared) {
    let Some(dir) = prepared.socket().parent() else {
        return;
    };
    let path = dir.join(runtime::LOCK_NAME);
    if let Err(e) = write_pid(&path) {
        tracing::warn!(path = %path.display(), "cannot record the slave's pid: {e}");
    }
}

fn write_pid(path: &Path) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)?;
    writeln!(f, "{}", std::process::id())
}

/// Writes one reply line on stdout and flushes it.
fn answer(reply: &SlaveReply) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(reply).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let mut out = std::io::stdout().lock();
    out.write_all(&line)?;
    out.flush()
}

/// Points stdin, stdout and stderr at /dev/null: the ssh session ends once nothing
/// holds its pipes.
fn release_stdio() -> nix::Result<()> {
    use std::os::fd::AsRawFd;
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .map_err(|e| nix::Error::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))?;
    for fd in 0..=2 {
        nix::unistd::dup2(null.as_raw_fd(), fd)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_line(version: &str) -> String {
        let config = SlaveConfig {
            version: version.to_string(),
            secret: "abcd".into(),
            host: 2,
            name: "h1".into(),
            master: "m".into(),
            ep: None,
            wd: Some("/tmp".into()),
            bx: None,
            sp: 1000,
            pvm_root: None,
        };
        format!("{}\n", serde_json::to_string(&config).expect("encode"))
    }

    #[test]
    fn a_config_line_is_read() {
        let line = config_line(PROTOCOL_VERSION);
        let c = read_config(line.as_bytes()).expect("config");
        assert_eq!(c.host, 2);
        assert_eq!(c.wd.as_deref(), Some("/tmp"));
    }

    #[test]
    fn another_version_is_refused_even_if_its_fields_differ() {
        let f = read_config(config_line("pvmd-9.9-peer7").as_bytes()).unwrap_err();
        assert_eq!(f.code, PvmError::BadVersion);
        assert!(f.reason.contains("pvmd-9.9-peer7"), "{f}");
        let f = read_config(&b"{\"version\":\"old\",\"something\":1}\n"[..]).unwrap_err();
        assert_eq!(f.code, PvmError::BadVersion);
        let f = read_config(&b"{\"secret\":\"x\"}\n"[..]).unwrap_err();
        assert_eq!(f.code, PvmError::BadVersion);
    }

    #[test]
    fn garbage_missing_and_endless_input_fail_cleanly() {
        for input in [&b""[..], b"not json\n", b"{\"version\":", b"[1,2]\n"] {
            let f = read_config(input).unwrap_err();
            assert!(
                matches!(f.code, PvmError::CantStart | PvmError::BadVersion),
                "{f}"
            );
        }
        let endless = std::io::repeat(b'x');
        let f = read_config(std::io::BufReader::new(endless)).unwrap_err();
        assert_eq!(f.code, PvmError::CantStart);
        let fields = format!("{{\"version\":\"{PROTOCOL_VERSION}\",\"host\":\"two\"}}\n");
        let f = read_config(fields.as_bytes()).unwrap_err();
        assert!(f.reason.starts_with("bad start request"), "{f}");
    }

    #[test]
    fn a_running_pvmd_is_a_duplicate_host() {
        let e = StartError::RunDir(RunDirError::AlreadyRunning {
            pid: "42".into(),
            socket: "/x".into(),
        });
        let f = prepare_failure(e, "h3");
        assert_eq!(f.code, PvmError::DupHost);
        assert_eq!(f.reason, "a pvmd is already running on h3 (pid 42)");
    }
}
