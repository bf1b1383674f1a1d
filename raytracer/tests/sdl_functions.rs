//! User-defined functions in the scene language: the function grammar, name
//! resolution, parse-time calls, and the isosurface's items.

use raytracer::desc::isosurface::Container;
use raytracer::desc::Shape;
use raytracer::sdl::{parse_with, MemoryLoader, ParseOptions};

mod common;
use common::sdl::{parse, parse_err, radii};

#[test]
fn function_grammar_and_calls() {
    let s = parse(
        "#declare F = function(a, b) { a * 2 + b }\n\
         #declare G = function { F(x, y) - z }\n\
         sphere { 0, F(3, 4) } sphere { 0, G(1, 2, 3) }\n\
         // comparisons bind looser than + and all at one level; | looser than &\n\
         #declare C = function { 1 < 2 + x = 1 }\n\
         #declare L = function { x & 0 | 1 }\n\
         sphere { 0, C(0, 0, 0) } sphere { 0, L(1, 0, 0) }",
    );
    assert_eq!(radii(&s), vec![10.0, 1.0, 1.0, 1.0]);
}

#[test]
fn builtins_select_and_sums() {
    let s = parse(
        "#declare S3 = function(c) { select(c, 1, 2) }\n\
         #declare S4 = function(c) { select(c, 1, 2, 3) }\n\
         sphere { 0, S3(-1) } sphere { 0, S3(0) } sphere { 0, S4(0) } sphere { 0, S4(5) }\n\
         #declare Sum = function(n) { sum(i, 1, n, i * i) }\n\
         #declare Prod = function(n) { prod(k, 1, n, k) }\n\
         sphere { 0, Sum(4) } sphere { 0, Prod(5) }\n\
         #declare M = function { max(x, y, z) - min(x, y) + div(7, 2) + mod(7, 4) + int(-2.5) }\n\
         sphere { 0, M(1, 5, 3) }",
    );
    assert_eq!(
        radii(&s),
        vec![1.0, 2.0, 2.0, 3.0, 30.0, 120.0, 5.0 - 1.0 + 3.0 + 3.0 - 2.0]
    );
}

#[test]
fn names_resolve_as_in_povray() {
    // A declared float is a constant taken at declaration; u aliases x.
    let s = parse(
        "#declare K = 2;\n\
         #declare F = function(u, v) { x * K + v }\n\
         #declare K = 100;\n\
         sphere { 0, F(3, 1) }\n\
         #macro Scaled(S) function { x * S } #end\n\
         #declare H = Scaled(4)\n\
         sphere { 0, H(2, 0, 0) }",
    );
    assert_eq!(radii(&s), vec![7.0, 8.0]);
}

#[test]
fn vector_functions_give_members() {
    let s = parse(
        "#declare P = function { pigment { rgb <0.25, 0.5, 1> } }\n\
         #declare T = function { transform { translate <1, 2, 3> } }\n\
         #declare G = function { P(x, y, z).green + T(x, y, z).z }\n\
         #declare C = P(0, 0, 0);\n\
         sphere { 0, C.blue } sphere { 0, G(0, 0, 0) } sphere { 0, T(1, 1, 1).y }",
    );
    assert_eq!(radii(&s), vec![1.0, 3.5, 3.0]);
}

#[test]
fn arrays_of_functions() {
    let s = parse(
        "#declare A = array[2] { function { x + 1 }, function(a) { a * 10 } }\n\
         #declare G = function { A[1](A[0](x, 0, 0)) }\n\
         sphere { 0, A[0](1, 2, 3) } sphere { 0, G(2, 0, 0) }",
    );
    assert_eq!(radii(&s), vec![2.0, 30.0]);
}

#[test]
fn internal_functions() {
    let s = parse(
        "#declare f_sphere = function { internal(61) }\n\
         #declare f_r = function { internal(57) }\n\
         sphere { 0, f_sphere(3, 4, 0, 1) } sphere { 0, f_r(0, 3, 4) }",
    );
    assert_eq!(radii(&s), vec![4.0, 5.0]);
}

#[test]
fn function_errors_say_where_and_what() {
    let e = parse_err("#declare F = function(a, b) { a + b }\nsphere { 0, F(1) }");
    assert!(
        e.contains(":2:") && e.contains("takes 2 argument(s) but 1"),
        "{e}"
    );
    let e = parse_err("#declare F = function { x + nowhere }");
    assert!(e.contains("nowhere"), "{e}");
    let e = parse_err("#declare F = function { internal(999) }");
    assert!(e.contains("internal(999)"), "{e}");
}

#[test]
fn unsupported_bodies_warn_when_used() {
    let src = "#declare P = function { pattern { tiles } }\n\
               sphere { 0, 1 pigment { function { P(x, y, z) } } }";
    let parsed = parse_with(
        "t.pov",
        src,
        &ParseOptions::default(),
        &MemoryLoader::default(),
    )
    .expect("parses");
    let text = parsed.messages.join("\n");
    assert!(text.contains("pattern tiles"), "{text}");
}

#[test]
fn spline_functions_give_the_splines_components() {
    let s = parse(
        "#declare B = spline { linear_spline 0, <0, 0, 0> 1, <2, 4, 6> }\n\
         #declare S = function { spline { B } }\n\
         #declare C = function { spline { cubic_spline -1, <0, 0> 0, <1, 1> 1, <2, 4> 2, <3, 9> } }\n\
         #declare F = function { S(x).y + C(x).x }\n\
         sphere { S(0.5), 1 } sphere { 0, S(0.25).z } sphere { 0, F(0.5, 0, 0) }\n\
         sphere { 0, C(0.5).x }",
    );
    assert_eq!(radii(&s)[1..], [1.5, 3.5, 1.5]);
}

#[test]
fn isosurface_items() {
    let s = parse(
        "isosurface { function { x * x + y * y + z * z - 1 }\n\
           contained_by { sphere { <0, 1, 0>, 2 } }\n\
           threshold 0.5 accuracy 0.01 max_gradient 4 max_trace 3 open\n\
           pigment { rgb 1 } translate x }",
    );
    let Shape::Isosurface(iso) = &s.objects[0].shape else {
        panic!("not an isosurface: {:?}", s.objects[0].shape);
    };
    assert_eq!(
        iso.container,
        Container::Sphere {
            center: glam::DVec3::Y,
            radius: 2.0
        }
    );
    assert_eq!(
        (
            iso.threshold,
            iso.accuracy,
            iso.max_gradient,
            iso.max_trace,
            iso.closed
        ),
        (0.5, 0.01, 4.0, 3, false)
    );
    assert_eq!(iso.function.eval(&[1.0, 1.0, 1.0]), 2.0);
}
