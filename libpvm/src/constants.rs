//! PVM 3.4's named constants, with PVM's values.
//!
//! A PVM programmer reads `PvmTaskDefault`, `PvmRouteDirect` or `PvmMboxMultiInstance` in
//! every program; the same names with the same integers live here so Rust code and the C
//! ABI speak one vocabulary. The names keep PVM's spelling on purpose, hence the lint
//! exception.
#![allow(non_upper_case_globals)]

// ---- Message encodings (pvm_initsend) ----

/// XDR (big-endian) encoding: portable between architectures.
pub const PvmDataDefault: i32 = 0;
/// Native byte order, no conversion.
pub const PvmDataRaw: i32 = 1;
/// Native byte order; PVM leaves the data in place until send.
pub const PvmDataInPlace: i32 = 2;
/// User-defined trace encoding (accepted, treated as raw data).
pub const PvmDataTrace: i32 = 4;

// ---- Spawn flags (pvm_spawn) ----

/// Let PVM choose where to start the tasks.
pub const PvmTaskDefault: i32 = 0;
/// `where` names a host.
pub const PvmTaskHost: i32 = 1;
/// `where` names an architecture (`LINUX64`).
pub const PvmTaskArch: i32 = 2;
/// Start the task under a debugger.
pub const PvmTaskDebug: i32 = 4;
/// The task generates trace data.
pub const PvmTaskTrace: i32 = 8;
/// Start on an MPP's front end (no meaning here; accepted).
pub const PvmMppFront: i32 = 16;
/// Complement the host set named by `where`.
pub const PvmHostCompl: i32 = 32;
/// The spawned tasks get no parent.
pub const PvmNoSpawnParent: i32 = 64;

// ---- Notify kinds (pvm_notify) ----

/// A task exited or was killed.
pub const PvmTaskExit: i32 = 1;
/// A host was deleted or failed.
pub const PvmHostDelete: i32 = 2;
/// A host was added.
pub const PvmHostAdd: i32 = 3;
/// A task-task route was opened.
pub const PvmRouteAdd: i32 = 4;
/// A task-task route was closed.
pub const PvmRouteDelete: i32 = 5;
/// OR-ed with a kind: cancel earlier notifies (they fire at once).
pub const PvmNotifyCancel: i32 = 256;

// ---- Options (pvm_setopt / pvm_getopt) ----

/// Routing policy; one of `PvmDontRoute`, `PvmAllowDirect`, `PvmRouteDirect`.
pub const PvmRoute: i32 = 1;
/// Never use task-task links, in or out.
pub const PvmDontRoute: i32 = 1;
/// Accept task-task links but do not request them (the default).
pub const PvmAllowDirect: i32 = 2;
/// Request task-task links for messages this task sends.
pub const PvmRouteDirect: i32 = 3;
/// Library debug mask.
pub const PvmDebugMask: i32 = 2;
/// Print errors as they happen (1), and also abort (2).
pub const PvmAutoErr: i32 = 3;
/// Where children's output goes (a tid; 0 = pvmd's log).
pub const PvmOutputTid: i32 = 4;
/// Message tag of children's output messages.
pub const PvmOutputCode: i32 = 5;
/// Where children's trace data goes.
pub const PvmTraceTid: i32 = 6;
/// Message tag of children's trace messages.
pub const PvmTraceCode: i32 = 7;
/// Trace buffering for children.
pub const PvmTraceBuffer: i32 = 8;
/// Trace options for children.
pub const PvmTraceOptions: i32 = 9;
/// Message fragment size.
pub const PvmFragSize: i32 = 10;
/// Allow the reserved (negative) message tags and the pvmd tids.
pub const PvmResvTids: i32 = 11;
/// Where this task's own output goes.
pub const PvmSelfOutputTid: i32 = 12;
/// Message tag of this task's output messages.
pub const PvmSelfOutputCode: i32 = 13;
/// Where this task's trace data goes.
pub const PvmSelfTraceTid: i32 = 14;
/// Message tag of this task's trace messages.
pub const PvmSelfTraceCode: i32 = 15;
/// Trace buffering for this task.
pub const PvmSelfTraceBuffer: i32 = 16;
/// Trace options for this task.
pub const PvmSelfTraceOptions: i32 = 17;
/// Whether `catchout` prefixes each line with the task's tid.
pub const PvmShowTids: i32 = 18;
/// Shared-memory wait method (accepted, no effect).
pub const PvmPollType: i32 = 19;
/// Time before sleeping with `PvmPollSleep` (accepted, no effect).
pub const PvmPollTime: i32 = 20;
/// Context of children's output messages.
pub const PvmOutputContext: i32 = 21;
/// Context of children's trace messages.
pub const PvmTraceContext: i32 = 22;
/// Context of this task's output messages.
pub const PvmSelfOutputContext: i32 = 23;
/// Context of this task's trace messages.
pub const PvmSelfTraceContext: i32 = 24;
/// Do not kill this task on a console `reset`.
pub const PvmNoReset: i32 = 25;

/// Trace option values.
pub const PvmTraceFull: i32 = 1;
/// Trace only routine timings.
pub const PvmTraceTime: i32 = 2;
/// Trace only routine counts.
pub const PvmTraceCount: i32 = 3;
/// Poll type: spin.
pub const PvmPollConstant: i32 = 1;
/// Poll type: sleep after `PvmPollTime`.
pub const PvmPollSleep: i32 = 2;

// ---- pvm_[sg]ettmask targets ----

/// This task's trace mask.
pub const PvmTaskSelf: i32 = 0;
/// Children's trace mask.
pub const PvmTaskChild: i32 = 1;

// ---- Contexts ----

/// The context every task starts in.
pub const PvmBaseContext: i32 = 0;

// ---- Mailbox flags (pvm_putinfo / pvm_recvinfo) ----

/// Single, locked instance, removed when its owner exits.
pub const PvmMboxDefault: i32 = 0;
/// The entry outlives its owner.
pub const PvmMboxPersistent: i32 = 1;
/// Several entries under one name.
pub const PvmMboxMultiInstance: i32 = 2;
/// Others may overwrite the entry.
pub const PvmMboxOverWritable: i32 = 4;
/// Get the first index at or above the one asked for.
pub const PvmMboxFirstAvail: i32 = 8;
/// Read and delete in one step.
pub const PvmMboxReadAndDelete: i32 = 16;
/// `recvinfo` waits until the entry exists.
pub const PvmMboxWaitForInfo: i32 = 32;
/// The largest mailbox flag bit.
pub const PvmMboxMaxFlag: i32 = 512;
/// Where a direct index sits in the flags word.
pub const PvmMboxDirectIndexShift: i32 = 10;

/// The flags word that asks for mailbox index `index` directly (`PvmMboxDirectIndex`).
pub const fn mbox_direct_index(index: i32) -> i32 {
    index << PvmMboxDirectIndexShift
}

/// The index a flags word asks for directly (`PvmMboxDirectIndexOf`).
pub const fn mbox_direct_index_of(flags: i32) -> i32 {
    flags >> PvmMboxDirectIndexShift
}

// ---- Data types (pvm_psend / pvm_precv) ----

/// Nul-terminated string.
pub const PVM_STR: i32 = 0;
/// Byte.
pub const PVM_BYTE: i32 = 1;
/// 16-bit integer.
pub const PVM_SHORT: i32 = 2;
/// 32-bit integer.
pub const PVM_INT: i32 = 3;
/// 32-bit float.
pub const PVM_FLOAT: i32 = 4;
/// Pair of 32-bit floats.
pub const PVM_CPLX: i32 = 5;
/// 64-bit float.
pub const PVM_DOUBLE: i32 = 6;
/// Pair of 64-bit floats.
pub const PVM_DCPLX: i32 = 7;
/// 64-bit integer (C `long` on LINUX64).
pub const PVM_LONG: i32 = 8;
/// Unsigned 16-bit integer.
pub const PVM_USHORT: i32 = 9;
/// Unsigned 32-bit integer.
pub const PVM_UINT: i32 = 10;
/// Unsigned 64-bit integer.
pub const PVM_ULONG: i32 = 11;

// ---- Version ----

/// The PVM version this library implements.
pub const PVM_VER: &str = "3.4.6";
/// Major version.
pub const PVM_MAJOR_VERSION: i32 = 3;
/// Minor version.
pub const PVM_MINOR_VERSION: i32 = 4;
/// Patch level.
pub const PVM_PATCH_VERSION: i32 = 6;

/// The architecture name of this machine, as PVM names it.
pub const PVM_ARCH: &str = "LINUX64";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_direct_index_round_trips() {
        let flags = mbox_direct_index(5) | PvmMboxOverWritable;
        assert_eq!(mbox_direct_index_of(flags), 5);
        assert_eq!(flags & (PvmMboxMaxFlag - 1), PvmMboxOverWritable);
    }
}
