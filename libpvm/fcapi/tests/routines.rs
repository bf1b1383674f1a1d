//! The routines PVM's Fortran examples do not reach, from a Fortran program of ours
//! (`tests/programs/routines.f90`): the one-entry-per-call cycles of pvmfconfig,
//! pvmftasks and pvmfgetmboxinfo, every data type packed and unpacked (STRING as its
//! characters, strides), psend/precv, timed and non-blocking receives, message info,
//! options, contexts, the mailbox, and errors coming back as PVM's codes.

mod common;

use std::collections::HashMap;

use common::{both, text, Vm};

#[test]
fn every_routine_answers_as_pvm_documents() {
    let vm = Vm::start();
    let program = vm.own_program("routines.f90", "routines");
    let out = vm.run(&program, &[], "");
    assert!(out.status.success(), "{}", both(&out));
    let stdout = text(&out.stdout);
    let said: HashMap<&str, &str> = stdout
        .split_whitespace()
        .filter_map(|w| w.split_once('='))
        .collect();
    let expect = [
        ("joined", "T"),
        ("config", "0"),
        ("nhost", "1"),
        ("narch", "1"),
        ("arch", "LINUX64"),
        ("speed", "1000"),
        ("dtid_is_host", "T"),
        ("tasks_has_me", "T"),
        ("tasks", "1"),
        ("siblings", "1"),
        ("first_is_me", "T"),
        ("probe", "T"),
        ("bufinfo", "5"),
        ("from_me", "T"),
        ("ints", "T"),
        ("doubles", "T"),
        ("shorts", "T"),
        ("complex", "T"),
        ("strided", "1"),
        ("past_end", "-5"),
        ("bad_type", "-2"),
        ("minfo", "0"),
        ("dst_is_me", "T"),
        ("precv", "0"),
        ("len", "3"),
        ("same", "T"),
        ("trecv", "0"),
        ("nrecv", "0"),
        ("route", "3"),
        ("autoerr_was", "1"),
        ("context_set", "T"),
        ("old_was_base", "T"),
        ("freecontext", "0"),
        ("putinfo", "0"),
        ("recvinfo_me", "T"),
        ("mboxinfo", "0"),
        ("name", "fortran_box"),
        ("classes", "1"),
        ("entries", "1"),
        ("owner_me", "T"),
        ("mboxinfo_end", "-32"),
        ("delinfo", "0"),
        ("recvinfo_gone", "-32"),
        ("mstat", "-6"),
        ("pstat", "0"),
        ("archcode", "T"),
        ("spawn", "0"),
        ("code", "-7"),
        ("freebuf", "-16"),
        // No pvm_hostsync in libpvm3 yet: PvmNotImpl, and a warning that says so.
        ("hostsync", "-24"),
        ("exit", "0"),
    ];
    for (key, value) in expect {
        assert_eq!(said.get(key).copied(), Some(value), "{key}: {}", both(&out));
    }
    // The stride took every other integer; a STRING is its characters, blank-padded
    // nowhere (the receiver's extra characters are untouched).
    assert!(stdout.contains("strided=1 300000"), "{stdout}");
    assert!(stdout.contains("string=[hello world??]"), "{stdout}");
    assert!(
        text(&out.stderr).contains("pvmfhostsync is not implemented"),
        "{}",
        both(&out)
    );
}
