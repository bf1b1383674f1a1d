//! Hostile arguments from C: tests/c/hostile.c, compiled against our pvm3.h, calls the
//! library with NULL pointers, negative counts, bad buffer ids, unknown tids and groups,
//! unpacks of more or other types than a message holds, and bad reduction arguments.
//! Every call must return PVM's error code, the program must not crash, and the daemon
//! must keep serving afterwards. The expectations without NULL pointers were compared
//! with PVM 3.4.6's own library: they agree, except where PVM accepts nonsense (a
//! negative psend count, a predefined reduction of a negative count or of complex
//! maxima), which we refuse with `PvmBadParam`.

mod common;

use std::time::Duration;

use common::{text, Vm};

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn hostile_arguments_get_pvm_error_codes_and_crash_nothing() {
    let vm = Vm::start();
    let exe = vm.compile_own("hostile");
    for round in 0..2 {
        let out = vm.run(&exe, &[], LIMIT);
        let stdout = text(&out.stdout);
        assert!(
            out.status.success(),
            "round {round}: {:?}\n{stdout}{}",
            out.status,
            text(&out.stderr)
        );
        assert!(stdout.contains(", 0 failed"), "round {round}: {stdout}");
    }
}

/// A C program whose stderr is closed still gets its error codes: reporting them
/// (PvmAutoErr, `pvm_perror`) loses the text but must not panic or abort.
#[test]
fn errors_reported_on_a_closed_stderr_crash_nothing() {
    let vm = Vm::start();
    let exe = vm.compile_own("closed_stderr");
    let out = vm.run(&exe, &[], LIMIT);
    assert!(
        out.status.success() && text(&out.stdout).contains("survived"),
        "{:?}\n{}{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
}
