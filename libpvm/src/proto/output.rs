//! The output stream: how pvmd sends a task's stdout and stderr to whoever collects it
//! (a parent's `pvm_catchout`, a console job), as PVM 3.4 does.
//!
//! Each message of the stream is one [`OutputEvent`], packed with PvmDataDefault (XDR):
//! int tid, int count, then for count > 0 the `count` bytes of text padded with zeros
//! to a multiple of 4. Count [`OUTPUT_BEGIN`] announces a task joining the stream and
//! is followed by one more int, its parent's tid; count [`OUTPUT_END`] ends the task's
//! output. pvmd encodes with [`OutputEvent::encode`] and every reader decodes with
//! [`OutputEvent::decode`]; nothing else in the workspace knows this layout.
//!
//! The text arrives as the pipe gave it; [`crate::client::lines::Lines`] cuts it into
//! lines per task.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use thiserror::Error;

use super::consts::{OUTPUT_BEGIN, OUTPUT_END};
use crate::tid::Tid;

/// One message of an output stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputEvent {
    /// `tid` now sends output to this stream; `parent` is who spawned it, when said.
    Begin { tid: Tid, parent: Option<Tid> },
    /// Some text from `tid`: whole lines, or part of one. Never empty on the wire (a
    /// count of 0 is [`OutputEvent::End`]).
    Data(Tid, Bytes),
    /// `tid` closed its output.
    End(Tid),
}

/// An output message that does not follow the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OutputError {
    #[error("output message of {0} bytes is shorter than its header or text")]
    Truncated(usize),
    #[error("output message with bad count {0}")]
    BadCount(i32),
    #[error("output message with bad tid {0:#x}")]
    BadTid(i32),
}

impl OutputEvent {
    /// The task the event is about.
    pub fn tid(&self) -> Tid {
        match self {
            OutputEvent::Begin { tid, .. } | OutputEvent::Data(tid, _) | OutputEvent::End(tid) => {
                *tid
            }
        }
    }

    /// The message body. Text longer than `i32::MAX` bytes (no pipe read is) is cut
    /// there. Empty `Data` would read as an END: pvmd sends only what a read returned.
    pub fn encode(&self) -> Bytes {
        let mut b = BytesMut::with_capacity(12);
        b.put_i32(self.tid().raw());
        match self {
            OutputEvent::Begin { parent, .. } => {
                b.put_i32(OUTPUT_BEGIN);
                if let Some(parent) = parent {
                    b.put_i32(parent.raw());
                }
            }
            OutputEvent::Data(_, text) => {
                let count = i32::try_from(text.len()).unwrap_or(i32::MAX);
                let text = &text[..count as usize];
                b.reserve(4 + text.len() + 3);
                b.put_i32(count);
                b.put_slice(text);
                b.put_bytes(0, (4 - text.len() % 4) % 4);
            }
            OutputEvent::End(_) => b.put_i32(OUTPUT_END),
        }
        b.freeze()
    }

    /// Decodes one message body. No count larger than the body is believed, so hostile
    /// input costs no allocation; the text shares the body's storage.
    pub fn decode(mut body: Bytes) -> Result<OutputEvent, OutputError> {
        let size = body.len();
        if size < 8 {
            return Err(OutputError::Truncated(size));
        }
        let raw_tid = body.get_i32();
        let count = body.get_i32();
        let tid = Tid::from_raw(raw_tid).ok_or(OutputError::BadTid(raw_tid))?;
        match count {
            OUTPUT_BEGIN => {
                let parent = (body.len() >= 4)
                    .then(|| body.get_i32())
                    .and_then(Tid::from_raw);
                Ok(OutputEvent::Begin { tid, parent })
            }
            OUTPUT_END => Ok(OutputEvent::End(tid)),
            n if n > 0 && n as usize <= size => {
                let n = n as usize;
                if n > body.len() {
                    return Err(OutputError::Truncated(size));
                }
                Ok(OutputEvent::Data(tid, body.split_to(n)))
            }
            other => Err(OutputError::BadCount(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{Buffer, Encoding};

    /// A body as a PVM program packs it: tid, count, then the text as PVM bytes.
    fn packed(tid: i32, count: i32, text: &[u8]) -> Bytes {
        let mut b = Buffer::new(Encoding::Default);
        b.pack(&tid)
            .and_then(|b| b.pack(&count))
            .expect("pack ints");
        if !text.is_empty() {
            b.pack(text).expect("pack bytes");
        }
        b.body()
    }

    #[test]
    fn output_is_padded_to_four() {
        let b = OutputEvent::Data(Tid(0x40001), Bytes::from_static(b"hello")).encode();
        assert_eq!(b.len(), 8 + 8);
        assert_eq!(&b[..8], &[0, 4, 0, 1, 0, 0, 0, 5]);
        assert_eq!(&b[8..], b"hello\0\0\0");
        assert_eq!(b, packed(0x40001, 5, b"hello"));
    }

    #[test]
    fn begin_carries_the_parent_and_end_is_count_zero() {
        let begin = OutputEvent::Begin {
            tid: Tid(0x40002),
            parent: Some(Tid(0x40001)),
        };
        assert_eq!(
            &begin.encode()[..],
            &[0, 4, 0, 2, 0xff, 0xff, 0xff, 0xff, 0, 4, 0, 1]
        );
        assert_eq!(
            &OutputEvent::End(Tid(0x40002)).encode()[..],
            &[0, 4, 0, 2, 0, 0, 0, 0]
        );
        for event in [begin, OutputEvent::End(Tid(0x40002))] {
            assert_eq!(OutputEvent::decode(event.encode()), Ok(event));
        }
    }

    #[test]
    fn decodes_the_three_kinds() {
        assert_eq!(
            OutputEvent::decode(packed(0x40001, -1, b"")),
            Ok(OutputEvent::Begin {
                tid: Tid(0x40001),
                parent: None
            })
        );
        assert_eq!(
            OutputEvent::decode(packed(0x40001, 0, b"")),
            Ok(OutputEvent::End(Tid(0x40001)))
        );
        assert_eq!(
            OutputEvent::decode(packed(0x40002, 6, b"hello\n")),
            Ok(OutputEvent::Data(
                Tid(0x40002),
                Bytes::from_static(b"hello\n")
            ))
        );
    }

    #[test]
    fn refuses_garbage() {
        let decode = OutputEvent::decode;
        assert!(matches!(
            decode(Bytes::from_static(b"abc")),
            Err(OutputError::Truncated(_))
        ));
        assert!(matches!(
            decode(packed(0x40001, 12, b"short")),
            Err(OutputError::Truncated(_))
        ));
        assert_eq!(
            decode(packed(0x40001, 1 << 30, b"short")),
            Err(OutputError::BadCount(1 << 30))
        );
        assert_eq!(
            decode(packed(0x40001, -7, b"")),
            Err(OutputError::BadCount(-7))
        );
        assert_eq!(decode(packed(-3, 0, b"")), Err(OutputError::BadTid(-3)));
    }

    /// Random bodies (and random counts in well-formed headers) decode or fail cleanly.
    #[test]
    fn arbitrary_bodies_never_panic() {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let _ = OutputEvent::decode(Bytes::from(bytes.clone()));
            let count = next() as i32;
            let _ = OutputEvent::decode(packed(0x40001, count, &bytes));
        }
    }
}
