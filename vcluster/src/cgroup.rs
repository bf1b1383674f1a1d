//! Per-host limits and accounting in control groups: one group per cluster, one per host
//! under it, holding the host's memory limit, CPU share and usage counters.
//!
//! cgroup v2 (with the memory and cpu controllers at /sys/fs/cgroup) is used when the
//! machine has it; a machine whose memory and cpu controllers are still bound to v1
//! hierarchies (hybrid systems, some sandboxes) gets the same limits through v1, which
//! the kernel enforces the same way (a host over its memory is OOM-killed inside its
//! group only). This module owns those directories and nothing else.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

const V2_ROOT: &str = "/sys/fs/cgroup";
/// The CPU quota period, in microseconds (the kernel's default).
const CPU_PERIOD_US: u64 = 100_000;

/// What can go wrong with a host's limits.
#[derive(Debug, thiserror::Error)]
pub enum CgroupError {
    #[error(
        "no cgroup with memory and cpu controllers on this machine (neither cgroup v2 at \
         {V2_ROOT} with memory+cpu nor v1 memory/cpu hierarchies); --memory and --cpus need one"
    )]
    Unavailable,
    #[error("bad memory size {0:?}: use a number with an optional K, M or G suffix (256M)")]
    BadMemory(String),
    #[error("bad CPU share {0:?}: use a positive number of CPUs (0.5, 2)")]
    BadCpus(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> CgroupError {
    let what = what.into();
    move |source| CgroupError::Io { what, source }
}

/// What each host of a cluster may use.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Limits {
    /// Bytes of memory; none means the machine's.
    pub memory: Option<u64>,
    /// CPUs' worth of time (0.5: half a core); none means no cap.
    pub cpus: Option<f64>,
}

/// Parses a memory size: `268435456`, `256M`, `256MiB`, `1G`, `512k`.
pub fn parse_memory(s: &str) -> Result<u64, CgroupError> {
    let bad = || CgroupError::BadMemory(s.to_string());
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (digits, scale) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    let n: u64 = digits.parse().map_err(|_| bad())?;
    match n.checked_mul(scale) {
        // Less than a page cannot hold even an idle sshd.
        Some(bytes) if bytes >= 4096 => Ok(bytes),
        _ => Err(bad()),
    }
}

/// Parses a CPU share: a positive, finite number of CPUs.
pub fn parse_cpus(s: &str) -> Result<f64, CgroupError> {
    match s.trim().parse::<f64>() {
        Ok(c) if c.is_finite() && c >= 0.01 => Ok(c),
        _ => Err(CgroupError::BadCpus(s.to_string())),
    }
}

/// Which cgroup interface the directories speak.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

/// A cluster's groups: the cluster's directory in each hierarchy (all three the same
/// directory on v2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Cgroups {
    version: Version,
    memory: PathBuf,
    cpu: PathBuf,
    cpuacct: PathBuf,
}

/// What a host has used.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub memory: Option<u64>,
    pub cpu: Option<Duration>,
}

impl Cgroups {
    /// Makes the groups of cluster `name`; `None` when the machine has no usable
    /// cgroups and no limit was asked for (the hosts then run without accounting).
    pub fn create(name: &str, limits: &Limits) -> Result<Option<Cgroups>, CgroupError> {
        let Some(c) = detect(name) else {
            if limits.memory.is_some() || limits.cpus.is_some() {
                return Err(CgroupError::Unavailable);
            }
            return Ok(None);
        };
        for d in c.dirs() {
            fs::create_dir_all(&d).map_err(io_err(format!("creating {}", d.display())))?;
        }
        if c.version == Version::V2 {
            write(&c.memory.join("cgroup.subtree_control"), "+memory +cpu")?;
        }
        Ok(Some(c))
    }

    /// The cluster's own directories, one per hierarchy.
    fn dirs(&self) -> Vec<PathBuf> {
        let mut d = vec![self.memory.clone(), self.cpu.clone(), self.cpuacct.clone()];
        d.dedup();
        d
    }

    /// The host's directories, which its init joins.
    pub fn host_dirs(&self, host: &str) -> Vec<PathBuf> {
        self.dirs().iter().map(|d| d.join(host)).collect()
    }

    /// Makes a host's groups with its limits.
    pub fn add_host(&self, host: &str, limits: &Limits) -> Result<(), CgroupError> {
        for d in self.host_dirs(host) {
            fs::create_dir_all(&d).map_err(io_err(format!("creating {}", d.display())))?;
        }
        let mem = self.memory.join(host);
        let cpu = self.cpu.join(host);
        match self.version {
            Version::V2 => {
                if let Some(bytes) = limits.memory {
                    write(&mem.join("memory.max"), &bytes.to_string())?;
                    // Over its memory a host's task must die, not crawl in swap.
                    let _ = write(&mem.join("memory.swap.max"), "0");
                }
                if let Some(cpus) = limits.cpus {
                    write(
                        &cpu.join("cpu.max"),
                        &format!("{} {CPU_PERIOD_US}", quota(cpus)),
                    )?;
                }
            }
            Version::V1 => {
                if let Some(bytes) = limits.memory {
                    write(&mem.join("memory.limit_in_bytes"), &bytes.to_string())?;
                    // Only where swap accounting exists; the plain limit already holds.
                    let _ = write(&mem.join("memory.memsw.limit_in_bytes"), &bytes.to_string());
                }
                if let Some(cpus) = limits.cpus {
                    write(&cpu.join("cpu.cfs_period_us"), &CPU_PERIOD_US.to_string())?;
                    write(&cpu.join("cpu.cfs_quota_us"), &quota(cpus).to_string())?;
                }
            }
        }
        Ok(())
    }

    /// What the host has used so far (none of a figure the kernel does not give).
    pub fn usage(&self, host: &str) -> Usage {
        let read = |p: PathBuf| fs::read_to_string(p).ok();
        match self.version {
            Version::V2 => Usage {
                memory: read(self.memory.join(host).join("memory.current"))
                    .and_then(|s| s.trim().parse().ok()),
                cpu: read(self.cpu.join(host).join("cpu.stat")).and_then(|s| {
                    let line = s.lines().find(|l| l.starts_with("usage_usec "))?;
                    let us: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                    Some(Duration::from_micros(us))
                }),
            },
            Version::V1 => Usage {
                memory: read(self.memory.join(host).join("memory.usage_in_bytes"))
                    .and_then(|s| s.trim().parse().ok()),
                cpu: read(self.cpuacct.join(host).join("cpuacct.usage"))
                    .and_then(|s| s.trim().parse().ok())
                    .map(Duration::from_nanos),
            },
        }
    }

    /// The processes in a host's groups.
    pub fn procs(&self, host: &str) -> Vec<i32> {
        let mut pids: Vec<i32> = self
            .host_dirs(host)
            .iter()
            .filter_map(|d| fs::read_to_string(d.join("cgroup.procs")).ok())
            .flat_map(|s| {
                s.split_whitespace()
                    .filter_map(|p| p.parse().ok())
                    .collect::<Vec<_>>()
            })
            .collect();
        pids.sort_unstable();
        pids.dedup();
        pids
    }

    /// Removes a host's groups (its processes must be gone; a group emptied a moment
    /// ago may still be busy, so this retries for a while).
    pub fn remove_host(&self, host: &str) -> Result<(), CgroupError> {
        for d in self.host_dirs(host) {
            remove_dir(&d)?;
        }
        Ok(())
    }

    /// Removes the cluster's groups (after every host's).
    pub fn remove(&self) -> Result<(), CgroupError> {
        for d in self.dirs() {
            remove_dir(&d)?;
        }
        Ok(())
    }

    /// Whether any of the cluster's directories exists.
    pub fn exists(&self) -> bool {
        self.dirs().iter().any(|d| d.exists())
    }
}

fn quota(cpus: f64) -> u64 {
    ((cpus * CPU_PERIOD_US as f64).round() as u64).max(1000)
}

fn write(path: &Path, value: &str) -> Result<(), CgroupError> {
    fs::write(path, value).map_err(io_err(format!("writing {value} to {}", path.display())))
}

fn remove_dir(d: &Path) -> Result<(), CgroupError> {
    for _ in 0..250 {
        match fs::remove_dir(d) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            // EBUSY while the last processes finish exiting.
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    fs::remove_dir(d).map_err(io_err(format!("removing {}", d.display())))
}

/// The groups cluster `name` would get on this machine, v2 first.
fn detect(name: &str) -> Option<Cgroups> {
    let group = format!("vcluster.{name}");
    let controllers = fs::read_to_string(Path::new(V2_ROOT).join("cgroup.controllers"));
    if let Ok(c) = controllers {
        let has = |want: &str| c.split_whitespace().any(|w| w == want);
        if has("memory") && has("cpu") {
            let d = Path::new(V2_ROOT).join(&group);
            // The root's children get the controllers only once the root hands them down.
            write(
                &Path::new(V2_ROOT).join("cgroup.subtree_control"),
                "+memory +cpu",
            )
            .ok()?;
            return Some(Cgroups {
                version: Version::V2,
                memory: d.clone(),
                cpu: d.clone(),
                cpuacct: d,
            });
        }
    }
    let mounts = fs::read_to_string("/proc/self/mountinfo").ok()?;
    let v1 = |controller: &str| v1_mount(&mounts, controller).map(|m| m.join(&group));
    Some(Cgroups {
        version: Version::V1,
        memory: v1("memory")?,
        cpu: v1("cpu")?,
        cpuacct: v1("cpuacct")?,
    })
}

/// Where the v1 hierarchy holding `controller` is mounted, from /proc/self/mountinfo
/// (`... mountpoint ... - cgroup cgroup rw,cpu,cpuacct`).
fn v1_mount(mountinfo: &str, controller: &str) -> Option<PathBuf> {
    mountinfo.lines().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        let mut r = right.split_whitespace();
        if r.next()? != "cgroup" {
            return None;
        }
        let opts = r.nth(1)?;
        if !opts.split(',').any(|o| o == controller) {
            return None;
        }
        left.split_whitespace().nth(4).map(PathBuf::from)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sizes() {
        assert_eq!(parse_memory("256M").unwrap(), 256 << 20);
        assert_eq!(parse_memory("256MiB").unwrap(), 256 << 20);
        assert_eq!(parse_memory("1g").unwrap(), 1 << 30);
        assert_eq!(parse_memory("8192").unwrap(), 8192);
        for bad in ["", "M", "-1M", "12X", "1.5G", "99999999999999G", "10"] {
            assert!(parse_memory(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cpu_shares() {
        assert_eq!(parse_cpus("0.5").unwrap(), 0.5);
        for bad in ["0", "-1", "nan", "inf", "half"] {
            assert!(parse_cpus(bad).is_err(), "{bad}");
        }
        assert_eq!(quota(0.5), 50_000);
    }

    #[test]
    fn v1_hierarchies_from_mountinfo() {
        let mi = "40 30 0:35 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n\
                  41 30 0:36 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
        assert_eq!(
            v1_mount(mi, "cpu"),
            Some(PathBuf::from("/sys/fs/cgroup/cpu,cpuacct"))
        );
        assert_eq!(
            v1_mount(mi, "memory"),
            Some(PathBuf::from("/sys/fs/cgroup/memory"))
        );
        assert_eq!(v1_mount(mi, "pids"), None);
    }
}
