//! A virtual host's machine: its own root file system (a copy-on-write overlay over a
//! base), its own PID, mount, UTS and IPC namespaces, and the init that lives as PID 1
//! there, reaps orphans and runs the host's sshd.
//!
//! The vcluster binary re-executes itself as `vcluster _init SPEC` to become a host's
//! init: [`spawn`] starts it, [`init_main`] is what it runs. Everything mounted for a
//! host lives only in that host's private mount namespace, so when the host's last
//! process ends the kernel unmounts it all: nothing is left on the real machine's
//! mount table. This module never touches the network or cgroups beyond joining the
//! ones the spec names and configuring its own end of the network
//! ([`crate::net::configure_inside`]).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use nix::mount::{mount, umount2, MntFlags, MsFlags};
use nix::sched::{setns, unshare, CloneFlags};
use nix::sys::wait::waitpid;
use nix::unistd::{fork, pivot_root, sethostname, ForkResult, Pid};
use serde::{Deserialize, Serialize};

/// The hidden subcommand the vcluster binary answers as a host's init.
pub const INIT_COMMAND: &str = "_init";

/// What can go wrong making a host's machine.
#[derive(Debug, thiserror::Error)]
pub enum MachineError {
    #[error(
        "this kernel has no overlayfs (no `overlay` in /proc/filesystems; try `modprobe overlay`)"
    )]
    NoOverlay,
    #[error("base directory {0} does not exist or is not a directory")]
    BadBase(PathBuf),
    #[error("base directory {0} cannot be an overlay lower layer: its path holds ',' or ':'")]
    BadBasePath(PathBuf),
    #[error("{what}: {source}")]
    Sys {
        what: String,
        #[source]
        source: nix::Error,
    },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error("host init for {host} failed: {detail}")]
    Init { host: String, detail: String },
}

fn sys(what: impl Into<String>) -> impl FnOnce(nix::Error) -> MachineError {
    let what = what.into();
    move |source| MachineError::Sys { what, source }
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> MachineError {
    let what = what.into();
    move |source| MachineError::Io { what, source }
}

/// Everything a host's init needs, written as JSON next to the cluster's state so the
/// init (a fresh process) reads exactly what the cluster decided.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MachineSpec {
    pub hostname: String,
    /// The network namespace (under /run/netns) the host lives in.
    pub netns: String,
    /// The host's address on `eth0` there, which the init configures itself.
    pub addr: std::net::Ipv4Addr,
    /// The read-only lower layer: this machine's root or a directory the user gave.
    pub base: PathBuf,
    /// The host's layer: `upper`, `work` and `merged` live here.
    pub layer: PathBuf,
    /// Directories of the real machine the host sees at the same path (the cluster's
    /// keys, configs and per-host PVM_TMP).
    pub shared: Vec<PathBuf>,
    /// Directories hidden from the host by an empty file system (the other hosts' layers).
    pub hidden: Vec<PathBuf>,
    /// Files bound read-only over the host's own: (real file, path inside the host).
    pub files: Vec<(PathBuf, PathBuf)>,
    /// Cgroup directories the init joins before anything else runs.
    pub cgroups: Vec<PathBuf>,
    /// What PID 1 runs (the host's sshd).
    pub command: Vec<String>,
    /// Where the init and its command write their messages.
    pub log: PathBuf,
}

impl MachineSpec {
    pub fn upper(&self) -> PathBuf {
        self.layer.join("upper")
    }
    fn work(&self) -> PathBuf {
        self.layer.join("work")
    }
    fn merged(&self) -> PathBuf {
        self.layer.join("merged")
    }
}

/// Checks what a host's machine needs from the kernel and the base, before any host is
/// made, so a missing piece is one clear error rather than a failed host.
pub fn check(base: &Path) -> Result<(), MachineError> {
    let fss =
        fs::read_to_string("/proc/filesystems").map_err(io_err("reading /proc/filesystems"))?;
    if !fss
        .lines()
        .any(|l| l.split_whitespace().last() == Some("overlay"))
    {
        return Err(MachineError::NoOverlay);
    }
    if !base.is_dir() {
        return Err(MachineError::BadBase(base.to_path_buf()));
    }
    // overlayfs separates its options with ',' and its lower layers with ':'.
    if base.to_string_lossy().contains([',', ':']) {
        return Err(MachineError::BadBasePath(base.to_path_buf()));
    }
    Ok(())
}

/// Makes the layer's folders (an existing `upper` is kept: that is the host's disk).
/// `work` is overlayfs's scratch space, always made afresh: a volatile mount (below)
/// leaves a mark in it that would refuse the next mount.
pub fn prepare_layer(spec: &MachineSpec) -> Result<(), MachineError> {
    let work = spec.work();
    if work.exists() {
        fs::remove_dir_all(&work).map_err(io_err(format!("clearing {}", work.display())))?;
    }
    for d in [spec.upper(), spec.work(), spec.merged()] {
        fs::create_dir_all(&d).map_err(io_err(format!("creating {}", d.display())))?;
    }
    Ok(())
}

/// Starts a host's init from the spec at `spec_file`; [`started`] waits for it to have
/// made the host. Several may be started before any is waited for: their set-up
/// overlaps.
pub fn spawn(exe: &Path, spec_file: &Path) -> Result<std::process::Child, MachineError> {
    Command::new(exe)
        .arg(INIT_COMMAND)
        .arg(spec_file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(io_err(format!("running {}", exe.display())))
}

/// Waits for an init [`spawn`] started to have made its host, and returns the pid on
/// the real machine of the host's PID 1. The init's set-up errors come back here.
pub fn started(child: std::process::Child, host: &str) -> Result<u32, MachineError> {
    let out = child
        .wait_with_output()
        .map_err(io_err(format!("waiting for the init of {host}")))?;
    let detail = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if !out.status.success() {
        return Err(MachineError::Init {
            host: host.to_string(),
            detail,
        });
    }
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| MachineError::Init {
            host: host.to_string(),
            detail: format!("no pid from the init ({detail})"),
        })
}

/// The init's side: joins the host's cgroups and network namespace, makes the rest of
/// its namespaces and its root, then forks PID 1, prints its pid and returns. Must be
/// called from a single-threaded process (unshare of a mount namespace and fork need it).
pub fn init_main(spec_file: &Path) -> Result<(), MachineError> {
    let text = fs::read_to_string(spec_file)
        .map_err(io_err(format!("reading {}", spec_file.display())))?;
    let spec: MachineSpec = serde_json::from_str(&text).map_err(|e| MachineError::Io {
        what: format!("reading {}", spec_file.display()),
        source: io::Error::other(e),
    })?;
    for cg in &spec.cgroups {
        let procs = cg.join("cgroup.procs");
        fs::write(&procs, std::process::id().to_string())
            .map_err(io_err(format!("joining {}", procs.display())))?;
    }
    let netns = format!("/run/netns/{}", spec.netns);
    let ns = File::open(&netns).map_err(io_err(format!("opening {netns}")))?;
    setns(&ns, CloneFlags::CLONE_NEWNET).map_err(sys(format!("entering {netns}")))?;
    crate::net::configure_inside(spec.addr).map_err(io_err(format!(
        "configuring eth0 as {} in {netns}",
        spec.addr
    )))?;
    unshare(
        CloneFlags::CLONE_NEWNS
            | CloneFlags::CLONE_NEWUTS
            | CloneFlags::CLONE_NEWIPC
            | CloneFlags::CLONE_NEWPID,
    )
    .map_err(sys("making the host's namespaces"))?;
    // Nothing mounted from here on may reach the real machine.
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .map_err(sys("making mounts private"))?;
    sethostname(&spec.hostname).map_err(sys("setting the host name"))?;
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&spec.log)
        .map_err(io_err(format!("opening {}", spec.log.display())))?;
    build_root(&spec)?;
    // SAFETY: the init process is single-threaded (the binary runs no threads before
    // dispatching `_init`), so the child may run arbitrary code after fork.
    match unsafe { fork() }.map_err(sys("forking the host's PID 1"))? {
        ForkResult::Parent { child } => {
            println!("{child}");
            Ok(())
        }
        ForkResult::Child => pid1(&spec, log),
    }
}

/// Mounts the host's root (overlay over the base) with the few file systems a machine
/// needs, binds what it shares with the real machine, and makes it the root.
fn build_root(spec: &MachineSpec) -> Result<(), MachineError> {
    let merged = spec.merged();
    let opts = format!(
        "lowerdir={},upperdir={},workdir={}",
        spec.base.display(),
        spec.upper().display(),
        spec.work().display()
    );
    // `volatile` skips syncing the upper file system when the overlay goes: 64 hosts
    // going down would otherwise each wait for a journal commit of the disk under
    // them. A host's writes since a machine crash may be lost; `save` copies them.
    let overlay = |opts: &str| {
        mount(
            Some("overlay"),
            &merged,
            Some("overlay"),
            MsFlags::empty(),
            Some(opts),
        )
    };
    overlay(&format!("{opts},volatile"))
        // Kernels before 5.10 have no volatile overlays.
        .or_else(|_| overlay(&opts))
        .map_err(sys(format!("mounting the overlay at {}", merged.display())))?;
    let inside = |p: &Path| merged.join(p.strip_prefix("/").unwrap_or(p));
    for d in ["proc", "sys", "dev", "run", "tmp", "etc"] {
        mkdir(&merged.join(d))?;
    }
    bind(Path::new("/dev"), &merged.join("dev"), true)?;
    // POSIX shared memory lives in /dev/shm: a host of its own needs its own.
    mount_fs("tmpfs", &merged.join("dev/shm"), "mode=1777")?;
    if mount(
        Some("sysfs"),
        &merged.join("sys"),
        Some("sysfs"),
        MsFlags::MS_RDONLY,
        None::<&str>,
    )
    .is_err()
    {
        // Some sandboxes refuse a fresh sysfs; the real one is better than none.
        bind(Path::new("/sys"), &merged.join("sys"), true)?;
    }
    mount_fs("tmpfs", &merged.join("run"), "mode=755")?;
    // sshd refuses to start without its privilege-separation directory.
    mkdir(&merged.join("run/sshd"))?;
    for d in &spec.shared {
        mkdir(&inside(d))?;
        bind(d, &inside(d), false)?;
    }
    for d in &spec.hidden {
        mkdir(&inside(d))?;
        mount_fs("tmpfs", &inside(d), "mode=700,size=4k")?;
    }
    for (from, to) in &spec.files {
        let target = inside(to);
        if !target.exists() {
            File::create(&target).map_err(io_err(format!("creating {}", target.display())))?;
        }
        bind(from, &target, false)?;
        mount(
            None::<&str>,
            &target,
            None::<&str>,
            MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY,
            None::<&str>,
        )
        .map_err(sys(format!("making {} read-only", target.display())))?;
    }
    // pivot_root(".", ".") stacks the old root under the new one; detaching it leaves
    // the host nothing of the real machine's mounts (also none of /run/netns).
    std::env::set_current_dir(&merged).map_err(io_err("entering the host's root"))?;
    pivot_root(".", ".").map_err(sys("switching to the host's root"))?;
    umount2(".", MntFlags::MNT_DETACH).map_err(sys("detaching the old root"))?;
    std::env::set_current_dir("/").map_err(io_err("entering /"))?;
    Ok(())
}

fn mkdir(p: &Path) -> Result<(), MachineError> {
    fs::create_dir_all(p).map_err(io_err(format!("creating {}", p.display())))
}

fn bind(from: &Path, to: &Path, recursive: bool) -> Result<(), MachineError> {
    let mut flags = MsFlags::MS_BIND;
    if recursive {
        flags |= MsFlags::MS_REC;
    }
    mount(Some(from), to, None::<&str>, flags, None::<&str>).map_err(sys(format!(
        "binding {} to {}",
        from.display(),
        to.display()
    )))
}

fn mount_fs(fstype: &str, at: &Path, opts: &str) -> Result<(), MachineError> {
    mount(
        Some(fstype),
        at,
        Some(fstype),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV,
        Some(opts),
    )
    .map_err(sys(format!("mounting {fstype} at {}", at.display())))
}

/// PID 1 of the host: mounts its /proc, starts its command and reaps every process
/// that ends in the host, until it is killed (which ends everything in the host).
fn pid1(spec: &MachineSpec, log: File) -> ! {
    redirect(&log);
    if let Err(e) = mount(
        Some("proc"),
        "/proc",
        Some("proc"),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC,
        None::<&str>,
    ) {
        eprintln!("vcluster init of {}: mounting /proc: {e}", spec.hostname);
    }
    // Out of `vcluster up`'s session, so its end (or a terminal's hangup) spares the host.
    let _ = nix::unistd::setsid();
    match spec.command.split_first() {
        Some((prog, args)) => {
            if let Err(e) = Command::new(prog).args(args).stdin(Stdio::null()).spawn() {
                eprintln!("vcluster init of {}: starting {prog}: {e}", spec.hostname);
            }
        }
        None => eprintln!("vcluster init of {}: nothing to run", spec.hostname),
    }
    loop {
        match waitpid(Pid::from_raw(-1), None) {
            Ok(_) => {}
            // No children for now: a process entering the host later (vcluster exec)
            // is reparented here when its parent ends.
            Err(_) => std::thread::sleep(Duration::from_secs(1)),
        }
    }
}

/// Points the init's standard streams at /dev/null and its log, so the pipes of the
/// `vcluster` that started it close when that process ends.
fn redirect(log: &File) {
    if let Ok(null) = File::open("/dev/null") {
        let _ = nix::unistd::dup2(null.as_raw_fd(), 0);
    }
    let _ = nix::unistd::dup2(log.as_raw_fd(), 1);
    let _ = nix::unistd::dup2(log.as_raw_fd(), 2);
}
