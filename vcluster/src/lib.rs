//! vcluster: a virtual cluster on one Linux machine.
//!
//! The modern form of the classic "cluster of virtual machines on one computer" recipe:
//! each virtual host is a machine of its own — a copy-on-write root file system over a
//! base (overlayfs), its own PID, mount, UTS, IPC and network namespaces, its own
//! cgroup with memory and CPU limits — with an address on a private subnet, joined to
//! the others (and to the real host) by a bridge, and its own sshd with key-only login.
//! A cluster writes a ready PVM hostfile and an ssh config, so
//! `PVM_RSH="ssh -F <dir>/ssh_config" pvm <dir>/hostfile` starts a multi-host virtual
//! machine whose remote pvmds really run behind a network. Clusters can be saved as
//! images, restored and cloned.
//!
//! Everything a cluster creates is recorded in its state file before it is made, so
//! `down` removes exactly that, also after a half-finished `up`.

pub mod cgroup;
pub mod cluster;
pub mod image;
pub mod machine;
pub mod net;
pub mod run;
pub mod sshd;
pub mod subnet;

pub use cluster::{Cluster, Host, UpOptions};
