//! The virtual machine the master renders on: the user's running one, or, when none
//! runs, a one-host virtual machine the master starts for this render and stops after.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use pvm::{daemon, Pvm};

/// A joined virtual machine; an embedded one is halted when this is dropped.
pub struct Vm {
    pub pvm: Pvm,
    /// The pid of the pvmd this render started, if it started one.
    embedded: Option<u32>,
}

impl Vm {
    /// Joins the user's virtual machine, starting a private one-host machine only when
    /// no pvmd runs. Any other failure (an unsafe runtime directory, a pvmd that
    /// refuses us) is reported with its cause: a second pvmd would not cure it.
    pub fn join() -> Result<Vm> {
        match Pvm::join() {
            Ok(pvm) => Ok(Vm {
                pvm,
                embedded: None,
            }),
            Err(e) if e.no_daemon() => Self::embedded(),
            Err(e) => Err(anyhow::Error::new(e).context("cannot join the virtual machine")),
        }
    }

    fn embedded() -> Result<Vm> {
        let program = daemon::locate()?;
        tracing::info!("no pvmd running; starting {}", program.display());
        let pid = daemon::start(&program, None)?;
        let pvm = Pvm::connect().map_err(|e| anyhow!("cannot join the pvmd just started: {e}"))?;
        Ok(Vm {
            pvm,
            embedded: Some(pid),
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
        let Some(pid) = self.embedded.and_then(|p| i32::try_from(p).ok()) else {
            return;
        };
        // SIGTERM is pvmd's halt: it stops every task it started, then exits. Wait for
        // it, so nothing of this render outlives prender.
        let pid = Pid::from_raw(pid);
        if kill(pid, Signal::SIGTERM).is_err() {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while kill(pid, None).is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
