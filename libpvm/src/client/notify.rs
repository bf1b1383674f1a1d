//! `pvm_notify`: being told when tasks exit and hosts come and go.
//!
//! A notification is an ordinary message from the pvmd's tid, with the tag asked for,
//! in the context current when `notify` was called; its body is one XDR int, the tid of
//! the task that exited or the pvmd tid of the host concerned.
// PVM's constant names are the vocabulary here, also in patterns.
#![allow(non_upper_case_globals)]

use super::Pvm;
use crate::constants::{PvmHostAdd, PvmHostDelete, PvmNotifyCancel, PvmTaskExit};
use crate::error::{PvmError, Result};
use crate::proto::Request;
use crate::tid::Tid;

impl Pvm {
    /// `pvm_notify(what, tag, tids)` for `PvmTaskExit` (task tids) or `PvmHostDelete`
    /// (pvmd tids), possibly or-ed with `PvmNotifyCancel` to cancel earlier requests.
    pub fn notify(&self, what: i32, tag: i32, tids: &[Tid]) -> Result<()> {
        let kind = what & !PvmNotifyCancel;
        if !(kind == PvmTaskExit || kind == PvmHostDelete) || tids.is_empty() {
            return Err(PvmError::BadParam);
        }
        if tids.iter().any(|t| t.raw() <= 0) {
            return Err(PvmError::BadParam);
        }
        self.request_notify(what, tag, tids.len() as i32, tids.to_vec())
    }

    /// `pvm_notify(PvmHostAdd, tag, count)`: the next `count` hosts added are announced
    /// (`-1`: every one from now on). With `PvmNotifyCancel` or-ed in, stops that.
    pub fn notify_host_add(&self, what: i32, tag: i32, count: i32) -> Result<()> {
        if what & !PvmNotifyCancel != PvmHostAdd || count < -1 {
            return Err(PvmError::BadParam);
        }
        self.request_notify(what, tag, count, Vec::new())
    }

    fn request_notify(&self, what: i32, tag: i32, count: i32, targets: Vec<Tid>) -> Result<()> {
        if tag < 0 && !self.options().resv_tids {
            return Err(PvmError::BadParam);
        }
        let req = Request::Notify {
            what,
            tag,
            ctx: self.getcontext(),
            count,
            targets,
        };
        self.session()?.conn.request(req)?;
        Ok(())
    }
}
