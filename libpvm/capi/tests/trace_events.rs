//! Trace events from C (tests/c/traced.c): a parent sets PvmTraceTid/Code and its
//! children's trace mask, spawns itself; the child's send, recv, pkint, mytid and
//! exit come to the parent as PVM 3.4's trace descriptors (markers, event ids, time,
//! tid and the call's fields), each alone (PvmTraceBuffer 0) or buffered.

mod common;

use std::time::Duration;

use common::{text, Vm};

fn run(args: &[&str]) {
    let vm = Vm::start();
    let exe = vm.compile_own("traced");
    vm.install("traced", &exe);
    let out = vm.run(&exe, args, Duration::from_secs(60));
    let stdout = text(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("done 0 failures"),
        "{:?}\n{stdout}{}",
        out.status,
        text(&out.stderr)
    );
}

#[test]
fn a_traced_child_sends_pvm_trace_descriptors_one_per_message() {
    run(&[]);
}

#[test]
fn a_traced_child_buffers_its_events_when_asked() {
    run(&["parent", "buffered"]);
}
