//! Console aliases: a name standing for a command and leading arguments.
//!
//! `alias h help` makes `h ps` run `help ps`. The expansion of an alias may start with
//! another alias; a chain that comes back to a name already expanded stops there, so a
//! careless `alias ls ls -a` or a loop between two aliases cannot hang the console.

use std::collections::BTreeMap;

/// The alias table of one console session, listed in name order.
#[derive(Debug, Default, Clone)]
pub struct Aliases {
    map: BTreeMap<String, Vec<String>>,
}

impl Aliases {
    /// Defines (or redefines) `name` as `words`.
    pub fn define(&mut self, name: &str, words: Vec<String>) {
        self.map.insert(name.to_string(), words);
    }

    /// Forgets `name`; true if it was defined.
    pub fn remove(&mut self, name: &str) -> bool {
        self.map.remove(name).is_some()
    }

    /// What `name` stands for, if it is an alias.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.map.get(name).map(Vec::as_slice)
    }

    /// Every alias in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// `words` with its first word replaced by its alias, repeatedly.
    pub fn expand(&self, mut words: Vec<String>) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        while let Some(first) = words.first() {
            if seen.contains(first) {
                break;
            }
            let Some(expansion) = self.map.get(first) else {
                break;
            };
            seen.push(first.clone());
            let rest = words.split_off(1);
            words = expansion.iter().cloned().chain(rest).collect();
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn expands_first_word_keeping_arguments() {
        let mut a = Aliases::default();
        a.define("h", w("help"));
        a.define("pa", w("ps -a"));
        assert_eq!(a.expand(w("h id")), w("help id"));
        assert_eq!(a.expand(w("pa")), w("ps -a"));
        assert_eq!(a.expand(w("id h")), w("id h"));
        assert!(a.expand(Vec::new()).is_empty());
    }

    #[test]
    fn chains_expand_and_loops_stop() {
        let mut a = Aliases::default();
        a.define("a", w("b x"));
        a.define("b", w("c y"));
        assert_eq!(a.expand(w("a z")), w("c y x z"));
        a.define("c", w("a"));
        // a -> b x -> c y x -> a y x, and `a` was already expanded: stop.
        assert_eq!(a.expand(w("a")), w("a y x"));
        a.define("ls", w("ls -a"));
        assert_eq!(a.expand(w("ls")), w("ls -a"));
    }

    #[test]
    fn remove_and_list() {
        let mut a = Aliases::default();
        a.define("z", w("id"));
        a.define("h", w("help"));
        let names: Vec<&str> = a.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["h", "z"]);
        assert!(a.remove("h"));
        assert!(!a.remove("h"));
        assert_eq!(a.get("z"), Some(&w("id")[..]));
    }
}
