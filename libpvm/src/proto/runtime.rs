//! Where a user's pvmd lives on a host, and the environment a spawned task receives.
//!
//! Each user has one private runtime directory per host: `$PVM_TMP/pvm.<uid>` (PVM_TMP
//! defaults to `/tmp`), created mode 0700 by pvmd and refused by everyone when it is
//! owned by another user or open to group/others, so nobody can plant a socket for us.
//! Inside it: the pvmd socket ([`SOCKET_NAME`]), the lock file that makes pvmd unique
//! ([`LOCK_NAME`]), the log (`pvml.<uid>`, PVM's name, moved out of the shared /tmp)
//! and the sockets of tasks that accept direct routes.

use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The pvmd socket's file name inside the runtime directory.
pub const SOCKET_NAME: &str = "pvmd.sock";
/// The lock file's name; it also holds the running pvmd's pid.
pub const LOCK_NAME: &str = "pvmd.lock";

/// Set by pvmd for the tasks it spawns: the socket to join (also honoured when set by
/// hand, to reach a pvmd in an unusual place).
pub const ENV_SOCKET: &str = "PVM_SOCKET";
/// Set by pvmd for a spawned task: its tid in hex (`40001`).
pub const ENV_TID: &str = "PVM_TASK_TID";
/// Set by pvmd for a spawned task: the key proving the tid is its own (decimal).
pub const ENV_KEY: &str = "PVM_TASK_KEY";

/// `$PVM_TMP`, or `/tmp`.
pub fn pvm_tmp() -> PathBuf {
    std::env::var_os("PVM_TMP")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

/// The calling user's uid.
pub fn uid() -> u32 {
    nix::unistd::getuid().as_raw()
}

/// The runtime directory of user `uid` under `tmp`.
pub fn runtime_dir(tmp: &Path, uid: u32) -> PathBuf {
    tmp.join(format!("pvm.{uid}"))
}

/// The runtime directory of the calling user under `$PVM_TMP`.
pub fn default_runtime_dir() -> PathBuf {
    runtime_dir(&pvm_tmp(), uid())
}

/// The pvmd log file inside a runtime directory.
pub fn log_path(dir: &Path, uid: u32) -> PathBuf {
    dir.join(format!("pvml.{uid}"))
}

/// The socket a task should connect to: `$PVM_SOCKET` if set, else the pvmd socket in
/// the caller's runtime directory.
pub fn socket_path() -> PathBuf {
    match std::env::var_os(ENV_SOCKET).filter(|v| !v.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => default_runtime_dir().join(SOCKET_NAME),
    }
}

/// Checks that `dir` is a directory owned by the calling user and closed to everyone
/// else; call it before trusting anything inside.
pub fn check_private_dir(dir: &Path) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(dir)?;
    let (shown, owner) = (dir.display(), meta.uid());
    let refuse = |why: String| Err(io::Error::new(io::ErrorKind::PermissionDenied, why));
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(dir).unwrap_or_default();
        return refuse(format!(
            "{shown} is a symbolic link (to {}, the link owned by uid {owner}), not a \
             directory of ours: someone may have planted it; remove it to use PVM",
            target.display()
        ));
    }
    if !meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{shown} is not a directory"),
        ));
    }
    if owner != uid() {
        return refuse(format!(
            "{shown} is owned by uid {owner}, not by us (uid {}); refusing to use it",
            uid()
        ));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return refuse(format!(
            "{shown} has mode {mode:o}, open to other users; it must be 0700"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_directory_and_planted_symlink_are_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("rt");
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        assert!(check_private_dir(&dir).is_err());
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        check_private_dir(&dir).expect("private dir accepted");
        assert!(check_private_dir(&tmp.path().join("missing")).is_err());
        // A link to a private directory, as another user could plant one, is named.
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).expect("symlink");
        let e = check_private_dir(&link).expect_err("a symlink is refused");
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        assert!(e.to_string().contains("is a symbolic link"), "{e}");
    }
}
