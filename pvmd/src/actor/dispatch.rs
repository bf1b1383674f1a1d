//! The dispatcher: every request of a task, from this host or forwarded by another
//! pvmd, passes here once.
//!
//! A task's request is sent where [`crate::router::route`] says; a request handled
//! here goes to [`Daemon::apply`], one exhaustive `match` that hands each variant to
//! its family. A call from another pvmd is always this host's share of the work.

use pvm::error::PvmError;
use pvm::proto::{GroupOp, Reply, Request};
use pvm::tid::Tid;

use super::{AddDone, Daemon};
use crate::cluster::Then;
use crate::mailbox::MailOp;
use crate::outbox::{done, value};
use crate::router::{self, Reach, ReplyTo, Route};
use crate::tickle::{Tables, Tickled};

impl Daemon {
    /// A request from task `tid` of this host: carried out here, or sent where the
    /// router says.
    pub(super) fn task_request(&mut self, to: ReplyTo, tid: Tid, req: Request) {
        match router::route(&req, self.hosts.me(), self.hosts.is_master()) {
            Route::Here => self.apply(to, tid, req, Reach::Here),
            Route::Every => self.apply(to, tid, req, Reach::Machine),
            Route::Host { host, missing } => self.forward_or(host, to, tid, req, missing),
            Route::Master => {
                let missing = Reply::error(PvmError::HostFail);
                self.forward_or(1, to, tid, req, missing);
            }
        }
    }

    /// A call from the pvmd `from` on behalf of its task `caller`.
    pub(super) fn peer_call(&mut self, from: Tid, id: u32, caller: Tid, req: Request) {
        let to = ReplyTo::Peer { pvmd: from, id };
        let route = router::route(&req, self.hosts.me(), self.hosts.is_master());
        if route == Route::Master {
            let why = "only the master answers this request";
            self.answer(to, Reply::error_with(PvmError::BadParam, why));
            return;
        }
        // The master keeps group members and mailbox owners of other hosts: it must
        // hear when they exit.
        let remembers = matches!(
            req,
            Request::PutInfo { .. }
                | Request::Group {
                    op: GroupOp::Join { .. }
                }
        );
        self.apply(to, caller, req, Reach::Here);
        if remembers {
            self.wiring.watch_remote(caller);
        }
    }

    /// Carries out `req` of task `caller` on this pvmd and answers `to`, unless the
    /// answer waits (a blocking recvinfo, a barrier, a gather from other hosts): then
    /// the family keeps `to` and answers later.
    fn apply(&mut self, to: ReplyTo, caller: Tid, req: Request, reach: Reach) {
        let reply = match req {
            Request::Hello { .. } => Some(Reply::error_with(PvmError::BadParam, "already joined")),
            Request::Exit {} => {
                self.exit(to, caller);
                None
            }
            Request::Spawn { spawn } => self.spawn_cx().spawn(to, caller, spawn, reach),
            Request::Config {} => Some(Reply::Config {
                hosts: self.hosts.config(),
            }),
            Request::Tasks { which } => self.task_cx().task_list(to, caller, which, reach),
            Request::Mstat { host } => Some(value(self.hosts.mstat(&host).map(|()| 0))),
            Request::Pstat { tid } => Some(self.task_cx().pstat(tid)),
            Request::Kill { tid } => Some(self.task_cx().kill(tid)),
            Request::SendSig { tid, signal } => Some(self.task_cx().send_signal(tid, signal)),
            Request::Notify {
                what,
                tag,
                ctx,
                count,
                targets,
            } => Some(
                self.notify_cx()
                    .notify(caller, what, tag, ctx, count, targets),
            ),
            Request::Halt {} => Some(self.halt(caller)),
            Request::Reset {} => Some(self.reset(caller, reach)),
            Request::SetOpt { opt } => Some(self.task_cx().set_opt(caller, opt)),
            Request::PutInfo {
                name,
                flags,
                encoding,
                body,
            } => {
                let op = MailOp::Put {
                    name,
                    flags,
                    encoding,
                    body,
                };
                self.mail.apply(&self.wiring.outbox(), to, caller, op)
            }
            Request::GetInfo { name, index, flags } => {
                let op = MailOp::Get { name, index, flags };
                self.mail.apply(&self.wiring.outbox(), to, caller, op)
            }
            Request::DelInfo { name, index, .. } => {
                let op = MailOp::Delete { name, index };
                self.mail.apply(&self.wiring.outbox(), to, caller, op)
            }
            Request::MboxInfo { pattern } => {
                let op = MailOp::Classes { pattern };
                self.mail.apply(&self.wiring.outbox(), to, caller, op)
            }
            Request::NewContext {} => Some(value(self.contexts.allocate())),
            Request::FreeContext { ctx } => Some(done(self.contexts.free(ctx))),
            Request::RegisterDirect { path } => Some(self.task_cx().register_direct(caller, path)),
            Request::RegisterDirectTcp { port } => {
                Some(self.task_cx().register_direct_tcp(caller, port))
            }
            Request::LookupDirect { tid } => Some(self.task_cx().lookup_direct(caller, tid)),
            Request::AddHosts { names } => {
                self.host_cx().add_hosts(names, AddDone::Reply(to));
                None
            }
            Request::DelHosts { names } => Some(self.delete_hosts(&names)),
            Request::HostClock { .. } => Some(Reply::Clock {
                micros: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX)),
            }),
            Request::Tickle { args } => Some(self.tickle(&args)),
            Request::Group { op } => self.groups.apply(&self.wiring.outbox(), to, caller, op),
        };
        if let Some(reply) = reply {
            self.answer(to, reply);
        }
    }

    /// `pvm_tickle(args)`: a debugging action of this pvmd, what it did logged.
    fn tickle(&mut self, args: &[i32]) -> Reply {
        let tables = Tables {
            hosts: &self.hosts,
            tasks: &self.tasks,
            notifies: &self.notifies,
            mail: &self.mail,
        };
        match self.debug_mask.tickle(args, &tables) {
            Ok(Tickled { log, results }) => {
                for line in log {
                    self.outputs.log(&line);
                }
                Reply::Tickled { results }
            }
            Err(e) => Reply::error(e),
        }
    }

    /// Sends `req` to host `host`'s pvmd; its answer goes to `to`. `missing` answers
    /// at once when that host is not in the table.
    fn forward_or(&mut self, host: u32, to: ReplyTo, caller: Tid, req: Request, missing: Reply) {
        if !self.hosts.contains(host) {
            self.answer(to, missing);
            return;
        }
        self.call_peer(host, caller, req, Then::Forward(to));
    }

    /// Sends `req` of `caller` to host `host`'s pvmd; `then` says what its answer is
    /// for. A call that cannot be sent fails at once with PvmHostFail.
    pub(super) fn call_peer(&mut self, host: u32, caller: Tid, req: Request, then: Then) {
        if let Err(then) = self.wiring.call(host, caller, req, then) {
            self.complete(then, Reply::error(PvmError::HostFail));
        }
    }

    /// The answer to a call arrived (or the call failed): finish what it was for.
    pub(super) fn complete(&mut self, then: Then, reply: Reply) {
        match then {
            Then::Forward(to) => self.answer(to, reply),
            Then::Spawn { gather, slots } => self.spawn_cx().spawn_answered(gather, &slots, reply),
            Then::Tasks { gather } => self.task_cx().tasks_answered(gather, reply),
            Then::Ignore => {}
        }
    }
}
