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

fn check_gexamp(vm: &Vm, program: &Path) {
    let out = vm.run(program, &["4"], LIMIT);
    let all = all_output(&out);
    assert!(all.contains(" 0: sync"), "{all}");
    assert!(!all.contains("doesn't match up"), "{all}");
    // The three spawned members print to pvmd's log.
    let log = vm.log();
    for inst in 1..4 {
        assert!(log.contains(&format!(" {inst}: sync")), "{log}");
    }
}

fn check_joinleave(vm: &Vm, program: &Path) {
    let out = vm.run(program, &["500"], LIMIT);
    let all = all_output(&out);
    assert!(all.contains("Joined 500 times"), "{all}");
    assert!(out.status.success(), "{all}");
}

/// thb joins 32 groups, spawns three tnb (spawnable by that name) and meets them at a
/// barrier.
fn check_thb(vm: &Vm, program: &Path) {
    let out = vm.run(program, &["3"], LIMIT);
    let all = all_output(&out);
    assert!(all.contains("joined group31"), "{all}");
    assert!(all.contains("barrier on group0"), "{all}");
    assert!(text(&out.stdout).trim_end().ends_with("done."), "{all}");
    for bad in ["I'm not myself", "trouble on spawn"] {
        assert!(!all.contains(bad), "{all}");
    }
}

/// tjf and tjl: 32 groups joined, instances and tids checked both ways, all left.
fn check_32_groups(vm: &Vm, program: &Path) {
    let out = vm.run(program, &[], LIMIT);
    let all = all_output(&out);
    assert!(all.contains("joined group31"), "{all}");
    assert!(!all.contains("I'm not myself"), "{all}");
    assert!(!all.contains("pvm_lvgroup"), "{all}");
    assert!(out.status.success(), "{all}");
}

fn check_tst(vm: &Vm, program: &Path) {
    let out = vm.run(program, &[], LIMIT);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("joined prognosis 0, negative 0"),
        "{stdout}"
    );
    assert!(stdout.contains("left prognosis 0, negative 0"), "{stdout}");
}

/// gs spawns its own path (argv[0]) and polls the group size until all joined.
fn check_gs(vm: &Vm, program: &Path) {
    let out = vm.run(program, &["3"], LIMIT);
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(!all_output(&out).contains("libpvm"), "{}", all_output(&out));
}

/// ge spawns its own path (argv[0]) and syncs the members at a barrier.
fn check_ge(vm: &Vm, program: &Path) {
    let out = vm.run(program, &["3"], LIMIT);
    let all = all_output(&out);
    assert!(all.contains("group ge size 3 gid 0: sync"), "{all}");
    assert!(all.lines().any(|l| l == "done"), "{all}");
}

#[test]
fn debian_group_programs_behave_as_their_readme_says() {
    let vm = Vm::start();
    vm.install_debian(&["gexamp", "tnb"]);
    check_gexamp(&vm, &debian("gexamp"));
    check_joinleave(&vm, &debian("joinleave"));
    check_thb(&vm, &debian("thb"));
    check_32_groups(&vm, &debian("tjf"));
    check_32_groups(&vm, &debian("tjl"));
    check_tst(&vm, &debian("tst"));
    check_gs(&vm, &debian("gs.pvm"));
    check_ge(&vm, &debian("ge"));
}

#[test]
fn group_programs_from_source_behave_as_debians() {
    let vm = Vm::start();
    let build = |name: &str| vm.compile_group(&[&format!("{name}.c")], name);
    let gexamp = build("gexamp");
    vm.install("gexamp", &gexamp);
    vm.install("tnb", &build("tnb"));
    check_gexamp(&vm, &gexamp);
    check_joinleave(&vm, &build("joinleave"));
    check_thb(&vm, &build("thb"));
    check_32_groups(&vm, &build("tjf"));
    check_32_groups(&vm, &build("tjl"));
    check_tst(&vm, &build("tst"));
    check_gs(&vm, &build("gs"));
    check_ge(&vm, &build("ge"));
}
