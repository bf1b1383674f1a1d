//! PVM 3.4's trace-event interface as the C programs see it: the trace masks
//! (`pvm_settmask`/`pvm_gettmask`), the exported tables of event names and data ids
//! (`pvmtevinfo`, `pvmtevdidlist`, which the console, tracer and trcsort read and
//! update), the children's tracer settings (`pvmctrc`), the handlers of PVM's task
//! control messages (`pvm_tc_*`), and `pvm_reg_tracer`.
//!
//! Masks are PVM's: `TEV_MASK_LENGTH` (36) bytes, an ASCII string of 4 events per
//! character over '@'. libpvm keeps them and produces the events (`pvm::trace`,
//! `client::tev`); [`traced`] wraps a C call in its entry and exit events.

// PVM's constant names are the vocabulary here, also in patterns.
#![allow(non_upper_case_globals)]

use std::ffi::{c_char, c_int, CStr};

use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};

use pvm::constants::*;
use pvm::trace::Record;
use pvm::PvmError;

use crate::{global, guard};

pub use pvm::trace::{mask_has, Mask, EMPTY_MASK, MASK_LEN, TEV_COUNT};

/// Data ids in PVM 3.4.6's table (`TEV_DID_MAX` + 1).
pub const DID_COUNT: usize = 123;

/// `struct Pvmtevinfo`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TevInfo {
    pub name: *const c_char,
    pub desc_status: c_int,
    pub mark: libc::timeval,
    pub total: libc::timeval,
    pub count: c_int,
}

/// `struct Pvmtevdid`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TevDid {
    pub did: *const c_char,
    pub desc: *const c_char,
}

const ZERO_TIME: libc::timeval = libc::timeval {
    tv_sec: 0,
    tv_usec: 0,
};

/// The trace events (C sees `struct Pvmtevinfo pvmtevinfo[]`). Programs write the
/// status, time and count fields (tracer and trcsort keep their statistics there), so
/// it is mutable C data; Rust never reads or writes it.
#[no_mangle]
pub static mut pvmtevinfo: [TevInfo; TEV_COUNT] = {
    let mut table = [TevInfo {
        name: std::ptr::null(),
        desc_status: 0,
        mark: ZERO_TIME,
        total: ZERO_TIME,
        count: 0,
    }; TEV_COUNT];
    let mut i = 0;
    while i < TEV_COUNT {
        table[i].name = pvm::trace::EVENT_NAMES[i].as_ptr();
        i += 1;
    }
    table
};

/// The semantic data ids (C sees `struct Pvmtevdid pvmtevdidlist[]`); C data as
/// [`pvmtevinfo`] is.
#[no_mangle]
pub static mut pvmtevdidlist: [TevDid; DID_COUNT] = {
    let mut table = [TevDid {
        did: std::ptr::null(),
        desc: std::ptr::null(),
    }; DID_COUNT];
    let mut i = 0;
    while i < DID_COUNT {
        table[i].did = DATA_IDS[i].0.as_ptr();
        table[i].desc = DATA_IDS[i].1.as_ptr();
        i += 1;
    }
    table
};

/// `struct Pvmtracer` with atomics of the same layout: the settings this task's
/// children are spawned with (C sees `struct Pvmtracer pvmctrc`).
#[repr(C)]
pub struct Tracer {
    pub trctid: AtomicI32,
    pub trcctx: AtomicI32,
    pub trctag: AtomicI32,
    pub outtid: AtomicI32,
    pub outctx: AtomicI32,
    pub outtag: AtomicI32,
    pub trcbuf: AtomicI32,
    pub trcopt: AtomicI32,
    pub tmask: [AtomicU8; MASK_LEN],
}

#[allow(clippy::declare_interior_mutable_const)]
const NO_BYTE: AtomicU8 = AtomicU8::new(0);

/// The children's tracer settings; see [`Tracer`].
#[no_mangle]
pub static pvmctrc: Tracer = Tracer {
    trctid: AtomicI32::new(0),
    trcctx: AtomicI32::new(0),
    trctag: AtomicI32::new(0),
    outtid: AtomicI32::new(0),
    outctx: AtomicI32::new(0),
    outtag: AtomicI32::new(0),
    trcbuf: AtomicI32::new(0),
    trcopt: AtomicI32::new(0),
    tmask: [NO_BYTE; MASK_LEN],
};

/// This task's trace mask, for the tracing layer.
pub fn self_mask() -> Mask {
    global().trace_mask()
}

/// Traces the C call of event `kind` as PVM does: `entry` writes the entry event's
/// fields, `call` runs, `exit` writes the exit event's from its result. Untraced, the
/// call costs one check.
pub(crate) fn traced<R>(
    kind: usize,
    entry: impl FnOnce(&mut Record<'_>),
    call: impl FnOnce() -> Result<R, PvmError>,
    exit: impl FnOnce(&mut Record<'_>, &Result<R, PvmError>),
) -> Result<R, PvmError> {
    let g = global();
    if !g.traces(kind) {
        return call();
    }
    g.trace_event(kind, false, entry);
    let r = call();
    g.trace_event(kind, true, |rec| exit(rec, &r));
    r
}

/// `TEV_DID_MNB`: the active send buffer's size, -1 without one.
pub(crate) fn send_bytes() -> c_int {
    let g = global();
    g.bufinfo(g.getsbuf()).map_or(-1, |i| i.bytes as c_int)
}

/// The exit fields of a receive: buffer id, then its size, tag, context and source
/// (-1 each when nothing was received).
pub(crate) fn received(rec: &mut Record<'_>, r: &Result<c_int, PvmError>) {
    use pvm::trace::did;
    let id = cc(r);
    let (nb, mc, src) = match global().bufinfo(id).ok().filter(|_| id > 0) {
        Some(i) => (i.bytes as c_int, i.tag, i.src),
        None => (-1, -1, -1),
    };
    rec.int(did::MB, id)
        .int(did::MNB, nb)
        .int(did::MC, mc)
        .int(did::MCX, global().getcontext())
        .int(did::SRC, src);
}

/// The entry fields of a receive: the source and tag asked for, the context.
pub(crate) fn receiving(rec: &mut Record<'_>, src: c_int, tag: c_int) {
    use pvm::trace::did;
    rec.int(did::RST, src)
        .int(did::RMC, tag)
        .int(did::RCX, global().getcontext());
}

/// The code a result gives C (`TEV_DID_CC`).
pub(crate) fn cc<R: Copy + Into<i64>>(r: &Result<R, PvmError>) -> c_int {
    match r {
        Ok(v) => i32::try_from((*v).into()).unwrap_or(i32::MAX),
        Err(e) => e.code(),
    }
}

fn set_child_mask(m: &Mask) {
    for (slot, b) in pvmctrc.tmask.iter().zip(m) {
        slot.store(*b, Ordering::Relaxed);
    }
    global().set_child_trace_mask(*m);
}

/// Hands libpvm the children's mask as C left it in `pvmctrc` (programs write it).
pub(crate) fn sync_child_mask() {
    global().set_child_trace_mask(child_mask());
}

fn child_mask() -> Mask {
    let mut m = [0u8; MASK_LEN];
    for (b, slot) in m.iter_mut().zip(&pvmctrc.tmask) {
        *b = slot.load(Ordering::Relaxed);
    }
    // A mask never set here is libpvm's (inherited, or empty).
    if m.iter().all(|b| *b == 0) {
        return global().child_trace_mask();
    }
    m
}

/// Copies `pvmctrc`'s other fields from the task's options (after setopt or joining).
pub(crate) fn refresh_tracer(g: &pvm::Pvm) {
    let pairs: [(&AtomicI32, i32); 8] = [
        (&pvmctrc.trctid, PvmTraceTid),
        (&pvmctrc.trcctx, PvmTraceContext),
        (&pvmctrc.trctag, PvmTraceCode),
        (&pvmctrc.outtid, PvmOutputTid),
        (&pvmctrc.outctx, PvmOutputContext),
        (&pvmctrc.outtag, PvmOutputCode),
        (&pvmctrc.trcbuf, PvmTraceBuffer),
        (&pvmctrc.trcopt, PvmTraceOptions),
    ];
    for (slot, opt) in pairs {
        if let Ok(v) = g.getopt(opt) {
            slot.store(v, Ordering::Relaxed);
        }
    }
}

/// A mask from C: up to `MASK_LEN - 1` bytes before a NUL, the rest '@'.
///
/// # Safety
/// `p` points to a NUL-terminated mask or to `MASK_LEN` readable bytes.
unsafe fn read_mask(p: *const c_char) -> Result<Mask, PvmError> {
    if p.is_null() {
        return Err(PvmError::BadParam);
    }
    let mut m = EMPTY_MASK;
    for (i, slot) in m.iter_mut().take(MASK_LEN - 1).enumerate() {
        // SAFETY: reading stops at the NUL, and never past MASK_LEN (caller's contract).
        let b = unsafe { *p.add(i) } as u8;
        if b == 0 {
            break;
        }
        *slot = b;
    }
    Ok(m)
}

/// `pvm_settmask(who, mask)`: sets the trace mask of this task (`PvmTaskSelf`) or
/// of the children it spawns from now on (`PvmTaskChild`).
///
/// # Safety
/// `mask` is NULL or a trace mask (a C string of at most 35 characters).
#[no_mangle]
pub unsafe extern "C" fn pvm_settmask(who: c_int, mask: *const c_char) -> c_int {
    guard("pvm_settmask", || {
        // SAFETY: caller's contract.
        let m = unsafe { read_mask(mask) }?;
        match who {
            PvmTaskSelf => global().set_trace_mask(m),
            PvmTaskChild => set_child_mask(&m),
            _ => return Err(PvmError::BadParam),
        }
        Ok(0)
    })
}

/// `pvm_gettmask(who, mask)`: copies this task's or its children's trace mask into
/// `mask` (`MASK_LEN` bytes).
///
/// # Safety
/// `mask` is NULL or writable for `MASK_LEN` bytes.
#[no_mangle]
pub unsafe extern "C" fn pvm_gettmask(who: c_int, mask: *mut c_char) -> c_int {
    guard("pvm_gettmask", || {
        if mask.is_null() {
            return Err(PvmError::BadParam);
        }
        let m = match who {
            PvmTaskSelf => self_mask(),
            PvmTaskChild => child_mask(),
            _ => return Err(PvmError::BadParam),
        };
        // SAFETY: MASK_LEN writable bytes by the caller's contract.
        unsafe { std::ptr::copy_nonoverlapping(m.as_ptr().cast(), mask, MASK_LEN) };
        Ok(0)
    })
}

/// Unpacks `count` ints from buffer `mid` (not the active one necessarily).
fn ints(mid: c_int, count: usize) -> Result<Vec<i32>, PvmError> {
    global().with_buffers(|t| t.get_mut(mid)?.unpack_vec::<i32>(count))
}

/// A mask string from buffer `mid`.
fn mask_of(mid: c_int) -> Result<Mask, PvmError> {
    let s = global().with_buffers(|t| t.get_mut(mid)?.upkstr())?;
    let mut m = EMPTY_MASK;
    for (slot, b) in m
        .iter_mut()
        .take(MASK_LEN - 1)
        .zip(s.iter().take_while(|b| **b != 0))
    {
        *slot = *b;
    }
    Ok(m)
}

/// `pvm_tc_noop(mid)`: PVM's task-control message that asks nothing.
#[no_mangle]
pub extern "C" fn pvm_tc_noop(_mid: c_int) -> c_int {
    guard("pvm_tc_noop", || Ok(0))
}

/// `pvm_tc_settmask(mid)`: a task-control message carrying this task's new trace
/// mask (a string).
#[no_mangle]
pub extern "C" fn pvm_tc_settmask(mid: c_int) -> c_int {
    guard("pvm_tc_settmask", || {
        let m = mask_of(mid)?;
        global().set_trace_mask(m);
        Ok(0)
    })
}

/// `pvm_tc_settrcbuf(mid)`: a task-control message with this task's trace buffer size.
#[no_mangle]
pub extern "C" fn pvm_tc_settrcbuf(mid: c_int) -> c_int {
    guard("pvm_tc_settrcbuf", || {
        let v = ints(mid, 1)?[0];
        global().setopt(PvmSelfTraceBuffer, v).map(|_| 0)
    })
}

/// `pvm_tc_settrcopt(mid)`: a task-control message with this task's trace options.
#[no_mangle]
pub extern "C" fn pvm_tc_settrcopt(mid: c_int) -> c_int {
    guard("pvm_tc_settrcopt", || {
        let v = ints(mid, 1)?[0];
        global().setopt(PvmSelfTraceOptions, v).map(|_| 0)
    })
}

/// `pvm_tc_settrace(mid)`: a task-control message with this task's whole tracer
/// settings, in `struct Pvmtracer`'s order: trace tid, context, tag, output tid,
/// context, tag, buffer, options (ints), then the mask (a string).
#[no_mangle]
pub extern "C" fn pvm_tc_settrace(mid: c_int) -> c_int {
    guard("pvm_tc_settrace", || {
        let v = ints(mid, 8)?;
        let m = mask_of(mid)?;
        let g = global();
        for (opt, val) in [
            (PvmSelfTraceTid, v[0]),
            (PvmSelfTraceContext, v[1]),
            (PvmSelfTraceCode, v[2]),
            (PvmSelfOutputTid, v[3]),
            (PvmSelfOutputContext, v[4]),
            (PvmSelfOutputCode, v[5]),
            (PvmSelfTraceBuffer, v[6]),
            (PvmSelfTraceOptions, v[7]),
        ] {
            g.setopt(opt, val)?;
        }
        global().set_trace_mask(m);
        Ok(0)
    })
}

/// `pvm_tc_siblings(mid)`: a task-control message announcing the tasks spawned with
/// this one (a count, then the tids); `pvm_siblings` answers with them from then on.
#[no_mangle]
pub extern "C" fn pvm_tc_siblings(mid: c_int) -> c_int {
    guard("pvm_tc_siblings", || {
        let n = ints(mid, 1)?[0];
        let n = usize::try_from(n).map_err(|_| PvmError::BadParam)?;
        let tids = ints(mid, n)?;
        crate::process::announce_siblings(tids);
        Ok(0)
    })
}

/// `pvm_reg_tracer(tctx, ttag, octx, otag, tmask, tbuf, topt)`: makes this task the
/// tracer of the tasks it spawns from now on: their trace events go to it with tag
/// `ttag` in context `tctx`, their output with `otag` in `octx`, traced as `tmask`,
/// `tbuf` and `topt` say. PVM's pvmd would also hand these settings to tasks others
/// spawn; ours keeps no machine-wide tracer, which the log says.
///
/// # Safety
/// `tmask` is NULL or a trace mask.
#[no_mangle]
pub unsafe extern "C" fn pvm_reg_tracer(
    tctx: c_int,
    ttag: c_int,
    octx: c_int,
    otag: c_int,
    tmask: *const c_char,
    tbuf: c_int,
    topt: c_int,
) -> c_int {
    guard("pvm_reg_tracer", || {
        let mask = if tmask.is_null() {
            EMPTY_MASK
        } else {
            // SAFETY: caller's contract.
            unsafe { read_mask(tmask) }?
        };
        let g = global();
        let me = g.mytid()?.raw();
        for (opt, val) in [
            (PvmTraceTid, me),
            (PvmTraceContext, tctx),
            (PvmTraceCode, ttag),
            (PvmOutputTid, me),
            (PvmOutputContext, octx),
            (PvmOutputCode, otag),
            (PvmTraceBuffer, tbuf),
            (PvmTraceOptions, topt),
        ] {
            g.setopt(opt, val)?;
        }
        set_child_mask(&mask);
        refresh_tracer(g);
        tracing::warn!(
            "pvm_reg_tracer: t{me:x} traces the tasks it spawns; pvmd keeps no machine-wide tracer for tasks others spawn"
        );
        Ok(0)
    })
}

/// PVM's semantic data ids of trace records and what they mean, by id.
const DATA_IDS: [(&CStr, &CStr); DID_COUNT] = [
    (c"AN", c"PVM Architecture Name"),
    (c"AC", c"PVM Architecture Code"),
    (c"AS", c"Argument Strings (Argc/Argv)"),
    (c"BF", c"Block Flag"),
    (c"CC", c"Condition Code"),
    (c"CN", c"Class Name"),
    (c"CI", c"Class Index"),
    (c"CF", c"Class Flags"),
    (c"CD", c"Class Data"),
    (c"CR", c"Returned Class Data"),
    (c"CL", c"Returned Class Names"),
    (c"CDA", c"Collective Data Address"),
    (c"CDT", c"Collective Data Type"),
    (c"CDX", c"Collective Data"),
    (c"CDC", c"Collective Count"),
    (c"CGI", c"Collective Group Result Instance"),
    (c"CRF", c"Collective Reduce Function"),
    (c"CXC", c"Current Message Context"),
    (c"CXF", c"Freed Message Context"),
    (c"CXN", c"New Message Context"),
    (c"CXS", c"Set Message Context"),
    (c"ERI", c"PVM Error Identifier"),
    (c"ERR", c"PVM Error String"),
    (c"FDS", c"File Descriptors"),
    (c"FP", c"File Pointer"),
    (c"GN", c"Group Name"),
    (c"GI", c"Group Instance Number"),
    (c"GT", c"Group Task ID"),
    (c"GS", c"Group Size"),
    (c"GBC", c"Group Barrier Count"),
    (c"HN", c"Host Name"),
    (c"HNL", c"Host Name List"),
    (c"HNA", c"Host Name Alias"),
    (c"HPT", c"Host PVMD Task ID"),
    (c"HA", c"Host Architecture"),
    (c"HSP", c"Host Speed"),
    (c"HIS", c"Host Information Structures"),
    (c"HCS", c"Host Clock Seconds"),
    (c"HCU", c"Host Clock Microseconds"),
    (c"HDS", c"Host Delta Seconds"),
    (c"HDU", c"Host Delta Microseconds"),
    (c"HS", c"Host Status"),
    (c"INB", c"Info Number of Message Bytes"),
    (c"IMC", c"Info Message Code"),
    (c"IST", c"Info Message Source Task"),
    (c"MC", c"Message Code"),
    (c"MCX", c"Message Context"),
    (c"MB", c"Message Buffer"),
    (c"MNB", c"Message Number of Bytes"),
    (c"SRC", c"Message Source Task ID"),
    (c"DST", c"Message Destination Task ID"),
    (c"MDL", c"Message Destination Task ID List"),
    (c"MTS", c"Message Timeout Seconds"),
    (c"MTU", c"Message Timeout Microseconds"),
    (c"MRF", c"Message Receive Function"),
    (c"MRB", c"Message Receive Buffer"),
    (c"MSB", c"Message Send Buffer"),
    (c"ME", c"Message Encoding"),
    (c"MHI", c"Message Handler Index"),
    (c"AST", c"Actual Message Sender Task ID"),
    (c"AMC", c"Actual Message Code"),
    (c"AML", c"Actual Message Length"),
    (c"NE", c"Notify Event ID"),
    (c"NMC", c"Notify Message Code"),
    (c"NCT", c"Notify Count"),
    (c"NTL", c"Notify Task ID List"),
    (c"NH", c"Number of Hosts"),
    (c"NA", c"Number of Architectures"),
    (c"OPT", c"PVM Option ID"),
    (c"OPV", c"PVM Option Value"),
    (c"OS", c"Output String"),
    (c"PDA", c"Pack Data Address"),
    (c"PDT", c"Pack Data Type"),
    (c"PC", c"Pack Count"),
    (c"PSD", c"Pack Stride"),
    (c"PSG", c"Pack String"),
    (c"PF", c"Pack Format"),
    (c"PRF", c"Profiling Count"),
    (c"RST", c"Receive Msg Source Task / Wildcard"),
    (c"RMC", c"Receive Msg Code / Wildcard"),
    (c"RCX", c"Receive Msg Context"),
    (c"SN", c"Signal Number"),
    (c"SE", c"Spawn Executable File"),
    (c"SF", c"Spawn Flags"),
    (c"SW", c"Spawn Where"),
    (c"SC", c"Spawn Count"),
    (c"STL", c"Spawned Task ID List"),
    (c"SIB", c"Sibling Task ID List"),
    (c"TID", c"Task ID"),
    (c"PT", c"Parent Task ID"),
    (c"MT", c"My Task ID"),
    (c"TF", c"Task Flags"),
    (c"TN", c"Task Name"),
    (c"PID", c"Task Process ID"),
    (c"TT", c"Target Task ID"),
    (c"TW", c"Tasks Where"),
    (c"TIS", c"Task Information Structures"),
    (c"TNT", c"Task Info - Number of Tasks"),
    (c"TST", c"Task Status"),
    (c"TUS", c"Task User Usage Seconds"),
    (c"TUU", c"Task User Usage Microseconds"),
    (c"TSS", c"Task System Usage Seconds"),
    (c"TSU", c"Task System Usage Microseconds"),
    (c"TES", c"Task Exit Status"),
    (c"TA", c"Tickle Arguments"),
    (c"TR", c"Tickle Responses"),
    (c"TS", c"Time Seconds"),
    (c"TU", c"Time Microseconds"),
    (c"TGS", c"Timing Seconds"),
    (c"TGU", c"Timing Microseconds"),
    (c"TMW", c"Trace Mask Who"),
    (c"TM", c"Trace Mask"),
    (c"TRC", c"Tracer Message Trace Context"),
    (c"TRT", c"Tracer Message Trace Tag"),
    (c"TRX", c"Tracer Message Output Context"),
    (c"TRO", c"Tracer Message Output Tag"),
    (c"TRM", c"Tracer Trace Mask"),
    (c"TRB", c"Tracer Trace Buffering"),
    (c"TRL", c"Tracer Trace Options"),
    (c"VER", c"PVM Version"),
    (c"VCT", c"Trace Event Count"),
    (c"VID", c"Trace Event ID"),
    (c"WID", c"Wait Identifier Number"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_pvms_layout() {
        assert_eq!(std::mem::size_of::<TevInfo>(), 56);
        assert_eq!(std::mem::size_of::<TevDid>(), 16);
        assert_eq!(std::mem::size_of::<Tracer>(), 8 * 4 + MASK_LEN);
        assert_eq!(pvm::trace::EVENT_NAMES[0], c"addhosts");
        assert_eq!(pvm::trace::EVENT_NAMES[105], c"mhf_invoke");
        assert_eq!(DATA_IDS[122].0, c"WID");
    }

    #[test]
    fn masks_read_as_pvm_writes_them() {
        let mut m = EMPTY_MASK;
        assert!(!mask_has(&m, 45));
        m[45 / 4] |= 1 << (45 & 3);
        assert!(mask_has(&m, 45));
        assert!(!mask_has(&m, 44));
    }
}
