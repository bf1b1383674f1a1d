//! The calls of PVM 3.4's library beyond sending and receiving proper, from C:
//! tests/c/whole.c, compiled against our pvm3.h, checks message handlers (run from
//! inside a receive, calling PVM themselves), matching functions, the descriptor
//! `pvm_getfds` hands out (readable exactly while a message waits), messages packed
//! in messages, `pvm_hostsync`, `pvm_getnoresets`, trace masks and the symbols PVM's
//! own programs use, and the debug log `PvmDebugMask` turns on, against a real pvmd
//! of ours.

mod common;

use std::time::Duration;

use common::{text, Vm};

#[test]
fn handlers_matchers_descriptors_and_the_rest_behave_as_pvm_documents() {
    let vm = Vm::start();
    let exe = vm.compile_own("whole");
    let out = vm.run(&exe, &[], Duration::from_secs(60));
    let stdout = text(&out.stdout);
    let failed: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(
        failed.is_empty(),
        "{failed:#?}\n{stdout}{}",
        text(&out.stderr)
    );
    assert!(
        out.status.success() && stdout.contains("done 0 failures"),
        "{:?}\n{stdout}{}",
        out.status,
        text(&out.stderr)
    );
    // PvmDebugMask on logs the traffic, off again it does not.
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(" tag 50 ctx 0 len 4") && stderr.contains("]: send() dst t4"),
        "{stderr}"
    );
    assert!(stderr.contains("]: recv() src t4"), "{stderr}");
    assert!(!stderr.contains("tag 51"), "{stderr}");
    // Every check ran (a crash midway would leave some out).
    assert!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count() >= 50,
        "{stdout}"
    );
}
