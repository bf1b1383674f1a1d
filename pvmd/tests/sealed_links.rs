//! The links between pvmds are sealed: two pvmds on this machine (the slave started
//! through a fake rsh with a PVM_TMP of its own, as in `multihost.rs`) talk through a
//! TCP proxy in this test, which the master is told is the slave's port. A clean proxy
//! passes everything and sees no message in clear; a proxy that flips one byte of one
//! frame after the handshake makes the link close, with the reason in the log.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{Vm, PATIENCE};
use pvm::constants::PvmDataRaw;
use pvm::proto::{Reply, Request};

/// Which way a frame goes through the proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    MasterToSlave,
    SlaveToMaster,
}

/// What the proxy does to the frames it forwards.
#[derive(Debug, Clone, Copy)]
enum Tamper {
    Nothing,
    /// Flips one byte in the middle of the `n`th sealed frame going `way` (the
    /// handshake's own frames, in clear, are not counted).
    Flip {
        way: Way,
        n: usize,
    },
}

/// What went through the proxy.
#[derive(Debug, Default)]
struct Seen {
    /// Every byte from the slave to the master, and the other way.
    to_master: Vec<u8>,
    to_slave: Vec<u8>,
    flipped: bool,
}

/// The handshake's frames in clear: the master's challenge and confirm, the slave's
/// response.
fn clear_frames(way: Way) -> usize {
    match way {
        Way::MasterToSlave => 2,
        Way::SlaveToMaster => 1,
    }
}

/// A man in the middle between the master and its one slave. The slave's real port is
/// in `reply` (its `Ready` line, saved by the fake rsh) once the master connects.
struct Proxy {
    port: u16,
    seen: Arc<Mutex<Seen>>,
}

impl Proxy {
    fn start(reply: PathBuf, tamper: Tamper) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("proxy port");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let shared = Arc::clone(&seen);
        std::thread::spawn(move || {
            let Ok((master, _)) = listener.accept() else {
                return;
            };
            let slave = TcpStream::connect(("127.0.0.1", real_port(&reply))).expect("slave");
            let pump = |from: &TcpStream, to: &TcpStream, way: Way| {
                let (from, to) = (
                    from.try_clone().expect("clone"),
                    to.try_clone().expect("clone"),
                );
                let seen = Arc::clone(&shared);
                std::thread::spawn(move || forward(from, to, way, tamper, &seen))
            };
            let a = pump(&master, &slave, Way::MasterToSlave);
            let b = pump(&slave, &master, Way::SlaveToMaster);
            let _ = (a.join(), b.join());
        });
        Proxy { port, seen }
    }
}

/// The port in the slave's `Ready` line, once the fake rsh saved it.
fn real_port(reply: &Path) -> u16 {
    let start = Instant::now();
    loop {
        if let Ok(line) = std::fs::read_to_string(reply) {
            let at = line.find("\"port\":").expect("a port in the reply") + 7;
            let digits: String = line[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            return digits.parse().expect("port number");
        }
        assert!(start.elapsed() < PATIENCE, "the slave never answered");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Copies length-prefixed frames (the handshake's and then the sealed ones) from
/// `from` to `to`, flipping a byte where `tamper` says; closes `to`'s side at the end.
fn forward(mut from: TcpStream, mut to: TcpStream, way: Way, tamper: Tamper, seen: &Mutex<Seen>) {
    let mut index = 0usize;
    loop {
        let mut prefix = [0u8; 4];
        if from.read_exact(&mut prefix).is_err() {
            break;
        }
        let len = u32::from_be_bytes(prefix) as usize;
        let mut frame = prefix.to_vec();
        frame.resize(4 + len, 0);
        if from.read_exact(&mut frame[4..]).is_err() {
            break;
        }
        let flip = match tamper {
            Tamper::Flip { way: w, n } => w == way && index == clear_frames(way) + n,
            Tamper::Nothing => false,
        };
        if flip {
            frame[4 + len / 2] ^= 0x20;
        }
        index += 1;
        {
            let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
            s.flipped |= flip;
            match way {
                Way::SlaveToMaster => s.to_master.extend_from_slice(&frame),
                Way::MasterToSlave => s.to_slave.extend_from_slice(&frame),
            }
        }
        if to.write_all(&frame).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}

/// A master pvmd whose host `h2` is reached through a proxy.
struct Pair {
    vm: Vm,
    hosts: PathBuf,
    proxy: Proxy,
}

impl Pair {
    fn start(tamper: Tamper) -> Pair {
        let vm = Vm::prepare();
        let hosts = vm.home().join("hosts");
        std::fs::create_dir_all(&hosts).expect("hosts dir");
        let reply = vm.home().join("slave-reply");
        let proxy = Proxy::start(reply.clone(), tamper);
        // The slave runs here with a PVM_TMP of its own; its Ready line is saved for
        // the proxy and reaches the master with the proxy's port instead of its own.
        let rsh = vm.home().join("fake-rsh");
        let script = format!(
            "#!/bin/sh\n\
             for a; do cmd=$a; done\n\
             d=$(mktemp -d '{hosts}/h.XXXXXX')\n\
             PVM_TMP=\"$d\" sh -c \"$cmd\" | {{\n\
             IFS= read -r line || exit 1\n\
             printf '%s\\n' \"$line\" > '{reply}.part' && mv '{reply}.part' '{reply}'\n\
             printf '%s\\n' \"$line\" | sed 's/\"port\":[0-9]*/\"port\":{port}/'\n\
             }}\n",
            hosts = hosts.display(),
            reply = reply.display(),
            port = proxy.port,
        );
        std::fs::write(&rsh, script).expect("write rsh");
        std::fs::set_permissions(&rsh, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let hostfile = vm.home().join("hostfile");
        std::fs::write(
            &hostfile,
            format!("* ep={}\nh2 ip=127.0.0.1\n", vm.bin_dir().display()),
        )
        .expect("hostfile");
        let mut cmd = vm.command(common::pvmd_binary());
        cmd.arg(&hostfile)
            .env("PVM_RSH", &rsh)
            .env("PVMD_LOG", "error")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit());
        let vm = vm.launch(cmd);
        Pair { vm, hosts, proxy }
    }

    /// The slave's runtime directory.
    fn slave_run(&self) -> PathBuf {
        let uid = nix::unistd::getuid().as_raw();
        std::fs::read_dir(&self.hosts)
            .expect("hosts")
            .flatten()
            .map(|d| d.path().join(format!("pvm.{uid}")))
            .find(|run| run.is_dir())
            .expect("the slave's runtime directory")
    }

    fn slave_log(&self) -> String {
        let uid = nix::unistd::getuid().as_raw();
        std::fs::read_to_string(self.slave_run().join(format!("pvml.{uid}"))).unwrap_or_default()
    }

    fn hosts_in_conf(&self) -> usize {
        match self.vm.attach().request(Request::Config {}) {
            Reply::Config { hosts } => hosts.len(),
            other => panic!("config answered {other:?}"),
        }
    }

    fn seen<T>(&self, f: impl FnOnce(&Seen) -> T) -> T {
        f(&self.proxy.seen.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

fn body(seed: u8) -> Bytes {
    Bytes::from(
        (0..(1usize << 20) + 3)
            .map(|i| (i as u8).wrapping_mul(13) ^ (i >> 9) as u8 ^ seed)
            .collect::<Vec<_>>(),
    )
}

#[test]
fn a_clean_proxy_passes_everything_and_sees_nothing_in_clear() {
    let pair = Pair::start(Tamper::Nothing);
    assert_eq!(pair.hosts_in_conf(), 2, "h2 joined through the proxy");
    let here = pvm::Pvm::with_socket(pair.vm.socket());
    let there = pvm::Pvm::with_socket(pair.slave_run().join("pvmd.sock"));
    let (a, b) = (
        here.mytid().expect("join here"),
        there.mytid().expect("join h2"),
    );
    assert_eq!((a.host(), b.host()), (1, 2));
    let marker = b"a small message anyone could read";
    for round in 0..3u8 {
        here.send_bytes(b, 1, PvmDataRaw, Bytes::from_static(marker))
            .expect("send small");
        here.send_bytes(b, 2, PvmDataRaw, body(round))
            .expect("send large");
        let small = there.recv_bytes(a.raw(), 1).expect("small on h2");
        assert_eq!(&small.body[..], marker);
        let large = there.recv_bytes(a.raw(), 2).expect("large on h2");
        assert!(
            large.body == body(round),
            "round {round}: changed on the way"
        );
        there
            .send_bytes(a, 3, PvmDataRaw, large.body)
            .expect("echo");
        let back = here.recv_bytes(b.raw(), 3).expect("back");
        assert!(
            back.body == body(round),
            "round {round}: changed on the way back"
        );
    }
    let (to_slave, to_master) = pair.seen(|s| (s.to_slave.clone(), s.to_master.clone()));
    assert!(
        to_slave.len() > 3 << 20 && to_master.len() > 3 << 20,
        "the traffic went through the proxy"
    );
    let sample = &body(0)[4096..4096 + 64];
    for (way, bytes) in [("to h2", &to_slave), ("to the master", &to_master)] {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker),
            "the small message crossed {way} in clear"
        );
        assert!(
            !bytes.windows(sample.len()).any(|w| w == sample),
            "the large body crossed {way} in clear"
        );
    }
    let _ = here.exit();
    let _ = there.exit();
    assert_eq!(pair.hosts_in_conf(), 2, "the link is still up");
}

#[test]
fn a_byte_flipped_on_the_way_to_the_master_closes_the_link_with_the_reason() {
    let pair = Pair::start(Tamper::Flip {
        way: Way::SlaveToMaster,
        n: 0,
    });
    // The slave's first sealed frame comes at the latest with its first heartbeat.
    pair.vm
        .wait_until("the master drops h2", || pair.hosts_in_conf() == 1);
    assert!(pair.seen(|s| s.flipped), "the proxy flipped nothing");
    let log = pair.vm.log();
    assert!(
        log.contains("deleted: link refused a frame: sealed frame 0 failed authentication"),
        "master's log:\n{log}"
    );
    // The slave loses its master and goes.
    pair.vm.wait_until("the slave halts", || {
        pair.slave_log().contains("lost the master")
    });
}

#[test]
fn a_byte_flipped_on_the_way_to_the_slave_closes_the_link_with_the_reason() {
    let pair = Pair::start(Tamper::Flip {
        way: Way::MasterToSlave,
        n: 0,
    });
    pair.vm.wait_until("the slave refuses the frame", || {
        pair.slave_log().contains("lost the master")
    });
    assert!(pair.seen(|s| s.flipped), "the proxy flipped nothing");
    let log = pair.slave_log();
    assert!(
        log.contains("lost the master (link refused a frame: sealed frame 0 failed authentication"),
        "slave's log:\n{log}"
    );
    pair.vm
        .wait_until("the master drops h2", || pair.hosts_in_conf() == 1);
}
