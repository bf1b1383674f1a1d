//! `trace`: the mask of library calls traced in tasks the console spawns.
//!
//! The mask is kept by the console and listed in four columns, marked events with `*`.
//! Nothing in this virtual machine produces trace events yet, so the mask has no effect
//! beyond being shown and edited.

use std::collections::BTreeSet;

use crate::print;
use crate::session::Session;

/// The library calls that can be traced, in PVM's alphabetical order.
const EVENTS: &[&str] = &[
    "addhosts",
    "addmhf",
    "archcode",
    "barrier",
    "bcast",
    "bufinfo",
    "catchout",
    "config",
    "delete",
    "delhosts",
    "delinfo",
    "delmhf",
    "exit",
    "freebuf",
    "freecontext",
    "gather",
    "getcontext",
    "getfds",
    "getinfo",
    "getinst",
    "getmboxinfo",
    "getminfo",
    "getmwid",
    "getopt",
    "getrbuf",
    "getsbuf",
    "gettid",
    "gettmask",
    "gsize",
    "halt",
    "hostsync",
    "initsend",
    "insert",
    "joingroup",
    "kill",
    "lookup",
    "lvgroup",
    "mcast",
    "mhf_invoke",
    "mkbuf",
    "mstat",
    "mytid",
    "newcontext",
    "notify",
    "nrecv",
    "packf",
    "parent",
    "perror",
    "pkbyte",
    "pkcplx",
    "pkdcplx",
    "pkdouble",
    "pkfloat",
    "pkint",
    "pklong",
    "pkshort",
    "pkstr",
    "pkuint",
    "pkulong",
    "pkushort",
    "precv",
    "probe",
    "psend",
    "pstat",
    "putinfo",
    "recv",
    "recvf",
    "reduce",
    "reg_hoster",
    "reg_rm",
    "reg_tasker",
    "reg_tracer",
    "scatter",
    "send",
    "sendsig",
    "setcontext",
    "setminfo",
    "setmwid",
    "setopt",
    "setrbuf",
    "setsbuf",
    "settmask",
    "siblings",
    "spawn",
    "start_pvmd",
    "tasks",
    "tickle",
    "tidtohost",
    "trecv",
    "unpackf",
    "upkbyte",
    "upkcplx",
    "upkdcplx",
    "upkdouble",
    "upkfloat",
    "upkint",
    "upklong",
    "upkshort",
    "upkstr",
    "upkuint",
    "upkulong",
    "upkushort",
    "user_defined",
    "version",
];

/// The events traced by default: messaging, task life and groups.
const DEFAULT: &[&str] = &[
    "addmhf",
    "barrier",
    "bcast",
    "delmhf",
    "exit",
    "joingroup",
    "kill",
    "lvgroup",
    "mcast",
    "mhf_invoke",
    "mytid",
    "nrecv",
    "parent",
    "precv",
    "probe",
    "psend",
    "recv",
    "recvf",
    "send",
    "sendsig",
    "siblings",
    "spawn",
    "trecv",
    "user_defined",
];

const COLUMNS: usize = 4;

/// The set of traced events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceMask(BTreeSet<&'static str>);

impl Default for TraceMask {
    fn default() -> Self {
        TraceMask(DEFAULT.iter().copied().collect())
    }
}

impl TraceMask {
    /// Adds (`on`) or removes events; `*` means all. Returns the names not known.
    pub fn change(&mut self, names: &[String], on: bool) -> Vec<String> {
        let mut unknown = Vec::new();
        for n in names {
            let chosen: Vec<&'static str> = if n == "*" {
                EVENTS.to_vec()
            } else {
                match EVENTS.iter().find(|e| **e == n.as_str()) {
                    Some(e) => vec![*e],
                    None => {
                        unknown.push(n.clone());
                        continue;
                    }
                }
            };
            for e in chosen {
                if on {
                    self.0.insert(e);
                } else {
                    self.0.remove(e);
                }
            }
        }
        unknown
    }

    /// The listing: events in columns, top to bottom then left to right.
    pub fn lines(&self) -> Vec<String> {
        let rows = EVENTS.len().div_ceil(COLUMNS);
        (0..rows)
            .map(|r| {
                let cells: Vec<String> = (0..COLUMNS)
                    .filter_map(|c| EVENTS.get(c * rows + r))
                    .map(|e| {
                        let mark = if self.0.contains(e) { " * " } else { "   " };
                        format!("{mark}{e:<15}")
                    })
                    .collect();
                cells.join(" ")
            })
            .collect()
    }
}

/// `trace`, `trace [+] name...`, `trace - name...`.
pub fn trace(s: &mut Session, args: &[String]) {
    let (on, names) = match args.split_first() {
        None => return print::out(s.trace.lines()),
        Some((first, rest)) if first == "+" => (true, rest),
        Some((first, rest)) if first == "-" => (false, rest),
        Some(_) => (true, args),
    };
    for n in s.trace.change(names, on) {
        print::line(format!("trace: unknown event {n}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_is_column_major_with_marks() {
        let lines = TraceMask::default().lines();
        assert_eq!(lines.len(), EVENTS.len().div_ceil(COLUMNS));
        assert!(lines[0].starts_with("   addhosts           "));
        assert!(lines[1].starts_with(" * addmhf             "));
        assert_eq!(lines[0].find(EVENTS[lines.len()]), Some(22));
    }

    #[test]
    fn change_adds_removes_and_reports_unknown() {
        let mut m = TraceMask::default();
        assert!(m.change(&["*".into()], false).is_empty());
        assert!(m.lines().iter().all(|l| !l.contains('*')));
        assert_eq!(m.change(&["pkint".into(), "nope".into()], true), ["nope"]);
        assert_eq!(m.0.iter().copied().collect::<Vec<_>>(), ["pkint"]);
        let mut sorted = EVENTS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, EVENTS);
    }
}
