//! The virtual machine the master renders on: the user's running one, or, when none
//! runs, a one-host virtual machine the master starts for this render and stops after.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use pvm::error::PvmError;
use pvm::Pvm;

/// PVM's variable naming the daemon program.
const ENV_DPATH: &str = "PVM_DPATH";
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// A joined virtual machine; an embedded one is halted when this is dropped.
pub struct Vm {
    pub pvm: Pvm,
    embedded: Option<Child>,
}

impl Vm {
    /// Joins the user's virtual machine, starting a private one-host machine if no
    /// pvmd answers.
    pub fn join() -> Result<Vm> {
        match Pvm::connect() {
            Ok(pvm) => Ok(Vm {
                pvm,
                embedded: None,
            }),
            Err(PvmError::SysErr) => Self::embedded(),
            Err(e) => Err(anyhow!("cannot join the virtual machine: {e}")),
        }
    }

    fn embedded() -> Result<Vm> {
        let program = locate_pvmd()?;
        tracing::info!("no pvmd running; starting {}", program.display());
        let mut child = Command::new(&program)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {}", program.display()))?;
        let said = child.stderr.take().map(keep_last_lines);
        // pvmd prints its socket path on one line once it accepts connections.
        let stdout = child.stdout.take().context("pvmd's stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = tx.send(BufReader::new(stdout).read_line(&mut line).map(|_| line));
        });
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(Ok(line)) if !line.trim().is_empty() => {}
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                let why = said
                    .map(|s| {
                        s.lock()
                            .map(|l| Vec::from(l.clone()).join("; "))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default();
                // Another render may have started one at the same moment: use it.
                if let Ok(pvm) = Pvm::connect() {
                    return Ok(Vm {
                        pvm,
                        embedded: None,
                    });
                }
                bail!("pvmd did not start: {why}");
            }
        }
        let pvm = Pvm::connect().map_err(|e| anyhow!("cannot join the pvmd just started: {e}"))?;
        Ok(Vm {
            pvm,
            embedded: Some(child),
        })
    }

    /// Whether this render started the virtual machine itself.
    pub fn is_embedded(&self) -> bool {
        self.embedded.is_some()
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        let _ = self.pvm.exit();
        if let Some(mut child) = self.embedded.take() {
            // SIGTERM is pvmd's halt: it stops every task it started, then exits.
            if let Ok(pid) = i32::try_from(child.id()) {
                let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
            }
            let _ = child.wait();
        }
    }
}

/// Our pvmd: `PVM_DPATH`, else the `pvmd` beside this executable — never the first one
/// in PATH, which may be PVM 3.4's own.
fn locate_pvmd() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(ENV_DPATH).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().context("cannot find this executable")?;
    exe.parent()
        .map(|d| d.join("pvmd"))
        .filter(|p| p.is_file())
        .ok_or_else(|| {
            anyhow!(
                "no pvmd is running and none sits beside {}; start one or set {ENV_DPATH}",
                exe.display()
            )
        })
}

/// Drains a daemon's stderr for as long as it runs (so it never blocks on a full pipe),
/// keeping the last lines to explain a failed start.
fn keep_last_lines(source: impl Read + Send + 'static) -> Arc<Mutex<VecDeque<String>>> {
    let lines = Arc::new(Mutex::new(VecDeque::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(source).lines() {
            let Ok(line) = line else { return };
            if let Ok(mut l) = sink.lock() {
                if l.len() == 20 {
                    l.pop_front();
                }
                l.push_back(line);
            }
        }
    });
    lines
}
