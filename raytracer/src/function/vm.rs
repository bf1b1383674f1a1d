//! Runs a [`Program`] on a stack array sized by the program's known depth: no
//! allocation, no shared state, so any thread may evaluate any function.

use glam::DVec3;

use super::code::{Op, Program};
use super::{Body, Fold, Function};

/// Evaluates `prog` with `args` as its parameters.
pub(super) fn run(prog: &Program, args: &[f64]) -> f64 {
    with_stack(prog.depth, |stack| {
        let n = prog.params.min(args.len());
        stack[..n].copy_from_slice(&args[..n]);
        exec(prog, stack)
    })
}

/// Evaluates a program of (x, y, z) — the isosurface's and the pattern's case.
#[inline]
pub(super) fn run_point(prog: &Program, p: DVec3) -> f64 {
    with_stack(prog.depth, |stack| {
        for (slot, v) in stack.iter_mut().zip([p.x, p.y, p.z]).take(prog.params) {
            *slot = v;
        }
        exec(prog, stack)
    })
}

/// Runs `f` on a zeroed stack of at least `depth` slots; small programs (nearly all)
/// get a small array, so clearing it costs nothing.
#[inline]
fn with_stack(depth: usize, f: impl FnOnce(&mut [f64]) -> f64) -> f64 {
    if depth <= 16 {
        f(&mut [0.0; 16])
    } else if depth <= 64 {
        f(&mut [0.0; 64])
    } else if depth <= 256 {
        f(&mut [0.0; 256])
    } else {
        f(&mut [0.0; super::MAX_STACK])
    }
}

/// Runs `prog` on `stack`, whose first slots hold the parameters.
fn exec(prog: &Program, stack: &mut [f64]) -> f64 {
    let mut sp = prog.params;
    let mut pc = 0usize;
    while let Some(op) = prog.ops.get(pc) {
        pc += 1;
        match op {
            Op::Const(v) => {
                stack[sp] = *v;
                sp += 1;
            }
            Op::Load(i) => {
                stack[sp] = stack[usize::from(*i)];
                sp += 1;
            }
            Op::Unary(u) => stack[sp - 1] = u.apply(stack[sp - 1]),
            Op::Binary(b) => {
                sp -= 1;
                stack[sp - 1] = b.apply(stack[sp - 1], stack[sp]);
            }
            Op::Jump(t) => pc = *t as usize,
            Op::Branch { neg, pos } => {
                sp -= 1;
                let c = stack[sp];
                if c < 0.0 {
                    pc = *neg as usize;
                } else if c > 0.0 {
                    pc = *pos as usize;
                }
            }
            Op::LoopTest { var, exit } => {
                let v = usize::from(*var);
                if stack[v] > stack[v + 1] {
                    pc = *exit as usize;
                }
            }
            Op::LoopStep { var, fold } => {
                let v = usize::from(*var);
                sp -= 1;
                let x = stack[sp];
                match fold {
                    Fold::Sum => stack[v + 2] += x,
                    Fold::Prod => stack[v + 2] *= x,
                }
                stack[v] += 1.0;
            }
            Op::LoopEnd { var } => {
                let v = usize::from(*var);
                stack[v] = stack[v + 2];
                sp = v + 1;
            }
            Op::Call { f, argc } => {
                let base = sp - usize::from(*argc);
                stack[base] = call(f, &mut stack[base..], usize::from(*argc));
                sp = base + 1;
            }
            Op::CallMember { f, argc, member } => {
                let base = sp - usize::from(*argc);
                let argc = usize::from(*argc);
                stack[base] = f.eval_member(&stack[base..base + argc], *member);
                sp = base + 1;
            }
        }
    }
    stack[sp.max(1) - 1]
}

/// A call whose arguments start the slice: a compiled callee runs right on it.
fn call(f: &Function, stack: &mut [f64], argc: usize) -> f64 {
    match &f.body {
        Body::Code(prog) => exec(prog, stack),
        _ => f.eval(&stack[..argc]),
    }
}
