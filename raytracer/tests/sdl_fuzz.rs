//! Fuzzing the lexer and parser: random bytes, random token soup and mutated real
//! scenes must give a scene or an error, never a panic or a hang. Inputs that once
//! failed live in `tests/corpus/sdl/` and are replayed by `corpus_replays`.

use proptest::prelude::*;
use raytracer::sdl::{parse_with_limits, Limits, MemoryLoader, ParseOptions};
use std::path::PathBuf;

/// Parses `text` as a scene with only the bundled library available.
fn parse_any(text: &str) {
    let opts = ParseOptions::default();
    let loader = MemoryLoader::default();
    // Small budgets keep endless loops cheap; the limits themselves are tested in
    // sdl_language.rs with their defaults.
    let limits = Limits {
        loop_iterations: 20_000,
        objects: 20_000,
        ..Limits::default()
    };
    // Either result is fine; returning at all (no panic, no hang) is the property.
    let _ = parse_with_limits("fuzz.pov", text, &opts, &loader, &limits);
}

const WORDS: &[&str] = &[
    "sphere",
    "box",
    "plane",
    "union",
    "difference",
    "intersection",
    "merge",
    "object",
    "cylinder",
    "cone",
    "torus",
    "quadric",
    "poly",
    "disc",
    "light_source",
    "camera",
    "pigment",
    "finish",
    "normal",
    "texture",
    "interior",
    "color",
    "rgb",
    "rgbft",
    "red",
    "checker",
    "bozo",
    "agate",
    "color_map",
    "pavement",
    "number_of_sides",
    "number_of_tiles",
    "pattern",
    "form",
    "pigment_map",
    "turbulence",
    "scale",
    "rotate",
    "translate",
    "matrix",
    "transform",
    "inverse",
    "hollow",
    "bounded_by",
    "clipped_by",
    "look_at",
    "location",
    "angle",
    "global_settings",
    "x",
    "y",
    "z",
    "pi",
    "A",
    "B",
    "M",
    "array",
    "function",
    "concat",
    "str",
    "vrotate",
    "sphere_sweep",
    "linear_spline",
    "cubic_spline",
    "b_spline",
    "tolerance",
    "ovus",
    "lemon",
    "parametric",
    "contained_by",
    "precompute",
    "max_gradient",
    "accuracy",
    "sturm",
    "u",
    "v",
    "select",
    "spotlight",
    "area_light",
    "reflection",
    "ambient",
    "#declare",
    "#local",
    "#if",
    "#else",
    "#elseif",
    "#end",
    "#while",
    "#for",
    "#switch",
    "#case",
    "#range",
    "#break",
    "#macro",
    "#include",
    "#undef",
    "#ifdef",
    "#version",
    "#default",
    "#debug",
    "{",
    "}",
    "(",
    ")",
    "<",
    ">",
    "[",
    "]",
    ",",
    ";",
    "=",
    "+",
    "-",
    "*",
    "/",
    "?",
    ":",
    ".",
    "!",
    "&",
    "|",
    "0",
    "1",
    "-1",
    "2.5",
    "1e300",
    "\"colors.inc\"",
    "\"s\"",
    "/*",
    "*/",
    "//",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..120).prop_map(|w| w.join(" "))
}

fn real_scenes() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![
        "#include \"colors.inc\"\ncamera { location <0,2,-5> look_at 0 }\n\
         light_source { <10,10,-10> White }\n\
         #declare I = 0; #while (I < 3) sphere { I*x, 0.5 pigment { checker Red White scale 0.2 } } #declare I = I + 1; #end\n\
         #macro Box(C) box { -C, C texture { pigment { rgb C } finish { phong 1 } } } #end\n\
         difference { Box(1) sphere { 0, 1.2 } rotate 45*y }\n"
            .to_string(),
    ];
    for name in [
        "vase.pov",
        "tests/sphere_sweeps.pov",
        "tests/ovus.pov",
        "tests/parametric.pov",
        "tests/pavements.pov",
    ] {
        if let Ok(s) = std::fs::read_to_string(root.join("../scenes").join(name)) {
            out.push(s);
        }
    }
    for name in ["colors.inc", "shapes.inc", "textures.inc"] {
        if let Ok(s) = std::fs::read_to_string(root.join("../scenes/include").join(name)) {
            out.push(s);
        }
    }
    out
}

/// A mutation of a real scene: delete, duplicate or replace a byte range.
fn mutated() -> impl Strategy<Value = String> {
    let scenes = real_scenes();
    (
        0..scenes.len(),
        any::<u16>(),
        any::<u16>(),
        0u8..4,
        prop::sample::select(WORDS),
    )
        .prop_map(move |(i, a, b, op, w)| {
            let s = scenes[i].as_bytes();
            let (a, b) = (a as usize % (s.len() + 1), b as usize % (s.len() + 1));
            let (lo, hi) = (a.min(b), a.max(b).min(a.min(b) + 64));
            let mut out = Vec::with_capacity(s.len() + 64);
            out.extend_from_slice(&s[..lo]);
            match op {
                0 => {}
                1 => {
                    out.extend_from_slice(&s[lo..hi]);
                    out.extend_from_slice(&s[lo..hi]);
                }
                2 => out.extend_from_slice(w.as_bytes()),
                _ => {
                    out.extend_from_slice(w.as_bytes());
                    out.extend_from_slice(&s[lo..hi]);
                }
            }
            out.extend_from_slice(&s[hi..]);
            String::from_utf8_lossy(&out).into_owned()
        })
}

proptest! {
    // PROPTEST_CASES=100000 runs a long fuzzing session; 400 keeps `cargo test` quick.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        parse_any(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(text in soup()) {
        parse_any(&text);
    }

    #[test]
    fn mutated_scenes_never_panic(text in mutated()) {
        parse_any(&text);
    }
}

#[test]
fn corpus_replays() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sdl");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus folder exists") {
        let path = entry.expect("readable corpus entry").path();
        let bytes = std::fs::read(&path).expect("readable corpus file");
        parse_any(&String::from_utf8_lossy(&bytes));
        n += 1;
    }
    assert!(n > 0, "the corpus holds inputs");
}
