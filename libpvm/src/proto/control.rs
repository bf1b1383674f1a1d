//! Control messages: what a task asks its pvmd ([`Request`]) and what pvmd answers
//! ([`Reply`]).
//!
//! Every request carries an id chosen by the task; pvmd answers each request with exactly
//! one reply carrying the same id (except [`Request::Exit`] and [`Request::Halt`], after
//! which pvmd closes the connection). Replies may come in a different order than the
//! requests when one of them waits (a blocking `recvinfo`, a group barrier), so tasks
//! match them by id. Integers with a PVM meaning (flags, tags, error codes) carry PVM
//! 3.4's values unchanged; see [`super::consts`].

use bytes::Bytes;

use super::wire::{wire_enum, wire_struct};
use crate::tid::Tid;

/// A request from a task (or the console) to its pvmd.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// First request on every task connection. A task pvmd spawned proves its identity
    /// with the claim it found in its environment ([`super::runtime::ENV_TID`] and
    /// [`super::runtime::ENV_KEY`]); a task started from a shell sends no claim and is
    /// given a fresh tid (it "attaches"). Answered by [`Reply::Welcome`].
    Hello {
        pid: u32,
        name: String,
        claim: Option<Claim>,
    },
    /// `pvm_exit`: the task leaves the virtual machine; pvmd closes the connection.
    Exit {},
    /// `pvm_spawn`. Answered by [`Reply::Spawned`].
    Spawn { spawn: SpawnRequest },
    /// `pvm_config`. Answered by [`Reply::Config`].
    Config {},
    /// `pvm_tasks(which)`: 0 for every task, a pvmd tid for that host's tasks, a task
    /// tid for that task alone. Answered by [`Reply::Tasks`].
    Tasks { which: Tid },
    /// `pvm_mstat(host)`. Answered by [`Reply::Value`] (0 = PvmOk) or an error.
    Mstat { host: String },
    /// `pvm_pstat(tid)`. Answered by [`Reply::Value`] (0 = PvmOk) or an error.
    Pstat { tid: Tid },
    /// `pvm_kill(tid)` (sends SIGTERM). Answered by [`Reply::Done`] or an error.
    Kill { tid: Tid },
    /// `pvm_sendsig(tid, signal)`. Answered by [`Reply::Done`] or an error.
    SendSig { tid: Tid, signal: i32 },
    /// `pvm_notify(what, tag, count, tids)`, `what` being PvmTaskExit, PvmHostDelete
    /// or PvmHostAdd, possibly or-ed with PvmNotifyCancel. Notifications arrive as
    /// ordinary messages from the pvmd's tid with `tag` and `ctx`, whose body is one
    /// XDR int (the tid or pvmd tid concerned). For PvmHostAdd `targets` is empty and
    /// `count` says how many to deliver (-1 = forever). Answered by [`Reply::Done`].
    Notify {
        what: i32,
        tag: i32,
        ctx: i32,
        count: i32,
        targets: Vec<Tid>,
    },
    /// `pvm_halt`: pvmd kills every task and exits. Answered by [`Reply::Done`] just
    /// before the connection closes.
    Halt {},
    /// The console's `reset`: kill every task except the caller and tasks that set
    /// PvmNoReset, drop mailbox entries of the dead. Answered by [`Reply::Done`].
    Reset {},
    /// Task options pvmd must know about (`pvm_setopt`). Answered by [`Reply::Done`].
    SetOpt { opt: TaskOpt },
    /// `pvm_putinfo(name, buf, flags)`: `body` is the packed message, `encoding` its
    /// PvmData* encoding. Answered by [`Reply::Value`] holding the index.
    PutInfo {
        name: String,
        flags: i32,
        encoding: i32,
        body: Bytes,
    },
    /// `pvm_recvinfo(name, index, flags)`; with PvmMboxWaitForInfo the reply waits until
    /// such an entry exists. Answered by [`Reply::Info`] or an error (PvmNotFound).
    GetInfo {
        name: String,
        index: i32,
        flags: i32,
    },
    /// `pvm_delinfo(name, index, flags)`. Answered by [`Reply::Done`] or an error.
    DelInfo {
        name: String,
        index: i32,
        flags: i32,
    },
    /// `pvm_getmboxinfo(pattern)` (glob pattern, `*` = all). Answered by [`Reply::Mbox`].
    MboxInfo { pattern: String },
    /// `pvm_newcontext`. Answered by [`Reply::Value`] holding the new context.
    NewContext {},
    /// `pvm_freecontext(ctx)`. Answered by [`Reply::Done`] or an error.
    FreeContext { ctx: i32 },
    /// The task accepts direct routes on a Unix socket at `path` (see the module doc of
    /// [`super`] on ordering). Answered by [`Reply::Done`].
    RegisterDirect { path: String },
    /// Where `tid` accepts direct routes, if it does. Answered by [`Reply::Direct`].
    LookupDirect { tid: Tid },
    /// `pvm_addhosts(names)`. Answered by [`Reply::Hosts`].
    AddHosts { names: Vec<String> },
    /// `pvm_delhosts(names)`. Answered by [`Reply::Hosts`].
    DelHosts { names: Vec<String> },
    /// Group server operations (issue 6). Answered as each [`GroupOp`] says.
    Group { op: GroupOp },
    /// The task also accepts direct routes from other hosts on TCP port `port` (all
    /// addresses); a peer elsewhere learns `tcp:ADDR:PORT` from `LookupDirect` and
    /// proves itself with [`Welcome::direct_key`] (see [`super::auth`]) before its
    /// `DirectHello`. Answered by [`Reply::Done`].
    RegisterDirectTcp { port: u32 },
    /// `pvm_hostsync`: the time of day on the host whose pvmd is `host`. Answered by
    /// [`Reply::Clock`].
    HostClock { host: Tid },
    /// `pvm_tickle(args)`: a debugging action of the local pvmd, `args[0]` saying
    /// which (dump a table to its log, get or set its debug mask). Answered by
    /// [`Reply::Tickled`].
    Tickle { args: Vec<i32> },
}

/// The identity a spawned task claims in [`Request::Hello`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// The tid pvmd gave the task when spawning it.
    pub tid: Tid,
    /// A random key known only to pvmd and the task's environment, so no other process
    /// can take over the tid.
    pub key: u64,
}

/// Where a task's children send their output or trace data (`PvmOutputTid` and
/// `PvmOutputCode`, `PvmTraceTid` and `PvmTraceCode`). A tid of 0 means the pvmd log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Redirect {
    pub tid: Tid,
    pub code: i32,
    pub ctx: i32,
}

/// Everything `pvm_spawn` tells pvmd.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpawnRequest {
    /// The program: an absolute path, or a name searched in the host's `ep=` path.
    pub file: String,
    /// Arguments after the program name.
    pub argv: Vec<String>,
    /// PvmTaskDefault, PvmTaskHost, PvmTaskArch, PvmTaskDebug... or-ed.
    pub flags: i32,
    /// Host name or architecture, as `flags` say; empty for PvmTaskDefault.
    pub where_: String,
    /// How many instances.
    pub count: u32,
    /// `NAME=value` pairs the parent exports (the variables named in its PVM_EXPORT).
    pub env: Vec<String>,
    /// Where the children's stdout and stderr go.
    pub output: Redirect,
    /// Where the children's trace data goes.
    pub trace: Redirect,
}

/// Per-task options pvmd acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskOpt {
    /// PvmNoReset: the console's `reset` spares this task.
    NoReset { on: bool },
    /// PvmResvTids: the task may send to reserved tids and tags.
    ResvTids { on: bool },
}

/// Group server operations, answered by the master pvmd (issue 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupOp {
    /// `pvm_joingroup`: [`Reply::Value`] with the instance number.
    Join { group: String },
    /// `pvm_lvgroup`: [`Reply::Done`].
    Leave { group: String },
    /// `pvm_getinst`: [`Reply::Value`].
    GetInst { group: String, tid: Tid },
    /// `pvm_gettid`: [`Reply::Value`] holding the tid.
    GetTid { group: String, inst: i32 },
    /// `pvm_gsize`: [`Reply::Value`].
    Size { group: String },
    /// `pvm_barrier`: [`Reply::Done`] once `count` members reached it.
    Barrier { group: String, count: i32 },
    /// `pvm_freezegroup`: [`Reply::Done`].
    Freeze { group: String, size: i32 },
    /// The members, for `pvm_bcast`: [`Reply::Tids`].
    Members { group: String },
}

/// pvmd's answer to one [`Request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The request succeeded and has nothing to return.
    Done {},
    /// The request failed with PVM error `code` (negative); `detail` says more for logs
    /// and the console, and may be empty.
    Error { code: i32, detail: String },
    /// Answer to [`Request::Hello`].
    Welcome { welcome: Welcome },
    /// One entry per requested instance: a tid, or a negative PVM error code.
    Spawned { results: Vec<i32> },
    /// The host table.
    Config { hosts: Vec<HostInfo> },
    /// The task table (filtered as asked).
    Tasks { tasks: Vec<TaskInfo> },
    /// A single integer result (status, index, context, instance...).
    Value { value: i32 },
    /// A mailbox entry.
    Info {
        owner: Tid,
        flags: i32,
        encoding: i32,
        body: Bytes,
    },
    /// Mailbox classes matching a pattern.
    Mbox { classes: Vec<MboxClass> },
    /// Where a task accepts direct routes, if it does.
    Direct { path: Option<String> },
    /// One entry per host named in addhosts/delhosts: a pvmd tid, 0, or an error code,
    /// and beside it why (empty on success).
    Hosts {
        results: Vec<i32>,
        reasons: Vec<String>,
    },
    /// A list of tids.
    Tids { tids: Vec<Tid> },
    /// A host's time of day, in microseconds since the Unix epoch.
    Clock { micros: u64 },
    /// The results of a [`Request::Tickle`] (none for most actions).
    Tickled { results: Vec<i32> },
}

/// What a task learns when it joins.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Welcome {
    /// The task's own tid.
    pub tid: Tid,
    /// Its parent, if pvmd spawned it on another task's behalf.
    pub parent: Option<Tid>,
    /// The tid of the pvmd it talks to.
    pub pvmd: Tid,
    /// Tasks spawned by the same `pvm_spawn` call, in order (`pvm_siblings`).
    pub siblings: Vec<Tid>,
    /// Inherited PvmOutputTid/Code: where this task's children's output goes.
    pub output: Redirect,
    /// Inherited PvmTraceTid/Code.
    pub trace: Redirect,
    /// The virtual machine's key for direct routes over TCP: both tasks of a direct
    /// link across hosts prove they know it (HMAC challenge, [`super::auth`]).
    pub direct_key: Bytes,
}

/// A host of the virtual machine (`struct pvmhostinfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HostInfo {
    pub dtid: Tid,
    pub name: String,
    pub arch: String,
    pub speed: i32,
    pub dsig: i32,
}

/// A task of the virtual machine (`struct pvmtaskinfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskInfo {
    pub tid: Tid,
    /// Parent tid, 0 if none.
    pub ptid: Tid,
    /// The pvmd tid of its host.
    pub host: Tid,
    /// Status flags, see [`super::consts::TF_CONNECTED`] and friends.
    pub flag: i32,
    /// Program name (the file given to spawn, or what the task said in Hello).
    pub name: String,
    pub pid: i32,
}

/// A mailbox class (`struct pvmmboxinfo`): one name, its entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MboxClass {
    pub name: String,
    pub indices: Vec<i32>,
    pub owners: Vec<Tid>,
    pub flags: Vec<i32>,
}

// Variant codes are the wire contract: append new ones, never renumber.
wire_enum!(Request {
    1 => Hello { pid, name, claim },
    2 => Exit {},
    3 => Spawn { spawn },
    4 => Config {},
    5 => Tasks { which },
    6 => Mstat { host },
    7 => Pstat { tid },
    8 => Kill { tid },
    9 => SendSig { tid, signal },
    10 => Notify { what, tag, ctx, count, targets },
    11 => Halt {},
    12 => Reset {},
    13 => SetOpt { opt },
    14 => PutInfo { name, flags, encoding, body },
    15 => GetInfo { name, index, flags },
    16 => DelInfo { name, index, flags },
    17 => MboxInfo { pattern },
    18 => NewContext {},
    19 => FreeContext { ctx },
    20 => RegisterDirect { path },
    21 => LookupDirect { tid },
    22 => AddHosts { names },
    23 => DelHosts { names },
    24 => Group { op },
    25 => RegisterDirectTcp { port },
    26 => HostClock { host },
    27 => Tickle { args },
});

wire_enum!(Reply {
    1 => Done {},
    2 => Error { code, detail },
    3 => Welcome { welcome },
    4 => Spawned { results },
    5 => Config { hosts },
    6 => Tasks { tasks },
    7 => Value { value },
    8 => Info { owner, flags, encoding, body },
    9 => Mbox { classes },
    10 => Direct { path },
    11 => Hosts { results, reasons },
    12 => Tids { tids },
    13 => Clock { micros },
    14 => Tickled { results },
});

wire_enum!(TaskOpt {
    1 => NoReset { on },
    2 => ResvTids { on },
});

wire_enum!(GroupOp {
    1 => Join { group },
    2 => Leave { group },
    3 => GetInst { group, tid },
    4 => GetTid { group, inst },
    5 => Size { group },
    6 => Barrier { group, count },
    7 => Freeze { group, size },
    8 => Members { group },
});

wire_struct!(Claim { tid, key });
wire_struct!(Redirect { tid, code, ctx });
wire_struct!(SpawnRequest {
    file,
    argv,
    flags,
    where_,
    count,
    env,
    output,
    trace
});
wire_struct!(Welcome {
    tid,
    parent,
    pvmd,
    siblings,
    output,
    trace,
    direct_key
});
wire_struct!(HostInfo {
    dtid,
    name,
    arch,
    speed,
    dsig
});
wire_struct!(TaskInfo {
    tid,
    ptid,
    host,
    flag,
    name,
    pid
});
wire_struct!(MboxClass {
    name,
    indices,
    owners,
    flags
});

impl Reply {
    /// An error reply with PVM's code and no detail.
    pub fn error(e: crate::error::PvmError) -> Reply {
        Reply::Error {
            code: e.code(),
            detail: String::new(),
        }
    }

    /// An error reply with PVM's code and an explanation.
    pub fn error_with(e: crate::error::PvmError, detail: impl Into<String>) -> Reply {
        Reply::Error {
            code: e.code(),
            detail: detail.into(),
        }
    }
}
