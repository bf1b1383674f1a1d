//! `pvm_tickle`: the debugging actions a task may ask of its own pvmd, numbered as
//! PVM 3.4 numbers them (`args[0]`): dump a table to the pvmd log, get or set the
//! debug mask.
//!
//! [`DebugMask`] keeps the mask and [`DebugMask::tickle`] carries out an action over a
//! read-only view of the daemon's tables ([`Tables`]), returning the log lines and the
//! results, so it is tested without a daemon. The mask is kept, answered and logged
//! with PVM's names for its bits, but selects nothing: this pvmd's own diagnostics go
//! through `tracing`. What means nothing here (PVM's heap, `nopax`, a forced host
//! failure, packet statistics) is logged as such and answered with no results, as
//! PVM answers an action it does not know.

use pvm::error::PvmError;
use pvm::proto::consts::{
    TICKLE_DUMP_HEAP, TICKLE_DUMP_HOSTS, TICKLE_DUMP_MAILBOX, TICKLE_DUMP_TASKS, TICKLE_DUMP_WAITS,
    TICKLE_GET_DEBUG_MASK, TICKLE_MAX_ARGS, TICKLE_SET_DEBUG_MASK,
};

use crate::hosts::HostTable;
use crate::mailbox::Mail;
use crate::notify::Notifies;
use crate::tasks::TaskTable;

/// PVM's names for the bits of its pvmd debug mask, lowest bit first.
const MASK_NAMES: [&str; 16] = [
    "pkt", "msg", "tsk", "slv", "hst", "sel", "net", "mpp", "sch", "app", "wai", "mem", "sem",
    "lck", "rtg", "mbx",
];

/// What a tickle may look at.
pub struct Tables<'a> {
    pub hosts: &'a HostTable,
    pub tasks: &'a TaskTable,
    pub notifies: &'a Notifies,
    pub mail: &'a Mail,
}

/// What a tickle did: lines for the pvmd log, and the results to answer.
#[derive(Debug, PartialEq, Eq)]
pub struct Tickled {
    pub log: Vec<String>,
    pub results: Vec<i32>,
}

/// The pvmd's debug mask (`pvm_tickle` 5 and 6).
#[derive(Debug, Default)]
pub struct DebugMask {
    mask: i32,
}

impl DebugMask {
    /// Carries out action `args[0]` with its arguments; PvmBadParam for no argument
    /// or more than PVM takes.
    pub fn tickle(&mut self, args: &[i32], tables: &Tables) -> Result<Tickled, PvmError> {
        let (&how, rest) = args.split_first().ok_or(PvmError::BadParam)?;
        if args.len() > TICKLE_MAX_ARGS {
            return Err(PvmError::BadParam);
        }
        let asked: Vec<String> = args.iter().map(i32::to_string).collect();
        let mut log = vec![format!("tickle {}", asked.join(" "))];
        let mut results = Vec::new();
        match how {
            TICKLE_DUMP_HEAP => log.push("no heap dump: this pvmd keeps no heap of its own".into()),
            TICKLE_DUMP_HOSTS => log.extend(dump_hosts(tables.hosts)),
            TICKLE_DUMP_TASKS => log.extend(dump_tasks(tables.tasks)),
            TICKLE_DUMP_WAITS => log.extend(dump_waits(tables.notifies, tables.mail)),
            TICKLE_DUMP_MAILBOX => log.extend(dump_mailbox(tables.mail)),
            TICKLE_GET_DEBUG_MASK => results.push(self.mask),
            TICKLE_SET_DEBUG_MASK => {
                self.mask = rest.first().copied().unwrap_or(0);
                log.push(format!(
                    "debug mask is {:x} ({})",
                    self.mask,
                    mask_names(self.mask)
                ));
            }
            other => log.push(format!("tickle {other} means nothing to this pvmd")),
        }
        Ok(Tickled { log, results })
    }
}

/// The names of the bits set in `mask`, comma-separated, as PVM logs them.
fn mask_names(mask: i32) -> String {
    let set = MASK_NAMES
        .iter()
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, name)| *name);
    set.collect::<Vec<_>>().join(",")
}

fn dump_hosts(hosts: &HostTable) -> Vec<String> {
    let mut lines = vec![format!(
        "host table: {} hosts, this is host {}",
        hosts.numbers().len(),
        hosts.me()
    )];
    for h in hosts.config() {
        lines.push(format!(
            "  {} {:?} arch {} speed {} dsig {:#x}",
            h.dtid, h.name, h.arch, h.speed, h.dsig
        ));
    }
    lines
}

fn dump_tasks(tasks: &TaskTable) -> Vec<String> {
    let mut lines = vec!["task table:".to_string()];
    for t in tasks.iter() {
        let state = match (t.conn, t.spawned) {
            (Some(_), _) => "connected",
            (None, true) => "starting",
            (None, false) => "gone",
        };
        lines.push(format!(
            "  {} parent {} pid {} {:?} {state}{}{} out {} pending {}",
            t.tid,
            t.ptid,
            t.pid,
            t.name,
            if t.spawned { " spawned" } else { "" },
            if t.no_reset { " noreset" } else { "" },
            t.output.tid,
            t.pending.len(),
        ));
    }
    lines
}

fn dump_waits(notifies: &Notifies, mail: &Mail) -> Vec<String> {
    let mut lines = vec!["waits:".to_string()];
    for s in notifies.iter() {
        lines.push(format!(
            "  notify {:?} of {} for {} tag {} ctx {} count {}",
            s.kind, s.target, s.subscriber, s.tag, s.ctx, s.count
        ));
    }
    for (tid, name) in mail.waiting() {
        lines.push(format!("  recvinfo {name:?} for {tid}"));
    }
    lines
}

fn dump_mailbox(mail: &Mail) -> Vec<String> {
    let mut lines = vec!["mailbox:".to_string()];
    for class in mail.classes("*") {
        lines.push(format!("  {:?}", class.name));
        let entries = class.indices.iter().zip(&class.owners).zip(&class.flags);
        for ((index, owner), flags) in entries {
            lines.push(format!("    {index}: owner {owner} flags {flags:#x}"));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tickle(mask: &mut DebugMask, args: &[i32]) -> Result<Tickled, PvmError> {
        let hosts = HostTable::new(None);
        let tasks = TaskTable::new(1);
        let (notifies, mail) = (Notifies::default(), Mail::default());
        let tables = Tables {
            hosts: &hosts,
            tasks: &tasks,
            notifies: &notifies,
            mail: &mail,
        };
        mask.tickle(args, &tables)
    }

    #[test]
    fn the_debug_mask_is_set_and_read_back_as_pvm_logs_it() {
        let mut mask = DebugMask::default();
        let got = tickle(&mut mask, &[5]).map(|t| t.results);
        assert_eq!(got, Ok(vec![0]));
        let set = tickle(&mut mask, &[6, 0x8001]).expect("set");
        assert_eq!(set.results, Vec::<i32>::new());
        assert_eq!(set.log, ["tickle 6 32769", "debug mask is 8001 (pkt,mbx)"]);
        assert_eq!(tickle(&mut mask, &[5]).map(|t| t.results), Ok(vec![0x8001]));
        // Bits PVM has no name for are kept, unnamed.
        let high = tickle(&mut mask, &[6, 0x30000]).expect("set");
        assert_eq!(high.log[1], "debug mask is 30000 ()");
    }

    #[test]
    fn dumps_go_to_the_log_and_unknown_actions_answer_nothing() {
        let mut mask = DebugMask::default();
        let hosts = tickle(&mut mask, &[1]).expect("dump");
        assert!(hosts.results.is_empty());
        assert!(hosts.log[1].starts_with("host table: 1 hosts"), "{hosts:?}");
        assert!(hosts.log[2].starts_with("  t40000 "), "{hosts:?}");
        let unknown = tickle(&mut mask, &[99, 1, 2]).expect("answered");
        assert_eq!(
            unknown.log,
            ["tickle 99 1 2", "tickle 99 means nothing to this pvmd"]
        );
        assert!(unknown.results.is_empty());
    }

    #[test]
    fn no_argument_or_too_many_is_a_bad_parameter() {
        let mut mask = DebugMask::default();
        assert_eq!(tickle(&mut mask, &[]), Err(PvmError::BadParam));
        assert_eq!(tickle(&mut mask, &[5; 11]), Err(PvmError::BadParam));
    }
}
