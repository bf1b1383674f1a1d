//! Parses real scenes and checks key facts of the description.

use raytracer::desc::{CsgOp, PigmentKind, Shape, Texture};
use raytracer::sdl::{parse_file, parse_files, ParseOptions};
use std::path::PathBuf;

/// prender's default scene, in the spirit of skyvase (the project's own).
fn vase() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../scenes/vase.pov")
        .to_string_lossy()
        .into_owned()
}

fn pov_includes() -> Option<String> {
    let p = "/usr/share/povray-3.7/include";
    std::path::Path::new(p)
        .join("colors.inc")
        .exists()
        .then(|| p.to_string())
}

fn check_vase(opts: &ParseOptions) {
    let parsed = match parse_file(&vase(), opts) {
        Ok(p) => p,
        Err(e) => panic!("vase.pov failed to parse: {e}"),
    };
    let s = &parsed.scene;
    assert_eq!(s.global.assumed_gamma, Some(2.2));
    assert_eq!(s.global.max_trace_level, 12);
    assert_eq!(s.lights.len(), 2);
    assert_eq!(
        s.lights[0].position,
        glam::DVec3::new(-120.0, 400.0, -450.0)
    );
    assert_eq!(s.objects.len(), 4, "vase, pedestal, walls and floor");
    let c = &s.camera;
    assert_eq!(c.location, glam::DVec3::new(0.0, 45.0, -300.0));
    assert!((c.direction.length() - 2.0).abs() < 1e-12);
    assert!((c.right.length() - 4.0 / 3.0).abs() < 1e-12);
    assert!(
        c.right.x > 0.0 && c.direction.y < 0.0,
        "looks down, right-handed x"
    );
    // The pedestal: two octagons (8 side planes and 2 caps each) of agate.
    let Shape::Csg {
        op: CsgOp::Union,
        children: pedestal,
    } = &s.objects[1].shape
    else {
        panic!("the pedestal is not a union: {:?}", s.objects[1].shape);
    };
    assert_eq!(pedestal.len(), 2);
    for octagon in pedestal {
        let Shape::Csg {
            op: CsgOp::Intersection,
            children,
        } = &octagon.shape
        else {
            panic!("an octagon is not an intersection: {:?}", octagon.shape);
        };
        assert_eq!(children.len(), 10);
        for ch in children {
            let Some(Texture::Plain(l)) = &ch.texture else {
                panic!("child without inherited texture");
            };
            assert!(matches!(l.pigment.kind, PigmentKind::ColourMap { .. }));
            assert_eq!(l.finish.reflection.max.r, 0.45);
        }
    }
    // Both walls are hollow planes in a union.
    match &s.objects[2].shape {
        Shape::Csg {
            op: CsgOp::Union,
            children,
        } => assert_eq!(children.len(), 2),
        other => panic!("walls are not a union: {other:?}"),
    }
    assert_eq!(s.objects[2].hollow, Some(true));
}

#[test]
fn vase_parses_with_bundled_library() {
    check_vase(&ParseOptions::default());
}

#[test]
fn vase_parses_with_povray_includes() {
    let Some(inc) = pov_includes() else {
        eprintln!("POV-Ray includes not installed; skipped");
        return;
    };
    check_vase(&ParseOptions {
        include_paths: vec![inc],
        ..ParseOptions::default()
    });
}

#[test]
fn recorded_files_reparse_to_the_same_scene() {
    let Some(inc) = pov_includes() else {
        return;
    };
    let path = vase();
    let opts = ParseOptions {
        include_paths: vec![inc],
        ..ParseOptions::default()
    };
    let first = parse_file(&path, &opts).expect("parses");
    assert!(first.files.len() >= 5, "scene plus its four includes");
    let again = parse_files(&path, &first.files, &opts).expect("reparses from memory");
    assert_eq!(first.scene, again.scene);
}

/// Every `.pov` file under `dir`, recursively.
fn pov_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pov_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "pov") {
            out.push(p);
        }
    }
}

#[test]
fn every_project_scene_parses_with_the_bundled_library() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenes");
    let mut files = Vec::new();
    pov_files(&root, &mut files);
    let mut failures = Vec::new();
    for f in &files {
        if let Err(e) = parse_file(&f.to_string_lossy(), &ParseOptions::default()) {
            failures.push(e.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "scenes that do not parse:\n{}",
        failures.join("\n")
    );
}
