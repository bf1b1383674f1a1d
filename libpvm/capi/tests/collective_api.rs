//! libpvm's collective operations (`Pvm::reduce`, `gather`, `scatter`,
//! `freezegroup_sync`) from Rust: three tasks of one virtual machine, each a thread of
//! this test with its own connection to our pvmd, with Rust closures as reduction
//! functions, roots other than instance 0, and the errors PVM defines.

mod common;

use std::sync::Barrier;
use std::thread;

use pvm::{Pvm, PvmError};

use common::Vm;

const MEMBERS: usize = 3;
const GROUP: &str = "collective-api";

/// Runs `body(task, instance)` on `MEMBERS` tasks that joined one frozen group, and
/// returns what each returned, in instance order.
fn in_group<R: Send>(vm: &Vm, body: impl Fn(&Pvm, usize) -> R + Sync) -> Vec<R> {
    let tasks: Vec<Pvm> = (0..MEMBERS).map(|_| vm.task()).collect();
    let joined = Barrier::new(MEMBERS);
    let mut results: Vec<(usize, R)> = thread::scope(|s| {
        let handles: Vec<_> = tasks
            .iter()
            .map(|t| {
                let (body, joined) = (&body, &joined);
                s.spawn(move || {
                    let inst = t.joingroup(GROUP).expect("join");
                    joined.wait();
                    let size = t.freezegroup_sync(GROUP, MEMBERS as i32).expect("freeze");
                    assert_eq!(size, MEMBERS as i32);
                    let inst = usize::try_from(inst).expect("instance");
                    let r = body(t, inst);
                    t.barrier(GROUP, -1).expect("barrier");
                    t.lvgroup(GROUP).expect("leave");
                    (inst, r)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("member thread"))
            .collect()
    });
    for t in &tasks {
        let _ = t.exit();
    }
    results.sort_by_key(|(inst, _)| *inst);
    results.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn reduce_applies_a_closure_element_wise_and_leaves_the_result_at_the_root() {
    let vm = Vm::start();
    let results = in_group(&vm, |t, inst| {
        let mut data = [inst as f64, -(inst as f64), 10.0 + inst as f64];
        let max = |acc: &mut [f64], other: &[f64]| {
            for (a, b) in acc.iter_mut().zip(other) {
                *a = a.max(*b);
            }
            Ok(())
        };
        t.reduce(max, &mut data, 40, GROUP, 1).expect("reduce");
        data
    });
    assert_eq!(results[1], [2.0, 0.0, 12.0], "root holds the maxima");
    assert_eq!(results[0], [0.0, 0.0, 10.0], "others keep their data");
    assert_eq!(results[2], [2.0, -2.0, 12.0], "others keep their data");
}

#[test]
fn a_failing_reduction_reports_its_error_at_the_root() {
    let vm = Vm::start();
    let results = in_group(&vm, |t, inst| {
        let mut data = [inst as i32];
        let refuse = |_: &mut [i32], _: &[i32]| Err(PvmError::Overflow);
        t.reduce(refuse, &mut data, 41, GROUP, 0)
    });
    assert_eq!(results[0], Err(PvmError::Overflow));
    assert_eq!(results[1], Ok(()));
    assert_eq!(results[2], Ok(()));
}

#[test]
fn gather_lays_members_out_in_instance_order_and_scatter_hands_runs_out() {
    let vm = Vm::start();
    let results = in_group(&vm, |t, inst| {
        let mine = [inst as u64 * 100, inst as u64 * 100 + 1];
        let mut all = vec![0u64; 2 * MEMBERS];
        let into = (inst == 2).then_some(&mut all[..]);
        t.gather(into, &mine, 42, GROUP, 2).expect("gather");

        let source: Vec<i16> = (0..(2 * MEMBERS) as i16).map(|v| v * 3).collect();
        let mut run = [0i16; 2];
        let from = (inst == 1).then_some(&source[..]);
        t.scatter(&mut run, from, 43, GROUP, 1).expect("scatter");
        (all, run)
    });
    assert_eq!(results[2].0, vec![0, 1, 100, 101, 200, 201]);
    assert_eq!(
        results[0].0,
        vec![0; 6],
        "only the root's result is written"
    );
    for (inst, (_, run)) in results.iter().enumerate() {
        let first = (inst * 2 * 3) as i16;
        assert_eq!(*run, [first, first + 3], "instance {inst}");
    }
}

#[test]
fn collective_calls_refuse_bad_roots_strangers_and_missing_buffers() {
    let vm = Vm::start();
    let results = in_group(&vm, |t, inst| {
        let mut data = [1i32; 2];
        let sum = |a: &mut [i32], b: &[i32]| {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            Ok(())
        };
        let bad_root = t.reduce(sum, &mut data, 44, GROUP, MEMBERS as i32);
        let negative_root = t.gather(None, &data, 45, GROUP, -1);
        // Instance 0 as root without a result (or source) buffer is refused before
        // anything is sent or awaited; the others are not involved.
        let no_result = if inst == 0 {
            t.gather(None, &data, 46, GROUP, 0)
        } else {
            Ok(())
        };
        let no_source = if inst == 0 {
            t.scatter(&mut data, None, 47, GROUP, 0)
        } else {
            Ok(())
        };
        (bad_root, negative_root, no_result, no_source)
    });
    for (inst, r) in results.iter().enumerate() {
        assert_eq!(r.0, Err(PvmError::NoInst), "instance {inst}");
        assert_eq!(r.1, Err(PvmError::BadParam), "instance {inst}");
    }
    assert_eq!(results[0].2, Err(PvmError::BadParam));
    assert_eq!(results[0].3, Err(PvmError::BadParam));

    let stranger = vm.task();
    let mut data = [0u8; 1];
    assert_eq!(
        stranger.scatter(&mut data, None, 48, "collective-nobody", 0),
        Err(PvmError::NoGroup)
    );
    let _ = stranger.exit();
}
