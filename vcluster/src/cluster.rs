//! A cluster: its name, subnet, hosts and folder, persisted as JSON so later commands
//! (list, exec, kill, down) find what `up` made.

use std::fs;
use std::io;
use std::net::Ipv4Addr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};

use crate::net;
use crate::run::RunError;
use crate::sshd;

/// Where clusters keep their folders unless VCLUSTER_DIR says otherwise.
pub const DEFAULT_ROOT: &str = "/run/vcluster";
/// How long a freshly started sshd may take to listen.
const SSHD_START_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);
/// The most hosts one cluster can have (host addresses 1..=MAX_HOSTS on a /24).
pub const MAX_HOSTS: usize = 64;

/// What can go wrong building or using a cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "vcluster needs root (it creates network namespaces and interfaces); run it with sudo"
    )]
    NotRoot,
    #[error("bad cluster name {0:?}: use 1 to 8 lower-case letters or digits")]
    BadName(String),
    #[error("a cluster needs 1 to {MAX_HOSTS} hosts, not {0}")]
    BadCount(usize),
    #[error("cluster {0:?} already exists; `vcluster down {0}` removes it")]
    Exists(String),
    #[error("no cluster named {0:?} (see `vcluster list`)")]
    NoCluster(String),
    #[error("cluster {cluster:?} has no host {host:?}")]
    NoHost { cluster: String, host: String },
    #[error("no free 10.250.x.0/24 subnet left")]
    NoSubnet,
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> ClusterError {
    let what = what.into();
    move |source| ClusterError::Io { what, source }
}

/// One virtual host.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Host {
    /// Its host name: h1, h2, ...
    pub name: String,
    /// Its network namespace.
    pub netns: String,
    /// Its address on the cluster's subnet.
    pub addr: Ipv4Addr,
    /// The bridge end of its veth pair, on the real host.
    pub veth: String,
    /// Its sshd, once started.
    pub sshd_pid: Option<u32>,
}

/// A virtual cluster and everything it made.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Cluster {
    pub name: String,
    /// Third octet of its 10.250.x.0/24 subnet.
    pub subnet: u8,
    pub bridge: String,
    /// The user the ssh keys and config are made for.
    pub user: String,
    pub hosts: Vec<Host>,
    #[serde(skip)]
    pub dir: PathBuf,
}

/// The folder all clusters live under.
pub fn root_dir() -> PathBuf {
    std::env::var_os("VCLUSTER_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_ROOT))
}

/// Refuses to go on without root, with a message saying why.
pub fn require_root() -> Result<(), ClusterError> {
    if nix::unistd::geteuid().is_root() {
        Ok(())
    } else {
        Err(ClusterError::NotRoot)
    }
}

/// Checks a cluster name: short enough that every interface name derived from it fits
/// Linux's 15-character limit.
pub fn validate_name(name: &str) -> Result<(), ClusterError> {
    let ok = (1..=8).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ClusterError::BadName(name.to_string()))
    }
}

impl Cluster {
    fn state_file(&self) -> PathBuf {
        self.dir.join("cluster.json")
    }

    /// The PVM hostfile `up` writes.
    pub fn hostfile(&self) -> PathBuf {
        self.dir.join("hostfile")
    }

    /// The ssh config `up` writes.
    pub fn ssh_config(&self) -> PathBuf {
        self.dir.join("ssh_config")
    }

    /// Saves the state: called before each thing is made, so `down` can undo a partial `up`.
    fn save(&self) -> Result<(), ClusterError> {
        let json = serde_json::to_string_pretty(self).map_err(|e| ClusterError::Io {
            what: "encoding cluster state".into(),
            source: io::Error::other(e),
        })?;
        fs::write(self.state_file(), json).map_err(io_err("writing cluster state"))
    }

    /// Loads cluster `name`.
    pub fn load(name: &str) -> Result<Cluster, ClusterError> {
        validate_name(name)?;
        let dir = root_dir().join(name);
        let text = fs::read_to_string(dir.join("cluster.json"))
            .map_err(|_| ClusterError::NoCluster(name.to_string()))?;
        let mut c: Cluster = serde_json::from_str(&text).map_err(|e| ClusterError::Io {
            what: format!("reading {}", dir.join("cluster.json").display()),
            source: io::Error::other(e),
        })?;
        c.dir = dir;
        Ok(c)
    }

    /// Every cluster there is, by name.
    pub fn list() -> Vec<Cluster> {
        let Ok(entries) = fs::read_dir(root_dir()) else {
            return Vec::new();
        };
        let mut out: Vec<Cluster> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| Cluster::load(&e.file_name().to_string_lossy()).ok())
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Builds cluster `name` with `count` hosts. On failure, what was made is removed.
    pub fn up(name: &str, count: usize, user: &str) -> Result<Cluster, ClusterError> {
        require_root()?;
        validate_name(name)?;
        if !(1..=MAX_HOSTS).contains(&count) {
            return Err(ClusterError::BadCount(count));
        }
        let dir = root_dir().join(name);
        if dir.join("cluster.json").exists() {
            return Err(ClusterError::Exists(name.to_string()));
        }
        fs::create_dir_all(&dir).map_err(io_err(format!("creating {}", dir.display())))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))
            .map_err(io_err("setting folder mode"))?;
        let mut cluster = Cluster {
            name: name.to_string(),
            subnet: free_subnet()?,
            bridge: format!("vcbr-{name}"),
            user: user.to_string(),
            hosts: Vec::new(),
            dir,
        };
        cluster.save()?;
        if let Err(e) = cluster.build(count) {
            let _ = cluster.down();
            return Err(e);
        }
        Ok(cluster)
    }

    fn build(&mut self, count: usize) -> Result<(), ClusterError> {
        net::create_bridge(&self.bridge, net::address(self.subnet, net::BRIDGE_HOST))?;
        let client_key = self.dir.join("id_ed25519");
        sshd::keygen(&client_key, &format!("vcluster-{}", self.name))?;
        let authorized = self.dir.join("authorized_keys");
        fs::copy(client_key.with_extension("pub"), &authorized)
            .map_err(io_err("writing authorized_keys"))?;
        let mut known = Vec::new();
        for i in 1..=count {
            let host = Host {
                name: format!("h{i}"),
                netns: format!("vc-{}-h{i}", self.name),
                addr: net::address(self.subnet, i as u8),
                veth: format!("vc-{}-{i}", self.name),
                sshd_pid: None,
            };
            self.hosts.push(host.clone());
            self.save()?;
            net::create_namespace(&host.netns)?;
            net::attach(&host.netns, &host.veth, &self.bridge, host.addr)?;
            let host_key = self.dir.join(format!("{}_host_ed25519", host.name));
            sshd::keygen(&host_key, &host.name)?;
            let pvm_tmp = self.make_host_tmp(&host)?;
            let files = sshd::SshdFiles {
                host_key: &host_key,
                authorized_keys: &authorized,
                pid_file: &self.dir.join(format!("{}_sshd.pid", host.name)),
                pvm_tmp: &pvm_tmp,
            };
            let config = self.sshd_config(&host);
            sshd::write_config(&config, host.addr, files).map_err(io_err("writing sshd config"))?;
            let pid = sshd::start(&host.netns, &host.name, &config)?;
            self.hosts[i - 1].sshd_pid = Some(pid);
            self.save()?;
            let host_pub = fs::read_to_string(host_key.with_extension("pub"))
                .map_err(io_err("reading host key"))?;
            known.push((host.name.clone(), host.addr, host_pub));
        }
        for h in &self.hosts {
            self.wait_sshd(h)?;
        }
        sshd::write_client_files(&self.dir, &self.user, &known)
            .map_err(io_err("writing ssh config"))?;
        self.write_hostfile()?;
        self.give_to_user()?;
        Ok(())
    }

    fn write_hostfile(&self) -> Result<(), ClusterError> {
        let mut text = format!(
            "# PVM hostfile for vcluster {name}: the real host (where the console runs) is the\n\
             # master; these virtual hosts are started over ssh. Start with:\n\
             #   PVM_RSH=\"ssh -F {cfg}\" pvm {hf}\n",
            name = self.name,
            cfg = self.ssh_config().display(),
            hf = self.hostfile().display(),
        );
        for h in &self.hosts {
            text.push_str(&format!("{} ip={}\n", h.name, h.addr));
        }
        fs::write(self.hostfile(), text).map_err(io_err("writing hostfile"))
    }

    fn sshd_config(&self, host: &Host) -> PathBuf {
        self.dir.join(format!("{}_sshd_config", host.name))
    }

    /// The host's own `PVM_TMP`: the virtual hosts share one file system, and a pvmd
    /// keeps its socket and lock in `$PVM_TMP/pvm.<uid>`, so each host needs its own.
    pub fn host_tmp(&self, host: &Host) -> PathBuf {
        self.dir.join("tmp").join(&host.name)
    }

    /// Creates [`Cluster::host_tmp`], private to the cluster's user.
    fn make_host_tmp(&self, host: &Host) -> Result<PathBuf, ClusterError> {
        let dir = self.host_tmp(host);
        fs::create_dir_all(&dir).map_err(io_err(format!("creating {}", dir.display())))?;
        let user = nix::unistd::User::from_name(&self.user)
            .ok()
            .flatten()
            .ok_or_else(|| ClusterError::Io {
                what: format!("looking up user {}", self.user),
                source: io::Error::from(io::ErrorKind::NotFound),
            })?;
        nix::unistd::chown(&dir, Some(user.uid), Some(user.gid))
            .map_err(|e| io_err(format!("giving {} to {}", dir.display(), self.user))(e.into()))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
            .map_err(io_err("setting the host's PVM_TMP mode"))?;
        Ok(dir)
    }

    /// Hands the client key and config to the cluster's user, who runs ssh with them.
    fn give_to_user(&self) -> Result<(), ClusterError> {
        if self.user == "root" {
            return Ok(());
        }
        let status = Command::new("chown")
            .arg(&self.user)
            .args([
                "id_ed25519",
                "id_ed25519.pub",
                "ssh_config",
                "known_hosts",
                "hostfile",
            ])
            .current_dir(&self.dir)
            .status()
            .map_err(io_err("running chown"))?;
        if !status.success() {
            return Err(ClusterError::Io {
                what: format!("giving the cluster's keys to {}", self.user),
                source: io::Error::other(status.to_string()),
            });
        }
        Ok(())
    }

    /// Finds a host by name (h1) or address.
    pub fn host(&self, name: &str) -> Result<&Host, ClusterError> {
        self.hosts
            .iter()
            .find(|h| h.name == name || h.addr.to_string() == name)
            .ok_or_else(|| ClusterError::NoHost {
                cluster: self.name.clone(),
                host: name.to_string(),
            })
    }

    /// A command that runs `argv` inside `host`'s namespaces (network and host name),
    /// with the host's own `PVM_TMP` as an ssh login there would have.
    pub fn exec_command(&self, host: &Host, argv: &[String]) -> Command {
        let mut cmd = Command::new("nsenter");
        cmd.env("PVM_TMP", self.host_tmp(host));
        cmd.arg(format!("--net=/run/netns/{}", host.netns));
        if let Some(pid) = host
            .sshd_pid
            .filter(|p| Path::new(&format!("/proc/{p}")).exists())
        {
            cmd.arg(format!("--uts=/proc/{pid}/ns/uts"));
        }
        cmd.arg("--").args(argv);
        cmd
    }

    /// Cuts `host` off as a crash would: its link goes down and everything running in it
    /// (sshd, pvmd, tasks) is killed.
    pub fn kill_host(&mut self, name: &str) -> Result<(), ClusterError> {
        let host = self.host(name)?.clone();
        net::set_link(&host.veth, false)?;
        kill_all(&host.netns);
        if let Some(h) = self.hosts.iter_mut().find(|h| h.name == host.name) {
            h.sshd_pid = None;
        }
        self.save()
    }

    /// Cuts `host` off as a network partition would: its link goes down and everything
    /// in it keeps running (its pvmd notices its master is gone).
    pub fn cut_host(&self, name: &str) -> Result<(), ClusterError> {
        let host = self.host(name)?;
        net::set_link(&host.veth, false).map_err(Into::into)
    }

    /// Brings a host that [`Cluster::kill_host`] or [`Cluster::cut_host`] cut off back:
    /// link up, and a fresh sshd if its own was killed (what `kill_host` killed stays
    /// dead, as after a reboot).
    pub fn heal_host(&mut self, name: &str) -> Result<(), ClusterError> {
        let host = self.host(name)?.clone();
        net::set_link(&host.veth, true)?;
        if host
            .sshd_pid
            .is_some_and(|p| Path::new(&format!("/proc/{p}")).exists())
        {
            return Ok(());
        }
        let pid = sshd::start(&host.netns, &host.name, &self.sshd_config(&host))?;
        if let Some(h) = self.hosts.iter_mut().find(|h| h.name == host.name) {
            h.sshd_pid = Some(pid);
        }
        self.save()?;
        self.wait_sshd(&host)
    }

    /// Waits for a host's sshd to accept connections, so the cluster is usable as soon
    /// as a command returns.
    fn wait_sshd(&self, host: &Host) -> Result<(), ClusterError> {
        if sshd::wait_listening(host.addr, SSHD_START_LIMIT) {
            return Ok(());
        }
        Err(ClusterError::Io {
            what: format!("sshd of {} at {}", host.name, host.addr),
            source: io::Error::new(io::ErrorKind::TimedOut, "not listening after 10 s"),
        })
    }

    /// Removes everything the cluster made: processes, interfaces, namespaces, bridge,
    /// keys and its folder. Goes on past errors and reports the first.
    pub fn down(&self) -> Result<(), ClusterError> {
        let mut first: Option<ClusterError> = None;
        let mut note = |r: Result<(), ClusterError>| {
            if let Err(e) = r {
                first.get_or_insert(e);
            }
        };
        for h in &self.hosts {
            kill_all(&h.netns);
            note(net::delete_link(&h.veth).map_err(Into::into));
            note(net::delete_namespace(&h.netns).map_err(Into::into));
        }
        note(net::delete_link(&self.bridge).map_err(Into::into));
        note(
            fs::remove_dir_all(&self.dir)
                .map_err(io_err(format!("removing {}", self.dir.display()))),
        );
        first.map_or(Ok(()), Err)
    }
}

/// Kills every process in a namespace and waits briefly for them to go.
fn kill_all(netns: &str) {
    for _ in 0..50 {
        let pids = net::namespace_pids(netns);
        if pids.is_empty() {
            return;
        }
        for pid in pids {
            // A process that is already gone is what we want anyway.
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A 10.250.x.0/24 subnet that no cluster and no interface of the real host uses.
fn free_subnet() -> Result<u8, ClusterError> {
    let mut used = net::subnets_in_use();
    used.extend(Cluster::list().iter().map(|c| c.subnet));
    (1..=253u8)
        .find(|s| !used.contains(s))
        .ok_or(ClusterError::NoSubnet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_interface_limits() {
        assert!(validate_name("vc").is_ok());
        assert!(validate_name("abcdefgh").is_ok());
        assert!(validate_name("abcdefghi").is_err());
        assert!(validate_name("").is_err());
        assert!(validate_name("Bad").is_err());
        assert!(validate_name("a-b").is_err());
        // the longest derived interface name must fit in 15 bytes
        assert!(format!("vc-{}-{}", "abcdefgh", MAX_HOSTS).len() <= 15);
    }
}
