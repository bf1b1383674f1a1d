//! Helpers the example and API tests share: running a program to completion with a
//! time limit, and catching children's output in memory.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::common::{Vm, PATIENCE};

/// Kills the child on drop, so a failing test leaves no process behind.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `program` inside the virtual machine and returns its stdout; panics (after
/// killing it) if it fails or runs longer than the harness's patience.
pub fn run(vm: &Vm, program: &Path, args: &[&str]) -> String {
    let child = vm
        .command(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", program.display()));
    let mut guard = Guard(child);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = guard.0.try_wait().expect("wait for program") {
            break status;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{} did not finish in time",
            program.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut o) = guard.0.stdout.take() {
        let _ = o.read_to_string(&mut out);
    }
    if let Some(mut e) = guard.0.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    assert!(
        status.success(),
        "{} failed ({status}); stdout:\n{out}\nstderr:\n{err}",
        program.display()
    );
    out
}

/// An in-memory sink for `catchout`.
#[derive(Clone, Default)]
pub struct CaughtOutput(Arc<Mutex<Vec<u8>>>);

impl CaughtOutput {
    /// A writer into this buffer, to hand to `Pvm::catchout`.
    pub fn sink(&self) -> Box<dyn Write + Send> {
        Box::new(self.clone())
    }

    /// Everything caught so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

impl Write for CaughtOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A task of the virtual machine living in the test process; leaves on drop, so a
/// failing test does not stay a task (a halt would signal the test process).
pub struct Task(pub pvm::Pvm);

impl Task {
    /// Joins `vm` as a new task.
    pub fn join(vm: &Vm) -> Task {
        let pvm = pvm::Pvm::with_socket(vm.socket());
        pvm.mytid().expect("join the virtual machine");
        Task(pvm)
    }
}

impl std::ops::Deref for Task {
    type Target = pvm::Pvm;
    fn deref(&self) -> &pvm::Pvm {
        &self.0
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        let _ = self.0.exit();
    }
}

/// A virtual machine these tests stop themselves: SIGTERM (pvmd halts, ending its
/// tasks) and wait, before the harness's own drop runs. Tasks of the test process must
/// be dropped first (declare them after the machine), so nothing of ours is a task
/// when pvmd halts.
pub struct Machine(pub Vm);

impl Machine {
    pub fn start() -> Machine {
        Machine(Vm::start())
    }
}

impl std::ops::Deref for Machine {
    type Target = Vm;
    fn deref(&self) -> &Vm {
        &self.0
    }
}

impl Drop for Machine {
    fn drop(&mut self) {
        let Some(pid) = self.0.pvmd_pid() else {
            return;
        };
        let pid = nix::unistd::Pid::from_raw(pid as i32);
        if nix::sys::signal::kill(pid, nix::sys::signal::SIGTERM).is_err() {
            return;
        }
        if std::thread::panicking() {
            // No assertions while unwinding; give pvmd a moment to halt.
            std::thread::sleep(std::time::Duration::from_millis(500));
        } else {
            self.0.wait_exit();
        }
    }
}
