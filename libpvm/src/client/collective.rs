//! Collective group operations (PVM's libgpvm): reduce, gather, scatter.
//!
//! All three are built from point-to-point messages between the members of a group,
//! as PVM 3.4 builds them: the members are taken in instance order (instance `i` is the
//! `i`-th member pvmd lists), the root is the member with instance `root_inst`, and
//! every message carries the tag the caller gives, so a program keeps these messages
//! apart from its own by choosing the tag. Bodies travel in the native (raw) encoding:
//! the members of one virtual machine share the host's layout, and a C `long` keeps
//! all of its 64 bits (XDR would carry only 32).

use super::Pvm;
use crate::error::{PvmError, Result};
use crate::pack::{Buffer, Encoding, Scalar};
use crate::tid::Tid;

/// Where this task stands in a group for one collective call.
struct Roles {
    /// The members in instance order.
    members: Vec<Tid>,
    /// This task's instance.
    me: usize,
    /// The root's instance.
    root: usize,
}

impl Roles {
    fn is_root(&self) -> bool {
        self.me == self.root
    }

    fn root_tid(&self) -> Tid {
        self.members[self.root]
    }

    /// Items in one run of `n` per member: what the root's gather result and scatter
    /// data must hold.
    fn all_runs(&self, n: usize) -> Result<usize> {
        n.checked_mul(self.members.len()).ok_or(PvmError::BadParam)
    }
}

impl Pvm {
    /// `pvm_freezegroup` as PVM 3.4 defines it: fixes the group's size at `size` (`-1`:
    /// its size now) and, being a synchronising call, returns only once that many
    /// members have called it; returns the frozen size. Programs rely on the wait
    /// (Debian's gexample freezes, then reduces, expecting every member present).
    pub fn freezegroup_sync(&self, group: &str, size: i32) -> Result<i32> {
        self.freezegroup(group, size)?;
        let frozen = if size == -1 { self.gsize(group)? } else { size };
        if frozen > 0 {
            self.barrier(group, frozen)?;
        }
        Ok(frozen)
    }

    /// Looks up the group's members and this task's and the root's place among them.
    fn roles(&self, group: &str, root_inst: i32) -> Result<Roles> {
        let root = usize::try_from(root_inst).map_err(|_| PvmError::BadParam)?;
        let members = self.group_members(group)?;
        let me_tid = self.mytid()?;
        let me = members
            .iter()
            .position(|&t| t == me_tid)
            .ok_or(PvmError::NotInGroup)?;
        if root >= members.len() {
            return Err(PvmError::NoInst);
        }
        Ok(Roles { members, me, root })
    }

    /// Sends `data` to `dst` as one raw-encoded message with `tag`.
    fn send_items<T: Scalar>(&self, dst: Tid, tag: i32, data: &[T]) -> Result<()> {
        let mut b = Buffer::new(Encoding::Raw);
        b.pack_slice(data, 1)?;
        self.send_buf(dst, tag, &mut b)
    }

    /// Receives one message with `tag` from `src` and unpacks exactly `out.len()` items
    /// into `out`; a message holding fewer is `PvmNoData`.
    fn recv_items<T: Scalar>(&self, src: Tid, tag: i32, out: &mut [T]) -> Result<()> {
        let m = self.recv_bytes(src.raw(), tag)?;
        let mut b = m.into_buffer()?;
        if !out.is_empty() {
            b.unpack_into(out, 1)?;
        }
        Ok(())
    }

    /// `pvm_reduce`: combines every member's `data` element-wise with `op` and leaves
    /// the result in the root's `data`; the other members' `data` is left as it was.
    ///
    /// `op(acc, other)` folds `other` into `acc` (both `data.len()` long); the root
    /// starts from its own data and folds the others' in instance order. An error from
    /// `op` ends the call with that error, once every member's message has been taken
    /// so none is left behind in the inbox.
    pub fn reduce<T, F>(
        &self,
        mut op: F,
        data: &mut [T],
        tag: i32,
        group: &str,
        root_inst: i32,
    ) -> Result<()>
    where
        T: Scalar,
        F: FnMut(&mut [T], &[T]) -> Result<()>,
    {
        let roles = self.roles(group, root_inst)?;
        if !roles.is_root() {
            return self.send_items(roles.root_tid(), tag, data);
        }
        let mut other = vec![T::default(); data.len()];
        let mut outcome = Ok(());
        for (inst, &tid) in roles.members.iter().enumerate() {
            if inst == roles.me {
                continue;
            }
            self.recv_items(tid, tag, &mut other)?;
            if outcome.is_ok() {
                outcome = op(data, &other);
            }
        }
        outcome
    }

    /// `pvm_gather`: the root receives every member's `data` (all the same length) and
    /// lays them out in instance order in `result`, which must hold `size * data.len()`
    /// items at the root. Other members pass `None` (their `result` is not used).
    pub fn gather<T: Scalar>(
        &self,
        result: Option<&mut [T]>,
        data: &[T],
        tag: i32,
        group: &str,
        root_inst: i32,
    ) -> Result<()> {
        let roles = self.roles(group, root_inst)?;
        if !roles.is_root() {
            return self.send_items(roles.root_tid(), tag, data);
        }
        let n = data.len();
        let result = result.ok_or(PvmError::BadParam)?;
        let slots = result
            .get_mut(..roles.all_runs(n)?)
            .ok_or(PvmError::BadParam)?;
        for (inst, &tid) in roles.members.iter().enumerate() {
            let slot = &mut slots[inst * n..(inst + 1) * n];
            if inst == roles.me {
                slot.copy_from_slice(data);
            } else {
                self.recv_items(tid, tag, slot)?;
            }
        }
        Ok(())
    }

    /// `pvm_scatter`: the root sends the `i`-th run of `result.len()` items of `data`
    /// to instance `i`; every member (the root too) gets its run in `result`. Only the
    /// root's `data` is used, and it must hold `size * result.len()` items.
    pub fn scatter<T: Scalar>(
        &self,
        result: &mut [T],
        data: Option<&[T]>,
        tag: i32,
        group: &str,
        root_inst: i32,
    ) -> Result<()> {
        let roles = self.roles(group, root_inst)?;
        if !roles.is_root() {
            return self.recv_items(roles.root_tid(), tag, result);
        }
        let n = result.len();
        let data = data.ok_or(PvmError::BadParam)?;
        let runs = data.get(..roles.all_runs(n)?).ok_or(PvmError::BadParam)?;
        for (inst, &tid) in roles.members.iter().enumerate() {
            let run = &runs[inst * n..(inst + 1) * n];
            if inst == roles.me {
                result.copy_from_slice(run);
            } else {
                self.send_items(tid, tag, run)?;
            }
        }
        Ok(())
    }
}
