//! A renderer run as a child process with a deadline.
//!
//! The child is killed and reaped when it overruns, and when the [`ChildGuard`]
//! is dropped (a failing test, a panic), so no renderer is ever left behind.

use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use crate::Error;

/// How a child ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    Exited(ExitStatus),
    /// Still running at the deadline; it has been killed.
    TimedOut,
}

/// Kills and reaps the child when dropped.
pub struct ChildGuard {
    child: Option<Child>,
    program: String,
}

impl ChildGuard {
    pub fn spawn(cmd: &mut Command) -> Result<Self, Error> {
        let program = cmd.get_program().to_string_lossy().into_owned();
        match cmd.spawn() {
            Ok(child) => Ok(Self {
                child: Some(child),
                program,
            }),
            Err(source) => Err(Error::Spawn { program, source }),
        }
    }

    /// Waits for the child, killing it once `limit` has passed.
    pub fn wait_with_deadline(&mut self, limit: Duration) -> Result<Ending, Error> {
        let start = Instant::now();
        // Polling with a short sleep: std has no wait-with-timeout, and a render
        // takes far longer than the poll interval.
        let mut pause = Duration::from_millis(2);
        loop {
            let Some(child) = self.child.as_mut() else {
                return Err(self.wait_error(std::io::Error::other("child already reaped")));
            };
            match child.try_wait() {
                Ok(Some(status)) => {
                    self.child = None;
                    return Ok(Ending::Exited(status));
                }
                Ok(None) if start.elapsed() > limit => {
                    self.kill();
                    return Ok(Ending::TimedOut);
                }
                Ok(None) => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(25));
                }
                Err(e) => return Err(self.wait_error(e)),
            }
        }
    }

    fn wait_error(&self, source: std::io::Error) -> Error {
        Error::Wait {
            program: self.program.clone(),
            source,
        }
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hung_child_is_killed_at_the_deadline() {
        let mut guard = ChildGuard::spawn(Command::new("sleep").arg("30")).expect("sleep runs");
        let start = Instant::now();
        let ending = guard.wait_with_deadline(Duration::from_millis(200));
        assert!(matches!(ending, Ok(Ending::TimedOut)), "{ending:?}");
        drop(guard);
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the guard must not wait for sleep 30"
        );
    }

    #[test]
    fn a_finished_child_reports_its_status() {
        let mut guard = ChildGuard::spawn(&mut Command::new("false")).expect("false runs");
        match guard.wait_with_deadline(Duration::from_secs(60)) {
            Ok(Ending::Exited(status)) => assert_eq!(status.code(), Some(1)),
            other => panic!("false should exit with 1: {other:?}"),
        }
    }

    #[test]
    fn a_missing_program_is_a_spawn_error() {
        let e = ChildGuard::spawn(&mut Command::new("/nonexistent/renderer")).err();
        assert!(matches!(e, Some(Error::Spawn { .. })), "{e:?}");
    }
}
