//! Identifiers: the text of a word token (keyword, identifier or directive name)
//! and the scopes identifiers are bound in.
//!
//! Tokens are copied every time the parser reads one (a `#while` body is read once
//! per iteration, a macro body once per call), so a word must be cheap to copy: its
//! text is shared, and whether it is a reserved word is settled once, when the file
//! is tokenized, so that reading a keyword never searches the identifier scopes.
//!
//! Every identifier read searches the scopes from the innermost out (macro calls
//! nest, recursive ones deeply), so a scope keeps a small Bloom filter of the
//! names bound in it: a name is hashed once per search, and a scope that cannot
//! hold it is passed over without a table probe.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::rc::Rc;

/// A word's text, shared by every copy of its token.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Word {
    text: Rc<str>,
    reserved: bool,
}

impl Word {
    /// A word; whether it is reserved is looked up once, here.
    pub fn new(text: &str) -> Self {
        Self {
            reserved: super::keywords::is_reserved(text),
            text: text.into(),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True for a word the language reserves (it can name no identifier).
    pub fn is_reserved(&self) -> bool {
        self.reserved
    }
}

impl Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        &*self.text == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        &*self.text == *other
    }
}

impl From<&str> for Word {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<Word> for String {
    fn from(w: Word) -> Self {
        w.text.to_string()
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

/// The multiply-rotate hash of the Firefox/rustc family: identifier names are
/// short, trusted (the scene's own) and looked up on every token, so SipHash's
/// flood resistance costs more than it buys here.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Builds [`FxHasher`]s for the parser's maps.
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// The hash a name is searched by (the same the scopes' tables use).
pub(crate) fn name_hash(name: &str) -> u64 {
    FxBuild::default().hash_one(name)
}

/// One scope of identifiers: name → value.
#[derive(Clone, Debug)]
pub(crate) struct Scope<V> {
    map: HashMap<String, V, FxBuild>,
    /// Two bits per name ever bound here (removals leave theirs: a false
    /// positive costs one probe, never a wrong answer).
    bloom: u128,
}

impl<V> Default for Scope<V> {
    fn default() -> Self {
        Self {
            map: HashMap::default(),
            bloom: 0,
        }
    }
}

fn bloom_bits(hash: u64) -> u128 {
    (1u128 << (hash & 127)) | (1u128 << ((hash >> 7) & 127))
}

impl<V> Scope<V> {
    /// The value bound to `name`.
    pub fn get(&self, name: &str) -> Option<&V> {
        self.get_hashed(name_hash(name), name)
    }

    /// As [`Scope::get`], with `hash` = [`name_hash`]`(name)` computed by the caller
    /// once for a search through many scopes.
    pub fn get_hashed(&self, hash: u64, name: &str) -> Option<&V> {
        let bits = bloom_bits(hash);
        if self.bloom & bits != bits {
            return None;
        }
        self.map.get(name)
    }

    /// The value bound to `name`, to change it in place.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        self.map.get_mut(name)
    }

    /// True if `name` is bound here.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Binds `name`, returning what it was bound to.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        self.bloom |= bloom_bits(name_hash(&name));
        self.map.insert(name, value)
    }

    /// Unbinds `name`, returning what it was bound to.
    pub fn remove(&mut self, name: &str) -> Option<V> {
        self.map.remove(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_compare_as_their_text_and_know_if_reserved() {
        let w = Word::new("sphere");
        assert!(w == "sphere" && w.is_reserved());
        assert_eq!(w.as_str(), "sphere");
        let id = Word::new("MyThing");
        assert!(!id.is_reserved());
        assert_eq!(format!("{id}/{id:?}"), "MyThing/\"MyThing\"");
    }

    #[test]
    fn a_scope_finds_what_it_binds_and_nothing_else() {
        let mut s = Scope::default();
        for (i, n) in ["A", "Gen", "Gen2", "RandSeed", "C1"].iter().enumerate() {
            s.insert(n.to_string(), i);
        }
        assert_eq!(s.get("Gen2"), Some(&2));
        assert_eq!(s.get_hashed(name_hash("C1"), "C1"), Some(&4));
        assert!(!s.contains_key("Gen3") && !s.contains_key("C2"));
        assert_eq!(s.remove("Gen"), Some(1));
        assert!(!s.contains_key("Gen"));
        *s.get_mut("A").expect("bound") = 7;
        assert_eq!(s.get("A"), Some(&7));
    }

    #[test]
    fn the_hash_tells_short_names_apart() {
        let b = FxBuild::default();
        let names = ["a", "b", "ab", "ba", "Gen", "Gen2", "abcdefgh", "abcdefgi"];
        let hashes: std::collections::HashSet<u64> = names.iter().map(|n| b.hash_one(n)).collect();
        assert_eq!(hashes.len(), names.len());
    }
}
