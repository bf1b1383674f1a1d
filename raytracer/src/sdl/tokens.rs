//! The token streams of the files being read, lexed on demand.
//!
//! The parser addresses a token by file and index, and goes back to earlier
//! indices when a `#while` or `#for` loop repeats or a macro is called. Rather
//! than keep a whole file's tokens (a 50 MB mesh would need some 15 million),
//! each file is lexed a chunk of [`CHUNK`] tokens at a time as the parser reaches
//! it, and only the [`HELD_CHUNKS`] chunks entered most recently (over all files)
//! are kept. A chunk dropped and needed again is lexed again from where it starts,
//! which is remembered for every chunk: lexing depends on nothing but the text,
//! so it gives the same tokens. A loop or macro body that fits in the held chunks
//! is lexed once; a larger one is lexed again on each pass.
//!
//! A lexing error is reported when the parser reaches the token where it is, as
//! POV-Ray reports it: everything before it is read first.

use super::error::{Location, Result, SdlError};
use super::lexer::{lex_some, LexPoint, Token};
use std::sync::Arc;

/// Tokens per chunk.
const CHUNK: usize = 1024;
/// Chunks kept lexed, over all files (about 40 kB each).
const HELD_CHUNKS: usize = 256;

/// One file's text and the chunks of its tokens.
pub(crate) struct SourceTokens {
    /// The name it was opened by (error messages give it).
    pub name: String,
    /// Its folder (includes and data files are looked for there first).
    pub dir: String,
    text: Arc<str>,
    /// Where each chunk lexed so far starts, and then where the next one does
    /// (absent once the end of the text has been reached).
    starts: Vec<LexPoint>,
    /// Chunk `k` holds tokens `k * CHUNK ..`; `None` when not held.
    chunks: Vec<Option<Box<[Token]>>>,
    /// When each chunk was last entered (see [`Tokens::clock`]).
    stamps: Vec<u64>,
    /// The number of tokens, once the end (or a lexing error) has been reached.
    len: Option<usize>,
    /// The lexing error that ends the tokens early, if any.
    error: Option<(Location, String)>,
}

/// The token streams of every file read so far.
#[derive(Default)]
pub(crate) struct Tokens {
    files: Vec<SourceTokens>,
    /// The chunks held: (file, chunk).
    held: Vec<(usize, usize)>,
    /// Counts chunk entries: the held chunk entered longest ago is dropped first.
    clock: u64,
    /// The chunk the last token came from (always held): reading on in it
    /// needs no bookkeeping.
    current: Option<(usize, usize)>,
}

impl Tokens {
    /// Adds a file; nothing is lexed until its tokens are asked for. Returns its
    /// index.
    pub fn add(&mut self, name: String, dir: String, text: Arc<str>) -> usize {
        self.files.push(SourceTokens {
            name,
            dir,
            text,
            starts: vec![LexPoint::START],
            chunks: Vec::new(),
            stamps: Vec::new(),
            len: None,
            error: None,
        });
        self.files.len() - 1
    }

    /// File `file`, if there is one.
    pub fn file(&self, file: usize) -> Option<&SourceTokens> {
        self.files.get(file)
    }

    /// The first file added (the scene), if any.
    pub fn first(&self) -> Option<&SourceTokens> {
        self.files.first()
    }

    /// Token `pos` of `file`: `None` past its end, an error where lexing failed.
    #[inline]
    pub fn token(&mut self, file: usize, pos: usize) -> Result<Option<&Token>> {
        let chunk = pos / CHUNK;
        if self.current != Some((file, chunk)) {
            self.enter(file, chunk);
        }
        let Some(f) = self.files.get(file) else {
            return Ok(None);
        };
        if let Some(t) = f
            .chunks
            .get(chunk)
            .and_then(|c| c.as_deref())
            .and_then(|c| c.get(pos % CHUNK))
        {
            return Ok(Some(t));
        }
        match &f.error {
            Some((at, message)) if f.len.is_some_and(|n| pos >= n) => {
                Err(SdlError::at(at.clone(), message.clone()))
            }
            _ => Ok(None),
        }
    }

    /// Makes `chunk` of `file` the current one, lexing it (and any unlexed
    /// chunk before it) if it is not held. A chunk past the end is left alone.
    fn enter(&mut self, file: usize, chunk: usize) {
        let Some(f) = self.files.get(file) else {
            return;
        };
        if !f.chunks.get(chunk).is_some_and(|c| c.is_some()) {
            // A chunk lexed before is lexed again alone; a new one after every
            // chunk before it (their starts are found on the way).
            for k in f.chunks.len().min(chunk)..=chunk {
                if !self.lex_chunk(file, k) {
                    return;
                }
            }
        }
        self.clock += 1;
        self.files[file].stamps[chunk] = self.clock;
        self.current = Some((file, chunk));
    }

    /// Lexes chunk `k` of `file` (its start known) and holds it, dropping the
    /// chunk entered longest ago if too many are held. False when the chunk is
    /// past the end of the text.
    fn lex_chunk(&mut self, file: usize, k: usize) -> bool {
        let f = &mut self.files[file];
        let Some(&start) = f.starts.get(k) else {
            return false;
        };
        let mut out = Vec::with_capacity(CHUNK);
        let lexed = lex_some(&f.name, &f.text, start, CHUNK, &mut out);
        match lexed {
            Ok(Some(next)) if k + 1 == f.starts.len() => f.starts.push(next),
            Ok(Some(_)) => {}
            Ok(None) => f.len = Some(k * CHUNK + out.len()),
            Err(e) => {
                f.len = Some(k * CHUNK + out.len());
                if let SdlError::At { location, message } = e {
                    f.error = Some((location, message));
                }
            }
        }
        if f.chunks.len() <= k {
            f.chunks.resize_with(k + 1, || None);
            f.stamps.resize(k + 1, 0);
        }
        f.chunks[k] = Some(out.into_boxed_slice());
        self.clock += 1;
        f.stamps[k] = self.clock;
        self.held.push((file, k));
        if self.held.len() > HELD_CHUNKS {
            self.drop_oldest((file, k));
        }
        true
    }

    /// Drops the held chunk entered longest ago, never `keep`.
    fn drop_oldest(&mut self, keep: (usize, usize)) {
        let oldest = self
            .held
            .iter()
            .enumerate()
            .filter(|(_, &h)| h != keep)
            .min_by_key(|(_, &(f, c))| self.files[f].stamps[c])
            .map(|(i, _)| i);
        if let Some(i) = oldest {
            let (f, c) = self.held.swap_remove(i);
            self.files[f].chunks[c] = None;
            if self.current == Some((f, c)) {
                self.current = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdl::lexer::{tokenize, Tok};

    fn all(tokens: &mut Tokens, file: usize) -> Result<Vec<Tok>> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(t) = tokens.token(file, pos)? {
            out.push(t.tok.clone());
            pos += 1;
        }
        Ok(out)
    }

    /// A text of many chunks, read in order, backwards and by jumps, gives the
    /// tokens of lexing it whole, however often its chunks were dropped.
    #[test]
    fn chunks_lexed_again_give_the_same_tokens() {
        let text: String = (0..HELD_CHUNKS * CHUNK / 2)
            .map(|i| format!("<{i}, -{}.5> /* c\n */ #declare W{i} = \"s\"\n", i * 7))
            .collect();
        let whole: Vec<Tok> = tokenize("t", &text)
            .expect("lexes")
            .into_iter()
            .map(|t| t.tok)
            .collect();
        assert!(whole.len() > 3 * HELD_CHUNKS * CHUNK);
        let mut tokens = Tokens::default();
        let f = tokens.add("t".into(), String::new(), text.as_str().into());
        assert_eq!(all(&mut tokens, f).expect("lexes"), whole);
        assert!(tokens.held.len() <= HELD_CHUNKS);
        for pos in (0..whole.len()).rev().step_by(977) {
            let t = tokens.token(f, pos).expect("lexes").expect("token");
            assert_eq!(t.tok, whole[pos], "token {pos}");
        }
        assert!(tokens.token(f, whole.len()).expect("lexes").is_none());
        assert!(tokens
            .token(f, whole.len() + 5 * CHUNK)
            .expect("lexes")
            .is_none());
    }

    /// A lexing error comes where it is, after every token before it.
    #[test]
    fn errors_come_at_their_token() {
        let text = format!("{}\n  $ sphere", "a ".repeat(CHUNK + 3));
        let mut tokens = Tokens::default();
        let f = tokens.add("f.pov".into(), String::new(), text.as_str().into());
        for pos in 0..CHUNK + 3 {
            assert!(tokens.token(f, pos).expect("before the error").is_some());
        }
        let e = tokens.token(f, CHUNK + 3).expect_err("the error");
        assert_eq!(e.to_string(), "f.pov:2:3: unexpected character '$'");
        let mut empty = Tokens::default();
        let f = empty.add("e".into(), String::new(), "  // nothing\n".into());
        assert!(empty.token(f, 0).expect("lexes").is_none());
    }
}
