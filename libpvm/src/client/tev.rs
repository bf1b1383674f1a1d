//! Tracing this task's calls: the trace masks, and framing, buffering and sending trace
//! events in PVM 3.4's format ([`crate::trace`]) to `PvmSelfTraceTid` with
//! `PvmSelfTraceCode` in `PvmSelfTraceContext`.
//!
//! Off (no event in this task's mask, the default) a traced call costs one atomic
//! load: [`Pvm::traces`]. On, each event is appended to the pending trace buffer and
//! sent when the buffer reaches `PvmSelfTraceBuffer` bytes (0: each event alone, with
//! no buffer markers), and at `exit`. The tracer never traces itself, as in PVM.
//! Children inherit the trace tid and code through the spawn request (pvmd's welcome
//! carries them), the children's mask, buffer and options through `PVMTMASK`,
//! `PVMTRCBUF` and `PVMTRCOPT` in their environment, as PVM 3.4 passes them.

use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use super::options::Route;
use super::Pvm;
use crate::constants::{PvmTraceCount, PvmTraceTime};
use crate::pack::{Buffer, Encoding};
use crate::proto::Message;
use crate::trace::{event, mark, mask_any, mask_has, Mask, Record, EMPTY_MASK, TEV_COUNT};

/// The environment variables a spawned task's trace settings travel in (PVM's).
pub(super) const ENV_TMASK: &str = "PVMTMASK";
pub(super) const ENV_TRCBUF: &str = "PVMTRCBUF";
pub(super) const ENV_TRCOPT: &str = "PVMTRCOPT";

/// The tracing state of a task.
pub(super) struct Tev {
    /// This task's trace mask (`pvm_settmask(PvmTaskSelf)`).
    mask: Mask,
    /// The mask of the children it spawns (`PvmTaskChild`).
    child_mask: Mask,
    /// Per event, which halves (1 entry, 2 exit) have been described to the tracer.
    described: [u8; TEV_COUNT],
    /// Events not sent yet (buffering).
    pending: Option<Buffer>,
    /// The tracer the descriptors went to; another one gets them again.
    tracer: i32,
}

impl Default for Tev {
    fn default() -> Tev {
        Tev {
            mask: EMPTY_MASK,
            child_mask: EMPTY_MASK,
            described: [0; TEV_COUNT],
            pending: None,
            tracer: 0,
        }
    }
}

impl Pvm {
    fn tev(&self) -> std::sync::MutexGuard<'_, Tev> {
        self.shared.tev.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a call of event `kind` is to be traced: the only cost of tracing when
    /// it is off (one atomic load).
    #[inline]
    pub fn traces(&self, kind: usize) -> bool {
        self.shared.tev_on.load(Ordering::Relaxed) && mask_has(&self.tev().mask, kind)
    }

    /// This task's trace mask.
    pub fn trace_mask(&self) -> Mask {
        self.tev().mask
    }

    /// Sets this task's trace mask (`pvm_settmask(PvmTaskSelf, mask)`).
    pub fn set_trace_mask(&self, mask: Mask) {
        self.tev().mask = mask;
        self.shared.tev_on.store(mask_any(&mask), Ordering::Relaxed);
    }

    /// The trace mask of the children this task spawns.
    pub fn child_trace_mask(&self) -> Mask {
        self.tev().child_mask
    }

    /// Sets the children's trace mask (`pvm_settmask(PvmTaskChild, mask)`).
    pub fn set_child_trace_mask(&self, mask: Mask) {
        self.tev().child_mask = mask;
    }

    /// Emits event `kind` (`exit`: the call's exit half, else its entry) with the
    /// fields `fields` writes, when the task is traced and has a tracer other than
    /// itself. Callers check [`Pvm::traces`] first.
    pub fn trace_event(&self, kind: usize, exit: bool, fields: impl FnOnce(&mut Record<'_>)) {
        let (sink, size, opt) = {
            let o = self.options();
            (o.self_trace, o.self_trace_buffer, o.self_trace_options)
        };
        let Some(me) = self.lock_session().as_ref().map(|s| s.me().raw()) else {
            return;
        };
        if sink.tid <= 0 || sink.tid == me || kind >= TEV_COUNT {
            return;
        }
        if opt == PvmTraceTime || opt == PvmTraceCount {
            // Timing and counting summaries are not produced; full events are.
            tracing::debug!("trace option {opt} traced as PvmTraceFull");
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let full = {
            let mut st = self.tev();
            if st.tracer != sink.tid {
                st.tracer = sink.tid;
                st.described = [0; TEV_COUNT];
            }
            let half = if exit { 2 } else { 1 };
            let desc = st.described[kind] & half == 0;
            st.described[kind] |= half;
            let buf = st.pending.get_or_insert_with(|| {
                let mut b = Buffer::new(Encoding::Default);
                if size > 0 {
                    let _ = b.pack_slice(&[mark::EVENT_BUFFER], 1);
                }
                b
            });
            let id = kind as i32 | if exit { event::EXIT_OF } else { event::ENTRY };
            let start = if desc {
                mark::EVENT_DESC
            } else {
                mark::EVENT_RECORD
            };
            let _ = buf.pack_slice(&[start, id], 1);
            if desc {
                let name = crate::trace::EVENT_NAMES[kind].to_bytes();
                let _ = buf.pkstr(name);
            }
            let mut rec = Record::new(buf, desc);
            rec.int(crate::trace::did::TS, now.as_secs() as i32)
                .int(crate::trace::did::TU, now.subsec_micros() as i32)
                .int(crate::trace::did::TID, me);
            fields(&mut rec);
            let end = if desc {
                mark::EVENT_DESC_END
            } else {
                mark::EVENT_RECORD_END
            };
            let _ = buf.pack_slice(&[end], 1);
            size <= 0 || buf.len() >= size as usize
        };
        if full {
            self.trace_flush();
        }
    }

    /// Sends the pending trace events now (at exit, or when the buffer is full).
    pub fn trace_flush(&self) {
        let (sink, size) = {
            let o = self.options();
            (o.self_trace, o.self_trace_buffer)
        };
        let Some(mut buf) = self.tev().pending.take() else {
            return;
        };
        let Some(s) = self.lock_session().clone() else {
            return;
        };
        if sink.tid <= 0 || sink.tid == s.me().raw() {
            return;
        }
        let Some(dst) = crate::Tid::from_raw(sink.tid) else {
            return;
        };
        if size > 0 {
            let _ = buf.pack_slice(&[mark::EVENT_BUFFER_END], 1);
        }
        let msg = Message {
            src: s.me(),
            dst,
            tag: sink.code,
            ctx: sink.ctx,
            encoding: Encoding::Default.code(),
            flags: 0,
            body: buf.body(),
        };
        // As PVM: trace messages never open a direct link of their own.
        if let Err(e) = s.send(msg, Route::AllowDirect) {
            tracing::warn!("trace events to {dst} lost: {e}");
        }
    }

    /// The environment that gives a child this task's children's trace settings.
    pub(super) fn child_trace_env(&self) -> Vec<String> {
        let mask = self.child_trace_mask();
        if !mask_any(&mask) {
            return Vec::new();
        }
        let (buf, opt) = {
            let o = self.options();
            (o.trace_buffer, o.trace_options)
        };
        vec![
            format!("{ENV_TMASK}={}", crate::trace::mask_to_string(&mask)),
            format!("{ENV_TRCBUF}={buf}"),
            format!("{ENV_TRCOPT}={opt}"),
        ]
    }

    /// At joining: the trace settings the parent gave (environment and welcome), for
    /// this task and, as in PVM, for its own children.
    pub(super) fn inherit_trace(&self, options: &mut super::Options, tracer: super::options::Sink) {
        if options.self_trace == super::options::Sink::default() {
            options.self_trace = tracer;
        }
        let Some(mask) = std::env::var(ENV_TMASK)
            .ok()
            .and_then(|m| crate::trace::mask_from_str(&m))
        else {
            return;
        };
        let int = |name| std::env::var(name).ok().and_then(|v| v.parse::<i32>().ok());
        if let Some(b) = int(ENV_TRCBUF).filter(|b| *b >= 0) {
            options.self_trace_buffer = b;
            options.trace_buffer = b;
        }
        if let Some(o) = int(ENV_TRCOPT) {
            options.self_trace_options = o;
            options.trace_options = o;
        }
        let mut st = self.tev();
        if !mask_any(&st.mask) {
            st.mask = mask;
            self.shared.tev_on.store(mask_any(&mask), Ordering::Relaxed);
        }
        if !mask_any(&st.child_mask) {
            st.child_mask = mask;
        }
    }
}
