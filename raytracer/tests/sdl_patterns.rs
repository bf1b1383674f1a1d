//! The pattern family's language: `average` maps, `tiles`, `warp { }`, `slope`,
//! `aoi` and the fractal patterns, parsed into the description.

use raytracer::desc::{Colour, Pigment, PigmentKind, SceneDesc, Texture};
use raytracer::pattern::fractal::{FractalSet, Magnet};
use raytracer::pattern::{PatternKind, WarpKind};

mod common;
use common::sdl::{parse, parse_err};

fn texture(s: &SceneDesc) -> &Texture {
    s.objects[0]
        .texture
        .as_ref()
        .expect("the sphere has a texture")
}

fn pigment(s: &SceneDesc) -> &Pigment {
    match texture(s) {
        Texture::Plain(l) => &l.pigment,
        other => panic!("not a plain texture: {other:?}"),
    }
}

#[test]
fn average_normal_map_weights_default_to_one() {
    let s = parse(
        "sphere { 0, 1 normal { average normal_map {\n\
         [gradient x, 5 scale 0.5] [3 bumps 0.4] } } }",
    );
    let Texture::Plain(l) = texture(&s) else {
        panic!("not a plain texture");
    };
    let n = l.normal.as_ref().expect("the sphere has a normal");
    assert_eq!(n.pattern.kind, PatternKind::Average);
    let weights: Vec<f64> = n.map.iter().map(|e| e.value).collect();
    assert_eq!(weights, vec![1.0, 3.0]);
    assert_eq!(n.map[0].item.amount, 5.0);
}

#[test]
fn average_weights_default_to_one() {
    let s = parse(
        "sphere { 0, 1 pigment { average pigment_map {\n\
         [2 rgb 1] [gradient x] [pigment { rgb <1, 0, 0> }] } } }",
    );
    let PigmentKind::PigmentMap { pattern, map } = &pigment(&s).kind else {
        panic!("not a pigment map");
    };
    assert_eq!(pattern.kind, PatternKind::Average);
    let weights: Vec<f64> = map.iter().map(|e| e.value).collect();
    assert_eq!(weights, vec![2.0, 1.0, 1.0]);
    assert_eq!(map[0].item.kind, PigmentKind::Solid(Colour::WHITE));
}

#[test]
fn average_needs_its_map() {
    let e = parse_err("sphere { 0, 1 pigment { average } }");
    assert!(e.contains("average pigment needs a pigment_map"), "{e}");
    let e = parse_err("sphere { 0, 1 pigment { average color_map { [0 rgb 0] } } }");
    assert!(e.contains("not a color_map"), "{e}");
    let e = parse_err("sphere { 0, 1 texture { average } }");
    assert!(e.contains("needs a texture_map"), "{e}");
}

#[test]
fn average_texture_map_entries() {
    let s = parse(
        "sphere { 0, 1 texture { average texture_map {\n\
         [pigment { rgb 1 }] [3 pigment { rgb 0 } finish { phong 1 }] } } }",
    );
    let Texture::Map { pattern, map, .. } = texture(&s) else {
        panic!("not a texture map");
    };
    assert_eq!(pattern.kind, PatternKind::Average);
    assert_eq!(
        map.iter().map(|e| e.value).collect::<Vec<_>>(),
        vec![1.0, 3.0]
    );
}

#[test]
fn tiles_put_the_first_texture_on_index_one() {
    let s = parse(
        "sphere { 0, 1 texture { tiles { texture { pigment { rgb 1 } }\n\
         tile2 texture { pigment { rgb <1, 0, 0> } } } scale 2 } }",
    );
    let Texture::Map { pattern, map, .. } = texture(&s) else {
        panic!("not a texture map");
    };
    assert_eq!(pattern.kind, PatternKind::Checker);
    let colour = |t: &Texture| match t {
        Texture::Plain(l) => l.pigment.kind.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(colour(&map[1].item), PigmentKind::Solid(Colour::WHITE));
    assert_eq!(
        colour(&map[0].item),
        PigmentKind::Solid(Colour::rgb(1.0, 0.0, 0.0))
    );
    let e = parse_err("sphere { 0, 1 texture { tiles { tile2 texture { } } } }");
    assert!(e.contains("first texture is missing"), "{e}");
}

#[test]
fn warps_are_kept_in_order() {
    let s = parse(
        "sphere { 0, 1 pigment { checker warp { repeat x*2 offset y flip x }\n\
         scale 2 warp { black_hole 0, 1 strength 0.5 inverse } warp { turbulence 0.3 octaves 3 }\n\
         warp { cylindrical orientation y dist_exp 1 } warp { planar } warp { cubic } } }",
    );
    let PigmentKind::ColourMap { pattern, .. } = &pigment(&s).kind else {
        panic!("not a pattern");
    };
    let kinds: Vec<&WarpKind> = pattern.warps.iter().map(|w| &w.kind).collect();
    assert_eq!(kinds.len(), 6);
    match kinds[0] {
        WarpKind::Repeat(r) => {
            assert_eq!((r.axis, r.width), (0, 2.0));
            assert_eq!(r.flip.x, -1.0);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(kinds[1], WarpKind::BlackHole(b) if b.inverse && b.strength == 0.5));
    assert!(matches!(kinds[2], WarpKind::Turbulence(t) if t.octaves == 3));
    assert!(matches!(kinds[3], WarpKind::Cylindrical(m) if m.dist_exp == 1.0));
    assert!(matches!(kinds[4], WarpKind::Planar { .. }));
    assert!(matches!(kinds[5], WarpKind::Cubic));
}

#[test]
fn bad_warps_are_errors() {
    let e = parse_err("sphere { 0, 1 pigment { checker warp { repeat <1, 1, 0> } } }");
    assert!(e.contains("one axis"), "{e}");
    let e = parse_err("sphere { 0, 1 pigment { checker warp { spin } } }");
    assert!(e.contains("warp type"), "{e}");
    let e = parse_err("sphere { 0, 1 pigment { checker warp { black_hole 0, 0 } } }");
    assert!(e.contains("radius must be positive"), "{e}");
}

#[test]
fn slope_forms() {
    let s = parse("sphere { 0, 1 pigment { slope y } }");
    let PigmentKind::ColourMap { pattern, .. } = &pigment(&s).kind else {
        panic!("not a pattern");
    };
    assert!(matches!(&pattern.kind, PatternKind::Slope(sl) if sl.slope_weight == 1.0));
    let s = parse("sphere { 0, 1 pigment { slope { -y*3, 0, 0.5 altitude y, 0.1, 0.4 } } }");
    let PigmentKind::ColourMap { pattern, .. } = &pigment(&s).kind else {
        panic!("not a pattern");
    };
    let PatternKind::Slope(sl) = &pattern.kind else {
        panic!("not slope");
    };
    assert!((sl.slope_weight - 0.75).abs() < 1e-6);
    assert_eq!(sl.slope_range, (0.0, 0.5));
    assert!((sl.altitude_range.1 - 0.3).abs() < 1e-12);
    let e = parse_err("sphere { 0, 1 pigment { slope <0, 0, 0> } }");
    assert!(e.contains("zero length"), "{e}");
}

#[test]
fn fractal_sets_and_exponents() {
    let fractal = |src: &str| {
        let s = parse(src);
        match &pigment(&s).kind {
            PigmentKind::ColourMap { pattern, .. } => match &pattern.kind {
                PatternKind::Mandel(f) => *f,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    };
    let j = fractal("sphere { 0, 1 pigment { julia <0.3, 0.4>, 30 exponent 4 } }");
    assert_eq!((j.iterations, j.exponent), (30, 4));
    assert!(matches!(j.set, FractalSet::Julia(c) if c.x == 0.3 && c.y == 0.4));
    let m = fractal("sphere { 0, 1 pigment { magnet 2 mandel 100 interior 1, 5 } }");
    assert_eq!(m.set, FractalSet::MagnetMandel(Magnet::Two));
    assert_eq!(m.interior, (1, 5.0));
    // An exponent turns a magnet into its plain set, as in POV-Ray.
    let p = fractal("sphere { 0, 1 pigment { magnet 1 julia <1, 0>, 10 exponent 3 } }");
    assert_eq!((p.exponent, p.set), (3, FractalSet::Julia(glam::DVec2::X)));
    let e = parse_err("sphere { 0, 1 pigment { magnet 3 mandel 10 } }");
    assert!(e.contains("1 or 2"), "{e}");
}

#[test]
fn default_colour_maps_follow_the_pattern() {
    let s = parse("sphere { 0, 1 pigment { radial } }");
    let PigmentKind::ColourMap { map, .. } = &pigment(&s).kind else {
        panic!("not a colour map");
    };
    assert_eq!(map.len(), 4);
    assert_eq!(map[0].item, Colour::rgb(0.0, 1.0, 1.0));
}

fn pavement_of(src: &str) -> raytracer::pattern::pavement::Pavement {
    let s = parse(src);
    let PigmentKind::ColourMap { pattern, .. } = &pigment(&s).kind else {
        panic!("not a colour-mapped pigment");
    };
    match pattern.kind {
        PatternKind::Pavement(p) => p,
        ref other => panic!("not a pavement: {other:?}"),
    }
}

#[test]
fn pavement_settings_defaults_and_wrapping() {
    let p = pavement_of("sphere { 0, 1 pigment { pavement } }");
    assert_eq!(
        (p.sides, p.tiles, p.pattern, p.exterior, p.interior, p.form),
        (3, 1, 1, 0, 0, 0)
    );
    // Whole parts; the corner settings wrap as POV-Ray's bytes do (form by 4
    // for squares, by 3 otherwise), after the block is read.
    let p = pavement_of(
        "sphere { 0, 1 pigment { pavement form 7 number_of_sides 4 number_of_tiles 6.9\n\
         pattern 35 exterior 4 interior 5 } }",
    );
    assert_eq!(
        (p.sides, p.tiles, p.pattern, p.exterior, p.interior, p.form),
        (4, 6, 35, 1, 2, 3)
    );
    let p = pavement_of("sphere { 0, 1 pigment { pavement number_of_sides 6 form 3 } }");
    assert_eq!(p.form, 0);
}

#[test]
fn pavement_in_normals_and_textures() {
    let s = parse(
        "sphere { 0, 1 texture { pavement number_of_sides 4 number_of_tiles 3 pattern 2\n\
         texture_map { [0 pigment { rgb 0 }] [1 pigment { rgb 1 }] } } }\n\
         sphere { 0, 1 normal { pavement 0.4 number_of_sides 6 interior 2 } }",
    );
    let Some(Texture::Map { pattern, .. }) = s.objects[0].texture.as_ref() else {
        panic!("not a texture map");
    };
    assert!(matches!(pattern.kind, PatternKind::Pavement(p) if p.tiles == 3));
    let Some(Texture::Plain(l)) = s.objects[1].texture.as_ref() else {
        panic!("not a plain texture");
    };
    let n = l.normal.as_ref().expect("a normal");
    assert!(matches!(n.pattern.kind, PatternKind::Pavement(p) if p.sides == 6 && p.interior == 2));
    assert_eq!(n.amount, 0.4);
}

#[test]
fn bad_pavements_are_errors_at_their_block() {
    for (src, want) in [
        (
            "pavement number_of_sides 5",
            "number_of_sides must be 3, 4 or 6, not 5",
        ),
        (
            "pavement number_of_sides 6 number_of_tiles 6",
            "number_of_tiles must be 1 to 5",
        ),
        (
            "pavement number_of_tiles 0",
            "number_of_tiles must be 1 to 6",
        ),
        (
            "pavement number_of_tiles 7",
            "number_of_tiles must be 1 to 6",
        ),
        (
            "pavement number_of_sides 4 number_of_tiles 5 pattern 13",
            "pattern must be 1 to 12 with 4 sides and 5 tiles, not 13",
        ),
        ("pavement pattern 0", "pattern must be 1 to 1"),
        ("pavement pattern -1", "not 255"),
        (
            "checker number_of_sides 4",
            "number_of_sides can only be used in a pavement",
        ),
        ("bozo pattern 2", "pattern can only be used in a pavement"),
    ] {
        let e = parse_err(&format!("sphere {{ 0, 1\n pigment {{ {src}\n }} }}"));
        assert!(e.contains(want), "{src}: {e}");
        assert!(
            e.contains(":2") || e.contains(":3"),
            "{src}: no line in {e}"
        );
    }
}
