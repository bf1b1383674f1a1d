//! Embeds every file of the project's bundled include library (`scenes/include/`) into
//! the binary, so `prender` finds colors.inc & co. with no installation.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = manifest.join("..").join("scenes").join("include");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=build.rs");

    let mut entries = Vec::new();
    if let Ok(read) = fs::read_dir(&dir) {
        for entry in read.flatten() {
            let path = entry.path();
            if path.is_file() {
                if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                    println!("cargo:rerun-if-changed={}", path.display());
                    entries.push((name.to_string(), path.clone()));
                }
            }
        }
    }
    entries.sort();

    let mut out = String::from(
        "/// The bundled include library: (file name, contents), sorted by name.\n\
         pub static BUNDLED: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &entries {
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", abs(path));
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(e) = fs::write(out_dir.join("bundled_includes.rs"), out) {
        panic!("cannot write the bundled include table: {e}");
    }
}

fn abs(p: &Path) -> String {
    fs::canonicalize(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}
