//! User-defined functions: POV-Ray's `function { ... }`, compiled once and evaluated
//! wherever a scene needs a number of a point — parse-time calls (`F(1, 2, 3)` in a
//! `#declare`), the `function` pattern, and the isosurface.
//!
//! The scene-language parser builds an [`Expr`] (names already resolved: parameters
//! to slots, declared floats to constants, other functions to shared references) and
//! [`Function::compile`] turns it into a small stack bytecode ([`code`]) whose
//! greatest stack depth is known, so evaluation ([`vm`]) allocates nothing and is
//! thread-safe: a compiled function is immutable data shared through `Arc`.
//!
//! Besides compiled expressions a function may be one of POV-Ray's built-in
//! `internal(n)` functions ([`internal`]), a pattern (`function { pattern { .. } }`),
//! a pigment (returning a colour), or a transform (returning a point).
//!
//! Like POV-Ray 3.7's virtual machine, evaluation never fails: a division by zero or
//! a function used outside its domain gives IEEE infinities or NaN, which later
//! stages clamp or treat as "no hit".

mod code;
pub mod internal;
pub mod spline;
mod vm;

use std::fmt;
use std::sync::Arc;

use glam::{DAffine3, DVec3};

use crate::scene::material::{Pigment, PlacedPattern};

pub use code::CompileError;

/// Largest stack a function may need (POV-Ray calls deeper functions "too complex").
pub const MAX_STACK: usize = 1024;

/// Most parameters a function may declare (POV-Ray's limit).
pub const MAX_PARAMS: usize = 56;

/// One-argument operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unary {
    Neg,
    Abs,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Floor,
    Ceil,
    Sqrt,
    Exp,
    /// Natural logarithm (`ln`).
    Ln,
    /// Base-10 logarithm (`log`).
    Log,
    /// C's `(int)x`: truncation toward zero.
    Int,
    Radians,
    Degrees,
    /// `sqr(x)`: x * x.
    Sqr,
}

impl Unary {
    /// The operation named `w` in a function body, if it is one.
    pub fn from_name(w: &str) -> Option<Unary> {
        Some(match w {
            "abs" => Unary::Abs,
            "sin" => Unary::Sin,
            "cos" => Unary::Cos,
            "tan" => Unary::Tan,
            "asin" => Unary::Asin,
            "acos" => Unary::Acos,
            "atan" => Unary::Atan,
            "sinh" => Unary::Sinh,
            "cosh" => Unary::Cosh,
            "tanh" => Unary::Tanh,
            "asinh" => Unary::Asinh,
            "acosh" => Unary::Acosh,
            "atanh" => Unary::Atanh,
            "floor" => Unary::Floor,
            "ceil" => Unary::Ceil,
            "sqrt" => Unary::Sqrt,
            "exp" => Unary::Exp,
            "ln" => Unary::Ln,
            "log" => Unary::Log,
            "int" => Unary::Int,
            "radians" => Unary::Radians,
            "degrees" => Unary::Degrees,
            "sqr" => Unary::Sqr,
            _ => return None,
        })
    }

    /// Applies the operation.
    #[inline]
    pub fn apply(self, a: f64) -> f64 {
        match self {
            Unary::Neg => -a,
            Unary::Abs => a.abs(),
            Unary::Sin => a.sin(),
            Unary::Cos => a.cos(),
            Unary::Tan => a.tan(),
            Unary::Asin => a.asin(),
            Unary::Acos => a.acos(),
            Unary::Atan => a.atan(),
            Unary::Sinh => a.sinh(),
            Unary::Cosh => a.cosh(),
            Unary::Tanh => a.tanh(),
            Unary::Asinh => a.asinh(),
            Unary::Acosh => a.acosh(),
            Unary::Atanh => a.atanh(),
            Unary::Floor => a.floor(),
            Unary::Ceil => a.ceil(),
            Unary::Sqrt => a.sqrt(),
            Unary::Exp => a.exp(),
            Unary::Ln => a.ln(),
            Unary::Log => a.log10(),
            Unary::Int => c_int(a),
            Unary::Radians => a * (std::f64::consts::PI / 180.0),
            Unary::Degrees => a * (180.0 / std::f64::consts::PI),
            Unary::Sqr => a * a,
        }
    }
}

/// C's `(double)(int)x` (saturating where C would be undefined).
#[inline]
pub fn c_int(a: f64) -> f64 {
    f64::from(a as i32)
}

/// Two-argument operations. Comparisons and logic give 0 or 1; `Pow`, `Atan2`,
/// `Mod` (C's `fmod`) and `Div` (`(int)(a / b)`) are the built-in calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    Min,
    Max,
    Pow,
    Atan2,
    Mod,
    IntDiv,
}

impl Binary {
    /// Applies the operation.
    #[inline]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        let bool = |v: bool| if v { 1.0 } else { 0.0 };
        match self {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
            Binary::Div => a / b,
            Binary::Lt => bool(a < b),
            Binary::Le => bool(a <= b),
            Binary::Gt => bool(a > b),
            Binary::Ge => bool(a >= b),
            Binary::Eq => bool(a == b),
            Binary::Ne => bool(a != b),
            Binary::And => bool(a != 0.0 && b != 0.0),
            Binary::Or => bool(a != 0.0 || b != 0.0),
            // POV-Ray's min keeps the first operand unless the second is smaller
            // (and max likewise), which decides what a NaN operand gives.
            Binary::Min => {
                if a > b {
                    b
                } else {
                    a
                }
            }
            Binary::Max => {
                if a < b {
                    b
                } else {
                    a
                }
            }
            Binary::Pow => a.powf(b),
            Binary::Atan2 => a.atan2(b),
            Binary::Mod => a % b,
            Binary::IntDiv => c_int(a / b),
        }
    }
}

/// `sum` or `prod`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    Sum,
    Prod,
}

/// A member of a vector function's result (`.x`, `.red`, `.gray`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    /// Component 0 to 4 (x/u/red, y/v/green, z/blue, t/filter, transmit).
    Component(usize),
    /// POV-Ray's grey: the luminance-weighted sum of red, green and blue.
    Gray,
}

impl Member {
    /// The member named `w`, if it is one.
    pub fn from_name(w: &str) -> Option<Member> {
        Some(match w {
            "x" | "u" | "red" => Member::Component(0),
            "y" | "v" | "green" => Member::Component(1),
            "z" | "blue" => Member::Component(2),
            "t" | "filter" => Member::Component(3),
            "transmit" => Member::Component(4),
            "gray" | "grey" => Member::Gray,
            _ => return None,
        })
    }

    fn pick(self, v: &[f64; 5]) -> f64 {
        match self {
            Member::Component(i) => v[i.min(4)],
            Member::Gray => 0.297 * v[0] + 0.589 * v[1] + 0.114 * v[2],
        }
    }
}

/// A function body as the parser builds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Const(f64),
    /// The n-th parameter.
    Param(usize),
    /// The loop variable of the n-th enclosing `sum`/`prod` (0 = outermost).
    Local(usize),
    Unary(Unary, Box<Expr>),
    Binary(Binary, Box<Expr>, Box<Expr>),
    /// `select(c, a, b)` or `select(c, a, b, d)`.
    Select(Vec<Expr>),
    /// `sum(i, from, to, body)` / `prod(...)`; `body` sees the variable as a `Local`.
    Fold {
        op: Fold,
        from: Box<Expr>,
        to: Box<Expr>,
        body: Box<Expr>,
    },
    /// A call of a scalar function.
    Call(FunctionRef, Vec<Expr>),
    /// A call of a vector function, one member of its result.
    CallMember(FunctionRef, Vec<Expr>, Member),
}

/// What a function computes.
#[derive(Clone, Debug)]
pub enum Body {
    /// A compiled expression.
    Code(code::Program),
    /// One of POV-Ray's `internal(n)` functions.
    Internal(internal::Internal),
    /// `function { pattern { .. } }`: the pattern's value at (x, y, z).
    Pattern(Box<PlacedPattern>),
    /// `function { pigment { .. } }`: the colour at (x, y, z), five components.
    Pigment(Box<Pigment>),
    /// `function { transform { .. } }`: the transformed point.
    Transform(DAffine3),
    /// `function { spline { .. } }`: the spline at the one argument, a vector
    /// of the spline's components.
    Spline(Box<spline::Spline>),
    /// A body this renderer cannot evaluate: gives 0 (a vector of 0 when
    /// `vector`). The parser warns, naming `what`, when such a function is used.
    Unsupported { what: String, vector: bool },
}

/// A compiled function.
#[derive(Debug)]
pub struct Function {
    body: Body,
    params: usize,
}

/// A shared reference to a function; equal when it is the same function.
#[derive(Clone)]
pub struct FunctionRef(pub Arc<Function>);

impl PartialEq for FunctionRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for FunctionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "function/{}", self.0.params)
    }
}

impl std::ops::Deref for FunctionRef {
    type Target = Function;
    fn deref(&self) -> &Function {
        &self.0
    }
}

impl Function {
    /// Compiles `expr` over `params` parameters.
    pub fn compile(expr: &Expr, params: usize) -> Result<FunctionRef, CompileError> {
        let program = code::Program::compile(expr, params)?;
        Ok(Self::shared(Body::Code(program), params))
    }

    /// A function of (x, y, z) with the given non-expression body.
    pub fn of_point(body: Body) -> FunctionRef {
        let params = match &body {
            Body::Internal(i) => i.params(),
            Body::Spline(_) => 1,
            _ => 3,
        };
        Self::shared(body, params)
    }

    /// A stand-in for a body this renderer cannot evaluate, taking `params`
    /// arguments and giving 0 (see [`Body::Unsupported`]).
    pub fn unsupported(what: String, params: usize, vector: bool) -> FunctionRef {
        Self::shared(Body::Unsupported { what, vector }, params)
    }

    fn shared(body: Body, params: usize) -> FunctionRef {
        FunctionRef(Arc::new(Function { body, params }))
    }

    /// How many arguments a call passes.
    pub fn params(&self) -> usize {
        self.params
    }

    /// Stack slots a call needs from its arguments' first slot on.
    fn stack_need(&self) -> usize {
        match &self.body {
            Body::Code(p) => p.depth,
            _ => self.params,
        }
    }

    /// How many numbers the function returns: 1, or 3/5 for vector functions.
    pub fn arity(&self) -> usize {
        match &self.body {
            Body::Pigment(_) => 5,
            Body::Transform(_) => 3,
            Body::Spline(s) => s.terms(),
            Body::Unsupported { vector: true, .. } => 5,
            Body::Code(_) | Body::Internal(_) | Body::Pattern(_) | Body::Unsupported { .. } => 1,
        }
    }

    /// Why the function evaluates to 0, if it is a body this renderer lacks.
    pub fn missing(&self) -> Option<&str> {
        match &self.body {
            Body::Unsupported { what, .. } => Some(what),
            Body::Code(p) => p.unsupported(),
            Body::Internal(_)
            | Body::Pattern(_)
            | Body::Pigment(_)
            | Body::Transform(_)
            | Body::Spline(_) => None,
        }
    }

    /// The value at `args` (missing arguments read as 0, extra ones are ignored).
    pub fn eval(&self, args: &[f64]) -> f64 {
        self.eval_vector(args)[0]
    }

    /// The value of a function of a point.
    #[inline]
    pub fn eval_point(&self, p: DVec3) -> f64 {
        match &self.body {
            Body::Code(prog) => vm::run_point(prog, p),
            _ => self.eval(&[p.x, p.y, p.z]),
        }
    }

    /// Every component of the result (a scalar function fills only the first).
    pub fn eval_vector(&self, args: &[f64]) -> [f64; 5] {
        let arg = |i: usize| args.get(i).copied().unwrap_or(0.0);
        let point = || DVec3::new(arg(0), arg(1), arg(2));
        let scalar = |v: f64| [v, 0.0, 0.0, 0.0, 0.0];
        match &self.body {
            Body::Code(prog) => scalar(vm::run(prog, args)),
            Body::Internal(i) => {
                let mut a = [0.0; internal::MAX_ARGS];
                for (k, slot) in a.iter_mut().enumerate().take(i.params()) {
                    *slot = arg(k);
                }
                scalar(i.eval(&mut a))
            }
            Body::Pattern(p) => scalar(p.value_at(point())),
            Body::Pigment(p) => p.colour_at(point()).to_array(),
            Body::Transform(t) => {
                let q = t.transform_point3(point());
                [q.x, q.y, q.z, 0.0, 0.0]
            }
            Body::Spline(s) => s.eval(arg(0), s.kind()),
            Body::Unsupported { .. } => scalar(0.0),
        }
    }

    /// One member of the result.
    pub fn eval_member(&self, args: &[f64], m: Member) -> f64 {
        m.pick(&self.eval_vector(args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(v: f64) -> Expr {
        Expr::Const(v)
    }
    fn p(i: usize) -> Expr {
        Expr::Param(i)
    }
    fn bin(op: Binary, a: Expr, b: Expr) -> Expr {
        Expr::Binary(op, Box::new(a), Box::new(b))
    }
    fn un(op: Unary, a: Expr) -> Expr {
        Expr::Unary(op, Box::new(a))
    }

    #[test]
    fn arithmetic_and_builtins_give_known_values() {
        let cases = [
            (
                bin(Binary::Add, p(0), bin(Binary::Mul, p(1), p(2))),
                1.0 + 2.0 * 3.0,
            ),
            (bin(Binary::Pow, p(1), p(2)), 8.0),
            (bin(Binary::Mod, c(-7.0), c(3.0)), -1.0),
            (bin(Binary::IntDiv, c(-7.0), c(2.0)), -3.0),
            (un(Unary::Int, c(-2.7)), -2.0),
            (un(Unary::Degrees, c(std::f64::consts::PI)), 180.0),
            (un(Unary::Log, c(1000.0)), 3.0),
            (
                bin(Binary::Atan2, c(1.0), c(0.0)),
                std::f64::consts::FRAC_PI_2,
            ),
            (bin(Binary::Or, c(0.0), c(-2.0)), 1.0),
            (bin(Binary::And, c(3.0), c(0.0)), 0.0),
            (bin(Binary::Min, p(2), p(1)), 2.0),
            (un(Unary::Sqr, un(Unary::Neg, p(2))), 9.0),
        ];
        for (e, want) in cases {
            let f = Function::compile(&e, 3).expect("compiles");
            let got = f.eval(&[1.0, 2.0, 3.0]);
            assert!((got - want).abs() < 1e-12, "{e:?}: {got} != {want}");
        }
    }

    #[test]
    fn select_takes_povrays_branches() {
        let three = Expr::Select(vec![p(0), c(1.0), c(2.0)]);
        let four = Expr::Select(vec![p(0), c(1.0), c(2.0), c(3.0)]);
        let f3 = Function::compile(&three, 1).expect("compiles");
        let f4 = Function::compile(&four, 1).expect("compiles");
        let at = |f: &Function, v: f64| f.eval(&[v]);
        assert_eq!((at(&f3, -1.0), at(&f3, 0.0), at(&f3, 1.0)), (1.0, 2.0, 2.0));
        assert_eq!((at(&f4, -1.0), at(&f4, 0.0), at(&f4, 1.0)), (1.0, 2.0, 3.0));
    }

    #[test]
    fn folds_nest_and_see_their_own_variables() {
        // sum(i, 1, x, prod(j, 1, i, 2)) = 2 + 4 + 8 for x = 3.
        let inner = Expr::Fold {
            op: Fold::Prod,
            from: Box::new(c(1.0)),
            to: Box::new(Expr::Local(0)),
            body: Box::new(c(2.0)),
        };
        let outer = Expr::Fold {
            op: Fold::Sum,
            from: Box::new(c(1.0)),
            to: Box::new(p(0)),
            body: Box::new(inner),
        };
        let f = Function::compile(&outer, 1).expect("compiles");
        assert_eq!(f.eval(&[3.0]), 14.0);
        assert_eq!(f.eval(&[0.0]), 0.0);
    }

    #[test]
    fn calls_run_on_the_callers_stack() {
        let g = Function::compile(&bin(Binary::Sub, p(0), p(1)), 2).expect("g");
        // f(x, y, z) = z + g(x * 10, g(y, 1))
        let e = bin(
            Binary::Add,
            p(2),
            Expr::Call(
                g.clone(),
                vec![
                    bin(Binary::Mul, p(0), c(10.0)),
                    Expr::Call(g, vec![p(1), c(1.0)]),
                ],
            ),
        );
        let f = Function::compile(&e, 3).expect("f");
        assert_eq!(f.eval(&[2.0, 5.0, 0.5]), 0.5 + 20.0 - 4.0);
        assert_eq!(f.eval_point(DVec3::new(2.0, 5.0, 0.5)), 16.5);
    }

    #[test]
    fn internal_and_member_calls() {
        let gen = crate::pattern::NoiseGenerator::RangeCorrected;
        let sphere = Function::of_point(Body::Internal(
            internal::Internal::new(61, gen).expect("f_sphere"),
        ));
        assert_eq!(sphere.params(), 4);
        let t = Function::of_point(Body::Transform(DAffine3::from_translation(DVec3::ONE)));
        let e = Expr::Call(
            sphere,
            vec![
                Expr::CallMember(t, vec![p(0), p(1), p(2)], Member::Component(0)),
                c(0.0),
                c(0.0),
                c(1.0),
            ],
        );
        let f = Function::compile(&e, 3).expect("compiles");
        assert_eq!(f.eval(&[2.0, 0.0, 0.0]), 2.0);
    }

    #[test]
    fn constants_fold_and_huge_functions_are_refused() {
        let f = Function::compile(&bin(Binary::Add, c(1.0), c(2.0)), 3).expect("compiles");
        assert_eq!(f.eval(&[]), 3.0);
        // A right-leaning chain keeps every left operand on the stack.
        let mut e = p(0);
        for _ in 0..2 * MAX_STACK {
            e = bin(Binary::Add, p(0), e);
        }
        assert_eq!(
            Function::compile(&e, 1).err(),
            Some(CompileError::TooComplex)
        );
    }

    #[test]
    fn bad_values_propagate_without_panics() {
        let e = bin(Binary::Div, un(Unary::Ln, p(0)), p(1));
        let f = Function::compile(&e, 2).expect("compiles");
        assert!(f.eval(&[-1.0, 1.0]).is_nan());
        assert!(f.eval(&[1.0, 0.0]).is_nan());
        // Missing arguments read as 0: ln 0 / 0.
        assert_eq!(f.eval(&[]), f64::NEG_INFINITY);
    }
}
