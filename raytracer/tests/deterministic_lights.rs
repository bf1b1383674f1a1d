//! The randomised light and camera features (jittered area lights, focal blur,
//! `crand`) are pure functions of the pixel: rendering the image in blocks, in
//! any order, gives exactly the pixels of one whole render, and rendering twice
//! gives the same image (what distributed renders rely on).

use raytracer::render::{render_block, Lighting, Rect, RenderOptions};
use raytracer::scene::Scene;
use raytracer::sdl::{parse_str, ParseOptions};

const SCENE: &str = r#"
#version 3.7;
global_settings { assumed_gamma 1.0 }
camera { location <0, 2, -6> look_at <0, 0.5, 0> aperture 0.4 focal_point <0, 1, 0> blur_samples 12 }
light_source { <5, 10, -5> rgb 1 area_light <2, 0, 0>, <0, 0, 2>, 4, 4 adaptive 1 jitter circular orient }
plane { y, 0 pigment { checker rgb 1, rgb 0.2 } finish { crand 0.1 } }
sphere { <0, 1, 0>, 1 pigment { rgb <1, 0.5, 0.2> } }
"#;

const W: u32 = 41;
const H: u32 = 29;

fn whole(scene: &Scene, lighting: &Lighting, opts: &RenderOptions) -> Vec<glam::DVec3> {
    let all = Rect {
        x0: 0,
        y0: 0,
        x1: W,
        y1: H,
    };
    render_block(scene, lighting, opts, all).pixels
}

#[test]
fn jitter_blur_and_crand_do_not_depend_on_blocks() {
    let desc = parse_str(SCENE, &ParseOptions::default()).expect("scene parses");
    let scene = Scene::build(&desc).expect("scene builds");
    let lighting = Lighting::build(&scene).expect("lighting builds");
    let opts = RenderOptions {
        width: W,
        height: H,
        antialias: None,
    };
    let reference = whole(&scene, &lighting, &opts);
    assert_eq!(
        reference,
        whole(&scene, &lighting, &opts),
        "two renders differ"
    );
    let mut assembled = vec![None; (W * H) as usize];
    let mut rects = Vec::new();
    for y in (0..H).step_by(5) {
        for x in (0..W).step_by(9) {
            rects.push(Rect {
                x0: x,
                y0: y,
                x1: (x + 9).min(W),
                y1: (y + 5).min(H),
            });
        }
    }
    rects.reverse();
    for r in rects {
        let b = render_block(&scene, &lighting, &opts, r);
        for (i, c) in b.pixels.into_iter().enumerate() {
            let (x, y) = (r.x0 + i as u32 % r.width(), r.y0 + i as u32 / r.width());
            assembled[(y * W + x) as usize] = Some(c);
        }
    }
    for (i, (a, b)) in assembled.iter().zip(&reference).enumerate() {
        assert_eq!(
            a.as_ref(),
            Some(b),
            "pixel {i} differs between block and whole renders"
        );
    }
}
