//! Turns one file's text into tokens, from any token's start on ([`lex_some`], so
//! the parser can lex a file as it reads it). Comments (`//`, nested `/* */`) vanish here;
//! words are not classified (keyword, identifier, directive name): the parser does
//! that, since the meaning of a word depends on what is declared when it is read.

use super::error::{Location, Result, SdlError};
pub use super::symbols::Word;

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A number literal.
    Number(f64),
    /// A string literal, escapes resolved.
    Str(String),
    /// A keyword or identifier.
    Word(Word),
    /// `#word`: a directive. A `#` followed by no name has an empty one (POV-Ray
    /// reads past it; the parser warns).
    Directive(Word),
    /// Punctuation or an operator: `{ } ( ) [ ] < > , ; + - * / = ! ? : . & |`,
    /// or `<=`, `>=`, `!=`.
    Punct(&'static str),
}

impl Tok {
    /// How the token is shown in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Number(n) => format!("'{n}'"),
            Tok::Str(s) => format!("string \"{s}\""),
            Tok::Word(w) => format!("'{w}'"),
            Tok::Directive(d) => format!("'#{d}'"),
            Tok::Punct(p) => format!("'{p}'"),
        }
    }
}

/// A token and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

const PUNCT2: [&str; 3] = ["<=", ">=", "!="];
const PUNCT1: [&str; 21] = [
    "{", "}", "(", ")", "[", "]", "<", ">", ",", ";", "+", "-", "*", "/", "=", "!", "?", ":", ".",
    "&", "|",
];

/// Where lexing stands in a file: a byte offset (on a char boundary) and the
/// line and column there. Lexing may stop at any token and resume from one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LexPoint {
    /// Byte offset into the text.
    pub pos: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in chars.
    pub column: u32,
}

impl LexPoint {
    /// The start of a file.
    pub const START: LexPoint = LexPoint {
        pos: 0,
        line: 1,
        column: 1,
    };
}

struct Cursor<'a> {
    /// The whole file; `pos` is a byte offset into it, always on a char boundary.
    text: &'a str,
    pos: usize,
    line: u32,
    column: u32,
    file: &'a str,
}

impl Cursor<'_> {
    /// The char at byte offset `at` (a char boundary), if any.
    #[inline]
    fn char_at(&self, at: usize) -> Option<char> {
        match self.text.as_bytes().get(at) {
            Some(&b) if b < 0x80 => Some(char::from(b)),
            Some(_) => self.text[at..].chars().next(),
            None => None,
        }
    }

    /// The char under the cursor.
    #[inline]
    fn peek0(&self) -> Option<char> {
        self.char_at(self.pos)
    }

    /// The char after the one under the cursor.
    #[inline]
    fn peek1(&self) -> Option<char> {
        let c = self.peek0()?;
        self.char_at(self.pos + c.len_utf8())
    }

    /// The `ahead`-th char from the cursor.
    fn peek(&self, ahead: usize) -> Option<char> {
        match ahead {
            0 => self.peek0(),
            1 => self.peek1(),
            _ => self.text[self.pos..].chars().nth(ahead),
        }
    }

    #[inline]
    fn bump(&mut self) -> Option<char> {
        let c = self.peek0()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    /// Moves past ASCII bytes satisfying `keep` (none of them a line end).
    #[inline]
    fn skip_ascii(&mut self, keep: impl Fn(u8) -> bool) {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut end = start;
        while end < bytes.len() && keep(bytes[end]) {
            end += 1;
        }
        self.pos = end;
        self.column += (end - start) as u32;
    }

    fn error(&self, line: u32, column: u32, message: impl Into<String>) -> SdlError {
        SdlError::at(
            Location {
                file: self.file.to_string(),
                line,
                column,
            },
            message,
        )
    }

    /// Skips blanks and comments; errors on an unterminated block comment.
    fn skip_space(&mut self) -> Result<()> {
        loop {
            match self.peek0() {
                Some(' ' | '\t' | '\r') => self.skip_ascii(|b| matches!(b, b' ' | b'\t' | b'\r')),
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('/') => match self.peek1() {
                    Some('/') => {
                        while let Some(c) = self.bump() {
                            if c == '\n' {
                                break;
                            }
                        }
                    }
                    Some('*') => self.block_comment()?,
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            }
        }
    }

    /// POV-Ray block comments nest.
    fn block_comment(&mut self) -> Result<()> {
        let (line, column) = (self.line, self.column);
        let mut depth = 0usize;
        loop {
            match (self.peek0(), self.peek1()) {
                (Some('/'), Some('*')) => {
                    self.bump();
                    self.bump();
                    depth += 1;
                }
                (Some('*'), Some('/')) => {
                    self.bump();
                    self.bump();
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                (Some(_), _) => {
                    self.bump();
                }
                (None, _) => return Err(self.error(line, column, "unterminated comment")),
            }
        }
    }

    fn number(&mut self, line: u32, column: u32) -> Result<Tok> {
        let start = self.pos;
        self.skip_ascii(|b| b.is_ascii_digit());
        if self.peek0() == Some('.') {
            self.bump();
            self.skip_ascii(|b| b.is_ascii_digit());
        }
        if matches!(self.peek0(), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek(1), Some('+' | '-')));
            if self.peek(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                for _ in 0..=sign {
                    self.bump();
                }
                self.skip_ascii(|b| b.is_ascii_digit());
            }
        }
        let text = &self.text[start..self.pos];
        text.parse::<f64>()
            .map(Tok::Number)
            .map_err(|_| self.error(line, column, format!("malformed number '{text}'")))
    }

    fn string(&mut self, line: u32, column: u32) -> Result<Tok> {
        self.bump();
        let mut s = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error(line, column, "unterminated string")),
                Some('"') => return Ok(Tok::Str(s)),
                Some('\\') => match self.bump() {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some('r') => s.push('\r'),
                    Some('a') => s.push('\u{7}'),
                    Some('b') => s.push('\u{8}'),
                    Some('f') => s.push('\u{c}'),
                    Some('v') => s.push('\u{b}'),
                    Some('0') => s.push('\0'),
                    Some(c) => s.push(c),
                    None => return Err(self.error(line, column, "unterminated string")),
                },
                Some(c) => s.push(c),
            }
        }
    }

    fn word(&mut self) -> &str {
        let start = self.pos;
        self.skip_ascii(|b| b.is_ascii_alphanumeric() || b == b'_');
        &self.text[start..self.pos]
    }

    fn punct(&mut self, line: u32, column: u32) -> Result<Tok> {
        let (a, b) = (self.peek0(), self.peek1());
        if let (Some(a), Some(b)) = (a, b) {
            if let Some(p) = PUNCT2.iter().find(|p| p.starts_with(a) && p.ends_with(b)) {
                self.bump();
                self.bump();
                return Ok(Tok::Punct(p));
            }
        }
        let c = a.unwrap_or(' ');
        match PUNCT1.iter().find(|p| p.starts_with(c)) {
            Some(p) => {
                self.bump();
                Ok(Tok::Punct(p))
            }
            None => Err(self.error(line, column, format!("unexpected character '{c}'"))),
        }
    }

    fn next(&mut self) -> Result<Option<Token>> {
        self.skip_space()?;
        let (line, column) = (self.line, self.column);
        let Some(c) = self.peek0() else {
            return Ok(None);
        };
        let tok = if c.is_ascii_digit()
            || (c == '.' && self.peek1().is_some_and(|d| d.is_ascii_digit()))
        {
            self.number(line, column)?
        } else if c == '"' {
            self.string(line, column)?
        } else if c.is_ascii_alphabetic() || c == '_' {
            Tok::Word(Word::new(self.word()))
        } else if c == '#' {
            self.bump();
            self.skip_ascii(|b| b == b' ' || b == b'\t');
            Tok::Directive(Word::new(self.word()))
        } else {
            self.punct(line, column)?
        };
        Ok(Some(Token { tok, line, column }))
    }
}

/// Lexes up to `max` tokens of `text` from `at`, appending them to `out`, and
/// returns where the next token would start, or `None` once the text has ended.
/// On a lexing error the tokens before it are in `out`. `file` names the text in
/// error messages.
pub fn lex_some(
    file: &str,
    text: &str,
    at: LexPoint,
    max: usize,
    out: &mut Vec<Token>,
) -> Result<Option<LexPoint>> {
    let mut cursor = Cursor {
        text,
        pos: at.pos,
        line: at.line,
        column: at.column,
        file,
    };
    for _ in 0..max {
        match cursor.next()? {
            Some(t) => out.push(t),
            None => return Ok(None),
        }
    }
    Ok(Some(LexPoint {
        pos: cursor.pos,
        line: cursor.line,
        column: cursor.column,
    }))
}

/// Tokenizes a whole file. `file` names it in error messages.
pub fn tokenize(file: &str, text: &str) -> Result<Vec<Token>> {
    let mut out = Vec::new();
    lex_some(file, text, LexPoint::START, usize::MAX, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize("t", s)
            .expect("lexes")
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn numbers_words_and_operators() {
        assert_eq!(
            toks("sphere{<1,.5,2e1>,1.}"),
            vec![
                Tok::Word("sphere".into()),
                Tok::Punct("{"),
                Tok::Punct("<"),
                Tok::Number(1.0),
                Tok::Punct(","),
                Tok::Number(0.5),
                Tok::Punct(","),
                Tok::Number(20.0),
                Tok::Punct(">"),
                Tok::Punct(","),
                Tok::Number(1.0),
                Tok::Punct("}"),
            ]
        );
        assert_eq!(toks("a<=b != c"), {
            vec![
                Tok::Word("a".into()),
                Tok::Punct("<="),
                Tok::Word("b".into()),
                Tok::Punct("!="),
                Tok::Word("c".into()),
            ]
        });
    }

    #[test]
    fn nested_comments_and_directives() {
        assert_eq!(
            toks("/* a /* b */ c */ # declare X // tail\n\"s\\n\""),
            vec![
                Tok::Directive("declare".into()),
                Tok::Word("X".into()),
                Tok::Str("s\n".into()),
            ]
        );
    }

    #[test]
    fn errors_have_positions() {
        let e = tokenize("f.pov", "a\n  /* open").unwrap_err();
        assert_eq!(e.to_string(), "f.pov:2:3: unterminated comment");
        let e = tokenize("f.pov", "a $").unwrap_err();
        assert_eq!(e.to_string(), "f.pov:1:3: unexpected character '$'");
    }
}
