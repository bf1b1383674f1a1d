//! What the vcluster test files share.

/// Whether the tests run as root.
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Namespaces need root. CI runs as root and must run these tests; elsewhere they are
/// skipped with a note rather than failing every non-root developer's run.
pub fn root_or_skip() -> bool {
    if is_root() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the vcluster tests need root in CI"
    );
    eprintln!("skipping: vcluster tests need root");
    false
}

/// A command's output as trimmed text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_string()
}
