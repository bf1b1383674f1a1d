//! Host commands: conf, mstat, add, delete.

use pvm::error::PvmError;

use crate::format::{self, HostRow};
use crate::print;
use crate::session::Session;

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

/// The text shown for a host that could not be added or deleted: PVM's error text.
fn host_error(e: PvmError) -> String {
    e.to_string()
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

/// `add host...`: PVM's table, each failure followed by pvmd's reason.
pub fn add(s: &Session, hosts: &[String]) {
    let names: Vec<&str> = hosts.iter().map(String::as_str).collect();
    let outcome = s.pvm.addhosts_explained(&names).map(|results| {
        results
            .into_iter()
            .map(|r| {
                r.map_err(|(e, why)| {
                    let text = host_error(e);
                    if why.is_empty() {
                        text
                    } else {
                        format!("{text} ({why})")
                    }
                })
            })
            .collect::<Vec<_>>()
    });
    let rows = match outcome {
        Ok(results) => hosts.iter().cloned().zip(results).collect(),
        Err(e) => each(hosts, e),
    };
    print::out(format::add_result(&rows));
}

/// `delete host...`.
pub fn delete(s: &Session, hosts: &[String]) {
    let names: Vec<&str> = hosts.iter().map(String::as_str).collect();
    print::out(format::delete_result(&rows(hosts, s.pvm.delhosts(&names))));
}
