//! Radiosity against POV-Ray 3.7 (a room lit only by interreflection past its
//! one light), and the determinism the distributed renderer needs: the image
//! does not depend on the block layout or the thread count.
//!
//! POV-Ray's radiosity depends on its trace order, ours is built in a fixed one
//! (see `raytracer::render::radiosity`), so the images agree statistically, not
//! bit for bit: the bar is PSNR >= 30 dB at 160x120, the acceptance setting.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).

mod common;

use common::oracle::{assert_matches_povray, assert_threads_agree};
use common::render::Spec;
use raytracer::render::{render_block, Lighting, Rect, RenderOptions};
use raytracer::scene::Scene;
use raytracer::sdl::{parse_str, ParseOptions};

const MIN_PSNR_DB: f64 = 30.0;

#[test]
fn radiosity_room_matches_povray() {
    let spec = Spec::new(common::test_scene("radiosity_room.pov"), 160, 120);
    assert_matches_povray("radiosity_room", &spec, None, MIN_PSNR_DB);
}

#[test]
fn radiosity_rays_see_media_only_with_media_on() {
    let spec = common::oracle::test_scene_spec("radiosity_media", 160, 120);
    assert_matches_povray("radiosity_media_off", &spec, None, MIN_PSNR_DB);
    let on = spec.with("Declare=MediaOn=1");
    assert_matches_povray("radiosity_media_on", &on, None, MIN_PSNR_DB);
}

/// Radiosity `importance` (`#default`, per object, inherited by CSG children)
/// against POV-Ray: about 43 dB.
#[test]
fn radiosity_importance_matches_povray() {
    let spec = Spec::new(common::test_scene("radiosity_importance.pov"), 160, 120);
    assert_matches_povray("radiosity_importance", &spec, None, MIN_PSNR_DB);
}

/// The mean of a 40x30 render of `src`, over pixels and channels.
fn mean_brightness(src: &str) -> f64 {
    let desc = parse_str(src, &ParseOptions::default()).expect("scene parses");
    let scene = Scene::build(&desc).expect("scene builds");
    let lighting = Lighting::build(&scene).expect("lighting builds");
    let (width, height) = (40, 30);
    let opts = RenderOptions {
        width,
        height,
        antialias: None,
    };
    let rect = Rect {
        x0: 0,
        y0: 0,
        x1: width,
        y1: height,
    };
    let b = render_block(&scene, &lighting, &opts, rect);
    b.pixels.iter().map(|c| c.element_sum()).sum::<f64>() / b.pixels.len() as f64
}

/// Importance 1 is the default and changes nothing; a low importance takes
/// fewer sample rays at the objects that have it, each standing for the ones
/// skipped, so the image changes but its light stays about the same.
#[test]
fn low_importance_skips_rays_without_darkening_the_room() {
    let src = std::fs::read_to_string(common::test_scene("radiosity_importance.pov"))
        .expect("scene readable");
    let without: String = src
        .lines()
        .filter(|l| !l.contains("importance"))
        .collect::<Vec<_>>()
        .join("\n");
    let plain = mean_brightness(&without);
    let ones = mean_brightness(&format!(
        "{without}\n#default {{ radiosity {{ importance 1 }} }}"
    ));
    assert_eq!(plain, ones, "importance 1 is the default");
    let low = mean_brightness(&without.replace(
        "#version 3.7;",
        "#version 3.7;\n#default { radiosity { importance 0.1 } }",
    ));
    assert_ne!(low, plain, "importance 0.1 changed nothing");
    assert!(
        (low - plain).abs() < 0.05 * plain,
        "importance 0.1: mean {low} against {plain}"
    );
}

#[test]
fn a_glow_no_camera_ray_sees_lights_the_room_only_with_media_on() {
    let src =
        std::fs::read_to_string(common::test_scene("radiosity_media.pov")).expect("scene readable");
    let mean = |src: &str| {
        let desc = parse_str(src, &ParseOptions::default()).expect("scene parses");
        let scene = Scene::build(&desc).expect("scene builds");
        let lighting = Lighting::build(&scene).expect("lighting builds");
        let (width, height) = (40, 30);
        let opts = RenderOptions {
            width,
            height,
            antialias: None,
        };
        let rect = Rect {
            x0: 0,
            y0: 0,
            x1: width,
            y1: height,
        };
        let b = render_block(&scene, &lighting, &opts, rect);
        b.pixels.iter().map(|c| c.element_sum()).sum::<f64>() / b.pixels.len() as f64
    };
    let glow_at = src.find("sphere { <0, 4.2").expect("the glowing sphere");
    let without_glow = mean(&src[..glow_at]);
    let off = mean(&src);
    let on = mean(&format!("#declare MediaOn = 1;\n{src}"));
    assert!(
        (off - without_glow).abs() < 0.01 * without_glow,
        "media off: {off} vs {without_glow} without the glow"
    );
    assert!(on > 1.05 * off, "media on: {on} vs {off} with media off");
}

#[test]
fn radiosity_room_is_the_same_with_one_or_two_threads() {
    let spec = Spec::new(common::test_scene("radiosity_room.pov"), 64, 48);
    assert_threads_agree("radiosity_threads", spec);
}

const SMALL_ROOM: &str = r#"
#version 3.7;
global_settings { radiosity { count 20 recursion_limit 2 error_bound 1 } }
camera { location <0, 1.5, -3.5> look_at <0, 1, 0> }
light_source { <0, 2.8, 0> colour rgb 1 }
box { <-2, 0, -4>, <2, 3, 2> hollow pigment { rgb 0.8 } }
box { <-2.01, 0, -4>, <-1.99, 3, 2> pigment { rgb <0.9, 0.1, 0.1> } }
sphere { <0.5, 0.5, 0>, 0.5 pigment { rgb <0.2, 0.3, 0.9> } }
"#;

#[test]
fn radiosity_blocks_in_any_layout_match_one_whole_render() {
    let desc = parse_str(SMALL_ROOM, &ParseOptions::default()).expect("scene parses");
    let scene = Scene::build(&desc).expect("scene builds");
    let lighting = Lighting::build(&scene).expect("lighting builds");
    let (w, h) = (40, 30);
    let opts = RenderOptions {
        width: w,
        height: h,
        antialias: None,
    };
    let whole = render_block(
        &scene,
        &lighting,
        &opts,
        Rect {
            x0: 0,
            y0: 0,
            x1: w,
            y1: h,
        },
    );
    // A fresh scene, so its cache is built anew, rendered in odd blocks backwards.
    let scene = Scene::build(&desc).expect("scene builds");
    let lighting = Lighting::build(&scene).expect("lighting builds");
    let mut assembled = vec![None; (w * h) as usize];
    let mut rects = Vec::new();
    for y in (0..h).step_by(7) {
        for x in (0..w).step_by(9) {
            rects.push(Rect {
                x0: x,
                y0: y,
                x1: (x + 9).min(w),
                y1: (y + 7).min(h),
            });
        }
    }
    rects.reverse();
    for r in rects {
        let b = render_block(&scene, &lighting, &opts, r);
        for (i, c) in b.pixels.iter().enumerate() {
            let x = r.x0 as usize + i % r.width() as usize;
            let y = r.y0 as usize + i / r.width() as usize;
            assembled[y * w as usize + x] = Some(*c);
        }
    }
    for (i, (a, b)) in assembled.iter().zip(&whole.pixels).enumerate() {
        assert_eq!(a.as_ref(), Some(b), "pixel {i}");
    }
}
