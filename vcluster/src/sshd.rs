//! Keys and an sshd per virtual host: key-only login with keys made for this cluster,
//! host keys known in advance (so clients check them strictly, never trust on first use).

use std::fs;
use std::io;
use std::net::Ipv4Addr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::run::{output, RunError};

/// Where Debian's openssh-server puts the daemon.
pub const SSHD: &str = "/usr/sbin/sshd";

/// Generates ed25519 key pairs without a passphrase (`path`, `path`.pub), all at once: on a busy machine the
/// time goes into starting processes, which then overlap.
pub fn keygen_all(keys: &[(std::path::PathBuf, String)]) -> Result<(), RunError> {
    let spawn_err = |source| RunError::Spawn {
        cmd: "ssh-keygen".into(),
        source,
    };
    let mut children = Vec::new();
    for (path, comment) in keys {
        let child = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
            .arg(path)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(spawn_err)?;
        children.push((path, child));
    }
    let mut first = None;
    for (path, child) in children {
        let out = child.wait_with_output().map_err(spawn_err)?;
        if !out.status.success() && first.is_none() {
            first = Some(RunError::Failed {
                cmd: format!("ssh-keygen -f {}", path.display()),
                status: out.status.to_string(),
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            });
        }
    }
    first.map_or(Ok(()), Err)
}

/// What one virtual host's sshd is made of: every file lives in the cluster folder.
#[derive(Debug, Clone, Copy)]
pub struct SshdFiles<'a> {
    pub host_key: &'a Path,
    pub authorized_keys: &'a Path,
    pub pid_file: &'a Path,
    /// The host's own PVM_TMP, in the cluster folder: each host has its own /tmp, but
    /// this one is also readable from the real machine (pvmd logs, sockets).
    pub pvm_tmp: &'a Path,
}

/// Writes the sshd configuration of one virtual host: listens only on its own address,
/// accepts only the cluster's key, and gives every session the host's own `PVM_TMP`
/// (sshd's `SetEnv` wins over anything the client sends).
pub fn write_config(path: &Path, listen: Ipv4Addr, files: SshdFiles<'_>) -> io::Result<()> {
    let text = format!(
        "# sshd of one vcluster host (written by vcluster; removed by `vcluster down`)\n\
         ListenAddress {listen}\n\
         Port 22\n\
         HostKey {hk}\n\
         PidFile {pid}\n\
         AuthorizedKeysFile {ak}\n\
         PubkeyAuthentication yes\n\
         PasswordAuthentication no\n\
         KbdInteractiveAuthentication no\n\
         PermitRootLogin prohibit-password\n\
         UsePAM no\n\
         StrictModes no\n\
         X11Forwarding no\n\
         PrintMotd no\n\
         AcceptEnv PVM_*\n\
         SetEnv PVM_TMP=\"{tmp}\"\n\
         LogLevel ERROR\n",
        hk = files.host_key.display(),
        pid = files.pid_file.display(),
        ak = files.authorized_keys.display(),
        tmp = files.pvm_tmp.display(),
    );
    fs::write(path, text)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

/// Checks a host's sshd configuration before the host boots, so a bad one is this
/// error rather than a host that never listens.
pub fn check_config(config: &Path) -> Result<(), RunError> {
    // sshd wants its privilege-separation directory even to check a file; the
    // service's start makes it, so a machine whose sshd never ran lacks it.
    let _ = std::fs::create_dir_all(PRIVSEP_DIR);
    output(Command::new(SSHD).arg("-t").arg("-f").arg(config)).map(drop)
}

/// OpenSSH's privilege-separation directory on Debian.
const PRIVSEP_DIR: &str = "/run/sshd";

/// Why an account cannot log in to the hosts with the cluster's key.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("no user {0:?} on this machine")]
    NoUser(String),
    #[error("the hosts' base has no sshd at {0} (install openssh-server in it)")]
    NoSshd(String),
    #[error(
        "user {user:?} cannot log in over ssh: its account is locked (its password field in \
         {shadow} starts with '!'), and sshd refuses key logins to locked accounts; unlock it \
         without giving it a password: usermod -p '*' {user}"
    )]
    Locked { user: String, shadow: String },
    #[error("user {user:?} cannot log in over ssh: its shell is {shell}; give it one with: usermod -s /bin/bash {user}")]
    NoShell { user: String, shell: String },
}

/// Checks that `user` can log in to a host whose root is `base` with a key: sshd (with
/// PAM off, as the hosts run it) refuses locked accounts and accounts without a shell,
/// and every ssh would then fail with a bare "Permission denied (publickey)".
pub fn check_login(user: &str, base: &Path) -> Result<(), LoginError> {
    let sshd = base.join(SSHD.trim_start_matches('/'));
    if !sshd.exists() {
        return Err(LoginError::NoSshd(sshd.display().to_string()));
    }
    let passwd = fs::read_to_string(base.join("etc/passwd")).unwrap_or_default();
    let Some(entry) = passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&user))
    else {
        return Err(LoginError::NoUser(user.to_string()));
    };
    let shell = entry.get(6).copied().unwrap_or("");
    if shell.ends_with("/nologin") || shell.ends_with("/false") {
        return Err(LoginError::NoShell {
            user: user.to_string(),
            shell: shell.to_string(),
        });
    }
    let shadow_file = base.join("etc/shadow");
    let shadow = fs::read_to_string(&shadow_file).unwrap_or_default();
    let locked = shadow
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&user))
        .and_then(|f| f.get(1).map(|p| p.starts_with('!')))
        .unwrap_or(false);
    if locked {
        return Err(LoginError::Locked {
            user: user.to_string(),
            shadow: shadow_file.display().to_string(),
        });
    }
    Ok(())
}

/// Waits until the sshd at `addr` accepts connections (it needs a moment after
/// [`start`]); false if it did not within `limit`.
pub fn wait_listening(addr: Ipv4Addr, limit: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    let target = std::net::SocketAddr::from((addr, 22));
    loop {
        let step = std::time::Duration::from_millis(200);
        if std::net::TcpStream::connect_timeout(&target, step).is_ok() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Writes the client side: the ssh config naming every host by name and address, the
/// known_hosts file with their host keys, both in the cluster folder.
pub fn write_client_files(
    dir: &Path,
    user: &str,
    hosts: &[(String, Ipv4Addr, String)],
) -> io::Result<()> {
    let key = dir.join("id_ed25519");
    let known = dir.join("known_hosts");
    let mut config = String::from("# ssh config for this vcluster (use: ssh -F <this file> h1)\n");
    let mut known_hosts = String::new();
    for (name, addr, host_pub) in hosts {
        config.push_str(&format!(
            "Host {name} {addr}\n  HostName {addr}\n  User {user}\n  IdentityFile {key}\n  \
             IdentitiesOnly yes\n  UserKnownHostsFile {known}\n  StrictHostKeyChecking yes\n  \
             BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n",
            key = key.display(),
            known = known.display(),
        ));
        let mut fields = host_pub.split_whitespace();
        if let (Some(kind), Some(blob)) = (fields.next(), fields.next()) {
            known_hosts.push_str(&format!("{name},{addr} {kind} {blob}\n"));
        }
    }
    fs::write(dir.join("ssh_config"), config)?;
    fs::write(known, known_hosts)
}
