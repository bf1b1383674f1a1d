//! The wire protocol between tasks and their pvmd, and between tasks directly.
//!
//! # Transport
//!
//! A task talks to the pvmd of its host over a Unix stream socket in the user's private
//! runtime directory ([`runtime`]). Both directions carry length-prefixed [`Frame`]s
//! ([`frame`] documents the layout and limits): [`Frame::Data`] carries a PVM message
//! to route, [`Frame::Request`]/[`Frame::Reply`] carry control messages ([`control`])
//! matched by a request id, [`Frame::Close`] explains why the sender is hanging up.
//! [`decode`] works on a `BytesMut` and never blocks, so the blocking client (std
//! sockets, see [`read_frame`]/[`write_frame`]) and the async daemon (tokio) share it.
//! Over TCP (links between pvmds, direct routes between hosts) the same frames travel
//! sealed after an authentication exchange ([`auth`], [`seal`]).
//!
//! # Joining
//!
//! The first frame a task sends is a `Hello` request. pvmd gives the tasks it spawns
//! their identity through the environment ([`runtime::ENV_SOCKET`], [`runtime::ENV_TID`],
//! [`runtime::ENV_KEY`]): such a task claims its tid with the key. A task started from a
//! shell (or the console) sends no claim and is given a fresh tid.
//!
//! # Messages from pvmd
//!
//! Notifications (`pvm_notify`) and collected output are ordinary data frames whose
//! source is the pvmd's tid, with the subscriber's tag and context, packed with
//! PvmDataDefault (XDR). A notification's body is one int: the tid that exited, or the
//! pvmd tid of the host deleted/added. Output messages follow PVM's catchout format:
//! int tid, int count, then `count` bytes of text (padded to 4) for count > 0; count -1
//! announces a new task (BEGIN) and is followed by one more int, its parent's tid;
//! count 0 is its end (END, after its last output). [`output`] is its one codec.
//!
//! # Message order and direct routes
//!
//! Messages between two tasks arrive in the order sent, whatever the route. A stream
//! socket is ordered and pvmd forwards each connection's frames in arrival order, so the
//! pvmd route keeps order by itself. A task may accept direct routes: it listens on its
//! own Unix socket in the runtime directory and registers it (`RegisterDirect`); a peer
//! looks it up (`LookupDirect`), connects and sends [`Frame::DirectHello`] first.
//! When a sender switches a destination from the pvmd route to the direct one in the
//! middle of a stream, it sends one last message through pvmd with
//! [`FLAG_ROUTE_MARKER`] set and only then starts writing on the direct socket. The
//! receiver buffers what arrives on the direct socket from that sender until the marker
//! arrives through pvmd: every message sent before the switch came through pvmd ahead of
//! the marker, every later one comes on the direct socket after it, so the merged
//! sequence is the sent sequence. The marker itself is never delivered to the user.
//!
//! # Room to grow
//!
//! pvmd-to-pvmd links use frame kinds 0x10-0x1f ([`frame::KIND_PEER_RESERVED`]; see
//! [`peer`]) and reuse data frames unchanged for routed messages; group operations are
//! control messages ([`control::GroupOp`]). Control enums only ever gain
//! variants with new codes, so old codes keep their meaning.

pub mod auth;
pub mod buffering;
pub mod consts;
pub mod control;
pub mod frame;
pub mod output;
pub mod peer;
pub mod runtime;
pub mod seal;
pub mod wire;

pub use control::{
    Claim, GroupOp, HostInfo, MboxClass, Redirect, Reply, Request, SpawnRequest, TaskInfo, TaskOpt,
    Welcome,
};
pub use frame::{
    decode, encode, encode_head, frame_len, read_frame, write_frame, Frame, Message, StreamError,
    FLAG_ROUTE_MARKER, MAX_CONTROL_LEN, MAX_FRAME_LEN,
};

/// Input that is not a valid frame. The connection it came from cannot be trusted to
/// stay in sync and must be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtoError {
    #[error("frame of {len} bytes exceeds the maximum of {max}")]
    TooLarge { len: usize, max: usize },
    #[error("frame of length zero")]
    EmptyFrame,
    #[error("unknown frame kind {0:#04x}")]
    UnknownKind(u8),
    #[error("frame ends in the middle of a field")]
    Truncated,
    #[error("{0} unexpected bytes after the end of the message")]
    TrailingBytes(usize),
    #[error("text field is not valid UTF-8")]
    BadUtf8,
    #[error("invalid {what} code {value}")]
    BadValue { what: &'static str, value: i64 },
    #[error("shared-memory body: {0}")]
    Shared(#[from] crate::shm::ShmError),
    #[error(transparent)]
    Sealed(#[from] seal::SealError),
}
