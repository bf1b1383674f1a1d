//! Running the system tools vcluster drives (`ip`, `ssh-keygen`, `sshd`), with errors
//! that say which command failed and what it printed.

use std::ffi::OsStr;
use std::process::{Command, Output};

/// A system command that did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot run `{cmd}`: {source} (is the package that provides it installed?)")]
    Spawn {
        cmd: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{cmd}` failed ({status}): {stderr}")]
    Failed {
        cmd: String,
        status: String,
        stderr: String,
    },
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `program args...`, returning its output; a non-zero exit is an error.
pub fn run<I, S>(program: &str, args: I) -> Result<Output, RunError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(program);
    cmd.args(args);
    output(&mut cmd)
}

/// Runs a prepared command, returning its output; a non-zero exit is an error.
pub fn output(cmd: &mut Command) -> Result<Output, RunError> {
    let out = cmd.output().map_err(|source| RunError::Spawn {
        cmd: describe(cmd),
        source,
    })?;
    checked(cmd, out)
}

/// `out` of `cmd` when it exited successfully, else the failure with its stderr.
fn checked(cmd: &Command, out: Output) -> Result<Output, RunError> {
    if out.status.success() {
        Ok(out)
    } else {
        Err(RunError::Failed {
            cmd: describe(cmd),
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

/// Runs `program args...` and returns its standard output as text.
pub fn stdout<I, S>(program: &str, args: I) -> Result<String, RunError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(program, args).map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// Runs a prepared command with `input` on its standard input, returning its output;
/// a non-zero exit is an error.
pub fn output_with_input(cmd: &mut Command, input: &str) -> Result<Output, RunError> {
    use std::io::Write;
    use std::process::Stdio;
    let spawn_err = |cmd: &Command, source| RunError::Spawn {
        cmd: describe(cmd),
        source,
    };
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_err(cmd, e))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that exits early closes its input; its status says why.
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().map_err(|e| spawn_err(cmd, e))?;
    checked(cmd, out)
}
