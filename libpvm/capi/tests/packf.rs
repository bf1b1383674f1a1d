//! pvm_packf / pvm_unpackf (the C shim in src/packf.c): tests/c/packf.c packs values
//! and arrays of every conversion with counts and strides, written and taken from `*`,
//! reads them back from a message to itself, and checks that malformed formats, NULL
//! arrays and negative counts are refused with `PvmBadParam`.

mod common;

use std::time::Duration;

use common::{text, Vm};

#[test]
fn packf_and_unpackf_round_trip_every_conversion() {
    let vm = Vm::start();
    let exe = vm.compile_own("packf");
    let out = vm.run(&exe, &[], Duration::from_secs(60));
    let stdout = text(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(", 0 failed"),
        "{:?}\n{stdout}{}",
        out.status,
        text(&out.stderr)
    );
}
