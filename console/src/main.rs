//! `pvm [hostfile]`: the PVM console.
//!
//! Starts this user's pvmd if none is running (handing it the hostfile), then reads
//! commands at a `pvm> ` prompt, or from stdin when it is not a terminal.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use pvm_console::Flow;
use tracing_subscriber::EnvFilter;

/// The PVM console.
#[derive(Parser)]
#[command(name = "pvm", version, about)]
struct Args {
    /// Hostfile handed to pvmd when the console has to start it.
    hostfile: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Diagnostics only when asked for: the console's stdout belongs to the user.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("PVM_LOG").unwrap_or_else(|_| EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        // No colour codes in logs that go to a file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match pvm_console::run(args.hostfile.as_deref()) {
        Ok(Flow::Lost) => ExitCode::FAILURE,
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            // The causes too: why joining failed is in the error's sources.
            eprintln!("pvm: {:#}", anyhow::Error::new(e));
            ExitCode::FAILURE
        }
    }
}
