//! `pvm_catchout`: children's output, printed by the parent.
//!
//! When a task catches output, its children's stdout and stderr come back from pvmd as
//! output messages ([`crate::proto::output`]: a child's BEGIN, its text, its END).
//! Whichever thread reads pvmd's socket (see [`super::hub`]) offers every data message
//! here first; output messages are written to the sink a line at a time ([`Lines`]),
//! prefixed with the child's tid when `PvmShowTids` is on (`[t40003] text`), with a
//! `BEGIN` and `EOF` line around each child, as PVM prints them. `pvm_exit` waits until
//! every child that began has ended, so no output is lost when the parent leaves first.

use std::io::Write;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::inbox::Incoming;
use super::lines::Lines;
use crate::proto::output::OutputEvent;

/// The tag and context catchout asks pvmd to use: reserved, so no user message can
/// be mistaken for output (user tags are non-negative).
pub const CATCHOUT_TAG: i32 = -0x7fff_0001;
/// See [`CATCHOUT_TAG`].
pub const CATCHOUT_CTX: i32 = -0x7fff_0001;

struct State {
    sink: Option<Box<dyn Write + Send>>,
    show_tids: bool,
    /// Children that began and have not ended, with their unfinished last line.
    open: Lines,
    pvmd_gone: bool,
}

/// Where caught output goes, and which children are still writing.
pub struct OutputCollector {
    state: Mutex<State>,
    ended: Condvar,
}

impl Default for OutputCollector {
    fn default() -> Self {
        OutputCollector {
            state: Mutex::new(State {
                sink: None,
                show_tids: true,
                open: Lines::default(),
                pvmd_gone: false,
            }),
            ended: Condvar::new(),
        }
    }
}

impl OutputCollector {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts (or, with `None`, stops) catching output into `sink`.
    pub fn set_sink(&self, sink: Option<Box<dyn Write + Send>>) {
        let mut st = self.lock();
        if let Some(old) = st.sink.as_mut() {
            let _ = old.flush();
        }
        st.sink = sink;
    }

    /// Whether output is being caught.
    pub fn is_catching(&self) -> bool {
        self.lock().sink.is_some()
    }

    /// `PvmShowTids`.
    pub fn set_show_tids(&self, on: bool) {
        self.lock().show_tids = on;
    }

    /// Takes `msg` if it is caught output; otherwise hands it back.
    pub fn offer(&self, msg: Incoming) -> Option<Incoming> {
        if msg.tag != CATCHOUT_TAG || msg.ctx != CATCHOUT_CTX || !msg.src.is_pvmd() {
            return Some(msg);
        }
        let event = match OutputEvent::decode(msg.body) {
            Ok(event) => event,
            Err(e) => {
                tracing::debug!("output message from {} dropped: {e}", msg.src);
                return None;
            }
        };
        let mut st = self.lock();
        let st = &mut *st;
        // Output nobody catches any more is dropped (it was for us, not the user).
        let sink = st.sink.as_mut()?;
        let tid = event.tid();
        let prefix = if st.show_tids {
            format!("[{tid}] ")
        } else {
            String::new()
        };
        let mut out = Vec::new();
        let mut put_line = |line: &[u8]| {
            out.extend_from_slice(prefix.as_bytes());
            out.extend_from_slice(line);
            out.push(b'\n');
        };
        match event {
            OutputEvent::Begin { .. } => {
                st.open.begin(tid);
                if st.show_tids {
                    put_line(b"BEGIN");
                }
            }
            OutputEvent::End(_) => {
                if let Some(rest) = st.open.end(tid) {
                    put_line(&rest);
                }
                if st.show_tids {
                    put_line(b"EOF");
                }
                self.ended.notify_all();
            }
            OutputEvent::Data(_, text) => {
                for line in st.open.push(tid, &text) {
                    put_line(&line);
                }
            }
        }
        let _ = sink.write_all(&out);
        let _ = sink.flush();
        None
    }

    /// pvmd is gone: no child will end any more, so nobody should wait for one.
    pub fn pvmd_gone(&self) {
        self.lock().pvmd_gone = true;
        self.ended.notify_all();
    }

    /// Waits (at most `limit`) until every child that began has ended; `on_wait` runs
    /// first when there is something to wait for, so the caller can say why it pauses.
    pub fn wait_children(&self, limit: Duration, on_wait: impl FnOnce()) {
        let deadline = Instant::now() + limit;
        let mut st = self.lock();
        if st.sink.is_none() || st.open.is_empty() || st.pvmd_gone {
            return;
        }
        on_wait();
        while !st.open.is_empty() && !st.pvmd_gone {
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            st = self
                .ended
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::consts::{OUTPUT_BEGIN, OUTPUT_END};
    use crate::tid::Tid;
    use bytes::Bytes;
    use std::sync::Arc;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn out(tid: u32, count: i32, text: &[u8]) -> Incoming {
        let mut body = Vec::new();
        body.extend_from_slice(&(tid as i32).to_be_bytes());
        body.extend_from_slice(&count.to_be_bytes());
        body.extend_from_slice(text);
        body.resize(body.len().next_multiple_of(4), 0);
        Incoming {
            src: Tid::pvmd(1),
            tag: CATCHOUT_TAG,
            ctx: CATCHOUT_CTX,
            encoding: 0,
            body: Bytes::from(body),
        }
    }

    #[test]
    fn lines_are_prefixed_and_framed() {
        let c = OutputCollector::default();
        let sink = Shared::default();
        c.set_sink(Some(Box::new(sink.clone())));
        assert!(c.offer(out(0x40003, OUTPUT_BEGIN, b"")).is_none());
        c.offer(out(0x40003, 12, b"one\ntwo\npart"));
        c.offer(out(0x40003, 4, b"ial\n"));
        c.offer(out(0x40003, OUTPUT_END, b""));
        let text = String::from_utf8(sink.0.lock().expect("lock").clone()).expect("utf8");
        assert_eq!(
            text,
            "[t40003] BEGIN\n[t40003] one\n[t40003] two\n[t40003] partial\n[t40003] EOF\n"
        );
        c.wait_children(Duration::from_secs(5), || panic!("nothing open"));
    }

    #[test]
    fn user_messages_pass_through() {
        let c = OutputCollector::default();
        let mut m = out(0x40003, 1, b"x");
        m.tag = 5;
        assert!(c.offer(m).is_some());
    }
}
