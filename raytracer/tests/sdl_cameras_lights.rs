//! The camera and light_source blocks: what the parser makes of each item,
//! POV-Ray's fixed order of folding the camera's items, and the errors and
//! warnings it gives for values it refuses.

use glam::DVec3;
use raytracer::desc::camera::CylinderKind;
use raytracer::desc::{LightKind, Projection, Shape};
use raytracer::sdl::{parse_with, MemoryLoader, ParseOptions};

mod common;
use common::sdl::{parse, parse_err};

fn messages(src: &str) -> Vec<String> {
    let p = parse_with(
        "s.pov",
        src,
        &ParseOptions::default(),
        &MemoryLoader::default(),
    )
    .unwrap_or_else(|e| panic!("parse failed: {e}"));
    p.messages
}

fn near(a: DVec3, b: DVec3) -> bool {
    (a - b).length() < 1e-9
}

#[test]
fn every_projection_keyword() {
    let cases = [
        ("fisheye", Projection::Fisheye),
        ("ultra_wide_angle", Projection::UltraWideAngle),
        ("omnimax", Projection::Omnimax),
        ("panoramic", Projection::Panoramic),
        ("spherical", Projection::Spherical),
        (
            "cylinder 3",
            Projection::Cylinder(CylinderKind::VerticalParallel),
        ),
        ("orthographic", Projection::Orthographic),
    ];
    for (kw, p) in cases {
        let s = parse(&format!("camera {{ {kw} location -5 look_at 0 }}"));
        assert_eq!(s.camera.projection, p, "{kw}");
    }
    assert!(parse_err("camera { cylinder 5 }").contains("cylinder camera type"));
}

#[test]
fn wide_angles_only_for_projections_that_allow_them() {
    let s = parse("camera { panoramic angle 360 }");
    assert_eq!(s.camera.angle, 360.0);
    // The angle does not rescale a non-perspective camera's direction.
    assert!(near(s.camera.direction, DVec3::Z));
    assert!(parse_err("camera { angle 200 }").contains("smaller than 180"));
    let s = parse("camera { spherical angle 270 }");
    assert_eq!(s.camera.spherical_angles, (270.0, 135.0));
    let s = parse("camera { spherical angle 180, 60 }");
    assert_eq!(s.camera.spherical_angles, (180.0, 60.0));
}

#[test]
fn items_fold_in_povray_order_whatever_the_written_order() {
    let a = parse("camera { look_at <0,0,5> angle 60 location <1,2,-3> }").camera;
    let b = parse("camera { location <1,2,-3> angle 60 look_at <0,0,5> }").camera;
    assert_eq!(a, b);
    // angle 90 with right 1.33 gives a direction of length 0.665.
    let c = parse("camera { angle 90 }").camera;
    assert!((c.direction.length() - 0.665).abs() < 1e-9);
}

#[test]
fn looking_along_the_sky_keeps_the_right_vector_with_a_warning() {
    let src = "camera { location <0,10,0> look_at 0 }";
    let s = parse(src);
    assert!(near(s.camera.right.normalize(), DVec3::X));
    assert!(near(s.camera.direction.normalize(), -DVec3::Y));
    assert!(messages(src).iter().any(|m| m.contains("sky vector")));
    assert!(parse_err("camera { location 1 look_at 1 }").contains("must be different"));
}

#[test]
fn focal_blur_settings() {
    let s = parse("camera { location <0,0,-10> aperture 0.5 blur_samples 4, 20 focal_point <0,0,2> confidence 0.8 variance 0.01 }");
    let b = s.camera.focal_blur.expect("focal blur");
    assert_eq!((b.min_samples, b.samples), (4, 20));
    assert!((b.focal_distance - 12.0).abs() < 1e-9);
    assert_eq!((b.confidence, b.variance), (0.8, 0.01));
    // No aperture, no blur.
    assert!(parse("camera { blur_samples 10 }")
        .camera
        .focal_blur
        .is_none());
    assert!(messages("camera { confidence 2 }")
        .iter()
        .any(|m| m.contains("confidence")));
}

#[test]
fn camera_normal_is_kept() {
    let s = parse("camera { normal { bumps 0.5 scale 0.1 } }");
    assert!(s.camera.normal.is_some());
}

#[test]
fn light_kinds_and_their_parameters() {
    let s = parse(
        "light_source { <0,10,0> rgb 1 cylinder point_at 0 radius 2 falloff 3 tightness 4 }\n\
         light_source { <0,10,0> rgb 1 spotlight shadowless }\n\
         light_source { <0,10,0> rgb 1 shadowless spotlight }\n\
         light_source { <0,10,0> rgb 1 parallel point_at <1,0,0> }",
    );
    assert!(matches!(
        s.lights[0].kind,
        LightKind::Cylinder { radius, falloff, tightness } if (radius, falloff, tightness) == (2.0, 3.0, 4.0)
    ));
    // A cylinder light is parallel.
    assert!(s.lights[0].parallel);
    // shadowless is POV-Ray's fill light: it replaces a spotlight given before it.
    assert!(s.lights[1].shadowless && s.lights[1].kind == LightKind::Point);
    assert!(!s.lights[2].shadowless);
    assert!(matches!(s.lights[2].kind, LightKind::Spot { .. }));
    assert!(s.lights[3].parallel && near(s.lights[3].point_at, DVec3::X));
}

#[test]
fn area_light_options() {
    let s = parse(
        "light_source { 0 rgb 1 area_light <1 0 0> <0 0 1> 3, 5 circular orient }\n\
         light_source { 0 rgb 1 area_light x, z, 2, 2 adaptive 1 jitter }",
    );
    let a = s.lights[0].area.as_ref().expect("area light");
    assert_eq!((a.size1, a.size2), (3, 5));
    assert!(near(a.axis1, DVec3::X) && near(a.axis2, DVec3::Z));
    assert!(a.circular && a.orient && !a.jitter);
    // Without `adaptive` POV-Ray subdivides the whole grid.
    assert_eq!(a.adaptive, raytracer::desc::light::DEFAULT_ADAPTIVE);
    let b = s.lights[1].area.as_ref().expect("area light");
    assert!(b.jitter && b.adaptive == 1);
    assert!(parse_err("light_source { 0 rgb 1 area_light x, z, 0, 2 }").contains("at least 1"));
    assert!(
        parse_err("light_source { 0 rgb 1 area_light x, z, 1, 4 circular }").contains("circular")
    );
}

#[test]
fn looks_like_moves_with_the_light_and_casts_no_shadow() {
    let s =
        parse("light_source { <1,2,3> rgb 1 looks_like { sphere { 0, 0.5 } } translate <1,0,0> }");
    assert_eq!(s.lights.len(), 1);
    assert!(near(s.lights[0].position, DVec3::new(2.0, 2.0, 3.0)));
    let o = &s.objects[0];
    assert!(o.no_shadow);
    assert!(matches!(o.shape, Shape::Sphere { .. }));
    assert!(near(
        o.transform.point(DVec3::ZERO),
        DVec3::new(2.0, 2.0, 3.0)
    ));
}

#[test]
fn projected_through_keeps_its_object_and_moves_with_the_light() {
    let s = parse("light_source { 0 rgb 1 projected_through { box { -1, 1 } } translate y }");
    let o = s.lights[0].projected_through.as_ref().expect("object");
    assert!(near(o.transform.point(DVec3::ZERO), DVec3::Y));
}

#[test]
fn vectors_side_by_side_are_two_vectors() {
    let s = parse("box { <-1, -1, -1> <1, 1, 1> }");
    assert!(matches!(s.objects[0].shape, Shape::Box { .. }));
    // Inside parentheses `<` still compares.
    let s = parse("sphere { 0, (1 < 2) + 1 }");
    assert!(matches!(s.objects[0].shape, Shape::Sphere { radius, .. } if radius == 2.0));
}

#[test]
fn finish_irid_and_optional_metallic() {
    let s = parse(
        "sphere { 0, 1 finish { irid { 0.3 thickness 0.5 turbulence 0.2 } metallic on reflection { 0.5 metallic } } }",
    );
    let raytracer::desc::Texture::Plain(layer) = s.objects[0].texture.as_ref().expect("texture")
    else {
        panic!("plain texture expected");
    };
    let f = &layer.finish;
    assert_eq!(
        (f.irid, f.irid_thickness, f.irid_turbulence),
        (0.3, 0.5, 0.2)
    );
    assert_eq!(f.metallic, 1.0);
    assert_eq!(f.reflection.metallic, 1.0);
}

#[test]
fn diffuse_back_and_albedo_rescaling() {
    let s = parse(
        "sphere { 0, 1 finish { brilliance 3 diffuse albedo 0.5, 0.2 phong albedo 1 phong_size 9 } }",
    );
    let raytracer::desc::Texture::Plain(layer) = s.objects[0].texture.as_ref().expect("texture")
    else {
        panic!("plain texture expected");
    };
    let f = &layer.finish;
    // albedo: diffuse times (brilliance + 1) / 2, phong times (size + 1) / 2.
    assert!((f.diffuse - 1.0).abs() < 1e-12 && (f.diffuse_back - 0.4).abs() < 1e-12);
    assert!((f.phong - 5.0).abs() < 1e-12);
}

#[test]
fn mesh_camera_meshes_and_checks() {
    let tri =
        "mesh { triangle { <0,0,0>, <1,1,0>, <1,0,0> } triangle { <1,0,0>, <2,1,0>, <2,0,0> } }";
    let s = parse(&format!(
        "#declare M = {tri}
         camera {{ mesh_camera {{ 2 0 mesh {{ M translate -10*z }} {tri} }} location <0, 0, 0.5> }}"
    ));
    assert_eq!(s.camera.projection, Projection::Mesh);
    let m = s.camera.mesh.as_ref().expect("mesh camera");
    assert_eq!((m.rays_per_pixel, m.meshes.len()), (2, 2));
    assert_eq!(
        m.distribution,
        raytracer::desc::camera::MeshDistribution::PerMesh
    );
    assert_eq!(m.meshes[0].data.triangles.len(), 2);
    assert_ne!(m.meshes[0].transform, m.meshes[1].transform);
    for (bad, why) in [
        (
            format!("camera {{ mesh_camera {{ 3 0 {tri} }} }}"),
            "number of meshes",
        ),
        (
            format!("camera {{ mesh_camera {{ 1 4 {tri} }} }}"),
            "distribution",
        ),
        (
            format!("camera {{ mesh_camera {{ 2 2 {tri} }} }}"),
            "must be 1",
        ),
        (
            format!("camera {{ mesh_camera {{ 1 0 {tri} smooth }} }}"),
            "smooth",
        ),
        ("camera { mesh_camera { 1 0 } }".to_string(), "mesh"),
        ("camera { mesh_camera { 0 0 } }".to_string(), "may not be 0"),
    ] {
        let e = parse_err(&bad);
        assert!(e.contains(":1:") || e.contains(":2:"), "{e}");
        assert!(e.contains(why), "{bad}: {e}");
    }
}
