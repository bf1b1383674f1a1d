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
//! that refuses, is on another host or cannot be reached is remembered, and messages to
//! it keep going through pvmd. After the handshake a link carries ordinary data frames.

use std::collections::HashMap;
use std::io::{self, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use bytes::BytesMut;
use tracing::{debug, warn};

use super::inbox::{Inbox, Incoming};
use crate::error::Result;
use crate::proto::{self, Frame, Message};
use crate::tid::Tid;

/// Where task `tid` listens for direct links, inside the runtime directory `dir`.
pub fn socket_path(dir: &Path, tid: Tid) -> PathBuf {
    dir.join(format!("d{:x}", tid.0))
}

/// The receiving side: a listener thread plus one reader thread per accepted link.
pub struct Listener {
    path: PathBuf,
    accepting: Arc<AtomicBool>,
    stopped: Arc<AtomicBool>,
}

impl Listener {
    /// Starts listening for task `me`. Links are refused while `accepting` is false.
    pub fn start(dir: &Path, me: Tid, inbox: Arc<Inbox>, accepting: bool) -> io::Result<Listener> {
        let path = socket_path(dir, me);
        // A leftover from a dead task that had the same tid would make bind fail.
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path)?;
        let accepting = Arc::new(AtomicBool::new(accepting));
        let stopped = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Accept {
            me,
            inbox,
            accepting: Arc::clone(&accepting),
            stopped: Arc::clone(&stopped),
        });
        thread::Builder::new()
            .name("pvm-direct-accept".into())
            .spawn(move || shared.run(listener))?;
        Ok(Listener {
            path,
            accepting,
            stopped,
        })
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
        // Wake the blocked accept so its thread sees the flag and ends.
        let _ = UnixStream::connect(&self.path);
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What the accepting thread and its link readers share.
struct Accept {
    me: Tid,
    inbox: Arc<Inbox>,
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
            let me = Arc::clone(&self);
            let spawned = thread::Builder::new()
                .name("pvm-direct-link".into())
                .spawn(move || me.serve(stream));
            if let Err(e) = spawned {
                warn!("cannot start a direct link reader: {e}");
            }
        }
    }

    /// Reads one accepted link until its sender closes it.
    fn serve(&self, stream: UnixStream) {
        let mut reader = BufReader::with_capacity(64 * 1024, stream);
        let mut buf = BytesMut::new();
        let src = match self.handshake(&mut reader, &mut buf) {
            Ok(Some(src)) => src,
            Ok(None) => return,
            Err(e) => {
                debug!("direct link handshake failed: {e}");
                return;
            }
        };
        loop {
            match proto::read_frame(&mut reader, &mut buf) {
                Ok(Some(Frame::Data(m))) => self.inbox.push_direct(
                    src,
                    Incoming {
                        src,
                        tag: m.tag,
                        ctx: m.ctx,
                        encoding: m.encoding,
                        body: m.body,
                    },
                ),
                Ok(None) => break,
                Ok(Some(other)) => {
                    debug!("unexpected frame on direct link from {src}: {other:?}");
                    break;
                }
                Err(e) => {
                    debug!("direct link from {src} broke: {e}");
                    break;
                }
            }
        }
        self.inbox.close_link(src);
    }

    fn handshake(
        &self,
        reader: &mut BufReader<UnixStream>,
        buf: &mut BytesMut,
    ) -> std::result::Result<Option<Tid>, proto::StreamError> {
        let Some(Frame::DirectHello { tid: src }) = proto::read_frame(reader, buf)? else {
            return Ok(None);
        };
        let stream = reader.get_mut();
        if !self.accepting.load(Ordering::SeqCst) {
            let refuse = Frame::Close {
                code: crate::error::PvmError::Denied.code(),
                reason: "task does not accept direct routes".into(),
            };
            proto::write_frame(stream, &refuse)?;
            return Ok(None);
        }
        // Registered before we answer: the sender sends its marker only after our
        // answer, so the marker can never come before the link is known.
        self.inbox.open_link(src);
        proto::write_frame(stream, &Frame::DirectHello { tid: self.me })?;
        Ok(Some(src))
    }
}

/// An outgoing link's state.
enum Link {
    /// Open; messages go straight to the peer.
    Open(io::BufWriter<UnixStream>),
    /// Not possible (refused, unreachable, broken): use pvmd.
    Unavailable,
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
    links: Mutex<HashMap<Tid, Arc<Mutex<Link>>>>,
}

impl Links {
    /// No links yet, for task `me`.
    pub fn new(me: Tid) -> Links {
        Links {
            me,
            links: Mutex::new(HashMap::new()),
        }
    }

    fn has_link(&self, dst: Tid) -> bool {
        self.links
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(&dst)
    }

    fn link(&self, dst: Tid) -> (Arc<Mutex<Link>>, bool) {
        let mut map = self.links.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(l) = map.get(&dst) {
            return (Arc::clone(l), false);
        }
        let l = Arc::new(Mutex::new(Link::Unavailable));
        map.insert(dst, Arc::clone(&l));
        (l, true)
    }

    /// Sends `msg` over the link to its destination if one is open. With `may_open`
    /// (the task asked for direct routes), the first message to a peer opens the link.
    ///
    /// An open link is used whatever the routing option says now: switching back to
    /// pvmd while messages are still in flight on the link could reorder them.
    pub fn send(&self, msg: &Message, opener: &dyn Opener, may_open: bool) -> Result<Sent> {
        let dst = msg.dst;
        if dst.host() != self.me.host() || dst == self.me || dst.local() == 0 {
            return Ok(Sent::ViaPvmd);
        }
        if !may_open && !self.has_link(dst) {
            return Ok(Sent::ViaPvmd);
        }
        let (link, fresh) = self.link(dst);
        let mut link = link.lock().unwrap_or_else(|p| p.into_inner());
        if fresh {
            if let Some(stream) = self.open(dst, opener)? {
                opener.send_marker(dst)?;
                *link = Link::Open(io::BufWriter::with_capacity(64 * 1024, stream));
            }
        }
        let Link::Open(stream) = &mut *link else {
            return Ok(Sent::ViaPvmd);
        };
        match proto::write_frame(stream, &Frame::Data(msg.clone())) {
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
            .filter(|(_, l)| matches!(*l.lock().unwrap_or_else(|p| p.into_inner()), Link::Open(_)))
            .map(|(t, _)| *t)
            .collect();
        peers.sort();
        peers
    }

    fn open(&self, dst: Tid, opener: &dyn Opener) -> Result<Option<UnixStream>> {
        let Some(path) = opener.lookup(dst)? else {
            return Ok(None);
        };
        Ok(self.handshake(&path, dst).unwrap_or_else(|e| {
            debug!("no direct link to {dst}: {e}");
            None
        }))
    }

    fn handshake(
        &self,
        path: &Path,
        dst: Tid,
    ) -> std::result::Result<Option<UnixStream>, proto::StreamError> {
        let mut stream = UnixStream::connect(path)?;
        proto::write_frame(&mut stream, &Frame::DirectHello { tid: self.me })?;
        stream.flush()?;
        let mut buf = BytesMut::new();
        match proto::read_frame(&mut stream, &mut buf)? {
            Some(Frame::DirectHello { tid }) if tid == dst => Ok(Some(stream)),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::inbox::Filter;
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
        let inbox = Arc::new(Inbox::new());
        let _listener = Listener::start(dir.path(), b, Arc::clone(&inbox), true).expect("listen");
        let links = Links::new(a);
        let pvmd = FakePvmd {
            dir: dir.path().into(),
            markers: AtomicUsize::new(0),
        };
        let sent = links
            .send(&msg(a, b, 7, b"direct"), &pvmd, true)
            .expect("send");
        assert_eq!(sent, Sent::Direct);
        assert_eq!(pvmd.markers.load(Ordering::SeqCst), 1);
        let any = Filter::from_pvm(-1, -1, 0);
        std::thread::sleep(Duration::from_millis(50));
        assert!(inbox.take(&any).is_none(), "held until the marker");
        inbox.push(Incoming {
            src: a,
            tag: 6,
            ctx: 0,
            encoding: 0,
            body: Bytes::from_static(b"via pvmd"),
        });
        inbox.marker_arrived(a);
        let deadline = Some(Instant::now() + Duration::from_secs(5));
        let first = inbox.wait_take(&any, deadline).expect("open").expect("msg");
        let second = inbox.wait_take(&any, deadline).expect("open").expect("msg");
        assert_eq!((first.tag, second.tag), (6, 7));
        assert_eq!(&second.body[..], b"direct");
    }

    #[test]
    fn refused_or_absent_link_falls_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (Tid::new(1, 1), Tid::new(1, 2));
        let inbox = Arc::new(Inbox::new());
        let _listener = Listener::start(dir.path(), b, inbox, false).expect("listen");
        let links = Links::new(a);
        let pvmd = FakePvmd {
            dir: dir.path().into(),
            markers: AtomicUsize::new(0),
        };
        assert_eq!(
            links.send(&msg(a, b, 1, b"x"), &pvmd, true),
            Ok(Sent::ViaPvmd)
        );
        let nobody = Tid::new(1, 9);
        assert_eq!(
            links.send(&msg(a, nobody, 1, b"x"), &pvmd, true),
            Ok(Sent::ViaPvmd)
        );
        assert_eq!(
            pvmd.markers.load(Ordering::SeqCst),
            0,
            "no marker without a link"
        );
    }
}
