//! The task's one socket to its pvmd.
//!
//! Replies, data messages and notifications all come back on the same socket; its
//! reading half belongs to the [`Hub`], where waiting threads read it in turn and sort
//! frames out: a reply fills the slot of the request it answers, a route marker
//! releases a direct link's held messages, collected output goes to the output
//! collector, and everything else is queued in the inbox. When the socket closes (pvmd
//! died or hung up), every waiter gets `PvmSysErr` instead of hanging.
//!
//! Writers share the other half behind a mutex: a frame is written whole before the
//! next one starts, whichever thread sends it.
//!
//! Joining can fail for reasons a user must tell apart (an unsafe runtime directory,
//! no pvmd, a pvmd that refuses us): [`JoinError`] keeps each with its cause; the PVM
//! interface still sees PVM's one code for them, `PvmSysErr`.

use std::io::{self, BufWriter};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use thiserror::Error;
use tracing::debug;

use super::frames::{read_frame_with_fds, write_message};
use super::hub::Hub;
use super::output::OutputCollector;
use crate::error::{PvmError, Result};
use crate::proto::buffering::{size_buffers, WRITE_BUFFER};
use crate::proto::{
    self, runtime, Claim, Frame, Message, Reply, Request, Welcome, FLAG_ROUTE_MARKER,
};
use crate::shm::FdQueue;
use crate::tid::Tid;

/// Why a process could not join the virtual machine.
#[derive(Debug, Error)]
pub enum JoinError {
    /// The runtime directory holding pvmd's socket is not ours alone (a symbolic link,
    /// another user's, open to others): nothing in it may be trusted or joined.
    #[error("refusing the runtime directory")]
    UnsafeDir(#[source] io::Error),
    /// No pvmd is running: there is no socket.
    #[error("no pvmd is running (no socket at {})", path.display())]
    NoSocket { path: PathBuf, source: io::Error },
    /// No pvmd is running: the socket is left over from one that died.
    #[error("no pvmd is running (nothing listens at {})", path.display())]
    NotListening { path: PathBuf, source: io::Error },
    /// The socket is there but cannot be used.
    #[error("cannot reach pvmd at {}", path.display())]
    Unreachable { path: PathBuf, source: io::Error },
    /// pvmd answered our hello with an error, saying why.
    #[error("pvmd refused us: {detail} ({code})")]
    Refused { code: PvmError, detail: String },
    /// The conversation with pvmd broke while joining.
    #[error("joining pvmd failed")]
    Stream(#[source] proto::StreamError),
    /// pvmd answered our hello with something else than a welcome.
    #[error("pvmd answered our hello with {0}")]
    Unexpected(String),
    /// This process cannot read its connection (no thread, no descriptor).
    #[error("cannot read from pvmd")]
    Local(#[source] io::Error),
}

impl JoinError {
    /// True when the cause is that no pvmd runs, so starting one is the remedy; false
    /// for every other cause, which starting a pvmd would not cure (or would hide).
    pub fn no_daemon(&self) -> bool {
        match self {
            JoinError::NoSocket { .. } | JoinError::NotListening { .. } => true,
            JoinError::UnsafeDir(_)
            | JoinError::Unreachable { .. }
            | JoinError::Refused { .. }
            | JoinError::Stream(_)
            | JoinError::Unexpected(_)
            | JoinError::Local(_) => false,
        }
    }

    /// The PVM code for this failure, as PVM 3.4 reports a task that cannot enroll.
    pub fn code(&self) -> PvmError {
        match self {
            JoinError::Refused { code, .. } => *code,
            JoinError::Local(_) => PvmError::OutOfRes,
            JoinError::UnsafeDir(_)
            | JoinError::NoSocket { .. }
            | JoinError::NotListening { .. }
            | JoinError::Unreachable { .. }
            | JoinError::Stream(_)
            | JoinError::Unexpected(_) => PvmError::SysErr,
        }
    }
}

impl From<JoinError> for PvmError {
    fn from(e: JoinError) -> PvmError {
        debug!("not joined: {e}");
        e.code()
    }
}

/// Connects to the pvmd socket at `path` after checking the directory it lies in,
/// `runtime_dir`, is private to us.
pub fn connect_socket(path: &Path, runtime_dir: &Path) -> Result<UnixStream, JoinError> {
    runtime::check_private_dir(runtime_dir).map_err(|e| match e.kind() {
        // No runtime directory: no pvmd ever started here.
        io::ErrorKind::NotFound => JoinError::NoSocket {
            path: path.to_path_buf(),
            source: e,
        },
        _ => JoinError::UnsafeDir(e),
    })?;
    UnixStream::connect(path).map_err(|source| {
        let path = path.to_path_buf();
        match source.kind() {
            io::ErrorKind::NotFound => JoinError::NoSocket { path, source },
            io::ErrorKind::ConnectionRefused => JoinError::NotListening { path, source },
            _ => JoinError::Unreachable { path, source },
        }
    })
}

/// An open, joined connection to pvmd.
pub struct Connection {
    writer: Mutex<BufWriter<UnixStream>>,
    hub: Arc<Hub>,
    next_id: AtomicU32,
    welcome: Welcome,
    runtime_dir: PathBuf,
}

impl Connection {
    /// Connects to the local pvmd, joins the virtual machine and hands the reading half
    /// to a new [`Hub`] (returned too, for the session's other readers).
    ///
    /// A task pvmd spawned claims the tid it was given; any other process attaches and
    /// gets a fresh tid. `socket` overrides where pvmd is looked for.
    pub fn open(
        socket: Option<PathBuf>,
        output: Arc<OutputCollector>,
    ) -> Result<Connection, JoinError> {
        let path = socket.unwrap_or_else(runtime::socket_path);
        let runtime_dir = path
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(runtime::default_runtime_dir);
        let stream = connect_socket(&path, &runtime_dir)?;
        size_buffers(&stream);
        let read_half = stream.try_clone().map_err(JoinError::Local)?;
        let mut writer = BufWriter::with_capacity(WRITE_BUFFER, stream);
        let hello = Request::Hello {
            pid: std::process::id(),
            name: program_name(),
            claim: claim_from_env(),
        };
        proto::write_frame(&mut writer, &Frame::Request { id: 0, req: hello })
            .map_err(JoinError::Stream)?;
        let mut buf = BytesMut::new();
        let welcome = read_welcome(&read_half, &mut buf)?;
        let hub = Hub::start(read_half, buf, output).map_err(JoinError::Local)?;
        Ok(Connection {
            writer: Mutex::new(writer),
            hub,
            next_id: AtomicU32::new(1),
            welcome,
            runtime_dir,
        })
    }

    /// Where replies and messages from pvmd are read and waited for.
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// What pvmd told us when we joined.
    pub fn welcome(&self) -> &Welcome {
        &self.welcome
    }

    /// The private directory holding pvmd's socket and the tasks' direct sockets.
    pub fn runtime_dir(&self) -> &std::path::Path {
        &self.runtime_dir
    }

    /// Sends a frame to pvmd.
    pub fn send_frame(&self, frame: &Frame) -> Result<()> {
        // pvmd may hold us (see `Hub::sending`): meanwhile we go on receiving.
        let _sending = self.hub.sending();
        let mut w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        write(&mut w, frame)
    }

    /// Sends a message to be routed by pvmd (a large body in shared memory).
    pub fn send_message(&self, msg: Message) -> Result<()> {
        let mut w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        write_message(&mut w, &msg, true).map_err(stream_error)
    }

    /// Sends the marker that tells `dst` our direct link to it is now in use.
    pub fn send_marker(&self, me: Tid, dst: Tid) -> Result<()> {
        self.send_message(Message {
            src: me,
            dst,
            flags: FLAG_ROUTE_MARKER,
            ..Message::default()
        })
    }

    /// Asks pvmd something and waits for its answer; an error reply becomes `Err`.
    pub fn request(&self, req: Request) -> Result<Reply> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.hub.expect_reply(id);
        if let Err(e) = self.send_frame(&Frame::Request { id, req }) {
            self.hub.forget_reply(id);
            return Err(e);
        }
        match self.hub.wait_reply(id)? {
            Reply::Error { code, detail } => {
                debug!("pvmd answered error {code}: {detail}");
                Err(PvmError::from_code(code).unwrap_or(PvmError::DSysErr))
            }
            reply => Ok(reply),
        }
    }

    /// Leaves the virtual machine: pvmd forgets us and closes the connection. Waits (a
    /// little) for that close, so that once this returns pvmd no longer counts us as a
    /// task: a halt right after must not signal a process that already left.
    pub fn exit(&self) {
        let sent = self.send_frame(&Frame::Request {
            id: 0,
            req: Request::Exit {},
        });
        if sent.is_ok() && !self.hub.wait_closed(Instant::now() + EXIT_GRACE) {
            debug!("pvmd did not close the connection after exit");
        }
        let w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let _ = w.get_ref().shutdown(std::net::Shutdown::Both);
    }
}

impl Drop for Connection {
    /// A handle dropped without `exit`: hang up, so pvmd sees the task leave now rather
    /// than when the process exits, and stop the hub's background reader.
    fn drop(&mut self) {
        let w = self.writer.get_mut().unwrap_or_else(|p| p.into_inner());
        let _ = w.get_ref().shutdown(std::net::Shutdown::Both);
        self.hub.stop();
    }
}

/// How long `exit` waits for pvmd to acknowledge by closing the connection.
const EXIT_GRACE: Duration = Duration::from_secs(5);

/// pvmd's answer to our hello. Nothing else can arrive before it (we are nobody yet),
/// but the messages that waited for us follow it at once, and one of them may carry a
/// shared body's descriptor: the welcome is read up to its own end and no further, so
/// that descriptor stays in the socket for the hub instead of being dropped by a
/// plain read.
fn read_welcome(stream: &UnixStream, buf: &mut BytesMut) -> Result<Welcome, JoinError> {
    let mut fds = FdQueue::new();
    match read_frame_with_fds(stream, buf, &mut fds).map_err(JoinError::Stream)? {
        Some(Frame::Reply {
            id: 0,
            reply: Reply::Welcome { welcome },
        }) => Ok(welcome),
        Some(Frame::Reply {
            reply: Reply::Error { code, detail },
            ..
        }) => Err(JoinError::Refused {
            code: PvmError::from_code(code).unwrap_or(PvmError::SysErr),
            detail,
        }),
        Some(other) => Err(JoinError::Unexpected(format!("{other:?}"))),
        None => Err(JoinError::Unexpected("a hang-up".into())),
    }
}

fn write(w: &mut BufWriter<UnixStream>, frame: &Frame) -> Result<()> {
    proto::write_frame(w, frame).map_err(stream_error)
}

fn stream_error(e: proto::StreamError) -> PvmError {
    debug!("writing to pvmd failed: {e}");
    match e {
        proto::StreamError::Proto(_) => PvmError::BadParam,
        proto::StreamError::Io(_) => PvmError::SysErr,
    }
}

/// The program's name as PVM shows it in `ps` (the file name of argv[0]).
fn program_name() -> String {
    std::env::args_os()
        .next()
        .map(PathBuf::from)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// The identity pvmd gave us in our environment, if it spawned us.
fn claim_from_env() -> Option<Claim> {
    let tid = std::env::var(runtime::ENV_TID).ok()?;
    let key = std::env::var(runtime::ENV_KEY).ok()?;
    Some(Claim {
        tid: Tid(u32::from_str_radix(tid.trim(), 16).ok()?),
        key: key.trim().parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixListener;
    use std::time::Duration;

    use bytes::Bytes;

    use super::*;
    use crate::client::inbox::Filter;
    use crate::shm;

    /// A pvmd that, before it even reads the hello, has the welcome and then a message
    /// with a shared body (its memfd attached to the message's own first byte) waiting
    /// in the socket, as real pvmd does when messages were sent to a task before it
    /// joined: the client must read both, and map the body.
    #[test]
    fn a_shared_body_right_behind_the_welcome_is_received() {
        let dir = tempfile::tempdir().expect("runtime dir");
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .expect("private runtime dir");
        let path = dir.path().join("pvmd.sock");
        let listener = UnixListener::bind(&path).expect("listen");
        let body = Bytes::from(vec![7_u8; 2 * shm::MIN_BODY]);
        let sent = body.clone();
        let pvmd = std::thread::spawn(move || {
            let (mut sock, _) = listener.accept().expect("accept");
            let welcome = Welcome {
                tid: Tid(0x40002),
                pvmd: Tid(0x40000),
                ..Welcome::default()
            };
            let reply = Reply::Welcome { welcome };
            proto::write_frame(&mut sock, &Frame::Reply { id: 0, reply }).expect("welcome");
            let msg = Message {
                src: Tid(0x40001),
                dst: Tid(0x40002),
                tag: 5,
                body: sent,
                ..Message::default()
            };
            let shared = shm::share(&msg.body).expect("a segment for the body");
            let wire = shared.wire(&msg).expect("frame");
            let n = shm::send_with_fd(sock.as_fd(), &wire, shared.fd()).expect("send");
            std::io::Write::write_all(&mut sock, &wire[n..]).expect("rest");
            shared.commit();
            // Keep the socket open until the client has what it needs.
            let mut hello = BytesMut::new();
            let _ = proto::read_frame(&mut sock, &mut hello);
            std::thread::sleep(Duration::from_secs(30));
        });
        let conn = Connection::open(Some(path), Arc::new(OutputCollector::default()))
            .expect("join the fake pvmd");
        assert_eq!(conn.welcome().tid, Tid(0x40002));
        let deadline = Some(Instant::now() + Duration::from_secs(20));
        let got = conn
            .hub()
            .wait_take(&Filter::from_pvm(-1, 5, 0), deadline)
            .expect("the connection stays open")
            .expect("the message within the limit");
        assert_eq!(got.body, body);
        drop(conn);
        drop(pvmd);
    }
}
