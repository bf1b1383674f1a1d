//! The `pvm` console: an ordinary PVM task with a prompt.
//!
//! A line goes through [`lexer`] (words), [`alias`] (expansion of the first word) and
//! [`command`] (a typed command or PVM's usage message); the [`session`] runs it against
//! pvmd through the client library ([`cmd`] holds a module per command family) and
//! prints with the layouts of [`mod@format`]. Output of tasks spawned with `spawn ->`
//! arrives as messages ([`pvm::proto::output`]) and is routed per job ([`jobs`]). [`table`] holds
//! the help texts, [`options`] the option names, [`input`] the line reader and
//! [`pvm::daemon`] finds and starts pvmd when none is running.

use pvm::daemon;

pub mod alias;
pub mod cmd;
pub mod command;
pub mod format;
pub mod input;
pub mod jobs;
pub mod lexer;
pub mod options;
pub mod print;
pub mod session;
pub mod table;

use std::path::Path;
use std::time::Duration;

use thiserror::Error;

pub use session::Flow;

/// What the session loop waits for.
#[derive(Debug)]
pub enum Event {
    /// A command line (without its newline).
    Line(String),
    /// End of input: behaves like `quit`.
    Eof,
    /// A message for the console: job output.
    Output(pvm::client::Incoming),
    /// The connection to pvmd broke.
    PvmdGone,
}

/// Why the console could not start.
#[derive(Debug, Error)]
pub enum ConsoleError {
    #[error(transparent)]
    Daemon(#[from] daemon::DaemonError),
    /// Why joining failed, with its cause (print the error's sources too).
    #[error("cannot join the virtual machine")]
    Join(#[from] pvm::client::JoinError),
    #[error("cannot join the virtual machine: {0}")]
    Enroll(#[from] pvm::error::PvmError),
}

/// Runs the console: starts pvmd (with `hostfile`) unless one is running, joins, and
/// reads commands until quit, halt or end of input.
pub fn run(hostfile: Option<&Path>) -> Result<Flow, ConsoleError> {
    // A runtime directory we must not use is said as such, not taken for "no pvmd".
    let started = if daemon::check_running()? {
        print::line("pvmd already running.");
        None
    } else {
        Some(daemon::start_watched(&daemon::locate()?, hostfile)?)
    };
    let session = session::Session::join()?;
    // pvmd answers only once the hostfile's hosts are started: say which could not be.
    if let Some(started) = started {
        for line in started.complaints(Duration::from_millis(100)) {
            print::line(&line);
        }
    }
    Ok(session.run())
}
