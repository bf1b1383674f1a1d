//! A cluster: its name, subnet, hosts and folder, persisted as JSON so later commands
//! (list, exec, kill, save, down) find what `up` made.

use std::fs;
use std::io;
use std::net::Ipv4Addr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};

use crate::cgroup::{CgroupError, Cgroups, Limits, Usage};
use crate::machine::{self, MachineError, MachineSpec};
use crate::net;
use crate::run::RunError;
use crate::sshd;
use crate::subnet::{self, SubnetError};

/// Where clusters keep their folders unless VCLUSTER_DIR says otherwise.
pub const DEFAULT_ROOT: &str = "/run/vcluster";
/// How long a freshly started sshd may take to listen (generous: 64 hosts start at once
/// on a busy 2-core machine).
const SSHD_START_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);
/// The cluster's client key (its user logs in to every host with it).
const CLIENT_KEY: &str = "id_ed25519";
/// The hosts' key.
const HOST_KEY: &str = "host_ed25519";
/// The key files a saved cluster keeps, so a restore is trusted by the same clients.
pub const KEY_FILES: [&str; 4] = [
    "id_ed25519",
    "id_ed25519.pub",
    "host_ed25519",
    "host_ed25519.pub",
];
/// How long `down` waits for the kernel to destroy the hosts' namespaces and links.
const LINKS_GONE_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);
/// The most hosts one cluster can have (host addresses 1..=MAX_HOSTS on a /24).
pub const MAX_HOSTS: usize = 64;

/// What can go wrong building or using a cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "vcluster needs root (it creates namespaces, mounts, cgroups and interfaces); run it with sudo"
    )]
    NotRoot,
    #[error("bad cluster name {0:?}: use 1 to 8 lower-case letters or digits")]
    BadName(String),
    #[error("a cluster needs 1 to {MAX_HOSTS} hosts, not {0}")]
    BadCount(usize),
    #[error("cluster {0:?} already exists; `vcluster down {0}` removes it (or `up --fresh`)")]
    Exists(String),
    #[error("no cluster named {0:?} (see `vcluster list`)")]
    NoCluster(String),
    #[error("cluster {cluster:?} has no host {host:?}")]
    NoHost { cluster: String, host: String },
    #[error("host {host} of cluster {cluster} is down; `vcluster heal --name {cluster} {host}` starts it")]
    HostDown { cluster: String, host: String },
    #[error("bad image name {0:?}: use 1 to 32 letters, digits, '.', '_' or '-'")]
    BadImageName(String),
    #[error("no saved image {0:?} (see `vcluster images`)")]
    NoImage(String),
    #[error("image {0:?} already exists; remove it with `vcluster images --remove {0}`")]
    ImageExists(String),
    #[error(transparent)]
    Subnet(#[from] SubnetError),
    #[error(transparent)]
    Login(#[from] sshd::LoginError),
    #[error(transparent)]
    Machine(#[from] MachineError),
    #[error(transparent)]
    Cgroup(#[from] CgroupError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
}

pub(crate) fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> ClusterError {
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
    /// Its init (PID 1 of its PID namespace, which runs its sshd), once started.
    pub init_pid: Option<u32>,
}

impl Host {
    /// Whether the host's init runs (a zombie does not).
    pub fn is_up(&self) -> bool {
        self.init_pid.is_some_and(|p| alive(p as i32))
    }
}

/// What `up` is asked for beyond a name and a count.
#[derive(Debug, Clone, Default)]
pub struct UpOptions {
    /// The user the ssh keys and config are made for.
    pub user: String,
    /// The hosts' lower layer; `/` (this machine's root) when none.
    pub base: Option<PathBuf>,
    pub limits: Limits,
    /// The subnet's third octet; a free one when none.
    pub subnet: Option<u8>,
}

/// Where a new cluster's contents come from other than the base: saved layers, and for
/// a restore, the saved keys too (so clients keep trusting the same host keys).
#[derive(Debug, Clone, Default)]
pub(crate) struct Seed {
    /// A folder holding `layers/<host>/upper` for each host.
    pub layers: Option<PathBuf>,
    /// A folder holding the saved keys.
    pub keys: Option<PathBuf>,
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
    /// The lower layer of every host's root.
    pub base: PathBuf,
    pub limits: Limits,
    /// Its cgroups, when the machine has them.
    pub cgroups: Option<Cgroups>,
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

    /// The ssh config `up` writes (also every host's /etc/ssh/ssh_config).
    pub fn ssh_config(&self) -> PathBuf {
        self.dir.join("ssh_config")
    }

    /// The /etc/hosts every host sees.
    fn etc_hosts(&self) -> PathBuf {
        self.dir.join("etc_hosts")
    }

    /// The folder of a host's layer (`upper` is its disk).
    pub fn layer(&self, host: &Host) -> PathBuf {
        self.dir.join("layers").join(&host.name)
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
        let mut c = Self::read(&dir.join("cluster.json"))
            .map_err(|_| ClusterError::NoCluster(name.to_string()))?;
        c.dir = dir;
        Ok(c)
    }

    /// Reads a cluster description (its `dir` left empty).
    pub(crate) fn read(file: &Path) -> Result<Cluster, ClusterError> {
        let text =
            fs::read_to_string(file).map_err(io_err(format!("reading {}", file.display())))?;
        serde_json::from_str(&text).map_err(|e| ClusterError::Io {
            what: format!("reading {}", file.display()),
            source: io::Error::other(e),
        })
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
    pub fn up(name: &str, count: usize, opts: &UpOptions) -> Result<Cluster, ClusterError> {
        Self::up_seeded(name, count, opts, &Seed::default())
    }

    pub(crate) fn up_seeded(
        name: &str,
        count: usize,
        opts: &UpOptions,
        seed: &Seed,
    ) -> Result<Cluster, ClusterError> {
        require_root()?;
        validate_name(name)?;
        if !(1..=MAX_HOSTS).contains(&count) {
            return Err(ClusterError::BadCount(count));
        }
        let base = opts.base.clone().unwrap_or_else(|| PathBuf::from("/"));
        machine::check(&base)?;
        sshd::check_login(&opts.user, &base)?;
        let dir = root_dir().join(name);
        if dir.join("cluster.json").exists() {
            return Err(ClusterError::Exists(name.to_string()));
        }
        // The folder first: a claim whose folder exists is live (see `claim_is_live`).
        fs::create_dir_all(&dir).map_err(io_err(format!("creating {}", dir.display())))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))
            .map_err(io_err("setting folder mode"))?;
        let used: Vec<u8> = Cluster::list().iter().map(|c| c.subnet).collect();
        let subnet = match subnet::take(opts.subnet, &dir, &used) {
            Ok(s) => s,
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(e.into());
            }
        };
        let mut cluster = Cluster {
            name: name.to_string(),
            subnet,
            bridge: format!("vcbr-{name}"),
            user: opts.user.clone(),
            base,
            limits: opts.limits,
            cgroups: None,
            hosts: Vec::new(),
            dir,
        };
        cluster.save()?;
        if let Err(e) = cluster.build(count, seed) {
            let _ = cluster.down();
            return Err(e);
        }
        Ok(cluster)
    }

    fn build(&mut self, count: usize, seed: &Seed) -> Result<(), ClusterError> {
        let t = std::time::Instant::now();
        self.cgroups = Cgroups::create(&self.name, &self.limits)?;
        self.save()?;
        net::create_bridge(&self.bridge, net::address(self.subnet, net::BRIDGE_HOST))?;
        for i in 1..=count {
            self.hosts.push(Host {
                name: format!("h{i}"),
                netns: format!("vc-{}-h{i}", self.name),
                addr: net::address(self.subnet, i as u8),
                veth: format!("vc-{}-{i}", self.name),
                init_pid: None,
            });
        }
        self.save()?;
        let known = self.make_keys(seed)?;
        // Every host's ssh config, known hosts and /etc/hosts exist before the first
        // host starts: the hosts see them at start.
        sshd::write_client_files(&self.dir, &self.user, &known)
            .map_err(io_err("writing ssh config"))?;
        self.write_etc_hosts()?;
        self.write_hostfile()?;
        self.give_to_user()?;
        tracing::debug!(elapsed = ?t.elapsed(), "up: keys and files written");
        let links: Vec<(&str, &str)> = self
            .hosts
            .iter()
            .map(|h| (h.netns.as_str(), h.veth.as_str()))
            .collect();
        net::create_hosts(&self.bridge, &links)?;
        tracing::debug!(elapsed = ?t.elapsed(), "up: namespaces and links made");
        let mut starting = Vec::new();
        for host in self.hosts.clone() {
            if let Some(from) = &seed.layers {
                self.copy_layer_in(&host, &from.join("layers").join(&host.name).join("upper"))?;
            }
            starting.push((host.name.clone(), self.launch_host(&host)?));
        }
        // Every init is waited for, also after one failed: none may be left running
        // unrecorded for `down`.
        let mut first = None;
        for (name, child) in starting {
            match machine::started(child, &name) {
                Ok(pid) => self.set_init(&name, Some(pid)),
                Err(e) => {
                    first.get_or_insert(e);
                }
            }
        }
        self.save()?;
        if let Some(e) = first {
            return Err(e.into());
        }
        tracing::debug!(elapsed = ?t.elapsed(), "up: hosts started");
        for h in &self.hosts {
            self.wait_sshd(h)?;
        }
        tracing::debug!(elapsed = ?t.elapsed(), "up: every sshd listens");
        Ok(())
    }

    /// Makes (or, from a seed, copies) the client key and the hosts' key; returns what
    /// the client files need: each host's name, address and public host key. The hosts
    /// share one host key, as hosts cloned from one disk image do: it spares a 64-host
    /// `up` 64 runs of ssh-keygen, and clients still check it strictly.
    fn make_keys(&self, seed: &Seed) -> Result<Vec<(String, Ipv4Addr, String)>, ClusterError> {
        let client_key = self.dir.join(CLIENT_KEY);
        let host_key = self.dir.join(HOST_KEY);
        match &seed.keys {
            Some(from) => {
                for n in KEY_FILES {
                    fs::copy(from.join(n), self.dir.join(n))
                        .map_err(io_err(format!("restoring key {n}")))?;
                }
            }
            None => sshd::keygen_all(&[
                (client_key.clone(), format!("vcluster-{}", self.name)),
                (host_key.clone(), format!("vcluster-{}-hosts", self.name)),
            ])?,
        }
        fs::copy(
            client_key.with_extension("pub"),
            self.dir.join("authorized_keys"),
        )
        .map_err(io_err("writing authorized_keys"))?;
        let pubkey = fs::read_to_string(host_key.with_extension("pub"))
            .map_err(io_err("reading host key"))?;
        Ok(self
            .hosts
            .iter()
            .map(|h| (h.name.clone(), h.addr, pubkey.clone()))
            .collect())
    }

    /// Starts a host's machine (its layer as it is) and records its init.
    fn start_host(&mut self, host: &Host) -> Result<(), ClusterError> {
        let child = self.launch_host(host)?;
        let pid = machine::started(child, &host.name)?;
        self.set_init(&host.name, Some(pid));
        self.save()
    }

    fn set_init(&mut self, name: &str, pid: Option<u32>) {
        if let Some(h) = self.hosts.iter_mut().find(|h| h.name == name) {
            h.init_pid = pid;
        }
    }

    /// Prepares a host's cgroups, sshd config and machine spec, and starts its init.
    fn launch_host(&self, host: &Host) -> Result<std::process::Child, ClusterError> {
        if let Some(cg) = &self.cgroups {
            cg.add_host(&host.name, &self.limits)?;
        }
        let pvm_tmp = self.make_host_tmp(host)?;
        let host_key = self.dir.join(HOST_KEY);
        let files = sshd::SshdFiles {
            host_key: &host_key,
            authorized_keys: &self.dir.join("authorized_keys"),
            pid_file: Path::new("/run/sshd.pid"),
            pvm_tmp: &pvm_tmp,
        };
        let config = self.dir.join(format!("{}_sshd_config", host.name));
        sshd::write_config(&config, host.addr, files).map_err(io_err("writing sshd config"))?;
        // Every host's config has the same form: checking the first one's is enough.
        if self.hosts.first().is_some_and(|h| h.name == host.name) {
            sshd::check_config(&config)?;
        }
        let spec = self.machine_spec(host, &config);
        machine::prepare_layer(&spec)?;
        let spec_file = self.dir.join(format!("{}_machine.json", host.name));
        let json = serde_json::to_string_pretty(&spec).map_err(|e| ClusterError::Io {
            what: "encoding the host's machine".into(),
            source: io::Error::other(e),
        })?;
        fs::write(&spec_file, json).map_err(io_err("writing the host's machine"))?;
        let exe = std::env::current_exe().map_err(io_err("finding the vcluster binary"))?;
        Ok(machine::spawn(&exe, &spec_file)?)
    }

    fn machine_spec(&self, host: &Host, sshd_config: &Path) -> MachineSpec {
        MachineSpec {
            hostname: host.name.clone(),
            netns: host.netns.clone(),
            addr: host.addr,
            base: self.base.clone(),
            layer: self.layer(host),
            shared: vec![self.dir.clone()],
            hidden: vec![self.dir.join("layers")],
            files: vec![
                (self.etc_hosts(), PathBuf::from("/etc/hosts")),
                (self.ssh_config(), PathBuf::from("/etc/ssh/ssh_config")),
            ],
            cgroups: self
                .cgroups
                .as_ref()
                .map(|c| c.host_dirs(&host.name))
                .unwrap_or_default(),
            command: vec![
                sshd::SSHD.to_string(),
                "-D".into(),
                "-e".into(),
                "-f".into(),
                sshd_config.display().to_string(),
            ],
            log: self.dir.join(format!("{}.log", host.name)),
        }
    }

    /// Replaces a host's upper layer with a copy of `from` (a saved or another host's).
    fn copy_layer_in(&self, host: &Host, from: &Path) -> Result<(), ClusterError> {
        let upper = self.layer(host).join("upper");
        fs::create_dir_all(self.layer(host)).map_err(io_err("creating the host's layer"))?;
        if upper.exists() {
            fs::remove_dir_all(&upper).map_err(io_err(format!("clearing {}", upper.display())))?;
        }
        crate::image::copy_tree(from, &upper)
    }

    /// The /etc/hosts of every host: every host by name, and this machine (reachable
    /// from the hosts only on the bridge) by its own name.
    fn write_etc_hosts(&self) -> Result<(), ClusterError> {
        let me = nix::unistd::gethostname()
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "vchost".into());
        let mut text = format!(
            "# /etc/hosts of vcluster {name}'s hosts (written by vcluster)\n\
             127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n\
             {bridge}\t{me}\n",
            name = self.name,
            bridge = net::address(self.subnet, net::BRIDGE_HOST),
        );
        for h in &self.hosts {
            text.push_str(&format!("{}\t{}\n", h.addr, h.name));
        }
        fs::write(self.etc_hosts(), text).map_err(io_err("writing the hosts' /etc/hosts"))
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

    /// The host's own `PVM_TMP`. Each host has its own /tmp now, but this folder is
    /// also seen from the real machine, where tests and users read pvmd logs.
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

    /// A command that runs `argv` on `host`: in its namespaces and root, with the host's
    /// own `PVM_TMP` as an ssh login there would have. The caller joins the host's
    /// cgroups first ([`Cluster::join_cgroups`]), so the command counts against it.
    pub fn exec_command(&self, host: &Host, argv: &[String]) -> Result<Command, ClusterError> {
        let pid = host
            .init_pid
            .filter(|_| host.is_up())
            .ok_or_else(|| ClusterError::HostDown {
                cluster: self.name.clone(),
                host: host.name.clone(),
            })?;
        let mut cmd = Command::new("nsenter");
        cmd.env("PVM_TMP", self.host_tmp(host));
        cmd.args([
            "-t",
            &pid.to_string(),
            "-m",
            "-u",
            "-i",
            "-n",
            "-p",
            "-r",
            "-w",
        ]);
        cmd.arg("--").args(argv);
        Ok(cmd)
    }

    /// Moves the calling process into `host`'s cgroups (for `vcluster exec`).
    pub fn join_cgroups(&self, host: &Host) -> Result<(), ClusterError> {
        for d in self.cgroups.iter().flat_map(|c| c.host_dirs(&host.name)) {
            let procs = d.join("cgroup.procs");
            fs::write(&procs, std::process::id().to_string())
                .map_err(io_err(format!("joining {}", procs.display())))?;
        }
        Ok(())
    }

    /// What a host has used (nothing known without cgroups).
    pub fn usage(&self, host: &Host) -> Usage {
        self.cgroups
            .as_ref()
            .map(|c| c.usage(&host.name))
            .unwrap_or_default()
    }

    /// Cuts `host` off as a crash would: its link goes down and everything running in it
    /// (init, sshd, pvmd, tasks) is killed.
    pub fn kill_host(&mut self, name: &str) -> Result<(), ClusterError> {
        let host = self.host(name)?.clone();
        net::set_link(&host.veth, false)?;
        self.stop(&host);
        self.save()
    }

    /// Kills everything in a host and waits until it is gone (its mounts go with it).
    fn stop(&mut self, host: &Host) {
        kill_all(|| self.pids_of(&[host]));
        self.set_init(&host.name, None);
    }

    /// Every live process of these hosts: in their network namespaces, their PID
    /// namespaces or their cgroups. One pass over /proc for all of them.
    fn pids_of(&self, hosts: &[&Host]) -> Vec<i32> {
        let netns: Vec<String> = hosts
            .iter()
            .filter_map(|h| net::namespace_id(&h.netns))
            .collect();
        let pidns: Vec<String> = hosts
            .iter()
            .filter_map(|h| h.init_pid)
            .filter_map(|p| fs::read_link(format!("/proc/{p}/ns/pid")).ok())
            .map(|l| l.to_string_lossy().into_owned())
            .collect();
        let mut pids: Vec<i32> = hosts
            .iter()
            .filter_map(|h| h.init_pid)
            .map(|p| p as i32)
            .collect();
        if let Some(cg) = &self.cgroups {
            pids.extend(hosts.iter().flat_map(|h| cg.procs(&h.name)));
        }
        let ns_of = |pid: i32, kind: &str| {
            fs::read_link(format!("/proc/{pid}/ns/{kind}"))
                .map(|l| l.to_string_lossy().into_owned())
                .ok()
        };
        if let Ok(entries) = fs::read_dir("/proc") {
            for pid in entries.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok()) {
                let inside = ns_of(pid, "net").is_some_and(|n| netns.contains(&n))
                    || ns_of(pid, "pid").is_some_and(|n| pidns.contains(&n));
                if inside {
                    pids.push(pid);
                }
            }
        }
        pids.sort_unstable();
        pids.dedup();
        pids.retain(|p| alive(*p));
        pids
    }

    /// Cuts `host` off as a network partition would: its link goes down and everything
    /// in it keeps running (its pvmd notices its master is gone).
    pub fn cut_host(&self, name: &str) -> Result<(), ClusterError> {
        let host = self.host(name)?;
        net::set_link(&host.veth, false).map_err(Into::into)
    }

    /// Brings a host that [`Cluster::kill_host`] or [`Cluster::cut_host`] cut off back:
    /// link up, and if it was killed, booted again from its layer (its files are
    /// there, its processes are not, as after a reboot).
    pub fn heal_host(&mut self, name: &str) -> Result<(), ClusterError> {
        let host = self.host(name)?.clone();
        net::set_link(&host.veth, true)?;
        if host.is_up() {
            return Ok(());
        }
        self.start_host(&host)?;
        self.wait_sshd(&host)
    }

    /// Puts a host back to the base: stops it, throws its layer away and boots it fresh.
    pub fn reset_host(&mut self, name: &str) -> Result<(), ClusterError> {
        let host = self.host(name)?.clone();
        self.stop(&host);
        let layer = self.layer(&host);
        if layer.exists() {
            fs::remove_dir_all(&layer).map_err(io_err(format!("clearing {}", layer.display())))?;
        }
        net::set_link(&host.veth, true)?;
        self.start_host(&host)?;
        self.wait_sshd(&host)
    }

    /// Waits for a host's sshd to accept connections, so the cluster is usable as soon
    /// as a command returns.
    fn wait_sshd(&self, host: &Host) -> Result<(), ClusterError> {
        if sshd::wait_listening(host.addr, SSHD_START_LIMIT) {
            return Ok(());
        }
        let log =
            fs::read_to_string(self.dir.join(format!("{}.log", host.name))).unwrap_or_default();
        Err(ClusterError::Io {
            what: format!("sshd of {} at {}", host.name, host.addr),
            source: io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "not listening after {} s; its log says: {}",
                    SSHD_START_LIMIT.as_secs(),
                    log.trim()
                ),
            ),
        })
    }

    /// Removes everything the cluster made: processes, interfaces, namespaces, cgroups,
    /// bridge, layers, keys and its folder. Goes on past errors and reports the first.
    pub fn down(&self) -> Result<(), ClusterError> {
        let mut first: Option<ClusterError> = None;
        let mut note = |r: Result<(), ClusterError>| {
            if let Err(e) = r {
                first.get_or_insert(e);
            }
        };
        let t = std::time::Instant::now();
        let all: Vec<&Host> = self.hosts.iter().collect();
        kill_all(|| self.pids_of(&all));
        tracing::debug!(elapsed = ?t.elapsed(), "down: hosts' processes gone");
        let links: Vec<(&str, &str)> = self
            .hosts
            .iter()
            .map(|h| (h.netns.as_str(), h.veth.as_str()))
            .collect();
        note(net::delete_all(&self.bridge, &links, LINKS_GONE_LIMIT).map_err(Into::into));
        if let Some(cg) = &self.cgroups {
            for h in &self.hosts {
                note(cg.remove_host(&h.name).map_err(Into::into));
            }
            note(cg.remove().map_err(Into::into));
        }
        tracing::debug!(elapsed = ?t.elapsed(), "down: links, namespaces and cgroups gone");
        note(
            fs::remove_dir_all(&self.dir)
                .map_err(io_err(format!("removing {}", self.dir.display()))),
        );
        subnet::release(self.subnet, &self.dir);
        tracing::debug!(elapsed = ?t.elapsed(), "down: folder removed");
        first.map_or(Ok(()), Err)
    }
}

/// Kills what `pids` finds until it finds nothing (a process may fork while dying), for
/// up to ten seconds.
fn kill_all(pids: impl Fn() -> Vec<i32>) {
    for _ in 0..500 {
        let found = pids();
        if found.is_empty() {
            return;
        }
        for pid in found {
            // A process that is already gone is what we want anyway.
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Whether a process runs (a zombie waiting to be reaped does not).
pub(crate) fn alive(pid: i32) -> bool {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The state follows the parenthesised command name.
    match stat.rsplit_once(") ") {
        Some((_, rest)) => !rest.starts_with('Z') && !rest.starts_with('X'),
        None => false,
    }
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
