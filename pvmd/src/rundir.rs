//! The per-user runtime directory: created private, owner-checked, and locked so only
//! one pvmd per user runs on a host.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use nix::fcntl::{Flock, FlockArg};
use pvm::proto::runtime::{self, LOCK_NAME, SOCKET_NAME};

/// Why the runtime directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RunDirError {
    #[error("pvmd already running (pid {pid}, socket {socket})")]
    AlreadyRunning { pid: String, socket: PathBuf },
    #[error("unsafe runtime directory: {0}")]
    Unsafe(io::Error),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

/// The runtime directory of a running pvmd, locked while this value lives.
#[derive(Debug)]
pub struct RunDir {
    pub socket: PathBuf,
    pub log: PathBuf,
    _lock: Flock<File>,
}

impl RunDir {
    /// Creates (0700) or checks `$PVM_TMP/pvm.<uid>` under `tmp` and takes its lock.
    pub fn acquire(tmp: &Path) -> Result<RunDir, RunDirError> {
        let uid = runtime::uid();
        let dir = runtime::runtime_dir(tmp, uid);
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(source) => {
                return Err(RunDirError::Io {
                    what: "cannot create",
                    path: dir,
                    source,
                })
            }
        }
        runtime::check_private_dir(&dir).map_err(RunDirError::Unsafe)?;
        let socket = dir.join(SOCKET_NAME);
        let lock = take_lock(&dir.join(LOCK_NAME), &socket)?;
        Ok(RunDir {
            log: runtime::log_path(&dir, uid),
            socket,
            _lock: lock,
        })
    }

    /// Removes the socket, so nobody tries to reach a pvmd that is gone.
    pub fn remove_socket(&self) {
        if let Err(e) = std::fs::remove_file(&self.socket) {
            if e.kind() != io::ErrorKind::NotFound {
                tracing::warn!(socket = %self.socket.display(), "cannot remove socket: {e}");
            }
        }
    }
}

fn take_lock(path: &Path, socket: &Path) -> Result<Flock<File>, RunDirError> {
    let io_err = |what, source| RunDirError::Io {
        what,
        path: path.to_path_buf(),
        source,
    };
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(|e| io_err("cannot open lock file", e))?;
    let mut lock = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(l) => l,
        Err((mut file, nix::errno::Errno::EWOULDBLOCK)) => {
            let mut pid = String::new();
            // The pid is informative only: an unreadable one still means "running".
            let _ = file.read_to_string(&mut pid);
            let pid = pid.trim();
            return Err(RunDirError::AlreadyRunning {
                pid: if pid.is_empty() { "unknown" } else { pid }.to_string(),
                socket: socket.to_path_buf(),
            });
        }
        Err((_, errno)) => return Err(io_err("cannot lock", io::Error::from(errno))),
    };
    lock.set_len(0)
        .and_then(|()| lock.rewind())
        .and_then(|()| writeln!(lock, "{}", std::process::id()))
        .map_err(|e| io_err("cannot write pid to", e))?;
    Ok(lock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn one_holder_at_a_time_and_the_second_learns_the_pid() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let first = RunDir::acquire(tmp.path()).expect("first acquire");
        let dir = runtime::runtime_dir(tmp.path(), runtime::uid());
        assert_eq!(first.socket.parent(), Some(dir.as_path()));
        let mode = std::fs::metadata(&dir).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        match RunDir::acquire(tmp.path()) {
            Err(RunDirError::AlreadyRunning { pid, socket }) => {
                assert_eq!(pid, std::process::id().to_string());
                assert_eq!(socket, first.socket);
            }
            other => panic!("second acquire gave {other:?}"),
        }
        drop(first);
        RunDir::acquire(tmp.path()).expect("free again once the holder is gone");
    }
}
