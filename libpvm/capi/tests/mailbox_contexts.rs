//! Acceptance: PVM 3.4.6's mailbox programs (mbox, lmbi, gmbi) and context programs
//! (inherita with inherit1/inherit3, inheritb with inherit2) on our libpvm3 and pvmd.
//!
//! mbox's exit status is the number of entries its command found or changed. The list
//! of expected statuses in mbox.c's header predates the program's options (it uses
//! `lock` and `excl`, which 3.4.6's mbox no longer has), so the sequence below is one
//! checked by running the same program on PVM 3.4.6 itself.

mod common;

use std::time::{Duration, Instant};

use common::{debian, text, Vm};

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn mbox_from_source_keeps_pvm_3_4_6_mailbox_rules() {
    let vm = Vm::start();
    let mbox = vm.compile(&["mbox.c"], "mbox");
    // (arguments, exit status): the status counts entries found, inserted or deleted;
    // 255 (-1) is a refused insert.
    let steps: &[(&[&str], i32)] = &[
        // A plain entry lives as long as its owner.
        (&[], 1),
        (&["query"], 0),
        // A persistent one outlives it...
        (&["pers"], 1),
        (&["query", "0"], 1),
        (&["query", "1"], 0),
        (&["query"], 1),
        // ...cannot be deleted by another task...
        (&["delete", "0"], 0),
        (&["query"], 1),
        // ...and is not replaced by a second insert under the same name.
        (&["pers"], 255),
        (&["query"], 1),
    ];
    for (args, status) in steps {
        let out = vm.run(&mbox, args, LIMIT);
        assert_eq!(
            out.status.code(),
            Some(*status),
            "mbox {args:?}:\n{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
}

/// A plain entry is visible to others while its owner lives and goes with it.
#[test]
fn mbox_entry_lives_as_long_as_its_owner() {
    let vm = Vm::start();
    let mbox = vm.compile(&["mbox.c"], "mbox");
    let owner = vm.spawn_background(&mbox, &["sleep=3"]);
    let deadline = Instant::now() + LIMIT;
    loop {
        let status = vm.run(&mbox, &["query", "0"], LIMIT).status.code();
        if status == Some(1) {
            break;
        }
        assert!(Instant::now() < deadline, "the owner's entry never showed");
        std::thread::sleep(Duration::from_millis(100));
    }
    let done = owner.wait(LIMIT);
    assert_eq!(done.status.code(), Some(1), "{}", text(&done.stdout));
    assert_eq!(vm.run(&mbox, &["query"], LIMIT).status.code(), Some(0));
}

#[test]
fn debian_gmbi_lists_what_mbox_left() {
    let vm = Vm::start();
    let empty = vm.run(&debian("gmbi"), &[], LIMIT);
    assert!(
        text(&empty.stdout).contains("0 mbox entries returned"),
        "{}",
        text(&empty.stdout)
    );
    let mbox = vm.compile(&["mbox.c"], "mbox");
    assert_eq!(vm.run(&mbox, &["pers"], LIMIT).status.code(), Some(1));
    let out = vm.run(&debian("gmbi"), &[], LIMIT);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("1 mbox entries returned"), "{stdout}");
    assert!(stdout.contains("class name: <mbox_test>"), "{stdout}");
    assert!(stdout.contains("<PvmMboxPersistent >"), "{stdout}");
}

/// lmbi inserts mailbox entries built with pvm_packf; gmbi then lists them.
#[test]
fn debian_lmbi_entries_show_in_gmbi() {
    let vm = Vm::start();
    let out = vm.run(&debian("lmbi"), &["3", "p", "e"], LIMIT);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    for i in 0..3 {
        assert!(stdout.contains(&format!("lmbi{i}> at index 0")), "{stdout}");
    }
    let listed = text(&vm.run(&debian("gmbi"), &[], LIMIT).stdout);
    assert!(listed.contains("3 mbox entries returned"), "{listed}");
    assert!(listed.contains("lmbi2>"), "{listed}");
}

/// inheritb spawns two inherit2 under two new contexts, then receives "any message
/// from anyone" in each context in turn, so each receive selects one child by context.
#[test]
fn debian_inheritb_selects_messages_by_context() {
    let vm = Vm::start();
    vm.install_debian(&["inherit2"]);
    let out = vm.run(&debian("inheritb"), &[], LIMIT);
    let stdout = text(&out.stdout);
    for child in ["2nd", "1st"] {
        assert!(
            stdout.contains(&format!("<-- received from {child} inherit2.")),
            "{stdout}"
        );
    }
}

/// inherita makes a new context and spawns inherit1 (test 1: the context passes to
/// inherit1 and on to inherit2) or inherit3 (test 2: inherit3's own new context passes
/// to inherit2); each child reports back in the context it inherited.
#[test]
fn debian_inherit_contexts_follow_spawns() {
    let vm = Vm::start();
    vm.install_debian(&["inherit1", "inherit2", "inherit3"]);
    for child in ["inherit1", "inherit3"] {
        let out = vm.run(&debian("inherita"), &[child], LIMIT);
        let stdout = text(&out.stdout);
        assert!(stdout.contains("END - sent from"), "{child}: {stdout}");
        assert!(!stdout.contains("can't start"), "{child}: {stdout}");
        assert!(
            stdout.contains("with original context 0."),
            "{child}: {stdout}"
        );
    }
}
