//! The client API: what a PVM task calls.
//!
//! [`Pvm`] is a cheap, cloneable, thread-safe handle; every call takes `&self` and
//! blocks like PVM's (`recv` waits, `nrecv` does not, `trecv` waits at most its
//! timeout). The task joins the virtual machine on first use, as `pvm_mytid` does in
//! PVM, and leaves with [`Pvm::exit`]; a later call joins again as a new task.
//! [`global`] is the process-wide handle the C ABI wraps, so C and Rust callers in one
//! process are the same task.
//!
//! Inside, a joined task is a [`session::Session`]: the connection to pvmd, the
//! [`hub::Hub`] where waiting threads read pvmd's socket and the direct links in turn
//! (no reader thread stands between a message and its receiver), the direct-route
//! listener and links, and the output collector. The API is split by responsibility:
//! [`messaging`] (send, recv and friends), [`buffers`] (PVM's buffer table calls and
//! typed messages), [`tasks`] (spawn, kill, signals, family),
//! [`info`] (config, tasks, mstat, pstat), [`notify`], [`mailbox`], [`context`],
//! [`options`] (setopt/getopt), [`output`] (catchout), [`groups`] and [`direct`] routes;
//! [`handlers`] decides what every receive takes (message handlers, matching
//! functions), and `readiness` is the descriptor `pvm_getfds` hands out.

pub mod buffers;
pub mod collective;
pub mod context;
pub mod direct;
pub mod groups;
pub mod handlers;
pub mod inbox;
pub mod info;
pub mod lines;
pub mod mailbox;
pub mod messaging;
pub mod notify;
pub mod options;
pub mod output;
pub mod tasks;
pub mod tev;

mod connection;
mod frames;
mod hub;
#[cfg(test)]
mod live_tests;
mod readiness;
mod session;
mod tcp_link;

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::error::{PvmError, Result};
use crate::pack::BufferTable;
use crate::tid::Tid;

pub(crate) use connection::connect_socket;
pub use connection::JoinError;
pub use inbox::Incoming;
pub use options::{Options, Route};
pub use output::OutputCollector;
use session::Session;

/// A handle on this process's PVM task. Clones share the task.
#[derive(Clone, Default)]
pub struct Pvm {
    shared: Arc<Shared>,
}

/// State that outlives a session: options, the current context, message buffers.
#[derive(Default)]
struct Shared {
    session: Mutex<Option<Arc<Session>>>,
    options: Mutex<Options>,
    context: AtomicI32,
    buffers: Mutex<BufferTable>,
    /// Message handlers (`pvm_addmhf`).
    handlers: Mutex<handlers::Handlers>,
    /// The matching function of receives (`pvm_recvf`); `None`: PVM's rule.
    matcher: Mutex<Option<handlers::MatchFn>>,
    /// The buffer the last `probe` made, freed by the next one.
    last_probe: Mutex<i32>,
    /// Trace masks and pending trace events ([`tev`]).
    tev: Mutex<tev::Tev>,
    /// Whether this task's trace mask selects any event: the one check of a call
    /// when tracing is off.
    tev_on: AtomicBool,
    /// The pvmd socket to join, when not the default one (see [`Pvm::with_socket`]).
    socket: Option<PathBuf>,
}

/// The process-wide handle, created on first use (joining happens on the first call
/// that needs pvmd, as in PVM).
pub fn global() -> &'static Pvm {
    static GLOBAL: OnceLock<Pvm> = OnceLock::new();
    GLOBAL.get_or_init(Pvm::new)
}

impl Pvm {
    /// A handle that has not joined yet; the first call that needs pvmd joins.
    pub fn new() -> Pvm {
        Pvm::default()
    }

    /// A handle that will join the pvmd listening at `socket`, instead of the one
    /// `PVM_SOCKET` or `PVM_TMP` name. Lets one process be tasks of several virtual
    /// machines (tests do), without touching the process environment.
    pub fn with_socket(socket: impl Into<PathBuf>) -> Pvm {
        Pvm {
            shared: Arc::new(Shared {
                socket: Some(socket.into()),
                ..Shared::default()
            }),
        }
    }

    /// Joins the virtual machine now (if not yet joined) and returns this task's tid.
    pub fn connect() -> Result<Pvm> {
        let pvm = Pvm::new();
        pvm.mytid()?;
        Ok(pvm)
    }

    /// [`Pvm::connect`], saying why when it fails: no pvmd (see
    /// [`JoinError::no_daemon`]), an unsafe runtime directory, pvmd's refusal...
    pub fn join() -> Result<Pvm, JoinError> {
        let pvm = Pvm::new();
        pvm.join_session()?;
        Ok(pvm)
    }

    /// The joined session, joining first if needed. A session whose pvmd is gone is
    /// still returned: calls on it fail with `PvmSysErr` rather than re-joining behind
    /// the caller's back (PVM does not re-enroll a task whose daemon died).
    fn session(&self) -> Result<Arc<Session>> {
        Ok(self.join_session()?)
    }

    /// [`Pvm::session`] with the cause of a failed join.
    fn join_session(&self) -> Result<Arc<Session>, JoinError> {
        let mut slot = self.lock_session();
        if let Some(s) = slot.as_ref() {
            return Ok(Arc::clone(s));
        }
        let mut options = self.options();
        let s = Arc::new(Session::join(&options, self.shared.socket.clone())?);
        // Children's output and trace go where our parent's did, unless we chose.
        let w = s.welcome();
        if options.output == options::Sink::default() {
            options.output = options::Sink::from(w.output);
        }
        if options.trace == options::Sink::default() {
            options.trace = options::Sink::from(w.trace);
        }
        self.inherit_trace(&mut options, options::Sink::from(w.trace));
        drop(options);
        let me = s.me().raw();
        self.with_buffers(|t| t.set_mytid(me));
        // A spawned task starts in the context its parent spawned it in.
        if let Some(ctx) = std::env::var(tasks::ENV_CONTEXT)
            .ok()
            .and_then(|v| v.parse::<i32>().ok())
            .filter(|_| s.welcome().parent.is_some())
        {
            self.shared.context.store(ctx, Ordering::SeqCst);
        }
        *slot = Some(Arc::clone(&s));
        Ok(s)
    }

    fn lock_session(&self) -> MutexGuard<'_, Option<Arc<Session>>> {
        self.shared
            .session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn options(&self) -> MutexGuard<'_, Options> {
        self.shared
            .options
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// `pvm_mytid`: this task's tid, joining the virtual machine on first use.
    pub fn mytid(&self) -> Result<Tid> {
        Ok(self.session()?.me())
    }

    /// Whether this handle's task has joined (and not exited).
    pub fn is_joined(&self) -> bool {
        self.lock_session().is_some()
    }

    /// `pvm_exit`: leaves the virtual machine. Waits first for caught output of
    /// children still running (see [`Pvm::catchout`]). Queued messages are dropped.
    pub fn exit(&self) -> Result<()> {
        self.trace_flush();
        let Some(s) = self.lock_session().take() else {
            return Ok(());
        };
        s.leave();
        Ok(())
    }

    /// `pvm_getcontext`: the context messages are sent and received in.
    pub fn getcontext(&self) -> i32 {
        self.shared.context.load(Ordering::SeqCst)
    }

    /// The integer form of an error, for callers that report PVM codes.
    pub fn code(r: &Result<impl Sized>) -> i32 {
        match r {
            Ok(_) => 0,
            Err(e) => e.code(),
        }
    }

    /// PvmAutoErr: reports `e` from PVM call `call` (`pvm_recv`) on stderr when the
    /// option is on, and exits the process when it is 2; hands the error back. The
    /// Rust API reports errors through `Result` only; the C ABI, whose callers expect
    /// PVM's automatic messages, calls this on every failure.
    pub fn report(&self, call: &str, e: PvmError) -> PvmError {
        let level = self.options().auto_err;
        if level > 0 {
            let me = self
                .lock_session()
                .as_ref()
                .map(|s| s.me().to_string())
                .unwrap_or_else(|| "pvm".into());
            // A closed stderr loses the report; it must not panic (eprintln! would), as
            // this runs inside C programs' calls.
            let _ = writeln!(std::io::stderr(), "libpvm [{me}]: {call}(): {e}");
            if level > 1 {
                std::process::exit(-e.code());
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handle_is_thread_safe() {
        fn send_sync<T: Send + Sync + Clone>() {}
        send_sync::<Pvm>();
    }

    #[test]
    fn no_pvmd_is_syserr_and_nothing_is_joined() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pvm = Pvm::with_socket(dir.path().join("pvmd.sock"));
        assert_eq!(pvm.mytid(), Err(PvmError::SysErr));
        assert!(!pvm.is_joined());
        assert_eq!(pvm.exit(), Ok(()), "exit without joining is harmless");
        // Calls that need no daemon still work, as in PVM.
        assert_eq!(pvm.setopt(crate::constants::PvmRoute, 3), Ok(2));
        assert_eq!(pvm.getcontext(), 0);
        let id = pvm
            .initsend(crate::constants::PvmDataDefault)
            .expect("initsend");
        assert_eq!(pvm.getsbuf(), id);
    }
}
