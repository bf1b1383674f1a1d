//! pingpong: round-trip time and 1 MB throughput between two tasks.
//!
//! `pingpong [pvmd|direct] [round trips] [1 MB messages]` spawns a copy of itself as an
//! echo task, then measures (1) the mean round trip of an 8-byte message and (2) the
//! throughput of a stream of 1 MB messages, acknowledged at the end, and prints
//! `rtt_us <mean>` and `mbps <MB/s>`. With `direct`, both sides use PvmRouteDirect.
//! The side-by-side comparison with PVM 3.4.6 (benches/pvm-compare) runs a C program
//! that does exactly the same with Debian's libpvm3.

use std::time::Instant;

use anyhow::{bail, Context};
use bytes::Bytes;
use pvm::constants::{PvmDataRaw, PvmRoute, PvmRouteDirect, PvmTaskDefault};
use pvm::{Pvm, Tid};

const PING: i32 = 1;
const BULK: i32 = 2;
const ACK: i32 = 3;
const STOP: i32 = 9;
const MB: usize = 1 << 20;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pvm = Pvm::new();
    let result = match args.first().map(String::as_str) {
        Some("echo") => echo(&pvm, args.get(1).map(String::as_str) == Some("direct")),
        mode => master(&pvm, mode.unwrap_or("pvmd"), &args),
    };
    pvm.exit()?;
    result
}

fn master(pvm: &Pvm, mode: &str, args: &[String]) -> anyhow::Result<()> {
    let direct = match mode {
        "pvmd" => false,
        "direct" => true,
        other => {
            bail!("usage: pingpong [pvmd|direct] [round trips] [1 MB messages] (got {other:?})")
        }
    };
    let reps: usize = args
        .get(1)
        .map_or(Ok(2000), |a| a.parse())
        .context("round trips")?;
    let bulk: usize = args
        .get(2)
        .map_or(Ok(200), |a| a.parse())
        .context("1 MB messages")?;
    if direct {
        pvm.setopt(PvmRoute, PvmRouteDirect)?;
    }
    let spawned = pvm.spawn("pingpong", &["echo", mode], PvmTaskDefault, "", 1)?;
    let peer = spawned
        .tids()
        .next()
        .with_context(|| format!("cannot start the echo task: {:?}", spawned.first_error()))?;
    // Warm up: opens the direct link, faults in the buffers.
    round_trips(pvm, peer, 50)?;
    let t = Instant::now();
    round_trips(pvm, peer, reps)?;
    let rtt = t.elapsed().as_secs_f64() * 1e6 / reps.max(1) as f64;
    let body = Bytes::from(vec![0x5au8; MB]);
    stream(pvm, peer, &body, 5)?;
    let t = Instant::now();
    stream(pvm, peer, &body, bulk)?;
    let mbps = bulk as f64 / t.elapsed().as_secs_f64();
    pvm.send_bytes(peer, STOP, PvmDataRaw, Bytes::new())?;
    println!("rtt_us {rtt:.2}");
    println!("mbps {mbps:.1}");
    Ok(())
}

fn round_trips(pvm: &Pvm, peer: Tid, n: usize) -> anyhow::Result<()> {
    let ping = Bytes::from_static(&[1, 2, 3, 4, 5, 6, 7, 8]);
    for _ in 0..n {
        pvm.send_bytes(peer, PING, PvmDataRaw, ping.clone())?;
        pvm.recv_bytes(peer.raw(), PING)?;
    }
    Ok(())
}

fn stream(pvm: &Pvm, peer: Tid, body: &Bytes, n: usize) -> anyhow::Result<()> {
    for _ in 0..n {
        pvm.send_bytes(peer, BULK, PvmDataRaw, body.clone())?;
    }
    pvm.send_bytes(peer, ACK, PvmDataRaw, Bytes::new())?;
    pvm.recv_bytes(peer.raw(), ACK)?;
    Ok(())
}

fn echo(pvm: &Pvm, direct: bool) -> anyhow::Result<()> {
    if direct {
        pvm.setopt(PvmRoute, PvmRouteDirect)?;
    }
    let parent = pvm
        .parent()
        .context("pingpong echo must be spawned by pingpong")?;
    loop {
        let m = pvm.recv_bytes(parent.raw(), -1)?;
        match m.tag {
            PING | ACK => pvm.send_bytes(parent, m.tag, m.encoding, m.body)?,
            STOP => return Ok(()),
            _ => {}
        }
    }
}
