//! The host table: every host of the virtual machine, by host number.
//!
//! The master (host 1) owns the table: it gives each host it starts the next free
//! number and sends the whole table to every slave whenever it changes, so every pvmd
//! can answer `pvm_config`, place spawns and route. Hostfile entries that are not
//! running (`&` lines, hosts that failed to start) are kept so a later `add` finds
//! their options.

use std::collections::BTreeMap;

use pvm::error::PvmError;
use pvm::proto::peer::PeerHost;
use pvm::proto::HostInfo;
use pvm::tid::{Tid, MAX_HOST};

use crate::hostfile::{HostEntry, HostOpts, Hostfile};
use crate::remote::SlaveConfig;

/// PVM_ARCH of every host this pvmd runs on.
pub const ARCH: &str = "LINUX64";
/// PVM's data signature of 64-bit little-endian Linux hosts.
pub const DSIG: i32 = 0x0040_8841;
/// Relative speed when the hostfile gives none, as PVM.
pub const DEFAULT_SPEED: i32 = 1000;

/// A running host.
#[derive(Debug, Clone)]
pub struct Host {
    pub info: HostInfo,
    pub opts: HostOpts,
}

/// Every host of the virtual machine.
#[derive(Debug, Clone)]
pub struct HostTable {
    /// This host.
    pub local: Host,
    /// The other running hosts, by host number, with the address they are reached at.
    remote: BTreeMap<u32, PeerHost>,
    /// Hostfile entries not running now.
    pub others: Vec<HostEntry>,
    aliases: Vec<String>,
    /// Smooth weighted round robin state for PvmTaskDefault spawns, by host number.
    rr_weight: BTreeMap<u32, i64>,
}

impl HostTable {
    /// The table of a new virtual machine on this host (host 1, the master), with the
    /// local entry of the hostfile (the line naming this host) applied.
    pub fn new(hostfile: Option<Hostfile>) -> HostTable {
        let aliases = local_aliases();
        let mut others = hostfile.map(|h| h.hosts).unwrap_or_default();
        let local_entry = others
            .iter()
            .position(|h| aliases.contains(&h.name))
            .map(|i| others.remove(i));
        let opts = local_entry.map(|e| e.opts).unwrap_or_default();
        let info = HostInfo {
            dtid: Tid::pvmd(1),
            name: aliases[0].clone(),
            arch: ARCH.to_string(),
            speed: opts.sp.unwrap_or(DEFAULT_SPEED),
            dsig: DSIG,
        };
        Self::with_local(Host { info, opts }, others, aliases)
    }

    /// The table of a slave the master described; the rest arrives from the master.
    pub fn slave(config: &SlaveConfig) -> HostTable {
        let mut aliases = local_aliases();
        aliases.push(config.name.clone());
        let opts = HostOpts {
            ep: config.ep.clone(),
            wd: config.wd.clone(),
            bx: config.bx.clone(),
            sp: Some(config.sp),
            ..HostOpts::default()
        };
        let info = HostInfo {
            dtid: Tid::pvmd(config.host),
            name: config.name.clone(),
            arch: ARCH.to_string(),
            speed: config.sp,
            dsig: DSIG,
        };
        Self::with_local(Host { info, opts }, Vec::new(), aliases)
    }

    fn with_local(local: Host, others: Vec<HostEntry>, aliases: Vec<String>) -> HostTable {
        HostTable {
            local,
            remote: BTreeMap::new(),
            others,
            aliases,
            rr_weight: BTreeMap::new(),
        }
    }

    /// This host's number (1 on the master).
    pub fn me(&self) -> u32 {
        self.local.info.dtid.host()
    }

    pub fn is_master(&self) -> bool {
        self.me() == 1
    }

    /// `pvm_config`: the running hosts, by host number.
    pub fn config(&self) -> Vec<HostInfo> {
        let mut all: Vec<HostInfo> = self.remote.values().map(|h| h.info.clone()).collect();
        all.push(self.local.info.clone());
        all.sort_by_key(|h| h.dtid.host());
        all
    }

    /// The whole table as the master sends it to slaves (addresses included).
    pub fn peers(&self, local_addr: &str) -> Vec<PeerHost> {
        let mut all: Vec<PeerHost> = self.remote.values().cloned().collect();
        all.push(PeerHost {
            info: self.local.info.clone(),
            addr: local_addr.to_string(),
        });
        all.sort_by_key(|h| h.info.dtid.host());
        all
    }

    /// Replaces the remote hosts with the master's table (on a slave). Returns the
    /// host numbers that appeared and those that went away.
    pub fn replace(&mut self, table: Vec<PeerHost>) -> (Vec<Tid>, Vec<Tid>) {
        let me = self.me();
        let new: BTreeMap<u32, PeerHost> = table
            .into_iter()
            .filter(|h| h.info.dtid.host() != me)
            .map(|h| (h.info.dtid.host(), h))
            .collect();
        let added = new
            .keys()
            .filter(|n| !self.remote.contains_key(n))
            .map(|n| Tid::pvmd(*n))
            .collect();
        let gone = self
            .remote
            .keys()
            .filter(|n| !new.contains_key(n))
            .map(|n| Tid::pvmd(*n))
            .collect();
        self.remote = new;
        (added, gone)
    }

    /// Whether `name` designates this host.
    pub fn is_local(&self, name: &str) -> bool {
        name == "." || name == self.local.info.name || self.aliases.iter().any(|a| a == name)
    }

    /// The host number of the running host called `name` (its conf name or address).
    pub fn find(&self, name: &str) -> Option<u32> {
        if self.is_local(name) {
            return Some(self.me());
        }
        self.remote
            .iter()
            .find(|(_, h)| h.info.name == name || h.addr == name)
            .map(|(n, _)| *n)
    }

    /// Whether host number `host` is running.
    pub fn contains(&self, host: u32) -> bool {
        host == self.me() || self.remote.contains_key(&host)
    }

    /// `pvm_mstat`: Ok for a running host, PvmNoHost otherwise.
    pub fn mstat(&self, name: &str) -> Result<(), PvmError> {
        self.find(name).map(|_| ()).ok_or(PvmError::NoHost)
    }

    /// The next free host number (on the master) that is not `reserved`, PVM's limit
    /// permitting.
    pub fn free_number(&self, reserved: impl Fn(u32) -> bool) -> Option<u32> {
        (2..=MAX_HOST).find(|n| !self.contains(*n) && !reserved(*n))
    }

    /// The options of host `name`: its hostfile entry's, or none.
    pub fn entry_for(&self, name: &str) -> HostEntry {
        self.others
            .iter()
            .find(|e| e.name == name)
            .cloned()
            .unwrap_or_else(|| HostEntry {
                name: name.to_string(),
                deferred: false,
                opts: HostOpts::default(),
                line: 0,
            })
    }

    /// Hostfile hosts to start with the virtual machine (not `&` ones).
    pub fn initial(&self) -> Vec<HostEntry> {
        self.others
            .iter()
            .filter(|e| !e.deferred)
            .cloned()
            .collect()
    }

    /// Picks the hosts of `count` PvmTaskDefault instances among `eligible` (host
    /// numbers): smooth weighted round robin by relative speed, so a host twice as fast
    /// gets twice the tasks, interleaved, and consecutive spawns continue the rotation.
    pub fn place(&mut self, eligible: &[u32], count: usize) -> Vec<u32> {
        let speeds: Vec<(u32, i64)> = eligible
            .iter()
            .map(|n| (*n, i64::from(self.speed(*n).max(1))))
            .collect();
        let total: i64 = speeds.iter().map(|(_, s)| s).sum();
        let mut out = Vec::with_capacity(count);
        if speeds.is_empty() {
            return out;
        }
        for _ in 0..count {
            let mut best: Option<(u32, i64)> = None;
            for (n, s) in &speeds {
                let w = self.rr_weight.entry(*n).or_insert(0);
                *w += s;
                if best.is_none_or(|(_, b)| *w > b) {
                    best = Some((*n, *w));
                }
            }
            if let Some((n, _)) = best {
                if let Some(w) = self.rr_weight.get_mut(&n) {
                    *w -= total;
                }
                out.push(n);
            }
        }
        out
    }

    fn speed(&self, host: u32) -> i32 {
        if host == self.me() {
            self.local.info.speed
        } else {
            self.remote
                .get(&host)
                .map_or(DEFAULT_SPEED, |h| h.info.speed)
        }
    }

    /// The master adds a host that started.
    pub fn add_remote(&mut self, host: PeerHost) {
        self.remote.insert(host.info.dtid.host(), host);
    }

    /// The master removes host `host`; false if it was not in the table.
    pub fn remove_remote(&mut self, host: u32) -> bool {
        self.remote.remove(&host).is_some()
    }

    /// Every running host number but this one's.
    pub fn remote_numbers(&self) -> Vec<u32> {
        self.remote.keys().copied().collect()
    }

    /// Every running host number, this one included.
    pub fn numbers(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self.remote.keys().copied().collect();
        all.push(self.me());
        all.sort_unstable();
        all
    }

    /// The architecture of host `host`.
    pub fn arch(&self, host: u32) -> Option<&str> {
        if host == self.me() {
            Some(&self.local.info.arch)
        } else {
            self.remote.get(&host).map(|h| h.info.arch.as_str())
        }
    }
}

/// The names this host answers to.
fn local_aliases() -> Vec<String> {
    let hostname = nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_else(|| "localhost".to_string());
    let short = hostname.split('.').next().unwrap_or(&hostname).to_string();
    vec![hostname, short, "localhost".into(), "127.0.0.1".into()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(n: u32, name: &str, speed: i32) -> PeerHost {
        PeerHost {
            info: HostInfo {
                dtid: Tid::pvmd(n),
                name: name.into(),
                arch: ARCH.into(),
                speed,
                dsig: DSIG,
            },
            addr: format!("10.0.0.{n}"),
        }
    }

    #[test]
    fn the_local_line_applies_and_other_hosts_wait() {
        let hf = Hostfile::parse("* sp=250\nlocalhost ep=/x wd=/w\n&far lo=me\nnear\n", "hf")
            .expect("valid hostfile");
        let t = HostTable::new(Some(hf));
        assert_eq!(t.local.info.speed, 250);
        assert_eq!(t.local.opts.ep.as_deref(), Some("/x"));
        assert_eq!(t.local.info.dtid, Tid(0x40000));
        let names: Vec<&str> = t.others.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["far", "near"]);
        let initial: Vec<String> = t.initial().into_iter().map(|e| e.name).collect();
        assert_eq!(initial, ["near"]);
        assert!(t.is_local("localhost") && t.is_local("."));
        assert_eq!(t.mstat("far"), Err(PvmError::NoHost));
        assert_eq!(t.config().len(), 1);
        assert_eq!(t.entry_for("far").opts.lo.as_deref(), Some("me"));
    }

    #[test]
    fn no_hostfile_means_defaults() {
        let t = HostTable::new(None);
        assert_eq!(
            (t.local.info.speed, t.local.info.arch.as_str()),
            (DEFAULT_SPEED, ARCH)
        );
        assert!(t.others.is_empty() && t.is_master());
    }

    #[test]
    fn a_slave_takes_the_masters_table_and_reports_changes() {
        let mut t = HostTable::new(None);
        t.local.info.dtid = Tid::pvmd(2);
        let (added, gone) = t.replace(vec![peer(1, "m", 1000), peer(2, "me", 1000)]);
        assert_eq!((added, gone), (vec![Tid::pvmd(1)], vec![]));
        assert_eq!(t.config().len(), 2);
        assert_eq!(t.find("m"), Some(1));
        assert_eq!(t.find("10.0.0.1"), Some(1));
        let (added, gone) = t.replace(vec![peer(2, "me", 1000), peer(3, "x", 1000)]);
        assert_eq!((added, gone), (vec![Tid::pvmd(3)], vec![Tid::pvmd(1)]));
        assert_eq!(t.free_number(|_| false), Some(4));
        assert_eq!(t.free_number(|n| n == 4), Some(5));
    }

    #[test]
    fn placement_follows_relative_speed() {
        let mut t = HostTable::new(None);
        t.remote.insert(2, peer(2, "fast", 2000));
        let hosts = t.place(&[1, 2], 6);
        assert_eq!(hosts.iter().filter(|h| **h == 2).count(), 4);
        assert_eq!(hosts.iter().filter(|h| **h == 1).count(), 2);
        // Interleaved, not blocked.
        assert_ne!(hosts[..3], [2, 2, 2]);
        assert!(t.place(&[], 3).is_empty());
    }
}
