//! Helpers the example and API tests share: running a program to completion with a
//! time limit, and catching children's output in memory.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::common::{run_with_limit, Vm, PATIENCE};

/// Runs `program` inside the virtual machine and returns its stdout; panics (after
/// killing it) if it fails or runs longer than the harness's patience.
pub fn run(vm: &Vm, program: &Path, args: &[&str]) -> String {
    let out = run_with_limit(vm.command(program).args(args), b"", PATIENCE)
        .unwrap_or_else(|_| panic!("{} did not finish in time", program.display()));
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.success(),
        "{} failed ({}); stdout:\n{stdout}\nstderr:\n{stderr}",
        program.display(),
        out.status
    );
    stdout
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
