//! PVM 3.4 constants the protocol carries unchanged (the API owner may re-export them).

/// `pvm_spawn` flags.
pub const PVM_TASK_DEFAULT: i32 = 0;
pub const PVM_TASK_HOST: i32 = 1;
pub const PVM_TASK_ARCH: i32 = 2;
pub const PVM_TASK_DEBUG: i32 = 4;
pub const PVM_TASK_TRACE: i32 = 8;
pub const PVM_MPP_FRONT: i32 = 16;
pub const PVM_HOST_COMPL: i32 = 32;
pub const PVM_NO_SPAWN_PARENT: i32 = 64;

/// `pvm_notify` kinds.
pub const PVM_TASK_EXIT: i32 = 1;
pub const PVM_HOST_DELETE: i32 = 2;
pub const PVM_HOST_ADD: i32 = 3;
pub const PVM_ROUTE_ADD: i32 = 4;
pub const PVM_ROUTE_DELETE: i32 = 5;
pub const PVM_NOTIFY_CANCEL: i32 = 256;

/// Mailbox flags.
pub const PVM_MBOX_DEFAULT: i32 = 0;
pub const PVM_MBOX_PERSISTENT: i32 = 1;
pub const PVM_MBOX_MULTI_INSTANCE: i32 = 2;
pub const PVM_MBOX_OVER_WRITABLE: i32 = 4;
pub const PVM_MBOX_FIRST_AVAIL: i32 = 8;
pub const PVM_MBOX_READ_AND_DELETE: i32 = 16;
pub const PVM_MBOX_WAIT_FOR_INFO: i32 = 32;

/// Message encodings.
pub const PVM_DATA_DEFAULT: i32 = 0;
pub const PVM_DATA_RAW: i32 = 1;
pub const PVM_DATA_IN_PLACE: i32 = 2;

/// `ti_flag` bits in task info, PVM 3.4's values (its console shows `6/c,f` for a
/// spawned, connected task): the task is connected to pvmd.
pub const TF_CONNECTED: i32 = 0x4;
/// `ti_flag`: the task was spawned by pvmd (not attached from a shell).
pub const TF_SPAWNED: i32 = 0x2;
/// `ti_flag`: the task set PvmNoReset, so `reset` spares it (as consoles do).
pub const TF_NORESET: i32 = 0x400;

/// Output protocol (messages to a PvmOutputTid): body = XDR int tid, XDR int count,
/// then for count > 0 the `count` bytes of text packed as PVM bytes. count 0 = the task
/// ended (END), count -1 = the task started (BEGIN, followed by an int: the parent's
/// tid); [`super::output`] encodes and decodes it.
pub const OUTPUT_BEGIN: i32 = -1;
/// See [`OUTPUT_BEGIN`].
pub const OUTPUT_END: i32 = 0;

/// `pvm_tickle` takes 1 to this many ints (PVM's limit).
pub const TICKLE_MAX_ARGS: usize = 10;
/// `pvm_tickle` actions (`args[0]`), PVM 3.4's numbers: dump the heap, the host
/// table, the task table, the wait contexts, the mailbox to the pvmd log.
pub const TICKLE_DUMP_HEAP: i32 = 0;
pub const TICKLE_DUMP_HOSTS: i32 = 1;
pub const TICKLE_DUMP_TASKS: i32 = 2;
pub const TICKLE_DUMP_WAITS: i32 = 3;
pub const TICKLE_DUMP_MAILBOX: i32 = 4;
/// `pvm_tickle`: the pvmd's debug mask, in `results[0]`.
pub const TICKLE_GET_DEBUG_MASK: i32 = 5;
/// `pvm_tickle`: sets the pvmd's debug mask to `args[1]`.
pub const TICKLE_SET_DEBUG_MASK: i32 = 6;
