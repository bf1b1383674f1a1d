//! Turning the words of a line into a typed [`Command`], with PVM's usage messages.
//!
//! Only the shape of the arguments is checked here (how many, which flags). Whether a
//! tid or host exists is the daemon's business, answered when the command runs.

use pvm::tid::Tid;
use thiserror::Error;

/// Where the output of a spawned job goes (`->`, `->file`, `->>file`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// Printed by the console, each line prefixed with `[job:tid]`.
    Console,
    /// Written to a file, truncating it first.
    File(String),
    /// Appended to a file.
    Append(String),
}

/// Where `spawn` places its tasks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Placement {
    /// Anywhere pvmd likes.
    #[default]
    Anywhere,
    /// On the host of this name (`-vm`).
    Host(String),
    /// On a host of this architecture (`-LINUX64`).
    Arch(String),
}

/// `spawn`'s parsed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpawnArgs {
    pub count: u32,
    /// `-?`: start the tasks under the debugger (PvmTaskDebug).
    pub debug: bool,
    pub placement: Placement,
    pub output: Option<OutputTarget>,
    pub file: String,
    pub args: Vec<String>,
}

/// `ps`'s parsed flags.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PsArgs {
    /// `-a`: every host.
    pub all: bool,
    /// `-l`: parent tid and pid columns.
    pub long: bool,
    /// `-x`: the console itself too.
    pub extra: bool,
    /// `-hTID`: the host whose pvmd has this tid.
    pub host_tid: Option<Tid>,
    /// `-nNAME`: the host of this name.
    pub host_name: Option<String>,
}

/// One console command with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Add(Vec<String>),
    /// No argument lists every alias, one shows it, more define it.
    Alias(Vec<String>),
    Conf,
    Delete(Vec<String>),
    Echo(Vec<String>),
    Export(Vec<String>),
    Getopt(Option<String>),
    Halt,
    Help(Option<String>),
    Id,
    Jobs {
        long: bool,
    },
    /// `unknown` holds flags PVM's console warns about and then ignores.
    Kill {
        children: bool,
        tids: Vec<Tid>,
        unknown: Vec<String>,
    },
    Mstat(Vec<String>),
    Names(Option<String>),
    Ps(PsArgs),
    Pstat(Vec<Tid>),
    Put {
        name: String,
        flags: i32,
        text: String,
    },
    Quit,
    Reset,
    Setenv(Vec<String>),
    Setopt {
        what: String,
        value: String,
    },
    Sig {
        signal: i32,
        tids: Vec<Tid>,
    },
    Spawn(SpawnArgs),
    /// `tickle how [arg ...]`: the ints for `pvm_tickle`.
    Tickle(Vec<i32>),
    Trace(Vec<String>),
    Unalias(Vec<String>),
    Unexport(Vec<String>),
    Version,
}

/// A line that does not make a command, with the message PVM's console prints.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsageError {
    #[error("{0}: not found")]
    UnknownCommand(String),
    #[error("{0}: wrong #args")]
    WrongArgs(&'static str),
    #[error("incorrect arg count")]
    IncorrectArgCount,
    #[error("unknown flag {0}")]
    UnknownFlag(String),
    #[error("ps: {0} needs a host right after it")]
    MissingValue(String),
    #[error("spawn: {0} is not supported")]
    Unsupported(&'static str),
    #[error("{cmd}: bad number {value:?}")]
    BadNumber { cmd: &'static str, value: String },
}

/// A tid argument as PVM's console reads it: hex, with or without `t` or `0x`. Text that
/// is no tid becomes tid 0, which the daemon rejects with "Bad parameter" as PVM does.
pub fn parse_tid(word: &str) -> Tid {
    word.parse().unwrap_or_default()
}

/// The command named by `words[0]` with the rest as arguments.
pub fn parse(words: &[String]) -> Result<Command, UsageError> {
    let Some((name, args)) = words.split_first() else {
        return Err(UsageError::UnknownCommand(String::new()));
    };
    let owned = || args.to_vec();
    let cmd = match name.as_str() {
        "add" => Command::Add(at_least("add", args, 1)?.to_vec()),
        "alias" => Command::Alias(owned()),
        "conf" => Command::Conf,
        "delete" => Command::Delete(at_least("delete", args, 1)?.to_vec()),
        "echo" => Command::Echo(owned()),
        "export" => Command::Export(owned()),
        "getopt" => Command::Getopt(at_most("getopt", args, 1)?.first().cloned()),
        "halt" => Command::Halt,
        "help" => Command::Help(at_most("help", args, 1)?.first().cloned()),
        "id" => Command::Id,
        "jobs" => parse_jobs(args)?,
        "kill" => parse_kill(args)?,
        "mstat" => Command::Mstat(at_least("mstat", args, 1)?.to_vec()),
        "names" => Command::Names(at_most("names", args, 1)?.first().cloned()),
        "ps" => Command::Ps(parse_ps(args)?),
        "pstat" => Command::Pstat(
            at_least("pstat", args, 1)?
                .iter()
                .map(|w| parse_tid(w))
                .collect(),
        ),
        "put" => parse_put(args)?,
        "quit" => Command::Quit,
        "reset" => Command::Reset,
        "setenv" => Command::Setenv(at_most("setenv", args, 2)?.to_vec()),
        "setopt" => parse_setopt(args)?,
        "sig" => parse_sig(args)?,
        "spawn" => Command::Spawn(parse_spawn(args)?),
        "tickle" => Command::Tickle(parse_tickle(args)?),
        "trace" => Command::Trace(owned()),
        "unalias" => Command::Unalias(at_least("unalias", args, 1)?.to_vec()),
        "unexport" => Command::Unexport(owned()),
        "version" => Command::Version,
        _ => return Err(UsageError::UnknownCommand(name.clone())),
    };
    Ok(cmd)
}

fn at_least<'a>(
    cmd: &'static str,
    args: &'a [String],
    n: usize,
) -> Result<&'a [String], UsageError> {
    if args.len() < n {
        Err(UsageError::WrongArgs(cmd))
    } else {
        Ok(args)
    }
}

fn at_most<'a>(
    cmd: &'static str,
    args: &'a [String],
    n: usize,
) -> Result<&'a [String], UsageError> {
    if args.len() > n {
        Err(UsageError::WrongArgs(cmd))
    } else {
        Ok(args)
    }
}

fn number(cmd: &'static str, word: &str) -> Result<i32, UsageError> {
    let parsed = match word.strip_prefix("0x") {
        Some(hex) => i32::from_str_radix(hex, 16).ok(),
        None => word.parse().ok(),
    };
    parsed.ok_or_else(|| UsageError::BadNumber {
        cmd,
        value: word.to_string(),
    })
}

/// Splits leading `-xyz` words off `args`, calling `flag` for each letter.
fn leading_flags(
    args: &[String],
    mut flag: impl FnMut(char) -> bool,
) -> Result<&[String], UsageError> {
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        let Some(letters) = first.strip_prefix('-') else {
            break;
        };
        for c in letters.chars() {
            if !flag(c) {
                return Err(UsageError::UnknownFlag(first.clone()));
            }
        }
        rest = tail;
    }
    Ok(rest)
}

fn parse_jobs(args: &[String]) -> Result<Command, UsageError> {
    let mut long = false;
    leading_flags(args, |c| {
        long |= c == 'l';
        c == 'l'
    })?;
    Ok(Command::Jobs { long })
}

fn parse_kill(args: &[String]) -> Result<Command, UsageError> {
    let args = at_least("kill", args, 1)?;
    let split = args.iter().take_while(|w| w.starts_with('-')).count();
    let (flags, tids) = args.split_at(split);
    if tids.is_empty() {
        return Err(UsageError::IncorrectArgCount);
    }
    let mut children = false;
    let mut unknown = Vec::new();
    for flag in flags {
        for c in flag.chars().skip(1) {
            match c {
                'c' => children = true,
                other => unknown.push(format!("-{other}")),
            }
        }
    }
    Ok(Command::Kill {
        children,
        tids: tids.iter().map(|w| parse_tid(w)).collect(),
        unknown,
    })
}

fn parse_sig(args: &[String]) -> Result<Command, UsageError> {
    let Some((signal, tids)) = args.split_first().filter(|(_, t)| !t.is_empty()) else {
        return Err(UsageError::WrongArgs("sig"));
    };
    Ok(Command::Sig {
        signal: number("sig", signal)?,
        tids: tids.iter().map(|w| parse_tid(w)).collect(),
    })
}

fn parse_put(args: &[String]) -> Result<Command, UsageError> {
    let [name, flags, text] = args else {
        return Err(UsageError::WrongArgs("put"));
    };
    Ok(Command::Put {
        name: name.clone(),
        flags: number("put", flags)?,
        text: text.clone(),
    })
}

/// `tickle how [arg ...]`: one to ten numbers, as `pvm_tickle` takes them.
fn parse_tickle(args: &[String]) -> Result<Vec<i32>, UsageError> {
    let args = at_least("tickle", args, 1)?;
    let args = at_most("tickle", args, pvm::proto::consts::TICKLE_MAX_ARGS)?;
    args.iter().map(|a| number("tickle", a)).collect()
}

fn parse_setopt(args: &[String]) -> Result<Command, UsageError> {
    let [what, value] = args else {
        return Err(UsageError::WrongArgs("setopt"));
    };
    Ok(Command::Setopt {
        what: what.clone(),
        value: value.clone(),
    })
}

fn parse_ps(args: &[String]) -> Result<PsArgs, UsageError> {
    let mut ps = PsArgs::default();
    for word in args {
        let Some(letters) = word.strip_prefix('-') else {
            return Err(UsageError::UnknownFlag(word.clone()));
        };
        // `-h` and `-n` take the rest of the word as their value.
        for (i, c) in letters.char_indices() {
            let value = &letters[i + c.len_utf8()..];
            match c {
                'a' => ps.all = true,
                'l' => ps.long = true,
                'x' => ps.extra = true,
                'h' | 'n' if value.is_empty() => {
                    return Err(UsageError::MissingValue(format!("-{c}")));
                }
                'h' => {
                    ps.host_tid = Some(parse_tid(value));
                    break;
                }
                'n' => {
                    ps.host_name = Some(value.to_string());
                    break;
                }
                _ => return Err(UsageError::UnknownFlag(word.clone())),
            }
        }
    }
    Ok(ps)
}

/// Whether a `-word` of spawn names an architecture rather than a host: PVM's
/// architecture names are upper case (LINUX64, SUN4), host names in practice are not.
fn is_arch_name(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn parse_spawn(args: &[String]) -> Result<SpawnArgs, UsageError> {
    let args = at_least("spawn", args, 1)?;
    let mut spawn = SpawnArgs {
        count: 1,
        debug: false,
        placement: Placement::Anywhere,
        output: None,
        file: String::new(),
        args: Vec::new(),
    };
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        let Some(opt) = first.strip_prefix('-') else {
            break;
        };
        if opt == "?" {
            spawn.debug = true;
        } else if opt.starts_with('@') {
            return Err(UsageError::Unsupported("tracing a job (-@)"));
        } else if opt.contains(':') {
            return Err(UsageError::Unsupported("a working directory (:wd)"));
        } else if let Some(target) = opt.strip_prefix(">>") {
            spawn.output = Some(OutputTarget::Append(target.to_string()));
        } else if let Some(target) = opt.strip_prefix('>') {
            spawn.output = Some(if target.is_empty() {
                OutputTarget::Console
            } else {
                OutputTarget::File(target.to_string())
            });
        } else if !opt.is_empty() && opt.chars().all(|c| c.is_ascii_digit()) {
            spawn.count = opt.parse().map_err(|_| UsageError::BadNumber {
                cmd: "spawn",
                value: opt.to_string(),
            })?;
        } else if is_arch_name(opt) {
            spawn.placement = Placement::Arch(opt.to_string());
        } else if !opt.is_empty() {
            spawn.placement = Placement::Host(opt.to_string());
        } else {
            return Err(UsageError::UnknownFlag(first.clone()));
        }
        rest = tail;
    }
    let Some((file, program_args)) = rest.split_first() else {
        return Err(UsageError::IncorrectArgCount);
    };
    spawn.file = file.clone();
    spawn.args = program_args.to_vec();
    Ok(spawn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Command, UsageError> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(&words)
    }

    fn msg(line: &str) -> String {
        p(line).expect_err("should be refused").to_string()
    }

    #[test]
    fn pvm_usage_messages() {
        assert_eq!(msg("foo"), "foo: not found");
        assert_eq!(msg("kill"), "kill: wrong #args");
        assert_eq!(msg("kill -c"), "incorrect arg count");
        assert_eq!(msg("sig"), "sig: wrong #args");
        assert_eq!(msg("sig 9"), "sig: wrong #args");
        assert_eq!(msg("mstat"), "mstat: wrong #args");
        assert_eq!(msg("pstat"), "pstat: wrong #args");
        assert_eq!(msg("put foo bar"), "put: wrong #args");
        assert_eq!(msg("setopt PvmRoute"), "setopt: wrong #args");
        assert_eq!(msg("help help help"), "help: wrong #args");
        assert_eq!(msg("spawn"), "spawn: wrong #args");
        assert_eq!(msg("spawn -2"), "incorrect arg count");
        assert_eq!(msg("sig x t40001"), "sig: bad number \"x\"");
        assert_eq!(msg("tickle"), "tickle: wrong #args");
        assert_eq!(msg("tickle 1 2 3 4 5 6 7 8 9 10 11"), "tickle: wrong #args");
        assert_eq!(p("tickle 6 0x8001"), Ok(Command::Tickle(vec![6, 0x8001])));
    }

    #[test]
    fn spawn_options() {
        let Ok(Command::Spawn(s)) = p("spawn -3 -vm ->/tmp/out prog a b") else {
            panic!("spawn should parse");
        };
        assert_eq!(s.count, 3);
        assert_eq!(s.placement, Placement::Host("vm".into()));
        assert_eq!(s.output, Some(OutputTarget::File("/tmp/out".into())));
        assert_eq!((s.file.as_str(), s.args.len()), ("prog", 2));

        let Ok(Command::Spawn(s)) = p("spawn -LINUX64 ->> hello") else {
            panic!("spawn should parse");
        };
        assert_eq!(s.placement, Placement::Arch("LINUX64".into()));
        assert_eq!(s.output, Some(OutputTarget::Append(String::new())));

        let Ok(Command::Spawn(s)) = p("spawn -> hello -x") else {
            panic!("spawn should parse");
        };
        assert_eq!(s.output, Some(OutputTarget::Console));
        assert_eq!(s.args, ["-x"]);
        assert_eq!(s.count, 1);
        assert!(!s.debug);

        let Ok(Command::Spawn(s)) = p("spawn -? prog") else {
            panic!("spawn should parse");
        };
        assert!(s.debug);
        assert_eq!(
            msg("spawn -@ prog"),
            "spawn: tracing a job (-@) is not supported"
        );
        assert_eq!(
            msg("spawn -vm:/tmp prog"),
            "spawn: a working directory (:wd) is not supported"
        );
    }

    #[test]
    fn tids_and_flags() {
        assert_eq!(
            p("kill -c t40001 4000a xyz"),
            Ok(Command::Kill {
                children: true,
                tids: vec![Tid(0x40001), Tid(0x4000a), Tid(0)],
                unknown: Vec::new(),
            })
        );
        // PVM's console warns about an unknown flag and kills anyway.
        assert_eq!(
            p("kill -zc t40001"),
            Ok(Command::Kill {
                children: true,
                tids: vec![Tid(0x40001)],
                unknown: vec!["-z".into()],
            })
        );
        assert_eq!(
            p("sig 15 t40002"),
            Ok(Command::Sig {
                signal: 15,
                tids: vec![Tid(0x40002)]
            })
        );
        assert_eq!(p("jobs -l"), Ok(Command::Jobs { long: true }));
        assert_eq!(msg("jobs -q"), "unknown flag -q");
    }

    #[test]
    fn ps_flags() {
        let Ok(Command::Ps(ps)) = p("ps -axl -nvm") else {
            panic!("ps should parse");
        };
        assert!(ps.all && ps.extra && ps.long);
        assert_eq!(ps.host_name.as_deref(), Some("vm"));
        let Ok(Command::Ps(ps)) = p("ps -h40000") else {
            panic!("ps should parse");
        };
        assert_eq!(ps.host_tid, Some(Tid(0x40000)));
        assert_eq!(msg("ps -q"), "unknown flag -q");
        assert_eq!(msg("ps -h"), "ps: -h needs a host right after it");
        assert_eq!(msg("ps -an"), "ps: -n needs a host right after it");
        assert_eq!(msg("ps a"), "unknown flag a");
    }

    #[test]
    fn put_and_setopt() {
        assert_eq!(
            p("put foo 1 bar"),
            Ok(Command::Put {
                name: "foo".into(),
                flags: 1,
                text: "bar".into()
            })
        );
        assert_eq!(
            p("setopt PvmRoute 3"),
            Ok(Command::Setopt {
                what: "PvmRoute".into(),
                value: "3".into()
            })
        );
    }

    /// Lines assembled from pieces that stress the lexer and the parsers: quotes,
    /// escapes, flags, numbers at the edges, non-ASCII, NUL. Every line must give a
    /// command or a usage error, never a panic.
    #[test]
    fn arbitrary_lines_never_panic() {
        const PIECES: &[&str] = &[
            "spawn",
            "kill",
            "sig",
            "ps",
            "pstat",
            "put",
            "setopt",
            "getopt",
            "alias",
            "help",
            "-",
            "--",
            "->",
            "->>",
            "-?",
            "-@",
            "-:",
            "-c",
            "-axl",
            "-h",
            "-n",
            "-0",
            "-99999999999",
            "-4294967296",
            "0x",
            "0xffffffff",
            "t",
            "t40001",
            "-1",
            "'",
            "\"",
            "\\",
            " ",
            "\t",
            "é",
            "\0",
            "a'b c'd",
            "=",
            ":",
            "*",
        ];
        let mut aliases = crate::alias::Aliases::default();
        aliases.define("x", vec!["spawn".into(), "->".into()]);
        aliases.define("loop", vec!["loop".into(), "-c".into()]);
        // xorshift: deterministic, so a failure is reproducible.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut line = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 7) as usize;
            for k in 0..len {
                let pick = (state >> (8 * k)) as usize % PIECES.len();
                line.push_str(PIECES[pick]);
                if (state >> (k + 40)) & 1 == 1 {
                    line.push(' ');
                }
            }
            if let Ok(words) = crate::lexer::tokenize(&line) {
                let words = aliases.expand(words);
                let _ = parse(&words);
            }
        }
    }
}
