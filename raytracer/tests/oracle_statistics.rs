//! prender's statistics against POV-Ray 3.7's for the same render: the report has
//! the same lines, and the figures both count the same way agree (object and light
//! counts, pixels, rays, the deepest trace level, reflected and refracted rays).
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).

mod common;

use common::render::{povray, prender, Spec};

/// The number after `label` on the first line holding it.
fn figure(log: &str, label: &str) -> Option<f64> {
    let line = log.lines().find(|l| l.contains(label))?;
    let rest = &line[line.find(label)? + label.len()..];
    rest.split_whitespace()
        .next()?
        .split('/')
        .next()?
        .parse()
        .ok()
}

#[test]
fn statistics_count_what_povray_counts() {
    let spec = Spec::new(common::test_scene("statistics.pov"), 160, 120);
    let dir = tempfile::tempdir().expect("temporary directory");
    povray(&spec, dir.path(), "reference.tga", None).unwrap_or_else(|e| panic!("{e}"));
    prender(&spec, dir.path(), "ours.tga", None).unwrap_or_else(|e| panic!("{e}"));
    let read = |name: &str| {
        std::fs::read_to_string(dir.path().join(name))
            .expect("render log")
            .replace('\r', "\n")
    };
    let (reference, ours) = (read("reference.tga.log"), read("ours.tga.log"));
    let exact = [
        "Finite Objects:",
        "Infinite Objects:",
        "Light Sources:",
        "Total:",
        "Pixels:",
        "Max Level:",
        "Image Resolution",
    ];
    for label in exact {
        let want = figure(&reference, label).unwrap_or_else(|| panic!("POV-Ray: {label}"));
        let got = figure(&ours, label).unwrap_or_else(|| panic!("prender: {label}\n{ours}"));
        assert_eq!(got, want, "{label}");
    }
    // Counted the same way; allow a little for rays that graze edges differently.
    for label in [
        "Rays:",
        "Reflected Rays:",
        "Refracted Rays:",
        "Shadow Ray Tests:",
    ] {
        let want = figure(&reference, label).unwrap_or_else(|| panic!("POV-Ray: {label}"));
        let got = figure(&ours, label).unwrap_or_else(|| panic!("prender: {label}\n{ours}"));
        assert!(
            (got - want).abs() <= 0.1 * want,
            "{label} prender {got}, POV-Ray {want}"
        );
    }
    for line in [
        "Parser Statistics",
        "Render Statistics",
        "Ray->Shape Intersection",
        "Trace Time:",
    ] {
        assert!(ours.contains(line), "prender's report lacks {line:?}");
    }
}
