//! The three `photons { }` blocks: global settings with POV-Ray 3.7's
//! defaults, object flags (inherited by CSG children), light flags, and the
//! errors and warnings for what is wrong or not rendered.

use raytracer::desc::{LightPhotons, ObjectPhotons, Photons, Shape};
use raytracer::sdl::{parse_str, ParseOptions};

fn parse(src: &str) -> raytracer::desc::SceneDesc {
    match parse_str(src, &ParseOptions::default()) {
        Ok(s) => s,
        Err(e) => panic!("parse failed: {e}\n--- scene ---\n{src}"),
    }
}

#[test]
fn no_block_no_photons_and_an_empty_block_has_the_defaults() {
    assert_eq!(
        parse("global_settings { assumed_gamma 1 }").global.photons,
        None
    );
    let p = parse("global_settings { photons { } }").global.photons;
    assert_eq!(p, Some(Photons::default()));
    let d = Photons::default();
    assert_eq!((d.gather_min, d.gather_max, d.expand_min), (20, 100, 35));
    assert_eq!((d.jitter, d.autostop, d.expand_tolerance), (0.4, 0.5, 0.2));
}

#[test]
fn every_global_setting_is_read() {
    let p = parse(
        "#declare S = 0.02;
         global_settings { photons {
            spacing S gather 10, 50 jitter 0.1 autostop 0 expand_thresholds 0.3, 20
            max_trace_level 7 adc_bailout 0.001 radius 0.5, 2 media 0
        } }",
    )
    .global
    .photons
    .expect("photons");
    assert_eq!(p.spacing, 0.02);
    assert_eq!((p.gather_min, p.gather_max), (10, 50));
    assert_eq!((p.jitter, p.autostop), (0.1, 0.0));
    assert_eq!((p.expand_tolerance, p.expand_min), (0.3, 20));
    assert_eq!((p.max_trace_level, p.adc_bailout), (Some(7), Some(0.001)));
    assert_eq!((p.radius, p.radius_factor), (Some(0.5), 2.0));
}

#[test]
fn object_flags_are_read_and_passed_to_csg_children() {
    let d = parse(
        "union {
            sphere { 0, 1 }
            sphere { x, 1 photons { collect off } }
            photons { target 0.5 refraction on reflection off pass_through }
        }",
    );
    let o = &d.objects[0];
    let want = ObjectPhotons {
        target: Some(0.5),
        refraction: Some(true),
        reflection: Some(false),
        collect: true,
        pass_through: true,
    };
    assert_eq!(o.photons, want);
    let Shape::Csg { children, .. } = &o.shape else {
        panic!("a union");
    };
    assert_eq!(children[0].photons, want);
    assert!(!children[1].photons.collect);
    assert_eq!(children[1].photons.target, None);
}

#[test]
fn light_flags_are_read() {
    let d = parse("light_source { 0, 1 photons { refraction on reflection off area_light } }");
    let want = LightPhotons {
        refraction: Some(true),
        reflection: Some(false),
        area_light: true,
    };
    assert_eq!(d.lights[0].photons, want);
}

#[test]
fn media_photon_settings_and_radii_are_read() {
    let p = parse("global_settings { photons { count 1000 media 100, 2 radius , , 0.3, 1.5 } }")
        .global
        .photons
        .expect("photons");
    assert_eq!((p.media_steps, p.media_factor), (100, 2.0));
    assert_eq!((p.radius, p.radius_factor), (None, 1.0));
    assert_eq!((p.media_radius, p.media_radius_factor), (Some(0.3), 1.5));
    // The factor is optional, and a block without `media` has none.
    let p = parse("global_settings { photons { media 50 } }")
        .global
        .photons
        .expect("photons");
    assert_eq!((p.media_steps, p.media_factor), (50, 1.0));
    let p = parse("global_settings { photons { } }")
        .global
        .photons
        .expect("photons");
    assert_eq!((p.media_steps, p.media_radius), (0, None));
}

#[test]
fn a_medium_may_refuse_photons() {
    let d = parse(
        "box { 0, 1 hollow interior { media { scattering { 1, 1 } collect off } } }
         box { 0, 1 hollow interior { media { scattering { 1, 1 } } } }",
    );
    let collect = |i: usize| d.objects[i].interior.as_ref().expect("interior").media[0].collect;
    assert!(!collect(0));
    assert!(collect(1));
}

#[test]
fn bad_settings_are_errors_at_their_line() {
    for src in [
        "global_settings {\n photons { gather 50, 10 } }",
        "global_settings {\n photons { spacing 0.1 bogus 1 } }",
        "sphere { 0, 1\n photons { target refraction } }",
        "global_settings {\n photons { media -1 } }",
        "global_settings {\n photons { media 10, 0 } }",
    ] {
        let e = parse_str(src, &ParseOptions::default()).expect_err(src);
        assert!(e.to_string().contains(":2:"), "{e}");
    }
}
