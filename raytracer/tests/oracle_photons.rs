//! Photon caustics against POV-Ray 3.7: refraction through glass (with a photon
//! target's spacing multiplier and interior fading), reflection off a metal CSG
//! ring under a fading spotlight, media photons (a spotlight focused by a glass
//! sphere inside scattering media), photons split into wavelength bands by
//! dispersive glass; photons and light groups, through uv-mapped textures; a photon map saved with `save_file` and read back with
//! `load_file`; and the determinism distributed renders need:
//! the photon map, hence the image, does not depend on the thread count.
//!
//! POV-Ray's photon pass draws random numbers in its shooting order, ours hashes
//! each photon's place in a fixed order (see `raytracer::render::photons`), so
//! the maps agree in density, not photon for photon: the bar is 35 dB at the
//! acceptance size, 160x120.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).

mod common;

use common::oracle::{assert_matches_povray, assert_threads_agree};
use common::render::{prender, Spec};
use common::report::{assert_identical, load_pair};

const MIN_PSNR_DB: f64 = 35.0;

fn check(name: &str) {
    let spec = Spec::new(common::test_scene(&format!("{name}.pov")), 160, 120);
    assert_matches_povray(name, &spec, None, MIN_PSNR_DB);
}

#[test]
fn glass_caustics_match_povray() {
    check("photons_glass");
}

#[test]
fn metal_ring_caustic_matches_povray() {
    check("photons_metal");
}

#[test]
fn media_photons_match_povray() {
    // About 50 dB; without media photons the focused beam behind the sphere is
    // missing (17 dB).
    check("photons_media");
}

#[test]
fn dispersive_glass_photons_match_povray() {
    // About 37 dB; with dispersion ignored, 27.5 dB (the caustics stay white).
    check("photons_dispersion");
}

/// Only global lights shoot photons, and none at a target in a `light_group`
/// without the global lights, as in POV-Ray 3.7; such a target still casts
/// a target's full shadow. About 36.5 dB; 28 dB when every light shot at
/// every target.
#[test]
fn light_group_lights_and_targets_shoot_as_povray() {
    check("photons_light_groups");
}

/// Light groups inside light groups (inner lights only, the outermost group's
/// `global_lights`, a group without lights left to the outer one) and a
/// group's own `photons { target }`. About 63 dB; 23 dB with each group
/// deciding its global lights, 34 dB with the group's photons ignored.
#[test]
fn nested_light_groups_and_group_photons_match_povray() {
    check("light_groups_nested");
}

/// Photons through a uv-mapped see-through texture take its colour at the
/// surface's uv, as POV-Ray's (about 51 dB).
#[test]
fn photons_through_uv_mapped_textures() {
    check("photons_uv");
}

#[test]
fn photons_are_the_same_with_one_or_two_threads() {
    let spec = Spec::new(common::test_scene("photons_glass.pov"), 64, 48);
    assert_threads_agree("photons_threads", spec);
}

/// `save_file` then `load_file`: the loaded map renders the image the built
/// one did, bit for bit, and that image matches POV-Ray's (which builds it).
#[test]
fn a_saved_photon_map_loads_to_the_same_image() {
    let scene = common::test_scene("photons_file.pov");
    let dir = tempfile::tempdir().expect("temporary directory");
    let render = |declare: &str, name: &str| {
        let spec = Spec::new(scene.clone(), 160, 120).with(declare);
        prender(&spec, dir.path(), name, None).unwrap_or_else(|e| panic!("{e}"))
    };
    let built = render("Declare=Save=1", "built.tga");
    assert!(dir.path().join("photons_file.ph").is_file(), "no map saved");
    let loaded = render("Declare=Load=1", "loaded.tga");
    let (a, b) = load_pair(&loaded, &built);
    assert_identical("photons_file_loaded", &a, &b);
    let spec = Spec::new(scene, 160, 120);
    assert_matches_povray("photons_file", &spec, None, MIN_PSNR_DB);
}

/// A `load_file` that is not a photon map, or is missing, stops the parse
/// with an error at the `load_file` line.
#[test]
fn a_damaged_or_missing_photon_map_is_an_error_at_its_line() {
    let scene = common::test_scene("photons_file.pov");
    let dir = tempfile::tempdir().expect("temporary directory");
    let spec = Spec::new(scene, 32, 24).with("Declare=Load=1");
    let map = dir.path().join("photons_file.ph");
    for (contents, why) in [
        (
            Some(&b"PRPHOTON\x01\0\0\0 truncated"[..]),
            "truncated or damaged",
        ),
        (Some(&b"not a map at all"[..]), "not a prender photon map"),
        (None, "cannot find photon map file"),
    ] {
        match contents {
            Some(bytes) => std::fs::write(&map, bytes).expect("write map"),
            None => {
                let _ = std::fs::remove_file(&map);
            }
        }
        let err = prender(&spec, dir.path(), "out.tga", None).expect_err("render should fail");
        assert!(
            err.contains("photons_file.pov:13:") && err.contains(why),
            "{why}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}
