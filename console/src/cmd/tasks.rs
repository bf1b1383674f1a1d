//! Task commands: ps, pstat, kill, sig, reset, jobs.

use std::collections::HashMap;

use pvm::proto::TaskInfo;
use pvm::tid::Tid;

use super::hosts::host_rows;
use crate::command::PsArgs;
use crate::format::{self, TaskRow};
use crate::print;
use crate::session::Session;

/// Host names by pvmd tid, for the HOST column.
fn host_names(s: &Session) -> HashMap<Tid, String> {
    host_rows(s)
        .unwrap_or_default()
        .into_iter()
        .map(|h| (h.dtid, h.name))
        .collect()
}

fn row(names: &HashMap<Tid, String>, t: &TaskInfo) -> TaskRow {
    TaskRow {
        host: names
            .get(&t.host)
            .cloned()
            .unwrap_or_else(|| format!("{:x}", t.host.0)),
        tid: t.tid,
        ptid: t.ptid,
        pid: t.pid,
        flag: t.flag,
        command: t.name.clone(),
    }
}

/// The tasks `ps` was asked about, or `None` after reporting why not.
fn select(s: &Session, args: &PsArgs, names: &HashMap<Tid, String>) -> Option<Vec<TaskInfo>> {
    let which = if let Some(tid) = args.host_tid {
        Some(tid.host_daemon())
    } else if let Some(name) = &args.host_name {
        match names.iter().find(|(_, n)| *n == name) {
            Some((dtid, _)) => Some(*dtid),
            None => {
                print::line(format!("{name}: No such host"));
                return None;
            }
        }
    } else if args.all {
        None
    } else {
        Some(s.me.host_daemon())
    };
    match s.pvm.tasks(which) {
        Ok(tasks) => Some(tasks),
        Err(e) => {
            s.lib_error("pvm_tasks", e);
            None
        }
    }
}

/// `ps [-axl] [-hTID] [-nHOST]`.
pub fn ps(s: &Session, args: &PsArgs) {
    let names = host_names(s);
    let Some(tasks) = select(s, args, &names) else {
        return;
    };
    let mut lines = vec![format::ps_header(args.long)];
    for t in tasks.iter().filter(|t| args.extra || t.tid != s.me) {
        lines.push(format::ps_row(&row(&names, t), args.long, t.tid == s.me));
    }
    print::out(lines);
}

/// `pstat tid...`.
pub fn pstat(s: &Session, tids: &[Tid]) {
    for &tid in tids {
        let status = match s.pvm.pstat(tid) {
            Ok(()) => "run".to_string(),
            Err(e) => e.to_string(),
        };
        print::line(format::pstat_line(tid, &status));
    }
}

/// `kill [-c] tid...`: with `-c` the children of each tid go too.
pub fn kill(s: &Session, children: bool, tids: &[Tid]) {
    let all = if children {
        s.pvm.tasks(None).unwrap_or_default()
    } else {
        Vec::new()
    };
    for &tid in tids {
        if tid == s.me {
            print::line(format!("{tid}: that's me."));
            continue;
        }
        if children {
            for child in all.iter().filter(|t| t.ptid == tid && t.tid != s.me) {
                if let Err(e) = s.pvm.kill(child.tid) {
                    s.lib_error("pvm_kill", e);
                }
            }
        }
        if let Err(e) = s.pvm.kill(tid) {
            s.lib_error("pvm_kill", e);
        }
    }
}

/// `sig signum tid...`.
pub fn sig(s: &Session, signal: i32, tids: &[Tid]) {
    for &tid in tids {
        if let Err(e) = s.pvm.sendsig(tid, signal) {
            s.lib_error("pvm_sendsig", e);
        }
    }
}

/// `reset`: pvmd kills every task but the console and those that asked to be spared
/// (PvmNoReset), and drops the mailbox entries of the tasks that die.
pub fn reset(s: &Session) {
    if let Err(e) = s.pvm.reset() {
        s.lib_error("pvm_reset", e);
    }
}

/// `jobs [-l]`.
pub fn jobs(s: &Session, long: bool) {
    let jobs = s.jobs.list();
    if !long {
        print::out(jobs.iter().map(|(n, tids)| format::jobs_line(*n, tids)));
        return;
    }
    let names = host_names(s);
    let mut lines = vec![format::ps_header(false)];
    for (n, tids) in jobs {
        lines.push(format::jobs_line(n, &[]));
        for tid in tids {
            for t in s.pvm.tasks(Some(tid)).unwrap_or_default() {
                lines.push(format::ps_row(&row(&names, &t), false, false));
            }
        }
    }
    print::out(lines);
}
