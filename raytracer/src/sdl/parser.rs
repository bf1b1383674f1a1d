//! The parser's state and its token stream.
//!
//! Like POV-Ray, the parser reads tokens from a stack of positions: the scene file,
//! included files, macro bodies. Directives are executed as tokens are fetched, so
//! `#if`, `#while` or `#declare` may appear anywhere, even inside an object, and a
//! macro call splices its body into the stream wherever it is written.

use super::error::{Location, Result, SdlError};
use super::lexer::{Tok, Word};
use super::loader::Loader;
use super::symbols::Scope;
use super::value::Value;
use super::{Limits, ParseOptions, SourceFile};
use crate::desc::{Layer, SceneDesc};
use std::collections::HashMap;

/// Deepest nesting of expressions and blocks accepted (keeps the stack bounded).
pub(crate) const MAX_NESTING: usize = 160;
/// With less stack than this left, a nested parse continues on a new segment.
const STACK_RED_ZONE: usize = 256 * 1024;
/// The size of each new stack segment.
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// A token and the file it came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PTok {
    pub tok: Tok,
    pub file: usize,
    pub line: u32,
    pub column: u32,
}

/// Why a reading position was pushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrameKind {
    Main,
    Include,
    Macro,
}

/// A reading position.
pub(crate) struct Frame {
    pub file: usize,
    pub pos: usize,
    pub kind: FrameKind,
}

/// An open conditional or loop, closed by `#end`.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    /// Executing the taken branch of an `#if`/`#ifdef`/`#ifndef`.
    If,
    /// Executing an `#else` branch.
    Else,
    /// Executing a `#while` body; `pos` is the condition's first token.
    While { pos: usize },
    /// Executing a `#for` body.
    For {
        var: String,
        end: f64,
        step: f64,
        pos: usize,
    },
    /// Executing a case of a `#switch`.
    Switch,
    /// Executing a macro body.
    Macro,
}

/// A `Cond` and the frame depth it was opened at.
pub(crate) struct OpenCond {
    pub cond: Cond,
    pub depth: usize,
}

/// The whole parser state.
pub(crate) struct Parser<'a> {
    pub opts: &'a ParseOptions,
    pub limits: Limits,
    pub loader: &'a dyn Loader,
    /// Every file read (each include once per time it is read), lexed as read.
    pub files: super::tokens::Tokens,
    pub recorded: Vec<SourceFile>,
    /// Binary files read (fonts), for slaves.
    pub recorded_data: Vec<super::DataFile>,
    /// Fonts already parsed, by the name they were found under.
    pub(crate) fonts: HashMap<String, std::rc::Rc<super::text::Font>>,
    pub frames: Vec<Frame>,
    pub conds: Vec<OpenCond>,
    pub scopes: Vec<Scope<Value>>,
    pending: Vec<PTok>,
    /// Where the token read last is: file, line, column.
    last: Option<(usize, u32, u32)>,
    pub scene: SceneDesc,
    pub default_layer: Layer,
    pub messages: Vec<String>,
    pub loop_iterations: u64,
    pub nesting: usize,
    pub rand_streams: super::rand::RandStreams,
    pub object_nodes: u64,
    /// Per active macro call: parameters passed by reference → (scope, name).
    pub param_refs: Vec<HashMap<String, (usize, String)>>,
    /// Above 0 while a directive or a macro's arguments are read (POV-Ray's
    /// `Ok_To_Declare` false): the look-ahead after a value then runs no
    /// directive, so nothing after the value happens before it is used.
    pub directives_held: u32,
    /// The locals of the macro call that ended last: a value looked ahead past
    /// the macro's `#end` (an array named last in its body) is taken from here.
    pub closed_macro_scope: Option<Scope<Value>>,
    pub noise_generator_set: bool,
    /// Which hidden slot the last resolved array element went to (sdl/arrays.rs).
    pub element_slot: usize,
    /// Files opened by `#fopen` (sdl/fileio.rs).
    pub user_files: super::fileio::UserFiles,
    /// The object `trace`/`min_extent`/... last built (sdl/probe.rs).
    pub probe: super::probe::ProbeCache,
}

impl<'a> Parser<'a> {
    pub fn new(opts: &'a ParseOptions, loader: &'a dyn Loader, limits: Limits) -> Self {
        let scene = SceneDesc {
            version: opts.version.unwrap_or(3.7),
            // A version given by an option counts as declared (POV-Ray's `Version=`).
            version_set: opts.version.is_some(),
            ..SceneDesc::default()
        };
        Self {
            opts,
            limits,
            loader,
            files: Default::default(),
            recorded: Vec::new(),
            recorded_data: Vec::new(),
            fonts: HashMap::new(),
            frames: Vec::new(),
            conds: Vec::new(),
            scopes: vec![Scope::default()],
            pending: Vec::new(),
            last: None,
            scene,
            default_layer: Layer::default(),
            messages: Vec::new(),
            loop_iterations: 0,
            nesting: 0,
            rand_streams: Default::default(),
            object_nodes: 0,
            param_refs: Vec::new(),
            directives_held: 0,
            closed_macro_scope: None,
            noise_generator_set: false,
            element_slot: 0,
            user_files: Default::default(),
            probe: Default::default(),
        }
    }

    /// Where `t` is.
    pub fn loc_of(&self, t: &PTok) -> Location {
        Location {
            file: self
                .files
                .file(t.file)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            line: t.line,
            column: t.column,
        }
    }

    /// Where the token read last is, if any was.
    fn last_location(&self) -> Option<Location> {
        let (file, line, column) = self.last?;
        Some(Location {
            file: self
                .files
                .file(file)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            line,
            column,
        })
    }

    /// Where the parser is: the last token read, or the end of the current file.
    pub fn here(&self) -> Location {
        if let Some(t) = self.pending.last() {
            return self.loc_of(t);
        }
        if let Some(at) = self.last_location() {
            return at;
        }
        let file = self
            .files
            .first()
            .map(|f| f.name.clone())
            .unwrap_or_default();
        Location {
            file,
            line: 1,
            column: 1,
        }
    }

    /// An error at the current position.
    pub fn err(&self, message: impl Into<String>) -> SdlError {
        SdlError::at(self.here(), message)
    }

    /// An error at token `t`.
    pub fn err_at(&self, t: &PTok, message: impl Into<String>) -> SdlError {
        SdlError::at(self.loc_of(t), message)
    }

    /// "expected X but found Y" at `t` (or at the end of input).
    pub fn expected(&self, what: &str, t: Option<&PTok>) -> SdlError {
        match t {
            Some(t) => self.err_at(t, format!("expected {what} but found {}", self.describe(t))),
            None => self.err(format!("expected {what} but found the end of the input")),
        }
    }

    /// A found token for an error message; identifiers say what they hold.
    fn describe(&self, t: &PTok) -> String {
        match &t.tok {
            Tok::Word(w) if !w.is_reserved() => match self.lookup(w) {
                Some(v) => format!("{} identifier '{w}'", v.kind()),
                None => format!("undeclared identifier '{w}'"),
            },
            other => other.describe(),
        }
    }

    /// The next token of the current frames, with no directive processing;
    /// finished include files are closed on the way.
    pub fn raw_next(&mut self) -> Result<Option<PTok>> {
        loop {
            let Some(frame) = self.frames.last_mut() else {
                return Ok(None);
            };
            if let Some(t) = self.files.token(frame.file, frame.pos)? {
                frame.pos += 1;
                let t = PTok {
                    tok: t.tok.clone(),
                    file: frame.file,
                    line: t.line,
                    column: t.column,
                };
                self.last = Some((t.file, t.line, t.column));
                return Ok(Some(t));
            }
            match frame.kind {
                FrameKind::Main => return Ok(None),
                FrameKind::Include => self.close_include()?,
                FrameKind::Macro => return Err(self.err("macro body ends without #end")),
            }
        }
    }

    /// Leaves a finished include file, checking its conditionals were closed.
    fn close_include(&mut self) -> Result<()> {
        let depth = self.frames.len();
        if self.conds.last().is_some_and(|c| c.depth >= depth) {
            return Err(self.err("end of file inside #if, #while, #switch or #macro: missing #end"));
        }
        self.frames.pop();
        self.scopes.pop();
        Ok(())
    }

    /// The next token after directives and macro calls have been carried out.
    pub fn next(&mut self) -> Result<Option<PTok>> {
        if let Some(t) = self.pending.pop() {
            return Ok(Some(t));
        }
        loop {
            let Some(t) = self.raw_next()? else {
                return Ok(None);
            };
            match &t.tok {
                Tok::Directive(d) => {
                    let d = d.clone();
                    self.run_directive(&d, &t)?;
                }
                Tok::Word(w) if w.is_reserved() => return Ok(Some(t)),
                Tok::Word(w) => match self.lookup(w) {
                    Some(Value::Macro(m)) => {
                        let m = m.clone();
                        self.invoke_macro(&m, &t)?;
                    }
                    Some(Value::Array(_)) => {
                        let w = w.clone();
                        // The element is looked up before anything after
                        // its indices runs (that may end a macro's scope).
                        return self
                            .holding_directives(|p| p.resolve_array_element(t, &w))
                            .map(Some);
                    }
                    _ => return Ok(Some(t)),
                },
                _ => return Ok(Some(t)),
            }
        }
    }

    /// A token put back, if any.
    pub fn take_pending(&mut self) -> Option<PTok> {
        self.pending.pop()
    }

    /// Puts a token back.
    pub fn unget(&mut self, t: PTok) {
        self.pending.push(t);
    }

    /// Runs `f` with look-ahead directives running again, as inside a block.
    pub fn releasing_directives<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let held = std::mem::take(&mut self.directives_held);
        let r = f(self);
        self.directives_held = held;
        r
    }

    /// The next token without consuming it.
    pub fn peek(&mut self) -> Result<Option<Tok>> {
        if let Some(t) = self.pending.last() {
            return Ok(Some(t.tok.clone()));
        }
        if let Some(t) = self.next()? {
            self.unget(t);
        }
        Ok(self.pending.last().map(|t| t.tok.clone()))
    }

    /// The next token, which must exist.
    pub fn need(&mut self, what: &str) -> Result<PTok> {
        match self.next()? {
            Some(t) => Ok(t),
            None => Err(self.expected(what, None)),
        }
    }

    /// Consumes punctuation `p` or fails with "expected 'p' but found ...".
    pub fn expect(&mut self, p: &str) -> Result<()> {
        let t = self.next()?;
        match &t {
            Some(PTok {
                tok: Tok::Punct(q), ..
            }) if *q == p => Ok(()),
            _ => Err(self.expected(&format!("'{p}'"), t.as_ref())),
        }
    }

    /// Puts the next token (after directives and macro calls) in `pending` if
    /// none is there: what [`Parser::peek`] does, without a copy.
    fn fill_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            if let Some(t) = self.next()? {
                self.unget(t);
            }
        }
        Ok(())
    }

    /// Consumes `p` if it is next.
    pub fn accept(&mut self, p: &str) -> Result<bool> {
        self.fill_pending()?;
        if matches!(self.pending.last(), Some(PTok { tok: Tok::Punct(q), .. }) if *q == p) {
            self.pending.pop();
            return Ok(true);
        }
        Ok(false)
    }

    /// POV-Ray's commas between parameters are optional.
    pub fn comma(&mut self) -> Result<()> {
        self.accept(",").map(|_| ())
    }

    /// Consumes keyword `w` if it is next.
    pub fn accept_word(&mut self, w: &str) -> Result<bool> {
        self.fill_pending()?;
        if matches!(self.pending.last(), Some(PTok { tok: Tok::Word(q), .. }) if q == w) {
            self.pending.pop();
            return Ok(true);
        }
        Ok(false)
    }

    /// The next word, if the next token is one (not consumed).
    pub fn peek_word(&mut self) -> Result<Option<Word>> {
        Ok(match self.peek()? {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        })
    }

    /// The innermost binding of `name`.
    pub fn lookup(&self, name: &str) -> Option<&Value> {
        let hash = super::symbols::name_hash(name);
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.get_hashed(hash, name))
    }

    /// Enters a nested expression or block, failing when nesting is absurdly deep.
    pub fn enter(&mut self) -> Result<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.err(format!(
                "nesting deeper than {MAX_NESTING} levels (expressions or blocks)"
            )));
        }
        Ok(())
    }

    /// Runs `f` one nesting level deeper: refused past the nesting limit, and on a
    /// stack that grows when it runs low, so that the limit, not the stack of the
    /// thread that happens to parse, bounds how deep a scene may nest.
    pub fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.enter()?;
        let r = stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || f(self));
        self.leave();
        r
    }

    /// Leaves what [`Parser::enter`] entered.
    pub fn leave(&mut self) {
        self.nesting = self.nesting.saturating_sub(1);
    }

    /// Records a parser warning, `file:line:col: text`, as `file:line:col: warning:
    /// text` (the form `#warning` messages take).
    pub fn warn(&mut self, message: String) {
        // Returned in `Parsed::messages` for the caller to print; logging it here
        // too printed every warning twice.
        let message = match message.split_once(": ") {
            Some((at, text)) => format!("{at}: warning: {text}"),
            None => format!("warning: {message}"),
        };
        self.messages.push(message);
    }

    /// The notices POV-Ray 3.7 gives once the scene is read about the compatibility
    /// it chose: without `assumed_gamma`, a scene of an older (or no) `#version` is
    /// rendered with gamma correction off, and a 3.7 scene with working gamma 1.0.
    pub fn compatibility_notices(&mut self) {
        if self.scene.global.assumed_gamma.is_some() {
            return;
        }
        let legacy = !self.scene.version_set || self.scene.version < 3.7;
        let notice = if legacy {
            "assumed_gamma not specified in this pre-3.7 scene (older or no #version), \
             so gamma correction is off for compatibility, as in POV-Ray 3.7"
        } else {
            "assumed_gamma not specified in this POV-Ray 3.7 scene; 1.0 is assumed \
             (add `assumed_gamma 1.0` to global_settings)"
        };
        self.warn(notice.to_string());
    }

    /// Skips a `{ ... }` block that is accepted but not used (the `{` not yet read).
    pub fn skip_block(&mut self, what: &str) -> Result<()> {
        let here = self.here();
        self.expect("{")?;
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                Some(PTok {
                    tok: Tok::Punct("{"),
                    ..
                }) => depth += 1,
                Some(PTok {
                    tok: Tok::Punct("}"),
                    ..
                }) => depth -= 1,
                Some(_) => {}
                None => return Err(self.err(format!("unterminated {what} block"))),
            }
        }
        self.warn(format!("{here}: {what} is not supported and was ignored"));
        Ok(())
    }
}

impl Parser<'_> {
    /// Carries out directive `d`, holding look-ahead directives while its own
    /// values are read.
    pub fn run_directive(&mut self, d: &str, t: &PTok) -> Result<()> {
        self.holding_directives(|p| p.directive(d, t))
    }

    /// Runs `f` with look-ahead directives held (see [`Parser::directives_held`]).
    pub fn holding_directives<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.directives_held += 1;
        let r = f(self);
        self.directives_held -= 1;
        r
    }

    /// The next token without expanding macros, so an optional continuation
    /// (an operator, a `;`) can be checked. A macro's closing `#end` is always
    /// carried out, since a value may continue after a macro call; other
    /// directives run as POV-Ray runs them while it looks ahead: everywhere
    /// but in a directive's own values and a macro's arguments (see
    /// [`Parser::directives_held`]). So `M() * 2` continues past an `#else`
    /// branch and the `#end` of `M`'s body.
    pub fn peek_raw(&mut self) -> Result<Option<Tok>> {
        loop {
            if let Some(t) = self.pending.last() {
                return Ok(Some(t.tok.clone()));
            }
            let Some(frame) = self.frames.last() else {
                return Ok(None);
            };
            let tok = self
                .files
                .token(frame.file, frame.pos)?
                .map(|t| t.tok.clone());
            match tok {
                Some(Tok::Directive(d))
                    if d == "end"
                        && matches!(self.conds.last().map(|c| &c.cond), Some(Cond::Macro)) =>
                {
                    if let Some(t) = self.raw_next()? {
                        self.directive("end", &t)?;
                    }
                }
                Some(Tok::Directive(d)) if self.directives_held == 0 => {
                    if let Some(t) = self.raw_next()? {
                        self.run_directive(&d, &t)?;
                    }
                }
                other => return Ok(other),
            }
        }
    }

    /// [`Parser::peek_raw`] when only punctuation matters: the punctuation next,
    /// if that is what comes. A punctuation token waiting in the file is looked
    /// at in place (no directive can run before it).
    pub fn peek_raw_punct(&mut self) -> Result<Option<&'static str>> {
        if let Some(t) = self.pending.last() {
            return Ok(match t.tok {
                Tok::Punct(p) => Some(p),
                _ => None,
            });
        }
        if let Some(frame) = self.frames.last() {
            if let Some(super::lexer::Token {
                tok: Tok::Punct(p), ..
            }) = self.files.token(frame.file, frame.pos)?
            {
                return Ok(Some(p));
            }
        }
        Ok(match self.peek_raw()? {
            Some(Tok::Punct(p)) => Some(p),
            _ => None,
        })
    }

    /// Consumes punctuation `p` if the raw next token is it.
    pub fn accept_raw(&mut self, p: &str) -> Result<bool> {
        if self.peek_raw_punct()? == Some(p) {
            self.next()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// The number that starts the next vector component, and how many tokens
    /// it and the `,` or `>` after it take, when the component is only that:
    /// `N` or `-N` followed by `>`, or by `,` and then a token that is neither a
    /// directive nor `>`. Reading such a component through the expression
    /// grammar gives the same number with no side effect, so the caller may
    /// take it directly (see `vector_literal`). `None` for anything else (a put
    /// back token, a file ending, nesting near its limit).
    pub fn simple_component(&mut self) -> Result<Option<(f64, bool, usize)>> {
        // The grammar would enter two levels (unary, and unary again for `-`).
        if !self.pending.is_empty() || self.nesting + 2 > MAX_NESTING {
            return Ok(None);
        }
        let Some(&Frame { file, pos, .. }) = self.frames.last() else {
            return Ok(None);
        };
        let mut at = pos;
        let mut tok = |p: &mut Self| -> Result<Option<Tok>> {
            let t = p.files.token(file, at)?.map(|t| match t.tok {
                Tok::Number(n) => Tok::Number(n),
                Tok::Punct(q) => Tok::Punct(q),
                // Only numbers and punctuation matter here.
                _ => Tok::Punct(""),
            });
            at += 1;
            Ok(t)
        };
        let (value, next) = match tok(self)? {
            Some(Tok::Number(n)) => (n, tok(self)?),
            Some(Tok::Punct("-")) => match tok(self)? {
                Some(Tok::Number(n)) => (-n, tok(self)?),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let closes = match next {
            Some(Tok::Punct(">")) => true,
            Some(Tok::Punct(",")) => false,
            _ => return Ok(None),
        };
        if !closes {
            // `, >` closes too, and a directive there would run when looked at.
            let after = self.files.token(file, at)?;
            match after.map(|t| &t.tok) {
                None | Some(Tok::Directive(_)) | Some(Tok::Punct(">")) => return Ok(None),
                Some(_) => {}
            }
        }
        Ok(Some((value, closes, at - pos)))
    }

    /// Moves past `n` tokens of the current frame that [`Parser::simple_component`]
    /// looked at, as reading them would.
    pub fn skip_looked_at(&mut self, n: usize) -> Result<()> {
        let Some(frame) = self.frames.last_mut() else {
            return Ok(());
        };
        frame.pos += n;
        let (file, pos) = (frame.file, frame.pos - 1);
        if let Some(t) = self.files.token(file, pos)? {
            self.last = Some((file, t.line, t.column));
        }
        Ok(())
    }

    /// A directive's condition: `(expr)` read without looking past the `)`, so
    /// nothing after it runs before the condition is known.
    pub fn cond_expr(&mut self) -> Result<f64> {
        if self.accept("(")? {
            let v = self.full_float()?;
            self.expect(")")?;
            Ok(v)
        } else {
            self.full_float()
        }
    }
}
