//! Acceptance: PVM 3.4.6's example programs, unmodified, on our libpvm3 and pvmd.
//!
//! Debian's pvm-examples package holds the compiled programs (dynamically linked
//! against libpvm3.so.3) and their C sources. Each test starts our real pvmd in a
//! private PVM_TMP, puts our libpvm3.so as libpvm3.so.3 first on the library path,
//! runs the program and checks the output its Readme describes. The sources are
//! compiled at test time against our pvm3.h. Nothing of the package is kept.
//!
//! The harness is in `common` (it needs `pvmd` and `libpvm3.so` built in the same
//! target folder and the pvm-examples package, which the test script installs).

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{hostname, text, Vm, DEBIAN_BIN};

const LIMIT: Duration = Duration::from_secs(60);

/// The hello pair's output as the Readme gives it: "i'm tX" then "from tY: hello,
/// world from HOST".
fn check_hello(out: &Output) {
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("i'm t4000"), "{stdout}");
    let expected_end = format!(": hello, world from {}", hostname());
    assert!(
        lines[1].starts_with("from t4000") && lines[1].ends_with(&expected_end),
        "{stdout}"
    );
}

#[test]
fn debian_hello_runs_unmodified() {
    let vm = Vm::start();
    vm.install_debian(&["hello_other"]);
    check_hello(&vm.run(&Path::new(DEBIAN_BIN).join("hello.pvm"), &[], LIMIT));
}

#[test]
fn debian_master1_and_slave1() {
    let vm = Vm::start();
    vm.install_debian(&["slave1"]);
    let out = vm.run(&Path::new(DEBIAN_BIN).join("master1"), &[], LIMIT);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Spawning 3 worker tasks ... SUCCESSFUL"),
        "{stdout}"
    );
    for v in ["100.000000", "200.000000", "300.000000"] {
        assert!(stdout.contains(&format!("I got {v} from")), "{stdout}");
        assert!(stdout.contains(&format!("(expecting {v})")), "{stdout}");
    }
}

#[test]
fn debian_spmd_passes_the_token() {
    let vm = Vm::start();
    vm.install_debian(&["spmd"]);
    let out = vm.run(&Path::new(DEBIAN_BIN).join("spmd"), &[], LIMIT);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("token ring done"),
        "{stdout}{}",
        text(&out.stderr)
    );
}

#[test]
fn debian_timing_measures_round_trips_and_bandwidth() {
    let vm = Vm::start();
    vm.install_debian(&["timing_slave"]);
    let out = vm.run(
        &Path::new(DEBIAN_BIN).join("timing"),
        &[],
        Duration::from_secs(120),
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Avg uSec") && stdout.contains("Avg Byte/uSec"),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("done"), "{stdout}");
}

#[test]
fn example_sources_compile_against_our_header_and_run() {
    let vm = Vm::start();
    let hello = vm.compile(&["hello.c"], "hello");
    let other = vm.compile(&["hello_other.c"], "hello_other");
    vm.install("hello_other", &other);
    check_hello(&vm.run(&hello, &[], LIMIT));

    let master = vm.compile(&["master1.c"], "master1");
    let slave = vm.compile(&["slave1.c"], "slave1");
    vm.install("slave1", &slave);
    let out = vm.run(&master, &[], LIMIT);
    assert!(
        text(&out.stdout).contains("SUCCESSFUL"),
        "{}",
        text(&out.stdout)
    );
}
