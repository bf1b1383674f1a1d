//! Writing to the C program's own `stdout`, through its stdio buffer, so what the
//! library prints for it (`pvmdisplaymhfinfo`) comes in order with the program's
//! `printf`s however stdout is buffered.

use std::ffi::CString;

/// Prints `text` with C's `printf`; NUL bytes (never in what we print) are dropped.
pub(crate) fn print_c_stdout(text: &str) {
    let Ok(c) = CString::new(text.replace('\0', "")) else {
        return;
    };
    // SAFETY: a constant "%s" format with one NUL-terminated string argument.
    unsafe { libc::printf(c"%s".as_ptr(), c.as_ptr()) };
}
