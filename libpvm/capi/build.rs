//! The shared library carries PVM's soname, so programs linked against PVM 3.4's
//! libpvm3.so.3 load this one from the library path.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpvm3.so.3");
}
