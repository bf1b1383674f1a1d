//! pvm_start_pvmd from C (tests/c/start.c): with no daemon running the program starts
//! ours (found through PVM_DPATH), enrolls, is refused a second daemon with
//! `PvmDupHost`, and halts. The harness stops the daemon by pid should the program
//! fail before halting it.

mod common;

use std::time::Duration;

use common::{text, Vm};

#[test]
fn a_c_program_starts_our_pvmd_and_halts_it() {
    let vm = Vm::without_pvmd();
    let exe = vm.compile_own("start");
    let out = vm.run(&exe, &[], Duration::from_secs(60));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("start: ok"),
        "{:?}\n{stdout}{}",
        out.status,
        text(&out.stderr)
    );
}

#[test]
fn a_pvmd_left_running_is_stopped_with_the_harness() {
    let vm = Vm::without_pvmd();
    let exe = vm.compile_own("start");
    let out = vm.run(&exe, &["leave-it-running"], Duration::from_secs(60));
    assert!(
        text(&out.stdout).contains("start: ok"),
        "{}",
        text(&out.stdout)
    );
    let pid = vm.stray_pvmd().expect("the started pvmd still runs");
    drop(vm);
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "pvmd {pid} survived the harness"
    );
}
