//! Acceptance: PVM 3.4.6's group programs (libgpvm3), unmodified and compiled from
//! their sources, on our libpvm3 and pvmd.
//!
//! gexample's expected output is the one examples/Readme gives (the 1-norm 5050 and
//! 100! of a 100x100 Toeplitz matrix over 3 tasks); trsg checks its own reduce,
//! scatter and gather results; the programs of gexamples/ print diagnostics ("doesn't
//! match up", "I'm not myself", "trouble on spawn") when the group server answers
//! wrongly, so their absence and the closing lines are what is checked.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{debian, text, Vm};

const LIMIT: Duration = Duration::from_secs(90);

fn all_output(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

/// gexample's answers: Readme's "The 1-Norm is 5050" and "The product of column 1 is
/// 9.33262e+157" (100 factorial), computed by pvm_reduce with PvmSum and a user
/// function over a frozen group of 3.
fn check_gexample(vm: &Vm, program: &Path) {
    let out = vm.run_with_input(program, &[], "100\n3\n", LIMIT);
    let all = all_output(&out);
    assert!(all.contains("--> Using 3 processors <--"), "{all}");
    assert!(all.contains("The 1-Norm is 5050"), "{all}");
    assert!(
        all.contains("The product of column 1 is 9.33262e+157"),
        "{all}"
    );
    assert!(!all.contains("pvm_reduce had an error"), "{all}");
}

#[test]
fn debian_gexample_reduces_over_the_group() {
    let vm = Vm::start();
    vm.install_debian(&["gexample"]);
    check_gexample(&vm, &debian("gexample"));
}

#[test]
fn gexample_from_source_reduces_over_the_group() {
    let vm = Vm::start();
    let exe = vm.compile(&["gexample.c"], "gexample");
    vm.install("gexample", &exe);
    check_gexample(&vm, &exe);
}

/// trsg: scatter of a matrix, gather of partial results, reduce with PvmSum,
/// PvmProduct, PvmMax, PvmMin and a user function (maximum with its location).
fn check_trsg(vm: &Vm, program: &Path) {
    let out = vm.run_with_input(program, &[], "4\n5\n", LIMIT);
    let all = all_output(&out);
    assert!(
        all.contains("Test OK: Sum of Squares of first 20 integers is 2870"),
        "{all}"
    );
    assert!(
        all.contains("Test Ok: Received (5.000000, 2.000000)"),
        "{all}"
    );
    assert!(!all.contains("ERROR"), "{all}");
}

#[test]
fn debian_trsg_reduces_scatters_and_gathers() {
    let vm = Vm::start();
    vm.install_debian(&["trsg"]);
    check_trsg(&vm, &debian("trsg"));
}

#[test]
fn trsg_from_source_reduces_scatters_and_gathers() {
    let vm = Vm::start();
    let exe = vm.compile_group(&["trsg.c"], "trsg");
    vm.install("trsg", &exe);
    check_trsg(&vm, &exe);
}

#[test]
fn debian_gexamp_members_agree_on_instances() {
    let vm = Vm::start();
    vm.install_debian(&["gexamp"]);
    let out = vm.run(&debian("gexamp"), &["4"], LIMIT);
    let all = all_output(&out);
    assert!(all.contains(" 0: sync"), "{all}");
    assert!(!all.contains("doesn't match up"), "{all}");
    // The three spawned members print to pvmd's log.
    let log = vm.log();
    for inst in 1..4 {
        assert!(log.contains(&format!(" {inst}: sync")), "{log}");
    }
}

#[test]
fn debian_joinleave_joins_and_leaves_repeatedly() {
    let vm = Vm::start();
    let out = vm.run(&debian("joinleave"), &["500"], LIMIT);
    let all = all_output(&out);
    assert!(all.contains("Joined 500 times"), "{all}");
    assert!(out.status.success(), "{all}");
}

#[test]
fn debian_thb_and_tnb_meet_at_barriers() {
    let vm = Vm::start();
    vm.install_debian(&["tnb"]);
    let out = vm.run(&debian("thb"), &["3"], LIMIT);
    let all = all_output(&out);
    assert!(all.contains("joined group31"), "{all}");
    assert!(all.contains("barrier on group0"), "{all}");
    assert!(text(&out.stdout).trim_end().ends_with("done."), "{all}");
    for bad in ["I'm not myself", "trouble on spawn"] {
        assert!(!all.contains(bad), "{all}");
    }
}

#[test]
fn debian_tjf_and_tjl_keep_32_groups_consistent() {
    let vm = Vm::start();
    for prog in ["tjf", "tjl"] {
        let out = vm.run(&debian(prog), &[], LIMIT);
        let all = all_output(&out);
        assert!(all.contains("joined group31"), "{prog}: {all}");
        assert!(!all.contains("I'm not myself"), "{prog}: {all}");
        assert!(!all.contains("pvm_lvgroup"), "{prog}: {all}");
        assert!(out.status.success(), "{prog}: {all}");
    }
}

#[test]
fn debian_tst_is_instance_zero_of_two_groups() {
    let vm = Vm::start();
    let out = vm.run(&debian("tst"), &[], LIMIT);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("joined prognosis 0, negative 0"),
        "{stdout}"
    );
    assert!(stdout.contains("left prognosis 0, negative 0"), "{stdout}");
}

#[test]
fn debian_gs_waits_for_its_children_to_join() {
    let vm = Vm::start();
    // gs spawns argv[0]: give it the name it is spawnable under.
    vm.install_debian(&["gs.pvm"]);
    let out = vm.run(&debian("gs.pvm"), &["3"], LIMIT);
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(!all_output(&out).contains("libpvm"), "{}", all_output(&out));
}

#[test]
fn debian_ge_members_sync_at_a_barrier() {
    let vm = Vm::start();
    vm.install_debian(&["ge"]);
    let out = vm.run(&debian("ge"), &["3"], LIMIT);
    let all = all_output(&out);
    assert!(all.contains("group ge size 3 gid 0: sync"), "{all}");
    assert!(all.lines().any(|l| l == "done"), "{all}");
}
