//! The master's side of a remote start: run `$PVM_RSH host '<dx> --slave'`, hand the
//! slave its [`SlaveConfig`] on the channel's stdin and read its one-line
//! [`SlaveReply`] from the channel's stdout.
//!
//! Everything that can go wrong ends as a [`StartFailure`]: a PVM error code (what
//! `pvm_addhosts` returns for that host) and a reason a user can act on. The rsh
//! process never outlives [`start`]: it is killed on every early return (and on drop),
//! and always waited for. The secret travels only in the JSON written to the
//! channel's stdin; it is never put on a command line or logged.

use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pvm::error::PvmError;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;
use tokio::time::{timeout_at, Instant};

use super::{Rsh, SlaveConfig, SlaveReply, StartFailure, Started, PROTOCOL_VERSION};
use crate::hostfile::HostEntry;

/// How long a whole start may take: connecting, logging in, the slave's answer.
pub const START_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest reply line read from the slave; a longer one is malformed.
const MAX_REPLY: u64 = 64 * 1024;
/// How much of the rsh's stderr is kept (its end) to explain a failure.
const STDERR_KEEP: usize = 4096;
/// How long rsh may linger after the slave answered before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(5);
/// How long the rest of rsh's stderr is waited for once it exited.
const STDERR_DRAIN: Duration = Duration::from_millis(500);
/// Options that make ssh fail instead of asking anything, and carry nothing extra.
const SSH_OPTIONS: [&str; 6] = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-T", "-x"];

impl Rsh {
    /// `$PVM_RSH` (default `ssh`); hosts without `dx=` get this pvmd's own executable.
    pub fn from_env() -> Rsh {
        let default_dx = std::env::current_exe()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "pvmd".to_string());
        Rsh::new(std::env::var("PVM_RSH").ok().as_deref(), default_dx)
    }

    /// An rsh from a `$PVM_RSH`-style spec (split on whitespace; empty or none means
    /// `ssh`).
    pub fn new(spec: Option<&str>, default_dx: String) -> Rsh {
        let mut argv: Vec<String> = spec
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if argv.is_empty() {
            argv.push("ssh".to_string());
        }
        Rsh { argv, default_dx }
    }

    /// Whether the program is OpenSSH's client, which gets [`SSH_OPTIONS`].
    fn is_ssh(&self) -> bool {
        self.argv
            .first()
            .and_then(|p| Path::new(p).file_name())
            .is_some_and(|name| name == "ssh")
    }

    /// The pvmd path used for `entry`: its `dx=`, else [`Rsh::default_dx`].
    pub fn dx<'a>(&'a self, entry: &'a HostEntry) -> &'a str {
        entry.opts.dx.as_deref().unwrap_or(&self.default_dx)
    }

    /// The full command line that starts a slave pvmd on `entry`'s host.
    pub fn command_line(&self, entry: &HostEntry) -> Vec<String> {
        let mut argv = self.argv.clone();
        if self.is_ssh() {
            argv.extend(SSH_OPTIONS.iter().map(|s| s.to_string()));
        }
        if let Some(lo) = &entry.opts.lo {
            argv.extend(["-l".to_string(), lo.clone()]);
        }
        argv.push(address(entry).to_string());
        argv.push(format!("{} --slave", shell_quote(self.dx(entry))));
        argv
    }
}

/// The address a host is reached at: `ip=`, else its name.
fn address(entry: &HostEntry) -> &str {
    entry.opts.ip.as_deref().unwrap_or(&entry.name)
}

/// Quotes `s` for the remote login shell, which parses the command ssh sends it.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:,@%".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn failure(code: PvmError, reason: impl Into<String>) -> StartFailure {
    StartFailure {
        code,
        reason: reason.into(),
    }
}

/// Starts a slave pvmd on `entry`'s host and returns where it listens.
pub async fn start(
    rsh: &Rsh,
    entry: &HostEntry,
    config: &SlaveConfig,
) -> Result<Started, StartFailure> {
    start_within(rsh, entry, config, START_TIMEOUT).await
}

/// [`start`] with another overall time limit.
pub async fn start_within(
    rsh: &Rsh,
    entry: &HostEntry,
    config: &SlaveConfig,
    limit: Duration,
) -> Result<Started, StartFailure> {
    check_start_option(entry)?;
    let deadline = Instant::now() + limit;
    let argv = rsh.command_line(entry);
    tracing::debug!(host = %entry.name, ?argv, "starting a slave pvmd");
    let mut session = Session::spawn(&argv)?;
    let line = timeout_at(deadline, session.converse(config)).await;
    let result = match line {
        Err(_elapsed) => Err(failure(
            PvmError::CantStart,
            format!(
                "no answer from {} within {} s{}",
                entry.name,
                limit.as_secs(),
                session.stderr_note()
            ),
        )),
        Ok(line) => match parse_reply(&line) {
            Some(SlaveReply::Ready {
                version,
                port,
                arch,
                dsig,
                hostname,
            }) => {
                session.finish(Instant::now() + EXIT_GRACE).await;
                return ready(entry, version, port, arch, dsig, hostname);
            }
            Some(SlaveReply::Failed { code, reason }) => Err(failure(
                PvmError::from_code(code).unwrap_or(PvmError::CantStart),
                reason,
            )),
            None => {
                let status = session.finish(deadline).await;
                Err(classify(status, &session.stderr(), entry, rsh.dx(entry)))
            }
        },
    };
    session.finish(deadline).await;
    result
}

/// PVM's so=pw (password) and so=ms (manual start) need a person at a terminal.
fn check_start_option(entry: &HostEntry) -> Result<(), StartFailure> {
    let why = match entry.opts.so.as_deref() {
        Some("pw") => "so=pw (password login) is not supported: set up key-based ssh login",
        Some("ms") => "so=ms (manual start) is not supported: set up key-based ssh login",
        _ => return Ok(()),
    };
    Err(failure(
        PvmError::CantStart,
        format!("cannot start {}: {why}", entry.name),
    ))
}

/// The answer to a `Ready` reply: only a slave of our own protocol version will do.
fn ready(
    entry: &HostEntry,
    version: String,
    port: u16,
    arch: String,
    dsig: i32,
    hostname: String,
) -> Result<Started, StartFailure> {
    if version != PROTOCOL_VERSION {
        return Err(failure(
            PvmError::BadVersion,
            format!(
                "pvmd on {} is version {version}, this one is {PROTOCOL_VERSION}",
                entry.name
            ),
        ));
    }
    Ok(Started {
        addr: address(entry).to_string(),
        port,
        arch,
        dsig,
        hostname,
    })
}

/// A reply line, if it is one.
fn parse_reply(line: &[u8]) -> Option<SlaveReply> {
    if !line.ends_with(b"\n") {
        return None;
    }
    serde_json::from_slice(line).ok()
}

/// The running rsh and the end of what it printed on stderr.
struct Session {
    child: Child,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// The task reading stderr into `stderr`.
    stderr_reader: Option<JoinHandle<()>>,
    exited: Option<ExitStatus>,
}

impl Session {
    fn spawn(argv: &[String]) -> Result<Session, StartFailure> {
        let (program, args) = argv
            .split_first()
            .ok_or_else(|| failure(PvmError::CantStart, "PVM_RSH names no program"))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| failure(PvmError::CantStart, format!("cannot run {program}: {e}")))?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let stderr_reader = child
            .stderr
            .take()
            .map(|pipe| tokio::spawn(keep_tail(pipe, Arc::clone(&stderr))));
        Ok(Session {
            child,
            stderr,
            stderr_reader,
            exited: None,
        })
    }

    /// Sends the config and reads one line back (empty or without its newline when
    /// the channel closed or the line was too long).
    async fn converse(&mut self, config: &SlaveConfig) -> Vec<u8> {
        if let Some(mut stdin) = self.child.stdin.take() {
            let mut text = serde_json::to_vec(config).unwrap_or_default();
            text.push(b'\n');
            // A write error means rsh is already gone: its exit status explains why.
            let _ = stdin.write_all(&text).await;
            let _ = stdin.flush().await;
        }
        let mut line = Vec::new();
        if let Some(stdout) = self.child.stdout.take() {
            let mut reader = BufReader::new(stdout.take(MAX_REPLY));
            let _ = reader.read_until(b'\n', &mut line).await;
        }
        line
    }

    /// Waits for rsh to exit until `deadline`, then kills it; it is always reaped.
    /// Returns its exit status when it exited by itself.
    async fn finish(&mut self, deadline: Instant) -> Option<ExitStatus> {
        if self.exited.is_some() {
            return self.exited;
        }
        match timeout_at(deadline, self.child.wait()).await {
            Ok(Ok(status)) => {
                self.exited = Some(status);
                // Let the reader take what is left in the pipe; a process rsh left
                // behind may hold it open, so not for long.
                if let Some(reader) = self.stderr_reader.take() {
                    let _ = tokio::time::timeout(STDERR_DRAIN, reader).await;
                }
                Some(status)
            }
            _ => {
                let _ = self.child.start_kill();
                let _ = self.child.wait().await;
                None
            }
        }
    }

    fn stderr(&self) -> String {
        let bytes = self.stderr.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// ": <last stderr line>", or nothing when rsh said nothing.
    fn stderr_note(&self) -> String {
        match last_line(&self.stderr()) {
            "" => String::new(),
            l => format!(": {l}"),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The child itself is killed by kill_on_drop; its stderr reader goes too.
        if let Some(reader) = self.stderr_reader.take() {
            reader.abort();
        }
    }
}

/// Reads `pipe` to its end, keeping its last [`STDERR_KEEP`] bytes in `tail`.
async fn keep_tail(mut pipe: impl AsyncRead + Unpin, tail: Arc<Mutex<Vec<u8>>>) {
    let mut chunk = [0u8; 1024];
    while let Ok(n @ 1..) = pipe.read(&mut chunk).await {
        let Ok(mut t) = tail.lock() else { return };
        t.extend_from_slice(&chunk[..n]);
        let excess = t.len().saturating_sub(STDERR_KEEP);
        t.drain(..excess);
    }
}

/// The last non-empty line of `text`, trimmed.
fn last_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("")
}

/// Explains a start that gave no reply, from rsh's exit status and stderr.
fn classify(status: Option<ExitStatus>, stderr: &str, entry: &HostEntry, dx: &str) -> StartFailure {
    let host = &entry.name;
    let said = last_line(stderr);
    let has = |needles: &[&str]| needles.iter().any(|n| stderr.contains(n));
    let code = status.and_then(|s| s.code());
    let reason = match code {
        // 255 is ssh's own failure; anything else came from the remote command.
        Some(255) if has(&["Permission denied"]) => {
            format!("authentication failed for {host}: {said}")
        }
        Some(255) if has(&["Host key verification failed"]) => {
            format!("host key verification failed for {host}: {said}")
        }
        Some(255)
            if has(&[
                "Could not resolve",
                "No route",
                "Connection refused",
                "timed out",
                "Network is unreachable",
                "Name or service not known",
            ]) =>
        {
            format!("unreachable: {said}")
        }
        Some(127) => format!("no pvmd at {dx} on {host}"),
        Some(126) => format!("no pvmd at {dx} on {host} (not executable)"),
        Some(c) if c != 255 && has(&["not found", "No such file"]) => {
            format!("no pvmd at {dx} on {host}")
        }
        Some(c) if said.is_empty() => format!("pvmd on {host} gave no answer (exit {c})"),
        None if said.is_empty() => format!("pvmd on {host} gave no answer"),
        _ => format!("pvmd on {host} gave no answer: {said}"),
    };
    failure(PvmError::CantStart, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hostfile::Hostfile;
    use std::os::unix::process::ExitStatusExt;

    fn entry(line: &str) -> HostEntry {
        let hf = Hostfile::parse(line, "test").expect("hostfile line");
        hf.hosts.into_iter().next().expect("one host")
    }

    fn rsh(spec: &str) -> Rsh {
        Rsh::new(Some(spec), "/opt/pvm/bin/pvmd".to_string())
    }

    fn exit(code: i32) -> Option<ExitStatus> {
        Some(ExitStatus::from_raw(code << 8))
    }

    #[test]
    fn ssh_gets_batch_mode_and_the_quoted_default_dx() {
        let argv = rsh("ssh").command_line(&entry("h2"));
        assert_eq!(
            argv,
            [
                "ssh",
                "-o",
                "BatchMode=yes",
                "-o",
                "ConnectTimeout=10",
                "-T",
                "-x",
                "h2",
                "/opt/pvm/bin/pvmd --slave"
            ]
        );
    }

    #[test]
    fn pvm_rsh_words_login_and_address_are_used() {
        let argv = rsh("/usr/bin/ssh -F /etc/vc/ssh_config")
            .command_line(&entry("h2 lo=alice ip=10.0.0.2 dx=/my$pvm/it's"));
        assert_eq!(argv[..3], ["/usr/bin/ssh", "-F", "/etc/vc/ssh_config"]);
        assert!(argv.contains(&"BatchMode=yes".to_string()));
        let n = argv.len();
        assert_eq!(argv[n - 4..n - 1], ["-l", "alice", "10.0.0.2"]);
        assert_eq!(argv[n - 1], r"'/my$pvm/it'\''s' --slave");
    }

    #[test]
    fn other_programs_get_no_ssh_options() {
        let argv = rsh("rsh").command_line(&entry("far dx=/usr/sbin/pvmd"));
        assert_eq!(argv, ["rsh", "far", "/usr/sbin/pvmd --slave"]);
        let argv = Rsh::new(Some("  "), "d".into()).command_line(&entry("x"));
        assert_eq!(argv[0], "ssh");
    }

    #[test]
    fn shell_quoting_survives_a_shell() {
        for s in [
            "/plain/path",
            "/with space/x",
            "it's",
            "$HOME/`x`;rm",
            "",
            "a\"b",
        ] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {}", shell_quote(s)))
                .output()
                .expect("sh");
            assert_eq!(String::from_utf8_lossy(&out.stdout), s);
        }
    }

    #[test]
    fn failures_are_classified_for_the_user() {
        let e = entry("h2 dx=/x/pvmd");
        let c = |status, err: &str| classify(status, err, &e, "/x/pvmd");
        let auth = c(exit(255), "root@h2: Permission denied (publickey).\n");
        assert_eq!(auth.code, PvmError::CantStart);
        assert!(
            auth.reason.starts_with("authentication failed for h2"),
            "{auth}"
        );
        for msg in [
            "ssh: Could not resolve hostname h9: Name or service not known",
            "ssh: connect to host 10.1.1.1 port 22: No route to host",
            "ssh: connect to host h2 port 22: Connection refused",
            "ssh: connect to host h2 port 22: Connection timed out",
            "ssh: connect to host h2 port 22: Network is unreachable",
        ] {
            let f = c(exit(255), msg);
            assert_eq!(f.reason, format!("unreachable: {msg}"));
        }
        let missing = c(exit(127), "sh: 1: /x/pvmd: not found");
        assert_eq!(missing.reason, "no pvmd at /x/pvmd on h2");
        let missing = c(exit(2), "bash: /x/pvmd: No such file or directory");
        assert_eq!(missing.reason, "no pvmd at /x/pvmd on h2");
        let f = c(exit(255), "Host key verification failed.");
        assert!(f.reason.starts_with("host key verification failed"), "{f}");
        // ssh's own "No such file" (its config) is not a missing pvmd.
        let f = c(
            exit(255),
            "Can't open user config file x: No such file or directory",
        );
        assert!(f.reason.contains("gave no answer: Can't open"), "{f}");
        let f = c(exit(1), "");
        assert_eq!(f.reason, "pvmd on h2 gave no answer (exit 1)");
        let f = c(None, "");
        assert_eq!(f.reason, "pvmd on h2 gave no answer");
    }

    #[test]
    fn manual_and_password_starts_are_refused_up_front() {
        for so in ["pw", "ms"] {
            let f = check_start_option(&entry(&format!("h2 so={so}"))).unwrap_err();
            assert_eq!(f.code, PvmError::CantStart);
            assert!(f.reason.contains(&format!("so={so}")), "{f}");
        }
        assert!(check_start_option(&entry("h2")).is_ok());
    }

    #[test]
    fn config_and_reply_round_trip_as_json_lines() {
        let config = SlaveConfig {
            version: PROTOCOL_VERSION.to_string(),
            secret: "00ff".into(),
            host: 3,
            name: "h2".into(),
            master: "m".into(),
            ep: Some("/bin:/usr/bin".into()),
            wd: None,
            bx: None,
            sp: 1000,
            pvm_root: Some("/pvm".into()),
        };
        let text = serde_json::to_string(&config).expect("encode");
        assert!(!text.contains('\n'));
        assert_eq!(
            serde_json::from_str::<SlaveConfig>(&text).ok(),
            Some(config)
        );
        let reply = SlaveReply::Ready {
            version: PROTOCOL_VERSION.into(),
            port: 4242,
            arch: "LINUX64".into(),
            dsig: 0x408841,
            hostname: "h2".into(),
        };
        let mut line = serde_json::to_vec(&reply).expect("encode");
        assert_eq!(parse_reply(&line), None, "a line needs its newline");
        line.push(b'\n');
        assert_eq!(parse_reply(&line), Some(reply));
        assert_eq!(parse_reply(b"hello\n"), None);
    }

    #[test]
    fn a_ready_reply_of_another_version_is_refused() {
        let e = entry("h2 ip=10.1.1.2");
        let ok = ready(
            &e,
            PROTOCOL_VERSION.into(),
            7,
            "LINUX64".into(),
            1,
            "x".into(),
        );
        assert_eq!(ok.expect("same version").addr, "10.1.1.2");
        let old = ready(
            &e,
            "pvmd-0.0.1-peer0".into(),
            7,
            "LINUX64".into(),
            1,
            "x".into(),
        );
        assert_eq!(old.unwrap_err().code, PvmError::BadVersion);
    }
}
