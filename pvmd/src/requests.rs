//! The actor's answers to control requests, one function per family.

use pvm::error::PvmError;
use pvm::proto::consts::{
    PVM_HOST_COMPL, PVM_MBOX_WAIT_FOR_INFO, PVM_NOTIFY_CANCEL, PVM_NO_SPAWN_PARENT, PVM_TASK_ARCH,
    PVM_TASK_DEBUG, PVM_TASK_HOST,
};
use pvm::proto::{GroupOp, Reply, Request, SpawnRequest, TaskOpt};
use pvm::tid::Tid;

use crate::daemon::{Daemon, Event, InfoWaiter};
use crate::groups::BarrierWaiter;
use crate::hosts::ARCH;
use crate::mbox::Put;
use crate::notify::{Event as NotifyEvent, Sub};
use crate::output;
use crate::route::ConnId;
use crate::spawn::{self, Launch};
use crate::tasks::Task;

/// The most instances one spawn may ask for.
const MAX_SPAWN: u32 = 4096;
/// What addhosts/delhosts answer until pvmd-to-pvmd links exist (issue 5).
const SINGLE_HOST: &str = "not implemented yet: single host";

impl Daemon {
    /// Answers one request of task `tid` on connection `conn`. Requests whose answer
    /// waits (a blocking recvinfo, a barrier) or that end the connection are handled
    /// here; the others by [`Self::task_request`] and [`Self::vm_request`].
    pub(crate) fn request(&mut self, conn: ConnId, tid: Tid, id: u32, req: Request) {
        let reply = match req {
            Request::Hello { .. } => Reply::error_with(PvmError::BadParam, "already joined"),
            Request::Exit {} => {
                self.task_gone(tid);
                return;
            }
            Request::Halt {} => {
                self.outputs.log.line(&format!("halt requested by {tid}"));
                self.conns.reply(conn, id, Reply::Done {});
                self.halting = true;
                return;
            }
            Request::GetInfo { name, index, flags } => {
                match self.mbox.get(&name, index, flags, tid) {
                    Ok(e) => info_reply(e),
                    Err(PvmError::NotFound) if flags & PVM_MBOX_WAIT_FOR_INFO != 0 => {
                        self.info_waiters.push(InfoWaiter {
                            conn,
                            id,
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
            Request::Group { op } => match self.group(conn, tid, id, op) {
                Some(reply) => reply,
                None => return,
            },
            req @ (Request::Spawn { .. }
            | Request::Tasks { .. }
            | Request::Pstat { .. }
            | Request::Kill { .. }
            | Request::SendSig { .. }
            | Request::Notify { .. }
            | Request::SetOpt { .. }
            | Request::RegisterDirect { .. }
            | Request::LookupDirect { .. }) => self.task_request(tid, req),
            req => self.vm_request(tid, req),
        };
        self.conns.reply(conn, id, reply);
    }

    /// Requests about tasks: spawning, listing, signalling, watching, options.
    fn task_request(&mut self, tid: Tid, req: Request) -> Reply {
        match req {
            Request::Spawn { spawn } => Reply::Spawned {
                results: self.spawn_tasks(tid, &spawn),
            },
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
            Request::AddHosts { .. } | Request::DelHosts { .. } => {
                Reply::error_with(PvmError::NotImpl, SINGLE_HOST)
            }
            _ => Reply::error(PvmError::BadParam),
        }
    }

    /// Group operations; `None` when the reply waits (a barrier not yet open).
    fn group(&mut self, conn: ConnId, tid: Tid, id: u32, op: GroupOp) -> Option<Reply> {
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
                let me = BarrierWaiter { conn, id, tid };
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

    pub(crate) fn release_barrier(&self, waiters: Vec<BarrierWaiter>) {
        for w in waiters {
            self.conns.reply(w.conn, w.id, Reply::Done {});
        }
    }

    fn tasks_of(&self, which: Tid) -> Reply {
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

    /// `pvm_spawn`: one result per instance, a tid or an error code.
    fn spawn_tasks(&mut self, parent: Tid, req: &SpawnRequest) -> Vec<i32> {
        if req.count > MAX_SPAWN {
            return vec![PvmError::BadParam.code()];
        }
        let fail = |e: PvmError| vec![e.code(); req.count as usize];
        if let Err(e) = self.check_where(req) {
            return fail(e);
        }
        let Some(program) = self.spawn.find_program(&req.file) else {
            return fail(PvmError::NoFile);
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
        for tid in &started {
            if let Some(t) = self.tasks.get_mut(*tid) {
                t.siblings = started.clone();
            }
        }
        results
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

    /// Whether PvmTaskHost / PvmTaskArch (and PvmHostCompl) leave this host eligible.
    fn check_where(&self, req: &SpawnRequest) -> Result<(), PvmError> {
        let here = if req.flags & PVM_TASK_HOST != 0 {
            self.hosts.is_local(&req.where_)
        } else if req.flags & PVM_TASK_ARCH != 0 {
            req.where_ == ARCH
        } else {
            return Ok(());
        };
        if here != (req.flags & PVM_HOST_COMPL != 0) {
            Ok(())
        } else {
            Err(PvmError::NoHost)
        }
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
            let alive = match event {
                NotifyEvent::TaskExit => self.tasks.get(target).is_some(),
                _ => target == self.me,
            };
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
    fn reset(&mut self, caller: Tid) -> Reply {
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
        self.mbox.reset(&self.tasks.tids());
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
                Ok(e) => self.conns.reply(w.conn, w.id, info_reply(e)),
                Err(PvmError::NotFound) => self.info_waiters.push(w),
                Err(e) => self.conns.reply(w.conn, w.id, Reply::error(e)),
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
