//! The workspace's binaries a test runs as files (pvmd, the console, prender,
//! `libpvm3.so`, `libfpvm3.a`, libpvm's examples), built by cargo on first use, so that
//! `cargo test -p <crate>` works on a clean checkout.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The pvmd binary under test: `$PVM_HARNESS_PVMD` if set, else the one cargo builds
/// into this test's target folder. A test runs in every crate, so the harness cannot
/// rely on `CARGO_BIN_EXE_pvmd` (pvmd's own tests only): it asks cargo to build pvmd
/// once per test process, which is a no-op when it is up to date and keeps a stale
/// daemon from being tested on a fresh clone.
pub fn pvmd_binary() -> &'static Path {
    static PVMD: OnceLock<PathBuf> = OnceLock::new();
    PVMD.get_or_init(|| match std::env::var_os("PVM_HARNESS_PVMD") {
        Some(path) => PathBuf::from(path),
        None => build_pvmd(),
    })
}

/// The folder cargo puts this profile's binaries in (`target/debug`): the test runs
/// from `target/<profile>/deps/`.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("test executable has a folder");
    deps.parent()
        .expect("deps folder has a parent")
        .to_path_buf()
}

fn build_pvmd() -> PathBuf {
    binary("pvmd", "pvmd")
}

/// The binary `bin` of the workspace's package `package` (the console's `pvm`,
/// prender...), built by cargo once per test process on first use.
pub fn binary(package: &str, bin: &str) -> PathBuf {
    static BUILT: Mutex<BTreeSet<(String, String)>> = Mutex::new(BTreeSet::new());
    let path = target_dir().join(bin);
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if built.insert((package.to_owned(), bin.to_owned())) {
        cargo_build(&["-p", package, "--bin", bin], &path);
    }
    path
}

/// Our `libpvm3.so` (the C interface, crate `libpvm3`), built by cargo once per test
/// process on first use.
pub fn libpvm3() -> &'static Path {
    static LIB: OnceLock<PathBuf> = OnceLock::new();
    LIB.get_or_init(|| {
        let lib = target_dir().join("libpvm3.so");
        cargo_build(&["-p", "libpvm3", "--lib"], &lib);
        lib
    })
}

/// Our `libfpvm3.a` (the Fortran interface, crate `libfpvm3`), built by cargo once per
/// test process on first use.
pub fn libfpvm3() -> &'static Path {
    static LIB: OnceLock<PathBuf> = OnceLock::new();
    LIB.get_or_init(|| {
        let lib = target_dir().join("libfpvm3.a");
        cargo_build(&["-p", "libfpvm3", "--lib"], &lib);
        lib
    })
}

/// A libpvm example binary (in `<target>/debug/examples/`), built by cargo once per
/// test process on first use.
pub fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    let path = target_dir().join("examples").join(name);
    BUILT.get_or_init(|| cargo_build(&["-p", "pvm", "--examples"], &path));
    assert!(
        path.is_file(),
        "example {name:?} not found at {}: is it one of libpvm's examples?",
        path.display()
    );
    path
}

/// Runs `cargo build` with `args` for this test's profile. The outer `cargo test` has
/// released the target folder's lock by the time tests run, so this cannot deadlock.
fn cargo_build(args: &[&str], product: &Path) {
    let mut cargo = Command::new(option_env!("CARGO").unwrap_or("cargo"));
    cargo.args(["build", "--quiet"]).args(args);
    match target_dir().file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => {}
        Some(profile) => {
            cargo.args(["--profile", profile]);
        }
    }
    let built = cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .status();
    // Outside cargo (a test binary run by hand) what was built earlier still serves.
    assert!(
        matches!(built, Ok(st) if st.success()) || product.is_file(),
        "`cargo build {}` failed ({built:?}) and {} is missing",
        args.join(" "),
        product.display()
    );
}
