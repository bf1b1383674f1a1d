//! Starting tasks: finding the program as PVM does, and giving the child its identity
//! and environment.
//!
//! A program given by absolute path runs as is; any other name is looked up in the
//! host's `ep=` path (colon-separated, `$VAR` expanded), by default
//! `$HOME/pvm3/bin/$PVM_ARCH:$PVM_ROOT/bin/$PVM_ARCH`. The child gets PVM_ROOT,
//! PVM_ARCH, PVM_TMP, the socket of this pvmd and its claim (tid and key), the variables
//! its parent exported, stdin from /dev/null, and stdout and stderr on one pipe (so the
//! log shows them interleaved as written). It runs in its own process group in the
//! `wd=` directory (default `$HOME`), and is killed if pvmd dies.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use nix::fcntl::OFlag;
use pvm::error::PvmError;
use pvm::proto::runtime::{ENV_KEY, ENV_SOCKET, ENV_TID};
use pvm::tid::Tid;
use tokio::net::unix::pipe;
use tokio::process::{Child, Command};

use crate::hosts::ARCH;

/// The default program path, before expansion.
pub const DEFAULT_EP: &str = "$HOME/pvm3/bin/$PVM_ARCH:$PVM_ROOT/bin/$PVM_ARCH";

/// What every spawn on this host shares.
#[derive(Debug, Clone)]
pub struct SpawnConfig {
    /// Directories searched for programs, expanded.
    pub ep: Vec<PathBuf>,
    /// Working directory of tasks.
    pub wd: PathBuf,
    pub pvm_root: Option<String>,
    pub pvm_tmp: PathBuf,
    pub socket: PathBuf,
    /// The debugger for PvmTaskDebug (`bx=`, PVM_DEBUGGER, `$PVM_ROOT/lib/debugger`).
    pub debugger: Option<PathBuf>,
}

impl SpawnConfig {
    /// The configuration from this host's hostfile options and pvmd's environment.
    pub fn new(
        ep: Option<&str>,
        wd: Option<&str>,
        bx: Option<&str>,
        pvm_tmp: PathBuf,
        socket: PathBuf,
    ) -> Self {
        let pvm_root = std::env::var("PVM_ROOT").ok().filter(|r| !r.is_empty());
        let ep = ep
            .unwrap_or(DEFAULT_EP)
            .split(':')
            .filter_map(expand)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .collect();
        let home = std::env::var("HOME").unwrap_or_else(|_| "/".into());
        let wd = wd.and_then(expand).unwrap_or(home);
        let debugger = bx
            .and_then(expand)
            .or_else(|| std::env::var("PVM_DEBUGGER").ok())
            .or_else(|| pvm_root.as_ref().map(|r| format!("{r}/lib/debugger")))
            .map(PathBuf::from);
        SpawnConfig {
            ep,
            wd: PathBuf::from(wd),
            pvm_root,
            pvm_tmp,
            socket,
            debugger,
        }
    }

    /// The program `file` names, as PVM finds it.
    pub fn find_program(&self, file: &str) -> Option<PathBuf> {
        if file.is_empty() {
            return None;
        }
        let p = Path::new(file);
        if p.is_absolute() {
            return is_executable(p).then(|| p.to_path_buf());
        }
        self.ep
            .iter()
            .map(|d| d.join(file))
            .find(|c| is_executable(c))
    }
}

/// One instance to start.
#[derive(Debug)]
pub struct Launch<'a> {
    pub tid: Tid,
    pub key: u64,
    pub program: &'a Path,
    pub argv: &'a [String],
    /// `NAME=value` pairs exported by the parent.
    pub env: &'a [String],
    pub debug: bool,
}

/// A started task.
#[derive(Debug)]
pub struct Started {
    pub pid: u32,
    pub child: Child,
    /// Its stdout and stderr.
    pub output: pipe::Receiver,
}

/// Starts one task. Must run inside the tokio runtime (the pipe registers with it).
pub fn start(cfg: &SpawnConfig, launch: &Launch<'_>) -> Result<Started, PvmError> {
    let (read, write) = nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(|_| PvmError::OutOfRes)?;
    let write2 = write.try_clone().map_err(|_| PvmError::OutOfRes)?;
    let mut cmd = command(cfg, launch)?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::from(write))
        .stderr(Stdio::from(write2))
        .current_dir(if cfg.wd.is_dir() {
            &cfg.wd
        } else {
            Path::new("/")
        })
        .process_group(0)
        .kill_on_drop(false);
    // SAFETY: the closure runs in the child between fork and exec and calls only prctl,
    // which is async-signal-safe; it touches no memory shared with the parent.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn().map_err(|e| {
        tracing::warn!(program = %launch.program.display(), "spawn failed: {e}");
        match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => PvmError::NoFile,
            _ => PvmError::OutOfRes,
        }
    })?;
    // The command holds our copies of the pipe's write end; dropping it lets EOF arrive
    // when the child (and whatever it forked) closes its own.
    drop(cmd);
    let pid = child.id().ok_or(PvmError::OutOfRes)?;
    let output = pipe::Receiver::from_owned_fd(read).map_err(|_| PvmError::OutOfRes)?;
    Ok(Started { pid, child, output })
}

fn command(cfg: &SpawnConfig, launch: &Launch<'_>) -> Result<Command, PvmError> {
    let mut cmd = if launch.debug {
        let dbg = cfg.debugger.as_ref().ok_or(PvmError::NoFile)?;
        let mut c = Command::new(dbg);
        c.arg(launch.program);
        c
    } else {
        Command::new(launch.program)
    };
    cmd.args(launch.argv);
    for pair in launch.env {
        if let Some((k, v)) = pair.split_once('=') {
            if !k.is_empty() {
                cmd.env(k, v);
            }
        }
    }
    if let Some(root) = &cfg.pvm_root {
        cmd.env("PVM_ROOT", root);
    }
    cmd.env("PVM_ARCH", ARCH)
        .env("PVM_TMP", &cfg.pvm_tmp)
        .env(ENV_SOCKET, &cfg.socket)
        .env(ENV_TID, format!("{:x}", launch.tid.0))
        .env(ENV_KEY, launch.key.to_string());
    Ok(cmd)
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Expands `$VAR` and `${VAR}` from pvmd's environment, PVM_ARCH included; `None` when
/// a variable is unset, so a path built on it is skipped rather than mangled.
pub fn expand(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, tail) = match after.strip_prefix('{') {
            Some(b) => {
                let end = b.find('}')?;
                (&b[..end], &b[end + 1..])
            }
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        if name == "PVM_ARCH" {
            out.push_str(ARCH);
        } else {
            out.push_str(&std::env::var(name).ok().filter(|v| !v.is_empty())?);
        }
        rest = tail;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_variables_and_skips_unset_ones() {
        assert_eq!(expand("/a/$PVM_ARCH/b").as_deref(), Some("/a/LINUX64/b"));
        assert_eq!(expand("${PVM_ARCH}x").as_deref(), Some("LINUX64x"));
        assert_eq!(expand("$SURELY_UNSET_VAR_12345/bin"), None);
        assert_eq!(expand("plain").as_deref(), Some("plain"));
        assert_eq!(expand("${unterminated"), None);
    }

    #[test]
    fn finds_programs_on_the_path_only() {
        let d = tempfile::tempdir().expect("tempdir");
        let prog = d.path().join("prog");
        std::fs::write(&prog, "#!/bin/sh\n").expect("write");
        let cfg = SpawnConfig {
            ep: vec![d.path().to_path_buf()],
            wd: PathBuf::from("/"),
            pvm_root: None,
            pvm_tmp: PathBuf::from("/tmp"),
            socket: PathBuf::from("/nonexistent"),
            debugger: None,
        };
        assert_eq!(cfg.find_program("prog"), None, "not executable yet");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&prog, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        assert_eq!(cfg.find_program("prog"), Some(prog.clone()));
        assert_eq!(cfg.find_program(&prog.display().to_string()), Some(prog));
        assert_eq!(cfg.find_program("missing"), None);
        assert_eq!(cfg.find_program(""), None);
    }
}
