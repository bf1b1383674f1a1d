//! Tasks' stdout and stderr: read from their pipe, then sent to the output tid their
//! parent chose (as PVM's catchout messages) or written to the pvmd log with the tid in
//! front of each line, as PVM 3.4 logs them.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use pvm::proto::consts::PVM_DATA_DEFAULT;
use pvm::proto::output::OutputEvent as Stream;
use pvm::proto::{Message, Redirect};
use pvm::tid::Tid;
use tokio::io::AsyncReadExt;
use tokio::net::unix::pipe;
use tokio::sync::mpsc;

use crate::flow::{Ahead, Gate, FRAME_COST, READ_AHEAD};

/// A partial line longer than this is logged without waiting for its newline.
const MAX_PARTIAL: usize = 4096;

/// What an output pipe reports to the daemon.
#[derive(Debug)]
pub enum OutputEvent {
    /// Output of a task, counted at its pipe's gate until the daemon drops its
    /// [`Ahead`].
    Data(Tid, Bytes, Ahead),
    Eof(Tid),
}

impl OutputEvent {
    /// What output of `len` bytes costs its pipe's gate until the daemon handled it.
    pub fn cost(len: usize) -> usize {
        FRAME_COST + len
    }
}

/// Reads a task's output pipe until EOF, in its own tokio task. Output is a sender like
/// any other: while the daemon holds the pipe's gate (its output tid's queue is full)
/// the pipe is not read, so the task's writes wait once it is full.
pub fn watch<E: From<OutputEvent> + Send + 'static>(
    tid: Tid,
    mut pipe: pipe::Receiver,
    events: mpsc::UnboundedSender<E>,
) {
    tokio::spawn(async move {
        let mut buf = vec![0u8; 4096];
        let gate = Gate::new(READ_AHEAD);
        loop {
            gate.ready().await;
            match pipe.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let chunk = Bytes::copy_from_slice(&buf[..n]);
                    let ahead = gate.sent(OutputEvent::cost(n));
                    let event = OutputEvent::Data(tid, chunk, ahead);
                    if events.send(event.into()).is_err() {
                        return;
                    }
                }
            }
        }
        let _ = events.send(OutputEvent::Eof(tid).into());
    });
}

/// pvmd's log file: PVM's `pvml.<uid>`, every line stamped with the pvmd tid and time.
#[derive(Debug)]
pub struct Log {
    me: Tid,
    file: Option<File>,
}

impl Log {
    /// Opens (appending, 0600) the log; logging goes nowhere if it cannot be opened.
    pub fn open(path: &Path, me: Tid) -> Log {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| tracing::warn!(log = %path.display(), "cannot open log: {e}"))
            .ok();
        Log { me, file }
    }

    /// Appends one line.
    pub fn line(&mut self, text: &str) {
        if let Some(f) = &mut self.file {
            let line = format!("[{}] {} {}\n", self.me, timestamp(), text);
            if let Err(e) = f.write_all(line.as_bytes()) {
                tracing::warn!("cannot write log: {e}");
            }
        }
    }
}

/// Where each live task's output goes, and its unfinished last line.
#[derive(Debug)]
pub struct Outputs {
    me: Tid,
    log: Log,
    sinks: HashMap<Tid, Sink>,
}

#[derive(Debug)]
struct Sink {
    to: Redirect,
    partial: Vec<u8>,
}

impl Outputs {
    pub fn new(me: Tid, log: Log) -> Outputs {
        Outputs {
            me,
            log,
            sinks: HashMap::new(),
        }
    }

    /// Writes a line of this pvmd's own to the log.
    pub fn log(&mut self, text: &str) {
        self.log.line(text);
    }

    /// A task started: its output goes to `to` (tid 0: the log). Returns the BEGIN
    /// message (int tid, int -1, int parent) for an output tid.
    pub fn begin(&mut self, tid: Tid, parent: Tid, to: Redirect) -> Option<Message> {
        self.sinks.insert(
            tid,
            Sink {
                to,
                partial: Vec::new(),
            },
        );
        let begin = Stream::Begin {
            tid,
            parent: Some(parent),
        };
        (to.tid.0 != 0).then(|| self.message(to, begin.encode()))
    }

    /// Output arrived: a message for the output tid, or lines written to the log.
    pub fn data(&mut self, tid: Tid, data: &[u8]) -> Option<Message> {
        let sink = self.sinks.get_mut(&tid)?;
        if sink.to.tid.0 != 0 {
            let to = sink.to;
            let text = Stream::Data(tid, Bytes::copy_from_slice(data));
            return Some(self.message(to, text.encode()));
        }
        sink.partial.extend_from_slice(data);
        let mut lines = Vec::new();
        while let Some(nl) = sink.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = sink.partial.drain(..=nl).collect();
            lines.push(line);
        }
        if sink.partial.len() > MAX_PARTIAL {
            lines.push(std::mem::take(&mut sink.partial));
        }
        for l in lines {
            self.log_task_line(tid, &l);
        }
        None
    }

    /// The task's pipe closed: the END message (count 0), or its last partial line
    /// logged.
    pub fn end(&mut self, tid: Tid) -> Option<Message> {
        let sink = self.sinks.remove(&tid)?;
        if sink.to.tid.0 != 0 {
            return Some(self.message(sink.to, Stream::End(tid).encode()));
        }
        if !sink.partial.is_empty() {
            self.log_task_line(tid, &sink.partial);
        }
        None
    }

    fn log_task_line(&mut self, tid: Tid, line: &[u8]) {
        let text = String::from_utf8_lossy(line);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        self.log.line(&format!("[{tid}] {text}"));
    }

    fn message(&self, to: Redirect, body: Bytes) -> Message {
        Message {
            src: self.me,
            dst: to.tid,
            tag: to.code,
            ctx: to.ctx,
            encoding: PVM_DATA_DEFAULT,
            flags: 0,
            body,
        }
    }
}

/// `MM/DD HH:MM:SS` in UTC, the layout of PVM's log stamps.
fn timestamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    let (_, month, day) = civil_from_days(days);
    format!(
        "{month:02}/{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pvm::proto::consts::{OUTPUT_BEGIN, OUTPUT_END};

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_414), (2025, 11, 22));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn lines_are_split_and_prefixed_in_the_log() {
        let d = tempfile::tempdir().expect("tempdir");
        let path = d.path().join("log");
        let mut o = Outputs::new(Tid(0x40000), Log::open(&path, Tid(0x40000)));
        let t = Tid(0x40002);
        assert!(o.begin(t, Tid(0), Redirect::default()).is_none());
        o.data(t, b"one\ntw");
        o.data(t, b"o\nthree");
        o.end(t);
        let text = std::fs::read_to_string(&path).expect("log written");
        let lines: Vec<&str> = text.lines().map(|l| &l[24..]).collect();
        assert_eq!(lines, ["[t40002] one", "[t40002] two", "[t40002] three"]);
        assert!(text.starts_with("[t40000] "));
    }

    #[test]
    fn redirected_output_becomes_messages() {
        let d = tempfile::tempdir().expect("tempdir");
        let mut o = Outputs::new(Tid(0x40000), Log::open(&d.path().join("l"), Tid(0x40000)));
        let to = Redirect {
            tid: Tid(0x40001),
            code: 77,
            ctx: 0,
        };
        let t = Tid(0x40002);
        let b = o.begin(t, Tid(0x40001), to).expect("BEGIN message");
        assert_eq!((b.dst, b.tag), (Tid(0x40001), 77));
        assert_eq!(&b.body[4..8], &OUTPUT_BEGIN.to_be_bytes());
        let m = o.data(t, b"hi").expect("data message");
        assert_eq!(&m.body[4..8], &2i32.to_be_bytes());
        let e = o.end(t).expect("END message");
        assert_eq!(&e.body[4..8], &OUTPUT_END.to_be_bytes());
        assert!(o.end(t).is_none());
    }
}
