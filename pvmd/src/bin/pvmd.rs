//! `pvmd [hostfile]`: the PVM daemon. See `pvmd::server` for how to start it from
//! another program and how it reports readiness.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use pvmd::server::{self, Options};

/// The PVM daemon: one per user per host.
#[derive(Debug, Parser)]
#[command(name = "pvmd", version)]
struct Cli {
    /// PVM 3.4 hostfile: the line naming this host sets its ep=, wd=, sp=, bx=; the
    /// other hosts are started over ssh (`&host` lines only when added later).
    hostfile: Option<PathBuf>,
    /// Run as a slave started by a master pvmd: read its instructions on stdin, answer
    /// on stdout, then detach. Not for interactive use.
    #[arg(long, conflicts_with = "hostfile")]
    slave: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PVMD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        // No colour codes in logs that go to a file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        // Once pvmd runs in the background its stderr may be a pipe nobody reads any
        // more (the console that started it exited): a log line must not kill it.
        .log_internal_errors(false)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pvmd: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // A slave forks into the background first, before any thread exists.
    let (prepared, slave) = if cli.slave {
        let boot = pvmd::bootstrap::run()?;
        (boot.prepared, Some(boot.slave))
    } else {
        let opts = Options {
            hostfile: cli.hostfile,
            pvm_tmp: pvm::proto::runtime::pvm_tmp(),
        };
        (server::prepare(opts)?, None)
    };
    // One thread is plenty for a daemon that mostly waits, and keeps its memory small.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(server::serve(prepared, slave, |socket| {
        let mut out = std::io::stdout().lock();
        // The ready line; a starter that stopped reading must not stop pvmd.
        let _ = writeln!(out, "{}", socket.display());
        let _ = out.flush();
    }))?;
    Ok(())
}
