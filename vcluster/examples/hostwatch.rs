//! hostwatch: a PVM task for the cluster tests that watches one host fail.
//!
//! `hostwatch HOST` starts a sleeping copy of itself on HOST (`hostwatch sleep`), asks
//! for `PvmHostDelete` on HOST's pvmd and `PvmTaskExit` on the sleeper, prints
//! `watching HOST tD sleeper tS`, then prints each notification as it arrives
//! (`host-delete tD`, `task-exit tS`) and `done` once both came (or `timeout` after
//! 60 s). The body of a notification is the tid concerned, so what it prints is what
//! pvmd sent, not what it expected.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use pvm::constants::{PvmHostDelete, PvmTaskExit, PvmTaskHost};
use pvm::{Pvm, Tid};

const HOST_DELETE: i32 = 11;
const TASK_EXIT: i32 = 12;
const LIMIT: Duration = Duration::from_secs(60);

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pvm = Pvm::new();
    pvm.mytid()?;
    let result = match args.first().map(String::as_str) {
        Some("sleep") => {
            std::thread::sleep(LIMIT * 2);
            Ok(())
        }
        Some(host) => watch(&pvm, host),
        None => bail!("usage: hostwatch HOST"),
    };
    pvm.exit()?;
    result
}

fn watch(pvm: &Pvm, host: &str) -> anyhow::Result<()> {
    let dtid = pvm
        .config()?
        .into_iter()
        .find(|h| h.name == host)
        .with_context(|| format!("no host {host} in the virtual machine"))?
        .dtid;
    let sleeper = pvm
        .spawn("hostwatch", &["sleep"], PvmTaskHost, host, 1)?
        .tids()
        .next()
        .with_context(|| format!("cannot start a sleeper on {host}"))?;
    pvm.notify(PvmHostDelete, HOST_DELETE, &[dtid])?;
    pvm.notify(PvmTaskExit, TASK_EXIT, &[sleeper])?;
    println!("watching {host} {dtid} sleeper {sleeper}");
    std::io::stdout().flush()?;
    let (mut host_gone, mut task_gone) = (false, false);
    let deadline = Instant::now() + LIMIT;
    while !(host_gone && task_gone) {
        let left = deadline.saturating_duration_since(Instant::now());
        if pvm.trecv(-1, -1, left)?.is_none() {
            println!("timeout");
            return Ok(());
        }
        let tag = pvm.bufinfo(pvm.getrbuf())?.tag;
        let who: i32 = pvm.unpack()?;
        let who = Tid::from_raw(who).map_or(format!("bad tid {who}"), |t| t.to_string());
        match tag {
            HOST_DELETE => {
                host_gone = true;
                println!("host-delete {who}");
            }
            TASK_EXIT => {
                task_gone = true;
                println!("task-exit {who}");
            }
            other => println!("unexpected tag {other} about {who}"),
        }
        std::io::stdout().flush()?;
    }
    println!("done");
    Ok(())
}
