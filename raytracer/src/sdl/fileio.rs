//! User files: `#fopen Id "name" read|write|append`, `#read (Id, Var, ...)`,
//! `#write (Id, item, ...)` and `#fclose Id`.
//!
//! POV-Ray's default I/O restrictions apply: a scene reads only files below its
//! own folder or an include path (found as includes are), and writes only files
//! below the working folder (relative names without `..`). Anything else is an
//! error at the directive, never a silent access.
//!
//! Reads go through the parse's [`super::Loader`] and are recorded like includes,
//! so a distributed slave parses the same data. Written text is kept in memory
//! until `#fclose` (or the end of the parse) and then handed to
//! [`super::Loader::write`]: the file system writes it on the master, a slave's
//! loader drops it. A file written and read back in one parse is served from that
//! memory, so master and slaves read the same text.

use super::error::Result;
use super::lexer::{tokenize, Tok, Token};
use super::loader::candidates;
use super::parser::{PTok, Parser};
use super::value::{Num, Value};
use super::SourceFile;
use std::collections::HashMap;
use std::path::{Component, Path};

/// Longest text one user file may collect (bounds memory).
const MAX_WRITTEN: usize = 16 << 20;

/// An open user file.
#[derive(Debug)]
enum UserFile {
    /// Open for `#read`: its tokens and the next one to read.
    Read { tokens: Vec<Token>, pos: usize },
    /// Open for `#write`/append: the text so far.
    Write { name: String, text: String },
}

/// The user files of one parse.
#[derive(Debug, Default)]
pub(crate) struct UserFiles {
    /// By handle (the number a file identifier holds); closed ones are None.
    open: Vec<Option<UserFile>>,
    /// Every file written in this parse, by name: what a later read sees.
    written: HashMap<String, String>,
}

/// What `#fopen` was asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Read,
    Write,
    Append,
}

impl Parser<'_> {
    /// `#fopen Id "name" mode` (directive name read).
    pub(crate) fn fopen_directive(&mut self) -> Result<()> {
        let id = self.raw_ident("a file identifier after #fopen")?;
        let name = self.string_expr()?;
        let t = self.need("read, write or append")?;
        let mode = match &t.tok {
            Tok::Word(w) if w == "read" => Mode::Read,
            Tok::Word(w) if w == "write" => Mode::Write,
            Tok::Word(w) if w == "append" => Mode::Append,
            _ => return Err(self.expected("read, write or append", Some(&t))),
        };
        let file = match mode {
            Mode::Read => self.open_for_reading(&name, &t)?,
            Mode::Write | Mode::Append => {
                check_write_name(&name).map_err(|e| self.err_at(&t, e))?;
                let text = match mode {
                    Mode::Append => self.existing_text(&name, &t)?.unwrap_or_default(),
                    Mode::Read | Mode::Write => String::new(),
                };
                UserFile::Write { name, text }
            }
        };
        self.user_files.open.push(Some(file));
        let handle = (self.user_files.open.len() - 1) as f64;
        self.bind(&id, Value::File(handle), false);
        Ok(())
    }

    /// The text of a file to read: written earlier in this parse, or found as an
    /// include is (and recorded, so slaves receive it).
    fn existing_text(&mut self, name: &str, t: &PTok) -> Result<Option<String>> {
        if let Some(text) = self.user_files.written.get(name) {
            return Ok(Some(text.clone()));
        }
        check_read_name(name, &self.opts.include_paths, self.scene_dir())
            .map_err(|e| self.err_at(t, e))?;
        let dir = self.scene_dir().map(str::to_string);
        for c in candidates(name, dir.as_deref(), &self.opts.include_paths) {
            match self.loader.read(&c) {
                Ok(Some(text)) => {
                    if !self.recorded.iter().any(|f| f.name == c) {
                        self.recorded.push(SourceFile {
                            name: c,
                            text: text.as_str().into(),
                        });
                    }
                    return Ok(Some(text));
                }
                Ok(None) => {}
                Err(e) => return Err(self.err_at(t, format!("cannot read user file '{c}': {e}"))),
            }
        }
        Ok(None)
    }

    /// The bytes of binary file `name` read as `#fopen ... read` reads it: the
    /// working folder first (where scenes write), then the scene's folder and
    /// the include paths; recorded, so a distributed slave reads the same
    /// bytes. `what` names the file in errors.
    pub(crate) fn read_user_bytes(&mut self, name: &str, what: &str) -> Result<Vec<u8>> {
        check_read_name(name, &self.opts.include_paths, self.scene_dir())
            .map_err(|e| self.err(e))?;
        let dir = self.scene_dir().map(str::to_string);
        let mut tried = vec![name.to_string()];
        for c in candidates(name, dir.as_deref(), &self.opts.include_paths) {
            if !tried.contains(&c) {
                tried.push(c);
            }
        }
        self.read_first_found(tried, name, what)
    }

    /// `file_exists(name)`: found where `#fopen ... read` would find it. A file
    /// found is recorded, so a distributed slave gives the same answer.
    pub(crate) fn user_file_exists(&mut self, name: &str, t: &PTok) -> bool {
        matches!(self.existing_text(name, t), Ok(Some(_)))
    }

    fn open_for_reading(&mut self, name: &str, t: &PTok) -> Result<UserFile> {
        let Some(text) = self.existing_text(name, t)? else {
            return Err(self.err_at(t, format!("cannot open user file '{name}' (read)")));
        };
        let tokens = tokenize(name, &text)?;
        Ok(UserFile::Read { tokens, pos: 0 })
    }

    /// The folder of the scene file (where relative reads start).
    fn scene_dir(&self) -> Option<&str> {
        self.files.first().map(|f| f.dir.as_str())
    }

    /// `#fclose Id`: a written file is handed to the loader.
    pub(crate) fn close_directive(&mut self) -> Result<()> {
        let id = self.raw_ident("a file identifier after #fclose")?;
        // POV-Ray ignores #fclose of something that is not an open file.
        let Some(Value::File(h)) = self.lookup(&id).cloned() else {
            return Ok(());
        };
        self.undefine(&id);
        self.finish_file(h)
    }

    fn finish_file(&mut self, handle: f64) -> Result<()> {
        let file = self
            .user_files
            .open
            .get_mut(handle as usize)
            .and_then(Option::take);
        if let Some(UserFile::Write { name, text }) = file {
            if let Err(e) = self.loader.write(&name, &text) {
                return Err(self.err(format!("cannot write user file '{name}': {e}")));
            }
            self.user_files.written.insert(name, text);
        }
        Ok(())
    }

    /// Writes out files the scene left open (POV-Ray closes them at the end).
    pub(crate) fn close_user_files(&mut self) -> Result<()> {
        for h in 0..self.user_files.open.len() {
            self.finish_file(h as f64)?;
        }
        Ok(())
    }

    /// The open file an identifier names, and its handle.
    fn user_file(&mut self, what: &str) -> Result<usize> {
        let t = self.need(what)?;
        let handle = match &t.tok {
            Tok::Word(w) => match self.lookup(w) {
                Some(Value::File(h)) => Some(*h as usize),
                _ => None,
            },
            _ => None,
        };
        match handle.filter(|&h| matches!(self.user_files.open.get(h), Some(Some(_)))) {
            Some(h) => Ok(h),
            None => Err(self.expected("an open file identifier", Some(&t))),
        }
    }

    /// `#write (Id, item, item, ...)`: strings as they are, numbers as C's `%g`,
    /// vectors as `<%g,%g,%g> `, as POV-Ray writes them.
    pub(crate) fn write_directive(&mut self) -> Result<()> {
        self.expect("(")?;
        let h = self.user_file("a file identifier")?;
        let mut out = String::new();
        loop {
            self.comma()?;
            if self.accept(")")? {
                break;
            }
            if self.at_string()? {
                out.push_str(&self.string_expr()?);
            } else {
                out.push_str(&format_written(&self.expr()?));
            }
        }
        let Some(Some(UserFile::Write { text, .. })) = self.user_files.open.get_mut(h) else {
            return Err(self.err("cannot #write to a file opened for reading"));
        };
        if text.len() + out.len() > MAX_WRITTEN {
            return Err(self.err(format!("user file longer than {MAX_WRITTEN} bytes")));
        }
        text.push_str(&out);
        Ok(())
    }

    /// Whether the next term is a string (a literal, a string identifier or a
    /// string function): `#write` prints it as text, and an expression compares it
    /// as POV-Ray 3.7 compares strings.
    pub(super) fn at_string(&mut self) -> Result<bool> {
        Ok(match self.peek()? {
            Some(Tok::Str(_)) => true,
            Some(Tok::Word(w)) => {
                super::functions::is_string_function(&w)
                    || matches!(self.lookup(&w), Some(Value::Str(_)))
            }
            _ => false,
        })
    }

    /// `#read (Id, Var, Var, ...)`: each variable gets the next float, vector or
    /// string of the file. At the end of the file the remaining variables are left
    /// alone and the file identifier becomes undefined, as in POV-Ray.
    pub(crate) fn read_directive(&mut self) -> Result<()> {
        self.expect("(")?;
        let t = self.need("a file identifier")?;
        self.unget(t.clone());
        let h = self.user_file("a file identifier")?;
        let mut at_end = false;
        loop {
            self.comma()?;
            if self.accept_raw(")")? {
                break;
            }
            let var = self.raw_ident("a variable to read into")?;
            if at_end {
                continue;
            }
            match self.read_value(h)? {
                Some(v) => self.bind(&var, v, false),
                None => at_end = true,
            }
        }
        if at_end {
            if let Tok::Word(w) = &t.tok {
                let w = w.clone();
                self.undefine(&w);
            }
            self.user_files.open[h] = None;
        }
        Ok(())
    }

    /// The next data item of read file `h`, None at its end.
    fn read_value(&mut self, h: usize) -> Result<Option<Value>> {
        let Some(Some(UserFile::Read { tokens, pos })) = self.user_files.open.get_mut(h) else {
            return Err(self.err("cannot #read from a file opened for writing"));
        };
        let r = next_item(tokens, pos);
        r.map_err(|e| self.err(e))
    }

    /// Removes the innermost binding of `name`.
    fn undefine(&mut self, name: &str) {
        for s in self.scopes.iter_mut().rev() {
            if s.remove(name).is_some() {
                break;
            }
        }
    }
}

/// Reads one item (`-1.5`, `<1,2,3>`, `"text"`) at `*pos`, skipping commas.
fn next_item(tokens: &[Token], pos: &mut usize) -> std::result::Result<Option<Value>, String> {
    let mut next = || {
        let t = tokens.get(*pos).map(|t| (t.tok.clone(), t.line));
        *pos += 1;
        t
    };
    let mut tok = next();
    while matches!(tok, Some((Tok::Punct(","), _))) {
        tok = next();
    }
    let Some((tok, line)) = tok else {
        return Ok(None);
    };
    let bad = |what: &Tok| {
        format!(
            "line {line} of the data file: expected a float, vector or string but found {}",
            what.describe()
        )
    };
    match tok {
        Tok::Str(s) => Ok(Some(Value::Str(s))),
        Tok::Number(_) | Tok::Punct("-") | Tok::Punct("+") => {
            *pos -= 1;
            signed_number(tokens, pos)
                .map(|f| Some(Value::Num(Num::float(f))))
                .ok_or_else(|| bad(&tok))
        }
        Tok::Punct("<") => {
            let mut c = [0.0; 5];
            let mut n = 0;
            loop {
                match tokens.get(*pos).map(|t| &t.tok) {
                    Some(Tok::Punct(">")) => {
                        *pos += 1;
                        break;
                    }
                    Some(Tok::Punct(",")) => *pos += 1,
                    Some(_) if n < 5 => {
                        let Some(f) = signed_number(tokens, pos) else {
                            return Err(bad(&tokens[*pos].tok));
                        };
                        c[n] = f;
                        n += 1;
                    }
                    Some(t) => return Err(bad(t)),
                    None => return Err(format!("line {line} of the data file: vector not closed")),
                }
            }
            if n < 2 {
                return Err(format!(
                    "line {line} of the data file: a vector needs 2 components"
                ));
            }
            Ok(Some(Value::Num(Num { c, n })))
        }
        other => Err(bad(&other)),
    }
}

/// `[+|-] number` at `*pos`.
fn signed_number(tokens: &[Token], pos: &mut usize) -> Option<f64> {
    let mut sign = 1.0;
    loop {
        match tokens.get(*pos).map(|t| &t.tok)? {
            Tok::Punct("-") => sign = -sign,
            Tok::Punct("+") => {}
            Tok::Number(f) => {
                *pos += 1;
                return Some(sign * f);
            }
            _ => return None,
        }
        *pos += 1;
    }
}

/// A number as `#write` prints it.
fn format_written(n: &Num) -> String {
    if n.is_float() {
        return format_g(n.c[0]);
    }
    let parts: Vec<String> = n.c[..n.n].iter().map(|&v| format_g(v)).collect();
    format!("<{}> ", parts.join(","))
}

/// C's `printf("%g")`: 6 significant digits, exponent form below 1e-4 or from
/// 1e6, trailing zeros dropped.
pub(crate) fn format_g(v: f64) -> String {
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    if !v.is_finite() {
        return if v.is_nan() {
            "nan"
        } else if v > 0.0 {
            "inf"
        } else {
            "-inf"
        }
        .to_string();
    }
    let e = format!("{v:.5e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..6).contains(&exp) {
        let places = (5 - exp).max(0) as usize;
        trim_zeros(&format!("{v:.places$}"))
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_zeros(mantissa), exp.abs())
    }
}

fn trim_zeros(s: &str) -> String {
    if !s.contains('.') {
        return s.to_string();
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A name `#fopen` may write: relative, staying below the working folder.
pub(super) fn check_write_name(name: &str) -> std::result::Result<(), String> {
    let p = Path::new(name);
    let escapes = p
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if name.is_empty() || escapes {
        return Err(format!(
            "refusing to write '{name}': POV-Ray's I/O restrictions allow writing only \
             below the working folder (use a relative name without '..')"
        ));
    }
    Ok(())
}

/// A name `#fopen` may read: relative without `..` (searched from the scene's
/// folder and the include paths), or absolute below one of those folders.
fn check_read_name(
    name: &str,
    include_paths: &[String],
    scene_dir: Option<&str>,
) -> std::result::Result<(), String> {
    let p = Path::new(name);
    let up = p.components().any(|c| matches!(c, Component::ParentDir));
    let allowed = if p.is_absolute() {
        !up && include_paths
            .iter()
            .map(String::as_str)
            .chain(scene_dir)
            .any(|d| !d.is_empty() && p.starts_with(d))
    } else {
        !up
    };
    if allowed {
        return Ok(());
    }
    Err(format!(
        "refusing to read '{name}': POV-Ray's I/O restrictions allow reading only below \
         the scene's folder and the include paths"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdl::lexer::tokenize;

    #[test]
    fn g_format_matches_c() {
        assert_eq!(format_g(5.0), "5");
        assert_eq!(format_g(0.1), "0.1");
        assert_eq!(format_g(1.0 / 3.0), "0.333333");
        assert_eq!(format_g(123456.0), "123456");
        assert_eq!(format_g(1234567.0), "1.23457e+06");
        assert_eq!(format_g(0.00001), "1e-05");
        assert_eq!(format_g(-2.5), "-2.5");
        assert_eq!(format_g(0.0001), "0.0001");
    }

    #[test]
    fn data_items_read_in_order() {
        let t = tokenize("d", "\"Testing 123\",5,<1,-2,3>, -4").unwrap();
        let mut pos = 0;
        let mut all = Vec::new();
        while let Some(v) = next_item(&t, &mut pos).unwrap() {
            all.push(v);
        }
        assert_eq!(all[0], Value::Str("Testing 123".into()));
        assert_eq!(all[1], Value::Num(Num::float(5.0)));
        assert_eq!(
            all[2],
            Value::Num(Num::vec3(glam::DVec3::new(1.0, -2.0, 3.0)))
        );
        assert_eq!(all[3], Value::Num(Num::float(-4.0)));
        let bad = tokenize("d", "sphere").unwrap();
        assert!(next_item(&bad, &mut 0).is_err());
    }

    #[test]
    fn io_restrictions() {
        assert!(check_write_name("out.txt").is_ok());
        assert!(check_write_name("sub/out.txt").is_ok());
        assert!(check_write_name("../out.txt").is_err());
        assert!(check_write_name("/tmp/out.txt").is_err());
        assert!(check_read_name("data.txt", &[], Some("scenes")).is_ok());
        assert!(check_read_name("../secret", &[], Some("scenes")).is_err());
        assert!(check_read_name("/etc/passwd", &["/lib/pov".into()], Some("/s")).is_err());
        assert!(check_read_name("/lib/pov/x.txt", &["/lib/pov".into()], Some("/s")).is_ok());
    }
}
