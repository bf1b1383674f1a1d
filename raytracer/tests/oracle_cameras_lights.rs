//! Oracle scenes for cameras, lights and light-dependent finishes
//! (scenes/tests/cameras_lights/*.pov): every camera projection, the sky
//! vector's degenerate case, the camera normal, focal blur, area lights as POV-Ray samples
//! them, cylinder/parallel/shadowless/fading lights, looks_like and
//! projected_through, shadows through fading interiors and fake caustics,
//! iridescence, conserve_energy and double_illuminate.
//! Each is rendered by POV-Ray 3.7 and by prender; the images must match at
//! PSNR >= 35 dB. No scene uses jitter (POV-Ray's jitter is a random sequence
//! per thread, so only its statistics could be compared).
//!
//! Needs Debian's `povray`. Run:
//! `cargo test -p raytracer --test oracle_cameras_lights -- --nocapture`.

mod common;

use std::path::PathBuf;

use common::oracle::assert_matches_povray;
use common::render::{povray, prender, Spec};
use common::report::{assert_psnr, load_pair};

/// The bar of the project's own oracle scenes.
const MIN_PSNR_DB: f64 = 35.0;
/// Focal blur's lens samples are our own (POV-Ray's come from its tables and
/// random sequences): the same blur, different noise.
const FOCAL_BLUR_MIN_PSNR_DB: f64 = 32.0;

/// The scenes' folder: also the include library both renderers get, for the
/// shared `world.inc` and `stage.inc`.
fn folder() -> PathBuf {
    common::test_scene("cameras_lights")
}

fn check(name: &str) {
    check_at(name, MIN_PSNR_DB);
}

fn check_at(name: &str, min_db: f64) {
    let lib = folder();
    let spec = Spec::new(lib.join(format!("{name}.pov")), 160, 120);
    assert_matches_povray(name, &spec, Some(&lib), min_db);
}

#[test]
fn fisheye_camera() {
    check("fisheye");
}

#[test]
fn ultra_wide_angle_camera() {
    check("ultra_wide_angle");
}

#[test]
fn omnimax_camera() {
    check("omnimax");
}

#[test]
fn panoramic_camera() {
    check("panoramic");
}

#[test]
fn spherical_camera() {
    check("spherical");
    check("spherical_angles");
}

#[test]
fn cylinder_cameras() {
    for n in 1..=4 {
        check(&format!("cylinder{n}"));
    }
}

#[test]
fn orthographic_camera_sized_by_angle() {
    check("orthographic");
}

#[test]
fn camera_along_its_sky_vector_and_tilted_sky() {
    check("sky_down");
    check("sky_tilted");
}

#[test]
fn camera_normal() {
    check("camera_normal");
}

#[test]
fn focal_blur() {
    check_at("focal_blur", FOCAL_BLUR_MIN_PSNR_DB);
}

#[test]
fn area_lights_adaptive_subdivision() {
    check("area_lights");
}

#[test]
fn area_lights_circular_and_orient() {
    check("area_circular_orient");
}

#[test]
fn cylinder_parallel_shadowless_and_fading_lights() {
    check("light_kinds");
}

#[test]
fn looks_like_and_projected_through() {
    check("looks_like");
}

#[test]
fn shadows_fade_through_interiors_and_fake_caustics() {
    check("interior_shadows");
}

#[test]
fn no_image_and_no_reflection_by_ray_ancestry() {
    check("ray_visibility");
}

#[test]
fn diffuse_back_and_albedo() {
    check("diffuse_back_albedo");
}

#[test]
fn irid_conserve_energy_metallic_double_illuminate() {
    check("finishes_light");
}

/// The mesh camera with distribution `dist` (the scene's `Dist`).
fn check_mesh_camera(dist: u32) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let lib = folder();
    let spec =
        Spec::new(lib.join("mesh_camera.pov"), 160, 120).with(&format!("Declare=Dist={dist}"));
    let reference =
        povray(&spec, dir.path(), "reference.tga", Some(&lib)).unwrap_or_else(|e| panic!("{e}"));
    let ours = prender(&spec, dir.path(), "ours.tga", Some(&lib)).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = load_pair(&ours, &reference);
    assert_psnr(&format!("mesh_camera {dist}"), &a, &b, MIN_PSNR_DB);
}

#[test]
fn mesh_camera_two_meshes_averaged() {
    check_mesh_camera(0);
}

#[test]
fn mesh_camera_faces_summed_over_meshes() {
    check_mesh_camera(1);
}

#[test]
fn mesh_camera_side_by_side_transformed() {
    check_mesh_camera(2);
}

#[test]
fn mesh_camera_uv_map_of_a_tilted_quad() {
    check_mesh_camera(3);
}
