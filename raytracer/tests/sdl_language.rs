//! One test per language construct: parse a small scene, check the description.

use glam::DVec3;
use raytracer::desc::{Colour, CsgOp, LightKind, PigmentKind, Shape, Texture};
use raytracer::pattern::PatternKind;
use raytracer::sdl::{
    parse_str, parse_with, parse_with_limits, Limits, MemoryLoader, ParseOptions, SdlError,
};

mod common;
use common::sdl::{parse, parse_err, radii};

/// The sphere radii of the top-level spheres, in order: a compact probe for
/// evaluated values.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn arithmetic_precedence_and_promotion() {
    let s = parse(
        "#declare A = 4/3; #declare V = <1,2,3>*2 + 15*z;\n\
         sphere { V, A } sphere { 0, 2+3*4-(1+1)/2 } sphere { 0, V.z }",
    );
    assert_eq!(radii(&s), vec![4.0 / 3.0, 13.0, 21.0]);
    match s.objects[0].shape {
        Shape::Sphere { center, .. } => assert_eq!(center, DVec3::new(2.0, 4.0, 21.0)),
        _ => panic!("not a sphere"),
    }
}

#[test]
fn comparisons_logic_and_ternary() {
    let s = parse(
        "sphere{0, (1<2)+(2<=2)*10+(3>4)*100} sphere{0, (1 & 0) + (1 | 0)*2 + !0*4}\n\
         sphere{0, ((3 = 3) ? 7 : 8)} sphere{0, (1 != 1 ? 7 : 8)}",
    );
    assert_eq!(radii(&s), vec![11.0, 6.0, 7.0, 8.0]);
}

/// As POV-Ray's `Parse_Float`, a parameter takes comparisons and `?:` only inside
/// parentheses: outside, `<` starts the next vector of a point list.
#[test]
fn parameters_compare_only_inside_parentheses() {
    let s = parse("prism { 0, 1, 4 <0, 0> <1, 0> <0, 1> <0, 0> }");
    match &s.objects[0].shape {
        Shape::Prism(p) => assert_eq!(p.points.len(), 4),
        other => panic!("expected a prism, got {other:?}"),
    }
    let err = parse_err("sphere{0, 1 != 1 ? 7 : 8}");
    assert!(err.contains("1:13"), "{err}");
}

#[test]
fn parameters_stop_before_comparisons_as_in_pov() {
    // POV-Ray reads an object's parameters without comparisons, so two vectors
    // side by side are two corners, not `a < b`; `?:` there needs parentheses.
    let s = parse("box { <-1, -1, -1> <1, 2, 3> } sphere { <0,0,0>, 1 }");
    match s.objects[0].shape {
        Shape::Box { corner2, .. } => assert_eq!(corner2, DVec3::new(1.0, 2.0, 3.0)),
        _ => panic!("not a box"),
    }
    let e = parse_err("sphere { 0, (3 = 3) ? 1 : 2 }");
    assert!(e.contains("'?'"), "{e}");
}

#[test]
fn builtin_functions() {
    let s = parse(
        "sphere{0, abs(-2)} sphere{0, sqrt(16)+pow(2,3)} sphere{0, max(1,5,3)+min(4,2)}\n\
         sphere{0, mod(7,3)+int(2.7)+floor(-0.5)+ceil(0.2)} sphere{0, degrees(pi)}\n\
         sphere{0, vlength(<3,4,0>)} sphere{0, vdot(x,y)+vcross(x,y).z}\n\
         sphere{0, select(-1,10,20)} sphere{0, strlen(concat(\"ab\",str(5,0,0)))}\n\
         sphere{0, vrotate(x, 90*z).y} sphere{0, atan2(1,1)*4/pi}",
    );
    let r = radii(&s);
    let want = [2.0, 12.0, 7.0, 3.0, 180.0, 5.0, 1.0, 10.0, 3.0, 1.0, 1.0];
    assert_eq!(r.len(), want.len());
    for (a, b) in r.iter().zip(want) {
        assert!(close(*a, b), "{r:?} vs {want:?}");
    }
}

#[test]
fn declare_local_undef_ifdef() {
    let s = parse(
        "#declare R = 1;\n#ifdef (R) sphere{0,R} #end\n#undef R\n\
         #ifndef (R) sphere{0,2} #else sphere{0,3} #end",
    );
    assert_eq!(radii(&s), vec![1.0, 2.0]);
}

#[test]
fn if_elseif_else_with_directives_after_condition() {
    let s = parse(
        "#declare A = 2;\n\
         #if (A = 1) #declare B = 10; #elseif (A = 2) #declare B = 20; #else #declare B = 30; #end\n\
         sphere{0,B}\n#if (0) #declare B = 99; #end sphere{0,B}",
    );
    assert_eq!(radii(&s), vec![20.0, 20.0]);
}

#[test]
fn while_and_for_loops() {
    let s = parse(
        "#declare I = 0; #while (I < 3) sphere{0, I} #declare I = I + 1; #end\n\
         #for (J, 10, 14, 2) sphere{0, J} #end",
    );
    assert_eq!(radii(&s), vec![0.0, 1.0, 2.0, 10.0, 12.0, 14.0]);
}

/// Declarations filling about 12 tokens each: more than the lexer keeps of a
/// file (about 260,000 tokens), so what lies before them has been dropped.
fn filler(n: usize, name: &str) -> String {
    (0..n)
        .map(|i| format!("#declare {name} = <{i}, -{i}.5, {i}>;\n"))
        .collect()
}

/// A macro called and loops repeated after a long stretch of the file: their
/// tokens are lexed again, giving the same values and the same error places.
#[test]
fn loops_and_macros_reach_back_over_long_files() {
    let src = format!(
        "#macro M(A) sphere {{ 0, A + 1 }} #end\n{}\
         #declare I = 0; #while (I < 2) {} M(I) #declare I = I + 1; #end\n\
         #for (J, 5, 6) {} sphere {{ 0, J }} #end M(9)",
        filler(25_000, "F"),
        filler(25_000, "G"),
        filler(25_000, "H"),
    );
    assert_eq!(radii(&parse(&src)), vec![1.0, 2.0, 5.0, 6.0, 10.0]);
    let src = format!(
        "#declare I = 0; #while (I < 2)\n{}  #if (I = 1) #error \"second pass\" #end\n\
         #declare I = I + 1; #end",
        filler(25_000, "G")
    );
    assert_eq!(parse_err(&src), "<scene>:25002:15: #error: second pass");
}

#[test]
fn switch_case_range_break_and_fallthrough() {
    let s = parse(
        "#switch (3) #case (1) sphere{0,1} #break #range (2,4) sphere{0,2} #case (9) sphere{0,9} #break #else sphere{0,5} #end\n\
         #switch (7) #case (1) sphere{0,1} #else sphere{0,6} #end",
    );
    assert_eq!(radii(&s), vec![2.0, 9.0, 6.0]);
}

#[test]
fn macros_with_parameters_locals_and_recursion() {
    let s = parse(
        "#macro Ball(P, R) sphere { P, R } #end\n\
         #macro Twice(A) (2*A) #end\n\
         #macro Count(N) #if (N > 0) sphere{0, N} Count(N-1) #end #end\n\
         Ball(x, 1) Ball(<0,1,0>, Twice(3)*2) Count(2)",
    );
    assert_eq!(radii(&s), vec![1.0, 12.0, 2.0, 1.0]);
}

#[test]
fn local_to_a_parameter_passed_by_reference_writes_the_callers_identifier() {
    // POV-Ray 3.7: a lone identifier argument is the caller's symbol, so even
    // `#local` to the parameter changes it (tracevines relies on this).
    let s = parse(
        "#macro Step(P) #local P = P + 1; #end\n\
         #declare A = 1; Step(A) sphere { 0, A }\n\
         #macro Keep(P) #local P = P + 1; #end\n\
         #declare B = 1; Keep(B + 0) sphere { 0, B }",
    );
    assert_eq!(radii(&s), vec![2.0, 1.0]);
}

#[test]
fn trailing_commas_colour_components_and_a_lone_hash() {
    let s = parse(
        "#declare C = rgb <0.25, 0.5, 1,>;\n\
         #macro Half(F) (F / 2) #end\n\
         sphere { 0, Half(C.green) * 8 # }\n\
         sphere { <1, 2, 3,>, C.blue }",
    );
    assert_eq!(radii(&s), vec![2.0, 1.0]);
}

#[test]
fn strings_and_debug_messages() {
    let opts = ParseOptions::default();
    let p = parse_with(
        "s.pov",
        "#declare S = concat(\"r=\", str(2.5, 0, 1));\n#debug S\n#warning \"w\"\nsphere{0,strlen(S)}",
        &opts,
        &MemoryLoader::default(),
    )
    .expect("parses");
    assert_eq!(p.messages[0], "r=2.5");
    assert!(p.messages[1].ends_with("warning: w"));
    assert_eq!(radii(&p.scene), vec![5.0]);
}

#[test]
fn datetime_formats_days_since_2000_and_now_is_the_renders_time() {
    let opts = ParseOptions {
        now: 9467.5,
        ..ParseOptions::default()
    };
    let p = parse_with(
        "s.pov",
        "#debug datetime(0)\n#debug datetime(-1)\n\
         #debug datetime(now, \"%A %d %B %Y, %H:%M\")\n#debug str(now, 0, 1)\nsphere{0,1}",
        &opts,
        &MemoryLoader::default(),
    )
    .expect("parses");
    assert_eq!(
        p.messages[..4],
        [
            "2000-01-01 00:00:00Z",
            "1999-12-31 00:00:00Z",
            "Tuesday 02 December 2025, 12:00",
            "9467.5"
        ]
    );
    let e = parse_err("#declare S = datetime(0, \"%Q\");");
    assert!(e.contains("invalid formatting code"), "{e}");
    let e = parse_err("#declare S = datetime(0, \"\");");
    assert!(e.contains("empty format string"), "{e}");
}

#[test]
fn error_directive_stops_with_location() {
    let e = parse_err("sphere{0,1}\n  #error \"stop here\"");
    assert_eq!(e, "<scene>:2:3: #error: stop here");
}

#[test]
fn colours_keywords_identifiers_and_modification() {
    let s = parse(
        "#declare C = color red 1 green 0.5;\n\
         #declare D = C filter 0.5;\n\
         light_source { 0, rgb <1,2,3> }\n light_source { 0, color C blue 0.25 transmit 0.5 }\n\
         light_source { 0, rgbft <1,1,1,0.1,0.2> * 0.5 } light_source { 0, D }",
    );
    assert_eq!(s.lights[0].colour, Colour::rgb(1.0, 2.0, 3.0));
    assert_eq!(s.lights[1].colour, Colour::rgbft(1.0, 0.5, 0.25, 0.0, 0.5));
    assert_eq!(s.lights[2].colour, Colour::rgbft(0.5, 0.5, 0.5, 0.05, 0.1));
    assert_eq!(s.lights[3].colour, Colour::rgbft(1.0, 0.5, 0.0, 0.5, 0.0));
}

#[test]
fn float_colours_fill_every_channel_and_short_vectors_pad() {
    let s = parse(
        "light_source { 0, color 0.5 } light_source { 0, rgbf <1,2,3> } light_source { 0, rgbt 0.5 }\n\
         sphere { 0, 1 finish { ambient 0.2 reflection 0.3 } }",
    );
    assert_eq!(s.lights[0].colour, Colour::from_array([0.5; 5]));
    assert_eq!(s.lights[1].colour, Colour::rgb(1.0, 2.0, 3.0));
    assert_eq!(s.lights[2].colour, Colour::rgbft(0.5, 0.5, 0.5, 0.0, 0.5));
    let Some(Texture::Plain(l)) = &s.objects[0].texture else {
        panic!()
    };
    assert_eq!(
        l.finish.ambient,
        Colour::rgb(0.2, 0.2, 0.2),
        "finish colours are rgb only"
    );
    assert_eq!(l.finish.reflection.max, Colour::rgb(0.3, 0.3, 0.3));
}

#[test]
fn every_shape_parses() {
    let s = parse(
        "sphere{<1,2,3>,4} plane{y,-1} box{-1,1} cylinder{0,y,0.5 open} cone{0,1,y,0.5}\n\
         disc{0,y,2,1} torus{2,0.5} quadric{<1,1,1>,0,0,-1} cubic{<1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,-1>}\n\
         quartic{<1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,-1>} poly{2,<1,0,0,0,1,0,0,1,0,-1>}",
    );
    assert_eq!(s.objects.len(), 11);
    assert!(matches!(
        s.objects[3].shape,
        Shape::Cylinder { open: true, .. }
    ));
    assert!(matches!(s.objects[5].shape, Shape::Disc { hole_radius, .. } if hole_radius == 1.0));
    assert!(
        matches!(&s.objects[8].shape, Shape::Poly { order: 3, coefficients, .. } if coefficients.len() == 20)
    );
    assert!(
        matches!(&s.objects[9].shape, Shape::Poly { order: 4, coefficients, .. } if coefficients.len() == 35)
    );
    assert!(
        matches!(&s.objects[10].shape, Shape::Poly { order: 2, coefficients, .. } if coefficients.len() == 10)
    );
}

#[test]
fn transforms_compose_in_order_and_flatten_csg() {
    let s = parse("union { sphere{0,1 translate x} sphere{0,1} scale 2 translate y rotate 90*z }");
    let Shape::Csg {
        op: CsgOp::Union,
        children,
    } = &s.objects[0].shape
    else {
        panic!("not a union");
    };
    assert!(
        s.objects[0].transform.is_identity(),
        "CSG node keeps the identity"
    );
    // origin -> translate x -> (1,0,0) -> scale 2 -> (2,0,0) -> +y -> (2,1,0) -> rot z 90 -> (-1,2,0)
    let p = children[0].transform.point(DVec3::ZERO);
    assert!((p - DVec3::new(-1.0, 2.0, 0.0)).length() < 1e-12, "{p}");
    let q = children[1]
        .transform
        .inverted()
        .point(DVec3::new(-1.0, 0.0, 0.0));
    assert!((q - DVec3::ZERO).length() < 1e-12, "{q}");
}

#[test]
fn object_copies_keep_modifiers_and_textures_move_with_objects() {
    let s = parse(
        "#declare B = sphere { 0, 1 pigment { checker color rgb 1 color rgb 0 } }\n\
         object { B translate 5*x inverse no_shadow hollow }",
    );
    let o = &s.objects[0];
    assert!(o.inverse && o.no_shadow && o.hollow == Some(true));
    let Some(Texture::Plain(l)) = &o.texture else {
        panic!("no texture")
    };
    assert_eq!(
        l.pigment.transform.point(DVec3::ZERO),
        DVec3::new(5.0, 0.0, 0.0)
    );
    let PigmentKind::ColourMap { pattern, map } = &l.pigment.kind else {
        panic!("not a pattern")
    };
    assert_eq!(pattern.kind, PatternKind::Checker);
    assert_eq!(map[0].item, Colour::WHITE);
    assert_eq!(map[1].item, Colour::BLACK);
}

#[test]
fn csg_texture_is_inherited_and_default_fills_the_rest() {
    let s = parse(
        "#default { finish { ambient 0.3 } }\n\
         difference { box{-1,1} sphere{0,1.2 pigment{rgb x}} pigment { rgb y } }\n sphere{0,1}",
    );
    let kids = s.objects[0].children();
    let colour = |o: &raytracer::desc::Object| match &o.texture {
        Some(Texture::Plain(l)) => match l.pigment.kind {
            PigmentKind::Solid(c) => (c, l.finish.ambient.r),
            _ => panic!("not solid"),
        },
        _ => panic!("no plain texture"),
    };
    assert_eq!(colour(&kids[0]), (Colour::rgb(0.0, 1.0, 0.0), 0.3));
    assert_eq!(colour(&kids[1]), (Colour::rgb(1.0, 0.0, 0.0), 0.3));
    assert_eq!(colour(&s.objects[1]), (Colour::BLACK, 0.3));
    assert!(s.objects[0].texture.is_none());
}

#[test]
fn finish_reflection_and_interior() {
    let s = parse(
        "#declare F = finish { phong 1 phong_size 100 reflection 0.35 }\n\
         sphere { 0,1 finish { F ambient 0.2 diffuse 0.75 metallic reflection { 0.1, 0.6 falloff 2 } }\n\
           interior { ior 1.5 } }",
    );
    let o = &s.objects[0];
    let Some(Texture::Plain(l)) = &o.texture else {
        panic!()
    };
    let f = &l.finish;
    assert_eq!(
        (f.phong, f.phong_size, f.diffuse, f.metallic),
        (1.0, 100.0, 0.75, 1.0)
    );
    assert_eq!(f.ambient, Colour::rgb(0.2, 0.2, 0.2));
    assert_eq!(
        (f.reflection.min.r, f.reflection.max.r, f.reflection.falloff),
        (0.1, 0.6, 2.0)
    );
    assert_eq!(o.interior.as_ref().map(|i| i.ior), Some(1.5));
}

#[test]
fn pigment_patterns_maps_and_turbulence_override() {
    let s = parse(
        "#declare P = pigment { bozo turbulence 0.56 octaves 4 color_map { [0 rgb 0][1 rgb 1] } }\n\
         sphere { 0,1 pigment { P turbulence 0.3 scale 2 rotate 15*z } }\n\
         sphere { 0,1 normal { bumps 0.4 scale 0.1 } pigment { gradient y color_map { [0, 0.5 color rgb 0 color rgb 1] } } }",
    );
    let Some(Texture::Plain(l)) = &s.objects[0].texture else {
        panic!()
    };
    let PigmentKind::ColourMap { pattern, .. } = &l.pigment.kind else {
        panic!()
    };
    let t = pattern.turbulence.expect("turbulence kept");
    assert_eq!((t.amount, t.octaves), (DVec3::splat(0.3), 4));
    let Some(Texture::Plain(l)) = &s.objects[1].texture else {
        panic!()
    };
    let n = l.normal.as_ref().expect("normal");
    assert_eq!(
        (n.pattern.kind.clone(), n.amount),
        (PatternKind::Bumps, 0.4)
    );
    let PigmentKind::ColourMap { pattern, map } = &l.pigment.kind else {
        panic!()
    };
    assert_eq!(pattern.kind, PatternKind::Gradient { axis: DVec3::Y });
    assert_eq!((map.len(), map[1].value), (2, 0.5));
}

#[test]
fn layered_textures() {
    let s = parse(
        "#declare T = texture { pigment { rgb 1 } } texture { pigment { rgbt <0,0,0,0.5> } }\n\
         sphere { 0,1 texture { T } }",
    );
    assert!(matches!(&s.objects[0].texture, Some(Texture::Layered(ls)) if ls.len() == 2));
}

#[test]
fn camera_look_at_and_angle() {
    let s = parse("camera { location <0,0,-10> look_at 0 angle 90 right x up y }");
    let c = &s.camera;
    assert!(
        (c.direction - DVec3::new(0.0, 0.0, 0.5)).length() < 1e-12,
        "{}",
        c.direction
    );
    assert!((c.right - DVec3::X).length() < 1e-12);
    let s = parse("camera { location <0,5,0> look_at <0,5,10> right -4/3*x }");
    assert!(
        s.camera.right.x < 0.0,
        "left-handed right vector keeps its sign"
    );
}

#[test]
fn lights_spot_area_and_csg_lights_move() {
    let s = parse(
        "light_source { <0,10,0> rgb 1 spotlight point_at 0 radius 10 falloff 20 tightness 5 }\n\
         light_source { 0 rgb 1 area_light x, z, 3, 3 adaptive 1 jitter shadowless fade_distance 5 fade_power 2 }\n\
         union { sphere{0,1} light_source{ <1,0,0> rgb 1 } translate y }",
    );
    assert!(
        matches!(s.lights[0].kind, LightKind::Spot { radius, falloff, tightness, .. } if (radius, falloff, tightness) == (10.0, 20.0, 5.0))
    );
    let a = s.lights[1].area.as_ref().expect("area");
    assert_eq!((a.size1, a.adaptive, a.jitter), (3, 1, true));
    assert!(s.lights[1].shadowless);
    assert_eq!(s.lights[2].position, DVec3::new(1.0, 1.0, 0.0));
}

#[test]
fn global_settings_background_and_version() {
    let s = parse(
        "#version 3.1;\nglobal_settings { assumed_gamma 2.2 max_trace_level 20 adc_bailout 0.01 ambient_light rgb 0.5 }\n\
         background { color rgb <0.1,0.2,0.3> }",
    );
    assert_eq!(s.global.assumed_gamma, Some(2.2));
    assert_eq!(s.global.max_trace_level, 20);
    assert_eq!(s.global.ambient_light, Colour::rgb(0.5, 0.5, 0.5));
    assert_eq!(s.background, Colour::rgb(0.1, 0.2, 0.3));
    assert!(s.version_set && close(s.version, 3.1));
    assert_eq!(
        s.global.noise_generator, 1,
        "pre-3.5 scenes use the original noise"
    );
}

#[test]
fn includes_resolve_from_memory_and_bundled_library() {
    let files = MemoryLoader::new([("dir/inc.inc".to_string(), "#declare R = 7;".to_string())]);
    let p = parse_with(
        "dir/main.pov",
        "#include \"inc.inc\"\n#include \"colors.inc\"\nsphere{0,R pigment{Red}}",
        &ParseOptions::default(),
        &files,
    )
    .expect("parses");
    assert_eq!(radii(&p.scene), vec![7.0]);
    assert_eq!(
        p.files.len(),
        2,
        "scene and its own include; bundled not listed"
    );
    assert_eq!(p.files[1].name, "dir/inc.inc");
}

#[test]
fn user_files_written_then_read_back() {
    let p = parse_with(
        "main.pov",
        "#fopen F \"out.txt\" write\n\
         #write (F, \"\\\"a b\\\",\", 2.5, \",\", <1,2,3>, \"\\n\")\n\
         #fclose F\n\
         #fopen F \"out.txt\" read\n\
         #read (F, S, R, V)\n\
         #read (F, Extra)\n\
         sphere { V, R } sphere { 0, strlen(S) }\n\
         #ifndef (F) sphere { 0, 9 } #end #ifndef (Extra) sphere { 0, 8 } #end",
        &ParseOptions::default(),
        &MemoryLoader::default(),
    )
    .expect("parses");
    assert_eq!(radii(&p.scene), vec![2.5, 3.0, 9.0, 8.0]);
    match p.scene.objects[0].shape {
        Shape::Sphere { center, .. } => assert_eq!(center, DVec3::new(1.0, 2.0, 3.0)),
        _ => panic!("not a sphere"),
    }
}

#[test]
fn data_files_are_read_through_the_loader_and_recorded() {
    let files = MemoryLoader::new([("dir/data.txt".to_string(), "4, \"x\"".to_string())]);
    let p = parse_with(
        "dir/main.pov",
        "#fopen D \"data.txt\" read #read (D, N, Name)\nsphere { 0, N }\n\
         sphere { 0, file_exists(\"data.txt\") + file_exists(\"nope.txt\") * 10\n\
           + file_exists(\"../data.txt\") * 100 }",
        &ParseOptions::default(),
        &files,
    )
    .expect("parses");
    assert_eq!(radii(&p.scene), vec![4.0, 1.0]);
    assert!(p.files.iter().any(|f| f.name == "dir/data.txt"));
}

#[test]
fn user_files_obey_pov_rays_io_restrictions() {
    let e = parse_err("#fopen F \"../escape.txt\" write");
    assert!(
        e.starts_with("<scene>:1:") && e.contains("refusing to write"),
        "{e}"
    );
    let e = parse_err("#fopen F \"/etc/passwd\" read");
    assert!(e.contains("refusing to read"), "{e}");
    let e = parse_err("#fopen F \"missing.txt\" read");
    assert!(e.contains("cannot open user file"), "{e}");
    let e = parse_err("#fopen F \"a.txt\" write #read (F, X)");
    assert!(e.contains("opened for writing"), "{e}");
}

#[test]
fn object_queries_build_the_object() {
    let s = parse(
        "#declare B = box { <-1, -2, -3> <1, 2, 3> translate x }\n\
         #declare S = sphere { 0, 2 }\n\
         #declare N = <0, 0, 0>;\n\
         #declare P = trace(S, <0, 0, -10>, z, N);\n\
         #declare Miss = trace(S, <0, 5, -10>, z);\n\
         sphere { min_extent(B), max_extent(B).z }\n\
         sphere { P, -N.z } sphere { Miss, inside(S, <0, 1, 0>) + inside(S, <0, 3, 0>) }",
    );
    let centers: Vec<(DVec3, f64)> = s
        .objects
        .iter()
        .filter_map(|o| match o.shape {
            Shape::Sphere { center, radius } => Some((center, radius)),
            _ => None,
        })
        .collect();
    assert_eq!(centers[0], (DVec3::new(0.0, -2.0, -3.0), 3.0));
    assert!(
        (centers[1].0 - DVec3::new(0.0, 0.0, -2.0)).length() < 1e-9,
        "{centers:?}"
    );
    assert!(
        (centers[1].1 - 1.0).abs() < 1e-9,
        "normal faces the ray: {centers:?}"
    );
    assert_eq!(centers[2], (DVec3::ZERO, 1.0));
    let e = parse_err("#declare F = 1;\nsphere { trace(F, 0, z), 1 }");
    assert!(
        e.starts_with("<scene>:2:") && e.contains("object identifier"),
        "{e}"
    );
}

#[test]
fn probing_an_unsupported_shape_warns_once_and_answers_empty() {
    let p = parse_with(
        "s.pov",
        "#declare T = height_field { exr \"hf.exr\" }\n\
         #for (I, 0, 2) #declare E = max_extent(T); #end\n\
         sphere { E, 1 }",
        &ParseOptions::default(),
        &MemoryLoader::default(),
    )
    .expect("parses");
    assert_eq!(radii(&p.scene), vec![1.0]);
    let warned: Vec<_> = p
        .messages
        .iter()
        .filter(|m| m.contains("max_extent"))
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", p.messages);
}

#[test]
fn local_from_a_macro_binds_in_the_callers_scope() {
    // The macro's value is complete before its body reaches #end.
    let s = parse(
        "#macro Pick(A) #local Q = A * 2; #if (1) Q; #else 0; #end #end\n\
         #macro Use() #local V = Pick(3) sphere { 0, V } #end\n\
         Use()",
    );
    assert_eq!(radii(&s), vec![6.0]);
}

#[test]
fn a_macro_returns_its_local_array_by_naming_it_last() {
    // POV-Ray's benchmark.pov: `#macro L_GetVN(N) #local A = array[..] ... A #end`.
    let s = parse(
        "#macro Make() #local A = array[2] { 2, 5 } A #end\n\
         #declare B = Make()\n\
         sphere { 0, B[1] } sphere { 0, dimension_size(B, 1) }",
    );
    assert_eq!(radii(&s), vec![5.0, 2.0]);
}

#[test]
fn splines_evaluate_like_pov_ray() {
    // Values printed by POV-Ray 3.7 for this spline at t = 1.3 and t = 2.35.
    let s = parse(
        "#declare S = spline { linear_spline -1, <0,0,0> 0.5, <1,2,0>, 1.5 <3,-1,2> 2.5, <4,4,4> 3, <0,1,0> }\n\
         #declare N = spline { S natural_spline }\n\
         sphere { 0, S(1.3).x } sphere { 0, S(1.3, quadratic_spline).y + 10 }\n\
         sphere { 0, S(1.3, cubic_spline).z + 10 } sphere { 0, N(2.35).x }\n\
         #declare V = S(-5) * 2 + 1; sphere { 0, V.y }",
    );
    let r = radii(&s);
    let want = [2.6, 10.0 - 0.122667, 11.568, 4.523625, 1.0];
    for (a, b) in r.iter().zip(want) {
        assert!((a - b).abs() < 1e-6, "{r:?} vs {want:?}");
    }
    let e = parse_err("#declare S = spline { }");
    assert!(e.contains("at least one entry"), "{e}");
    let e = parse_err("#declare S = spline { 0, 1 }\nsphere { 0, S(0, bezier_spline) }");
    assert!(
        e.starts_with("<scene>:2:") && e.contains("natural_spline"),
        "{e}"
    );
}

#[test]
fn optional_commas_in_macro_calls_and_normal_amounts_and_bare_map_textures() {
    let s = parse(
        "#macro M(A, B) sphere { A, B } #end\nM(<1, 0, 0> 2)\n\
         sphere { 0, 1 normal { gradient x, 0.5 } }\n\
         sphere { 0, 1 texture { gradient x texture_map { [0.2 pigment { rgb 1 } finish { phong 1 }]\n\
           [0.8 pigment { rgb 0 } rotate 90 * x] } } }\n\
         sphere { 0, vturbulence(2, 0.5, 6, <0.3, 0.2, 0.1>).x * 0 + 3 }",
    );
    assert_eq!(radii(&s), vec![2.0, 1.0, 1.0, 3.0]);
    let m = parse(
        "#declare P = pigment { rgb 1 }\n\
         sphere { 0, 1 pigment { gradient x pigment_map { [0.2 P scale 2] [0.6 radial frequency 3] } } }",
    );
    let Some(Texture::Plain(l)) = &m.objects[0].texture else {
        panic!("no plain texture");
    };
    match &l.pigment.kind {
        PigmentKind::PigmentMap { map, .. } => assert_eq!(map.len(), 2),
        other => panic!("not a pigment map: {other:?}"),
    }
    let q = parse("poly { 2, <1 0 0 0 0 0 0 0 0, -1> }");
    assert!(
        matches!(&q.objects[0].shape, Shape::Poly { coefficients, .. } if coefficients.len() == 10)
    );
    assert_eq!(
        s.objects[1].texture.as_ref().and_then(|t| match t {
            Texture::Plain(l) => l.normal.as_ref().map(|n| n.amount),
            _ => None,
        }),
        Some(0.5)
    );
}

#[test]
fn command_line_declares_and_clock() {
    let opts = ParseOptions {
        declares: vec![("Size".into(), 3.0)],
        clock: 0.5,
        ..ParseOptions::default()
    };
    let s = parse_str("sphere{0, Size + clock}", &opts).expect("parses");
    assert_eq!(radii(&s), vec![3.5]);
}

#[test]
fn animation_frame_variables() {
    let opts = ParseOptions {
        clock: 0.25,
        frame: raytracer::animation::FrameClock {
            clock: 0.25,
            clock_delta: 0.125,
            clock_on: true,
            frame_number: 3,
            initial_frame: 1,
            final_frame: 9,
            initial_clock: 0.0,
            final_clock: 1.0,
        },
        ..ParseOptions::default()
    };
    let s = parse_str(
        "sphere{0, clock_delta} sphere{0, clock_on} sphere{0, frame_number}\n\
         sphere{0, initial_frame} sphere{0, final_frame} sphere{0, final_clock + initial_clock}",
        &opts,
    )
    .expect("parses");
    assert_eq!(radii(&s), vec![0.125, 1.0, 3.0, 1.0, 9.0, 1.0]);
    // A still: all zero but the clock, as POV-Ray.
    let s = parse("sphere{0, clock_on + frame_number + final_frame + final_clock + 1}");
    assert_eq!(radii(&s), vec![1.0]);
}

#[test]
fn arrays() {
    let s = parse(
        "#declare A = array[3] { 1, 2, 3 }\n#declare A[1] = 5;\n\
         sphere{0, A[1] * 2} sphere{0, dimension_size(A, 1)}",
    );
    assert_eq!(radii(&s), vec![10.0, 3.0]);
}

#[test]
fn multi_dimensional_arrays_and_initialisers() {
    let s = parse(
        "#declare A = array[2][3] { {1, 2, 3}, {4, 5, 6} }\n\
         #declare B = array[2][2]\n\
         #declare B[1][0] = A[1][2] * 10;\n\
         sphere{0, A[0][1]} sphere{0, B[1][0]} sphere{0, dimensions(A)}\n\
         sphere{0, dimension_size(A, 2)} sphere{0, dimension_size(A, 3)}",
    );
    assert_eq!(radii(&s), vec![2.0, 60.0, 2.0, 3.0, 0.0]);
}

#[test]
fn array_elements_stand_for_their_value_in_any_context() {
    // An element is resolved where it is read, like any identifier: a texture
    // element in texture { }, an object in object { }, a float in an expression.
    let s = parse(
        "#declare T = array[2] { texture { pigment { rgb x } }, texture { pigment { rgb y } } }\n\
         #declare O = array[1]\n#declare O[0] = sphere { 0, 4 }\n\
         object { O[0] texture { T[1] } }",
    );
    assert_eq!(radii(&s), vec![4.0]);
    let Some(Texture::Plain(l)) = &s.objects[0].texture else {
        panic!("no plain texture");
    };
    assert!(matches!(l.pigment.kind, PigmentKind::Solid(c) if c.g == 1.0));
}

#[test]
fn array_declaration_does_not_run_the_next_directive_early() {
    let s = parse("#declare A=array[2]\n#declare A[0]=3;\n#declare A[1]=4;\nsphere{0, A[0]+A[1]}");
    assert_eq!(radii(&s), vec![7.0]);
}

#[test]
fn bad_array_use_is_an_error_at_its_place() {
    let e = parse_err("#declare A = array[2]\nsphere { 0, A[2] }");
    assert!(
        e.starts_with("<scene>:2:") && e.contains("out of range"),
        "{e}"
    );
    let e = parse_err("#declare A = array[2]\nsphere { 0, A[1] }");
    assert!(e.contains("never set"), "{e}");
    let e = parse_err("#declare A = array[2][2]\n#declare A[0][0][0] = 1;");
    assert!(e.contains("too many indices"), "{e}");
    let e = parse_err("#declare A = array[2] {1, 2, 3}");
    assert!(e.contains("too many initializers"), "{e}");
    let e = parse_err("#declare A = array[0]");
    assert!(e.contains("out of range"), "{e}");
}

#[test]
fn rand_is_pov_rays_generator() {
    // seed(123): the first two values POV-Ray 3.7 prints for this stream.
    let s = parse("#declare S = seed(123);\nsphere{0, rand(S)} sphere{0, rand(S)}");
    let r = radii(&s);
    assert!((r[0] - 0.9047729822).abs() < 1e-9, "{r:?}");
    assert!((r[1] - 0.9951378689).abs() < 1e-9, "{r:?}");
    assert!(parse_err("sphere{0, rand(3)}").contains("seed"));
}

#[test]
fn default_without_hash_and_bare_metallic_reflection() {
    let s = parse(
        "default { finish { ambient 0.3 } }\n\
         sphere { 0, 1 finish { reflection { 0.5 metallic } } }",
    );
    let Some(Texture::Plain(l)) = &s.objects[0].texture else {
        panic!("no plain texture");
    };
    assert_eq!(l.finish.ambient, Colour::rgb(0.3, 0.3, 0.3));
    assert_eq!(l.finish.reflection.metallic, 1.0);
}

#[test]
fn errors_name_place_expected_and_found() {
    assert_eq!(
        parse_err("union {\n  sphere { 0, 1 }\n  sphere { 0 1 pigment }\n"),
        "<scene>:3:24: expected '{' but found '}'"
    );
    assert_eq!(
        parse_err("union {\n  sphere { 0, 1 }\n"),
        "<scene>:2:17: expected an object modifier or '}' but found the end of the input"
    );
    let e = parse_err("sphere { 0, 1 \n box { 0, 1 } }");
    assert_eq!(
        e,
        "<scene>:2:2: expected an object modifier or '}' but found 'box'"
    );
    let e = parse_err("sphere { 0, Undefined }");
    assert!(
        e.contains("1:13") && e.contains("undeclared identifier 'Undefined'"),
        "{e}"
    );
    let e = parse_err("sphere { 0, 1 pigment { Foo } }");
    assert_eq!(
        e,
        "<scene>:1:25: expected a pigment item or '}' but found undeclared identifier 'Foo'"
    );
    let e = parse_err("#declare T = texture { }\nsphere { 0, 1 pigment { T } }");
    assert!(e.ends_with("but found texture identifier 'T'"), "{e}");
    let e = parse_err("#declare sphere = 1;");
    assert!(e.contains("reserved"), "{e}");
}

#[test]
fn limits_stop_runaway_scenes() {
    let few = Limits {
        loop_iterations: 1000,
        ..Limits::default()
    };
    let e = parse_with_limits(
        "s.pov",
        "#while (1) #end",
        &ParseOptions::default(),
        &MemoryLoader::default(),
        &few,
    )
    .expect_err("endless loop");
    assert!(
        e.to_string().contains("more than 1000 loop iterations"),
        "{e}"
    );
    let e = parse_err("#declare I = 0; #while (1) sphere { I, 1 } #end");
    assert!(e.contains("more than 500000 objects"), "{e}");
    let e = parse_err("#macro M() M() #end M()");
    assert!(e.contains("nested deeper"), "{e}");
    let deep = format!("sphere {{ 0, {}1{} }}", "(".repeat(5000), ")".repeat(5000));
    assert!(parse_err(&deep).contains("nesting"));
    let e = parse_err("#if (1) sphere{0,1}");
    assert!(e.contains("missing #end"), "{e}");
}

#[test]
fn recursive_include_is_stopped() {
    let files = MemoryLoader::new([("a.inc".to_string(), "#include \"a.inc\"".to_string())]);
    let e = parse_with(
        "main.pov",
        "#include \"a.inc\"",
        &ParseOptions::default(),
        &files,
    )
    .map(|_| ())
    .unwrap_err();
    assert!(matches!(e, SdlError::At { .. }));
    assert!(e.to_string().contains("nested deeper"), "{e}");
}

#[test]
fn csg_flags_and_interior_pass_to_children() {
    let s = parse(
        "union { sphere{0,1} sphere{0,1 hollow off interior { ior 2 }} hollow no_shadow interior { ior 1.5 } }",
    );
    let kids = s.objects[0].children();
    assert_eq!((kids[0].hollow, kids[1].hollow), (Some(true), Some(false)));
    assert!(kids.iter().all(|k| k.no_shadow));
    let iors: Vec<f64> = kids
        .iter()
        .filter_map(|k| k.interior.as_ref().map(|i| i.ior))
        .collect();
    assert_eq!(iors, vec![1.5, 2.0]);
}

#[test]
fn repeated_includes_are_recorded_once() {
    let files = MemoryLoader::new([("a.inc".to_string(), "#declare N = 1;".to_string())]);
    let p = parse_with(
        "main.pov",
        "#include \"a.inc\" #include \"a.inc\" sphere{0,N}",
        &ParseOptions::default(),
        &files,
    )
    .expect("parses");
    assert_eq!(p.files.len(), 2);
}

#[test]
fn macro_identifier_arguments_are_references() {
    let s = parse(
        "#macro Set(A) #declare A = 5; #end\n#macro Outer(B) Set(B) #end\n\
         #declare X = 1; Set(X) sphere{0,X}\n#declare Y = 1; Outer(Y) sphere{0,Y}\n\
         #declare Z = 1; Set(Z+0) sphere{0,Z}\n#ifdef (A) sphere{0,99} #end\n\
         #macro L() #local Q = 1; #declare Q = 7; sphere{0,Q} #end L() #ifdef (Q) sphere{0,98} #end",
    );
    assert_eq!(
        radii(&s),
        vec![5.0, 5.0, 1.0, 7.0],
        "#declare of a macro's own names stays local"
    );
}

/// Inside a texture, `pigment`, `finish` and `normal` blocks change what the
/// texture already has (POV-Ray's interior/ballbox1.pov turns T_Stone1's pigment
/// with `pigment { octaves 3 rotate 90*z }`).
#[test]
fn texture_blocks_modify_the_texture_they_are_in() {
    let s = parse(
        "#declare T = texture { pigment { granite colour_map { [0 rgb 0] [1 rgb 1] } }\n\
         finish { phong 0.5 } }\n\
         sphere { 0, 1 texture { T pigment { rotate 90*z } finish { reflection 0.1 } } }",
    );
    let Some(Texture::Plain(l)) = &s.objects[0].texture else {
        panic!("no plain texture: {:?}", s.objects[0].texture);
    };
    let PigmentKind::ColourMap { pattern, map } = &l.pigment.kind else {
        panic!("the granite colour map was replaced: {:?}", l.pigment.kind);
    };
    assert_eq!(pattern.kind, PatternKind::Granite);
    assert_eq!(map.len(), 2);
    assert_eq!(l.finish.phong, 0.5, "the finish keeps its phong");
    assert_eq!(l.finish.reflection.max.r, 0.1);
}

/// A declaration ending a macro needs no `;` when its value is an object, so
/// reading it runs into the macro's `#end`: it must still bind where it would
/// have bound inside the macro (POV-Ray's macros/macro2.pov turns an object
/// through a parameter this way).
#[test]
fn declarations_at_the_end_of_a_macro_bind_as_inside_it() {
    let s = parse(
        "#macro Grow(Stuff) #declare Stuff = sphere{0, 2} #end
         #declare Thing = sphere{0, 1} Grow(Thing) object{Thing}
         #macro Keep() #local Mine = sphere{0, 3} #end
         Keep() #ifdef (Mine) sphere{0, 99} #end
         #macro Outer() #local Own = 4; #macro Inner() #declare Own = sphere{0, 6} #end
         Inner() sphere{0, 5} #end Outer() #ifdef (Own) sphere{0, 98} #end",
    );
    assert_eq!(
        radii(&s),
        vec![2.0, 5.0],
        "the caller's Thing became the new sphere; #local and macro-local names stayed inside"
    );
}

#[test]
fn colour_lists_without_the_colour_keyword() {
    let s = parse(
        "plane { y, 0 pigment { checker rgb <1,0,0> rgb <0,0,1> } }\n\
         plane { y, 0 pigment { hexagon rgb 0.1 rgb 0.2 rgb 0.3 } }\n\
         plane { y, 0 pigment { brick rgb 0.85 rgb <0.7,0.25,0.15> mortar 0.2 } }\n\
         plane { y, 0 pigment { spiral1 3 color_map { [0 rgb 0][1 rgb 1] } } }\n\
         plane { y, 0 pigment { quilted control0 0.5 control1 0.25 } }",
    );
    let maps: Vec<_> = s
        .objects
        .iter()
        .map(|o| match &o.texture {
            Some(Texture::Plain(l)) => match &l.pigment.kind {
                PigmentKind::ColourMap { pattern, map } => (pattern.kind.clone(), map.clone()),
                other => panic!("not a colour map: {other:?}"),
            },
            _ => panic!("no texture"),
        })
        .collect();
    let colours = |i: usize| maps[i].1.iter().map(|e| e.item).collect::<Vec<_>>();
    assert_eq!(
        colours(0),
        vec![Colour::rgb(1.0, 0.0, 0.0), Colour::rgb(0.0, 0.0, 1.0)]
    );
    assert_eq!(
        colours(1).iter().map(|c| c.r).collect::<Vec<_>>(),
        vec![0.1, 0.2, 0.3]
    );
    assert_eq!(
        colours(2),
        vec![Colour::rgb(0.85, 0.85, 0.85), Colour::rgb(0.7, 0.25, 0.15)]
    );
    assert!(matches!(maps[2].0, PatternKind::Brick { mortar, .. } if mortar == 0.2));
    assert_eq!(maps[3].0, PatternKind::Spiral1 { arms: 3 });
    assert_eq!(
        maps[4].0,
        PatternKind::Quilted {
            control0: 0.5,
            control1: 0.25
        }
    );
}

#[test]
fn deprecated_declarations_are_accepted() {
    let s = parse(
        "#declare deprecated once \"use B\" A = 2;\n#declare deprecated \"old\" C = 3;\nsphere{0,A+C}",
    );
    assert_eq!(radii(&s), vec![5.0]);
}

#[test]
fn optional_commas_in_vectors_and_trailing_macro_comma() {
    let s = parse("#macro M(A, B, ) sphere { A, B } #end\nM(< -1 0 2 >, 3)");
    assert_eq!(radii(&s), vec![3.0]);
    assert!(
        matches!(s.objects[0].shape, Shape::Sphere { center, .. } if center == DVec3::new(-1.0, 0.0, 2.0))
    );
}

#[test]
fn matrix_values_may_be_member_expressions_and_sky_sphere_declares() {
    let s = parse(
        "#declare R = <2,0,0>; #declare S = sky_sphere { pigment { rgb 1 } }\n\
         sphere { 0, 1 matrix < R.x, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, R.x > }",
    );
    let p = s.objects[0].transform.point(DVec3::X);
    assert_eq!(p, DVec3::new(2.0, 0.0, 2.0));
}

#[test]
fn bounds_can_name_each_other_and_macro_params_can_shadow_macros() {
    let s = parse(
        "#macro Str(A) A #end\n#macro Show(Str) sphere { 0, Str } #end\nShow(2)\n\
         sphere { 0, 1 clipped_by { box { -1, 1 } } bounded_by { clipped_by } }",
    );
    assert_eq!(radii(&s), vec![2.0, 1.0]);
    assert_eq!(s.objects[1].bounded_by.len(), 1);
}

#[test]
fn pigment_and_texture_maps_inline_and_declared() {
    let s = parse(
        "#declare PM = pigment_map { [0 rgb 1] [1 pigment { rgb <1,0,0> }] }\n\
         #declare T1 = texture { pigment { rgb 0.5 } }\n\
         #declare TM = texture_map { [0 T1] [0.5 texture { pigment { rgb z } }] }\n\
         sphere { 0, 1 pigment { gradient y pigment_map { [0 rgb x] [0.3 rgb y] [1 rgb z] } } }\n\
         sphere { 0, 2 pigment { gradient y pigment_map { PM } } }\n\
         sphere { 0, 3 texture { gradient x texture_map { TM } } }\n\
         sphere { 0, 4 texture { gradient x texture_map { [0 T1] [1 T1] } } }",
    );
    let pigment_map_values = |i: usize| match &s.objects[i].texture {
        Some(Texture::Plain(layer)) => match &layer.pigment.kind {
            PigmentKind::PigmentMap { map, .. } => map.iter().map(|e| e.value).collect::<Vec<_>>(),
            other => panic!("object {i}: not a pigment map: {other:?}"),
        },
        other => panic!("object {i}: not a plain texture: {other:?}"),
    };
    assert_eq!(pigment_map_values(0), vec![0.0, 0.3, 1.0]);
    assert_eq!(pigment_map_values(1), vec![0.0, 1.0]);
    let texture_map_values = |i: usize| match &s.objects[i].texture {
        Some(Texture::Map { map, .. }) => map.iter().map(|e| e.value).collect::<Vec<_>>(),
        other => panic!("object {i}: not a texture map: {other:?}"),
    };
    assert_eq!(texture_map_values(2), vec![0.0, 0.5]);
    assert_eq!(texture_map_values(3), vec![0.0, 1.0]);
    assert!(
        parse_err("sphere { 0, 1 texture { gradient x texture_map { [0 3] } } }")
            .contains("texture")
    );
}

/// A font that is missing or not a font stops the parse at the text's line,
/// naming the file; no panic.
#[test]
fn text_fonts_missing_or_broken_are_errors_at_their_line() {
    let opts = ParseOptions::default();
    let scene = "sphere { 0, 1 }\ntext { ttf \"nofont.ttf\" \"A\" 1, 0 }";
    let err = parse_with("s.pov", scene, &opts, &MemoryLoader::default())
        .expect_err("missing font")
        .to_string();
    assert!(
        err.contains("s.pov:2") && err.contains("nofont.ttf"),
        "{err}"
    );
    let loader = MemoryLoader::default().with_data([("bad.ttf".to_string(), vec![0u8; 40])]);
    let scene = "text { ttf \"bad.ttf\" \"A\" 1, 0 }";
    let err = parse_with("s.pov", scene, &opts, &loader)
        .expect_err("broken font")
        .to_string();
    assert!(
        err.contains("s.pov:1") && err.contains("not a TrueType font"),
        "{err}"
    );
}

/// Prisms that POV-Ray rejects or ignores: too few points is an error, an open
/// non-linear outline is dropped with a warning, an open linear one is closed.
#[test]
fn prism_point_checks() {
    let err = parse_err("prism { 0, 1, 2 <0, 0>, <1, 0> }");
    assert!(err.contains("at least three points"), "{err}");
    let opts = ParseOptions::default();
    let p = parse_with(
        "s.pov",
        "prism { 0, 1, 3 <0, 0>, <1, 0>, <0, 1> }\n\
         prism { quadratic_spline 0, 1, 5 <0, 0>, <1, 0>, <1, 1>, <0, 1>, <0, 2> }",
        &opts,
        &MemoryLoader::default(),
    )
    .expect("parses");
    assert_eq!(
        p.scene.objects.len(),
        1,
        "the open quadratic prism is ignored"
    );
    match &p.scene.objects[0].shape {
        Shape::Prism(pr) => assert_eq!(pr.points.len(), 4, "closed by repeating the start"),
        other => panic!("expected a prism, got {other:?}"),
    }
    assert!(
        p.messages.iter().any(|m| m.contains("not closed")),
        "{:?}",
        p.messages
    );
}

#[test]
fn poly_coefficients_need_no_commas_and_orders_reach_35() {
    // POV-Ray reads the order as a bare float: `4 <` opens the list, it is no comparison.
    // Without a comma, `0 -1` would be one coefficient (a subtraction), as in POV-Ray.
    let order_35 = format!("poly {{ 35, <1 {}> }}", vec!["0"; 8435].join(" "));
    let s = parse(&format!(
        "poly {{ 4 <1 0 0 0 0 0 0 0 0, -1, 0 0 0 0 0 0 0 0 0 0, 0 0 0 0 0 1 0 0 0 0, 0 0 1 0 0> sturm }}\n\
         {order_35}"
    ));
    match &s.objects[0].shape {
        Shape::Poly {
            order: 4,
            coefficients,
            sturm: true,
        } => {
            assert_eq!(coefficients.len(), 35);
            assert_eq!(
                (coefficients[9], coefficients[25], coefficients[32]),
                (-1.0, 1.0, 1.0)
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&s.objects[1].shape, Shape::Poly { order: 35, coefficients, .. } if coefficients.len() == 8436)
    );
    let e = parse_err("poly { 36, <1> }");
    assert!(e.contains("poly order must be 2 to 35"), "{e}");
    let e = parse_err("poly { 1, <1, 2, 3, 4> }");
    assert!(e.contains(":1:"), "{e}");
}

#[test]
fn polynomial_names_terms_by_exponents() {
    let s = parse(
        "polynomial { 4, xyz(4,0,0): 1, xyz(0,4,0): 2 xyz(0, 0, 2): -3, xyz(0,0,0): 0.5 xyz(4,0,0): 5 }",
    );
    match &s.objects[0].shape {
        Shape::Poly {
            order: 4,
            coefficients,
            sturm: false,
        } => {
            assert_eq!(coefficients.len(), 35);
            // The last value named for a term wins; unnamed terms are zero.
            assert_eq!(coefficients[0], 5.0);
            assert_eq!(coefficients[20], 2.0);
            assert_eq!(coefficients[32], -3.0);
            assert_eq!(coefficients[34], 0.5);
            assert_eq!(coefficients.iter().filter(|&&c| c != 0.0).count(), 4);
        }
        other => panic!("{other:?}"),
    }
    let e = parse_err("polynomial { 3, xyz(2, 1, 1): 1 }");
    assert!(
        e.contains("xyz(2, 1, 1) is out of range for order 3"),
        "{e}"
    );
    let e = parse_err("polynomial { 3, xyz(-1, 0, 0): 1 }");
    assert!(e.contains("out of range"), "{e}");
}

#[test]
fn interior_texture_is_kept_inherited_and_moved() {
    let s = parse(
        "union { sphere { 0, 1 } sphere { x, 1 interior_texture { pigment { rgb z } } }
           texture { pigment { rgb y } }
           interior_texture { pigment { checker rgb x rgb y } }
           translate 2*x }",
    );
    let kids = s.objects[0].children();
    let pigment = |t: &Option<Texture>| match t {
        Some(Texture::Plain(l)) => l.pigment.clone(),
        other => panic!("no plain texture: {other:?}"),
    };
    assert!(matches!(
        pigment(&kids[0].interior_texture).kind,
        PigmentKind::ColourMap { .. }
    ));
    // The inherited texture moved with the union.
    assert_ne!(
        pigment(&kids[0].interior_texture).transform,
        Default::default()
    );
    assert!(matches!(
        pigment(&kids[1].interior_texture).kind,
        PigmentKind::Solid(c) if c == Colour::rgb(0.0, 0.0, 1.0)
    ));
    assert!(s.objects[0].interior_texture.is_none());
}

#[test]
fn a_macro_value_continues_the_expression_past_its_directives() {
    // As POV-Ray's look-ahead runs directives: after `A[1]` come the `#else`
    // branch and the body's `#end`, then `* 3` continues the value.
    let s = parse(
        "#macro Pick(A) #if (1) A[1] #else A[0] #end #end\n\
         #declare Nums = array[2] { 1, 2 }\n\
         #declare Cols = array[2] { rgb 1, rgb <0, 1, 0.5> }\n\
         sphere { 0, Pick(Nums) * 3 pigment { Pick(Cols) * 0.5 } }\n\
         #declare K = 1 #declare J = K + 1\n\
         sphere { 0, J }",
    );
    assert_eq!(radii(&s), vec![6.0, 2.0]);
    let Some(Texture::Plain(l)) = &s.objects[0].texture else {
        panic!("a plain texture")
    };
    assert!(matches!(l.pigment.kind, PigmentKind::Solid(c) if c == Colour::rgb(0.0, 0.5, 0.25)));
}

/// `#version` newer than POV-Ray 3.7's language is refused at its place, as POV-Ray
/// refuses it; a scene without `assumed_gamma` is told which gamma it gets.
#[test]
fn version_directive_limits_and_gamma_notices() {
    let opts = ParseOptions::default();
    let parse = |text: &str| parse_with("v.pov", text, &opts, &MemoryLoader::default());
    for newer in ["#version 3.71;", "#version 3.8;", "#version 4;"] {
        let e = parse(newer).expect_err(newer).to_string();
        assert!(
            e.contains("v.pov:1") && e.contains("requires POV-Ray version"),
            "{e}"
        );
    }
    let legacy = parse("#version 3.6;\nsphere { 0, 1 }").unwrap();
    assert!(
        legacy
            .messages
            .iter()
            .any(|m| m.contains("gamma correction is off")),
        "{:?}",
        legacy.messages
    );
    let implied = parse("#version 3.704;\nsphere { 0, 1 }").unwrap();
    assert!(
        implied
            .messages
            .iter()
            .any(|m| m.contains("1.0 is assumed")),
        "{:?}",
        implied.messages
    );
    let stated = parse("#version 3.7;\nglobal_settings { assumed_gamma 1 }").unwrap();
    assert!(stated.messages.is_empty(), "{:?}", stated.messages);
}
