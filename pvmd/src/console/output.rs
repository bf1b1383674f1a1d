//! Decoding the output messages pvmd sends for tasks whose output the console collects.
//!
//! A task spawned with `spawn ->` has its stdout and stderr sent to the console as
//! ordinary messages (tag = the job's number). Each body is, in PVM's default (XDR)
//! encoding: the task's tid, a count, then `count` bytes of text when the count is
//! positive. A count of 0 means the task's output ended; -1 means a task joined the
//! stream (a child inheriting its parent's redirection announces itself this way).

use bytes::{Buf, Bytes};
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
    #[error("output message too short")]
    Truncated,
    #[error("output message with bad count {0}")]
    BadCount(i32),
    #[error("output message with bad tid {0:#x}")]
    BadTid(i32),
}

/// Decodes one output message body.
pub fn decode(mut body: Bytes) -> Result<OutputEvent, OutputError> {
    if body.remaining() < 8 {
        return Err(OutputError::Truncated);
    }
    let raw_tid = body.get_i32();
    let count = body.get_i32();
    let tid = Tid::from_raw(raw_tid).ok_or(OutputError::BadTid(raw_tid))?;
    match count {
        BEGIN => Ok(OutputEvent::Begin(tid)),
        END => Ok(OutputEvent::End(tid)),
        n if n > 0 => {
            // XDR pads byte strings to four bytes; the padding is not text.
            let n = n as usize;
            if body.remaining() < n {
                return Err(OutputError::Truncated);
            }
            Ok(OutputEvent::Data(tid, body.slice(..n)))
        }
        other => Err(OutputError::BadCount(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BufMut;

    fn body(tid: i32, count: i32, text: &[u8]) -> Bytes {
        let mut b = bytes::BytesMut::new();
        b.put_i32(tid);
        b.put_i32(count);
        b.put_slice(text);
        b.put_bytes(0, (4 - text.len() % 4) % 4);
        b.freeze()
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
        assert_eq!(
            decode(Bytes::from_static(b"abc")),
            Err(OutputError::Truncated)
        );
        assert_eq!(
            decode(body(0x40001, 100, b"short")),
            Err(OutputError::Truncated)
        );
        assert_eq!(
            decode(body(0x40001, -7, b"")),
            Err(OutputError::BadCount(-7))
        );
        assert_eq!(decode(body(-3, 0, b"")), Err(OutputError::BadTid(-3)));
    }
}
