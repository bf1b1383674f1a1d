//! Messaging benchmarks: round trip of an 8-byte message and throughput of 1 MB
//! messages between two tasks, through pvmd and over a direct route.
//!
//! The benchmark starts its own pvmd (the release build beside this binary, or the one
//! named by `$PVMD`) in a temporary `PVM_TMP`, and stops it when done. Both tasks live
//! in this process: every [`Pvm`] handle joins as a task of its own, so the echo side is
//! a thread with a second handle. Build the daemon first:
//! `cargo build --release -p pvmd && cargo bench -p pvm-benches --bench messaging`.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::thread;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pvm::constants::{PvmDataRaw, PvmRoute, PvmRouteDirect};
use pvm::{Pvm, Tid};

const PING: i32 = 1;
const BULK: i32 = 2;
const ACK: i32 = 3;
const STOP: i32 = 9;
const MB: usize = 1 << 20;

/// A pvmd for the benchmark's lifetime; killed on drop.
struct Daemon {
    child: Child,
    _tmp: tempfile::TempDir,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn pvmd_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PVMD") {
        return Some(PathBuf::from(p));
    }
    // target/<profile>/deps/messaging-* -> target/<profile>/pvmd
    let exe = std::env::current_exe().ok()?;
    let candidate = exe.parent()?.parent()?.join("pvmd");
    candidate.exists().then_some(candidate)
}

fn start_daemon() -> Option<Daemon> {
    let Some(bin) = pvmd_binary() else {
        eprintln!("messaging bench: no pvmd; run `cargo build --release -p pvmd` or set PVMD");
        return None;
    };
    let tmp = tempfile::tempdir().ok()?;
    // Every task this process starts joins the daemon through PVM_TMP.
    std::env::set_var("PVM_TMP", tmp.path());
    let child = Command::new(bin).env("PVM_TMP", tmp.path()).spawn().ok()?;
    let daemon = Daemon { child, _tmp: tmp };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if Pvm::connect().map(|p| p.exit()).is_ok() {
            return Some(daemon);
        }
        thread::sleep(Duration::from_millis(50));
    }
    eprintln!("messaging bench: pvmd did not come up");
    None
}

/// Starts an echo task on a thread: it answers PING and ACK, swallows BULK.
fn start_echo(direct: bool) -> (Tid, thread::JoinHandle<()>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = thread::spawn(move || {
        let pvm = Pvm::new();
        if direct {
            pvm.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
        }
        tx.send(pvm.mytid().expect("echo joins"))
            .expect("report tid");
        while let Ok(m) = pvm.recv_bytes(-1, -1) {
            match m.tag {
                PING | ACK => {
                    let _ = pvm.send_bytes(m.src, m.tag, m.encoding, m.body);
                }
                STOP => break,
                _ => {}
            }
        }
        let _ = pvm.exit();
    });
    (rx.recv().expect("echo tid"), handle)
}

fn bench_route(c: &mut Criterion, direct: bool) {
    let route = if direct { "direct" } else { "pvmd" };
    let (peer, echo) = start_echo(direct);
    let pvm = Pvm::new();
    if direct {
        pvm.setopt(PvmRoute, PvmRouteDirect).expect("setopt");
    }
    let ping = Bytes::from_static(&[1, 2, 3, 4, 5, 6, 7, 8]);
    let mut group = c.benchmark_group(format!("messaging/{route}"));
    group.bench_function("round trip 8 B", |b| {
        b.iter(|| {
            pvm.send_bytes(peer, PING, PvmDataRaw, ping.clone())
                .expect("send");
            pvm.recv_bytes(peer.raw(), PING).expect("recv");
        })
    });
    let body = Bytes::from(vec![0x5au8; MB]);
    group.throughput(Throughput::Bytes(MB as u64));
    group.bench_function("1 MB messages", |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            for _ in 0..iters {
                pvm.send_bytes(peer, BULK, PvmDataRaw, body.clone())
                    .expect("send");
            }
            pvm.send_bytes(peer, ACK, PvmDataRaw, Bytes::new())
                .expect("send");
            pvm.recv_bytes(peer.raw(), ACK).expect("ack");
            t.elapsed()
        })
    });
    group.finish();
    let _ = pvm.send_bytes(peer, STOP, PvmDataRaw, Bytes::new());
    let _ = echo.join();
    let _ = pvm.exit();
}

fn messaging(c: &mut Criterion) {
    let Some(_daemon) = start_daemon() else {
        return;
    };
    bench_route(c, false);
    bench_route(c, true);
}

criterion_group!(benches, messaging);
criterion_main!(benches);
