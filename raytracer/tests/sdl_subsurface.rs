//! The two `subsurface { }` blocks and `mm_per_unit`: POV-Ray 3.7's defaults,
//! every setting read, and the errors for what does not belong.

use raytracer::desc::{Colour, Finish, Subsurface, SubsurfaceSettings, Texture};
use raytracer::sdl::{parse_str, ParseOptions};

fn parse(src: &str) -> raytracer::desc::SceneDesc {
    match parse_str(src, &ParseOptions::default()) {
        Ok(s) => s,
        Err(e) => panic!("parse failed: {e}\n--- scene ---\n{src}"),
    }
}

fn finish_of(src: &str) -> Finish {
    let d = parse(src);
    match d.objects[0].texture.as_ref().expect("texture") {
        Texture::Plain(l) => l.finish.clone(),
        t => panic!("not a plain texture: {t:?}"),
    }
}

#[test]
fn no_block_no_subsurface_and_an_empty_block_has_the_defaults() {
    let g = parse("global_settings { assumed_gamma 1 }").global;
    assert_eq!(g.subsurface, None);
    assert_eq!(g.mm_per_unit, 10.0);
    let g = parse("global_settings { subsurface { } }").global;
    assert_eq!(g.subsurface, Some(SubsurfaceSettings::default()));
    let d = SubsurfaceSettings::default();
    assert_eq!(
        (d.samples_diffuse, d.samples_single, d.radiosity),
        (50, 50, false)
    );
}

#[test]
fn global_settings_are_read() {
    let g = parse(
        "#declare N = 400;
         global_settings { mm_per_unit 40 subsurface { samples N, 40 } }",
    )
    .global;
    assert_eq!(g.mm_per_unit, 40.0);
    let s = g.subsurface.expect("subsurface");
    assert_eq!((s.samples_diffuse, s.samples_single), (400, 40));
    // The comma is optional, as POV-Ray's Parse_Comma.
    let s = parse("global_settings { subsurface { samples 10 20 radiosity off } }")
        .global
        .subsurface
        .expect("subsurface");
    assert_eq!(
        (s.samples_diffuse, s.samples_single, s.radiosity),
        (10, 20, false)
    );
}

#[test]
fn finish_block_is_read_with_the_diffuse_as_written() {
    let f = finish_of(
        "sphere { 0, 1 pigment { rgb 1 }
           finish { diffuse albedo 0.8 brilliance 3
             subsurface { translucency <5, 3, 1>*0.5 anisotropy 0.2 } } }",
    );
    let s = f.subsurface.expect("subsurface");
    assert_eq!(s.translucency, Colour::rgb(2.5, 1.5, 0.5));
    // A float is a colour of that value in every channel, as in POV-Ray.
    assert_eq!(
        (s.anisotropy.r, s.anisotropy.g, s.anisotropy.b),
        (0.2, 0.2, 0.2)
    );
    // albedo rescales diffuse; the scattering uses the value written.
    assert_eq!(s.raw_diffuse, 0.8);
    assert!((f.diffuse - 1.6).abs() < 1e-12);
    let plain = finish_of("sphere { 0, 1 finish { diffuse 0.5 } }");
    assert_eq!(plain.subsurface, None);
    assert_eq!(Subsurface::default().raw_diffuse, 0.6);
}

#[test]
fn wrong_items_are_errors_with_their_place() {
    for src in [
        "global_settings { subsurface { translucency 1 } }",
        "sphere { 0, 1 finish { subsurface { samples 1, 2 } } }",
    ] {
        let e = parse_str(src, &ParseOptions::default()).expect_err(src);
        assert!(e.to_string().contains(":1:"), "{e}");
    }
}

/// The sample scene's marble reads `reflection { 0.2 fresnel }`: as in POV-Ray,
/// fresnel with one colour reflects from none head-on up to that colour.
#[test]
fn fresnel_with_one_colour_starts_from_no_reflection() {
    let f = finish_of("sphere { 0, 1 finish { reflection { 0.2 fresnel } } }");
    assert_eq!((f.reflection.min.r, f.reflection.max.r), (0.0, 0.2));
    let f = finish_of("sphere { 0, 1 finish { reflection { 0.1, 0.2 fresnel } } }");
    assert_eq!((f.reflection.min.r, f.reflection.max.r), (0.1, 0.2));
    let f = finish_of("sphere { 0, 1 finish { reflection { 0.2 } } }");
    assert_eq!((f.reflection.min.r, f.reflection.max.r), (0.2, 0.2));
}
