//! The C interface this library wraps: libpvm3's routines as `pvm3.h` declares them.
//!
//! They are linked in from the `libpvm3` crate (its `#[no_mangle]` functions), so a
//! Fortran program needs only `-lfpvm3`; one that also links `-lpvm3` for C calls of
//! its own gets them from the same place. Declaring them here, rather than calling
//! that crate's Rust items, keeps this crate on exactly the interface a C program
//! sees.

use std::ffi::{c_char, c_int, c_void};

// The structures and the reduction type are libpvm3's own, so the two interfaces
// cannot disagree on a layout. PVM's reduction function, `void f(int *datatype,
// void *x, void *y, int *num, int *info)`, is also exactly the shape of a Fortran
// SUBROUTINE of five arguments, so a Fortran reduction routine is passed as it is.
pub use pvm3::{PvmHostInfo as HostInfo, PvmMboxInfo as MboxInfo, PvmMinfo as MInfo};
pub use pvm3::{PvmTaskInfo as TaskInfo, ReduceFn};

extern "C" {
    pub fn pvm_mytid() -> c_int;
    pub fn pvm_parent() -> c_int;
    pub fn pvm_siblings(tids: *mut *mut c_int) -> c_int;
    pub fn pvm_exit() -> c_int;
    pub fn pvm_spawn(
        task: *const c_char,
        argv: *const *const c_char,
        flag: c_int,
        where_: *const c_char,
        ntask: c_int,
        tids: *mut c_int,
    ) -> c_int;
    pub fn pvm_kill(tid: c_int) -> c_int;
    pub fn pvm_sendsig(tid: c_int, signum: c_int) -> c_int;
    pub fn pvm_halt() -> c_int;
    pub fn pvm_start_pvmd(argc: c_int, argv: *const *const c_char, block: c_int) -> c_int;
    pub fn pvmsleep(secs: c_int) -> c_int;

    pub fn pvm_config(nhost: *mut c_int, narch: *mut c_int, hostp: *mut *mut HostInfo) -> c_int;
    pub fn pvm_tasks(where_: c_int, ntask: *mut c_int, taskp: *mut *mut TaskInfo) -> c_int;
    pub fn pvm_mstat(host: *const c_char) -> c_int;
    pub fn pvm_pstat(tid: c_int) -> c_int;
    pub fn pvm_tidtohost(tid: c_int) -> c_int;
    pub fn pvm_archcode(arch: *const c_char) -> c_int;
    pub fn pvm_addhosts(hosts: *const *const c_char, nhost: c_int, infos: *mut c_int) -> c_int;
    pub fn pvm_delhosts(hosts: *const *const c_char, nhost: c_int, infos: *mut c_int) -> c_int;
    pub fn pvm_notify(what: c_int, msgtag: c_int, cnt: c_int, tids: *const c_int) -> c_int;

    pub fn pvm_setopt(what: c_int, val: c_int) -> c_int;
    pub fn pvm_getopt(what: c_int) -> c_int;
    pub fn pvm_perror(msg: *const c_char) -> c_int;

    pub fn pvm_initsend(encoding: c_int) -> c_int;
    pub fn pvm_mkbuf(encoding: c_int) -> c_int;
    pub fn pvm_freebuf(bufid: c_int) -> c_int;
    pub fn pvm_getsbuf() -> c_int;
    pub fn pvm_getrbuf() -> c_int;
    pub fn pvm_setsbuf(bufid: c_int) -> c_int;
    pub fn pvm_setrbuf(bufid: c_int) -> c_int;
    pub fn pvm_bufinfo(
        bufid: c_int,
        bytes: *mut c_int,
        msgtag: *mut c_int,
        tid: *mut c_int,
    ) -> c_int;
    pub fn pvm_getminfo(bufid: c_int, info: *mut MInfo) -> c_int;
    pub fn pvm_setminfo(bufid: c_int, info: *const MInfo) -> c_int;

    pub fn pvm_pkbyte(p: *const c_char, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_pkshort(p: *const i16, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_pkint(p: *const c_int, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_pklong(p: *const i64, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_pkfloat(p: *const f32, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_pkdouble(p: *const f64, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_pkcplx(p: *const f32, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_pkdcplx(p: *const f64, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_upkbyte(p: *mut c_char, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_upkshort(p: *mut i16, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_upkint(p: *mut c_int, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_upklong(p: *mut i64, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_upkfloat(p: *mut f32, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_upkdouble(p: *mut f64, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_upkcplx(p: *mut f32, nitem: c_int, stride: c_int) -> c_int;
    pub fn pvm_upkdcplx(p: *mut f64, nitem: c_int, stride: c_int) -> c_int;

    pub fn pvm_send(tid: c_int, msgtag: c_int) -> c_int;
    pub fn pvm_mcast(tids: *const c_int, ntask: c_int, msgtag: c_int) -> c_int;
    pub fn pvm_recv(tid: c_int, msgtag: c_int) -> c_int;
    pub fn pvm_nrecv(tid: c_int, msgtag: c_int) -> c_int;
    pub fn pvm_probe(tid: c_int, msgtag: c_int) -> c_int;
    pub fn pvm_trecv(tid: c_int, msgtag: c_int, tmout: *const libc::timeval) -> c_int;
    pub fn pvm_psend(
        tid: c_int,
        msgtag: c_int,
        buf: *const c_void,
        len: c_int,
        datatype: c_int,
    ) -> c_int;
    pub fn pvm_precv(
        tid: c_int,
        msgtag: c_int,
        buf: *mut c_void,
        len: c_int,
        datatype: c_int,
        rtid: *mut c_int,
        rtag: *mut c_int,
        rlen: *mut c_int,
    ) -> c_int;

    pub fn pvm_newcontext() -> c_int;
    pub fn pvm_setcontext(ctx: c_int) -> c_int;
    pub fn pvm_freecontext(ctx: c_int) -> c_int;
    pub fn pvm_getcontext() -> c_int;

    pub fn pvm_putinfo(name: *const c_char, bufid: c_int, flags: c_int) -> c_int;
    pub fn pvm_recvinfo(name: *const c_char, index: c_int, flags: c_int) -> c_int;
    pub fn pvm_delinfo(name: *const c_char, index: c_int, flags: c_int) -> c_int;
    pub fn pvm_getmboxinfo(
        pattern: *const c_char,
        nclasses: *mut c_int,
        classes: *mut *mut MboxInfo,
    ) -> c_int;

    pub fn pvm_joingroup(group: *const c_char) -> c_int;
    pub fn pvm_lvgroup(group: *const c_char) -> c_int;
    pub fn pvm_getinst(group: *const c_char, tid: c_int) -> c_int;
    pub fn pvm_gettid(group: *const c_char, inst: c_int) -> c_int;
    pub fn pvm_gsize(group: *const c_char) -> c_int;
    pub fn pvm_barrier(group: *const c_char, count: c_int) -> c_int;
    pub fn pvm_bcast(group: *const c_char, msgtag: c_int) -> c_int;
    pub fn pvm_freezegroup(group: *const c_char, size: c_int) -> c_int;
    pub fn pvm_reduce(
        func: Option<ReduceFn>,
        data: *mut c_void,
        count: c_int,
        datatype: c_int,
        msgtag: c_int,
        group: *const c_char,
        rootginst: c_int,
    ) -> c_int;
    pub fn pvm_gather(
        result: *mut c_void,
        data: *const c_void,
        count: c_int,
        datatype: c_int,
        msgtag: c_int,
        group: *const c_char,
        rootginst: c_int,
    ) -> c_int;
    pub fn pvm_scatter(
        result: *mut c_void,
        data: *const c_void,
        count: c_int,
        datatype: c_int,
        msgtag: c_int,
        group: *const c_char,
        rootginst: c_int,
    ) -> c_int;

    pub fn PvmMax(dt: *mut c_int, x: *mut c_void, y: *mut c_void, n: *mut c_int, i: *mut c_int);
    pub fn PvmMin(dt: *mut c_int, x: *mut c_void, y: *mut c_void, n: *mut c_int, i: *mut c_int);
    pub fn PvmSum(dt: *mut c_int, x: *mut c_void, y: *mut c_void, n: *mut c_int, i: *mut c_int);
    pub fn PvmProduct(dt: *mut c_int, x: *mut c_void, y: *mut c_void, n: *mut c_int, i: *mut c_int);
}
