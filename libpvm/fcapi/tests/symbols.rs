//! Every Fortran routine of PVM 3.4.6's libfpvm3 (Debian's pvm-dev, read with `nm`)
//! is defined by ours, but the two PVM documents as not available from Fortran.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Debian's copy of PVM's Fortran library.
const DEBIAN_LIBFPVM3: &str = "/usr/lib/x86_64-linux-gnu/libfpvm3.a";

/// PVM's manual: pvm_addmhf/pvm_delmhf, "Fortran: Not available".
const NOT_IN_FORTRAN: &[&str] = &["pvmfaddmhf_", "pvmfdelmhf_"];

/// The Fortran-callable (trailing underscore) code symbols an archive defines.
fn routines(archive: &Path) -> BTreeSet<String> {
    let out = Command::new("nm")
        .args(["--defined-only", "--format=posix"])
        .arg(archive)
        .output()
        .expect("run nm");
    assert!(out.status.success(), "nm {}", archive.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (name, kind) = (f.next()?, f.next()?);
            (kind == "T" && name.starts_with("pvm") && name.ends_with('_')).then(|| name.into())
        })
        .collect()
}

#[test]
fn every_routine_of_pvms_libfpvm3_is_defined() {
    let theirs = routines(Path::new(DEBIAN_LIBFPVM3));
    assert!(
        theirs.len() > 60,
        "{DEBIAN_LIBFPVM3}: {theirs:?} (is pvm-dev installed?)"
    );
    let ours = routines(pvm_harness::libfpvm3());
    let missing: Vec<&String> = theirs
        .iter()
        .filter(|s| !ours.contains(*s) && !NOT_IN_FORTRAN.contains(&s.as_str()))
        .collect();
    assert!(missing.is_empty(), "not in our libfpvm3: {missing:?}");
}
