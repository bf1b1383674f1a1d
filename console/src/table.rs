//! The command table: every console command with its one-line summary and its help text.
//!
//! `help` prints the summary list in this order; `help cmd` prints the command's summary
//! line, then its syntax and details. The layout (name padded to twelve columns, then the
//! summary; `Syntax:` lines) follows PVM 3.4's console; the wording is ours.

/// One console command as `help` describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    /// What the user types.
    pub name: &'static str,
    /// The one-line summary shown by `help`.
    pub summary: &'static str,
    /// The lines `help name` shows after the summary line.
    pub details: &'static [&'static str],
}

/// Every command, in the order `help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "add",
        summary: "Add hosts to the virtual machine",
        details: &[
            "Syntax:  add hostname ...",
            "  or     add 'hostname option=value ...' ...",
            "(Options are those of a hostfile line: dx=, ep=, wd=, lo=, so=, sp=.)",
        ],
    },
    CommandSpec {
        name: "alias",
        summary: "Define or list command aliases",
        details: &["Syntax:  alias [name command args ...]"],
    },
    CommandSpec {
        name: "conf",
        summary: "Show the hosts of the virtual machine",
        details: &[
            "Syntax:  conf",
            "Output fields:",
            "  HOST    name of the host",
            "  DTID    tid of the host's pvmd",
            "  ARCH    architecture of the host",
            "  SPEED   relative speed of the host",
            "  DSIG    data format signature",
        ],
    },
    CommandSpec {
        name: "delete",
        summary: "Remove hosts from the virtual machine",
        details: &["Syntax:  delete hostname ..."],
    },
    CommandSpec {
        name: "echo",
        summary: "Print the arguments",
        details: &["Syntax:  echo [ arg ... ]"],
    },
    CommandSpec {
        name: "export",
        summary: "Add variables to the list exported to spawned tasks",
        details: &["Syntax:  export [ varname ... ]"],
    },
    CommandSpec {
        name: "getopt",
        summary: "Show the PVM options of the console task",
        details: &["Syntax:  getopt [ option ]"],
    },
    CommandSpec {
        name: "halt",
        summary: "Stop every pvmd and task, then exit",
        details: &["Syntax:  halt"],
    },
    CommandSpec {
        name: "help",
        summary: "Explain a command",
        details: &["Syntax:  help [ command ]"],
    },
    CommandSpec {
        name: "id",
        summary: "Print the tid of the console",
        details: &["Syntax:  id"],
    },
    CommandSpec {
        name: "jobs",
        summary: "List the jobs still running",
        details: &[
            "Syntax:  jobs [ options ]",
            "Options:  -l   also list each job's tasks",
        ],
    },
    CommandSpec {
        name: "kill",
        summary: "Terminate tasks",
        details: &[
            "Syntax:  kill [ options ] tid ...",
            "Options:  -c   terminate the children of each tid as well",
        ],
    },
    CommandSpec {
        name: "mstat",
        summary: "Show whether hosts are up",
        details: &["Syntax:  mstat hostname ..."],
    },
    CommandSpec {
        name: "names",
        summary: "List the names in the message mailbox",
        details: &["Syntax:  names [ pattern ]"],
    },
    CommandSpec {
        name: "ps",
        summary: "List tasks",
        details: &[
            "Syntax:  ps [ -axl ] [ -hhost ] [ -nhost ]",
            "Options:  -a       tasks of every host (default: this host)",
            "          -hhost   tasks of the host whose pvmd has tid 'host'",
            "          -nhost   tasks of the host named 'host'",
            "          -l       long listing: parent tid and process id too",
            "          -x       also show the console itself",
            "Output fields:",
            "  HOST    name of the host",
            "  TID     tid of the task",
            "  PTID    tid of its parent",
            "  PID     process id",
            "  FLAG    status flags",
            "  COMMAND program name",
            "FLAG values:",
            "  f   task was started by pvmd",
            "  c   task is connected to pvmd",
            "  a   task awaits authorization",
            "  o   task connection is closing",
        ],
    },
    CommandSpec {
        name: "pstat",
        summary: "Show whether tasks are running",
        details: &["Syntax:  pstat tid ..."],
    },
    CommandSpec {
        name: "put",
        summary: "Store an entry in the message mailbox",
        details: &["Syntax:  put name flags [ text ... ]"],
    },
    CommandSpec {
        name: "quit",
        summary: "Leave the console, pvmd keeps running",
        details: &["Syntax:  quit"],
    },
    CommandSpec {
        name: "reset",
        summary: "Terminate all tasks, drop their mailbox entries",
        details: &["Syntax:  reset"],
    },
    CommandSpec {
        name: "setenv",
        summary: "Show or set environment variables",
        details: &["Syntax:  setenv [ name [ value ] ]"],
    },
    CommandSpec {
        name: "setopt",
        summary: "Set a PVM option of the console task only",
        details: &["Syntax:  setopt option value"],
    },
    CommandSpec {
        name: "sig",
        summary: "Send a signal to tasks",
        details: &["Syntax:  sig signum tid ..."],
    },
    CommandSpec {
        name: "spawn",
        summary: "Start tasks",
        details: &[
            "Syntax:  spawn [ options ] file [ arg ... ]",
            "Options:  -(count)     start this many tasks (default 1)",
            "          -(host)      start them on this host (default: any)",
            "          -(ARCH)      start them on hosts of this architecture",
            "          -?           start them under the debugger (PVM_DEBUGGER)",
            "          ->           show the job's output on the console",
            "          ->(file)     write the job's output to a file",
            "          ->>(file)    append the job's output to a file",
        ],
    },
    CommandSpec {
        name: "tickle",
        summary: "Ask pvmd for a debugging action",
        details: &[
            "Syntax:  tickle how [ arg ... ]",
            "How:  1         dump the host table to the pvmd log",
            "      2         dump the task table to the pvmd log",
            "      3         dump the waits (notifies, recvinfo) to the pvmd log",
            "      4         dump the mailbox to the pvmd log",
            "      5         print pvmd's debug mask",
            "      6 (mask)  set pvmd's debug mask",
        ],
    },
    CommandSpec {
        name: "trace",
        summary: "Show or set the trace event mask",
        details: &[
            "Syntax:  trace",
            "         trace [+] name ...",
            "         trace - name ...",
            "         trace [+] *",
            "         trace - *",
        ],
    },
    CommandSpec {
        name: "unalias",
        summary: "Remove command aliases",
        details: &["Syntax:  unalias name ..."],
    },
    CommandSpec {
        name: "unexport",
        summary: "Remove variables from the list exported to spawned tasks",
        details: &["Syntax:  unexport [ varname ... ]"],
    },
    CommandSpec {
        name: "version",
        summary: "Print the libpvm version",
        details: &["Syntax:  version"],
    },
];

/// The command called `name`, if there is one.
pub fn lookup(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// The summary line of a command: name padded to twelve columns, then the summary.
pub fn summary_line(spec: &CommandSpec) -> String {
    format!("{:<12}{}", spec.name, spec.summary)
}

/// What `help` prints without an argument.
pub fn help_overview() -> Vec<String> {
    let mut lines = vec![
        summary_line(lookup_help()),
        "Syntax:  help [ command ]".to_string(),
        "Commands are:".to_string(),
    ];
    lines.extend(COMMANDS.iter().map(|c| format!("  {}", summary_line(c))));
    lines
}

/// What `help name` prints.
pub fn help_for(spec: &CommandSpec) -> Vec<String> {
    std::iter::once(summary_line(spec))
        .chain(spec.details.iter().map(|d| d.to_string()))
        .collect()
}

fn lookup_help() -> &'static CommandSpec {
    // The table is a constant that contains `help`; indexing keeps this total.
    COMMANDS
        .iter()
        .find(|c| c.name == "help")
        .unwrap_or(&COMMANDS[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    const BRIEF_COMMANDS: &[&str] = &[
        "add", "alias", "conf", "delete", "echo", "export", "getopt", "halt", "help", "id", "jobs",
        "kill", "mstat", "names", "ps", "pstat", "put", "quit", "reset", "setenv", "setopt", "sig",
        "spawn", "tickle", "trace", "unalias", "unexport", "version",
    ];

    #[test]
    fn table_holds_pvm_commands_in_order() {
        let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        assert_eq!(names, BRIEF_COMMANDS);
    }

    #[test]
    fn every_command_documents_its_syntax() {
        for c in COMMANDS {
            assert!(
                c.details
                    .first()
                    .is_some_and(|d| d.starts_with("Syntax:  ")),
                "{} lacks a syntax line",
                c.name
            );
            assert!(c.name.len() < 12, "{} breaks the summary column", c.name);
        }
    }

    #[test]
    fn help_layouts() {
        let overview = help_overview();
        assert_eq!(overview[0], "help        Explain a command");
        assert_eq!(overview[2], "Commands are:");
        assert_eq!(
            overview[3],
            "  add         Add hosts to the virtual machine"
        );
        assert_eq!(overview.len(), 3 + COMMANDS.len());
        let ps = help_for(lookup("ps").expect("ps exists"));
        assert_eq!(ps[0], "ps          List tasks");
        assert!(ps[1].starts_with("Syntax:  ps"));
        assert!(lookup("nope").is_none());
    }
}
