//! The block API the distributed renderer builds on: any split of the image into
//! blocks, rendered in any order, gives exactly the pixels of a whole-image render.

use raytracer::render::{render_block, Antialias, Lighting, Method, Rect, RenderOptions};
use raytracer::scene::Scene;
use raytracer::sdl::{parse_str, ParseOptions};

const SCENE: &str = r#"
#version 3.7;
global_settings { assumed_gamma 1.0 }
camera { location <0, 2, -6> look_at <0, 0.5, 0> }
light_source { <5, 10, -5> color rgb 1 }
plane { y, 0 pigment { checker rgb 1, rgb 0 } }
sphere { <0, 1, 0>, 1 pigment { rgbf <1, 1, 1, 0.7> } interior { ior 1.5 } finish { reflection 0.2 } }
cylinder { <-2, 0, 1>, <-2, 2, 1>, 0.4 pigment { rgb <0, 1, 0> } }
"#;

fn scene() -> (Scene, Lighting) {
    let desc = parse_str(SCENE, &ParseOptions::default()).expect("scene parses");
    let scene = Scene::build(&desc).expect("scene builds");
    let lighting = Lighting::build(&scene).expect("lighting builds");
    (scene, lighting)
}

#[test]
fn blocks_in_any_layout_and_order_match_one_whole_render() {
    blocks_match_whole_render(Method::NonAdaptive);
}

#[test]
fn adaptive_antialiasing_blocks_match_one_whole_render() {
    blocks_match_whole_render(Method::Adaptive);
}

fn blocks_match_whole_render(method: Method) {
    let (scene, lighting) = scene();
    let opts = RenderOptions {
        width: 53,
        height: 37,
        antialias: Some(Antialias {
            method,
            threshold: 0.05,
            depth: 3,
            jitter: 1.0,
        }),
    };
    let whole = render_block(
        &scene,
        &lighting,
        &opts,
        Rect {
            x0: 0,
            y0: 0,
            x1: 53,
            y1: 37,
        },
    );
    let mut assembled = vec![None; 53 * 37];
    // Odd block sizes, rendered bottom-right first.
    let mut rects = Vec::new();
    for y in (0..37).step_by(7) {
        for x in (0..53).step_by(11) {
            rects.push(Rect {
                x0: x,
                y0: y,
                x1: (x + 11).min(53),
                y1: (y + 7).min(37),
            });
        }
    }
    rects.reverse();
    for r in rects {
        let b = render_block(&scene, &lighting, &opts, r);
        for (i, c) in b.pixels.iter().enumerate() {
            let (x, y) = (
                r.x0 as usize + i % r.width() as usize,
                r.y0 as usize + i / r.width() as usize,
            );
            assembled[y * 53 + x] = Some(*c);
        }
    }
    for (i, (a, w)) in assembled.iter().zip(&whole.pixels).enumerate() {
        assert_eq!(a.as_ref(), Some(w), "pixel {i}");
    }
    assert!(
        whole.stats.samples > whole.stats.pixels,
        "some pixels were supersampled"
    );
}

#[test]
fn a_block_is_clamped_to_the_image() {
    let (scene, lighting) = scene();
    let opts = RenderOptions {
        width: 10,
        height: 10,
        antialias: None,
    };
    let b = render_block(
        &scene,
        &lighting,
        &opts,
        Rect {
            x0: 5,
            y0: 5,
            x1: 50,
            y1: 50,
        },
    );
    assert_eq!(
        b.rect,
        Rect {
            x0: 5,
            y0: 5,
            x1: 10,
            y1: 10
        }
    );
    assert_eq!(b.pixels.len(), 25);
}

#[test]
fn empty_and_outside_blocks_render_nothing_without_panicking() {
    let (scene, lighting) = scene();
    let aa = Some(Antialias {
        method: Method::Adaptive,
        threshold: 0.1,
        depth: 2,
        jitter: 0.0,
    });
    let opts = RenderOptions {
        width: 10,
        height: 10,
        antialias: aa,
    };
    for r in [
        Rect {
            x0: 20,
            y0: 20,
            x1: 30,
            y1: 30,
        },
        Rect {
            x0: 7,
            y0: 3,
            x1: 2,
            y1: 9,
        },
        Rect {
            x0: 0,
            y0: 0,
            x1: 0,
            y1: 0,
        },
    ] {
        let b = render_block(&scene, &lighting, &opts, r);
        assert!(b.pixels.is_empty(), "{r:?}");
    }
}
