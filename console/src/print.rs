//! Writing to the console's stdout and stderr without ever panicking.
//!
//! `println!` panics when stdout is a closed pipe; a console whose reader went away
//! must notice at its next read instead, so every write here ignores write errors.

use std::io::{self, Write};

/// Prints each line to stdout.
pub fn out<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) {
    let mut o = io::stdout().lock();
    for l in lines {
        let _ = writeln!(o, "{}", l.as_ref());
    }
    let _ = o.flush();
}

/// Prints one line to stdout.
pub fn line(text: impl AsRef<str>) {
    out([text]);
}

/// Prints one line to stderr.
pub fn err(text: impl AsRef<str>) {
    let mut e = io::stderr().lock();
    let _ = writeln!(e, "{}", text.as_ref());
}
