//! Splitting a console line into words, the way PVM's console does.
//!
//! Words are separated by blanks. Single or double quotes group blanks into a word and may
//! touch ordinary text (`a"b c"d` is the one word `ab cd`); nothing is special inside
//! quotes. Outside quotes a backslash takes the next character literally (`a\ b`).

use thiserror::Error;

/// A line that cannot be split into words.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LexError {
    /// A quote was opened and never closed; PVM says `unmatched "`.
    #[error("unmatched {0}")]
    Unmatched(char),
}

/// The words of `line`; an empty or blank line gives no words.
pub fn tokenize(line: &str) -> Result<Vec<String>, LexError> {
    let mut words = Vec::new();
    let mut word = String::new();
    // A word exists once anything was seen, so `""` gives one empty word.
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some(other) => word.push(other),
                        None => return Err(LexError::Unmatched(c)),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        tokenize(line).expect("line should split")
    }

    #[test]
    fn blanks_separate_words() {
        assert_eq!(words("  echo hello   world \t"), ["echo", "hello", "world"]);
        assert!(words("   ").is_empty());
        assert!(words("").is_empty());
    }

    #[test]
    fn quotes_group_and_join_adjacent_text() {
        assert_eq!(words("echo 'a b' x"), ["echo", "a b", "x"]);
        assert_eq!(words("echo a\"b c\"d"), ["echo", "ab cd"]);
        assert_eq!(words("echo \"c'd\" e"), ["echo", "c'd", "e"]);
        assert_eq!(words("echo \"\""), ["echo", ""]);
    }

    #[test]
    fn backslash_escapes_outside_quotes_only() {
        assert_eq!(words(r"echo a\ b"), ["echo", "a b"]);
        assert_eq!(words(r#"echo 'a\b'"#), ["echo", r"a\b"]);
        assert_eq!(words(r"trailing\"), ["trailing"]);
    }

    #[test]
    fn unmatched_quotes_are_errors() {
        assert_eq!(tokenize("echo 'x"), Err(LexError::Unmatched('\'')));
        assert_eq!(
            tokenize("echo \"x").map_err(|e| e.to_string()),
            Err("unmatched \"".to_string())
        );
    }
}
