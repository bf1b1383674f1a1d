//! Questions about the virtual machine: config, tasks, mstat, pstat, tidtohost,
//! hostsync, the tasks spared by reset.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::tasks::{code_error, unexpected};
use super::Pvm;
use crate::error::{PvmError, Result};
use crate::proto::consts::TF_NORESET;
use crate::proto::{HostInfo, Reply, Request, TaskInfo};
use crate::tid::Tid;

impl Pvm {
    /// `pvm_config`: the hosts of the virtual machine.
    pub fn config(&self) -> Result<Vec<HostInfo>> {
        match self.session()?.conn.request(Request::Config {})? {
            Reply::Config { hosts } => Ok(hosts),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_tasks(which)`: every task (`None`), the tasks of one host (a pvmd's tid)
    /// or one task (its tid).
    pub fn tasks(&self, which: Option<Tid>) -> Result<Vec<TaskInfo>> {
        let which = which.unwrap_or_default();
        match self.session()?.conn.request(Request::Tasks { which })? {
            Reply::Tasks { tasks } => Ok(tasks),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_mstat`: whether host `host` is up (`Ok`), or `PvmNoHost` / `PvmHostFail`.
    pub fn mstat(&self, host: &str) -> Result<()> {
        if host.is_empty() {
            return Err(PvmError::BadParam);
        }
        let req = Request::Mstat {
            host: host.to_string(),
        };
        status(self.session()?.conn.request(req)?)
    }

    /// `pvm_pstat`: whether task `tid` is running (`Ok`), else `PvmNoTask`.
    pub fn pstat(&self, tid: Tid) -> Result<()> {
        if tid.raw() <= 0 {
            return Err(PvmError::BadParam);
        }
        status(self.session()?.conn.request(Request::Pstat { tid })?)
    }

    /// `pvm_hostsync`: a sample of the time of day on the host whose pvmd is `host`,
    /// and how far that clock is ahead of ours (negative: behind), measured against
    /// the mean of our clock before and after the question, as PVM does.
    pub fn hostsync(&self, host: Tid) -> Result<(SystemTime, Duration, bool)> {
        if !host.is_pvmd() {
            return Err(PvmError::BadParam);
        }
        let s = self.session()?;
        let before = SystemTime::now();
        let reply = s.conn.request(Request::HostClock { host })?;
        let after = SystemTime::now();
        let micros = match reply {
            Reply::Clock { micros } => micros,
            Reply::Error { code, .. } => return Err(code_error(code)),
            other => return Err(unexpected(&other)),
        };
        let remote = UNIX_EPOCH + Duration::from_micros(micros);
        let span = after.duration_since(before).unwrap_or_default();
        let mean = before + span / 2;
        Ok(match remote.duration_since(mean) {
            Ok(ahead) => (remote, ahead, false),
            Err(e) => (remote, e.duration(), true),
        })
    }

    /// `pvm_tickle(args)`: asks the local pvmd for the debugging action `args[0]`
    /// (at most [`crate::proto::consts::TICKLE_MAX_ARGS`] ints); its
    /// results, none for most actions. No argument, or too many, is PvmBadParam.
    pub fn tickle(&self, args: &[i32]) -> Result<Vec<i32>> {
        if args.is_empty() || args.len() > crate::proto::consts::TICKLE_MAX_ARGS {
            return Err(PvmError::BadParam);
        }
        let args = args.to_vec();
        match self.session()?.conn.request(Request::Tickle { args })? {
            Reply::Tickled { results } => Ok(results),
            Reply::Error { code, .. } => Err(code_error(code)),
            other => Err(unexpected(&other)),
        }
    }

    /// The tasks that set PvmNoReset (`pvm_getnoresets`): those `reset` spares.
    pub fn noresets(&self) -> Result<Vec<Tid>> {
        Ok(self
            .tasks(None)?
            .into_iter()
            .filter(|t| t.flag & TF_NORESET != 0)
            .map(|t| t.tid)
            .collect())
    }

    /// `pvm_tidtohost`: the tid of the pvmd on the host where `tid` runs.
    pub fn tidtohost(&self, tid: Tid) -> Result<Tid> {
        if tid.raw() <= 0 || tid.host() == 0 {
            return Err(PvmError::BadParam);
        }
        Ok(tid.host_daemon())
    }
}

/// A status reply: `Value { 0 }` is success, a negative value a PVM error.
fn status(reply: Reply) -> Result<()> {
    match reply {
        Reply::Value { value: 0 } | Reply::Done {} => Ok(()),
        Reply::Value { value } => Err(code_error(value)),
        other => Err(unexpected(&other)),
    }
}
