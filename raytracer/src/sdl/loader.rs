//! Where scene and include files come from.
//!
//! `#include "name"` is resolved by trying, in order: the including file's folder, each
//! include path (`+L`, `Library_Path`), then the library bundled in the binary. The
//! candidates are the same wherever the scene is parsed; only the [`Loader`] that reads
//! them differs: the file system on the master, the set of files the master sent on
//! a slave ([`MemoryLoader`]).

use std::collections::HashMap;
use std::path::Path;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_includes.rs"));
}

/// Reads source files by name.
pub trait Loader {
    /// The text of `name`, `Ok(None)` if it does not exist, `Err` if it exists but
    /// cannot be read.
    fn read(&self, name: &str) -> std::io::Result<Option<String>>;

    /// The bytes of binary file `name` (a font), `Ok(None)` if it does not exist.
    fn read_bytes(&self, name: &str) -> std::io::Result<Option<Vec<u8>>>;

    /// Stores a file a scene wrote with `#fopen ... write`. By default the text is
    /// dropped: only the parse that renders locally or as the master writes files,
    /// a distributed slave's parse must not.
    fn write(&self, _name: &str, _text: &str) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads from the file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn read(&self, name: &str) -> std::io::Result<Option<String>> {
        let path = Path::new(name);
        if !path.is_file() {
            return Ok(None);
        }
        let bytes = std::fs::read(path)?;
        // Old scene files are often Latin-1; never refuse them for a stray byte.
        // (Valid text keeps its buffer: a mesh file may be tens of megabytes.)
        Ok(Some(String::from_utf8(bytes).unwrap_or_else(|e| {
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        })))
    }

    fn read_bytes(&self, name: &str) -> std::io::Result<Option<Vec<u8>>> {
        let path = Path::new(name);
        if !path.is_file() {
            return Ok(None);
        }
        std::fs::read(path).map(Some)
    }

    fn write(&self, name: &str, text: &str) -> std::io::Result<()> {
        std::fs::write(name, text)
    }
}

/// Reads from a set of files held in memory (name → text, name → bytes for binary
/// files), as recorded by a parse.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    files: HashMap<String, String>,
    data: HashMap<String, Vec<u8>>,
}

impl MemoryLoader {
    /// A loader over the given (name, text) pairs.
    pub fn new<I: IntoIterator<Item = (String, String)>>(files: I) -> Self {
        Self {
            files: files.into_iter().collect(),
            data: HashMap::new(),
        }
    }

    /// Adds binary files (fonts) by name.
    pub fn with_data<I: IntoIterator<Item = (String, Vec<u8>)>>(mut self, data: I) -> Self {
        self.data.extend(data);
        self
    }
}

impl Loader for MemoryLoader {
    fn read(&self, name: &str) -> std::io::Result<Option<String>> {
        Ok(self.files.get(name).cloned())
    }

    fn read_bytes(&self, name: &str) -> std::io::Result<Option<Vec<u8>>> {
        Ok(self.data.get(name).cloned())
    }
}

/// The text of a bundled include file, if the library has one by that name.
pub fn bundled(name: &str) -> Option<&'static str> {
    bundled::BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Names of every bundled include file.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    bundled::BUNDLED.iter().map(|(n, _)| *n)
}

/// The file-system candidates for `#include "name"` from a file in `dir`, in
/// POV-Ray's search order (the bundled library comes after all of them).
pub fn candidates(name: &str, dir: Option<&str>, include_paths: &[String]) -> Vec<String> {
    if Path::new(name).is_absolute() {
        return vec![name.to_string()];
    }
    let mut out = Vec::new();
    match dir {
        Some(d) if !d.is_empty() => out.push(join(d, name)),
        _ => out.push(name.to_string()),
    }
    for p in include_paths {
        let c = join(p, name);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn join(dir: &str, name: &str) -> String {
    Path::new(dir).join(name).to_string_lossy().into_owned()
}

/// The folder part of a file name ("" for a bare name).
pub fn dir_of(name: &str) -> String {
    Path::new(name)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_order_is_folder_then_paths() {
        let c = candidates("a.inc", Some("scenes"), &["lib".into(), "scenes".into()]);
        assert_eq!(c, vec!["scenes/a.inc", "lib/a.inc"]);
        assert_eq!(candidates("/abs/a.inc", Some("x"), &[]), vec!["/abs/a.inc"]);
    }

    #[test]
    fn binary_files_are_held_as_bytes() {
        let bytes: Vec<u8> = (0..=255).collect();
        let m = MemoryLoader::default().with_data([("i.png".to_string(), bytes.clone())]);
        assert_eq!(m.read_bytes("i.png").ok().flatten(), Some(bytes));
        assert!(m.read_bytes("j.png").ok().flatten().is_none());
    }

    #[test]
    fn memory_loader_only_knows_its_files() {
        let m = MemoryLoader::new([("s.pov".to_string(), "x".to_string())]);
        assert_eq!(m.read("s.pov").ok().flatten().as_deref(), Some("x"));
        assert!(m.read("t.pov").ok().flatten().is_none());
    }
}
