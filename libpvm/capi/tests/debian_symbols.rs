//! Drop-in, checked mechanically: every symbol that an ELF program or library of
//! Debian's `pvm`, `pvm-dev` and `pvm-examples` packages imports from PVM 3.4.6's
//! libpvm3/libgpvm3 must be exported by our libpvm3.so.3.
//!
//! The programs' undefined dynamic symbols (`nm -D --undefined-only`) are matched
//! against what Debian's own libpvm3.so.3 and libgpvm3.so.3 define, which says which of
//! them come from PVM's library (the rest are libc's, X11's...). The one program left
//! out is Debian's `pvmd`, PVM's daemon itself: it links its internals (message and
//! wait-context bookkeeping: `pmsg_*`, `wait_*`, `da_*`...) from libpvm3, and our pvmd
//! replaces it rather than running on our library.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGES: &[&str] = &["pvm", "pvm-dev", "pvm-examples"];

/// PVM's daemon, which our pvmd replaces (see the module doc).
const NOT_ON_OUR_LIBRARY: &[&str] = &["pvmd"];

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The files a Debian package installed.
fn package_files(pkg: &str) -> Vec<PathBuf> {
    run(Command::new("dpkg").args(["-L", pkg]))
        .lines()
        .map(PathBuf::from)
        .collect()
}

/// Whether `p` is a regular ELF file (not a link to one: the target is listed too).
fn is_elf(p: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(p) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    let mut head = [0u8; 4];
    std::fs::File::open(p)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == *b"\x7fELF"
}

/// Dynamic symbols of `file`: the undefined ones, or the defined ones.
fn dynamic_symbols(file: &Path, undefined: bool) -> BTreeSet<String> {
    let which = if undefined {
        "--undefined-only"
    } else {
        "--defined-only"
    };
    run(Command::new("nm").args(["-D", which]).arg(file))
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|s| s.split('@').next().unwrap_or(s).to_string())
        .collect()
}

/// The shared libraries of Debian's libpvm3 package (PVM's own libpvm3/libgpvm3).
fn debian_libraries() -> Vec<PathBuf> {
    let libs: Vec<PathBuf> = package_files("libpvm3")
        .into_iter()
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.starts_with("libpvm3.so") || n.starts_with("libgpvm3.so"))
        })
        .filter(|p| is_elf(p))
        .collect();
    assert!(
        !libs.is_empty(),
        "Debian's libpvm3 package is not installed"
    );
    libs
}

#[test]
fn every_symbol_debians_pvm_programs_import_is_exported() {
    let pvm_defines: BTreeSet<String> = debian_libraries()
        .iter()
        .flat_map(|l| dynamic_symbols(l, false))
        .collect();
    let ours = dynamic_symbols(pvm_harness::libpvm3(), false);
    let mut elves = 0;
    let mut missing: Vec<String> = Vec::new();
    for pkg in PACKAGES {
        for file in package_files(pkg).iter().filter(|p| is_elf(p)) {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.is_some_and(|n| NOT_ON_OUR_LIBRARY.contains(&n.as_str())) {
                continue;
            }
            elves += 1;
            for sym in dynamic_symbols(file, true) {
                if pvm_defines.contains(&sym) && !ours.contains(&sym) {
                    missing.push(format!("{}: {sym}", file.display()));
                }
            }
        }
    }
    assert!(elves >= 40, "only {elves} ELF files found in {PACKAGES:?}");
    assert!(
        missing.is_empty(),
        "not exported by our libpvm3:\n{}",
        missing.join("\n")
    );
}
