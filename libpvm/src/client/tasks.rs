//! Task life: spawn, family (parent, siblings), kill, signals, halt.

use super::output::{CATCHOUT_CTX, CATCHOUT_TAG};
use super::Pvm;
use crate::constants::{PvmTaskArch, PvmTaskHost};
use crate::error::{PvmError, Result};
use crate::proto::{Redirect, Reply, Request, SpawnRequest};
use crate::tid::Tid;

/// What one `spawn` call produced: per requested instance, its tid or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spawned(pub Vec<Result<Tid>>);

impl Spawned {
    /// The tasks that started, in order.
    pub fn tids(&self) -> impl Iterator<Item = Tid> + '_ {
        self.0.iter().filter_map(|r| r.ok())
    }

    /// The first task that started.
    pub fn first(&self) -> Option<Tid> {
        self.tids().next()
    }

    /// How many started (`numt` in PVM).
    pub fn started(&self) -> usize {
        self.tids().count()
    }

    /// The first failure, if any instance failed.
    pub fn first_error(&self) -> Option<PvmError> {
        self.0.iter().find_map(|r| r.err())
    }

    /// PVM's `tids` array: tids, and error codes where an instance failed.
    pub fn codes(&self) -> Vec<i32> {
        self.0
            .iter()
            .map(|r| match r {
                Ok(t) => t.raw(),
                Err(e) => e.code(),
            })
            .collect()
    }
}

impl Pvm {
    /// `pvm_spawn`: starts `count` copies of `file` with `args`.
    ///
    /// `flags` is PvmTaskDefault, PvmTaskHost (`where_` names a host) or PvmTaskArch
    /// (`where_` names an architecture), possibly with PvmTaskDebug... or-ed. The
    /// program is found as PVM finds it: an absolute path, else the host's `ep=` path
    /// (`$HOME/pvm3/bin/$PVM_ARCH:$PVM_ROOT/bin/$PVM_ARCH` by default). A program that
    /// is not found fails each instance with `PvmNoFile`.
    pub fn spawn(
        &self,
        file: &str,
        args: &[&str],
        flags: i32,
        where_: &str,
        count: usize,
    ) -> Result<Spawned> {
        if file.is_empty() || count == 0 || count > i32::MAX as usize {
            return Err(PvmError::BadParam);
        }
        if flags & (PvmTaskHost | PvmTaskArch) != 0 && where_.is_empty() {
            return Err(PvmError::BadParam);
        }
        let s = self.session()?;
        let (output, trace) = {
            let o = self.options();
            (Redirect::from(o.output), Redirect::from(o.trace))
        };
        let req = SpawnRequest {
            file: file.to_string(),
            argv: args.iter().map(|a| a.to_string()).collect(),
            flags,
            where_: where_.to_string(),
            count: count as u32,
            env: {
                let mut env = child_env(self.getcontext());
                env.extend(self.child_trace_env());
                env
            },
            output,
            trace,
        };
        match s.conn.request(Request::Spawn { spawn: req })? {
            Reply::Spawned { results } => Ok(Spawned(
                results
                    .into_iter()
                    .map(|r| Tid::from_raw(r).ok_or_else(|| code_error(r)))
                    .collect(),
            )),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_parent`: the task that spawned this one (`PvmNoParent` when started from
    /// a shell).
    pub fn parent(&self) -> Result<Tid> {
        self.session()?.welcome().parent.ok_or(PvmError::NoParent)
    }

    /// `pvm_siblings`: the tasks started by the same spawn call, this one included, in
    /// spawn order. A task started from a shell is its own only sibling.
    pub fn siblings(&self) -> Result<Vec<Tid>> {
        let s = self.session()?;
        let sibs = &s.welcome().siblings;
        Ok(if sibs.is_empty() {
            vec![s.me()]
        } else {
            sibs.clone()
        })
    }

    /// `pvm_kill`: terminates a task (SIGTERM, as PVM). As in PVM, a task that does not
    /// exist (any more) is not an error; a pvmd's tid is `PvmBadParam`.
    pub fn kill(&self, tid: Tid) -> Result<()> {
        if tid.raw() <= 0 || tid.is_pvmd() {
            return Err(PvmError::BadParam);
        }
        let r = self.session()?.conn.request(Request::Kill { tid });
        unknown_is_fine(r)
    }

    /// `pvm_sendsig`: sends signal `signal` to a task. Like [`Pvm::kill`], a task that
    /// does not exist (any more) is not an error.
    pub fn sendsig(&self, tid: Tid, signal: i32) -> Result<()> {
        if tid.raw() <= 0 || tid.is_pvmd() || signal <= 0 {
            return Err(PvmError::BadParam);
        }
        let r = self
            .session()?
            .conn
            .request(Request::SendSig { tid, signal });
        unknown_is_fine(r)
    }

    /// `pvm_halt`: stops every task and pvmd of the virtual machine.
    pub fn halt(&self) -> Result<()> {
        let s = self.session()?;
        let r = s.conn.request(Request::Halt {});
        // pvmd hangs up as it goes: losing the connection here is the expected end.
        let _ = self.exit_quietly();
        match r {
            Ok(_) | Err(PvmError::SysErr) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Forgets the session without waiting for anything (pvmd is going away).
    fn exit_quietly(&self) -> Result<()> {
        if let Some(s) = self.lock_session().take() {
            s.close();
        }
        Ok(())
    }

    /// The console's `reset`: kills every task but the caller and those that set
    /// `PvmNoReset`; pvmd also drops the mailbox entries of the dead.
    pub fn reset(&self) -> Result<()> {
        self.session()?.conn.request(Request::Reset {})?;
        Ok(())
    }

    /// `pvm_addhosts`: per name, the new host's pvmd tid or why it was not added.
    pub fn addhosts(&self, names: &[&str]) -> Result<Vec<Result<Tid>>> {
        Ok(self
            .addhosts_explained(names)?
            .into_iter()
            .map(|r| r.map_err(|(e, _)| e))
            .collect())
    }

    /// `pvm_addhosts` with pvmd's explanation of each failure (unreachable, no pvmd
    /// at `dx=`, authentication failed...), as the console shows it.
    pub fn addhosts_explained(
        &self,
        names: &[&str],
    ) -> Result<Vec<Result<Tid, (PvmError, String)>>> {
        let names = names.iter().map(|n| n.to_string()).collect();
        match self.session()?.conn.request(Request::AddHosts { names })? {
            Reply::Hosts { results, reasons } => Ok(results
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    Tid::from_raw(r)
                        .ok_or_else(|| (code_error(r), reasons.get(i).cloned().unwrap_or_default()))
                })
                .collect()),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_delhosts`: per name, whether it was deleted.
    pub fn delhosts(&self, names: &[&str]) -> Result<Vec<Result<()>>> {
        let names = names.iter().map(|n| n.to_string()).collect();
        match self.session()?.conn.request(Request::DelHosts { names })? {
            Reply::Hosts { results, .. } => Ok(results
                .into_iter()
                .map(|r| if r >= 0 { Ok(()) } else { Err(code_error(r)) })
                .collect()),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_catchout`: children spawned from now on send their stdout and stderr here,
    /// a line at a time, `[t40003] text` (or bare when `PvmShowTids` is off), framed by
    /// `BEGIN` and `EOF` lines; `None` stops catching. `pvm_exit` waits for the output
    /// of children that are still running.
    pub fn catchout(&self, sink: Option<Box<dyn std::io::Write + Send>>) -> Result<()> {
        let s = self.session()?;
        let on = sink.is_some();
        s.output.set_sink(sink);
        let mut o = self.options();
        o.output = if on {
            super::options::Sink {
                tid: s.me().raw(),
                code: CATCHOUT_TAG,
                ctx: CATCHOUT_CTX,
            }
        } else {
            super::options::Sink::default()
        };
        Ok(())
    }
}

/// `NAME=value` for each variable named in `PVM_EXPORT` (colon-separated), plus
/// `PVM_EXPORT` itself, so children see what the parent exports.
/// The environment a spawned task gets from this one: the variables PVM_EXPORT names,
/// and the context the spawn is made in, which the child starts in (as in PVM 3.4).
fn child_env(context: i32) -> Vec<String> {
    let mut env = exported_env();
    if context != 0 {
        env.push(format!("{ENV_CONTEXT}={context}"));
    }
    env
}

/// The variable carrying a spawned task's initial message context.
pub(super) const ENV_CONTEXT: &str = "PVM_TASK_CTX";

fn exported_env() -> Vec<String> {
    let Ok(list) = std::env::var("PVM_EXPORT") else {
        return Vec::new();
    };
    let mut env = vec![format!("PVM_EXPORT={list}")];
    for name in list.split(':').filter(|n| !n.is_empty()) {
        if let Ok(v) = std::env::var(name) {
            env.push(format!("{name}={v}"));
        }
    }
    env
}

/// The error for a code pvmd sent, `PvmDSysErr` for one we do not know.
pub(super) fn code_error(code: i32) -> PvmError {
    PvmError::from_code(code).unwrap_or(PvmError::DSysErr)
}

/// A reply of the wrong kind: pvmd and library disagree about the protocol.
pub(super) fn unexpected(reply: &Reply) -> PvmError {
    tracing::warn!("unexpected reply from pvmd: {reply:?}");
    PvmError::DSysErr
}

/// PVM's pvmd drops a kill or signal for a task it does not know without a word, so
/// `pvm_kill` and `pvm_sendsig` succeed for it: a task that just exited is no error.
fn unknown_is_fine(r: Result<Reply>) -> Result<()> {
    match r {
        Ok(_) | Err(PvmError::NoTask) => Ok(()),
        Err(e) => Err(e),
    }
}
