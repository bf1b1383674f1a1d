//! Host commands: conf, mstat, add, delete.

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

/// `add host...`: refused per host until pvmd can start others.
pub fn add(_s: &Session, hosts: &[String]) {
    let rows: Vec<_> = hosts
        .iter()
        .map(|h| (h.clone(), Err(SINGLE_HOST.to_string())))
        .collect();
    print::out(format::add_result(&rows));
}

/// `delete host...`: refused per host until pvmd can span several.
pub fn delete(_s: &Session, hosts: &[String]) {
    let rows: Vec<_> = hosts
        .iter()
        .map(|h| (h.clone(), Err(SINGLE_HOST.to_string())))
        .collect();
    print::out(format::delete_result(&rows));
}
