//! Fortran string arguments a compiler would never pass but a buggy caller can: no
//! terminator and no padding, lengths far beyond the argument, empty and NULL names.
//! Each gets PVM's error code (or the right answer), nothing crashes, and the task
//! goes on working (`tests/programs/hostile.c` calls the routines directly).

mod common;

use std::collections::HashMap;

use common::{both, text, Vm};

const BAD_PARAM: &str = "-2";
const NULL_GROUP: &str = "-17";

#[test]
fn hostile_string_arguments_get_pvm_error_codes() {
    let vm = Vm::start();
    let program = vm.own_program("hostile.c", "hostile");
    let out = vm.run(&program, &[], "");
    assert!(out.status.success(), "{}", both(&out));
    let stdout = text(&out.stdout);
    let said: HashMap<&str, &str> = stdout
        .split_whitespace()
        .filter_map(|w| w.split_once('='))
        .collect();
    let expect = [
        ("mytid", "1"),
        // Exactly as long as its length says, followed by other bytes: "grp".
        ("join_exact", "0"),
        // The same group named by the first three characters of a longer text.
        ("gsize_prefix", "1"),
        ("join_huge", BAD_PARAM),
        ("join_2^40", BAD_PARAM),
        ("join_blank", NULL_GROUP),
        ("join_empty", NULL_GROUP),
        ("join_null", BAD_PARAM),
        ("spawn_huge", BAD_PARAM),
        ("mstat_huge", BAD_PARAM),
        ("putinfo_huge", BAD_PARAM),
        ("config_huge", BAD_PARAM),
        // After all that the library still answers, and pads what it writes.
        ("config", "0"),
        ("nhost", "1"),
        ("padded", "1"),
        ("leave", "0"),
        ("exit", "0"),
    ];
    for (key, value) in expect {
        assert_eq!(said.get(key).copied(), Some(value), "{key}: {}", both(&out));
    }
}

#[test]
fn header_stays_within_fixed_form_columns() {
    // Fixed-form Fortran ignores everything past column 72: a longer line would
    // silently lose part of a constant.
    let header = std::fs::read_to_string(common::header()).unwrap();
    for (i, line) in header.lines().enumerate() {
        assert!(
            line.len() <= 72,
            "fpvm3.h:{}: longer than 72 columns",
            i + 1
        );
        let code = !line.starts_with('!') && !line.trim().is_empty();
        if code {
            assert!(
                line.starts_with("      "),
                "fpvm3.h:{}: not in column 7",
                i + 1
            );
        }
    }
}
