//! Starting a pvmd on another host, PVM style: the master runs `$PVM_RSH` (default
//! `ssh`, non-interactive) to start the slave pvmd at the host's `dx=` path with
//! `--slave`, writes one [`SlaveConfig`] line (JSON) on the channel's stdin and reads
//! one [`SlaveReply`] line from its stdout. The slave binds a TCP port, forks into the
//! background and answers `Ready` with that port; the master then connects to the
//! host's address and both sides prove they know the virtual machine's secret
//! (`crate::peer`). The secret travels only inside the ssh channel: never on a command
//! line, never in a file.
//!
//! [`ssh`] is the master's side; the slave's is `crate::bootstrap`, which starts the
//! daemon and so lives outside this module.

pub mod ssh;

use serde::{Deserialize, Serialize};

/// The version both ends must agree on: pvmds of different builds do not mix.
pub const PROTOCOL_VERSION: &str = concat!("pvmd-", env!("CARGO_PKG_VERSION"), "-peer2");

/// What the master tells a new slave, as one JSON line on the slave's stdin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaveConfig {
    /// [`PROTOCOL_VERSION`] of the master.
    pub version: String,
    /// The virtual machine's secret, hex.
    pub secret: String,
    /// The host number the master gives this host (its pvmd is `Tid::pvmd(host)`).
    pub host: u32,
    /// The name the master knows the host by (the hostfile's, shown by `conf`).
    pub name: String,
    /// The master's host name, for the slave's log.
    pub master: String,
    /// Hostfile options for this host.
    pub ep: Option<String>,
    pub wd: Option<String>,
    pub bx: Option<String>,
    pub sp: i32,
    /// The master's PVM_ROOT, used when the slave's environment has none.
    pub pvm_root: Option<String>,
}

/// The slave's answer, one JSON line on its stdout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlaveReply {
    /// Listening on `port` (all addresses) for the master's connection.
    Ready {
        version: String,
        port: u16,
        arch: String,
        dsig: i32,
        /// The slave host's own name (`gethostname`).
        hostname: String,
    },
    /// Could not start: `code` is a PVM error code, `reason` says why.
    Failed { code: i32, reason: String },
}

/// How the master reaches other hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rsh {
    /// `$PVM_RSH` split on whitespace (`ssh -F /some/config` works), default `ssh`.
    pub argv: Vec<String>,
    /// The pvmd started when a host has no `dx=`: this pvmd's own executable.
    pub default_dx: String,
}

/// A slave that answered `Ready`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    /// The address the master reached it by (`ip=`, else the host name).
    pub addr: String,
    pub port: u16,
    pub arch: String,
    pub dsig: i32,
    pub hostname: String,
}

/// Why a host could not be started: a PVM error code and a reason for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct StartFailure {
    pub code: pvm::error::PvmError,
    pub reason: String,
}
