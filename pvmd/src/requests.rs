//! The actor's answers to control requests, one function per family.

use pvm::error::PvmError;
use pvm::proto::consts::{
    PVM_MBOX_WAIT_FOR_INFO, PVM_NOTIFY_CANCEL, PVM_NO_SPAWN_PARENT, PVM_TASK_DEBUG,
};
use pvm::proto::{GroupOp, Reply, Request, SpawnRequest, TaskOpt};
use pvm::tid::Tid;

use crate::daemon::{Daemon, Event, InfoWaiter, ReplyTo};
use crate::groups::BarrierWaiter;
use crate::mbox::Put;
use crate::notify::{Event as NotifyEvent, Sub};
use crate::output;
use crate::spawn::{self, Launch};
use crate::tasks::Task;

/// The most instances one spawn may ask for.
pub(crate) const MAX_SPAWN: u32 = 4096;

impl Daemon {
    /// Carries out one request of task `tid` on this pvmd and sends the answer to
    /// `to`. Requests whose answer waits (a blocking recvinfo, a barrier) keep `to`;
    /// requests another host must answer were already sent there by
    /// [`Self::task_request`].
    pub(crate) fn request(&mut self, to: ReplyTo, tid: Tid, req: Request) {
        let reply = match req {
            Request::Hello { .. } => Reply::error_with(PvmError::BadParam, "already joined"),
            Request::Exit {} => {
                if matches!(to, ReplyTo::Conn { .. }) {
                    self.task_gone(tid);
                }
                return;
            }
            Request::Halt {} => {
                self.outputs.log.line(&format!("halt requested by {tid}"));
                self.answer(to, Reply::Done {});
                self.halting = true;
                return;
            }
            Request::GetInfo { name, index, flags } => {
                match self.mbox.get(&name, index, flags, tid) {
                    Ok(e) => info_reply(e),
                    Err(PvmError::NotFound) if flags & PVM_MBOX_WAIT_FOR_INFO != 0 => {
                        self.info_waiters.push(InfoWaiter {
                            to,
                            tid,
                            name,
                            index,
                            flags,
                        });
                        return;
                    }
                    Err(e) => Reply::error(e),
                }
            }
            Request::Group { op } => match self.group(to, tid, op) {
                Some(reply) => reply,
                None => return,
            },
            Request::Spawn { spawn } => Reply::Spawned {
                results: self.spawn_here(tid, &spawn),
            },
            req @ (Request::Tasks { .. }
            | Request::Pstat { .. }
            | Request::Kill { .. }
            | Request::SendSig { .. }
            | Request::Notify { .. }
            | Request::SetOpt { .. }
            | Request::RegisterDirect { .. }
            | Request::RegisterDirectTcp { .. }
            | Request::LookupDirect { .. }) => self.local_task_request(tid, req),
            req => self.vm_request(tid, req),
        };
        self.answer(to, reply);
    }

    /// Sends the answer to a request where it is awaited.
    pub(crate) fn answer(&mut self, to: ReplyTo, reply: Reply) {
        match to {
            ReplyTo::Conn { conn, id } => self.conns.reply(conn, id, reply),
            ReplyTo::Peer { pvmd, id } => {
                let from = self.me;
                self.send_peer(
                    pvmd,
                    pvm::proto::peer::PeerMsg::Answer {
                        id,
                        from,
                        to: pvmd,
                        reply,
                    },
                );
            }
        }
    }

    /// Requests about this host's tasks: listing, signalling, watching, options.
    fn local_task_request(&mut self, tid: Tid, req: Request) -> Reply {
        match req {
            Request::Tasks { which } => self.tasks_of(which),
            Request::Pstat { tid: t } => {
                if t == self.me || self.tasks.get(t).is_some() {
                    Reply::Value { value: 0 }
                } else {
                    Reply::error(PvmError::NoTask)
                }
            }
            Request::Kill { tid: t } => match self.tasks.get(t) {
                Some(task) => {
                    Self::kill_process(task, false);
                    Reply::Done {}
                }
                None => Reply::error(PvmError::NoTask),
            },
            Request::SendSig { tid: t, signal } => self.send_signal(t, signal),
            Request::Notify {
                what,
                tag,
                ctx,
                count,
                targets,
            } => self.notify(tid, what, tag, ctx, count, targets),
            Request::SetOpt { opt } => {
                if let (TaskOpt::NoReset { on }, Some(t)) = (opt, self.tasks.get_mut(tid)) {
                    t.no_reset = on;
                }
                Reply::Done {}
            }
            Request::RegisterDirect { path } => {
                if let Some(t) = self.tasks.get_mut(tid) {
                    t.direct = Some(path);
                }
                Reply::Done {}
            }
            Request::RegisterDirectTcp { port } => {
                if let Some(t) = self.tasks.get_mut(tid) {
                    t.direct_port = Some(port);
                }
                Reply::Done {}
            }
            Request::LookupDirect { tid: t } => Reply::Direct {
                path: self.tasks.get(t).and_then(|t| t.direct.clone()),
            },
            _ => Reply::error(PvmError::BadParam),
        }
    }

    /// Requests about the virtual machine: hosts, reset, mailbox, contexts.
    fn vm_request(&mut self, tid: Tid, req: Request) -> Reply {
        match req {
            Request::Config {} => Reply::Config {
                hosts: self.hosts.config(),
            },
            Request::Mstat { host } => match self.hosts.mstat(&host) {
                Ok(()) => Reply::Value { value: 0 },
                Err(e) => Reply::error(e),
            },
            Request::Reset {} => self.reset(tid),
            Request::PutInfo {
                name,
                flags,
                encoding,
                body,
            } => self.put_info(tid, name, flags, encoding, body),
            Request::DelInfo { name, index, .. } => match self.mbox.delete(&name, index, tid) {
                Ok(()) => Reply::Done {},
                Err(e) => Reply::error(e),
            },
            Request::MboxInfo { pattern } => Reply::Mbox {
                classes: self.mbox.classes(&pattern),
            },
            Request::NewContext {} => self.new_context(),
            Request::FreeContext { ctx } => {
                if self.contexts.remove(&ctx) {
                    Reply::Done {}
                } else {
                    Reply::error(PvmError::BadParam)
                }
            }
            _ => Reply::error(PvmError::BadParam),
        }
    }

    /// Group operations; `None` when the reply waits (a barrier not yet open).
    fn group(&mut self, to: ReplyTo, tid: Tid, op: GroupOp) -> Option<Reply> {
        let value = |r: Result<i32, PvmError>| match r {
            Ok(value) => Reply::Value { value },
            Err(e) => Reply::error(e),
        };
        let reply = match op {
            GroupOp::Join { group } => value(self.groups.join(&group, tid)),
            GroupOp::Leave { group } => match self.groups.leave(&group, tid) {
                Ok(opened) => {
                    self.release_barrier(opened);
                    Reply::Done {}
                }
                Err(e) => Reply::error(e),
            },
            GroupOp::GetInst { group, tid: t } => value(self.groups.inst(&group, t)),
            GroupOp::GetTid { group, inst } => value(self.groups.tid(&group, inst).map(Tid::raw)),
            GroupOp::Size { group } => value(self.groups.size(&group)),
            GroupOp::Members { group } => match self.groups.members(&group) {
                Ok(tids) => Reply::Tids { tids },
                Err(e) => Reply::error(e),
            },
            GroupOp::Freeze { group, size } => match self.groups.freeze(&group, tid, size) {
                Ok(()) => Reply::Done {},
                Err(e) => Reply::error(e),
            },
            GroupOp::Barrier { group, count } => {
                let me = BarrierWaiter { to, tid };
                match self.groups.barrier(&group, count, me) {
                    Ok(opened) if opened.is_empty() => return None,
                    Ok(opened) => {
                        // Everyone else first; our own reply is the one returned.
                        self.release_barrier(opened.into_iter().filter(|w| *w != me).collect());
                        Reply::Done {}
                    }
                    Err(e) => Reply::error(e),
                }
            }
        };
        Some(reply)
    }

    pub(crate) fn release_barrier(&mut self, waiters: Vec<BarrierWaiter>) {
        for w in waiters {
            self.answer(w.to, Reply::Done {});
        }
    }

    pub(crate) fn tasks_of(&self, which: Tid) -> Reply {
        let host = self.me;
        let tasks = if which.0 == 0 || which == host {
            self.tasks.iter().map(|t| t.info(host)).collect()
        } else if which.is_pvmd() {
            return Reply::error(PvmError::NoHost);
        } else {
            match self.tasks.get(which) {
                Some(t) => vec![t.info(host)],
                None => return Reply::error(PvmError::NoTask),
            }
        };
        Reply::Tasks { tasks }
    }

    fn send_signal(&self, t: Tid, signal: i32) -> Reply {
        let Ok(sig) = nix::sys::signal::Signal::try_from(signal) else {
            return Reply::error(PvmError::BadParam);
        };
        let Some(task) = self.tasks.get(t) else {
            return Reply::error(PvmError::NoTask);
        };
        let Ok(pid) = i32::try_from(task.pid) else {
            return Reply::error(PvmError::NoTask);
        };
        match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig) {
            Ok(()) => Reply::Done {},
            Err(_) => Reply::error(PvmError::NoTask),
        }
    }

    /// Starts every instance of `req` on this host: one result per instance, a tid or
    /// an error code. The instances are each other's siblings until the spawn's other
    /// hosts report theirs (see `crate::cluster`).
    pub(crate) fn spawn_here(&mut self, parent: Tid, req: &SpawnRequest) -> Vec<i32> {
        if req.count > MAX_SPAWN {
            return vec![PvmError::BadParam.code()];
        }
        let Some(program) = self.spawn.find_program(&req.file) else {
            return vec![PvmError::NoFile.code(); req.count as usize];
        };
        let ptid = if req.flags & PVM_NO_SPAWN_PARENT != 0 {
            Tid(0)
        } else {
            parent
        };
        let mut results = Vec::with_capacity(req.count as usize);
        let mut started = Vec::new();
        for _ in 0..req.count {
            match self.start_instance(ptid, &program, req) {
                Ok(tid) => {
                    started.push(tid);
                    results.push(tid.raw());
                }
                Err(e) => results.push(e.code()),
            }
        }
        self.set_siblings(&started);
        results
    }

    /// Gives the tasks of this host among `tids` their sibling list.
    pub(crate) fn set_siblings(&mut self, tids: &[Tid]) {
        for tid in tids {
            if let Some(t) = self.tasks.get_mut(*tid) {
                t.siblings = tids.to_vec();
            }
        }
    }

    /// Starts one instance: a new tid, the process, its output watcher and the watcher
    /// that notices its death.
    fn start_instance(
        &mut self,
        ptid: Tid,
        program: &std::path::Path,
        req: &SpawnRequest,
    ) -> Result<Tid, PvmError> {
        let tid = self.tasks.allocate().ok_or(PvmError::OutOfRes)?;
        let key = random_key();
        let launch = Launch {
            tid,
            key,
            program,
            argv: &req.argv,
            env: &req.env,
            debug: req.flags & PVM_TASK_DEBUG != 0,
        };
        let s = spawn::start(&self.spawn, &launch)?;
        self.tasks.insert(Task {
            tid,
            ptid,
            name: req.file.clone(),
            pid: s.pid,
            key: Some(key),
            spawned: true,
            output: req.output,
            trace: req.trace,
            ..Task::default()
        });
        if let Some(m) = self.outputs.begin(tid, ptid, req.output) {
            self.deliver(m);
        }
        output::watch(tid, s.output, self.events.clone());
        let (events, pid, mut child) = (self.events.clone(), s.pid, s.child);
        tokio::spawn(async move {
            let _ = child.wait().await;
            let _ = events.send(Event::ChildExited(tid, pid));
        });
        Ok(tid)
    }

    fn notify(
        &mut self,
        me: Tid,
        what: i32,
        tag: i32,
        ctx: i32,
        count: i32,
        targets: Vec<Tid>,
    ) -> Reply {
        let cancel = what & PVM_NOTIFY_CANCEL != 0;
        let Some(event) = NotifyEvent::from_what(what & !PVM_NOTIFY_CANCEL) else {
            return Reply::error(PvmError::BadParam);
        };
        let sub = |target| Sub {
            event,
            subscriber: me,
            tag,
            ctx,
            target,
            count,
        };
        if event == NotifyEvent::HostAdd {
            if cancel {
                self.notifies.cancel(&sub(Tid(0)));
            } else if count != 0 {
                self.notifies.add(sub(Tid(0)));
            }
            return Reply::Done {};
        }
        for target in targets {
            let s = sub(target);
            let here = target.host() == self.hosts.me();
            let alive = match event {
                NotifyEvent::TaskExit if here => self.tasks.get(target).is_some(),
                // The task's own pvmd says when it exits (or that it already has).
                NotifyEvent::TaskExit => self.hosts.contains(target.host()),
                _ => target.is_pvmd() && self.hosts.contains(target.host()),
            };
            if alive && !cancel && event == NotifyEvent::TaskExit && !here {
                self.watch_remote(target);
            }
            if cancel {
                // A cancelled notify is delivered as if the event had happened.
                for gone in self.notifies.cancel(&s) {
                    let m = gone.message(self.me, target);
                    self.deliver(m);
                }
            } else if alive {
                self.notifies.add(s);
            } else {
                let m = s.message(self.me, target);
                self.deliver(m);
            }
        }
        Reply::Done {}
    }

    /// The console's `reset`: every task but the caller and PvmNoReset ones is killed.
    pub(crate) fn reset(&mut self, caller: Tid) -> Reply {
        let doomed: Vec<Tid> = self
            .tasks
            .iter()
            .filter(|t| t.tid != caller && !t.no_reset)
            .map(|t| t.tid)
            .collect();
        for tid in doomed {
            if let Some(t) = self.tasks.get(tid) {
                Self::kill_process(t, true);
            }
            self.task_gone(tid);
        }
        // Entries of other hosts' tasks stay: their pvmds kill those, and the exits
        // they report remove the entries.
        let me = self.hosts.me();
        let tasks = &self.tasks;
        self.mbox
            .reset(|owner| owner.host() != me || tasks.get(owner).is_some());
        self.outputs.log.line(&format!("reset by {caller}"));
        Reply::Done {}
    }

    fn put_info(
        &mut self,
        tid: Tid,
        name: String,
        flags: i32,
        encoding: i32,
        body: bytes::Bytes,
    ) -> Reply {
        let put = Put {
            owner: tid,
            flags,
            encoding,
            body,
        };
        let reply = match self.mbox.put(&name, put) {
            Ok(index) => Reply::Value { value: index },
            Err(e) => return Reply::error(e),
        };
        // Waiting recvinfos for this name may be satisfied now.
        let waiters = std::mem::take(&mut self.info_waiters);
        for w in waiters {
            if w.name != name {
                self.info_waiters.push(w);
                continue;
            }
            match self.mbox.get(&w.name, w.index, w.flags, w.tid) {
                Ok(e) => self.answer(w.to, info_reply(e)),
                Err(PvmError::NotFound) => self.info_waiters.push(w),
                Err(e) => self.answer(w.to, Reply::error(e)),
            }
        }
        reply
    }

    fn new_context(&mut self) -> Reply {
        for _ in 0..i32::MAX {
            let ctx = self.next_context;
            self.next_context = if ctx == i32::MAX { 1 } else { ctx + 1 };
            if self.contexts.insert(ctx) {
                return Reply::Value { value: ctx };
            }
        }
        Reply::error(PvmError::OutOfRes)
    }
}

fn info_reply(e: crate::mbox::Entry) -> Reply {
    Reply::Info {
        owner: e.owner,
        flags: e.flags,
        encoding: e.encoding,
        body: e.body,
    }
}

/// A key nobody can guess, proving a spawned task's claim on its tid.
fn random_key() -> u64 {
    use std::io::Read;
    let mut b = [0u8; 8];
    match std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b)) {
        Ok(()) => u64::from_ne_bytes(b),
        Err(_) => {
            // Without /dev/urandom, fall back on std's per-process random hasher keys.
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            h.finish()
        }
    }
}
