//! The `#` directives: include, declarations, conditionals, loops, switch, macros,
//! version, default, messages.

use super::error::Result;
use super::lexer::Tok;
use super::loader::{bundled, candidates};
use super::parser::{Cond, Frame, FrameKind, OpenCond, PTok, Parser};
use super::symbols::Scope;
use super::value::{MacroDef, Num, Value};
use super::SourceFile;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// Directives that open a block closed by `#end`.
/// The newest language version prender reads (POV-Ray 3.7's).
const NEWEST_VERSION: f64 = 3.7;

const OPENERS: [&str; 7] = ["if", "ifdef", "ifndef", "while", "for", "switch", "macro"];

impl Parser<'_> {
    /// Carries out directive `d` (its `#` token is `t`).
    pub(crate) fn directive(&mut self, d: &str, t: &PTok) -> Result<()> {
        match d {
            // A `#` with no name after it: POV-Ray reads on past it.
            "" => {
                let here = self.loc_of(t);
                self.warn(format!("{here}: '#' without a directive name was ignored"));
                Ok(())
            }
            "include" => self.include(),
            "declare" => self.declare(false),
            "local" => self.declare(true),
            "undef" => {
                let name = self.raw_ident("an identifier after #undef")?;
                for s in self.scopes.iter_mut().rev() {
                    if s.remove(&name).is_some() {
                        break;
                    }
                }
                Ok(())
            }
            "if" => {
                let c = self.cond_expr()? != 0.0;
                self.branch(c)
            }
            "ifdef" | "ifndef" => {
                self.expect("(")?;
                let name = self.raw_ident("an identifier")?;
                let defined = self.is_defined(&name)?;
                self.expect(")")?;
                self.branch(defined == (d == "ifdef"))
            }
            "else" => self.else_directive(t),
            "elseif" => match self.conds.last().map(|c| &c.cond) {
                Some(Cond::If) => {
                    self.conds.pop();
                    self.skip_to_end(0)
                }
                _ => Err(self.err_at(t, "#elseif without a matching #if")),
            },
            "end" => self.end_directive(t),
            "while" => self.while_directive(0),
            "for" => self.for_directive(),
            "switch" => self.switch_directive(),
            "case" | "range" => self.case_in_switch(d, t),
            "break" => self.break_directive(t),
            "macro" => self.macro_definition(),
            "version" => {
                let v = self.full_float()?;
                // POV-Ray keeps the version in hundredths and refuses a scene that
                // asks for a newer language than its own, 3.70.
                let hundredths = (v * 100.0 + 0.5).floor();
                if hundredths > NEWEST_VERSION * 100.0 {
                    return Err(self.err_at(
                        t,
                        format!(
                            "the scene requires POV-Ray version {} or later; \
                             prender reads POV-Ray 3.7's language",
                            hundredths / 100.0
                        ),
                    ));
                }
                self.accept_raw(";")?;
                self.scene.version = v;
                self.scene.version_set = true;
                Ok(())
            }
            "default" => self.default_directive(),
            "debug" | "warning" => {
                let s = self.string_expr()?;
                let msg = if d == "warning" {
                    format!("{}: warning: {s}", self.loc_of(t))
                } else {
                    s
                };
                tracing::info!("{msg}");
                self.messages.push(msg);
                Ok(())
            }
            "error" => {
                let s = self.string_expr()?;
                Err(self.err_at(t, format!("#error: {s}")))
            }
            "fopen" => self.fopen_directive(),
            "fclose" => self.close_directive(),
            "read" => self.read_directive(),
            "write" => self.write_directive(),
            "render" | "statistics" => {
                self.string_expr()?;
                Ok(())
            }
            other => Err(self.err_at(t, format!("unknown or unsupported directive '#{other}'"))),
        }
    }

    /// An identifier read without macro expansion (for #declare, #undef, #ifdef...).
    pub(crate) fn raw_ident(&mut self, what: &str) -> Result<String> {
        let t = match self.take_pending() {
            Some(t) => Some(t),
            None => self.raw_next()?,
        };
        match t {
            Some(PTok {
                tok: Tok::Word(w), ..
            }) => Ok(w.into()),
            other => Err(self.expected(what, other.as_ref())),
        }
    }

    fn include(&mut self) -> Result<()> {
        let name = self.string_expr()?;
        let max = self.limits.include_depth;
        if self.frames.len() >= max {
            return Err(self.err(format!(
                "#include nested deeper than {max} files (recursive include?)"
            )));
        }
        let dir = self
            .frames
            .last()
            .and_then(|f| self.files.file(f.file))
            .map(|f| f.dir.clone());
        let (resolved, text) = self.find_include(&name, dir.as_deref())?;
        self.push_file(resolved, text, FrameKind::Include)
    }

    /// Resolves an include: scene folder, include paths, then the bundled library.
    fn find_include(&mut self, name: &str, dir: Option<&str>) -> Result<(String, Arc<str>)> {
        for c in candidates(name, dir, &self.opts.include_paths) {
            match self.loader.read(&c) {
                Ok(Some(text)) => {
                    let text: Arc<str> = text.into();
                    if !self.recorded.iter().any(|f| f.name == c) {
                        self.recorded.push(SourceFile {
                            name: c.clone(),
                            text: text.clone(),
                        });
                    }
                    return Ok((c, text));
                }
                Ok(None) => {}
                Err(e) => return Err(self.err(format!("cannot read include file '{c}': {e}"))),
            }
        }
        match bundled(name) {
            Some(text) => Ok((name.to_string(), text.into())),
            None => Err(self.err(format!(
                "cannot find include file '{name}' (searched the scene's folder, the \
                 include paths and the bundled library)"
            ))),
        }
    }

    /// Starts reading `text` (lexed as it is read).
    pub(crate) fn push_file(
        &mut self,
        name: String,
        text: Arc<str>,
        kind: FrameKind,
    ) -> Result<()> {
        let dir = super::loader::dir_of(&name);
        let file = self.files.add(name, dir, text);
        self.frames.push(Frame { file, pos: 0, kind });
        if kind == FrameKind::Include {
            self.scopes.push(Scope::default());
        }
        Ok(())
    }

    fn declare(&mut self, local: bool) -> Result<()> {
        let mut name = self.raw_ident("an identifier to declare")?;
        if name == "deprecated" {
            // POV-Ray 3.7: `#declare deprecated [once] "message" Name = ...`; the
            // warning is for scene authors, so it is accepted and dropped.
            if matches!(self.peek_raw()?, Some(Tok::Word(w)) if w == "once") {
                self.raw_next()?;
            }
            self.string_expr()?;
            name = self.raw_ident("an identifier to declare")?;
        }
        if super::keywords::is_reserved(&name) {
            return Err(self.err(format!("cannot declare '{name}': it is a reserved word")));
        }
        let indices = self.array_indices()?;
        self.expect("=")?;
        // Where the value goes is settled before it is read: reading it may run
        // past the `#end` of the macro the declaration is in (an object needs no
        // `;`, and `Q; #end` inside an #if), and by then the macro's scope is gone.
        let dest = self.destination(&name, local);
        let value = self.rvalue()?;
        self.accept_raw(";")?;
        match indices.is_empty() {
            false => self.set_array_element(&name, &indices, value),
            true => {
                self.assign(dest, &name, value);
                Ok(())
            }
        }
    }

    /// Where `#declare`/`#local name = ...` binds, as things stand now: a macro
    /// parameter passed by reference binds in the parameter and the caller's
    /// identifier (with `#local` too: in POV-Ray 3.7 the parameter *is* the
    /// caller's symbol); else `#local` in the innermost scope; `#declare` where the
    /// name already lives (a macro's parameter or local stays local, as in POV-Ray
    /// 3.7), else in the global scope.
    fn destination(&self, name: &str, local: bool) -> Destination {
        let innermost = self.scopes.len().saturating_sub(1);
        if let Some((scope, target)) = self.param_refs.last().and_then(|r| r.get(name)) {
            return Destination::Reference {
                param_scope: innermost,
                scope: *scope,
                target: target.clone(),
            };
        }
        if local {
            return Destination::Scope(innermost);
        }
        Destination::Scope(
            self.scopes
                .iter()
                .rposition(|s| s.contains_key(name))
                .unwrap_or(0),
        )
    }

    /// Binds `value` where [`Self::destination`] said; a scope that has closed in
    /// the meantime (the macro's own) is left alone.
    fn assign(&mut self, dest: Destination, name: &str, value: Value) {
        match dest {
            Destination::Scope(i) => {
                if let Some(s) = self.scopes.get_mut(i) {
                    s.insert(name.to_string(), value);
                }
            }
            Destination::Reference {
                param_scope,
                scope,
                target,
            } => {
                if param_scope + 1 == self.scopes.len() {
                    if let Some(s) = self.scopes.get_mut(param_scope) {
                        s.insert(name.to_string(), value.clone());
                    }
                }
                self.update_aliases(scope, &target, &value);
                if let Some(s) = self.scopes.get_mut(scope) {
                    s.insert(target, value);
                }
            }
        }
    }

    /// A parameter passed on from macro to macro is, in POV-Ray, the one
    /// identifier it refers to: every enclosing call's parameter bound to
    /// `target` in `scope` sees a new value at once. (A frame and its scope are
    /// pushed together, so a macro frame's index is its scope's.)
    fn update_aliases(&mut self, scope: usize, target: &str, value: &Value) {
        let macro_scopes = self
            .frames
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == FrameKind::Macro)
            .map(|(i, _)| i);
        let mut updates = Vec::new();
        for (refs, at) in self.param_refs.iter().zip(macro_scopes) {
            for (param, (s, t)) in refs {
                if *s == scope && t == target {
                    updates.push((at, param.clone()));
                }
            }
        }
        for (at, param) in updates {
            if let Some(s) = self.scopes.get_mut(at) {
                s.insert(param, value.clone());
            }
        }
    }

    /// Binds `name`: `#local` in the innermost scope; `#declare` where the name
    /// already lives (a macro's parameter or local stays local, as in POV-Ray 3.7),
    /// else in the global scope.
    pub(crate) fn bind(&mut self, name: &str, value: Value, local: bool) {
        let existing = if local {
            None
        } else {
            self.scopes.iter().rposition(|s| s.contains_key(name))
        };
        let scope = match (local, existing) {
            (true, _) => self.scopes.last_mut(),
            (false, Some(i)) => self.scopes.get_mut(i),
            (false, None) => self.scopes.first_mut(),
        };
        if let Some(s) = scope {
            s.insert(name.to_string(), value);
        }
    }

    fn open(&mut self, cond: Cond) {
        self.conds.push(OpenCond {
            cond,
            depth: self.frames.len(),
        });
    }

    /// After an #if-like test: run the branch, or skip to #else/#elseif/#end.
    fn branch(&mut self, take: bool) -> Result<()> {
        if take {
            self.open(Cond::If);
            return Ok(());
        }
        loop {
            let (d, t) = self.skip_until(&["else", "elseif", "end"])?;
            match d.as_str() {
                "else" => {
                    self.open(Cond::Else);
                    return Ok(());
                }
                "elseif" => {
                    if self.cond_expr()? != 0.0 {
                        self.open(Cond::If);
                        return Ok(());
                    }
                }
                "end" => return Ok(()),
                _ => return Err(self.err_at(&t, "internal: unexpected directive while skipping")),
            }
        }
    }

    fn else_directive(&mut self, t: &PTok) -> Result<()> {
        match self.conds.last().map(|c| &c.cond) {
            Some(Cond::If) => {
                self.conds.pop();
                self.skip_to_end(0)
            }
            // Inside a switch, #else after an executed case falls through like C.
            Some(Cond::Switch) => Ok(()),
            _ => Err(self.err_at(t, "#else without a matching #if or #switch")),
        }
    }

    fn end_directive(&mut self, t: &PTok) -> Result<()> {
        let Some(open) = self.conds.pop() else {
            return Err(self.err_at(
                t,
                "#end without a matching #if, #while, #for, #switch or #macro",
            ));
        };
        if open.depth != self.frames.len() && !matches!(open.cond, Cond::Macro) {
            return Err(self.err_at(t, "#end closes a block opened in another file"));
        }
        match open.cond {
            Cond::If | Cond::Else | Cond::Switch => Ok(()),
            Cond::While { pos } => {
                self.jump(pos);
                self.while_directive_again(open.depth)
            }
            Cond::For {
                var,
                end,
                step,
                pos,
            } => {
                let i = match self.lookup(&var) {
                    Some(Value::Num(n)) if n.is_float() => n.c[0],
                    _ => {
                        return Err(
                            self.err_at(t, format!("#for variable '{var}' is no longer a float"))
                        )
                    }
                };
                let next = i + step;
                if (step > 0.0 && next <= end) || (step < 0.0 && next >= end) {
                    self.count_iteration()?;
                    self.bind(&var, Value::Num(Num::float(next)), true);
                    self.jump(pos);
                    self.open(Cond::For {
                        var,
                        end,
                        step,
                        pos,
                    });
                }
                Ok(())
            }
            Cond::Macro => {
                self.frames.pop();
                self.closed_macro_scope = self.scopes.pop();
                self.param_refs.pop();
                Ok(())
            }
        }
    }

    fn jump(&mut self, pos: usize) {
        if let Some(f) = self.frames.last_mut() {
            f.pos = pos;
        }
    }

    fn position(&self) -> usize {
        self.frames.last().map_or(0, |f| f.pos)
    }

    fn count_iteration(&mut self) -> Result<()> {
        self.loop_iterations += 1;
        let max = self.limits.loop_iterations;
        if self.loop_iterations > max {
            return Err(self.err(format!(
                "more than {max} loop iterations: endless #while or #for?"
            )));
        }
        Ok(())
    }

    fn while_directive(&mut self, _iteration: u64) -> Result<()> {
        let pos = self.position();
        if self.cond_expr()? != 0.0 {
            self.open(Cond::While { pos });
            Ok(())
        } else {
            self.skip_to_end(0)
        }
    }

    fn while_directive_again(&mut self, _depth: usize) -> Result<()> {
        self.count_iteration()?;
        self.while_directive(0)
    }

    fn for_directive(&mut self) -> Result<()> {
        self.expect("(")?;
        let var = self.raw_ident("the #for loop variable")?;
        self.comma()?;
        let start = self.full_float()?;
        self.comma()?;
        let end = self.full_float()?;
        let step = if self.accept(",")? {
            self.full_float()?
        } else {
            1.0
        };
        self.expect(")")?;
        if step == 0.0 {
            return Err(self.err("#for step must not be zero"));
        }
        let runs = (step > 0.0 && start <= end) || (step < 0.0 && start >= end);
        if !runs {
            return self.skip_to_end(0);
        }
        self.bind(&var, Value::Num(Num::float(start)), true);
        let pos = self.position();
        self.open(Cond::For {
            var,
            end,
            step,
            pos,
        });
        Ok(())
    }

    fn switch_directive(&mut self) -> Result<()> {
        let v = self.cond_expr()?;
        loop {
            let (d, t) = self.skip_until(&["case", "range", "else", "end"])?;
            let hit = match d.as_str() {
                "case" => (self.cond_expr()? - v).abs() < 1e-10,
                "range" => {
                    self.expect("(")?;
                    let lo = self.full_float()?;
                    self.comma()?;
                    let hi = self.full_float()?;
                    self.expect(")")?;
                    lo <= v && v <= hi
                }
                "else" => true,
                "end" => return Ok(()),
                _ => return Err(self.err_at(&t, "internal: unexpected directive in #switch")),
            };
            if hit {
                self.open(Cond::Switch);
                return Ok(());
            }
        }
    }

    /// A #case or #range met while running a case: no #break, so fall through.
    fn case_in_switch(&mut self, d: &str, t: &PTok) -> Result<()> {
        if !matches!(self.conds.last().map(|c| &c.cond), Some(Cond::Switch)) {
            return Err(self.err_at(t, format!("#{d} outside #switch")));
        }
        if d == "case" {
            self.cond_expr()?;
        } else {
            self.expect("(")?;
            self.full_float()?;
            self.comma()?;
            self.full_float()?;
            self.expect(")")?;
        }
        Ok(())
    }

    /// `#break` leaves the innermost #switch, #while or #for.
    fn break_directive(&mut self, t: &PTok) -> Result<()> {
        let target = self.conds.iter().rposition(|c| {
            matches!(
                c.cond,
                Cond::Switch | Cond::While { .. } | Cond::For { .. } | Cond::Macro
            )
        });
        let Some(i) = target.filter(|&i| !matches!(self.conds[i].cond, Cond::Macro)) else {
            return Err(self.err_at(t, "#break outside #switch, #while or #for"));
        };
        if self.conds[i].depth != self.frames.len() {
            return Err(self.err_at(t, "#break in another file than its loop"));
        }
        let levels = self.conds.len() - i - 1;
        self.conds.truncate(i);
        self.skip_to_end(levels)
    }

    /// Skips tokens until the `#end` closing `levels + 1` open blocks.
    pub(crate) fn skip_to_end(&mut self, levels: usize) -> Result<()> {
        let mut remaining = levels;
        loop {
            self.skip_until(&["end"])?;
            if remaining == 0 {
                return Ok(());
            }
            remaining -= 1;
        }
    }

    /// Skips raw tokens (no evaluation) until one of `stops` at nesting level 0;
    /// returns it. Stays inside the current file. Only directives are looked at,
    /// and only the stop is copied out: skipping a long loop body costs no more
    /// than walking its tokens.
    fn skip_until(&mut self, stops: &[&str]) -> Result<(String, PTok)> {
        let start = self.here();
        let mut depth = 0usize;
        let Some(frame) = self.frames.last_mut() else {
            return Err(missing_end(start, stops));
        };
        while let Some(t) = self.files.token(frame.file, frame.pos)? {
            frame.pos += 1;
            let Tok::Directive(d) = &t.tok else { continue };
            if depth == 0 && stops.contains(&d.as_str()) {
                let found = PTok {
                    tok: t.tok.clone(),
                    file: frame.file,
                    line: t.line,
                    column: t.column,
                };
                return Ok((d.to_string(), found));
            }
            if OPENERS.contains(&d.as_str()) {
                depth += 1;
            } else if *d == "end" {
                depth = depth.saturating_sub(1);
            }
        }
        Err(missing_end(start, stops))
    }

    fn macro_definition(&mut self) -> Result<()> {
        let name = self.raw_ident("a macro name")?;
        self.expect("(")?;
        // Parameter names are read raw: one may be the name of an existing macro.
        let mut params = Vec::new();
        loop {
            let t = match self.take_pending() {
                Some(t) => Some(t),
                None => self.raw_next()?,
            };
            match t.as_ref().map(|t| &t.tok) {
                Some(Tok::Punct(")")) => break,
                // Commas are optional and may trail, as POV-Ray accepts.
                Some(Tok::Punct(",")) if !params.is_empty() => {}
                Some(Tok::Word(w)) => params.push(w.to_string()),
                _ => return Err(self.expected("a macro parameter name or ')'", t.as_ref())),
            }
        }
        let (file, pos) = self
            .frames
            .last()
            .map(|f| (f.file, f.pos))
            .unwrap_or_default();
        let def = MacroDef {
            name: name.clone(),
            params,
            file,
            pos,
        };
        self.skip_to_end(0)?;
        self.bind(&name, Value::Macro(Rc::new(def)), false);
        Ok(())
    }

    /// Calls a macro: binds its arguments in a new scope and reads its body.
    pub(crate) fn invoke_macro(&mut self, m: &MacroDef, t: &PTok) -> Result<()> {
        let depth = self
            .frames
            .iter()
            .filter(|f| f.kind == FrameKind::Macro)
            .count();
        let max = self.limits.macro_depth;
        if depth >= max {
            return Err(self.err_at(
                t,
                format!(
                    "macro '{}' nested deeper than {max} calls (endless recursion?)",
                    m.name
                ),
            ));
        }
        self.expect("(")?;
        let mut scope = Scope::default();
        let mut refs = HashMap::new();
        for (i, p) in m.params.iter().enumerate() {
            if i > 0 {
                // POV-Ray reads the commas between arguments as optional.
                self.comma()?;
            }
            if let Some(target) = self.bare_identifier_argument()? {
                refs.insert(p.clone(), target);
            }
            let v = self.holding_directives(|p| p.rvalue())?;
            scope.insert(p.clone(), v);
        }
        if !self.accept(")")? {
            let found = self.next()?;
            return Err(self.expected(
                &format!(
                    "')' closing the {} arguments of macro '{}'",
                    m.params.len(),
                    m.name
                ),
                found.as_ref(),
            ));
        }
        self.frames.push(Frame {
            file: m.file,
            pos: m.pos,
            kind: FrameKind::Macro,
        });
        self.scopes.push(scope);
        self.param_refs.push(refs);
        self.open(Cond::Macro);
        Ok(())
    }

    /// If the next macro argument is a lone declared identifier, where it lives:
    /// POV-Ray passes such arguments by reference.
    fn bare_identifier_argument(&mut self) -> Result<Option<(usize, String)>> {
        let Some(t) = self.next()? else {
            return Ok(None);
        };
        let target = match &t.tok {
            Tok::Word(w) if !super::keywords::is_reserved(w) => {
                let lone = matches!(
                    self.peek_raw()?,
                    Some(Tok::Punct(",")) | Some(Tok::Punct(")"))
                );
                let here = self.scopes.iter().rposition(|s| s.contains_key(w.as_str()));
                match (lone, here) {
                    // A parameter passed on again refers to what it refers to.
                    (true, Some(i)) => Some(
                        self.param_refs
                            .last()
                            .filter(|_| i + 1 == self.scopes.len())
                            .and_then(|r| r.get(w.as_str()).cloned())
                            .unwrap_or((i, w.to_string())),
                    ),
                    _ => None,
                }
            }
            _ => None,
        };
        self.unget(t);
        Ok(target)
    }

    pub(crate) fn default_directive(&mut self) -> Result<()> {
        self.expect("{")?;
        loop {
            let t = self.need("'}'")?;
            match &t.tok {
                Tok::Punct("}") => return Ok(()),
                Tok::Word(w) if w == "texture" => {
                    let tex = self.texture_block()?;
                    if let crate::desc::Texture::Plain(l) = tex {
                        self.default_layer = l;
                    }
                }
                Tok::Word(w) if w == "pigment" => {
                    self.default_layer.pigment = self.pigment_block()?
                }
                Tok::Word(w) if w == "finish" => self.default_layer.finish = self.finish_block()?,
                Tok::Word(w) if w == "normal" => {
                    self.default_layer.normal = Some(self.normal_block()?)
                }
                Tok::Word(w) if w == "radiosity" => {
                    let mut importance = None;
                    self.object_radiosity(&mut importance)?;
                    if let Some(i) = importance {
                        self.scene.global.radiosity_importance = i;
                    }
                }
                _ => {
                    return Err(self.expected(
                        "texture, pigment, finish, normal, radiosity or '}'",
                        Some(&t),
                    ))
                }
            }
        }
    }
}

/// The error for a block whose `#end` (or other closing directive) never comes.
fn missing_end(start: super::error::Location, stops: &[&str]) -> super::error::SdlError {
    super::error::SdlError::at(
        start,
        format!(
            "missing #end: the file ends while looking for #{}",
            stops.join(" or #")
        ),
    )
}

/// Where a declaration binds its value (see [`Parser::destination`]).
enum Destination {
    /// The scope with this index.
    Scope(usize),
    /// A macro parameter passed by reference: the parameter (in the macro's
    /// scope) and the caller's identifier it refers to.
    Reference {
        param_scope: usize,
        scope: usize,
        target: String,
    },
}
