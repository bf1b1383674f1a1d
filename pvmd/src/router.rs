//! Where a task's request is handled, decided in one place.
//!
//! [`route`] is a pure function of the request, this host's number and whether this
//! host is the master: it reads no state, so the whole table is tested below without
//! a daemon. Its `match` names every [`Request`] variant and has no wildcard: a new
//! request does not compile until someone has said where it belongs.
//!
//! Ownership follows PVM: each pvmd owns its own tasks (spawn, signals, status, direct
//! routes); the master owns the mailbox, groups, contexts, the host table's changes
//! and the halt of the whole machine; some requests reach every host (a spawn is
//! placed over them, a task list is gathered from them, a reset resets them all).
//!
//! The router says where; the daemon's dispatcher (`crate::actor`) carries the request
//! there, and [`ReplyTo`] says where its answer goes back.

use pvm::error::PvmError;
use pvm::proto::{Reply, Request};
use pvm::tid::Tid;

use crate::conns::ConnId;

/// Where a request is handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// By this pvmd alone.
    Here,
    /// By the pvmd of host `host`, another one; `missing` is the answer when that
    /// host is not in the virtual machine.
    Host { host: u32, missing: Reply },
    /// By the master, and this host is a slave (on the master such requests are
    /// [`Route::Here`]).
    Master,
    /// By every host of the machine: this pvmd does its share and gathers the others'.
    Every,
}

/// Where the answer to a request goes: a task's connection, or the pvmd of another
/// host that forwarded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyTo {
    Conn { conn: ConnId, id: u32 },
    Peer { pvmd: Tid, id: u32 },
}

/// How far a request handled here reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// This pvmd's share only: the router said [`Route::Here`], or another pvmd asked.
    Here,
    /// The whole machine, gathered here (the router said [`Route::Every`]).
    Machine,
}

/// Where `req`, sent by a task of host `me`, is handled; `master` says whether `me`
/// is the master.
pub fn route(req: &Request, me: u32, master: bool) -> Route {
    let master_owned = if master { Route::Here } else { Route::Master };
    match req {
        Request::Hello { .. }
        | Request::Exit {}
        | Request::Config {}
        | Request::Mstat { .. }
        | Request::Notify { .. }
        | Request::SetOpt { .. }
        | Request::RegisterDirect { .. }
        | Request::RegisterDirectTcp { .. }
        | Request::Tickle { .. } => Route::Here,
        Request::Spawn { .. } | Request::Reset {} => Route::Every,
        Request::Tasks { which } if which.0 == 0 => Route::Every,
        Request::Tasks { which } => {
            let missing = if which.is_pvmd() {
                PvmError::NoHost
            } else {
                PvmError::NoTask
            };
            on_host(which.host(), me, Reply::error(missing))
        }
        Request::Pstat { tid } | Request::Kill { tid } | Request::SendSig { tid, .. } => {
            on_host(tid.host(), me, Reply::error(PvmError::NoTask))
        }
        Request::HostClock { host } => on_host(host.host(), me, Reply::error(PvmError::NoHost)),
        // A task nobody can reach has no direct route: the sender keeps using pvmd.
        Request::LookupDirect { tid } => on_host(tid.host(), me, Reply::Direct { path: None }),
        Request::Halt {}
        | Request::PutInfo { .. }
        | Request::GetInfo { .. }
        | Request::DelInfo { .. }
        | Request::MboxInfo { .. }
        | Request::NewContext {}
        | Request::FreeContext { .. }
        | Request::Group { .. }
        | Request::AddHosts { .. }
        | Request::DelHosts { .. } => master_owned,
    }
}

/// A request about something of host `host`.
fn on_host(host: u32, me: u32, missing: Reply) -> Route {
    if host == me {
        Route::Here
    } else {
        Route::Host { host, missing }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pvm::proto::{GroupOp, SpawnRequest, TaskOpt};

    fn no_task() -> Reply {
        Reply::error(PvmError::NoTask)
    }

    fn host(host: u32, missing: Reply) -> Route {
        Route::Host { host, missing }
    }

    /// One row per request: what it is, where a slave (host 2) sends it, and where
    /// the master sends it.
    fn table() -> Vec<(Request, Route, Route)> {
        let mine = Tid::new(2, 5);
        let theirs = Tid::new(3, 7);
        let group = || "g".to_string();
        let master_owned = |req: Request| (req, Route::Master, Route::Here);
        vec![
            (
                Request::Hello {
                    pid: 1,
                    name: "a.out".into(),
                    claim: None,
                },
                Route::Here,
                Route::Here,
            ),
            (Request::Exit {}, Route::Here, Route::Here),
            (
                Request::Spawn {
                    spawn: SpawnRequest::default(),
                },
                Route::Every,
                Route::Every,
            ),
            (Request::Config {}, Route::Here, Route::Here),
            (Request::Tasks { which: Tid(0) }, Route::Every, Route::Every),
            (
                Request::Tasks { which: mine },
                Route::Here,
                host(2, no_task()),
            ),
            (
                Request::Tasks {
                    which: Tid::pvmd(2),
                },
                Route::Here,
                host(2, Reply::error(PvmError::NoHost)),
            ),
            (
                Request::Tasks { which: theirs },
                host(3, no_task()),
                host(3, no_task()),
            ),
            (
                Request::Mstat {
                    host: "elsewhere".into(),
                },
                Route::Here,
                Route::Here,
            ),
            (
                Request::Pstat { tid: mine },
                Route::Here,
                host(2, no_task()),
            ),
            (
                Request::Pstat { tid: Tid::pvmd(2) },
                Route::Here,
                host(2, no_task()),
            ),
            // Tid 0 belongs to no host: nobody answers, so it is "no such task".
            (
                Request::Pstat { tid: Tid(0) },
                host(0, no_task()),
                host(0, no_task()),
            ),
            (
                Request::Kill { tid: theirs },
                host(3, no_task()),
                host(3, no_task()),
            ),
            (
                Request::SendSig {
                    tid: mine,
                    signal: 15,
                },
                Route::Here,
                host(2, no_task()),
            ),
            (
                Request::Notify {
                    what: 1,
                    tag: 9,
                    ctx: 0,
                    count: 1,
                    targets: vec![theirs],
                },
                Route::Here,
                Route::Here,
            ),
            master_owned(Request::Halt {}),
            (Request::Reset {}, Route::Every, Route::Every),
            (
                Request::SetOpt {
                    opt: TaskOpt::NoReset { on: true },
                },
                Route::Here,
                Route::Here,
            ),
            master_owned(Request::PutInfo {
                name: "n".into(),
                flags: 0,
                encoding: 0,
                body: bytes::Bytes::new(),
            }),
            master_owned(Request::GetInfo {
                name: "n".into(),
                index: 0,
                flags: 0,
            }),
            master_owned(Request::DelInfo {
                name: "n".into(),
                index: 0,
                flags: 0,
            }),
            master_owned(Request::MboxInfo {
                pattern: "*".into(),
            }),
            master_owned(Request::NewContext {}),
            master_owned(Request::FreeContext { ctx: 3 }),
            (
                Request::RegisterDirect {
                    path: "sock".into(),
                },
                Route::Here,
                Route::Here,
            ),
            (
                Request::LookupDirect { tid: mine },
                Route::Here,
                host(2, Reply::Direct { path: None }),
            ),
            (
                Request::LookupDirect { tid: theirs },
                host(3, Reply::Direct { path: None }),
                host(3, Reply::Direct { path: None }),
            ),
            (
                Request::HostClock { host: Tid::pvmd(2) },
                Route::Here,
                host(2, Reply::error(PvmError::NoHost)),
            ),
            (
                Request::HostClock { host: Tid::pvmd(3) },
                host(3, Reply::error(PvmError::NoHost)),
                host(3, Reply::error(PvmError::NoHost)),
            ),
            master_owned(Request::AddHosts {
                names: vec!["h".into()],
            }),
            master_owned(Request::DelHosts {
                names: vec!["h".into()],
            }),
            master_owned(Request::Group {
                op: GroupOp::Join { group: group() },
            }),
            master_owned(Request::Group {
                op: GroupOp::Barrier {
                    group: group(),
                    count: 2,
                },
            }),
            (
                Request::RegisterDirectTcp { port: 4000 },
                Route::Here,
                Route::Here,
            ),
            // pvm_tickle asks the task's own pvmd, as in PVM.
            (Request::Tickle { args: vec![5] }, Route::Here, Route::Here),
        ]
    }

    #[test]
    fn every_request_goes_where_the_table_says() {
        for (req, on_slave, on_master) in table() {
            assert_eq!(route(&req, 2, false), on_slave, "slave: {req:?}");
            // The master is host 1, so host 2's things are another host's there.
            assert_eq!(route(&req, 1, true), on_master, "master: {req:?}");
        }
    }

    #[test]
    fn a_request_about_this_host_stays_here() {
        let tid = Tid::new(1, 3);
        assert_eq!(route(&Request::Kill { tid }, 1, true), Route::Here);
        assert_eq!(route(&Request::LookupDirect { tid }, 1, true), Route::Here);
        assert_eq!(route(&Request::Tasks { which: tid }, 1, true), Route::Here);
    }
}
