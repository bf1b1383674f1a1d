//! The host table. For now only this host runs; the other hosts of the hostfile are
//! kept for when pvmd learns to start remote daemons (issue 5).

use pvm::error::PvmError;
use pvm::proto::HostInfo;
use pvm::tid::Tid;

use crate::hostfile::{HostEntry, HostOpts, Hostfile};

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
    /// This host: host number 1, the master.
    pub local: Host,
    /// Hostfile entries not started yet.
    pub others: Vec<HostEntry>,
    aliases: Vec<String>,
}

impl HostTable {
    /// The table of a new virtual machine on this host, with the local entry of the
    /// hostfile (the line naming this host) applied.
    pub fn new(hostfile: Option<Hostfile>) -> HostTable {
        let hostname = nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| "localhost".to_string());
        let short = hostname.split('.').next().unwrap_or(&hostname).to_string();
        let aliases = vec![
            hostname.clone(),
            short,
            "localhost".into(),
            "127.0.0.1".into(),
        ];
        let mut others = hostfile.map(|h| h.hosts).unwrap_or_default();
        let local_entry = others
            .iter()
            .position(|h| aliases.contains(&h.name))
            .map(|i| others.remove(i));
        let opts = local_entry.map(|e| e.opts).unwrap_or_default();
        let info = HostInfo {
            dtid: Tid::pvmd(1),
            name: hostname,
            arch: ARCH.to_string(),
            speed: opts.sp.unwrap_or(DEFAULT_SPEED),
            dsig: DSIG,
        };
        HostTable {
            local: Host { info, opts },
            others,
            aliases,
        }
    }

    /// `pvm_config`: the running hosts.
    pub fn config(&self) -> Vec<HostInfo> {
        vec![self.local.info.clone()]
    }

    /// Whether `name` designates this host.
    pub fn is_local(&self, name: &str) -> bool {
        name == "." || name == self.local.info.name || self.aliases.iter().any(|a| a == name)
    }

    /// `pvm_mstat`: Ok for a running host, PvmNoHost otherwise.
    pub fn mstat(&self, name: &str) -> Result<(), PvmError> {
        if self.is_local(name) {
            Ok(())
        } else {
            Err(PvmError::NoHost)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(t.is_local("localhost") && t.is_local("."));
        assert_eq!(t.mstat("far"), Err(PvmError::NoHost));
        assert_eq!(t.config().len(), 1);
    }

    #[test]
    fn no_hostfile_means_defaults() {
        let t = HostTable::new(None);
        assert_eq!(
            (t.local.info.speed, t.local.info.arch.as_str()),
            (DEFAULT_SPEED, ARCH)
        );
        assert!(t.others.is_empty());
    }
}
