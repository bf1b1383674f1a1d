//! Dynamic process groups (what PVM's group server does): membership with instance
//! numbers, barriers, freezing, and the member list `pvm_bcast` sends to.
//!
//! A group exists while it has members. Instance numbers are the lowest free ones, so
//! a task that leaves frees its number for the next joiner, as in PVM. A task that
//! exits leaves every group it was in.

use std::collections::BTreeMap;

use pvm::error::PvmError;
use pvm::proto::{GroupOp, Reply};
use pvm::tid::Tid;

use crate::outbox::{done, value, Outbox};
use crate::router::ReplyTo;

/// A task waiting in `pvm_barrier`: the reply to send when the barrier opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarrierWaiter {
    pub to: ReplyTo,
    pub tid: Tid,
}

#[derive(Debug, Default)]
struct Group {
    /// Members by instance number.
    members: BTreeMap<i32, Tid>,
    /// Set by `pvm_freezegroup`: no joins once this many are members.
    freeze_at: Option<usize>,
    /// How many a pending barrier waits for, and who waits.
    barrier: Option<(usize, Vec<BarrierWaiter>)>,
}

impl Group {
    fn inst_of(&self, tid: Tid) -> Option<i32> {
        self.members
            .iter()
            .find(|(_, t)| **t == tid)
            .map(|(i, _)| *i)
    }
}

/// Answers the tasks a barrier let through.
fn release(out: &Outbox, waiters: Vec<BarrierWaiter>) {
    for w in waiters {
        out.answer(w.to, Reply::Done {});
    }
}

/// Every group of the virtual machine.
#[derive(Debug, Default)]
pub struct Groups {
    groups: BTreeMap<String, Group>,
}

fn name_ok(name: &str) -> Result<(), PvmError> {
    if name.is_empty() {
        Err(PvmError::NullGroup)
    } else {
        Ok(())
    }
}

impl Groups {
    /// Carries out group operation `op` of task `tid`, answered to `to`: the answer,
    /// or `None` when it waits (a barrier not yet open). Waiters a departure or an
    /// arrival releases are answered through `out`.
    pub fn apply(&mut self, out: &Outbox, to: ReplyTo, tid: Tid, op: GroupOp) -> Option<Reply> {
        let reply = match op {
            GroupOp::Join { group } => value(self.join(&group, tid)),
            GroupOp::Leave { group } => {
                done(self.leave(&group, tid).map(|opened| release(out, opened)))
            }
            GroupOp::GetInst { group, tid: t } => value(self.inst(&group, t)),
            GroupOp::GetTid { group, inst } => value(self.tid(&group, inst).map(Tid::raw)),
            GroupOp::Size { group } => value(self.size(&group)),
            GroupOp::Members { group } => match self.members(&group) {
                Ok(tids) => Reply::Tids { tids },
                Err(e) => Reply::error(e),
            },
            GroupOp::Freeze { group, size } => done(self.freeze(&group, tid, size)),
            GroupOp::Barrier { group, count } => {
                let me = BarrierWaiter { to, tid };
                match self.barrier(&group, count, me) {
                    Ok(opened) if opened.is_empty() => return None,
                    Ok(opened) => {
                        // Everyone else first; our own reply is the one returned.
                        release(out, opened.into_iter().filter(|w| *w != me).collect());
                        Reply::Done {}
                    }
                    Err(e) => Reply::error(e),
                }
            }
        };
        Some(reply)
    }

    /// Task `tid` exited: it leaves every group, and the barriers that opened are
    /// answered through `out`.
    pub fn exited(&mut self, out: &Outbox, tid: Tid) {
        let opened = self.task_exited(tid);
        release(out, opened);
    }

    /// `pvm_joingroup`: the instance number.
    pub fn join(&mut self, name: &str, tid: Tid) -> Result<i32, PvmError> {
        name_ok(name)?;
        let g = self.groups.entry(name.to_string()).or_default();
        if g.inst_of(tid).is_some() {
            return Err(PvmError::DupGroup);
        }
        if g.freeze_at.is_some_and(|n| g.members.len() >= n) {
            return Err(PvmError::Denied);
        }
        let inst = (0..).find(|i| !g.members.contains_key(i)).unwrap_or(0);
        g.members.insert(inst, tid);
        Ok(inst)
    }

    /// `pvm_lvgroup`. Returns barriers this departure opened.
    pub fn leave(&mut self, name: &str, tid: Tid) -> Result<Vec<BarrierWaiter>, PvmError> {
        name_ok(name)?;
        let g = self.groups.get_mut(name).ok_or(PvmError::NoGroup)?;
        let inst = g.inst_of(tid).ok_or(PvmError::NotInGroup)?;
        g.members.remove(&inst);
        Ok(self.after_departure(name, tid))
    }

    /// A task exited: it leaves every group. Returns barriers this opened.
    pub fn task_exited(&mut self, tid: Tid) -> Vec<BarrierWaiter> {
        let names: Vec<String> = self
            .groups
            .iter()
            .filter(|(_, g)| g.inst_of(tid).is_some())
            .map(|(n, _)| n.clone())
            .collect();
        let mut opened = Vec::new();
        for name in names {
            if let Some(g) = self.groups.get_mut(&name) {
                g.members.retain(|_, t| *t != tid);
            }
            opened.extend(self.after_departure(&name, tid));
        }
        opened
    }

    /// Drops the departed task from a waiting barrier, opens the barrier if everyone
    /// still in the group is now waiting, and forgets an empty group.
    fn after_departure(&mut self, name: &str, tid: Tid) -> Vec<BarrierWaiter> {
        let Some(g) = self.groups.get_mut(name) else {
            return Vec::new();
        };
        let mut opened = Vec::new();
        if let Some((count, waiters)) = &mut g.barrier {
            waiters.retain(|w| w.tid != tid);
            let want = (*count).min(g.members.len());
            if !waiters.is_empty() && waiters.len() >= want {
                opened = std::mem::take(waiters);
                g.barrier = None;
            }
        }
        if g.members.is_empty() {
            self.groups.remove(name);
        }
        opened
    }

    /// `pvm_getinst`.
    pub fn inst(&self, name: &str, tid: Tid) -> Result<i32, PvmError> {
        name_ok(name)?;
        let g = self.groups.get(name).ok_or(PvmError::NoGroup)?;
        g.inst_of(tid).ok_or(PvmError::NotInGroup)
    }

    /// `pvm_gettid`.
    pub fn tid(&self, name: &str, inst: i32) -> Result<Tid, PvmError> {
        name_ok(name)?;
        let g = self.groups.get(name).ok_or(PvmError::NoGroup)?;
        g.members.get(&inst).copied().ok_or(PvmError::NoInst)
    }

    /// `pvm_gsize`.
    pub fn size(&self, name: &str) -> Result<i32, PvmError> {
        name_ok(name)?;
        let g = self.groups.get(name).ok_or(PvmError::NoGroup)?;
        Ok(i32::try_from(g.members.len()).unwrap_or(i32::MAX))
    }

    /// Members in instance order (`pvm_bcast`'s destinations).
    pub fn members(&self, name: &str) -> Result<Vec<Tid>, PvmError> {
        name_ok(name)?;
        let g = self.groups.get(name).ok_or(PvmError::NoGroup)?;
        Ok(g.members.values().copied().collect())
    }

    /// Every member of every group whose tid is on host number `host`.
    pub fn members_on(&self, host: u32) -> Vec<Tid> {
        let mut all: Vec<Tid> = self
            .groups
            .values()
            .flat_map(|g| g.members.values())
            .filter(|t| t.host() == host)
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// `pvm_freezegroup(size)`: no joins after `size` members (-1: the current size).
    pub fn freeze(&mut self, name: &str, tid: Tid, size: i32) -> Result<(), PvmError> {
        name_ok(name)?;
        let g = self.groups.get_mut(name).ok_or(PvmError::NoGroup)?;
        g.inst_of(tid).ok_or(PvmError::NotInGroup)?;
        let n = g.members.len();
        g.freeze_at = match size {
            -1 => Some(n),
            s if s >= 0 && s as usize >= n => Some(s as usize),
            _ => return Err(PvmError::BadParam),
        };
        Ok(())
    }

    /// `pvm_barrier(count)` (-1: every member). Returns everyone to release when the
    /// barrier opens with this arrival, or nothing while it must wait.
    pub fn barrier(
        &mut self,
        name: &str,
        count: i32,
        waiter: BarrierWaiter,
    ) -> Result<Vec<BarrierWaiter>, PvmError> {
        name_ok(name)?;
        let g = self.groups.get_mut(name).ok_or(PvmError::NoGroup)?;
        g.inst_of(waiter.tid).ok_or(PvmError::NotInGroup)?;
        let want = match count {
            -1 => g.members.len(),
            c if c > 0 => c as usize,
            _ => return Err(PvmError::BadParam),
        };
        let (stored, waiters) = g.barrier.get_or_insert_with(|| (want, Vec::new()));
        if *stored != want {
            return Err(PvmError::Mismatch);
        }
        if waiters.iter().any(|w| w.tid == waiter.tid) {
            return Err(PvmError::Already);
        }
        waiters.push(waiter);
        if waiters.len() >= want {
            let opened = std::mem::take(waiters);
            g.barrier = None;
            return Ok(opened);
        }
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use pvm::proto::Frame;

    use super::*;
    use crate::wiring::testing::{wires, CONN};

    #[tokio::test]
    async fn a_barrier_answers_the_waiters_when_the_last_arrives() {
        let mut g = Groups::default();
        let [a, b] = [2, 3].map(|local| Tid::new(1, local));
        let to = |id| ReplyTo::Conn { conn: CONN, id };
        let (wiring, mut sent) = wires();
        let out = wiring.outbox();
        let join = |group: &str| GroupOp::Join {
            group: group.into(),
        };
        assert_eq!(
            g.apply(&out, to(1), a, join("g")),
            Some(Reply::Value { value: 0 })
        );
        assert_eq!(
            g.apply(&out, to(2), b, join("g")),
            Some(Reply::Value { value: 1 })
        );
        let barrier = || GroupOp::Barrier {
            group: "g".into(),
            count: 2,
        };
        assert_eq!(g.apply(&out, to(3), a, barrier()), None, "the first waits");
        assert!(sent.try_recv().is_err());
        assert_eq!(g.apply(&out, to(4), b, barrier()), Some(Reply::Done {}));
        assert!(matches!(
            sent.try_recv(),
            Ok(Frame::Reply {
                id: 3,
                reply: Reply::Done {}
            })
        ));
    }

    fn w(tid: u32) -> BarrierWaiter {
        BarrierWaiter {
            to: ReplyTo::Conn {
                conn: u64::from(tid),
                id: 1,
            },
            tid: Tid(tid),
        }
    }

    #[test]
    fn instances_are_lowest_free() {
        let mut g = Groups::default();
        assert_eq!(g.join("g", Tid(1)), Ok(0));
        assert_eq!(g.join("g", Tid(2)), Ok(1));
        assert_eq!(g.join("g", Tid(2)), Err(PvmError::DupGroup));
        g.leave("g", Tid(1)).expect("member leaves");
        assert_eq!(g.join("g", Tid(3)), Ok(0));
        assert_eq!(g.tid("g", 1), Ok(Tid(2)));
        assert_eq!(g.inst("g", Tid(3)), Ok(0));
        assert_eq!(g.size("g"), Ok(2));
        assert_eq!(g.members("g"), Ok(vec![Tid(3), Tid(2)]));
        assert_eq!(g.size("nope"), Err(PvmError::NoGroup));
        assert_eq!(g.join("", Tid(1)), Err(PvmError::NullGroup));
    }

    #[test]
    fn barrier_opens_at_count_and_on_departure() {
        let mut g = Groups::default();
        for t in 1..=3 {
            g.join("b", Tid(t)).expect("join");
        }
        assert!(g.barrier("b", 3, w(1)).expect("wait").is_empty());
        assert!(g.barrier("b", 3, w(2)).expect("wait").is_empty());
        assert_eq!(g.barrier("b", 2, w(3)), Err(PvmError::Mismatch));
        assert_eq!(g.barrier("b", 3, w(3)).expect("opens").len(), 3);
        // Next round: the last member dies instead of arriving.
        assert!(g.barrier("b", -1, w(1)).expect("wait").is_empty());
        assert!(g.barrier("b", -1, w(2)).expect("wait").is_empty());
        assert_eq!(g.task_exited(Tid(3)).len(), 2);
        assert_eq!(g.size("b"), Ok(2));
    }

    #[test]
    fn frozen_group_refuses_joins() {
        let mut g = Groups::default();
        g.join("f", Tid(1)).expect("join");
        g.freeze("f", Tid(1), 2).expect("freeze at two");
        assert_eq!(g.join("f", Tid(2)), Ok(1));
        assert_eq!(g.join("f", Tid(3)), Err(PvmError::Denied));
        g.leave("f", Tid(2)).expect("leave");
        g.leave("f", Tid(1)).expect("leave");
        assert_eq!(g.join("f", Tid(2)), Ok(0), "an emptied group is forgotten");
    }
}
