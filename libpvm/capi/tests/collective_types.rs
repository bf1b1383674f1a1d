//! pvm_reduce with each predefined function, pvm_gather and pvm_scatter for every PVM
//! data type (byte, short, int, long, their unsigned kinds, float, double, and the
//! complex types' sum and product), over a frozen group of three tasks with roots
//! other than instance 0: tests/c/collect.c, compiled against our pvm3.h.

mod common;

use std::time::Duration;

use common::{text, Vm};

#[test]
fn reduce_gather_scatter_work_for_every_data_type() {
    let vm = Vm::start();
    let exe = vm.compile_own("collect");
    vm.install("collect", &exe);
    let out = vm.run(&exe, &[], Duration::from_secs(90));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("collect: 3 members, 0 failures"),
        "{stdout}{}\npvmd log:\n{}",
        text(&out.stderr),
        vm.log()
    );
}
