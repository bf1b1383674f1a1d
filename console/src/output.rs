//! Decoding the output messages pvmd sends for tasks whose output the console collects.
//!
//! A task spawned with `spawn ->` has its stdout and stderr sent to the console as
//! ordinary messages (tag = the job's number). Each body is, in PVM's default (XDR)
//! encoding: the task's tid, a count, then `count` bytes of text when the count is
//! positive. A count of 0 means the task's output ended; -1 means a task joined the
//! stream (a child inheriting its parent's redirection announces itself this way).

use bytes::Bytes;
use pvm::error::PvmError;
use pvm::pack::{Buffer, Encoding};
use pvm::tid::Tid;
use thiserror::Error;

/// Count value announcing a task (PVM's output protocol).
const BEGIN: i32 = -1;
/// Count value ending a task's output.
const END: i32 = 0;

/// One event in a job's output stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputEvent {
    /// `tid` now sends output to this stream.
    Begin(Tid),
    /// Some text from `tid`: whole lines, or part of one.
    Data(Tid, Bytes),
    /// `tid` closed its output.
    End(Tid),
}

/// An output message that does not follow the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OutputError {
    #[error("output message cannot be unpacked: {0}")]
    Unpack(#[from] PvmError),
    #[error("output message with bad count {0}")]
    BadCount(i32),
    #[error("output message with bad tid {0:#x}")]
    BadTid(i32),
}

/// Decodes one output message body (PvmDataDefault).
pub fn decode(body: Bytes) -> Result<OutputEvent, OutputError> {
    let size = body.len();
    let mut buf = Buffer::received(Encoding::Default, body);
    let raw_tid: i32 = buf.unpack()?;
    let count: i32 = buf.unpack()?;
    let tid = Tid::from_raw(raw_tid).ok_or(OutputError::BadTid(raw_tid))?;
    match count {
        BEGIN => Ok(OutputEvent::Begin(tid)),
        END => Ok(OutputEvent::End(tid)),
        // No count larger than the message itself is believed before allocating.
        n if n > 0 && n as usize <= size => {
            let text: Vec<u8> = buf.unpack_vec(n as usize)?;
            Ok(OutputEvent::Data(tid, Bytes::from(text)))
        }
        other => Err(OutputError::BadCount(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body as pvmd packs it: tid, count, then the text as PVM bytes.
    fn body(tid: i32, count: i32, text: &[u8]) -> Bytes {
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
    fn decodes_the_three_kinds() {
        assert_eq!(
            decode(body(0x40001, -1, b"")),
            Ok(OutputEvent::Begin(Tid(0x40001)))
        );
        assert_eq!(
            decode(body(0x40001, 0, b"")),
            Ok(OutputEvent::End(Tid(0x40001)))
        );
        assert_eq!(
            decode(body(0x40002, 6, b"hello\n")),
            Ok(OutputEvent::Data(
                Tid(0x40002),
                Bytes::from_static(b"hello\n")
            ))
        );
    }

    #[test]
    fn refuses_garbage() {
        assert!(matches!(
            decode(Bytes::from_static(b"abc")),
            Err(OutputError::Unpack(_))
        ));
        assert!(matches!(
            decode(body(0x40001, 12, b"short")),
            Err(OutputError::Unpack(_))
        ));
        assert_eq!(
            decode(body(0x40001, 1 << 30, b"short")),
            Err(OutputError::BadCount(1 << 30))
        );
        assert_eq!(
            decode(body(0x40001, -7, b"")),
            Err(OutputError::BadCount(-7))
        );
        assert_eq!(decode(body(-3, 0, b"")), Err(OutputError::BadTid(-3)));
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
            let _ = decode(Bytes::from(bytes.clone()));
            let count = next() as i32;
            let _ = decode(body(0x40001, count, &bytes));
        }
    }
}
