//! The language of the larger shapes: superellipsoid, blob, mesh, mesh2,
//! julia_fractal, poly. Each test parses a small scene and checks the
//! description, or checks that bad input stops with an error at file:line.

use std::sync::Arc;

use glam::DVec3;
use raytracer::desc::shapes::{BlobComponentKind, JuliaAlgebra, JuliaFunction};
use raytracer::desc::Shape;
use raytracer::sdl::{parse_file, parse_files_with_data, ParseOptions};

mod common;
use common::sdl::{parse, parse_err};

#[test]
fn superellipsoid_exponents() {
    let s = parse("superellipsoid { <0.25, 1> pigment { rgb 1 } }");
    assert!(matches!(s.objects[0].shape, Shape::Superellipsoid { e, n } if e == 0.25 && n == 1.0));
    let e = parse_err("superellipsoid { <0, 1> }");
    assert!(e.contains(":1:") && e.contains("non-zero"), "{e}");
}

#[test]
fn blob_components_threshold_and_flags() {
    let s = parse(
        "blob { threshold 0.4
           sphere { <1, 0, 0>, 2, strength 3 scale 2 texture { pigment { rgb 1 } } }
           cylinder { <0, 0, 0>, <0, 1, 0>, 0.5, -1 }
           component 1, 1.5, <0, 2, 0>
           sturm hierarchy off
           translate x }",
    );
    let Shape::Blob(b) = &s.objects[0].shape else {
        panic!("not a blob: {:?}", s.objects[0].shape);
    };
    assert_eq!(b.threshold, 0.4);
    assert!(b.sturm && !b.hierarchy);
    assert_eq!(b.components.len(), 3);
    let c = &b.components[0];
    assert_eq!((c.strength, c.radius), (3.0, 2.0));
    assert!(c.texture.is_some());
    assert_eq!(
        c.transform.matrix.transform_point3(DVec3::X),
        DVec3::new(2.0, 0.0, 0.0)
    );
    assert!(matches!(
        b.components[1].kind,
        BlobComponentKind::Cylinder { .. }
    ));
    assert_eq!(b.components[1].strength, -1.0);
    assert!(matches!(
        b.components[2].kind,
        BlobComponentKind::Sphere { center } if center == DVec3::new(0.0, 2.0, 0.0)
    ));
}

#[test]
fn blob_errors_name_the_place() {
    let e = parse_err("\n\nblob { threshold 1 }");
    assert!(
        e.contains(":3:") && e.contains("at least one component"),
        "{e}"
    );
    let e = parse_err("blob { cylinder { <1, 1, 1>, <1, 1, 1>, 1, 1 } }");
    assert!(e.contains("degenerate cylindrical component"), "{e}");
}

#[test]
fn mesh_triangles_textures_and_copies_share_data() {
    let s = parse(
        "#declare T = texture { pigment { rgb x } }
         #declare M = mesh {
           triangle { <0, 0, 0>, <1, 0, 0>, <0, 1, 0> texture { T } }
           smooth_triangle { <0, 0, 0>, y, <1, 0, 0>, x, <0, 0, 1>, z texture { T } }
           triangle { <0, 0, 0>, <1, 0, 0>, <2, 0, 0> }
           inside_vector y
         }
         object { M }
         object { M translate x }",
    );
    let (Shape::Mesh { data: a, textures }, Shape::Mesh { data: b, .. }) =
        (&s.objects[0].shape, &s.objects[1].shape)
    else {
        panic!("not meshes");
    };
    assert!(Arc::ptr_eq(a, b), "copies must share the mesh");
    // The degenerate triangle is dropped; the shared texture is stored once.
    assert_eq!(a.triangles.len(), 2);
    assert_eq!(textures.len(), 1);
    assert_eq!(a.triangles[1].texture, Some(0));
    assert!(a.triangles[1].normals.is_some() && a.triangles[0].normals.is_none());
    assert_eq!(a.inside_vector, Some(DVec3::Y));
}

/// POV-Ray's `Parse_Object_Id`: a shape block may open with a declared
/// object's name (mesh_camera demos write `mesh { camera_mesh texture { } }`),
/// which makes it a copy of that object with the block's modifiers.
#[test]
fn shape_block_may_open_with_a_declared_object() {
    let s = parse(
        "#declare M = mesh { triangle { <0, 0, 0>, <1, 0, 0>, <0, 1, 0> } }
         #declare S = sphere { 0, 1 }
         mesh { M translate x }
         sphere { S scale 2 }
         mesh2 { M }",
    );
    assert_eq!(s.objects.len(), 3);
    let (Shape::Mesh { data: a, .. }, Shape::Mesh { data: b, .. }) =
        (&s.objects[0].shape, &s.objects[2].shape)
    else {
        panic!("not meshes");
    };
    assert!(Arc::ptr_eq(a, b), "copies must share the mesh");
    assert!(matches!(s.objects[1].shape, Shape::Sphere { .. }));
}

#[test]
fn mesh2_lists_and_indices() {
    let s = parse(
        "mesh2 {
           vertex_vectors { 4, <0,0,0>, <1,0,0>, <0,1,0>, <1,1,0> }
           normal_vectors { 1, z }
           texture_list { 2, texture { pigment { rgb 1 } } texture { pigment { rgb 0 } } }
           face_indices { 2, <0, 1, 2>, 1, <1, 3, 2> }
           normal_indices { 2, <0, 0, 0>, <0, 0, 0> }
         }",
    );
    let Shape::Mesh { data, textures } = &s.objects[0].shape else {
        panic!("not a mesh");
    };
    assert_eq!(data.triangles.len(), 2);
    assert_eq!(textures.len(), 2);
    assert_eq!(data.triangles[0].texture, Some(1));
    assert_eq!(data.triangles[1].texture, None);
    assert_eq!(data.triangles[1].vertices, [1, 3, 2]);
}

#[test]
fn mesh_errors_name_the_place() {
    let e = parse_err(
        "\nmesh2 { vertex_vectors { 3, <0,0,0>, <1,0,0>, <0,1,0> } face_indices { 1, <0, 1, 3> } }",
    );
    assert!(
        e.contains(":2:") && e.contains("vertex index 3 out of range"),
        "{e}"
    );
    let e = parse_err(
        "mesh2 { vertex_vectors { 3, <0,0,0>, <1,0,0>, <0,1,0> }
                 texture_list { 1, texture { pigment { rgb 1 } } }
                 face_indices { 1, <0, 1, 2>, 4 } }",
    );
    assert!(e.contains("texture index 4 out of range"), "{e}");
    let e = parse_err("mesh { triangle { <0,0,0>, <1,0,0>, <2,0,0> } }");
    assert!(e.contains("no triangles"), "{e}");
    let e = parse_err("mesh2 { vertex_vectors { -2, <0,0,0> } }");
    assert!(e.contains("invalid count"), "{e}");
}

#[test]
fn julia_fractal_options() {
    let s = parse(
        "julia_fractal { <0.1, 0.2, 0.3, 0.4> hypercomplex cube max_iteration 7.9
           precision 40 slice <0, 0, 0, 2>, 0.5 }",
    );
    let Shape::JuliaFractal(j) = &s.objects[0].shape else {
        panic!("not a julia fractal");
    };
    assert_eq!(j.parameter, [0.1, 0.2, 0.3, 0.4]);
    assert_eq!(
        (j.algebra, j.function),
        (JuliaAlgebra::Hypercomplex, JuliaFunction::Cube)
    );
    assert_eq!(j.max_iteration, 7);
    assert_eq!(j.precision, 1.0 / 40.0);
    assert_eq!((j.slice, j.slice_distance), ([0.0, 0.0, 0.0, 1.0], 0.5));
    let e = parse_err("julia_fractal { <0,0,0,0> slice <1, 0, 0, 0>, 0 }");
    assert!(e.contains("slice t component is zero"), "{e}");
}

#[test]
fn poly_order_without_comma_and_optional_commas() {
    let s = parse("poly { 2 <1, 0, 0, 0, 1, 0, 0, 1 0, -1> }");
    let Shape::Poly {
        order,
        coefficients,
        ..
    } = &s.objects[0].shape
    else {
        panic!("not a poly");
    };
    assert_eq!(*order, 2);
    assert_eq!(coefficients.len(), 10);
    assert_eq!(coefficients[9], -1.0);
}

/// Parses `src` as a scene file in `dir` (so images beside it are found).
fn parse_in(dir: &std::path::Path, src: &str) -> Result<raytracer::sdl::Parsed, String> {
    let scene = dir.join("scene.pov");
    std::fs::write(&scene, src).expect("write scene");
    parse_file(&scene.display().to_string(), &ParseOptions::default()).map_err(|e| e.to_string())
}

#[test]
fn height_field_images_load_or_fail_at_the_line() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("h.pgm"), b"P5\n2 2\n255\n\x00\xff\x80\x40").expect("write");
    let parsed = parse_in(
        dir.path(),
        "height_field { pgm \"h.pgm\" smooth water_level 0.25 }",
    )
    .expect("parses");
    let Shape::HeightField(h) = &parsed.scene.objects[0].shape else {
        panic!("not a height field");
    };
    assert_eq!(
        (h.width, h.depth, h.smooth, h.water_level),
        (2, 2, true, 0.25)
    );
    // Row 0 is the image's bottom row.
    assert_eq!(h.heights[..2], [0x8080, 0x4040]);
    // The image travels with the scene's files, for distributed slaves.
    assert!(parsed.data.iter().any(|f| f.name.ends_with("h.pgm")));
    let main = parsed.files[0].name.clone();
    let again = parse_files_with_data(&main, &parsed.files, &parsed.data, &ParseOptions::default())
        .expect("from memory");
    assert_eq!(again.scene.objects, parsed.scene.objects);

    std::fs::write(dir.path().join("bad.png"), b"this is no png").expect("write");
    let e = parse_in(dir.path(), "\n\nheight_field { png \"bad.png\" }").expect_err("broken");
    assert!(e.contains(":3:") && e.contains("cannot use"), "{e}");
    let e = parse_in(dir.path(), "height_field { png \"none.png\" }").expect_err("missing");
    assert!(e.contains("cannot find image file"), "{e}");
}

#[test]
fn bicubic_patch_options_and_points() {
    let s = parse(
        "bicubic_patch { type 1 flatness 0.01 u_steps 4 v_steps 3
           uv_vectors <0,0>, <2,0>, <2,2>, <0,2>
           <0,0,0>, <1,0,0>, <2,0,0>, <3,0,0>  <0,1,0>, <1,1,1>, <2,1,1>, <3,1,0>
           <0,2,0>, <1,2,1>, <2,2,1>, <3,2,0>  <0,3,0>, <1,3,0>, <2,3,0>, <3,3,7>
           pigment { rgb 1 } }",
    );
    let Shape::BicubicPatch(p) = &s.objects[0].shape else {
        panic!("not a patch: {:?}", s.objects[0].shape);
    };
    assert_eq!((p.patch_type, p.u_steps, p.v_steps), (1, 4, 3));
    assert_eq!(p.flatness, 0.01);
    assert_eq!(p.points[3][3], DVec3::new(3.0, 3.0, 7.0));
    assert_eq!(p.uv_vectors[2], glam::DVec2::new(2.0, 2.0));
    let e = parse_err("bicubic_patch { flatness 0.1 <0,0,0> }");
    assert!(e.contains(":1:") && e.contains("type"), "{e}");
    let e = parse_err("bicubic_patch { type 1 <0,0,0>, <1,0,0> }");
    assert!(e.contains(":1:"), "{e}");
}

#[test]
fn sphere_sweep_splines_spheres_and_tolerance() {
    use raytracer::desc::shapes::SweepSpline;
    let s = parse(
        "sphere_sweep { linear_spline 2, <0,0,0>, 1, <1,0,0>, 0.5 }
         sphere_sweep { cubic_spline, 4, <0,0,0>, 1 <1,0,0>, 1, <2,0,0>, 1, <3,0,0>, 1 tolerance 0.01 }
         sphere_sweep { b_spline 4 <0,0,0> 1 <1,0,0> 1 <2,0,0> 1 <3,0,0> 1 translate y }",
    );
    let sweeps: Vec<_> = s
        .objects
        .iter()
        .map(|o| match &o.shape {
            Shape::SphereSweep(s) => s.clone(),
            other => panic!("not a sweep: {other:?}"),
        })
        .collect();
    assert_eq!(sweeps[0].spline, SweepSpline::Linear);
    assert_eq!(sweeps[0].spheres[1], (DVec3::X, 0.5));
    assert_eq!(sweeps[0].tolerance, 1e-6);
    assert_eq!(sweeps[1].spline, SweepSpline::CatmullRom);
    assert_eq!(sweeps[1].tolerance, 0.01);
    assert_eq!(sweeps[2].spline, SweepSpline::BSpline);
    assert_eq!(sweeps[2].spheres.len(), 4);
}

#[test]
fn sphere_sweep_errors_name_the_place() {
    let e = parse_err("\nsphere_sweep { cubic_spline 3, <0,0,0>, 1, <1,0,0>, 1, <2,0,0>, 1 }");
    assert!(
        e.contains(":2:") && e.contains("cubic_spline needs at least 4 spheres"),
        "{e}"
    );
    let e = parse_err("sphere_sweep { linear_spline 1, <0,0,0>, 1 }");
    assert!(e.contains(":1:") && e.contains("at least 2"), "{e}");
    let e = parse_err("\n\nsphere_sweep { 2, <0,0,0>, 1, <1,0,0>, 1 }");
    assert!(e.contains(":3:") && e.contains("linear_spline"), "{e}");
}

#[test]
fn ovus_radii_sturm_and_the_sphere_pov_ray_substitutes() {
    let p = raytracer::sdl::parse_with(
        "o.pov",
        "ovus { 1, 0.5 sturm }\novus { 0.5, 1.5 }",
        &ParseOptions::default(),
        &raytracer::sdl::MemoryLoader::default(),
    )
    .expect("parses");
    let objects = &p.scene.objects;
    assert!(matches!(
        objects[0].shape,
        Shape::Ovus(o) if o.bottom_radius == 1.0 && o.top_radius == 0.5 && o.sturm
    ));
    assert!(matches!(
        objects[1].shape,
        Shape::Sphere { center, radius } if center == DVec3::new(0.0, 0.5, 0.0) && radius == 1.5
    ));
    assert!(
        p.messages
            .iter()
            .any(|m| m.contains("o.pov:2:") && m.contains("sphere is used")),
        "{:?}",
        p.messages
    );
    let e = parse_err("\novus { -1, 0.5 }");
    assert!(e.contains(":2:") && e.contains("positive"), "{e}");
}

#[test]
fn lemon_is_refused_as_pov_ray_3_7_refuses_it() {
    // POV-Ray 3.7 has no lemon: the word is an undeclared identifier there.
    let e = parse_err("\nlemon { <0,0,0>, 1, <0,1,0>, 0.5, 1 }");
    assert!(e.contains(":2:") && e.contains("lemon"), "{e}");
}

#[test]
fn parametric_functions_ranges_and_options() {
    use raytracer::desc::isosurface::Container;
    let s = parse(
        "parametric { function { u }, function { v }, function { u * v }
           <1, 2>, <0, -1>
           contained_by { sphere { 0, 2 } }
           max_gradient 3 accuracy 0.01 precompute 10, x, , z }",
    );
    let Shape::Parametric(p) = &s.objects[0].shape else {
        panic!("not a parametric: {:?}", s.objects[0].shape);
    };
    assert_eq!(p.uv_min, glam::DVec2::new(0.0, -1.0));
    assert_eq!(p.uv_max, glam::DVec2::new(1.0, 2.0));
    assert_eq!(p.functions[2].eval(&[2.0, 3.0]), 6.0);
    assert!(matches!(p.container, Container::Sphere { radius, .. } if radius == 2.0));
    assert_eq!((p.max_gradient, p.accuracy), (3.0, 0.01));
    assert_eq!(p.precompute, Some((10, [true, false, true])));
}

#[test]
fn parametric_errors_name_the_place() {
    let e = parse_err("parametric { function { u }, function { v }\n <0,0>, <1,1> }");
    assert!(e.contains(":2:") && e.contains("function"), "{e}");
    let e = parse_err(
        "parametric { function { u }, function { v }, function { 0 } <0,0>, <1,1>\n precompute 30, x }",
    );
    assert!(e.contains(":2:") && e.contains("precompute depth"), "{e}");
}
