//! One accepted socket: a reader task that decodes frames and hands them to the daemon,
//! and a writer task that sends what the daemon queues, in order.
//!
//! A frame that cannot be decoded stops the reader at once (the stream cannot be
//! resynchronised); the daemon answers with a `Close` frame and drops the connection,
//! and every other connection keeps being served.

use bytes::BytesMut;
use pvm::proto::{decode, encode_head, frame_len, Frame, ProtoError};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufWriter};
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::UnixStream;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::route::{Conn, ConnId};

/// What a connection reports to the daemon.
#[derive(Debug)]
pub enum ConnEvent {
    Frame(ConnId, Frame),
    BadInput(ConnId, ProtoError),
    Closed(ConnId),
}

/// Starts the reader and writer of a new connection. `register` receives the daemon's
/// handle on it and the writer task (awaited at shutdown so queued frames are flushed)
/// and must pass them on to the daemon; the reader starts only after it returns, so the
/// daemon always learns of a connection before its first frame.
pub fn start<E: From<ConnEvent> + Send + 'static>(
    id: ConnId,
    stream: UnixStream,
    events: mpsc::UnboundedSender<E>,
    register: impl FnOnce(Conn, JoinHandle<()>),
) {
    let (rd, wr) = stream.into_split();
    let (tx, rx) = mpsc::unbounded_channel();
    let (go, gate) = oneshot::channel::<()>();
    let reader = tokio::spawn(async move {
        if gate.await.is_ok() {
            read_loop(id, rd, events).await;
        }
    });
    let writer = tokio::spawn(write_loop(id, wr, rx));
    let conn = Conn {
        tx,
        reader: reader.abort_handle(),
        tid: None,
    };
    register(conn, writer);
    let _ = go.send(());
}

/// How much to ask the socket for when the next frame's size is not known yet.
const READ_CHUNK: usize = 64 * 1024;

async fn read_loop<E: From<ConnEvent>>(
    id: ConnId,
    mut rd: OwnedReadHalf,
    events: mpsc::UnboundedSender<E>,
) {
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    loop {
        loop {
            match decode(&mut buf) {
                Ok(Some(frame)) => {
                    if events.send(ConnEvent::Frame(id, frame).into()).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = events.send(ConnEvent::BadInput(id, e).into());
                    return;
                }
            }
        }
        // A frame whose length is known gets exactly the room it needs, so a large
        // message is read into one buffer without repeated regrowth.
        let want = match frame_len(&buf) {
            Ok(Some(total)) => total.saturating_sub(buf.len()).max(1),
            _ => READ_CHUNK,
        };
        buf.reserve(want);
        match rd.read_buf(&mut buf).await {
            Ok(0) | Err(_) => {
                let _ = events.send(ConnEvent::Closed(id).into());
                return;
            }
            Ok(_) => {}
        }
    }
}

async fn write_loop(id: ConnId, wr: OwnedWriteHalf, mut rx: mpsc::UnboundedReceiver<Frame>) {
    let mut out = BufWriter::with_capacity(64 * 1024, wr);
    let mut head = BytesMut::with_capacity(256);
    while let Some(frame) = rx.recv().await {
        head.clear();
        let body = match encode_head(&frame, &mut head) {
            Ok(body) => body,
            Err(e) => {
                tracing::warn!(conn = id, "frame not sent: {e}");
                continue;
            }
        };
        let mut result = out.write_all(&head).await;
        if let (Ok(()), Some(body)) = (&result, body) {
            result = out.write_all(&body).await;
        }
        // Flush only when nothing else is queued: bursts of small frames share writes.
        if result.is_ok() && rx.is_empty() {
            result = out.flush().await;
        }
        if let Err(e) = result {
            tracing::debug!(conn = id, "peer gone while writing: {e}");
            return;
        }
    }
    let _ = out.flush().await;
    let _ = out.shutdown().await;
}
