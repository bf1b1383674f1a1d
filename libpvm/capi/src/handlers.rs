//! Message handlers and matching functions: pvm_addmhf, pvm_delmhf, pvm_recvf, and
//! PVM's `pvmdisplaymhfinfo` (which mhf_server calls) listing the handlers.
//!
//! The C function pointers are wrapped in closures for libpvm (`pvm::client::handlers`),
//! which runs them from inside receives.

use std::ffi::{c_char, c_int};
use std::sync::{Arc, Mutex};

use pvm::PvmError;

use crate::{global, guard, guard_value};

/// `int handler(int mid)`.
pub type CHandler = unsafe extern "C" fn(c_int) -> c_int;

/// `int match(int mid, int tid, int tag)`.
pub type CMatch = unsafe extern "C" fn(c_int, c_int, c_int) -> c_int;

/// `pvm_addmhf`: calls `func` for every message from `src` with `tag` in context `ctx`
/// (`-1`: any) that a receive meets, instead of delivering it. Returns the handler id.
///
/// # Safety
/// `func` is NULL or a function that may be called with a buffer id from any receive.
#[no_mangle]
pub unsafe extern "C" fn pvm_addmhf(
    src: c_int,
    tag: c_int,
    ctx: c_int,
    func: Option<CHandler>,
) -> c_int {
    guard("pvm_addmhf", || {
        let func = func.ok_or(PvmError::BadParam)?;
        let call = Arc::new(move |mid: i32| {
            // SAFETY: the caller registered a handler taking a buffer id.
            unsafe { func(mid) };
        });
        global().addmhf(src, tag, ctx, call)
    })
}

/// `pvm_delmhf`: removes a handler.
#[no_mangle]
pub extern "C" fn pvm_delmhf(mhid: c_int) -> c_int {
    guard("pvm_delmhf", || global().delmhf(mhid).map(|_| 0))
}

/// The C function `pvm_recvf` installed last, so it can be handed back.
static MATCHER: Mutex<Option<CMatch>> = Mutex::new(None);

/// `pvm_recvf`: makes `new` the matching function of recv, nrecv, trecv and probe
/// (NULL: PVM's own rule) and returns the previous one (NULL for PVM's own).
///
/// # Safety
/// `new` is NULL or a matching function with PVM's signature.
#[no_mangle]
pub unsafe extern "C" fn pvm_recvf(new: Option<CMatch>) -> Option<CMatch> {
    guard_value(None, || {
        let mut slot = MATCHER.lock().unwrap_or_else(|p| p.into_inner());
        let rule = new.map(|f| {
            Arc::new(move |mid: i32, tid: i32, tag: i32| {
                // SAFETY: the caller's matching function, given what PVM gives it.
                unsafe { f(mid, tid, tag) }
            }) as pvm::client::handlers::MatchFn
        });
        global().recvf(rule);
        std::mem::replace(&mut *slot, new)
    })
}

/// The lines `pvmdisplaymhfinfo` prints for these handlers, in PVM's layout.
fn mhf_lines(
    who: &str,
    msg: &str,
    tid: i32,
    (slots, keys): (usize, Vec<pvm::client::handlers::HandlerKey>),
) -> String {
    let slots = i32::try_from(slots).unwrap_or(i32::MAX);
    let free: Vec<String> = (0..slots)
        .filter(|i| !keys.iter().any(|k| k.mhid == *i))
        .map(|i| i.to_string())
        .collect();
    let first_free = free.first().map_or("-1", String::as_str);
    let mut out = format!(
        "\n{who} t{tid:x}: Display Message Handler Information: ndhandles = {slots}\tnhandles = {}\tfl_dhandles = {first_free}\n",
        keys.len()
    );
    out.push_str("pvmdisplaymhfinfo: free list.  head <- ");
    for f in &free {
        out.push_str(f);
        out.push(' ');
    }
    out.push_str("-< tail\n");
    out.push_str(&format!("{who} t{tid:x}: {msg}\n"));
    for k in &keys {
        let src = format!("t{:x}", k.src);
        out.push_str(&format!(
            "{who} t{tid:x}: dhandles[{i:2}].mhid = {i:2}  .handle = {i:2}     handles[{i:2}].mhid = {i:2}  .header.src = {src:<9}  .header.ctx = {ctx:8}  .header.tag= {tag:8}\n",
            i = k.mhid,
            ctx = k.ctx,
            tag = k.tag,
        ));
    }
    out.push_str("\n\n");
    out
}

/// `pvmdisplaymhfinfo(who, msg, tid)`: prints the message handlers on stdout, as PVM's
/// library does for its example mhf_server.
///
/// # Safety
/// `who` and `msg` are NULL or C strings.
#[no_mangle]
pub unsafe extern "C" fn pvmdisplaymhfinfo(who: *const c_char, msg: *const c_char, tid: c_int) {
    guard_value((), || {
        // SAFETY: caller's contract.
        let who = unsafe { crate::text(who) }.unwrap_or_default();
        // SAFETY: caller's contract.
        let msg = unsafe { crate::text(msg) }.unwrap_or_default();
        let lines = mhf_lines(&who, &msg, tid, global().handler_table());
        crate::stdio::print_c_stdout(&lines);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pvm::client::handlers::HandlerKey;

    #[test]
    fn display_has_pvms_layout() {
        let keys = [
            HandlerKey {
                mhid: 1,
                src: -1,
                tag: 7,
                ctx: -1,
            },
            HandlerKey {
                mhid: 2,
                src: 0x40001,
                tag: 6,
                ctx: 0,
            },
        ];
        let text = mhf_lines("me", "hello", 0x40001, (3, keys.to_vec()));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "");
        assert_eq!(
            lines[1],
            "me t40001: Display Message Handler Information: ndhandles = 3\tnhandles = 2\tfl_dhandles = 0"
        );
        assert_eq!(lines[2], "pvmdisplaymhfinfo: free list.  head <- 0 -< tail");
        assert_eq!(lines[3], "me t40001: hello");
        assert_eq!(lines[4], "me t40001: dhandles[ 1].mhid =  1  .handle =  1     handles[ 1].mhid =  1  .header.src = tffffffff  .header.ctx =       -1  .header.tag=        7");
        assert_eq!(lines[5], "me t40001: dhandles[ 2].mhid =  2  .handle =  2     handles[ 2].mhid =  2  .header.src = t40001     .header.ctx =        0  .header.tag=        6");
        assert_eq!(&lines[6..], ["", ""]);
    }
}
