//! flood: a flood of messages to a task that does not receive yet, while another pair
//! of tasks ping-pongs; then the receiver reads and checks everything.
//!
//! `flood [count] [size] [sink host] [sender host] [ping host] [echo host] [round trips]`
//! (hosts: `-` for anywhere) spawns four copies of itself:
//!
//! - a sink, which waits for SIGUSR1 without calling PVM (so it reads nothing), then
//!   receives `count` messages and checks that each came in order and intact (its body
//!   is a function of its sequence number);
//! - a sender, which sends the sink `count` messages of `size` bytes as fast as it can,
//!   telling us every 1000 (those notes queue behind its messages, so they come only
//!   as far as pvmd reads it);
//! - a ping and an echo task, which measure round trips of 8 bytes through pvmd.
//!
//! It measures the round trip before the flood (`rtt_before_us`) and from when the
//! sender is 5000 messages into it (`rtt_during_us`), waits until the sender's notes
//! stop (it is held: `held yes at <sent>`) or its last one came (`held no`), measures
//! again (`rtt_stopped_us`), then signals the sink and waits for both ends. Also prints
//! `flood_s` (the sender's time), `drain_s` (from the signal to the end) and `sink ok
//! <count> <checksum>`; exits non-zero if the sink found anything wrong.
//! Through pvmd only (no direct routes). The twin of `benches/flood-compare/flood.c`.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use bytes::Bytes;
use nix::sys::signal::{SigSet, Signal};
use pvm::constants::{PvmDataRaw, PvmTaskDefault, PvmTaskHost};
use pvm::{Pvm, Tid};

const DATA: i32 = 1;
const PROGRESS: i32 = 2;
const DONE: i32 = 3;
const RESULT: i32 = 4;
const GO: i32 = 5;
const PING: i32 = 6;
const RTT: i32 = 7;
const STOP: i32 = 9;
/// The sender is this far into the flood before the second round trips start.
const INTO_FLOOD: u64 = 5000;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("sink") {
        // Before any thread exists, so every thread of ours leaves SIGUSR1 to sigwait.
        let mut usr1 = SigSet::empty();
        usr1.add(Signal::SIGUSR1);
        usr1.thread_block().context("block SIGUSR1")?;
    }
    let pvm = Pvm::new();
    let result = match args.first().map(String::as_str) {
        Some("sink") => sink(&pvm, &args[1..]),
        Some("send") => send(&pvm, &args[1..]),
        Some("ping") => ping(&pvm, &args[1..]),
        Some("echo") => echo(&pvm),
        _ => control(&pvm, &args),
    };
    pvm.exit()?;
    result
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> anyhow::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match args.get(i) {
        Some(a) => a.parse().with_context(|| format!("argument {a:?}")),
        None => Ok(default),
    }
}

/// The body of message `seq`: `size` bytes that depend on `seq` (xorshift), the
/// sequence number first.
fn body(seq: u64, size: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(size + 8);
    let mut x = seq.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    b.extend_from_slice(&seq.to_be_bytes());
    while b.len() < size {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b.extend_from_slice(&x.to_le_bytes());
    }
    b.truncate(size);
    b
}

/// FNV-1a over `data`, continuing from `h`.
fn fnv(mut h: u64, data: &[u8]) -> u64 {
    for &byte in data {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn text(s: String) -> Bytes {
    Bytes::from(s.into_bytes())
}

fn spawn_one(pvm: &Pvm, args: &[&str], host: &str) -> anyhow::Result<Tid> {
    let (flag, host) = match host {
        "-" | "" => (PvmTaskDefault, ""),
        h => (PvmTaskHost, h),
    };
    let spawned = pvm.spawn("flood", args, flag, host, 1)?;
    let tid = spawned.tids().next();
    tid.with_context(|| format!("cannot spawn flood {args:?}: {:?}", spawned.first_error()))
}

fn recv_text(pvm: &Pvm, src: Tid, tag: i32) -> anyhow::Result<String> {
    let m = pvm.recv_bytes(src.raw(), tag)?;
    Ok(String::from_utf8_lossy(&m.body).into_owned())
}

fn control(pvm: &Pvm, args: &[String]) -> anyhow::Result<()> {
    let count: u64 = arg(args, 0, 1_000_000)?;
    let size: usize = arg(args, 1, 1024)?;
    let host = |i: usize| args.get(i).map_or("-", String::as_str).to_string();
    let (sink_host, send_host, ping_host, echo_host) = (host(2), host(3), host(4), host(5));
    let trips: u64 = arg(args, 6, 2000)?;
    if size < 8 {
        bail!("messages of at least 8 bytes (they carry their sequence number)");
    }
    let echo = spawn_one(pvm, &["echo"], &echo_host)?;
    let echo_arg = echo.raw().to_string();
    let pinger = spawn_one(pvm, &["ping", &echo_arg], &ping_host)?;
    let rtt = |what: &str| -> anyhow::Result<f64> {
        pvm.send_bytes(pinger, GO, PvmDataRaw, text(trips.to_string()))?;
        let us = recv_text(pvm, pinger, RTT)?;
        us.trim()
            .parse()
            .with_context(|| format!("{what} round trip {us:?}"))
    };
    let before = rtt("first")?;
    println!("rtt_before_us {before:.2}");

    let (count_arg, size_arg) = (count.to_string(), size.to_string());
    let sink = spawn_one(pvm, &["sink", &count_arg, &size_arg], &sink_host)?;
    let sink_arg = sink.raw().to_string();
    let sender = spawn_one(pvm, &["send", &sink_arg, &count_arg, &size_arg], &send_host)?;
    let into = INTO_FLOOD.min(count);
    loop {
        let sent: u64 = recv_text(pvm, sender, PROGRESS)?.trim().parse()?;
        if sent >= into {
            break;
        }
    }
    let during = rtt("second")?;
    println!("rtt_during_us {during:.2}");
    // Held: the sender's notes stop coming (for a second) before its last one.
    let mut sent = into;
    while sent < count {
        match pvm.trecv_bytes(sender.raw(), PROGRESS, Duration::from_secs(1))? {
            Some(m) => sent = String::from_utf8_lossy(&m.body).trim().parse()?,
            None => break,
        }
    }
    if sent < count {
        println!("held yes at {sent}");
    } else {
        println!("held no");
    }
    let stopped = rtt("third")?;
    println!("rtt_stopped_us {stopped:.2}");
    let t = Instant::now();
    pvm.sendsig(sink, Signal::SIGUSR1 as i32)?;
    let flood_s = recv_text(pvm, sender, DONE)?;
    let verdict = recv_text(pvm, sink, RESULT)?;
    println!("flood_s {}", flood_s.trim());
    println!("drain_s {:.3}", t.elapsed().as_secs_f64());
    pvm.send_bytes(pinger, STOP, PvmDataRaw, Bytes::new())?;
    pvm.send_bytes(echo, STOP, PvmDataRaw, Bytes::new())?;
    println!("sink {verdict}");
    if !verdict.starts_with("ok ") {
        bail!("the sink found: {verdict}");
    }
    Ok(())
}

fn sink(pvm: &Pvm, args: &[String]) -> anyhow::Result<()> {
    let count: u64 = arg(args, 0, 0)?;
    let size: usize = arg(args, 1, 0)?;
    let parent = pvm
        .parent()
        .context("flood sink must be spawned by flood")?;
    pvm.mytid()?;
    let mut usr1 = SigSet::empty();
    usr1.add(Signal::SIGUSR1);
    usr1.wait().context("wait for SIGUSR1")?;
    let mut sum = FNV_START;
    let mut verdict = None;
    for seq in 0..count {
        let m = pvm.recv_bytes(-1, DATA)?;
        if verdict.is_none() {
            let want = body(seq, size);
            if m.body[..] != want[..] {
                let got = m
                    .body
                    .get(..8)
                    .map(|b| u64::from_be_bytes(b.try_into().unwrap_or([0; 8])));
                verdict = Some(format!(
                    "message {seq} wrong: {} bytes, sequence {got:?}",
                    m.body.len()
                ));
            }
        }
        sum = fnv(sum, &m.body);
    }
    let verdict = verdict.unwrap_or_else(|| format!("ok {count} {sum:016x}"));
    pvm.send_bytes(parent, RESULT, PvmDataRaw, text(verdict))?;
    Ok(())
}

fn send(pvm: &Pvm, args: &[String]) -> anyhow::Result<()> {
    let raw: i32 = arg(args, 0, 0)?;
    let count: u64 = arg(args, 1, 0)?;
    let size: usize = arg(args, 2, 0)?;
    let sink = Tid(raw as u32);
    let parent = pvm
        .parent()
        .context("flood send must be spawned by flood")?;
    let t = Instant::now();
    for seq in 0..count {
        pvm.send_bytes(sink, DATA, PvmDataRaw, Bytes::from(body(seq, size)))?;
        if (seq + 1) % 1000 == 0 {
            pvm.send_bytes(parent, PROGRESS, PvmDataRaw, text((seq + 1).to_string()))?;
        }
    }
    let secs = format!("{:.3}", t.elapsed().as_secs_f64());
    pvm.send_bytes(parent, PROGRESS, PvmDataRaw, text(count.to_string()))?;
    pvm.send_bytes(parent, DONE, PvmDataRaw, text(secs))?;
    Ok(())
}

fn ping(pvm: &Pvm, args: &[String]) -> anyhow::Result<()> {
    let raw: i32 = arg(args, 0, 0)?;
    let echo = Tid(raw as u32);
    let parent = pvm
        .parent()
        .context("flood ping must be spawned by flood")?;
    let payload = Bytes::from_static(&[1, 2, 3, 4, 5, 6, 7, 8]);
    loop {
        let m = pvm.recv_bytes(parent.raw(), -1)?;
        if m.tag == STOP {
            return Ok(());
        }
        let trips: u64 = String::from_utf8_lossy(&m.body).trim().parse()?;
        // Warm up, then measure.
        for _ in 0..20 {
            pvm.send_bytes(echo, PING, PvmDataRaw, payload.clone())?;
            pvm.recv_bytes(echo.raw(), PING)?;
        }
        let t = Instant::now();
        for _ in 0..trips {
            pvm.send_bytes(echo, PING, PvmDataRaw, payload.clone())?;
            pvm.recv_bytes(echo.raw(), PING)?;
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / trips.max(1) as f64;
        pvm.send_bytes(parent, RTT, PvmDataRaw, text(format!("{us:.2}")))?;
    }
}

fn echo(pvm: &Pvm) -> anyhow::Result<()> {
    let parent = pvm
        .parent()
        .context("flood echo must be spawned by flood")?;
    loop {
        let m = pvm.recv_bytes(-1, -1)?;
        match m.tag {
            PING => {
                pvm.send_bytes(m.src, PING, m.encoding, m.body)?;
            }
            STOP if m.src == parent => return Ok(()),
            _ => {}
        }
    }
}
