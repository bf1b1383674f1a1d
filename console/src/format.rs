//! The console's output layouts, as pure functions of plain data.
//!
//! Column widths and headers follow PVM 3.4's console so scripts written for it keep
//! reading our output: host names right-aligned in 24 columns, tids in lower-case hex
//! without the `t` inside tables, flags as `hex/letters`.

use pvm::proto::consts::{TF_CONNECTED, TF_SPAWNED};
use pvm::tid::Tid;

/// A host as `conf`, `ps` and `add` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRow {
    pub name: String,
    pub dtid: Tid,
    pub arch: String,
    pub speed: i32,
    pub dsig: i32,
}

/// A task as `ps` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub host: String,
    pub tid: Tid,
    /// Tid 0 when the task has no parent.
    pub ptid: Tid,
    pub pid: i32,
    pub flag: i32,
    pub command: String,
}

/// `conf`: a count line, a header, a row per host.
pub fn conf(hosts: &[HostRow]) -> Vec<String> {
    let mut formats: Vec<i32> = hosts.iter().map(|h| h.dsig).collect();
    formats.sort_unstable();
    formats.dedup();
    let mut lines = vec![
        format!(
            "{} host{}, {} data format{}",
            hosts.len(),
            plural(hosts.len()),
            formats.len(),
            plural(formats.len())
        ),
        format!(
            "{:>24} {:>8} {:>8} {:>7} {:>10}",
            "HOST", "DTID", "ARCH", "SPEED", "DSIG"
        ),
    ];
    lines.extend(hosts.iter().map(|h| {
        format!(
            "{:>24} {:>8x} {:>8} {:>7} 0x{:08x}",
            h.name, h.dtid.0, h.arch, h.speed, h.dsig
        )
    }));
    lines
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The header line of `ps` (and `jobs -l`).
pub fn ps_header(long: bool) -> String {
    if long {
        format!(
            "{:>24} {:>8} {:>8} {:>6} {:>6} 0x COMMAND",
            "HOST", "TID", "PTID", "PID", "FLAG"
        )
    } else {
        format!("{:>24} {:>8} {:>6} 0x COMMAND", "HOST", "TID", "FLAG")
    }
}

/// The letters that spell out a task's flag bits.
pub fn flag_letters(flag: i32) -> String {
    // PVM 3.4 lists them c before f, comma-separated: `6/c,f`.
    let mut letters = Vec::new();
    if flag & TF_CONNECTED != 0 {
        letters.push("c");
    }
    if flag & TF_SPAWNED != 0 {
        letters.push("f");
    }
    letters.join(",")
}

/// One `ps` row; `is_console` shows the console's own tid as `(cons)` as PVM does.
pub fn ps_row(task: &TaskRow, long: bool, is_console: bool) -> String {
    let tid = if is_console {
        "(cons)".to_string()
    } else {
        format!("{:x}", task.tid.0)
    };
    let letters = flag_letters(task.flag);
    let flag = format!(" {:>7x}/{:<2}{}", task.flag, letters, pad_after(&letters));
    let command = if task.command.is_empty() {
        "-"
    } else {
        &task.command
    };
    if long {
        let ptid = if task.ptid.0 == 0 {
            "-".to_string()
        } else {
            format!("{:x}", task.ptid.0)
        };
        format!(
            "{:>24} {:>8} {:>8} {:>6}{flag}{command:<12}",
            task.host, tid, ptid, task.pid
        )
    } else {
        format!("{:>24} {:>8}{flag}{command:<12}", task.host, tid)
    }
}

/// Keeps the command apart from the flag letters when they fill their two columns.
fn pad_after(letters: &str) -> &'static str {
    if letters.len() >= 2 {
        " "
    } else {
        ""
    }
}

/// One `pstat` line: `t   40001  run` or the error text.
pub fn pstat_line(tid: Tid, status: &str) -> String {
    format!("t{:>8x}  {}", tid.0, status)
}

/// One `mstat` line: the host right-aligned, then `ok` or the error text.
pub fn mstat_line(host: &str, status: &str) -> String {
    format!("{host:>24}  {status}")
}

/// What `spawn` prints after the call: the count, then each tid or error text.
pub fn spawn_result(results: &[Result<Tid, String>]) -> Vec<String> {
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let mut lines = vec![format!("{ok} successful")];
    lines.extend(results.iter().map(|r| match r {
        Ok(tid) => tid.to_string(),
        Err(text) => text.clone(),
    }));
    lines
}

/// `add`'s answer: how many hosts joined, then each host with its pvmd's tid or why not.
pub fn add_result(rows: &[(String, Result<Tid, String>)]) -> Vec<String> {
    let ok = rows.iter().filter(|(_, r)| r.is_ok()).count();
    let mut lines = vec![
        format!("{ok} successful"),
        format!("{:>24} {:>8}", "HOST", "DTID"),
    ];
    lines.extend(rows.iter().map(|(name, r)| match r {
        Ok(tid) => format!("{name:>24} {:>8x}", tid.0),
        Err(text) => format!("{name:>24} {text}"),
    }));
    lines
}

/// `delete`'s answer: how many hosts left, then each host's status.
pub fn delete_result(rows: &[(String, Result<(), String>)]) -> Vec<String> {
    let ok = rows.iter().filter(|(_, r)| r.is_ok()).count();
    let mut lines = vec![
        format!("{ok} successful"),
        format!("{:>24}  STATUS", "HOST"),
    ];
    lines.extend(rows.iter().map(|(name, r)| match r {
        Ok(()) => format!("{name:>24}  deleted"),
        Err(text) => format!("{name:>24}  {text}"),
    }));
    lines
}

/// One mailbox entry as `names` shows it (a blank line follows each entry).
pub fn names_entry(name: &str, index: i32, owner: Tid, flags: i32) -> Vec<String> {
    vec![
        format!("<{name}>:"),
        format!(
            "\tindex={index} owner=0x{:x}/{} flags=0x{flags:x}",
            owner.0, owner.0
        ),
        String::new(),
    ]
}

/// `jobs`: one line per job with its live tasks.
pub fn jobs_line(job: u32, tids: &[Tid]) -> String {
    let mut line = format!("{job:>2}:");
    for tid in tids {
        line.push(' ');
        line.push_str(&tid.to_string());
    }
    line
}

/// `tickle`'s line: the results in parentheses, `( )` for none, as PVM prints them.
pub fn tickle_line(results: &[i32]) -> String {
    let mut line = String::from("(");
    for r in results {
        line.push_str(&format!(" {r}"));
    }
    line.push_str(" )");
    line
}

/// `getopt`'s line for one option.
pub fn getopt_line(name: &str, value: i32) -> String {
    format!("{name} Currently Set to {value}")
}

/// `setopt`'s line after a change.
pub fn setopt_line(name: &str, old: i32, new: i32) -> String {
    format!("{name} Changed from {old} to {new}")
}

/// `alias`'s line for one alias: name, a tab, the words it stands for.
pub fn alias_line(name: &str, words: &[String]) -> String {
    format!("{name}\t{}", words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> HostRow {
        HostRow {
            name: "vm".into(),
            dtid: Tid(0x40000),
            arch: "LINUX64".into(),
            speed: 1000,
            dsig: 0x408c41,
        }
    }

    #[test]
    fn conf_layout() {
        let lines = conf(&[host()]);
        assert_eq!(lines[0], "1 host, 1 data format");
        assert_eq!(
            lines[1],
            "                    HOST     DTID     ARCH   SPEED       DSIG"
        );
        assert_eq!(
            lines[2],
            "                      vm    40000  LINUX64    1000 0x00408c41"
        );
        let mut other = host();
        other.name = "b".into();
        other.dtid = Tid(0x80000);
        assert_eq!(conf(&[host(), other])[0], "2 hosts, 1 data format");
    }

    #[test]
    fn ps_layout() {
        assert_eq!(
            ps_header(false),
            "                    HOST      TID   FLAG 0x COMMAND"
        );
        assert_eq!(
            ps_header(true),
            "                    HOST      TID     PTID    PID   FLAG 0x COMMAND"
        );
        let mut task = TaskRow {
            host: "vm".into(),
            tid: Tid(0x40002),
            ptid: Tid(0),
            pid: 12320,
            flag: TF_SPAWNED,
            command: "/bin/sleep".into(),
        };
        assert_eq!(
            ps_row(&task, false, false),
            "                      vm    40002       2/f /bin/sleep  "
        );
        assert_eq!(
            ps_row(&task, true, false),
            "                      vm    40002        -  12320       2/f /bin/sleep  "
        );
        task.flag |= TF_CONNECTED;
        task.ptid = Tid(0x40001);
        task.command.clear();
        assert_eq!(
            ps_row(&task, true, true),
            "                      vm   (cons)    40001  12320       6/c,f -           "
        );
    }

    #[test]
    fn status_lines() {
        assert_eq!(pstat_line(Tid(0x40001), "run"), "t   40001  run");
        assert_eq!(
            pstat_line(Tid(0), "Bad parameter"),
            "t       0  Bad parameter"
        );
        assert_eq!(mstat_line("vm", "ok"), "                      vm  ok");
        assert_eq!(
            spawn_result(&[Ok(Tid(0x40012)), Err("No such file".into())]),
            ["1 successful", "t40012", "No such file"]
        );
        assert_eq!(
            jobs_line(1, &[Tid(0x40002), Tid(0x40003)]),
            " 1: t40002 t40003"
        );
        assert_eq!(getopt_line("PvmRoute", 1), "PvmRoute Currently Set to 1");
        assert_eq!(
            setopt_line("PvmRoute", 1, 2),
            "PvmRoute Changed from 1 to 2"
        );
        assert_eq!(alias_line("h", &["help".into()]), "h\thelp");
        assert_eq!(tickle_line(&[]), "( )");
        assert_eq!(tickle_line(&[5, 32769]), "( 5 32769 )");
    }

    #[test]
    fn mailbox_and_hosts() {
        assert_eq!(
            names_entry("foo", 0, Tid(0x40020), 1),
            ["<foo>:", "\tindex=0 owner=0x40020/262176 flags=0x1", ""]
        );
        assert_eq!(
            add_result(&[("foo".into(), Err("No such host".into()))]),
            [
                "0 successful",
                "                    HOST     DTID",
                "                     foo No such host"
            ]
        );
        assert_eq!(
            delete_result(&[("vm".into(), Err("Bad parameter".into()))]),
            [
                "0 successful",
                "                    HOST  STATUS",
                "                      vm  Bad parameter"
            ]
        );
    }
}
