//! Dynamic process groups (PVM's libgpvm): join, leave, instances, barrier, bcast.
//!
//! pvmd keeps the groups: a task joins under a name and gets the lowest free instance
//! number; the group forgets a task that leaves or exits. Barriers are answered when
//! enough members arrived. `bcast` multicasts to the members the group has now.

use super::tasks::{code_error, unexpected};
use super::Pvm;
use crate::error::{PvmError, Result};
use crate::proto::{GroupOp, Reply, Request};
use crate::tid::Tid;

impl Pvm {
    fn group(&self, op: GroupOp) -> Result<Reply> {
        self.session()?.conn.request(Request::Group { op })
    }

    fn group_value(&self, op: GroupOp) -> Result<i32> {
        match self.group(op)? {
            Reply::Value { value } if value >= 0 => Ok(value),
            Reply::Value { value } => Err(code_error(value)),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_joingroup`: joins `group`; returns this task's instance number in it.
    pub fn joingroup(&self, group: &str) -> Result<i32> {
        let group = named(group)?;
        self.group_value(GroupOp::Join { group })
    }

    /// `pvm_lvgroup`: leaves `group`.
    pub fn lvgroup(&self, group: &str) -> Result<()> {
        let group = named(group)?;
        self.group(GroupOp::Leave { group }).map(drop)
    }

    /// `pvm_getinst`: the instance number of `tid` in `group`.
    pub fn getinst(&self, group: &str, tid: Tid) -> Result<i32> {
        let group = named(group)?;
        self.group_value(GroupOp::GetInst { group, tid })
    }

    /// `pvm_gettid`: the task holding instance `inst` of `group`.
    pub fn gettid(&self, group: &str, inst: i32) -> Result<Tid> {
        let group = named(group)?;
        if inst < 0 {
            return Err(PvmError::BadParam);
        }
        let raw = self.group_value(GroupOp::GetTid { group, inst })?;
        Tid::from_raw(raw).ok_or(PvmError::NoInst)
    }

    /// `pvm_gsize`: how many members `group` has.
    pub fn gsize(&self, group: &str) -> Result<i32> {
        let group = named(group)?;
        self.group_value(GroupOp::Size { group })
    }

    /// `pvm_barrier`: waits until `count` members (`-1`: all of them) reached it.
    pub fn barrier(&self, group: &str, count: i32) -> Result<()> {
        let group = named(group)?;
        if count < -1 || count == 0 {
            return Err(PvmError::BadParam);
        }
        self.group(GroupOp::Barrier { group, count }).map(drop)
    }

    /// `pvm_freezegroup`: fixes the group's size at `size` (`-1`: its size now).
    pub fn freezegroup(&self, group: &str, size: i32) -> Result<()> {
        let group = named(group)?;
        if size < -1 {
            return Err(PvmError::BadParam);
        }
        self.group(GroupOp::Freeze { group, size }).map(drop)
    }

    /// The members of `group` in instance order.
    pub fn group_members(&self, group: &str) -> Result<Vec<Tid>> {
        let group = named(group)?;
        match self.group(GroupOp::Members { group })? {
            Reply::Tids { tids } => Ok(tids),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_bcast`: sends the active send buffer to every member of `group` but this
    /// task.
    pub fn bcast(&self, group: &str, tag: i32) -> Result<()> {
        let members = self.group_members(group)?;
        self.mcast(&members, tag)
    }
}

/// A group name as PVM wants it: empty is `PvmNullGroup`.
fn named(group: &str) -> Result<String> {
    if group.is_empty() {
        return Err(PvmError::NullGroup);
    }
    Ok(group.to_string())
}
