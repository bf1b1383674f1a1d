//! The bytecode: an [`Expr`] compiled for a stack machine whose depth at every
//! instruction is known when compiling, so the evaluator can run on a fixed array.
//!
//! Parameters are the bottom `params` slots of the stack; everything else is pushed
//! above them. Constant subexpressions are folded as POV-Ray folds them (it folds
//! the same operations, so the constant's value is the one POV-Ray computes).

use thiserror::Error;

use super::{Binary, Expr, Fold, FunctionRef, Member, Unary, MAX_STACK};

/// Why a function cannot be compiled.
#[derive(Debug, Error, PartialEq)]
pub enum CompileError {
    #[error("function too complex: it needs more than {MAX_STACK} stack slots")]
    TooComplex,
}

/// One instruction.
#[derive(Clone, Debug)]
pub(super) enum Op {
    Const(f64),
    /// Push stack slot `n`.
    Load(u16),
    Unary(Unary),
    /// Pop b, pop a, push a op b.
    Binary(Binary),
    Jump(u32),
    /// Pop c; jump to `neg` if c < 0, to `pos` if c > 0, else go on.
    Branch {
        neg: u32,
        pos: u32,
    },
    /// The loop test of a `sum`/`prod` whose variable is in slot `var` and limit in
    /// `var + 1`: jump to `exit` once the variable passes the limit.
    LoopTest {
        var: u16,
        exit: u32,
    },
    /// Pop the body's value into the accumulator in slot `var + 2`, step the variable.
    LoopStep {
        var: u16,
        fold: Fold,
    },
    /// Replace the loop's three slots at `var` by its accumulator.
    LoopEnd {
        var: u16,
    },
    /// Call a function with its `argc` arguments on top of the stack.
    Call {
        f: FunctionRef,
        argc: u16,
    },
    /// Likewise for a member of a vector function's result.
    CallMember {
        f: FunctionRef,
        argc: u16,
        member: Member,
    },
}

/// A compiled expression.
#[derive(Clone, Debug)]
pub struct Program {
    pub(super) ops: Vec<Op>,
    /// Greatest stack depth, parameters included.
    pub(super) depth: usize,
    pub(super) params: usize,
    /// The first callee that cannot be evaluated, if any.
    unsupported: Option<String>,
}

impl Program {
    /// Compiles `expr` over `params` parameters.
    pub fn compile(expr: &Expr, params: usize) -> Result<Program, CompileError> {
        let mut c = Compiler {
            ops: Vec::new(),
            sp: params,
            depth: params,
            loops: Vec::new(),
            unsupported: None,
        };
        c.expr(&fold(expr))?;
        Ok(Program {
            ops: c.ops,
            depth: c.depth.max(1),
            params,
            unsupported: c.unsupported,
        })
    }

    /// Why part of the program evaluates to 0, if it calls a body this renderer lacks.
    pub fn unsupported(&self) -> Option<&str> {
        self.unsupported.as_deref()
    }
}

struct Compiler {
    ops: Vec<Op>,
    /// Stack depth after the code emitted so far.
    sp: usize,
    depth: usize,
    /// Slot of each enclosing loop's variable.
    loops: Vec<usize>,
    unsupported: Option<String>,
}

impl Compiler {
    fn push(&mut self, n: usize) -> Result<(), CompileError> {
        self.sp += n;
        self.depth = self.depth.max(self.sp);
        if self.depth > MAX_STACK {
            return Err(CompileError::TooComplex);
        }
        Ok(())
    }

    fn here(&self) -> u32 {
        self.ops.len() as u32
    }

    fn patch(&mut self, at: u32, target: u32) {
        match &mut self.ops[at as usize] {
            Op::Jump(t) | Op::LoopTest { exit: t, .. } => *t = target,
            other => debug_assert!(false, "patching {other:?}"),
        }
    }

    fn expr(&mut self, e: &Expr) -> Result<(), CompileError> {
        match e {
            Expr::Const(v) => {
                self.ops.push(Op::Const(*v));
                self.push(1)
            }
            Expr::Param(i) => {
                self.ops.push(Op::Load(*i as u16));
                self.push(1)
            }
            Expr::Local(i) => {
                let slot = self.loops.get(*i).copied().unwrap_or(0);
                self.ops.push(Op::Load(slot as u16));
                self.push(1)
            }
            Expr::Unary(op, a) => {
                self.expr(a)?;
                self.ops.push(Op::Unary(*op));
                Ok(())
            }
            Expr::Binary(op, a, b) => {
                self.expr(a)?;
                self.expr(b)?;
                self.ops.push(Op::Binary(*op));
                self.sp -= 1;
                Ok(())
            }
            Expr::Select(args) => self.select(args),
            Expr::Fold { op, from, to, body } => self.fold_loop(*op, from, to, body),
            Expr::Call(f, args) => {
                self.note_unsupported(f);
                self.args(args, f.stack_need())?;
                let argc = args.len() as u16;
                self.ops.push(Op::Call { f: f.clone(), argc });
                self.sp = self.sp + 1 - args.len();
                Ok(())
            }
            Expr::CallMember(f, args, member) => {
                self.note_unsupported(f);
                self.args(args, f.stack_need())?;
                let argc = args.len() as u16;
                self.ops.push(Op::CallMember {
                    f: f.clone(),
                    argc,
                    member: *member,
                });
                self.sp = self.sp + 1 - args.len();
                Ok(())
            }
        }
    }

    fn note_unsupported(&mut self, f: &FunctionRef) {
        if self.unsupported.is_none() {
            self.unsupported = f.missing().map(str::to_string);
        }
    }

    /// The arguments, then room for the callee's own stack above them.
    fn args(&mut self, args: &[Expr], callee_need: usize) -> Result<(), CompileError> {
        for a in args {
            self.expr(a)?;
        }
        let base = self.sp - args.len();
        let need = base + callee_need.max(args.len()) + 1;
        if need > self.depth {
            self.depth = need;
        }
        if self.depth > MAX_STACK {
            return Err(CompileError::TooComplex);
        }
        Ok(())
    }

    /// POV-Ray's select: `c < 0` takes the second argument; with four arguments
    /// `c > 0` takes the fourth and `c == 0` the third; otherwise the third.
    fn select(&mut self, args: &[Expr]) -> Result<(), CompileError> {
        let (c, neg, rest) = match args {
            [c, neg, rest @ ..] if !rest.is_empty() => (c, neg, rest),
            _ => {
                self.ops.push(Op::Const(0.0));
                return self.push(1);
            }
        };
        self.expr(c)?;
        let branch = self.here() as usize;
        self.ops.push(Op::Branch { neg: 0, pos: 0 });
        self.sp -= 1;
        let base = self.sp;
        let next = self.here();
        self.expr(&rest[0])?;
        let mut ends = vec![self.here()];
        self.ops.push(Op::Jump(0));
        self.sp = base;
        let neg_at = self.here();
        self.expr(neg)?;
        let mut pos_at = next;
        if let Some(pos) = rest.get(1) {
            ends.push(self.here());
            self.ops.push(Op::Jump(0));
            self.sp = base;
            pos_at = self.here();
            self.expr(pos)?;
        }
        self.ops[branch] = Op::Branch {
            neg: neg_at,
            pos: pos_at,
        };
        let end = self.here();
        for at in ends {
            self.patch(at, end);
        }
        Ok(())
    }

    /// `sum`/`prod`: variable, limit and accumulator occupy three slots.
    fn fold_loop(
        &mut self,
        op: Fold,
        from: &Expr,
        to: &Expr,
        body: &Expr,
    ) -> Result<(), CompileError> {
        let var = self.sp;
        self.expr(from)?;
        self.expr(to)?;
        let neutral = match op {
            Fold::Sum => 0.0,
            Fold::Prod => 1.0,
        };
        self.ops.push(Op::Const(neutral));
        self.push(1)?;
        let test = self.here();
        self.ops.push(Op::LoopTest {
            var: var as u16,
            exit: 0,
        });
        self.loops.push(var);
        self.expr(body)?;
        self.loops.pop();
        self.ops.push(Op::LoopStep {
            var: var as u16,
            fold: op,
        });
        self.sp -= 1;
        self.ops.push(Op::Jump(test));
        let exit = self.here();
        self.patch(test, exit);
        self.ops.push(Op::LoopEnd { var: var as u16 });
        self.sp = var + 1;
        Ok(())
    }
}

/// Folds constant subexpressions of the operations POV-Ray folds.
fn fold(e: &Expr) -> Expr {
    match e {
        Expr::Unary(op, a) => match fold(a) {
            Expr::Const(v) => Expr::Const(op.apply(v)),
            a => Expr::Unary(*op, Box::new(a)),
        },
        Expr::Binary(op, a, b) => match (fold(a), fold(b)) {
            (Expr::Const(x), Expr::Const(y)) if foldable(*op) => Expr::Const(op.apply(x, y)),
            (a, b) => Expr::Binary(*op, Box::new(a), Box::new(b)),
        },
        Expr::Select(args) => Expr::Select(args.iter().map(fold).collect()),
        Expr::Fold { op, from, to, body } => Expr::Fold {
            op: *op,
            from: Box::new(fold(from)),
            to: Box::new(fold(to)),
            body: Box::new(fold(body)),
        },
        Expr::Call(f, args) => Expr::Call(f.clone(), args.iter().map(fold).collect()),
        Expr::CallMember(f, args, m) => {
            Expr::CallMember(f.clone(), args.iter().map(fold).collect(), *m)
        }
        Expr::Const(_) | Expr::Param(_) | Expr::Local(_) => e.clone(),
    }
}

/// Operators and calls whose constant operands POV-Ray evaluates while parsing
/// (min, max, atan2, mod and friends are left to run time, which gives the same).
fn foldable(op: Binary) -> bool {
    !matches!(
        op,
        Binary::Min | Binary::Max | Binary::Atan2 | Binary::Mod | Binary::IntDiv
    )
}
