//! Processes of a test: run one to its end within a time limit, tie one's life to the
//! test's.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd` with `input` on its stdin and its output captured, for at most `limit`.
/// A program still running then is killed: `Err` with what it had printed, for the
/// caller's message.
pub fn run_with_limit(cmd: &mut Command, input: &[u8], limit: Duration) -> Result<Output, Output> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {:?}: {e}", cmd.get_program()));
    if let Some(mut stdin) = child.stdin.take() {
        // A program that exits without reading closes the pipe: not an error here.
        let _ = stdin.write_all(input);
    }
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("wait for program").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(child
                .wait_with_output()
                .expect("output of a killed program"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(child.wait_with_output().expect("program output"))
}

/// Makes the process `cmd` starts die with the test thread that starts it, so even a
/// test process killed outright (no destructors run) leaves no pvmd behind; pvmd's
/// tasks die with pvmd the same way.
pub fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: runs in the child between fork and exec and only calls prctl, which is
    // async-signal-safe and touches no memory shared with the parent.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
