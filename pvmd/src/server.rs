//! Starting pvmd: hostfile, runtime directory and lock, listening socket, and the
//! accept loop feeding the daemon's actor.
//!
//! # Starting pvmd from another program
//!
//! pvmd stays in the foreground. Once its socket accepts connections it prints the
//! socket's path on one line of stdout and flushes it: a starter that wants to wait
//! until pvmd is ready reads that line (or polls connecting to the socket). A starter
//! that wants it in the background (the console) detaches it itself (new session,
//! stdio to /dev/null after the ready line). pvmd exits 0 after `halt` or on SIGTERM /
//! SIGINT, having killed its tasks and removed its socket, and exits non-zero with a
//! message on stderr when it cannot start (another pvmd running, unsafe directory,
//! bad hostfile).

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pvm::tid::Tid;
use tokio::net::UnixListener;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use crate::actor::{Daemon, Input};
use crate::cluster::Cluster;
use crate::connection;
use crate::hostfile::{Hostfile, HostfileError};
use crate::hosts::HostTable;
use crate::output::{Log, Outputs};
use crate::peer;
use crate::remote::{Rsh, SlaveConfig};
use crate::rundir::{RunDir, RunDirError};
use crate::spawn::SpawnConfig;

/// How pvmd was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub hostfile: Option<PathBuf>,
    /// `$PVM_TMP`.
    pub pvm_tmp: PathBuf,
}

/// Why pvmd could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Hostfile(#[from] HostfileError),
    #[error(transparent)]
    RunDir(#[from] RunDirError),
    #[error("cannot listen on {path}: {source}")]
    Listen { path: PathBuf, source: io::Error },
    #[error("cannot make the virtual machine's secret: {0}")]
    Random(#[from] pvm::proto::auth::RandomError),
    #[error("{0}")]
    NoMaster(String),
    #[error("pvmd failed: {0}")]
    Crashed(String),
}

/// A pvmd that holds its lock and knows its hosts, not yet listening.
#[derive(Debug)]
pub struct Prepared {
    opts: Options,
    rundir: RunDir,
    hosts: HostTable,
}

/// What a slave pvmd brings from its bootstrap (`crate::bootstrap`): the
/// master's instructions and the TCP port the master will connect to.
#[derive(Debug)]
pub struct SlaveSetup {
    pub config: SlaveConfig,
    pub listener: std::net::TcpListener,
}

impl Prepared {
    /// Where the socket will be.
    pub fn socket(&self) -> &Path {
        &self.rundir.socket
    }
}

/// Reads the hostfile and takes the runtime directory's lock (refusing a second pvmd).
pub fn prepare(opts: Options) -> Result<Prepared, StartError> {
    let hostfile = opts.hostfile.as_deref().map(Hostfile::load).transpose()?;
    let hosts = HostTable::new(hostfile);
    let rundir = RunDir::acquire(&opts.pvm_tmp)?;
    Ok(Prepared {
        opts,
        rundir,
        hosts,
    })
}

/// Takes the runtime directory's lock for a slave pvmd the master is starting: its host
/// table is the one entry the master described.
pub fn prepare_slave(config: &SlaveConfig, pvm_tmp: PathBuf) -> Result<Prepared, StartError> {
    let hosts = HostTable::slave(config);
    let rundir = RunDir::acquire(&pvm_tmp)?;
    Ok(Prepared {
        opts: Options {
            hostfile: None,
            pvm_tmp,
        },
        rundir,
        hosts,
    })
}

/// Listens, starts the hostfile's other hosts (a master) or waits for the master's
/// link (a slave), calls `ready` with the socket path, and serves until halted.
pub async fn serve(
    p: Prepared,
    slave: Option<SlaveSetup>,
    ready: impl FnOnce(&Path),
) -> Result<(), StartError> {
    let Prepared {
        opts,
        rundir,
        hosts,
    } = p;
    let listener = listen(&rundir.socket)?;
    let me: Tid = hosts.local.info.dtid;
    let mut log = Log::open(&rundir.log, me);
    log.line(&format!(
        "pvmd {} on {} ({}) ready",
        env!("CARGO_PKG_VERSION"),
        hosts.local.info.name,
        hosts.local.info.arch
    ));
    let (tx, rx) = mpsc::unbounded_channel();
    let cluster = match slave {
        None => Cluster::master(Rsh::from_env())?,
        Some(setup) => {
            let (secret, stream) = join_master(setup, &mut log).await?;
            Cluster::slave(secret, peer::link::start(1, stream, tx.clone()))
        }
    };
    let o = &hosts.local.opts;
    let spawn = SpawnConfig::new(
        o.ep.as_deref(),
        o.wd.as_deref(),
        o.bx.as_deref(),
        opts.pvm_tmp.clone(),
        rundir.socket.clone(),
    );
    let initial: Vec<String> = hosts.initial().into_iter().map(|e| e.name).collect();
    let daemon = Daemon::new(hosts, Outputs::new(me, log), spawn, cluster, tx.clone());
    let signals = watch_signals(tx.clone());
    let running = tokio::spawn(daemon.run(rx));
    // Connections wait in the socket's backlog until the hostfile's hosts are up, so
    // a console that connects as soon as the socket exists still sees the whole
    // machine in its first `conf`.
    if !initial.is_empty() {
        start_hostfile_hosts(&tx, initial).await;
    }
    let acceptor = tokio::spawn(accept_loop(listener, tx.clone()));
    ready(&rundir.socket);
    let outcome = running.await;
    acceptor.abort();
    if let Some(s) = signals {
        s.abort();
    }
    rundir.remove_socket();
    outcome.map_err(|e| StartError::Crashed(e.to_string()))
}

/// Starts the hostfile's hosts before pvmd says it is ready, so the first `conf` shows
/// the whole machine; a host that cannot start is reported on stderr and the log.
async fn start_hostfile_hosts(tx: &mpsc::UnboundedSender<Input>, names: Vec<String>) {
    let (done, outcome) = tokio::sync::oneshot::channel();
    if tx.send(Input::AddHosts { names, done }).is_err() {
        return;
    }
    if let Ok(results) = outcome.await {
        for (name, result) in results {
            if let Err(e) = result {
                eprintln!("pvmd: cannot add host {name}: {} ({})", e.reason, e.code);
            }
        }
    }
}

/// A slave waits for its master's authenticated connection.
async fn join_master(
    setup: SlaveSetup,
    log: &mut Log,
) -> Result<(Vec<u8>, peer::Authenticated), StartError> {
    let SlaveSetup { config, listener } = setup;
    let secret = pvm::proto::auth::from_hex(&config.secret).ok_or(StartError::NoMaster(
        "the master's secret is not hex".into(),
    ))?;
    let listener = listener
        .set_nonblocking(true)
        .and_then(|()| tokio::net::TcpListener::from_std(listener))
        .map_err(|e| StartError::NoMaster(format!("cannot use the TCP port: {e}")))?;
    let stream = peer::accept_master(listener, &secret, |refused| log.line(refused))
        .await
        .ok_or_else(|| {
            log.line("the master never connected, exiting");
            StartError::NoMaster(format!(
                "the master did not connect within {} s",
                peer::MASTER_WAIT.as_secs()
            ))
        })?;
    log.line(&format!("linked to the master {}", config.master));
    Ok((secret, stream))
}

fn listen(path: &Path) -> Result<UnixListener, StartError> {
    let err = |source| StartError::Listen {
        path: path.to_path_buf(),
        source,
    };
    // We hold the lock, so a socket file left here belongs to a dead pvmd.
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(e)),
    }
    let listener = UnixListener::bind(path).map_err(err)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(err)?;
    Ok(listener)
}

async fn accept_loop(listener: UnixListener, tx: mpsc::UnboundedSender<Input>) {
    let mut next_id = 0u64;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                if !same_user(&stream) {
                    continue;
                }
                next_id += 1;
                let id = next_id;
                let events = tx.clone();
                connection::start(id, stream, tx.clone(), move |conn, writer| {
                    let _ = events.send(Input::Connected(id, conn, writer));
                });
            }
            Err(e) => {
                // Out of descriptors or similar: wait instead of spinning.
                tracing::warn!("accept: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Defence in depth behind the private directory: only our own user (or root, whom
/// nothing stops anyway) may talk to this pvmd.
fn same_user(stream: &tokio::net::UnixStream) -> bool {
    let me = pvm::proto::runtime::uid();
    match stream.peer_cred() {
        Ok(cred) if cred.uid() == me || cred.uid() == 0 => true,
        Ok(cred) => {
            tracing::warn!(uid = cred.uid(), "connection from another user refused");
            false
        }
        Err(e) => {
            tracing::warn!("cannot check the peer of a connection, refused: {e}");
            false
        }
    }
}

/// Registers SIGTERM, SIGINT and SIGHUP handlers now (before pvmd says it is ready, so
/// an early signal cannot kill it uncleanly); the first SIGTERM or SIGINT halts pvmd,
/// SIGHUP is ignored.
fn watch_signals(tx: mpsc::UnboundedSender<Input>) -> Option<tokio::task::JoinHandle<()>> {
    let (Ok(mut term), Ok(mut int), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::warn!("cannot watch SIGTERM/SIGINT/SIGHUP");
        return None;
    };
    Some(tokio::spawn(async move {
        let why = loop {
            tokio::select! {
                _ = term.recv() => break "SIGTERM",
                _ = int.recv() => break "SIGINT",
                // The terminal pvmd was started from went away: the virtual machine
                // outlives it, as PVM's does.
                _ = hup.recv() => tracing::info!("SIGHUP ignored"),
            }
        };
        let _ = tx.send(Input::Shutdown(why));
    }))
}
