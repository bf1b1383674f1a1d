//! The project's atmosphere scenes (scenes/tests: sky spheres, fogs, rainbows,
//! media)
//! rendered by POV-Ray 3.7 and by prender; each must match at PSNR >= 35 dB.
//!
//! Needs Debian's `povray`.
//! Run: `cargo test -p raytracer --test oracle_atmosphere -- --nocapture`.

mod common;

use common::oracle::assert_matches_povray;
use common::render::Spec;

/// The bar for the project's own scenes.
const MIN_PSNR_DB: f64 = 35.0;

fn check(name: &str) {
    let spec = Spec::new(common::test_scene(&format!("{name}.pov")), 240, 180);
    assert_matches_povray(name, &spec, None, MIN_PSNR_DB);
}

#[test]
fn sky_sphere_layers_transform_emission_and_background() {
    check("sky_sphere");
}

#[test]
fn sky_sphere_composited_as_before_3_7() {
    check("sky_sphere_legacy");
}

#[test]
fn constant_and_ground_fog_with_hollow_and_solid_objects() {
    check("fog");
}

#[test]
fn turbulent_fogs() {
    check("fog_turbulence");
}

#[test]
fn rainbows_and_arcs() {
    check("rainbow");
}

#[test]
fn media_in_hollow_interiors_with_shadows_through_them() {
    check("media");
}

#[test]
fn atmospheric_media_lit_by_spotlights() {
    check("media_spot");
}

#[test]
fn camera_inside_a_media_box_and_a_solid_sphere() {
    check("camera_inside");
}

/// The density_file pattern (DF3 files made for the test) in pigments, a
/// normal and an emitting medium, with each interpolation.
#[test]
fn density_files_in_pigments_normals_and_media() {
    // The DF3 files lie beside the scene, so its folder is a library path.
    let spec = common::oracle::test_scene_spec("density_files", 240, 180);
    assert_matches_povray("density_files", &spec, None, MIN_PSNR_DB);
}

/// A shadowless light lights surfaces but no media, as POV-Ray 3.7's fill lights.
#[test]
fn shadowless_lights_light_no_media() {
    check("media_fill_light");
}

/// Where two hollow media spheres overlap, their media are sampled together as
/// one list, as POV-Ray samples a ray's interiors (each on its own scored 32 dB).
#[test]
fn overlapping_media_are_sampled_together() {
    let spec = Spec::new(common::test_scene("media_overlap.pov"), 240, 180);
    assert_matches_povray("media_overlap", &spec, None, 45.0);
}

/// Media jitter (methods 2 and 3) moves samples as POV-Ray's does, from a hash of
/// their places: the image stays within POV-Ray's own grain of its image, differs
/// from the unjittered one, and is the same on one thread and on two.
#[test]
fn media_jitter_moves_samples_reproducibly() {
    let spec = Spec::new(common::test_scene("media_jitter.pov"), 240, 180);
    assert_matches_povray("media_jitter", &spec, None, 38.0);
    common::oracle::assert_threads_agree("media_jitter_threads", spec.clone());

    let dir = tempfile::tempdir().expect("temporary directory");
    let text = std::fs::read_to_string(common::test_scene("media_jitter.pov")).unwrap();
    let still = dir.path().join("media_still.pov");
    let unjittered = text.replace(" jitter 1", "").replace(" jitter 0.8", "");
    assert_ne!(unjittered, text);
    std::fs::write(&still, unjittered).unwrap();
    let render = |spec: &Spec, name: &str| {
        let path = common::render::prender(spec, dir.path(), name, None).unwrap();
        common::image::Rgb8::load(&path).unwrap()
    };
    let jittered = render(&spec, "jittered.tga");
    let fixed = render(&Spec::new(still, 240, 180), "fixed.tga");
    let db = common::metrics::psnr(&jittered, &fixed).unwrap();
    assert!(
        db.is_finite() && db < 60.0,
        "jitter changed nothing: {db:.1} dB"
    );
}

/// Media are lit by the lights of the object their ray ends on, as POV-Ray
/// lights them: a `light_group`'s media by its own lights, and by the global
/// ones only with `global_lights on` (about 49 dB; 20 dB when media saw only
/// the global lights).
#[test]
fn media_see_the_lights_of_their_light_group() {
    check("media_light_groups");
}
