//! The task's `pvm_setopt` / `pvm_getopt` settings.
//!
//! Options are plain per-task state; the handle consults them where they matter
//! (routing on send, output destinations on spawn, reserved tags on send). Keeping them
//! in one typed struct means an unknown option or an out-of-range value is refused in
//! one place, with `PvmBadParam`, as PVM does.
// PVM's constant names are the vocabulary here, also in patterns.
#![allow(non_upper_case_globals)]

use crate::constants::*;
use crate::error::{PvmError, Result};
use crate::proto::{Redirect, Request, TaskOpt};
use crate::tid::Tid;

/// How this task's outgoing messages are routed (`PvmRoute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Never use task-task links, in or out.
    DontRoute,
    /// Accept links from peers, but send through pvmd.
    AllowDirect,
    /// Open task-task links for what this task sends.
    Direct,
}

impl Route {
    /// The route for PVM's value, if it is one.
    pub fn from_pvm(v: i32) -> Option<Route> {
        match v {
            PvmDontRoute => Some(Route::DontRoute),
            PvmAllowDirect => Some(Route::AllowDirect),
            PvmRouteDirect => Some(Route::Direct),
            _ => None,
        }
    }

    /// PVM's value for this route.
    pub fn to_pvm(self) -> i32 {
        match self {
            Route::DontRoute => PvmDontRoute,
            Route::AllowDirect => PvmAllowDirect,
            Route::Direct => PvmRouteDirect,
        }
    }
}

/// Where a stream of output or trace messages goes: a task, a tag and a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sink {
    /// Destination tid; 0 means pvmd's log file.
    pub tid: i32,
    /// Message tag.
    pub code: i32,
    /// Message context.
    pub ctx: i32,
}

impl From<Redirect> for Sink {
    fn from(r: Redirect) -> Sink {
        Sink {
            tid: r.tid.raw(),
            code: r.code,
            ctx: r.ctx,
        }
    }
}

impl From<Sink> for Redirect {
    fn from(s: Sink) -> Redirect {
        Redirect {
            tid: Tid::from_raw(s.tid).unwrap_or_default(),
            code: s.code,
            ctx: s.ctx,
        }
    }
}

/// Every option a task can set, with PVM's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `PvmRoute`.
    pub route: Route,
    /// `PvmDebugMask`.
    pub debug_mask: i32,
    /// `PvmAutoErr`: 0 silent, 1 print errors, 2 print and exit.
    pub auto_err: i32,
    /// `PvmOutputTid/Code/Context`: where children's output goes.
    pub output: Sink,
    /// `PvmTraceTid/Code/Context`: where children's trace data goes.
    pub trace: Sink,
    /// `PvmTraceBuffer`.
    pub trace_buffer: i32,
    /// `PvmTraceOptions`.
    pub trace_options: i32,
    /// `PvmSelfOutputTid/Code/Context`: where this task's own output goes.
    pub self_output: Sink,
    /// `PvmSelfTraceTid/Code/Context`.
    pub self_trace: Sink,
    /// `PvmSelfTraceBuffer`.
    pub self_trace_buffer: i32,
    /// `PvmSelfTraceOptions`.
    pub self_trace_options: i32,
    /// `PvmFragSize`.
    pub frag_size: i32,
    /// `PvmResvTids`: whether reserved tags and pvmd tids may be used.
    pub resv_tids: bool,
    /// `PvmShowTids`: whether caught output lines carry the child's tid.
    pub show_tids: bool,
    /// `PvmPollType`.
    pub poll_type: i32,
    /// `PvmPollTime`.
    pub poll_time: i32,
    /// `PvmNoReset`.
    pub no_reset: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            route: Route::AllowDirect,
            debug_mask: 0,
            auto_err: 1,
            output: Sink::default(),
            trace: Sink::default(),
            trace_buffer: 0,
            trace_options: 0,
            self_output: Sink::default(),
            self_trace: Sink::default(),
            self_trace_buffer: 0,
            self_trace_options: 0,
            frag_size: 4096,
            resv_tids: false,
            show_tids: true,
            poll_type: PvmPollConstant,
            poll_time: 0,
            no_reset: false,
        }
    }
}

impl Options {
    /// The value of option `what`, as `pvm_getopt` returns it.
    pub fn get(&self, what: i32) -> Result<i32> {
        Ok(match what {
            PvmRoute => self.route.to_pvm(),
            PvmDebugMask => self.debug_mask,
            PvmAutoErr => self.auto_err,
            PvmOutputTid => self.output.tid,
            PvmOutputCode => self.output.code,
            PvmOutputContext => self.output.ctx,
            PvmTraceTid => self.trace.tid,
            PvmTraceCode => self.trace.code,
            PvmTraceContext => self.trace.ctx,
            PvmTraceBuffer => self.trace_buffer,
            PvmTraceOptions => self.trace_options,
            PvmSelfOutputTid => self.self_output.tid,
            PvmSelfOutputCode => self.self_output.code,
            PvmSelfOutputContext => self.self_output.ctx,
            PvmSelfTraceTid => self.self_trace.tid,
            PvmSelfTraceCode => self.self_trace.code,
            PvmSelfTraceContext => self.self_trace.ctx,
            PvmSelfTraceBuffer => self.self_trace_buffer,
            PvmSelfTraceOptions => self.self_trace_options,
            PvmFragSize => self.frag_size,
            PvmResvTids => i32::from(self.resv_tids),
            PvmShowTids => i32::from(self.show_tids),
            PvmPollType => self.poll_type,
            PvmPollTime => self.poll_time,
            PvmNoReset => i32::from(self.no_reset),
            _ => return Err(PvmError::BadParam),
        })
    }

    /// Sets option `what` to `val` and returns the old value, as `pvm_setopt` does.
    pub fn set(&mut self, what: i32, val: i32) -> Result<i32> {
        let old = self.get(what)?;
        let nonneg = || {
            if val >= 0 {
                Ok(val)
            } else {
                Err(PvmError::BadParam)
            }
        };
        let at_least_minus_one = || {
            if val >= -1 {
                Ok(val)
            } else {
                Err(PvmError::BadParam)
            }
        };
        match what {
            PvmRoute => self.route = Route::from_pvm(val).ok_or(PvmError::BadParam)?,
            PvmDebugMask => self.debug_mask = val,
            PvmAutoErr => self.auto_err = nonneg()?,
            PvmOutputTid => self.output.tid = nonneg()?,
            PvmOutputCode => self.output.code = val,
            PvmOutputContext => self.output.ctx = val,
            PvmTraceTid => self.trace.tid = nonneg()?,
            PvmTraceCode => self.trace.code = val,
            PvmTraceContext => self.trace.ctx = val,
            PvmTraceBuffer => self.trace_buffer = nonneg()?,
            PvmTraceOptions => self.trace_options = val,
            // -1 is accepted as PVM does (PVM's console sets it before joining).
            PvmSelfOutputTid => self.self_output.tid = at_least_minus_one()?,
            PvmSelfOutputCode => self.self_output.code = val,
            PvmSelfOutputContext => self.self_output.ctx = val,
            PvmSelfTraceTid => self.self_trace.tid = at_least_minus_one()?,
            PvmSelfTraceCode => self.self_trace.code = val,
            PvmSelfTraceContext => self.self_trace.ctx = val,
            PvmSelfTraceBuffer => self.self_trace_buffer = nonneg()?,
            PvmSelfTraceOptions => self.self_trace_options = val,
            PvmFragSize => {
                self.frag_size = if val > 0 {
                    val
                } else {
                    return Err(PvmError::BadParam);
                }
            }
            PvmResvTids => self.resv_tids = val != 0,
            PvmShowTids => self.show_tids = val != 0,
            PvmPollType => {
                self.poll_type = match val {
                    PvmPollConstant | PvmPollSleep => val,
                    _ => return Err(PvmError::BadParam),
                }
            }
            PvmPollTime => self.poll_time = nonneg()?,
            PvmNoReset => self.no_reset = val != 0,
            _ => return Err(PvmError::BadParam),
        }
        Ok(old)
    }
}

impl super::Pvm {
    /// `pvm_getopt`: the value of option `what`.
    pub fn getopt(&self, what: i32) -> Result<i32> {
        self.options().get(what)
    }

    /// The tasks this one sends to over direct links (`PvmRouteDirect` routes that
    /// were accepted); empty before joining.
    pub fn direct_peers(&self) -> Vec<Tid> {
        match self.lock_session().as_ref() {
            Some(s) => s.links.open_peers(),
            None => Vec::new(),
        }
    }

    /// `pvm_setopt`: sets option `what` and returns its previous value. Options pvmd
    /// or the running session act on take effect at once.
    pub fn setopt(&self, what: i32, val: i32) -> Result<i32> {
        let old = self.options().set(what, val)?;
        let session = self.lock_session().clone();
        let Some(s) = session else {
            return Ok(old);
        };
        match what {
            PvmRoute => s.set_accepting(val != PvmDontRoute),
            PvmShowTids => s.output.set_show_tids(val != 0),
            PvmNoReset | PvmResvTids => {
                let on = val != 0;
                let opt = if what == PvmNoReset {
                    TaskOpt::NoReset { on }
                } else {
                    TaskOpt::ResvTids { on }
                };
                s.conn.request(Request::SetOpt { opt })?;
            }
            _ => {}
        }
        Ok(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_returns_old_value() {
        let mut o = Options::default();
        assert_eq!(o.set(PvmRoute, PvmRouteDirect), Ok(PvmAllowDirect));
        assert_eq!(o.get(PvmRoute), Ok(PvmRouteDirect));
        assert_eq!(o.route, Route::Direct);
        assert_eq!(o.set(PvmShowTids, 0), Ok(1));
        // PVM's console turns its own redirections off with -1.
        assert_eq!(o.set(PvmSelfOutputTid, -1), Ok(0));
        assert_eq!(o.set(PvmSelfTraceTid, -1), Ok(0));
    }

    #[test]
    fn bad_values_refused() {
        let mut o = Options::default();
        assert_eq!(o.set(PvmRoute, 9), Err(PvmError::BadParam));
        assert_eq!(o.set(999, 1), Err(PvmError::BadParam));
        assert_eq!(o.get(0), Err(PvmError::BadParam));
        assert_eq!(o.set(PvmOutputTid, -5), Err(PvmError::BadParam));
        assert_eq!(o.set(PvmSelfOutputTid, -2), Err(PvmError::BadParam));
        assert_eq!(o, Options::default());
    }
}
