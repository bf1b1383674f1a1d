//! Spawning across hosts: placing the instances, starting this host's share, asking
//! the other hosts for theirs, and handing every instance its sibling list.

use std::collections::BTreeMap;

use pvm::error::PvmError;
use pvm::proto::consts::{PVM_HOST_COMPL, PVM_TASK_ARCH, PVM_TASK_HOST};
use pvm::proto::peer::PeerMsg;
use pvm::proto::{Reply, Request, SpawnRequest};
use pvm::tid::Tid;

use super::{SpawnGather, Then, SIBLINGS_WAIT};
use crate::daemon::{Daemon, Event, ReplyTo};
use crate::requests::MAX_SPAWN;

impl Daemon {
    /// Holds the welcome of a task spawned for another host until its siblings are
    /// known.
    pub(super) fn await_siblings(&mut self, tid: Tid) {
        if let Some(t) = self.tasks.get_mut(tid) {
            t.awaiting_siblings = true;
        }
        let events = self.events.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SIBLINGS_WAIT).await;
            let _ = events.send(Event::SiblingsTimeout(tid));
        });
    }

    // ----- spawning across hosts -----

    /// `pvm_spawn`: places the instances (PvmTaskHost, PvmTaskArch, or round robin by
    /// speed), starts this host's share and asks the other hosts for theirs.
    pub(super) fn spawn(&mut self, to: ReplyTo, parent: Tid, req: SpawnRequest) {
        if req.count > MAX_SPAWN {
            self.answer(to, spawned(vec![PvmError::BadParam.code()]));
            return;
        }
        let count = req.count as usize;
        let eligible = self.eligible(&req);
        if eligible.is_empty() {
            self.answer(to, spawned(vec![PvmError::NoHost.code(); count]));
            return;
        }
        let placed = self.hosts.place(&eligible, count);
        let mut by_host: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (slot, host) in placed.into_iter().enumerate() {
            by_host.entry(host).or_default().push(slot);
        }
        let me = self.hosts.me();
        let gather = self.cluster.gather_id();
        let mut g = SpawnGather {
            to,
            results: vec![PvmError::HostFail.code(); count],
            waiting: 0,
            hosts: by_host.keys().copied().collect(),
        };
        if let Some(slots) = by_host.remove(&me) {
            let here = SpawnRequest {
                count: slots.len() as u32,
                ..req.clone()
            };
            for (slot, r) in slots.into_iter().zip(self.spawn_here(parent, &here)) {
                g.results[slot] = r;
            }
        }
        g.waiting = by_host.len();
        self.cluster.spawns.insert(gather, g);
        for (host, slots) in by_host {
            let there = SpawnRequest {
                count: slots.len() as u32,
                ..req.clone()
            };
            let then = Then::Spawn { gather, slots };
            self.call_peer(host, parent, Request::Spawn { spawn: there }, then);
        }
        self.finish_spawn(gather);
    }

    /// The hosts an instance of `req` may run on.
    pub(super) fn eligible(&self, req: &SpawnRequest) -> Vec<u32> {
        let all = self.hosts.numbers();
        let compl = req.flags & PVM_HOST_COMPL != 0;
        let chosen: Box<dyn Fn(u32) -> bool + '_> = if req.flags & PVM_TASK_HOST != 0 {
            let named = self.hosts.find(&req.where_);
            Box::new(move |h| named == Some(h))
        } else if req.flags & PVM_TASK_ARCH != 0 {
            Box::new(|h| self.hosts.arch(h) == Some(req.where_.as_str()))
        } else {
            return all;
        };
        all.into_iter().filter(|h| chosen(*h) != compl).collect()
    }

    pub(super) fn spawn_answered(&mut self, gather: u64, slots: &[usize], reply: Reply) {
        let Some(g) = self.cluster.spawns.get_mut(&gather) else {
            return;
        };
        let results = match reply {
            Reply::Spawned { results } => results,
            Reply::Error { code, .. } => vec![code; slots.len()],
            _ => vec![PvmError::SysErr.code(); slots.len()],
        };
        for (i, slot) in slots.iter().enumerate() {
            if let Some(r) = g.results.get_mut(*slot) {
                *r = results.get(i).copied().unwrap_or(PvmError::SysErr.code());
            }
        }
        g.waiting = g.waiting.saturating_sub(1);
        self.finish_spawn(gather);
    }

    /// Once every host reported: the sibling list to every host that started one, and
    /// the results to the spawner.
    pub(super) fn finish_spawn(&mut self, gather: u64) {
        if self
            .cluster
            .spawns
            .get(&gather)
            .is_none_or(|g| g.waiting > 0)
        {
            return;
        }
        let Some(g) = self.cluster.spawns.remove(&gather) else {
            return;
        };
        let tids: Vec<Tid> = g.results.iter().filter_map(|r| Tid::from_raw(*r)).collect();
        let me = self.hosts.me();
        self.set_siblings(&tids);
        for host in g.hosts.into_iter().filter(|h| *h != me) {
            if tids.iter().any(|t| t.host() == host) {
                let msg = PeerMsg::Siblings {
                    from: self.me,
                    to: Tid::pvmd(host),
                    tids: tids.clone(),
                };
                self.send_peer(Tid::pvmd(host), msg);
            }
        }
        self.answer(g.to, spawned(g.results));
    }

    pub(super) fn siblings(&mut self, tids: Vec<Tid>) {
        self.set_siblings(&tids);
        let me = self.hosts.me();
        for tid in tids.into_iter().filter(|t| t.host() == me) {
            self.release_welcome(tid);
        }
    }
}

fn spawned(results: Vec<i32>) -> Reply {
    Reply::Spawned { results }
}
