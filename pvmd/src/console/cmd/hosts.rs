//! Host commands: conf, mstat, add, delete.

use pvm::error::PvmError;

use crate::console::format::{self, HostRow};
use crate::console::print;
use crate::console::session::Session;

/// What add and delete answer until the virtual machine can span several hosts.
const SINGLE_HOST: &str = "not yet: single host";

/// The host table as rows, or `None` after reporting why not.
pub fn host_rows(s: &Session) -> Option<Vec<HostRow>> {
    match s.pvm.config() {
        Ok(hosts) => Some(
            hosts
                .into_iter()
                .map(|h| HostRow {
                    name: h.name,
                    dtid: h.dtid,
                    arch: h.arch,
                    speed: h.speed,
                    dsig: h.dsig,
                })
                .collect(),
        ),
        Err(e) => {
            s.lib_error("pvm_config", e);
            None
        }
    }
}

/// `conf`.
pub fn conf(s: &Session) {
    if let Some(rows) = host_rows(s) {
        print::out(format::conf(&rows));
    }
}

/// `mstat host...`.
pub fn mstat(s: &Session, hosts: &[String]) {
    for h in hosts {
        let status = match s.pvm.mstat(h) {
            Ok(()) => "ok".to_string(),
            Err(e) => e.to_string(),
        };
        print::line(format::mstat_line(h, &status));
    }
}

/// The text shown for a host that could not be added or deleted: until pvmd spans
/// several hosts it answers "not implemented" for every host.
fn host_error(e: PvmError) -> String {
    match e {
        PvmError::NotImpl => SINGLE_HOST.to_string(),
        other => other.to_string(),
    }
}

/// Gives every host the same outcome when the whole call failed.
fn each<T>(hosts: &[String], e: PvmError) -> Vec<(String, Result<T, String>)> {
    hosts
        .iter()
        .map(|h| (h.clone(), Err(host_error(e))))
        .collect()
}

/// One row per host: its own result, or the whole call's error.
fn rows<T>(
    hosts: &[String],
    outcome: Result<Vec<Result<T, PvmError>>, PvmError>,
) -> Vec<(String, Result<T, String>)> {
    match outcome {
        Ok(results) => hosts
            .iter()
            .cloned()
            .zip(results.into_iter().map(|r| r.map_err(host_error)))
            .collect(),
        Err(e) => each(hosts, e),
    }
}

/// `add host...`.
pub fn add(s: &Session, hosts: &[String]) {
    let names: Vec<&str> = hosts.iter().map(String::as_str).collect();
    print::out(format::add_result(&rows(hosts, s.pvm.addhosts(&names))));
}

/// `delete host...`.
pub fn delete(s: &Session, hosts: &[String]) {
    let names: Vec<&str> = hosts.iter().map(String::as_str).collect();
    print::out(format::delete_result(&rows(hosts, s.pvm.delhosts(&names))));
}
