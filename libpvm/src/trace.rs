//! PVM 3.4's trace-event format (`pvmtev.h`): what a traced task sends its tracer.
//!
//! A trace message is an XDR body of ints and strings. Each event starts with a marker,
//! `TEV_MARK_EVENT_DESC` the first time this task sends that event (entry and exit
//! counted apart) or `TEV_MARK_EVENT_RECORD` after, then the event id or-ed with
//! `TEV_EVENT_ENTRY`/`TEV_EVENT_EXIT` (a descriptor adds the event's name), then its
//! fields, and the matching end marker. In a descriptor every field is preceded by its
//! data id (`TEV_DID_*`) and type (`TEV_DATA_*`, or-ed with `TEV_DATA_ARRAY` for an
//! array, whose count comes next); a record carries the values only (an array's count
//! still first), so the tracer reads them by the descriptor it was given. Every event
//! has the time (seconds, microseconds) and the task's tid first. Buffered events
//! (PvmTraceBuffer > 0) are wrapped in `TEV_MARK_EVENT_BUFFER` ... `_END`.
//!
//! [`Record`] writes one event's fields; [`crate::Pvm::trace_event`] frames, buffers
//! and sends them.

use std::ffi::CStr;

use crate::pack::Buffer;

/// Events in PVM 3.4.6's table (`TEV_MAX` + 1).
pub const TEV_COUNT: usize = 109;
/// `TEV_MASK_LENGTH`.
pub const MASK_LEN: usize = 36;

/// Event ids (`TEV_*`) of the calls that are traced.
pub mod event {
    pub const EXIT: usize = 7;
    pub const INITSEND: usize = 17;
    pub const MCAST: usize = 23;
    pub const MYTID: usize = 26;
    pub const NRECV: usize = 28;
    pub const PKDOUBLE: usize = 34;
    pub const PKINT: usize = 36;
    pub const PKSTR: usize = 42;
    pub const PROBE: usize = 43;
    pub const RECV: usize = 45;
    pub const SEND: usize = 47;
    pub const SPAWN: usize = 52;
    pub const TRECV: usize = 57;
    pub const UPKINT: usize = 63;
    /// `TEV_EVENT_ENTRY`.
    pub const ENTRY: i32 = 0x4000;
    /// `TEV_EVENT_EXIT`.
    pub const EXIT_OF: i32 = 0x8000;
}

/// Semantic data ids (`TEV_DID_*`) of the fields traced.
pub mod did {
    pub const CC: i32 = 4;
    pub const MC: i32 = 45;
    pub const MCX: i32 = 46;
    pub const MB: i32 = 47;
    pub const MNB: i32 = 48;
    pub const SRC: i32 = 49;
    pub const DST: i32 = 50;
    pub const MDL: i32 = 51;
    pub const MTS: i32 = 52;
    pub const MTU: i32 = 53;
    pub const ME: i32 = 57;
    pub const PDA: i32 = 71;
    pub const PC: i32 = 73;
    pub const PSD: i32 = 74;
    pub const RST: i32 = 78;
    pub const RMC: i32 = 79;
    pub const RCX: i32 = 80;
    pub const SE: i32 = 82;
    pub const SF: i32 = 83;
    pub const SW: i32 = 84;
    pub const SC: i32 = 85;
    pub const STL: i32 = 86;
    pub const TID: i32 = 88;
    pub const MT: i32 = 90;
    pub const TS: i32 = 106;
    pub const TU: i32 = 107;
}

/// Markers (`TEV_MARK_*`).
pub mod mark {
    pub const EVENT_BUFFER: i32 = -1;
    pub const EVENT_BUFFER_END: i32 = -2;
    pub const EVENT_DESC: i32 = -5;
    pub const EVENT_DESC_END: i32 = -6;
    pub const EVENT_RECORD: i32 = -7;
    pub const EVENT_RECORD_END: i32 = -8;
}

/// Data types (`TEV_DATA_*`).
pub mod data {
    pub const INT: i32 = 6;
    pub const LONG: i32 = 8;
    pub const STRING: i32 = 12;
    /// Or-ed into the type of an array field.
    pub const ARRAY: i32 = 0x80;
}

/// A trace mask: `MASK_LEN` bytes, NUL-terminated, 4 events per character over '@'.
pub type Mask = [u8; MASK_LEN];

/// PVM's empty mask (`TEV_MASK_INIT`): '@' in every place, NUL at the end.
pub const EMPTY_MASK: Mask = {
    let mut m = [b'@'; MASK_LEN];
    m[MASK_LEN - 1] = 0;
    m
};

/// Whether event `event` is set in `mask` (`TEV_MASK_CHECK`).
pub fn mask_has(mask: &Mask, event: usize) -> bool {
    mask.get(event / 4)
        .is_some_and(|b| b & (1 << (event & 3)) != 0)
}

/// Sets event `event` in `mask` (`TEV_MASK_SET`).
pub fn mask_set(mask: &mut Mask, event: usize) {
    if let Some(b) = mask.get_mut(event / 4).filter(|_| event / 4 < MASK_LEN - 1) {
        *b |= 1 << (event & 3);
    }
}

/// Whether `mask` selects any event.
pub fn mask_any(mask: &Mask) -> bool {
    mask[..MASK_LEN - 1].iter().any(|b| b & 0x0f != 0)
}

/// A mask from its string form (as `PVMTMASK` carries it); `None` for one too long.
pub fn mask_from_str(s: &str) -> Option<Mask> {
    let b = s.as_bytes();
    if b.len() > MASK_LEN - 1 {
        return None;
    }
    let mut m = EMPTY_MASK;
    m[..b.len()].copy_from_slice(b);
    Some(m)
}

/// The string form of a mask (up to its NUL).
pub fn mask_to_string(m: &Mask) -> String {
    m.iter()
        .take_while(|b| **b != 0)
        .map(|b| *b as char)
        .collect()
}

/// One event's fields being written: with data ids and types in a descriptor, bare
/// values in a record. Packing into a fresh XDR buffer cannot fail short of memory,
/// so the writers return nothing.
pub struct Record<'a> {
    buf: &'a mut Buffer,
    desc: bool,
}

impl<'a> Record<'a> {
    pub(crate) fn new(buf: &'a mut Buffer, desc: bool) -> Record<'a> {
        Record { buf, desc }
    }

    fn put(&mut self, v: i32) {
        let _ = self.buf.pack_slice(&[v], 1);
    }

    fn head(&mut self, did: i32, ty: i32) {
        if self.desc {
            self.put(did);
            self.put(ty);
        }
    }

    /// An int field.
    pub fn int(&mut self, did: i32, v: i32) -> &mut Self {
        self.head(did, data::INT);
        self.put(v);
        self
    }

    /// An array of ints.
    pub fn ints(&mut self, did: i32, v: &[i32]) -> &mut Self {
        self.head(did, data::INT | data::ARRAY);
        self.put(v.len() as i32);
        let _ = self.buf.pack_slice(v, 1);
        self
    }

    /// A C `long` field (addresses). XDR carries a long in 32 bits: one that does
    /// not fit (a 64-bit address) goes as its low 32 bits.
    pub fn long(&mut self, did: i32, v: std::ffi::c_long) -> &mut Self {
        self.head(did, data::LONG);
        let fits = std::ffi::c_long::from(v as i32) == v;
        let v = if fits {
            v
        } else {
            std::ffi::c_long::from(v as i32)
        };
        let _ = self.buf.pack_slice(&[v], 1);
        self
    }

    /// A string field.
    pub fn string(&mut self, did: i32, s: &str) -> &mut Self {
        self.head(did, data::STRING);
        let _ = self.buf.pkstr(s.as_bytes());
        self
    }
}

/// The names of PVM's trace events, indexed by event id (`TEV_ADDHOSTS`...).
pub const EVENT_NAMES: [&CStr; TEV_COUNT] = [
    c"addhosts",
    c"barrier",
    c"bcast",
    c"bufinfo",
    c"config",
    c"delete",
    c"delhosts",
    c"exit",
    c"freebuf",
    c"getfds",
    c"getinst",
    c"getopt",
    c"getrbuf",
    c"getsbuf",
    c"gettid",
    c"gsize",
    c"halt",
    c"initsend",
    c"insert",
    c"joingroup",
    c"kill",
    c"lookup",
    c"lvgroup",
    c"mcast",
    c"mkbuf",
    c"mstat",
    c"mytid",
    c"notify",
    c"nrecv",
    c"parent",
    c"perror",
    c"pkbyte",
    c"pkcplx",
    c"pkdcplx",
    c"pkdouble",
    c"pkfloat",
    c"pkint",
    c"pkuint",
    c"pklong",
    c"pkulong",
    c"pkshort",
    c"pkushort",
    c"pkstr",
    c"probe",
    c"pstat",
    c"recv",
    c"recvf",
    c"send",
    c"sendsig",
    c"setopt",
    c"setrbuf",
    c"setsbuf",
    c"spawn",
    c"start_pvmd",
    c"tasks",
    c"tickle",
    c"tidtohost",
    c"trecv",
    c"upkbyte",
    c"upkcplx",
    c"upkdcplx",
    c"upkdouble",
    c"upkfloat",
    c"upkint",
    c"upkuint",
    c"upklong",
    c"upkulong",
    c"upkshort",
    c"upkushort",
    c"upkstr",
    c"version",
    c"reg_hoster",
    c"reg_rm",
    c"reg_tasker",
    c"reg_tracer",
    c"newtask",
    c"endtask",
    c"spntask",
    c"archcode",
    c"catchout",
    c"getmwid",
    c"gettmask",
    c"hostsync",
    c"packf",
    c"precv",
    c"psend",
    c"reduce",
    c"setmwid",
    c"settmask",
    c"unpackf",
    c"gather",
    c"scatter",
    c"putinfo",
    c"getinfo",
    c"delinfo",
    c"getmboxinfo",
    c"newcontext",
    c"freecontext",
    c"setcontext",
    c"getcontext",
    c"siblings",
    c"getminfo",
    c"setminfo",
    c"addmhf",
    c"delmhf",
    c"mhf_invoke",
    c"timing",
    c"profiling",
    c"user_defined",
];
