//! Cluster subnets (10.250.S.0/24), claimed machine-wide so that clusters made at the
//! same moment, from any cluster folder, never share one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::net;

/// Why no subnet could be had.
#[derive(Debug, thiserror::Error)]
pub enum SubnetError {
    #[error("bad subnet {0}: use 1 to 253 (for 10.250.<n>.0/24)")]
    Bad(u8),
    #[error(
        "subnet 10.250.{0}.0/24 is already in use (by another cluster or an interface of this machine)"
    )]
    InUse(u8),
    #[error("no free 10.250.x.0/24 subnet left")]
    NoneFree,
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> SubnetError {
    let what = what.into();
    move |source| SubnetError::Io { what, source }
}

/// Where clusters claim their subnets: one file per subnet, naming the claiming
/// cluster's folder. Machine-wide (not under VCLUSTER_DIR), because subnets are: two
/// `up`s at once, from any folder, must not pick the same one.
const CLAIMS: &str = "/run/vcluster-subnets";

fn claim_file(subnet: u8) -> PathBuf {
    Path::new(CLAIMS).join(subnet.to_string())
}

/// The subnets in use: by an interface of this machine, a cluster (`clusters`), or a
/// live claim.
fn in_use(clusters: &[u8]) -> Vec<u8> {
    let mut used = net::subnets_in_use();
    used.extend_from_slice(clusters);
    used.extend((1..=253u8).filter(|s| claim_is_live(*s)));
    used
}

/// Whether a claim's cluster still exists (a claim outlives a cluster only if its
/// folder was removed by hand). `up` makes the folder before it claims.
fn claim_is_live(subnet: u8) -> bool {
    // An empty claim is being written this very moment.
    fs::read_to_string(claim_file(subnet))
        .is_ok_and(|dir| dir.trim().is_empty() || Path::new(dir.trim()).is_dir())
}

/// Claims `subnet` for the cluster in `dir`; false if another cluster holds it.
fn claim(subnet: u8, dir: &Path) -> Result<bool, SubnetError> {
    fs::create_dir_all(CLAIMS).map_err(io_err(format!("creating {CLAIMS}")))?;
    let file = claim_file(subnet);
    if file.exists() && !claim_is_live(subnet) {
        // Stale: its cluster is gone. Whoever removes it first may claim it.
        let _ = fs::remove_file(&file);
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
    {
        Ok(mut f) => {
            use std::io::Write;
            writeln!(f, "{}", dir.display()).map_err(io_err("writing a subnet claim"))?;
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io_err(format!("claiming {}", file.display()))(e)),
    }
}

/// Gives up the cluster's subnet claim, if it is this cluster's.
pub fn release(subnet: u8, dir: &Path) {
    let file = claim_file(subnet);
    if fs::read_to_string(&file).is_ok_and(|d| Path::new(d.trim()) == dir) {
        let _ = fs::remove_file(file);
    }
}

/// Claims a 10.250.x.0/24 subnet for the cluster in `dir` that no cluster (`clusters`:
/// those `up` knows of) and no interface of the real host uses: `wanted` or else the
/// first free one.
pub fn take(wanted: Option<u8>, dir: &Path, clusters: &[u8]) -> Result<u8, SubnetError> {
    if let Some(s) = wanted {
        if !(1..=253).contains(&s) {
            return Err(SubnetError::Bad(s));
        }
        if in_use(clusters).contains(&s) || !claim(s, dir)? {
            return Err(SubnetError::InUse(s));
        }
        return Ok(s);
    }
    let used = in_use(clusters);
    for s in (1..=253u8).filter(|s| !used.contains(s)) {
        if claim(s, dir)? {
            return Ok(s);
        }
    }
    Err(SubnetError::NoneFree)
}
