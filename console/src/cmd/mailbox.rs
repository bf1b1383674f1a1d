//! Mailbox commands: names, put.

use pvm::pack::{Buffer, Encoding};

use crate::format;
use crate::print;
use crate::session::Session;

/// `names [pattern]`: every entry whose name matches (all without a pattern).
pub fn names(s: &Session, pattern: Option<&str>) {
    let classes = match s.pvm.getmboxinfo(pattern.unwrap_or("*")) {
        Ok(c) => c,
        Err(e) => return s.lib_error("pvm_getmboxinfo", e),
    };
    let mut lines = Vec::new();
    for c in &classes {
        let entries = c.indices.iter().zip(&c.owners).zip(&c.flags);
        for ((index, owner), flags) in entries {
            lines.extend(format::names_entry(&c.name, *index, *owner, *flags));
        }
    }
    print::out(lines);
}

/// `put name flags text`: stores `text` as a message holding one packed string, as
/// `pvm_pkstr` packs it.
pub fn put(s: &Session, name: &str, flags: i32, text: &str) {
    let mut buf = Buffer::new(Encoding::Default);
    let stored = buf.pkstr(text.as_bytes()).and_then(|()| {
        s.pvm
            .putinfo_bytes(name, Encoding::Default.code(), buf.body(), flags)
    });
    if let Err(e) = stored {
        s.lib_error("pvm_putinfo", e);
    }
}
