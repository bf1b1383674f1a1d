//! Direct task-to-task routes (`PvmRouteDirect`).
//!
//! Every task listens on a Unix socket of its own in the user's private runtime
//! directory and registers it with pvmd; a sender that wants a direct route looks the
//! peer's socket up through pvmd, connects and introduces itself with a
//! [`Frame::DirectHello`]. The receiver answers with its own `DirectHello` to accept, or
//! a [`Frame::Close`] to refuse (it set `PvmDontRoute`). Only after the acceptance does
//! the sender send its route marker through pvmd, behind everything it sent that way,
//! and then write on the link. The receiver holds the link's messages until the marker
//! arrives (see [`super::inbox`]), which keeps order intact across the switch.
//!
//! A link carries one direction only: each side opens its own when it wants one. A peer
//! that refuses or cannot be reached is remembered, and messages to it keep going
//! through pvmd. A peer on another host is reached over TCP instead
//! ([`super::tcp_link`]), after both prove they belong to the same virtual machine;
//! after the handshake such a link carries ordinary data frames, sealed.
//!
//! Between two tasks of the same host the sender also offers a shared ring: its memfd
//! comes with the hello, and the receiver that takes it answers with its wake-up
//! eventfd. Messages then go through the ring ([`crate::shm::channel`]) and the socket
//! only passes segments' descriptors and says when the sender is gone. A receiver that
//! cannot take the ring answers without the eventfd and the link carries frames as
//! before; `PVM_SHM_RING=0` in the sender's environment offers no ring.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::TcpListener;
use std::os::fd::AsFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use tracing::{debug, warn};

use super::frames::{read_frame_with_fds, write_message};
use super::hub::Hub;
use super::tcp_link::{self, Sealed, SealedWrite, TCP_PREFIX};
use crate::error::Result;
use crate::proto::buffering::{size_buffers, WRITE_BUFFER};
use crate::proto::{self, Frame, Message};
use crate::shm::channel::{RingReceiver, RingSender};
use crate::shm::ring::{self, Consumer, Producer};
use crate::shm::{send_with_fd, FdQueue};
use crate::tid::Tid;

/// Where task `tid` listens for direct links, inside the runtime directory `dir`.
pub fn socket_path(dir: &Path, tid: Tid) -> PathBuf {
    dir.join(format!("d{:x}", tid.0))
}

/// The receiving side: a thread that accepts links and, once their handshake is done,
/// hands them to the [`Hub`], where they are read with the task's other sockets.
pub struct Listener {
    path: PathBuf,
    /// The TCP port other hosts' tasks connect to, if listening on one worked.
    tcp_port: Option<u16>,
    accepting: Arc<AtomicBool>,
    stopped: Arc<AtomicBool>,
}

impl Listener {
    /// Starts listening for task `me`: on a Unix socket for tasks of this host, and on
    /// TCP for other hosts' tasks that prove they know `key`. Links are refused while
    /// `accepting` is false.
    pub(super) fn start(
        dir: &Path,
        me: Tid,
        hub: Arc<Hub>,
        accepting: bool,
        key: Bytes,
    ) -> io::Result<Listener> {
        let path = socket_path(dir, me);
        // A leftover from a dead task that had the same tid would make bind fail.
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path)?;
        let accepting = Arc::new(AtomicBool::new(accepting));
        let stopped = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Accept {
            me,
            hub,
            key,
            accepting: Arc::clone(&accepting),
            stopped: Arc::clone(&stopped),
        });
        let unix = Arc::clone(&shared);
        thread::Builder::new()
            .name("pvm-direct-accept".into())
            .spawn(move || unix.run(listener))?;
        // Other hosts are an addition: without a TCP port, they use pvmd.
        let tcp_port = match tcp_link::listen() {
            Ok((tcp, port)) => thread::Builder::new()
                .name("pvm-direct-tcp".into())
                .spawn(move || shared.run_tcp(tcp))
                .map(|_| port)
                .ok(),
            Err(e) => {
                debug!("no TCP listener for direct routes: {e}");
                None
            }
        };
        Ok(Listener {
            path,
            tcp_port,
            accepting,
            stopped,
        })
    }

    /// The TCP port to register with pvmd, if there is one.
    pub fn tcp_port(&self) -> Option<u16> {
        self.tcp_port
    }

    /// The socket's path, to register with pvmd.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether new links are accepted (false under `PvmDontRoute`).
    pub fn set_accepting(&self, on: bool) {
        self.accepting.store(on, Ordering::SeqCst);
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wake the blocked accepts so their threads see the flag and end.
        let _ = UnixStream::connect(&self.path);
        if let Some(port) = self.tcp_port {
            tcp_link::wake(port);
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What the accepting thread needs.
struct Accept {
    me: Tid,
    hub: Arc<Hub>,
    /// What other hosts' tasks must prove they know.
    key: Bytes,
    accepting: Arc<AtomicBool>,
    stopped: Arc<AtomicBool>,
}

impl Accept {
    fn run(self: Arc<Self>, listener: UnixListener) {
        for conn in listener.incoming() {
            if self.stopped.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = conn else { continue };
            if let Err(e) = self.handshake(stream, BytesMut::new()) {
                debug!("direct link handshake failed: {e}");
            }
        }
    }

    /// Accepts other hosts' tasks, one at a time: each must prove it knows the key
    /// within [`tcp_link::TIMEOUT`].
    fn run_tcp(self: Arc<Self>, listener: TcpListener) {
        for conn in listener.incoming() {
            if self.stopped.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = conn else { continue };
            let mut buf = BytesMut::new();
            let result = match tcp_link::accept(stream, &self.key, &mut buf) {
                Ok(Some(link)) => self.handshake_sealed(link),
                Ok(None) => {
                    debug!("direct TCP link refused: the caller does not know our key");
                    Ok(())
                }
                Err(e) => Err(e),
            };
            if let Err(e) = result {
                debug!("direct TCP link handshake failed: {e}");
            }
        }
    }

    /// Answers a new link's hello and hands the link to the hub. A peer that connects
    /// and then says nothing cannot stall us for long. `buf` holds what was read
    /// ahead.
    fn handshake(
        &self,
        mut stream: UnixStream,
        mut buf: BytesMut,
    ) -> std::result::Result<(), proto::StreamError> {
        stream.set_read_timeout(Some(HANDSHAKE_TIMEOUT))?;
        let mut fds = FdQueue::new();
        let Some(Frame::DirectHello { tid: src }) =
            read_frame_with_fds(&stream, &mut buf, &mut fds)?
        else {
            return Ok(());
        };
        if !self.accepting.load(Ordering::SeqCst) {
            let refuse = Frame::Close {
                code: crate::error::PvmError::Denied.code(),
                reason: "task does not accept direct routes".into(),
            };
            proto::write_frame(&mut stream, &refuse)?;
            return Ok(());
        }
        stream.set_read_timeout(None)?;
        let ring = fds.pop().and_then(|fd| match Consumer::open(fd) {
            Ok(c) => Some(c),
            Err(e) => {
                warn!("direct link from {src}: its shared ring is refused ({e}); using the socket");
                None
            }
        });
        // Registered before we answer: the sender sends its marker only after our
        // answer, so the marker can never come before the link is known.
        self.hub.open_link(src);
        let mut answer = BytesMut::new();
        proto::encode(&Frame::DirectHello { tid: self.me }, &mut answer)?;
        let answered = match &ring {
            // Our eventfd with the answer says that we took the ring.
            Some(_) => send_with_fd(stream.as_fd(), &answer, self.hub.ring_wake_fd())
                .and_then(|n| stream.write_all(&answer[n..])),
            None => stream.write_all(&answer),
        };
        if let Err(e) = answered {
            self.hub.close_link(src);
            return Err(e.into());
        }
        match ring {
            Some(c) => match RingReceiver::new(c, stream, &buf) {
                Ok(r) => self.hub.adopt_ring(src, r),
                Err(e) => {
                    warn!("direct link from {src} closed: {e}");
                    self.hub.close_link(src);
                }
            },
            None => self.hub.adopt_link(src, stream, buf),
        }
        Ok(())
    }
}

impl Accept {
    /// [`Accept::handshake`] for a link from another host's task: the hello and our
    /// answer are sealed, and there is no ring.
    fn handshake_sealed(&self, mut link: Sealed) -> std::result::Result<(), proto::StreamError> {
        link.stream.set_read_timeout(Some(HANDSHAKE_TIMEOUT))?;
        let mut plain = BytesMut::new();
        let Some(Frame::DirectHello { tid: src }) = link.read_frame(&mut plain)? else {
            return Ok(());
        };
        if !self.accepting.load(Ordering::SeqCst) {
            let refuse = Frame::Close {
                code: crate::error::PvmError::Denied.code(),
                reason: "task does not accept direct routes".into(),
            };
            return link.write_frame(&refuse);
        }
        link.stream.set_read_timeout(None)?;
        // Registered before we answer, as in `handshake`.
        self.hub.open_link(src);
        if let Err(e) = link.write_frame(&Frame::DirectHello { tid: self.me }) {
            self.hub.close_link(src);
            return Err(e);
        }
        self.hub
            .adopt_sealed_link(src, link.stream, link.inbound, plain);
        Ok(())
    }
}

/// How long an accepted link may take to say who it is.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// An outgoing link's state.
enum Link {
    /// Open; messages go straight to the peer. `local`: a Unix socket (a peer of
    /// this host), over which large bodies go in shared memory.
    Open {
        out: io::BufWriter<UnixStream>,
        local: bool,
    },
    /// Open to another host's task: sealed over TCP.
    Sealed(Box<SealedWrite>),
    /// Open through a shared ring (a peer of this host that took it).
    Ring(Box<RingSender>),
    /// The peer has no direct socket registered (yet: a task just spawned registers it
    /// a moment after its parent's first send). Use pvmd, and look again once `retry`
    /// has come, waiting twice as long after every miss.
    NotYet { retry: Instant, wait: Duration },
    /// Not possible (refused, unreachable, broken): use pvmd.
    Unavailable,
}

/// The first pause before looking a peer's direct socket up again.
const FIRST_RETRY: Duration = Duration::from_millis(1);
/// The longest pause between look-ups: a peer that never registers costs one pvmd
/// request per this period at most.
const MAX_RETRY: Duration = Duration::from_secs(2);

/// How an attempt to open a link ended.
enum Opened {
    /// Connected; `local` as in [`Link::Open`].
    Stream(UnixStream, bool),
    /// Connected, and the peer took our ring.
    Ring(Box<RingSender>),
    /// Connected to another host's task, sealed.
    Sealed(Box<SealedWrite>),
    /// The peer has no registered socket.
    NotRegistered,
    /// The peer refused or could not be reached.
    Refused,
}

/// What [`Links::send`] did with a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    /// Delivered over the link.
    Direct,
    /// No link: the caller must send through pvmd.
    ViaPvmd,
}

/// How a link is opened: where the peer listens and how to send the route marker.
/// Both go through pvmd, so the session provides them.
pub trait Opener {
    /// The peer's registered direct socket, if it has one.
    fn lookup(&self, peer: Tid) -> Result<Option<PathBuf>>;
    /// Sends the route marker to `peer` through pvmd.
    fn send_marker(&self, peer: Tid) -> Result<()>;
}

/// The sending side: one link per peer, opened on first use.
pub struct Links {
    me: Tid,
    /// What we prove to other hosts' tasks (see [`super::tcp_link`]).
    key: Bytes,
    links: Mutex<HashMap<Tid, Arc<Mutex<Link>>>>,
}

impl Links {
    /// No links yet, for task `me`, proving `key` to other hosts' tasks.
    pub fn new(me: Tid, key: Bytes) -> Links {
        Links {
            me,
            key,
            links: Mutex::new(HashMap::new()),
        }
    }

    fn has_link(&self, dst: Tid) -> bool {
        self.links
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(&dst)
    }

    fn link(&self, dst: Tid) -> Arc<Mutex<Link>> {
        let mut map = self.links.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(l) = map.get(&dst) {
            return Arc::clone(l);
        }
        let l = Arc::new(Mutex::new(Link::NotYet {
            retry: Instant::now(),
            wait: Duration::ZERO,
        }));
        map.insert(dst, Arc::clone(&l));
        l
    }

    /// Sends `msg` over the link to its destination if one is open. With `may_open`
    /// (the task asked for direct routes), the first message to a peer opens the link.
    ///
    /// An open link is used whatever the routing option says now: switching back to
    /// pvmd while messages are still in flight on the link could reorder them.
    pub fn send(&self, msg: &Message, opener: &dyn Opener, may_open: bool) -> Result<Sent> {
        let dst = msg.dst;
        if dst == self.me || dst.local() == 0 {
            return Ok(Sent::ViaPvmd);
        }
        if !may_open && !self.has_link(dst) {
            return Ok(Sent::ViaPvmd);
        }
        let link = self.link(dst);
        let mut link = link.lock().unwrap_or_else(|p| p.into_inner());
        if let Link::NotYet { retry, wait } = *link {
            if may_open && Instant::now() >= retry {
                *link = match self.open(dst, opener)? {
                    Opened::Stream(stream, local) => {
                        opener.send_marker(dst)?;
                        Link::Open {
                            out: io::BufWriter::with_capacity(WRITE_BUFFER, stream),
                            local,
                        }
                    }
                    Opened::Ring(ring) => {
                        opener.send_marker(dst)?;
                        Link::Ring(ring)
                    }
                    Opened::Sealed(out) => {
                        opener.send_marker(dst)?;
                        Link::Sealed(out)
                    }
                    Opened::NotRegistered => {
                        let wait = (wait * 2).clamp(FIRST_RETRY, MAX_RETRY);
                        Link::NotYet {
                            retry: Instant::now() + wait,
                            wait,
                        }
                    }
                    Opened::Refused => Link::Unavailable,
                };
            }
        }
        let sent = match &mut *link {
            Link::Open { out, local } => write_message(out, msg, *local).map_err(|e| e.to_string()),
            Link::Sealed(out) => out
                .write_frame(&Frame::Data(msg.clone()))
                .map_err(|e| e.to_string()),
            Link::Ring(ring) => ring.send(msg).map_err(|e| e.to_string()),
            Link::NotYet { .. } | Link::Unavailable => return Ok(Sent::ViaPvmd),
        };
        match sent {
            Ok(()) => Ok(Sent::Direct),
            Err(e) => {
                // The peer's end is gone, so it exited: pvmd will say so (or drop it).
                debug!("direct link to {dst} broke: {e}");
                *link = Link::Unavailable;
                Ok(Sent::ViaPvmd)
            }
        }
    }

    /// The peers this task has an open direct link to.
    pub fn open_peers(&self) -> Vec<Tid> {
        let map = self.links.lock().unwrap_or_else(|p| p.into_inner());
        let mut peers: Vec<Tid> = map
            .iter()
            .filter(|(_, l)| {
                matches!(
                    *l.lock().unwrap_or_else(|p| p.into_inner()),
                    Link::Open { .. } | Link::Sealed(_) | Link::Ring(_)
                )
            })
            .map(|(t, _)| *t)
            .collect();
        peers.sort();
        peers
    }

    /// The peers whose open link goes through a shared ring.
    pub fn ring_peers(&self) -> Vec<Tid> {
        let map = self.links.lock().unwrap_or_else(|p| p.into_inner());
        let mut peers: Vec<Tid> = map
            .iter()
            .filter(|(_, l)| matches!(*l.lock().unwrap_or_else(|p| p.into_inner()), Link::Ring(_)))
            .map(|(t, _)| *t)
            .collect();
        peers.sort();
        peers
    }

    fn open(&self, dst: Tid, opener: &dyn Opener) -> Result<Opened> {
        let Some(path) = opener.lookup(dst)? else {
            return Ok(Opened::NotRegistered);
        };
        Ok(match self.handshake(&path, dst) {
            Ok(Some(opened)) => opened,
            Ok(None) => Opened::Refused,
            Err(e) => {
                debug!("no direct link to {dst}: {e}");
                Opened::Refused
            }
        })
    }

    fn handshake(
        &self,
        path: &Path,
        dst: Tid,
    ) -> std::result::Result<Option<Opened>, proto::StreamError> {
        let mut buf = BytesMut::new();
        if let Some(endpoint) = path.to_str().and_then(|p| p.strip_prefix(TCP_PREFIX)) {
            let Some(mut link) = tcp_link::connect(endpoint, &self.key, &mut buf)? else {
                return Ok(None);
            };
            size_buffers(&link.stream);
            link.write_frame(&Frame::DirectHello { tid: self.me })?;
            let mut plain = BytesMut::new();
            return Ok(match link.read_frame(&mut plain)? {
                Some(Frame::DirectHello { tid }) if tid == dst => {
                    Some(Opened::Sealed(Box::new(link.into_writer())))
                }
                _ => None,
            });
        }
        let mut stream = UnixStream::connect(path)?;
        size_buffers(&stream);
        let ring = offer_ring();
        let mut hello = BytesMut::new();
        proto::encode(&Frame::DirectHello { tid: self.me }, &mut hello)?;
        match &ring {
            Some(r) => {
                let n = send_with_fd(stream.as_fd(), &hello, r.fd())?;
                stream.write_all(&hello[n..])?;
            }
            None => stream.write_all(&hello)?,
        }
        let mut fds = FdQueue::new();
        match read_frame_with_fds(&stream, &mut buf, &mut fds)? {
            Some(Frame::DirectHello { tid }) if tid == dst => {}
            _ => return Ok(None),
        }
        Ok(Some(match (ring, fds.pop()) {
            (Some(ring), Some(wake)) => Opened::Ring(Box::new(RingSender::new(ring, stream, wake))),
            _ => Opened::Stream(stream, true),
        }))
    }
}

/// A new ring to offer a peer of this host, unless `PVM_SHM_RING=0` or none can be made.
fn offer_ring() -> Option<Producer> {
    if std::env::var("PVM_SHM_RING").is_ok_and(|v| v.trim() == "0") {
        return None;
    }
    match ring::create(ring::CELLS) {
        Ok(map) => Some(Producer::new(map)),
        Err(e) => {
            debug!("no shared ring for a direct link: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::hub::tests::fake_pvmd;
    use crate::client::inbox::Filter;
    use crate::proto::FLAG_ROUTE_MARKER;
    use bytes::Bytes;
    use std::sync::atomic::AtomicUsize;
    use std::time::{Duration, Instant};

    struct FakePvmd {
        dir: PathBuf,
        markers: AtomicUsize,
    }

    impl Opener for FakePvmd {
        fn lookup(&self, peer: Tid) -> Result<Option<PathBuf>> {
            let p = socket_path(&self.dir, peer);
            Ok(p.exists().then_some(p))
        }
        fn send_marker(&self, _peer: Tid) -> Result<()> {
            self.markers.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    fn key() -> Bytes {
        Bytes::from_static(b"the virtual machine's key")
    }

    /// What pvmd answers for a task of another host: its TCP endpoint.
    struct FakeRemotePvmd {
        endpoint: String,
        markers: AtomicUsize,
    }

    impl Opener for FakeRemotePvmd {
        fn lookup(&self, _peer: Tid) -> Result<Option<PathBuf>> {
            Ok(Some(PathBuf::from(&self.endpoint)))
        }
        fn send_marker(&self, _peer: Tid) -> Result<()> {
            self.markers.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    fn msg(src: Tid, dst: Tid, tag: i32, body: &'static [u8]) -> Message {
        Message {
            src,
            dst,
            tag,
            body: Bytes::from_static(body),
            ..Message::default()
        }
    }

    #[test]
    fn link_keeps_order_behind_marker() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (Tid::new(1, 1), Tid::new(1, 2));
        let (hub, mut pvmd) = fake_pvmd();
        let _listener =
            Listener::start(dir.path(), b, Arc::clone(&hub), true, key()).expect("listen");
        let links = Links::new(a, key());
        let opener = FakePvmd {
            dir: dir.path().into(),
            markers: AtomicUsize::new(0),
        };
        let sent = links
            .send(&msg(a, b, 7, b"direct"), &opener, true)
            .expect("send");
        assert_eq!(sent, Sent::Direct);
        assert_eq!(opener.markers.load(Ordering::SeqCst), 1);
        let any = Filter::from_pvm(-1, -1, 0);
        let soon = Some(Instant::now() + Duration::from_millis(100));
        assert!(
            hub.wait_take(&any, soon).expect("open").is_none(),
            "held until the marker"
        );
        // What a went through pvmd before switching, then its marker.
        proto::write_frame(&mut pvmd, &Frame::Data(msg(a, b, 6, b"via pvmd"))).expect("write");
        let mut marker = msg(a, b, 0, b"");
        marker.flags = FLAG_ROUTE_MARKER;
        proto::write_frame(&mut pvmd, &Frame::Data(marker)).expect("write");
        let deadline = Some(Instant::now() + Duration::from_secs(5));
        let first = hub.wait_take(&any, deadline).expect("open").expect("msg");
        let second = hub.wait_take(&any, deadline).expect("open").expect("msg");
        assert_eq!((first.tag, second.tag), (6, 7));
        assert_eq!(&second.body[..], b"direct");
        assert_eq!(second.src, a);
    }

    #[test]
    fn peer_that_registers_late_gets_its_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (Tid::new(1, 1), Tid::new(1, 2));
        let links = Links::new(a, key());
        let opener = FakePvmd {
            dir: dir.path().into(),
            markers: AtomicUsize::new(0),
        };
        let m = msg(a, b, 1, b"x");
        assert_eq!(links.send(&m, &opener, true), Ok(Sent::ViaPvmd));
        let (hub, _pvmd) = fake_pvmd();
        let _listener = Listener::start(dir.path(), b, hub, true, key()).expect("listen");
        let direct = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(5));
            links.send(&m, &opener, true) == Ok(Sent::Direct)
        });
        assert!(direct, "a later send opens the link");
        assert_eq!(links.open_peers(), [b]);
        assert_eq!(opener.markers.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn refused_or_absent_link_falls_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (Tid::new(1, 1), Tid::new(1, 2));
        let (hub, _pvmd) = fake_pvmd();
        let _listener = Listener::start(dir.path(), b, hub, false, key()).expect("listen");
        let links = Links::new(a, key());
        let opener = FakePvmd {
            dir: dir.path().into(),
            markers: AtomicUsize::new(0),
        };
        assert_eq!(
            links.send(&msg(a, b, 1, b"x"), &opener, true),
            Ok(Sent::ViaPvmd)
        );
        let nobody = Tid::new(1, 9);
        assert_eq!(
            links.send(&msg(a, nobody, 1, b"x"), &opener, true),
            Ok(Sent::ViaPvmd)
        );
        assert_eq!(
            opener.markers.load(Ordering::SeqCst),
            0,
            "no marker without a link"
        );
    }

    /// A man in the middle on a direct TCP link: forwards both ways, flips a byte in
    /// the middle of frame `flip_at` from the connecting side (counting the exchange's
    /// two frames in clear), and says when the listening side closed the link.
    fn tampering_proxy(upstream: u16, flip_at: usize) -> (u16, std::sync::mpsc::Receiver<()>) {
        use std::io::Read;
        use std::net::{Shutdown, TcpListener, TcpStream};
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("proxy");
        let port = listener.local_addr().expect("addr").port();
        let (closed, closed_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let Ok((mut near, _)) = listener.accept() else {
                return;
            };
            let mut far = TcpStream::connect(("127.0.0.1", upstream)).expect("upstream");
            let (mut back_from, mut back_to) = (
                far.try_clone().expect("clone"),
                near.try_clone().expect("clone"),
            );
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut back_from, &mut back_to);
                let _ = closed.send(());
                let _ = back_to.shutdown(Shutdown::Both);
            });
            for index in 0.. {
                let mut frame = vec![0u8; 4];
                if near.read_exact(&mut frame).is_err() {
                    break;
                }
                let len = u32::from_be_bytes([frame[0], frame[1], frame[2], frame[3]]) as usize;
                frame.resize(4 + len, 0);
                if near.read_exact(&mut frame[4..]).is_err() {
                    break;
                }
                if index == flip_at {
                    frame[4 + len / 2] ^= 0x04;
                }
                if far.write_all(&frame).is_err() {
                    break;
                }
            }
            let _ = far.shutdown(Shutdown::Write);
        });
        (port, closed_rx)
    }

    #[test]
    fn an_altered_frame_on_a_tcp_link_closes_it_and_is_not_delivered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (Tid::new(2, 1), Tid::new(1, 2));
        let (hub, mut pvmd) = fake_pvmd();
        let listener =
            Listener::start(dir.path(), b, Arc::clone(&hub), true, key()).expect("listen");
        // Challenge and confirm in clear, then sealed: the hello, message 7, message 8.
        let (port, closed) = tampering_proxy(listener.tcp_port().expect("a TCP port"), 4);
        let opener = FakeRemotePvmd {
            endpoint: format!("{TCP_PREFIX}127.0.0.1:{port}"),
            markers: AtomicUsize::new(0),
        };
        let links = Links::new(a, key());
        assert_eq!(
            links.send(&msg(a, b, 7, b"intact"), &opener, true),
            Ok(Sent::Direct)
        );
        let mut marker = msg(a, b, 0, b"");
        marker.flags = FLAG_ROUTE_MARKER;
        proto::write_frame(&mut pvmd, &Frame::Data(marker)).expect("write");
        let any = Filter::from_pvm(-1, -1, 0);
        let deadline = Some(Instant::now() + Duration::from_secs(5));
        let got = hub.wait_take(&any, deadline).expect("open").expect("msg");
        assert_eq!((got.tag, &got.body[..]), (7, &b"intact"[..]));
        // The sender cannot tell; the receiver refuses the frame and drops the link.
        assert_eq!(
            links.send(&msg(a, b, 8, b"altered on the way"), &opener, true),
            Ok(Sent::Direct)
        );
        let start = Instant::now();
        while closed.try_recv().is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the receiver kept the link"
            );
            let soon = Some(Instant::now() + Duration::from_millis(20));
            let got = hub.wait_take(&any, soon).expect("open");
            assert!(got.is_none(), "delivered: {got:?}");
        }
        let now = Some(Instant::now());
        assert!(hub.wait_take(&any, now).expect("open").is_none());
    }

    #[test]
    fn a_task_of_another_host_links_over_tcp_with_the_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (Tid::new(2, 1), Tid::new(1, 2));
        let (hub, mut pvmd) = fake_pvmd();
        let listener =
            Listener::start(dir.path(), b, Arc::clone(&hub), true, key()).expect("listen");
        let port = listener.tcp_port().expect("a TCP port");
        let opener = FakeRemotePvmd {
            endpoint: format!("{TCP_PREFIX}127.0.0.1:{port}"),
            markers: AtomicUsize::new(0),
        };
        let stranger = Links::new(a, Bytes::from_static(b"another machine's key"));
        assert_eq!(
            stranger.send(&msg(a, b, 1, b"x"), &opener, true),
            Ok(Sent::ViaPvmd),
            "a task that does not know the key gets no link"
        );
        let links = Links::new(a, key());
        let sent = links.send(&msg(a, b, 7, b"over tcp"), &opener, true);
        assert_eq!(sent, Ok(Sent::Direct));
        let mut marker = msg(a, b, 0, b"");
        marker.flags = FLAG_ROUTE_MARKER;
        proto::write_frame(&mut pvmd, &Frame::Data(marker)).expect("write");
        let any = Filter::from_pvm(-1, -1, 0);
        let deadline = Some(Instant::now() + Duration::from_secs(5));
        let got = hub.wait_take(&any, deadline).expect("open").expect("msg");
        assert_eq!((got.tag, &got.body[..], got.src), (7, &b"over tcp"[..], a));
        // Large bodies cross in many sealed frames, small ones around them keep order.
        let large = |seed: u8| {
            Bytes::from(
                (0..(1usize << 20) + 3)
                    .map(|i| (i as u8).wrapping_mul(31) ^ (i >> 11) as u8 ^ seed)
                    .collect::<Vec<_>>(),
            )
        };
        for round in 0..3u8 {
            let mut m = msg(a, b, 8, b"");
            m.body = large(round);
            assert_eq!(links.send(&m, &opener, true), Ok(Sent::Direct));
            assert_eq!(
                links.send(&msg(a, b, 9, b"after"), &opener, true),
                Ok(Sent::Direct)
            );
        }
        for round in 0..3u8 {
            let got = hub.wait_take(&any, deadline).expect("open").expect("large");
            assert_eq!(got.tag, 8);
            assert!(
                got.body == large(round),
                "round {round}: changed on the way"
            );
            let got = hub.wait_take(&any, deadline).expect("open").expect("small");
            assert_eq!((got.tag, &got.body[..]), (9, &b"after"[..]));
        }
    }
}
