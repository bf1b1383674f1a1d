//! Builds libpvm3's one piece of C and links it in.
//!
//! The shared library carries PVM's soname, so programs linked against PVM 3.4's
//! libpvm3.so.3 load this one from the library path.
//!
//! `src/packf.c` holds the variadic pvm_packf/pvm_unpackf (stable Rust cannot read C
//! variable arguments). It is compiled with the system C compiler (`$CC`, else `cc`)
//! into a static archive linked whole; rustc exports only Rust's own symbols from a
//! cdylib, so a second version script adds the shim's four names.

use std::path::PathBuf;
use std::process::Command;

const SHIM_EXPORTS: &[&str] = &["pvm_packf", "pvm_unpackf", "pvm_vpackf", "pvm_vunpackf"];

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpvm3.so.3");
    println!("cargo:rerun-if-changed=src/packf.c");
    println!("cargo:rerun-if-changed=include/pvm3.h");
    println!("cargo:rerun-if-env-changed=CC");

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let object = out.join("packf.o");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    run(Command::new(&cc)
        .args([
            "-c",
            "-fPIC",
            "-O2",
            "-Wall",
            "-Iinclude",
            "src/packf.c",
            "-o",
        ])
        .arg(&object));
    let archive = out.join("libpvm3packf.a");
    let _ = std::fs::remove_file(&archive);
    run(Command::new("ar").arg("crs").arg(&archive).arg(&object));
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static:+whole-archive=pvm3packf");

    let script = out.join("packf.map");
    let names: String = SHIM_EXPORTS.iter().map(|n| format!("{n}; ")).collect();
    std::fs::write(&script, format!("{{ global: {names}}};\n")).expect("write version script");
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
        script.display()
    );
}

fn run(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(status.success(), "{cmd:?} failed: {status}");
}
