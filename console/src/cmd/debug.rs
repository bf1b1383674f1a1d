//! `tickle`: pvmd's debugging actions (`pvm_tickle`).

use crate::format;
use crate::print;
use crate::session::Session;

/// `tickle how [arg ...]`: what pvmd did goes to its log; its results are printed.
pub fn tickle(s: &Session, args: &[i32]) {
    match s.pvm.tickle(args) {
        Ok(results) => print::line(format::tickle_line(&results)),
        Err(e) => s.lib_error("pvm_tickle", e),
    }
}
