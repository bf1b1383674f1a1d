//! `function { ... }` as POV-Ray 3.7 parses it: a parameter list, then an
//! expression in the function language, `internal(n)`, or a pattern, pigment or
//! transform; compiled at once into a [`crate::function::Function`].
//!
//! The function language is not the parse-time one: `|` binds loosest, then `&`,
//! then all six comparisons at one level, `+ -`, `* /`, unary signs. Names resolve
//! as POV-Ray resolves them: declared floats are constants taken now, declared
//! functions are calls, `x y z u v` and the parameter names are variables. Tokens
//! come through the ordinary stream, so macros and directives work inside bodies.
//!
//! Also here: calling a function in a parse-time expression (`F(1, 2, 3)`).

use super::error::{Result, SdlError};
use super::lexer::Tok;
use super::parser::{PTok, Parser};
use super::value::{Num, Value};
use crate::function::internal::Internal;
use crate::function::{Binary, Body, Expr, Fold, Function, FunctionRef, Member, Unary, MAX_PARAMS};
use crate::pattern::NoiseGenerator;
use crate::scene::material;

/// Most operands one function body may have: a bound on the syntax tree, whose
/// compilation recurses along it.
const MAX_OPERANDS: usize = 10_000;

/// Names the parser knows while reading one body.
struct Names {
    params: Vec<String>,
    /// `sum`/`prod` loop variables, outermost first.
    locals: Vec<String>,
    /// Operands read so far.
    operands: usize,
}

impl Names {
    fn default_xyz() -> Names {
        Names {
            params: vec!["x".into(), "y".into(), "z".into()],
            locals: Vec::new(),
            operands: 0,
        }
    }

    /// x/u, y/v and z are POV-Ray's register parameters: the last parameter of
    /// either name, or 0 when the function has none of them.
    fn register(&self, w: &str) -> Option<Expr> {
        let names: &[&str] = match w {
            "x" | "u" => &["x", "u"],
            "y" | "v" => &["y", "v"],
            "z" => &["z"],
            _ => return None,
        };
        let found = self
            .params
            .iter()
            .rposition(|p| names.contains(&p.as_str()));
        Some(found.map_or(Expr::Const(0.0), Expr::Param))
    }

    fn variable(&self, w: &str) -> Option<Expr> {
        if let Some(i) = self.locals.iter().rposition(|l| l == w) {
            return Some(Expr::Local(i));
        }
        self.params.iter().position(|p| p == w).map(Expr::Param)
    }
}

impl Parser<'_> {
    /// `function [(params)] { body }`, the keyword already read.
    pub(crate) fn function_value(&mut self) -> Result<Value> {
        let names = self.function_params()?;
        self.expect("{")?;
        let f = self.function_body(names)?;
        Ok(Value::Function(f))
    }

    /// The `function { expr }` of a pattern, a function of (x, y, z).
    pub(crate) fn function_pattern(&mut self) -> Result<FunctionRef> {
        let here = self.here();
        self.expect("{")?;
        let f = self.function_body(Names::default_xyz())?;
        if let Some(what) = f.missing() {
            self.warn(format!(
                "{here}: {what} is not supported; the function pattern gives 0 there"
            ));
        }
        Ok(f)
    }

    /// A function of (x, y, z) after its parameter-less `{ body }`, as
    /// function images take it; a body this renderer lacks is warned about.
    pub(crate) fn function_block(&mut self) -> Result<FunctionRef> {
        let here = self.here();
        self.expect("{")?;
        let f = self.function_body(Names::default_xyz())?;
        if let Some(what) = f.missing() {
            self.warn(format!(
                "{here}: {what} is not supported; the function gives 0"
            ));
        }
        Ok(f)
    }

    /// `pigment_pattern { pigment items }`: the pigment's grey value as a
    /// pattern, which is the function `P(x, y, z).gray` of its pigment function.
    pub(crate) fn pigment_pattern(&mut self) -> Result<FunctionRef> {
        let here = self.here();
        let p = self.pigment_function()?;
        let xyz = vec![Expr::Param(0), Expr::Param(1), Expr::Param(2)];
        let expr = Expr::CallMember(p, xyz, Member::Gray);
        Function::compile(&expr, 3).map_err(|e| SdlError::at(here, e.to_string()))
    }

    /// `{ pigment items }` compiled into a function of the point.
    fn pigment_function(&mut self) -> Result<FunctionRef> {
        // Built now, so its patterns take the global noise generator in effect
        // where the function is declared.
        let p = self.pigment_block()?;
        let built = material::Pigment::from_desc(&p, self.global_noise());
        Ok(Function::of_point(Body::Pigment(Box::new(built))))
    }

    fn function_params(&mut self) -> Result<Names> {
        let mut names = Names::default_xyz();
        if !self.accept("(")? {
            return Ok(names);
        }
        names.params.clear();
        while !self.accept(")")? {
            let t = self.need("a parameter name")?;
            match t.tok {
                Tok::Word(w) if names.params.len() < MAX_PARAMS => names.params.push(w.into()),
                Tok::Word(_) => {
                    return Err(self.err_at(&t, format!("more than {MAX_PARAMS} parameters")))
                }
                _ => return Err(self.expected("a parameter name", Some(&t))),
            }
            self.comma()?;
        }
        if names.params.is_empty() {
            return Err(self.err("a function needs at least one parameter"));
        }
        Ok(names)
    }

    /// The body after `{`, through the closing `}`.
    fn function_body(&mut self, names: Names) -> Result<FunctionRef> {
        let here = self.here();
        let f = match self.peek_word()?.as_deref() {
            Some("internal") => {
                self.next()?;
                self.expect("(")?;
                let n = self.float_expr()?;
                self.expect(")")?;
                let gen = self.global_noise();
                let f = Internal::new(n as usize, gen)
                    .filter(|_| n >= 0.0)
                    .ok_or_else(|| {
                        let n = n as i64;
                        self.err(format!("function 'internal({n})' does not exist"))
                    })?;
                Function::of_point(Body::Internal(f))
            }
            Some("pattern") => {
                self.next()?;
                self.pattern_function()?
            }
            Some("pigment") => {
                self.next()?;
                self.pigment_function()?
            }
            Some("transform") => {
                self.next()?;
                let t = self.transform_block()?;
                let affine = glam::DAffine3::from_mat4(t.matrix);
                Function::of_point(Body::Transform(affine))
            }
            Some("spline") => {
                self.next()?;
                let s = self.spline_block()?;
                Function::of_point(Body::Spline(Box::new(s)))
            }
            Some(w @ ("image_map" | "density")) => {
                let w = w.to_string();
                self.next()?;
                let what = format!("function {{ {w} }}");
                self.skip_block(&what)?;
                Function::unsupported(what, 3, false)
            }
            _ => {
                let mut names = names;
                let expr = self.fn_expr(&mut names)?;
                Function::compile(&expr, names.params.len())
                    .map_err(|e| SdlError::at(here, e.to_string()))?
            }
        };
        self.expect("}")?;
        Ok(f)
    }

    /// `pattern { kind modifiers... }`; a pattern this renderer lacks gives a
    /// function of 0, reported when it is used.
    fn pattern_function(&mut self) -> Result<FunctionRef> {
        if !self.peek_pattern_word()? {
            let name = self.skip_pattern_block()?;
            return Ok(Function::unsupported(format!("pattern {name}"), 3, false));
        }
        let p = self.pigment_block()?;
        let pattern = match &p.kind {
            crate::desc::PigmentKind::ColourMap { pattern, .. }
            | crate::desc::PigmentKind::PigmentMap { pattern, .. }
            | crate::desc::PigmentKind::ImageMap(pattern) => pattern.clone(),
            crate::desc::PigmentKind::Solid(_) => {
                return Err(self.err("expected a pattern in 'pattern { }'"))
            }
        };
        let placed = material::PlacedPattern::new(pattern, &p.transform, self.global_noise());
        Ok(Function::of_point(Body::Pattern(Box::new(placed))))
    }

    /// True if a `pattern { }` block opens with a pattern this renderer has
    /// (nothing consumed).
    fn peek_pattern_word(&mut self) -> Result<bool> {
        let brace = self.need("'{'")?;
        if brace.tok != Tok::Punct("{") {
            return Err(self.expected("'{'", Some(&brace)));
        }
        let t = self.need("a pattern")?;
        let known = matches!(&t.tok, Tok::Word(w) if super::textures::is_pattern_keyword(w));
        self.unget(t);
        self.unget(brace);
        Ok(known)
    }

    /// Skips a `{ ... }` block, returning its first word.
    fn skip_pattern_block(&mut self) -> Result<String> {
        self.expect("{")?;
        let mut first = String::new();
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()?.map(|t| t.tok) {
                Some(Tok::Punct("{")) => depth += 1,
                Some(Tok::Punct("}")) => depth -= 1,
                Some(Tok::Word(w)) if first.is_empty() => first = w.into(),
                Some(_) => {}
                None => return Err(self.err("unterminated pattern block")),
            }
        }
        Ok(first)
    }

    fn global_noise(&self) -> NoiseGenerator {
        NoiseGenerator::from_number(i64::from(self.scene.global.noise_generator))
            .unwrap_or_default()
    }

    /// A call `F(a, b, ...)` in a parse-time expression, `F` already read.
    pub(crate) fn call_function(&mut self, f: &FunctionRef, t: &PTok) -> Result<Num> {
        self.expect("(")?;
        let mut args = Vec::new();
        if !self.accept(")")? {
            loop {
                args.push(self.float_expr()?);
                if !self.accept(",")? {
                    break;
                }
            }
            self.expect(")")?;
        }
        if args.len() != f.params() {
            return Err(self.err_at(
                t,
                format!(
                    "{} takes {} argument(s) but {} were given",
                    t.tok.describe(),
                    f.params(),
                    args.len()
                ),
            ));
        }
        if let Some(what) = f.missing() {
            let here = self.loc_of(t);
            self.warn(format!("{here}: {what} is not supported; the call gives 0"));
        }
        let v = f.eval_vector(&args);
        Ok(match f.arity() {
            1 => Num::float(v[0]),
            n => Num { c: v, n },
        })
    }
}

/// The expression grammar of function bodies.
impl Parser<'_> {
    fn fn_expr(&mut self, names: &mut Names) -> Result<Expr> {
        self.nested(|p| p.fn_or(names))
    }

    fn fn_or(&mut self, names: &mut Names) -> Result<Expr> {
        self.fn_left_assoc(names, &[("|", Binary::Or)], Self::fn_and)
    }

    fn fn_and(&mut self, names: &mut Names) -> Result<Expr> {
        self.fn_left_assoc(names, &[("&", Binary::And)], Self::fn_cmp)
    }

    /// All six comparisons bind at one level, as in POV-Ray's function grammar.
    fn fn_cmp(&mut self, names: &mut Names) -> Result<Expr> {
        const OPS: [(&str, Binary); 6] = [
            ("<", Binary::Lt),
            ("<=", Binary::Le),
            (">", Binary::Gt),
            (">=", Binary::Ge),
            ("=", Binary::Eq),
            ("!=", Binary::Ne),
        ];
        self.fn_left_assoc(names, &OPS, Self::fn_add)
    }

    fn fn_add(&mut self, names: &mut Names) -> Result<Expr> {
        self.fn_left_assoc(
            names,
            &[("+", Binary::Add), ("-", Binary::Sub)],
            Self::fn_mul,
        )
    }

    fn fn_mul(&mut self, names: &mut Names) -> Result<Expr> {
        self.fn_left_assoc(
            names,
            &[("*", Binary::Mul), ("/", Binary::Div)],
            Self::fn_unary,
        )
    }

    /// One binary level: operands from `operand`, joined left to right by any of
    /// `ops` (punctuation and the operation it stands for).
    fn fn_left_assoc(
        &mut self,
        names: &mut Names,
        ops: &[(&str, Binary)],
        operand: fn(&mut Self, &mut Names) -> Result<Expr>,
    ) -> Result<Expr> {
        let mut a = operand(self, names)?;
        loop {
            let op = match self.peek()? {
                Some(Tok::Punct(p)) => ops.iter().find(|(q, _)| *q == p).map(|&(_, op)| op),
                _ => None,
            };
            let Some(op) = op else { return Ok(a) };
            self.next()?;
            let b = operand(self, names)?;
            a = bin(op, a, b);
        }
    }

    fn fn_unary(&mut self, names: &mut Names) -> Result<Expr> {
        self.enter()?;
        let r = if self.accept("-")? {
            self.fn_unary(names)
                .map(|e| Expr::Unary(Unary::Neg, Box::new(e)))
        } else if self.accept("+")? {
            self.fn_unary(names)
        } else if self.accept("!")? {
            // POV-Ray rejects `!` in functions; reading it as "is zero" is harmless.
            self.fn_unary(names)
                .map(|e| bin(Binary::Eq, e, Expr::Const(0.0)))
        } else {
            self.fn_primary(names)
        };
        self.leave();
        r
    }

    fn fn_primary(&mut self, names: &mut Names) -> Result<Expr> {
        let t = self.need("a function expression")?;
        names.operands += 1;
        if names.operands > MAX_OPERANDS {
            return Err(self.err_at(
                &t,
                format!("function too complex: more than {MAX_OPERANDS} operands"),
            ));
        }
        match &t.tok {
            Tok::Number(n) => Ok(Expr::Const(*n)),
            Tok::Punct("(") => {
                let e = self.fn_expr(names)?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Word(w) => {
                let w = w.clone();
                self.fn_word(&w, &t, names)
            }
            _ => Err(self.expected("a function expression", Some(&t))),
        }
    }

    fn fn_word(&mut self, w: &str, t: &PTok, names: &mut Names) -> Result<Expr> {
        if let Some(e) = names.register(w) {
            return Ok(e);
        }
        if let Some(n) = self.constant(w).filter(Num::is_float) {
            return Ok(Expr::Const(n.c[0]));
        }
        if let Some(op) = Unary::from_name(w) {
            let mut a = self.fn_args(names, 1, t)?;
            return Ok(Expr::Unary(op, Box::new(a.remove(0))));
        }
        if let Some(e) = self.fn_builtin(w, t, names)? {
            return Ok(e);
        }
        match self.lookup(w).cloned() {
            Some(Value::Num(n)) if n.is_float() => Ok(Expr::Const(n.c[0])),
            Some(Value::Function(f)) => self.fn_call(f, t, names),
            Some(Value::Array(items)) => match self.array_element(w, &items)? {
                Value::Num(n) if n.is_float() => Ok(Expr::Const(n.c[0])),
                Value::Function(f) => self.fn_call(f, t, names),
                other => Err(self.err_at(
                    t,
                    format!(
                        "expected a float in a function but '{w}[]' holds a {}",
                        other.kind()
                    ),
                )),
            },
            _ => names.variable(w).ok_or_else(|| {
                self.expected(
                    "a parameter, a declared float or a function in the function",
                    Some(t),
                )
            }),
        }
    }

    /// min, max, pow, atan2, mod, div, select, sum, prod.
    fn fn_builtin(&mut self, w: &str, t: &PTok, names: &mut Names) -> Result<Option<Expr>> {
        let op = match w {
            "pow" => Some(Binary::Pow),
            "atan2" => Some(Binary::Atan2),
            "mod" => Some(Binary::Mod),
            "div" => Some(Binary::IntDiv),
            _ => None,
        };
        if let Some(op) = op {
            let mut a = self.fn_args(names, 2, t)?;
            let b = a.pop().unwrap_or(Expr::Const(0.0));
            let a = a.pop().unwrap_or(Expr::Const(0.0));
            return Ok(Some(bin(op, a, b)));
        }
        Ok(Some(match w {
            "min" | "max" => {
                let a = self.fn_var_args(names)?;
                if a.len() < 2 {
                    return Err(self.err_at(t, format!("{w} takes at least two arguments")));
                }
                let op = if w == "min" { Binary::Min } else { Binary::Max };
                let mut it = a.into_iter();
                let first = it.next().unwrap_or(Expr::Const(0.0));
                it.fold(first, |acc, e| bin(op, acc, e))
            }
            "select" => {
                let a = self.fn_var_args(names)?;
                if !(3..=4).contains(&a.len()) {
                    return Err(self.err_at(t, "select takes three or four arguments"));
                }
                Expr::Select(a)
            }
            "sum" | "prod" => self.fn_fold(w, names)?,
            _ => return Ok(None),
        }))
    }

    /// `sum(i, from, to, body)`.
    fn fn_fold(&mut self, w: &str, names: &mut Names) -> Result<Expr> {
        self.expect("(")?;
        let var = self.raw_ident("a loop variable name")?;
        self.expect(",")?;
        let from = self.fn_expr(names)?;
        self.expect(",")?;
        let to = self.fn_expr(names)?;
        self.expect(",")?;
        names.locals.push(var);
        let body = self.fn_expr(names);
        names.locals.pop();
        let body = body?;
        self.expect(")")?;
        Ok(Expr::Fold {
            op: if w == "sum" { Fold::Sum } else { Fold::Prod },
            from: Box::new(from),
            to: Box::new(to),
            body: Box::new(body),
        })
    }

    /// A call of a declared function inside a body; vector functions need a member.
    fn fn_call(&mut self, f: FunctionRef, t: &PTok, names: &mut Names) -> Result<Expr> {
        let args = self.fn_var_args(names)?;
        if args.len() != f.params() {
            return Err(self.err_at(
                t,
                format!(
                    "{} takes {} argument(s) but {} were given",
                    t.tok.describe(),
                    f.params(),
                    args.len()
                ),
            ));
        }
        if f.arity() == 1 {
            return Ok(Expr::Call(f, args));
        }
        self.expect(".")?;
        let m = self.need("a member name")?;
        let member = match &m.tok {
            Tok::Word(w) => Member::from_name(w),
            _ => None,
        }
        .ok_or_else(|| {
            self.expected(
                "x, y, z, t, u, v, red, green, blue, filter, transmit or gray",
                Some(&m),
            )
        })?;
        Ok(Expr::CallMember(f, args, member))
    }

    fn fn_args(&mut self, names: &mut Names, n: usize, t: &PTok) -> Result<Vec<Expr>> {
        let a = self.fn_var_args(names)?;
        if a.len() != n {
            return Err(self.err_at(
                t,
                format!(
                    "{} takes {n} argument(s) but {} were given",
                    t.tok.describe(),
                    a.len()
                ),
            ));
        }
        Ok(a)
    }

    fn fn_var_args(&mut self, names: &mut Names) -> Result<Vec<Expr>> {
        self.expect("(")?;
        let mut out = vec![self.fn_expr(names)?];
        while self.accept(",")? {
            out.push(self.fn_expr(names)?);
        }
        self.expect(")")?;
        Ok(out)
    }
}

fn bin(op: Binary, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}
