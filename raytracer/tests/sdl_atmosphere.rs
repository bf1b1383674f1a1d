//! The atmospheric statements: sky_sphere, fog, rainbow, media and background, parsed
//! into the description as POV-Ray 3.7 sets them up.

use glam::DVec3;
use raytracer::desc::{Colour, FogKind, PigmentKind, Scattering};
use raytracer::pattern::PatternKind;
use raytracer::sdl::ParseOptions;

mod common;
use common::sdl::{parse, parse_err};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn sky_sphere_keeps_pigments_in_order_with_its_transform() {
    let s = parse(
        "sky_sphere { pigment { rgb <1,0,0> } rotate 90*y pigment { rgbt <0,0,1,0.5> }\n\
         emission rgb 2 }",
    );
    let sky = s.atmosphere.sky_sphere.expect("a sky sphere");
    assert_eq!(sky.pigments.len(), 2);
    assert_eq!(
        sky.pigments[0].kind,
        PigmentKind::Solid(Colour::rgb(1.0, 0.0, 0.0))
    );
    assert_eq!(sky.emission, Colour::rgb(2.0, 2.0, 2.0));
    let x = sky.transform.direction(DVec3::X);
    assert!((x - DVec3::new(0.0, 0.0, -1.0)).length() < 1e-12, "{x}");
}

#[test]
fn declared_sky_sphere_is_copied_and_extended() {
    let s = parse(
        "#declare S = sky_sphere { pigment { rgb 1 } }\n\
         sky_sphere { S pigment { rgbt <0,0,0,1> } translate y }",
    );
    let sky = s.atmosphere.sky_sphere.expect("a sky sphere");
    assert_eq!(sky.pigments.len(), 2);
    assert_eq!(sky.transform.point(DVec3::ZERO), DVec3::Y);
}

#[test]
fn empty_sky_sphere_is_an_error_at_its_line() {
    let e = parse_err("camera {}\nsky_sphere { emission 1 }");
    assert!(e.contains(":2:") && e.contains("empty sky_sphere"), "{e}");
}

#[test]
fn fogs_accumulate_with_ground_parameters_and_up() {
    let s = parse(
        "fog { distance 10 rgbf <1,1,1,0.5> }\n\
         fog { fog_type 2 fog_alt 0.5 fog_offset 2 distance 3 color rgb 1 up <0,2,0>\n\
         rotate 90*z turbulence 0.4 octaves 3 omega 0.7 lambda 3 turb_depth 0.2 }",
    );
    let fogs = &s.atmosphere.fogs;
    assert_eq!(fogs.len(), 2);
    assert_eq!(fogs[0].kind, FogKind::Constant);
    assert_eq!(fogs[0].colour.f, 0.5);
    assert_eq!(fogs[0].turbulence, None);
    assert_eq!(
        fogs[1].kind,
        FogKind::Ground {
            offset: 2.0,
            alt: 0.5
        }
    );
    assert!((fogs[1].up - DVec3::new(-1.0, 0.0, 0.0)).length() < 1e-12);
    let t = fogs[1].turbulence.expect("turbulence");
    assert_eq!(t.amount, DVec3::splat(0.4));
    assert_eq!((t.octaves, t.omega, t.lambda), (3, 0.7, 3.0));
    assert_eq!(fogs[1].turb_depth, 0.2);
}

#[test]
fn fog_translate_and_unknown_type_warn() {
    let p = raytracer::sdl::parse_with(
        "<scene>",
        "fog { distance 1 translate x fog_type 7 }",
        &ParseOptions::default(),
        &raytracer::sdl::MemoryLoader::default(),
    )
    .expect("parses");
    assert!(p.messages.iter().any(|m| m.contains("can't be translated")));
    assert!(p.messages.iter().any(|m| m.contains("unknown fog_type 7")));
}

#[test]
fn rainbow_is_set_up_in_half_angle_radians() {
    let s = parse(
        "rainbow { angle 42 width 4 direction <0,0,1> up <0,1,1> arc_angle 120\n\
         falloff_angle 60 color_map { [0 rgb 1] [1 rgb 0] } }",
    );
    let r = &s.atmosphere.rainbows[0];
    assert!(close(r.angle, 40f64.to_radians()));
    assert!(close(r.width, 4f64.to_radians()));
    assert!(close(r.arc_angle, 60f64.to_radians()));
    assert!(close(r.falloff_angle, 30f64.to_radians()));
    assert!(close(r.falloff_width, 30f64.to_radians()));
    assert!((r.up - DVec3::Y).length() < 1e-12, "{}", r.up);
    assert!((r.right - DVec3::X).length() < 1e-12, "{}", r.right);
    assert_eq!(r.colour_map.as_ref().map(Vec::len), Some(2));
}

#[test]
fn rainbow_errors() {
    let e = parse_err("rainbow { angle 42 width 4 up y }");
    assert!(e.contains("direction vector is zero"), "{e}");
    let e = parse_err("rainbow { direction y up y }");
    assert!(e.contains("co-linear"), "{e}");
    let e = parse_err("rainbow { direction z arc_angle 400 }");
    assert!(e.contains("between 0 and 360"), "{e}");
    let e = parse_err("rainbow { direction z arc_angle 30 falloff_angle 60 }");
    assert!(e.contains("smaller than its falloff_angle"), "{e}");
}

#[test]
fn background_transmit_darkens_it_in_3_7_only() {
    let s = parse("#version 3.7; background { rgbt <1, 0.5, 0, 0.5> }");
    assert_eq!(s.background, Colour::rgb(0.5, 0.25, 0.0));
    let s = parse("#version 3.6; background { rgbft <1, 0.5, 0, 0.2, 0.5> }");
    assert_eq!(s.background, Colour::rgb(1.0, 0.5, 0.0));
}

#[test]
fn media_defaults_follow_the_language_version() {
    let s = parse("#version 3.7; media { emission 0.5 }");
    let m = &s.atmosphere.media[0];
    assert_eq!(
        (m.method, m.intervals, m.min_samples, m.max_samples),
        (3, 1, 10, 10)
    );
    assert_eq!(m.emission.rgb_vec(), DVec3::splat(0.5));
    let s = parse("#version 3.1; media { absorption 1 }");
    let m = &s.atmosphere.media[0];
    assert_eq!((m.method, m.intervals, m.min_samples), (1, 10, 1));
}

#[test]
fn interior_media_with_scattering_and_densities() {
    let s = parse(
        "#declare M = media { scattering { 5, rgb 0.2 eccentricity 0.3 extinction 0.5 } }\n\
         sphere { 0, 1 hollow interior { media { M samples 4, 8 intervals 3\n\
         density { spherical density_map { [0 rgb 0] [1 rgb 1] } } density { rgb 0.5 } } }\n\
         translate x }",
    );
    let i = s.objects[0].interior.as_ref().expect("an interior");
    let m = &i.media[0];
    assert_eq!(m.scattering_type, Scattering::HenyeyGreenstein(0.3));
    assert_eq!(m.extinction, 0.5);
    assert_eq!((m.intervals, m.min_samples, m.max_samples), (3, 4, 8));
    assert_eq!(m.density.len(), 2);
    assert!(matches!(m.density[0].kind, PigmentKind::ColourMap { .. }));
    // The density moved with the object.
    assert_eq!(m.density[0].transform.point(DVec3::ZERO), DVec3::X);
}

#[test]
fn media_errors_name_the_problem() {
    let e = parse_err("media { scattering { 1, rgb 1 eccentricity 0.5 } }");
    assert!(e.contains("Henyey-Greenstein"), "{e}");
    let e = parse_err("media { samples 5, 2 }");
    assert!(e.contains("fewer than its minimum"), "{e}");
    let e = parse_err("media { method 4 }");
    assert!(e.contains("1, 2 or 3"), "{e}");
}

#[test]
fn density_files_are_read_with_their_interpolation() {
    // 2x1x1 voxels of 8 bits: 0 and 255.
    let df3 = vec![0, 2, 0, 1, 0, 1, 0, 255];
    let loader = raytracer::sdl::MemoryLoader::default().with_data([("x.df3".into(), df3)]);
    let src = "media { emission 1 density { density_file df3 \"x.df3\" interpolate 1 } }";
    let p = raytracer::sdl::parse_with("<scene>", src, &ParseOptions::default(), &loader)
        .expect("parses");
    let d = &p.scene.atmosphere.media[0].density[0];
    let PigmentKind::ColourMap { pattern, .. } = &d.kind else {
        panic!("a density pattern, not {:?}", d.kind)
    };
    let PatternKind::DensityFile(f) = &pattern.kind else {
        panic!("a density file, not {:?}", pattern.kind)
    };
    assert_eq!(f.interpolation, 1);
    assert_eq!((f.data.sx, f.data.sy, f.data.sz), (2, 1, 1));
}

#[test]
fn bad_density_files_are_errors_at_their_line() {
    let loader = raytracer::sdl::MemoryLoader::default()
        .with_data([("bad.df3".into(), vec![0, 2, 0, 2, 0, 2, 1, 2, 3])]);
    let src = "media {\n density { density_file df3 \"bad.df3\" } }";
    let Err(e) = raytracer::sdl::parse_with("<scene>", src, &ParseOptions::default(), &loader)
    else {
        panic!("a bad df3 file must be an error")
    };
    let e = e.to_string();
    assert!(e.starts_with("<scene>:2:") && e.contains("2x2x2"), "{e}");
    let e = parse_err("media { density { density_file df3 \"none.df3\" } }");
    assert!(e.contains("cannot find density file 'none.df3'"), "{e}");
    let e = parse_err("media { density { density_file \"x.df3\" } }");
    assert!(e.contains("df3"), "{e}");
}
