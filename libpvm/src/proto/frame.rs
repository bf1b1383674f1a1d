//! Frames: how bytes on a stream become [`Frame`]s and back.
//!
//! ```text
//! u32 len   big-endian, bytes that follow (kind + payload), 1 ..= MAX_FRAME_LEN
//! u8  kind  KIND_DATA, KIND_REQUEST, KIND_REPLY, KIND_CLOSE, KIND_DIRECT_HELLO
//! payload
//!   data:          src u32, dst u32, tag i32, ctx i32, encoding i32, flags u32, body...
//!   request/reply: id u32, then the control message (see `wire`)
//!   close:         code i32, reason string
//!   direct hello:  tid u32
//! ```
//!
//! The length is checked as soon as its 5 bytes have arrived: an unknown kind, a zero
//! length, or a length above the kind's maximum is an error before anything is
//! allocated. A data frame's body is a slice of the received buffer, so routing it on
//! copies nothing; [`encode_head`] lets writers send the body from its own storage.

use std::io::{self, Read, Write};

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::control::{Reply, Request};
use super::peer::PeerMsg;
use super::wire::{Reader, Wire, Writer};
use super::ProtoError;
use crate::tid::Tid;

/// Kind byte of a [`Frame::Data`].
pub const KIND_DATA: u8 = 1;
/// Kind byte of a [`Frame::Request`].
pub const KIND_REQUEST: u8 = 2;
/// Kind byte of a [`Frame::Reply`].
pub const KIND_REPLY: u8 = 3;
/// Kind byte of a [`Frame::Close`].
pub const KIND_CLOSE: u8 = 4;
/// Kind byte of a [`Frame::DirectHello`].
pub const KIND_DIRECT_HELLO: u8 = 5;
/// Kind byte of a [`Frame::Peer`]: pvmd-to-pvmd links.
pub const KIND_PEER: u8 = 0x10;
/// Kinds 0x10..=0x1f belong to pvmd-to-pvmd links.
pub const KIND_PEER_RESERVED: std::ops::RangeInclusive<u8> = 0x10..=0x1f;

/// The largest data frame (kind + header + body): 1 GiB, far above PVM's practical use.
pub const MAX_FRAME_LEN: usize = 1 << 30;
/// The largest control frame: control messages are small, mailbox bodies included.
pub const MAX_CONTROL_LEN: usize = 16 << 20;
/// Bytes of the length prefix.
pub const LEN_BYTES: usize = 4;
/// Bytes of a data frame's fixed header, after the kind byte.
pub const DATA_HEADER_BYTES: usize = 24;

/// Data frame flag: the sender switches to a direct route to the receiver after this
/// message (see the ordering rule in [`super`]). The marker has no user body and is
/// never delivered to the application.
pub const FLAG_ROUTE_MARKER: u32 = 1;

/// One PVM message on its way from `src` to `dst`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    pub src: Tid,
    pub dst: Tid,
    /// The message tag (`msgtag`).
    pub tag: i32,
    /// The message context (`pvm_setcontext`), PvmBaseContext = 0.
    pub ctx: i32,
    /// PvmDataDefault (XDR), PvmDataRaw or PvmDataInPlace: how `body` is packed.
    pub encoding: i32,
    /// `FLAG_*` bits.
    pub flags: u32,
    /// The packed contents, shared, never copied while routed.
    pub body: Bytes,
}

/// Everything that travels on a task, console or direct connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A message to route.
    Data(Message),
    /// A task asks its pvmd something.
    Request { id: u32, req: Request },
    /// pvmd answers request `id`.
    Reply { id: u32, reply: Reply },
    /// The sender closes the connection right after this frame: `code` is a PVM error
    /// code (PvmBadMsg for a protocol error), `reason` says why.
    Close { code: i32, reason: String },
    /// First frame on a direct task-to-task connection: who is calling.
    DirectHello { tid: Tid },
    /// pvmd-to-pvmd control (see [`super::peer`]); never valid on a task connection.
    Peer(PeerMsg),
}

impl Frame {
    fn kind(&self) -> u8 {
        match self {
            Frame::Data(_) => KIND_DATA,
            Frame::Request { .. } => KIND_REQUEST,
            Frame::Reply { .. } => KIND_REPLY,
            Frame::Close { .. } => KIND_CLOSE,
            Frame::DirectHello { .. } => KIND_DIRECT_HELLO,
            Frame::Peer(_) => KIND_PEER,
        }
    }
}

/// The total length (prefix included) of the frame at the head of `buf`, once its first
/// 5 bytes are there; an error if that frame cannot be valid.
pub fn frame_len(buf: &[u8]) -> Result<Option<usize>, ProtoError> {
    let Some(prefix) = buf.get(..LEN_BYTES) else {
        return Ok(None);
    };
    let len = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize;
    if len == 0 {
        return Err(ProtoError::EmptyFrame);
    }
    if len > MAX_FRAME_LEN {
        return Err(ProtoError::TooLarge {
            len,
            max: MAX_FRAME_LEN,
        });
    }
    let Some(&kind) = buf.get(LEN_BYTES) else {
        return Ok(None);
    };
    let max = match kind {
        KIND_DATA => MAX_FRAME_LEN,
        KIND_REQUEST | KIND_REPLY | KIND_CLOSE | KIND_DIRECT_HELLO | KIND_PEER => MAX_CONTROL_LEN,
        other => return Err(ProtoError::UnknownKind(other)),
    };
    if len > max {
        return Err(ProtoError::TooLarge { len, max });
    }
    Ok(Some(LEN_BYTES + len))
}

/// Takes one complete frame off the front of `buf`: `Ok(None)` means "need more bytes".
/// After an error the stream cannot be resynchronised: answer with a
/// [`Frame::Close`] if possible and drop the connection.
pub fn decode(buf: &mut BytesMut) -> Result<Option<Frame>, ProtoError> {
    let Some(total) = frame_len(buf)? else {
        return Ok(None);
    };
    if buf.len() < total {
        return Ok(None);
    }
    let mut raw = buf.split_to(total).freeze();
    raw.advance(LEN_BYTES);
    let kind = raw.get_u8();
    parse(kind, raw).map(Some)
}

fn parse(kind: u8, payload: Bytes) -> Result<Frame, ProtoError> {
    if kind == KIND_DATA {
        return parse_data(payload).map(Frame::Data);
    }
    let mut r = Reader::new(payload);
    let frame = match kind {
        KIND_REQUEST => Frame::Request {
            id: r.u32()?,
            req: Request::get(&mut r)?,
        },
        KIND_REPLY => Frame::Reply {
            id: r.u32()?,
            reply: Reply::get(&mut r)?,
        },
        KIND_CLOSE => Frame::Close {
            code: i32::get(&mut r)?,
            reason: String::get(&mut r)?,
        },
        KIND_DIRECT_HELLO => Frame::DirectHello {
            tid: Tid::get(&mut r)?,
        },
        KIND_PEER => Frame::Peer(PeerMsg::get(&mut r)?),
        other => return Err(ProtoError::UnknownKind(other)),
    };
    r.finish()?;
    Ok(frame)
}

fn parse_data(mut p: Bytes) -> Result<Message, ProtoError> {
    if p.len() < DATA_HEADER_BYTES {
        return Err(ProtoError::Truncated);
    }
    Ok(Message {
        src: Tid(p.get_u32()),
        dst: Tid(p.get_u32()),
        tag: p.get_i32(),
        ctx: p.get_i32(),
        encoding: p.get_i32(),
        flags: p.get_u32(),
        body: p,
    })
}

/// Appends everything of `frame` except a data frame's body to `dst`, and returns that
/// body (a cheap shared handle) for the caller to write after it. Writers use this to
/// send large bodies straight from their storage. Fails, leaving `dst` as it was, when
/// the frame would exceed its kind's maximum.
pub fn encode_head(frame: &Frame, dst: &mut BytesMut) -> Result<Option<Bytes>, ProtoError> {
    let start = dst.len();
    dst.put_u32(0); // patched below once the length is known
    dst.put_u8(frame.kind());
    let mut w = Writer(dst);
    let body = match frame {
        Frame::Data(m) => {
            for v in [m.src.0, m.dst.0] {
                w.0.put_u32(v);
            }
            for v in [m.tag, m.ctx, m.encoding] {
                w.0.put_i32(v);
            }
            w.0.put_u32(m.flags);
            Some(m.body.clone())
        }
        Frame::Request { id, req } => {
            id.put(&mut w);
            req.put(&mut w);
            None
        }
        Frame::Reply { id, reply } => {
            id.put(&mut w);
            reply.put(&mut w);
            None
        }
        Frame::Close { code, reason } => {
            code.put(&mut w);
            reason.put(&mut w);
            None
        }
        Frame::DirectHello { tid } => {
            tid.put(&mut w);
            None
        }
        Frame::Peer(msg) => {
            msg.put(&mut w);
            None
        }
    };
    let len = dst.len() - start - LEN_BYTES + body.as_ref().map_or(0, Bytes::len);
    let max = match frame {
        Frame::Data(_) => MAX_FRAME_LEN,
        _ => MAX_CONTROL_LEN,
    };
    if len > max {
        dst.truncate(start);
        return Err(ProtoError::TooLarge { len, max });
    }
    // len <= MAX_FRAME_LEN < u32::MAX, checked just above.
    dst[start..start + LEN_BYTES].copy_from_slice(&(len as u32).to_be_bytes());
    Ok(body)
}

/// Appends the whole of `frame` to `dst`.
pub fn encode(frame: &Frame, dst: &mut BytesMut) -> Result<(), ProtoError> {
    if let Some(body) = encode_head(frame, dst)? {
        dst.extend_from_slice(&body);
    }
    Ok(())
}

/// A failure reading or writing frames on a blocking stream.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("connection error: {0}")]
    Io(#[from] io::Error),
    #[error("protocol error: {0}")]
    Proto(#[from] ProtoError),
}

/// How much a blocking reader asks for while the next frame's length is unknown.
const READ_CHUNK: usize = 16 * 1024;

/// Reads the next frame from a blocking stream, using `buf` to keep bytes that arrived
/// ahead of it (pass the same `buf` on every call). `Ok(None)` at a clean end of stream
/// (between frames). Once a frame's length is known the buffer grows to exactly that
/// size, so a 100 MB message costs 100 MB plus what the stream had beyond it.
pub fn read_frame<R: Read>(r: &mut R, buf: &mut BytesMut) -> Result<Option<Frame>, StreamError> {
    loop {
        if let Some(frame) = decode(buf)? {
            return Ok(Some(frame));
        }
        let start = buf.len();
        match frame_len(buf)? {
            Some(total) => {
                buf.resize(total, 0);
                if let Err(e) = r.read_exact(&mut buf[start..]) {
                    buf.truncate(start);
                    return Err(e.into());
                }
            }
            None => {
                buf.resize(start + READ_CHUNK, 0);
                let n = match r.read(&mut buf[start..]) {
                    Ok(n) => n,
                    Err(e) => {
                        buf.truncate(start);
                        if e.kind() == io::ErrorKind::Interrupted {
                            continue;
                        }
                        return Err(e.into());
                    }
                };
                buf.truncate(start + n);
                if n == 0 {
                    return if start == 0 {
                        Ok(None)
                    } else {
                        Err(io::Error::from(io::ErrorKind::UnexpectedEof).into())
                    };
                }
            }
        }
    }
}

/// Writes one frame to a blocking stream; a data frame's body is written from its own
/// storage, not copied.
pub fn write_frame<W: Write>(w: &mut W, frame: &Frame) -> Result<(), StreamError> {
    let mut head = BytesMut::with_capacity(64);
    let body = encode_head(frame, &mut head)?;
    w.write_all(&head)?;
    if let Some(body) = body {
        w.write_all(&body)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(body: &'static [u8]) -> Frame {
        Frame::Data(Message {
            src: Tid(0x40001),
            dst: Tid(0x40002),
            tag: 7,
            ctx: 0,
            encoding: 0,
            flags: 0,
            body: Bytes::from_static(body),
        })
    }

    #[test]
    fn data_round_trip_byte_by_byte() {
        let f = msg(b"hello");
        let mut all = BytesMut::new();
        encode(&f, &mut all).expect("small frame");
        assert_eq!(all.len(), LEN_BYTES + 1 + DATA_HEADER_BYTES + 5);
        let mut buf = BytesMut::new();
        for (i, b) in all.iter().enumerate() {
            buf.put_u8(*b);
            let got = decode(&mut buf).expect("valid prefix");
            assert_eq!(got.is_some(), i + 1 == all.len());
            if let Some(g) = got {
                assert_eq!(g, f);
            }
        }
        assert!(buf.is_empty());
    }

    #[test]
    fn oversized_and_unknown_are_rejected_early() {
        let mut b = BytesMut::from(&[0x7f, 0xff, 0xff, 0xff][..]);
        assert!(matches!(decode(&mut b), Err(ProtoError::TooLarge { .. })));
        let mut b = BytesMut::from(&[0x01, 0x00, 0x00, 0x01, KIND_REQUEST][..]);
        assert!(matches!(decode(&mut b), Err(ProtoError::TooLarge { .. })));
        let mut b = BytesMut::from(&[0, 0, 0, 1, 0x99][..]);
        assert_eq!(decode(&mut b), Err(ProtoError::UnknownKind(0x99)));
        let mut b = BytesMut::from(&[0, 0, 0, 0][..]);
        assert_eq!(decode(&mut b), Err(ProtoError::EmptyFrame));
    }

    #[test]
    fn blocking_stream_round_trip() {
        let frames = vec![
            msg(b"one"),
            Frame::Request {
                id: 3,
                req: Request::Config {},
            },
            msg(b""),
        ];
        let mut wire = Vec::new();
        for f in &frames {
            write_frame(&mut wire, f).expect("write to vec");
        }
        let mut r = io::Cursor::new(wire);
        let mut buf = BytesMut::new();
        for f in &frames {
            assert_eq!(
                read_frame(&mut r, &mut buf).expect("read").as_ref(),
                Some(f)
            );
        }
        assert!(read_frame(&mut r, &mut buf).expect("clean eof").is_none());
    }

    #[test]
    fn eof_inside_a_frame_is_an_error() {
        let mut wire = Vec::new();
        write_frame(&mut wire, &msg(b"cut short")).expect("write");
        wire.truncate(wire.len() - 2);
        let mut buf = BytesMut::new();
        let err = read_frame(&mut io::Cursor::new(wire), &mut buf).expect_err("truncated");
        assert!(matches!(err, StreamError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof));
    }
}
