//! The image blocks of textures (`image_map`, `bump_map`, `image_pattern`,
//! `material_map`) and the normal maps (`normal_map`, `slope_map`, `accuracy`):
//! what they parse into, that their images travel with the scene, and the
//! errors they give at the scene's line.

use raytracer::desc::{PigmentKind, Shape, Texture};
use raytracer::pattern::image::{ImageUse, Interpolation, MapType, Pixels};
use raytracer::pattern::PatternKind;
use raytracer::sdl::{parse_file, parse_files_with_data, ParseOptions, Parsed};

mod common;
use common::sdl::{parse, parse_err};

/// A 2x1 palette PNG: index 0 red, index 1 blue (half transparent).
fn palette_png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, 2, 1);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_palette(vec![255, 0, 0, 0, 0, 255]);
    enc.set_trns(vec![255, 128]);
    let mut w = enc.write_header().expect("header");
    w.write_image_data(&[0, 1]).expect("pixels");
    drop(w);
    out
}

/// Parses `src` as a scene file in `dir` beside a palette PNG `p.png` and a
/// grey PGM `h.pgm`.
fn parse_in(dir: &std::path::Path, src: &str) -> Result<Parsed, String> {
    std::fs::write(dir.join("p.png"), palette_png()).expect("write png");
    std::fs::write(dir.join("h.pgm"), b"P5\n2 2\n255\n\x00\xff\x80\x40").expect("write pgm");
    let scene = dir.join("scene.pov");
    std::fs::write(&scene, src).expect("write scene");
    parse_file(&scene.display().to_string(), &ParseOptions::default()).map_err(|e| e.to_string())
}

fn first_pigment(p: &Parsed) -> &raytracer::desc::Pigment {
    match &p.scene.objects[0].texture {
        Some(Texture::Plain(l)) => &l.pigment,
        other => panic!("not a plain texture: {other:?}"),
    }
}

#[test]
fn image_map_settings_and_palette_transparency() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let parsed = parse_in(
        dir.path(),
        "#version 3.7; global_settings { assumed_gamma 1 }\n\
         plane { z, 0 pigment { image_map { png \"p.png\" map_type 1 interpolate 2 once\n\
           transmit 0, 0.25 filter all 0.5 } } }",
    )
    .expect("parses");
    let PigmentKind::ImageMap(pattern) = &first_pigment(&parsed).kind else {
        panic!("not an image map");
    };
    let PatternKind::ImageMap(m) = &pattern.kind else {
        panic!("not an image pattern");
    };
    assert_eq!(m.map_type, MapType::Spherical);
    assert_eq!(m.interpolation, Interpolation::Bilinear);
    assert!(m.once);
    assert_eq!(m.filter_all, 0.5);
    let Pixels::Indexed { indices, palette } = &m.image.pixels else {
        panic!("the palette was lost");
    };
    assert_eq!(indices, &vec![0, 1]);
    // Entry 0 got its own transmit; filter all reached every entry; the
    // tRNS alpha of entry 1 became its transmit.
    assert_eq!(palette[0][3..], [0.5, 0.25]);
    assert!((palette[1][4] - (1.0 - 128.0 / 255.0)).abs() < 1e-6);
    // An sRGB file (PNG's default) in a 3.7 scene is linearised.
    assert_eq!(palette[0][..3], [1.0, 0.0, 0.0]);
}

#[test]
fn images_travel_with_the_scene() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let parsed = parse_in(
        dir.path(),
        "plane { z, 0 texture { pigment { image_map { png \"p.png\" } }\n\
           normal { bump_map { pgm \"h.pgm\" bump_size 2 use_index } } } }",
    )
    .expect("parses");
    assert!(parsed.data.iter().any(|f| f.name.ends_with("p.png")));
    assert!(parsed.data.iter().any(|f| f.name.ends_with("h.pgm")));
    let main = parsed.files[0].name.clone();
    let again = parse_files_with_data(&main, &parsed.files, &parsed.data, &ParseOptions::default())
        .expect("from memory");
    assert_eq!(again.scene.objects, parsed.scene.objects);
    let Some(Texture::Plain(l)) = &parsed.scene.objects[0].texture else {
        panic!("not a plain texture");
    };
    let n = l.normal.as_ref().expect("a normal");
    assert_eq!(n.amount, 2.0);
    let PatternKind::ImageMap(m) = &n.pattern.kind else {
        panic!("not a bump map");
    };
    assert_eq!(m.use_mode, ImageUse::Index);
}

#[test]
fn image_pattern_and_material_map() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let parsed = parse_in(
        dir.path(),
        "box { 0, 1 texture { material_map { png \"p.png\" texture { pigment { rgb 1 } }\n\
           texture { pigment { rgb 0 } } } } }\n\
         sphere { 0, 1 pigment { image_pattern { png \"p.png\" use_alpha }\n\
           color_map { [0 rgb 0] [1 rgb 1] } } }",
    )
    .expect("parses");
    let Some(Texture::Map { pattern, map, .. }) = &parsed.scene.objects[0].texture else {
        panic!("not a material map");
    };
    assert_eq!(map.len(), 2);
    assert!(matches!(&pattern.kind, PatternKind::ImageMap(m) if m.material_count == 2));
    let Some(Texture::Plain(l)) = &parsed.scene.objects[1].texture else {
        panic!("not a plain texture");
    };
    let PigmentKind::ColourMap { pattern, .. } = &l.pigment.kind else {
        panic!("not a colour map");
    };
    assert!(matches!(&pattern.kind, PatternKind::ImagePattern(m) if m.use_mode == ImageUse::Alpha));
}

#[test]
fn image_errors_name_the_line() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let e = parse_in(
        dir.path(),
        "\n\nplane { z, 0 pigment { image_map { png \"none.png\" } } }",
    )
    .expect_err("missing");
    assert!(
        e.contains(":3:") && e.contains("cannot find image file"),
        "{e}"
    );
    std::fs::write(dir.path().join("bad.png"), b"this is no png").expect("write");
    let e = parse_in(
        dir.path(),
        "\nplane { z, 0 pigment { image_map { \"bad.png\" } } }",
    )
    .expect_err("broken");
    assert!(e.contains(":2:") && e.contains("cannot use image"), "{e}");
    let e = parse_in(
        dir.path(),
        "plane { z, 0 pigment { image_map { iff \"p.png\" } } }",
    )
    .expect_err("iff");
    assert!(e.contains("IFF"), "{e}");
    let e = parse_in(
        dir.path(),
        "plane { z, 0 pigment { image_map { png \"p.png\" map_type 3 } } }",
    )
    .expect_err("map type");
    assert!(e.contains("map_type"), "{e}");
    let e = parse_in(
        dir.path(),
        "plane { z, 0 pigment { image_map { pgm \"h.pgm\" transmit 1, 0.5 } } }",
    )
    .expect_err("no palette");
    assert!(e.contains("palette"), "{e}");
    let e = parse_in(
        dir.path(),
        "plane { z, 0 pigment { image_map { png \"p.png\" filter 7, 0.5 } } }",
    )
    .expect_err("register");
    assert!(e.contains("out of range"), "{e}");
    let e = parse_in(
        dir.path(),
        "plane { z, 0 pigment { image_map { \"p.xyz\" } } }",
    )
    .expect_err("unknown type");
    assert!(e.contains("image type"), "{e}");
}

#[test]
fn normal_maps_slope_maps_and_accuracy() {
    let s = parse(
        "#declare S = slope_map { [0 <0, 1>] [1 <1, 0>] }\n\
         plane { y, 0 normal { gradient x normal_map { [0.3 bumps 0.2] [0.7 normal { dents }] }\n\
           scale 2 } }\n\
         plane { y, 0 normal { marble slope_map { S } accuracy 0.05 } }\n\
         plane { y, 0 normal { checker normal { waves } normal { ripples 0.3 } } }",
    );
    let normal = |i: usize| match &s.objects[i].texture {
        Some(Texture::Plain(l)) => l.normal.clone().expect("a normal"),
        other => panic!("not a plain texture: {other:?}"),
    };
    let n = normal(0);
    assert_eq!(n.map.len(), 2);
    assert_eq!(n.map[0].item.amount, 0.2);
    // A transform after the map moves its entries too.
    assert_eq!(n.map[1].item.transform, n.transform);
    let n = normal(1);
    assert_eq!(n.slope_map.len(), 2);
    assert_eq!(n.slope_map[1].item, (1.0, 0.0));
    assert_eq!(n.accuracy, 0.05);
    let n = normal(2);
    assert_eq!(n.map.len(), 2);
    assert_eq!(n.map[1].item.amount, 0.3);
    assert!(matches!(s.objects[0].shape, Shape::Plane { .. }));
    let e = parse_err("\nplane { y, 0 normal { bumps accuracy 0 } }");
    assert!(e.contains(":2:") && e.contains("accuracy"), "{e}");
    let e = parse_err("plane { y, 0 normal { bumps normal_map { } } }");
    assert!(e.contains("empty normal_map"), "{e}");
}

/// The red channel of the first pixel of the first object's image map.
fn first_red(p: &Parsed) -> f32 {
    let PigmentKind::ImageMap(pattern) = &first_pigment(p).kind else {
        panic!("not an image map");
    };
    let PatternKind::ImageMap(m) = &pattern.kind else {
        panic!("not an image pattern");
    };
    match &m.image.pixels {
        Pixels::Colour(px) => px[0][0],
        Pixels::Indexed { .. } => panic!("a grey PNG is direct colour"),
    }
}

#[test]
fn image_gamma_follows_the_scene_version_and_the_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut grey = Vec::new();
    let mut enc = png::Encoder::new(&mut grey, 1, 1);
    enc.set_color(png::ColorType::Grayscale);
    let mut w = enc.write_header().expect("header");
    w.write_image_data(&[128]).expect("pixels");
    drop(w);
    std::fs::write(dir.path().join("g.png"), grey).expect("write");
    let red = |src: &str| first_red(&parse_in(dir.path(), src).expect("parses"));
    let raw = 128.0 / 255.0;
    let srgb = ((raw + 0.055) / 1.055f32).powf(2.4);
    let map = "plane { z, 0 pigment { image_map { png \"g.png\" GAMMA } } }";
    // A pre-3.7 scene without assumed_gamma takes the file as it is.
    assert!((red(&map.replace("GAMMA", "")) - raw).abs() < 1e-6);
    // A 3.7 scene decodes the PNG's assumed sRGB to linear.
    let v37 = format!("#version 3.7;\n{}", map.replace("GAMMA", ""));
    assert!((red(&v37) - srgb).abs() < 1e-6);
    // The file's own gamma wins.
    let given = format!("#version 3.7;\n{}", map.replace("GAMMA", "gamma 2.0"));
    assert!((red(&given) - raw * raw).abs() < 1e-6);
    // A bump map takes its heights without gamma.
    let bump = "#version 3.7;\nplane { z, 0 normal { bump_map { png \"g.png\" } } }";
    let parsed = parse_in(dir.path(), bump).expect("parses");
    let Some(Texture::Plain(l)) = &parsed.scene.objects[0].texture else {
        panic!("not a plain texture");
    };
    let n = l.normal.as_ref().expect("a normal");
    let PatternKind::ImageMap(m) = &n.pattern.kind else {
        panic!("not a bump map");
    };
    let Pixels::Colour(px) = &m.image.pixels else {
        panic!("a grey PNG is direct colour");
    };
    assert!((px[0][0] - raw).abs() < 1e-6);
}
