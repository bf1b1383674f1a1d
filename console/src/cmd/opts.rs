//! `getopt` and `setopt`: the console task's own PVM options.

use crate::format;
use crate::options;
use crate::print;
use crate::session::Session;

/// `getopt [name]`.
pub fn getopt(s: &Session, what: Option<&str>) {
    let wanted: Vec<(&str, i32)> = match what {
        None => options::OPTIONS.to_vec(),
        Some(name) => match options::by_name(name) {
            Some(n) => vec![(name, n)],
            None => return print::line(options::unknown(name)),
        },
    };
    for (name, n) in wanted {
        match s.pvm.getopt(n) {
            Ok(v) => print::line(format::getopt_line(name, v)),
            Err(e) => s.lib_error("pvm_getopt", e),
        }
    }
}

/// `setopt name value`.
pub fn setopt(s: &Session, what: &str, value: &str) {
    let Some(n) = options::by_name(what) else {
        return print::line(options::unknown(what));
    };
    let Some(v) = options::parse_value(value) else {
        return print::line(format!("setopt: bad value {value:?}"));
    };
    match s.pvm.setopt(n, v) {
        Ok(old) => print::line(format::setopt_line(what, old, v)),
        Err(e) => s.lib_error("pvm_setopt", e),
    }
}
