//! PVM 3.4 hostfiles.
//!
//! One host per line, `#` starts a comment. A line whose host is `*` sets defaults for
//! the lines after it. A leading `&` on a host means "known but not started now" (added
//! later with `add`). Options are `name=value`: `lo=` login, `so=` (`so=pw` asks for a
//! password, `so=ms` for a manual start), `dx=` pvmd path, `ep=` colon-separated program
//! path, `wd=` working directory, `sp=` relative speed, `bx=` debugger, `ip=` address to
//! use instead of the name.

use std::path::Path;

/// A hostfile mistake, naming where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct HostfileError {
    pub file: String,
    /// 1-based; 0 when the file could not be read at all.
    pub line: usize,
    pub message: String,
}

/// Per-host options (each `None` when not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostOpts {
    pub lo: Option<String>,
    pub so: Option<String>,
    pub dx: Option<String>,
    pub ep: Option<String>,
    pub wd: Option<String>,
    pub sp: Option<i32>,
    pub bx: Option<String>,
    pub ip: Option<String>,
}

impl HostOpts {
    /// Options given here win over those of `defaults`.
    fn over(mut self, defaults: &HostOpts) -> HostOpts {
        macro_rules! inherit {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = defaults.$f.clone(); } )* };
        }
        inherit!(lo, so, dx, ep, wd, sp, bx, ip);
        self
    }
}

/// One host line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEntry {
    pub name: String,
    /// Written with a leading `&`: not started with the virtual machine.
    pub deferred: bool,
    pub opts: HostOpts,
    pub line: usize,
}

/// A parsed hostfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hostfile {
    pub hosts: Vec<HostEntry>,
}

impl Hostfile {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<Hostfile, HostfileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| HostfileError {
            file: file.clone(),
            line: 0,
            message: format!("cannot read: {e}"),
        })?;
        Hostfile::parse(&text, &file)
    }

    /// Parses hostfile text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Hostfile, HostfileError> {
        let mut defaults = HostOpts::default();
        let mut hosts: Vec<HostEntry> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |message: String| HostfileError {
                file: file.to_string(),
                line,
                message,
            };
            let content = raw.split('#').next().unwrap_or("");
            let mut words = content.split_whitespace();
            let Some(first) = words.next() else {
                continue;
            };
            let mut opts = HostOpts::default();
            for w in words {
                parse_option(&mut opts, w).map_err(err)?;
            }
            if first == "*" {
                defaults = opts.over(&defaults);
                continue;
            }
            let (deferred, name) = match first.strip_prefix('&') {
                Some(rest) => (true, rest),
                None => (false, first),
            };
            if name.is_empty() || name.contains('=') {
                return Err(err(format!("expected a host name, found {first:?}")));
            }
            if hosts.iter().any(|h| h.name == name) {
                return Err(err(format!("host {name} listed twice")));
            }
            hosts.push(HostEntry {
                name: name.to_string(),
                deferred,
                opts: opts.over(&defaults),
                line,
            });
        }
        Ok(Hostfile { hosts })
    }
}

fn parse_option(opts: &mut HostOpts, word: &str) -> Result<(), String> {
    let Some((key, value)) = word.split_once('=') else {
        return Err(format!("expected option=value, found {word:?}"));
    };
    let v = Some(value.to_string());
    match key {
        "lo" => opts.lo = v,
        "so" => opts.so = v,
        "dx" => opts.dx = v,
        "ep" => opts.ep = v,
        "wd" => opts.wd = v,
        "bx" => opts.bx = v,
        "ip" => opts.ip = v,
        "sp" => {
            let sp = value
                .parse::<i32>()
                .ok()
                .filter(|s| *s > 0)
                .ok_or_else(|| format!("sp= needs a positive integer, found {value:?}"))?;
            opts.sp = Some(sp);
        }
        other => return Err(format!("unknown option {other:?}")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_defaults_deferred_and_options() {
        let text = "# my machines\n* ep=/opt/bin sp=500\nalpha\n&beta lo=bob sp=2000 # later\n\ngamma ep=$HOME/bin wd=/tmp\n";
        let hf = Hostfile::parse(text, "hosts").expect("valid hostfile");
        assert_eq!(hf.hosts.len(), 3);
        let a = &hf.hosts[0];
        assert_eq!((a.name.as_str(), a.deferred, a.line), ("alpha", false, 3));
        assert_eq!(a.opts.ep.as_deref(), Some("/opt/bin"));
        assert_eq!(a.opts.sp, Some(500));
        let b = &hf.hosts[1];
        assert!(b.deferred);
        assert_eq!((b.opts.lo.as_deref(), b.opts.sp), (Some("bob"), Some(2000)));
        assert_eq!(hf.hosts[2].opts.ep.as_deref(), Some("$HOME/bin"));
        assert_eq!(hf.hosts[2].opts.wd.as_deref(), Some("/tmp"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = Hostfile::parse("a\nb zz=1\n", "hf").expect_err("bad option");
        assert_eq!(e.to_string(), "hf:2: unknown option \"zz\"");
        let e = Hostfile::parse("a sp=fast\n", "hf").expect_err("bad speed");
        assert_eq!(e.line, 1);
        let e = Hostfile::parse("a\na\n", "hf").expect_err("duplicate");
        assert_eq!(e.line, 2);
        let e = Hostfile::parse("a lo\n", "hf").expect_err("no value");
        assert!(e.message.contains("option=value"));
    }
}
