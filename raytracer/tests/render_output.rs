//! Runs the real `prender` binary on small scenes and checks the images it writes:
//! TGA and PNG layout, colour encoding, determinism across thread counts, and partial
//! renders matching the full image.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

const SCENE: &str = r#"
#version 3.7;
global_settings { assumed_gamma 1.0 }
camera { location <0, 2, -6> look_at <0, 0.5, 0> }
light_source { <5, 10, -5> color rgb 1 }
plane { y, 0 pigment { checker rgb 1, rgb <0.2, 0.3, 0.8> } finish { reflection 0.3 } }
sphere { <0, 1, 0>, 1 pigment { rgb <1, 0.3, 0.2> } finish { phong 0.8 reflection 0.2 } }
difference {
  box { <-3, 0, 1>, <-1.5, 1.5, 2> }
  sphere { <-2.25, 1.5, 1>, 0.6 }
  pigment { rgb <0.3, 1, 0.3> }
}
torus { 1, 0.25 rotate 30*x translate <2, 0.5, -1> pigment { rgb <0.8, 0.2, 0.9> } }
"#;

struct Image {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

impl Image {
    fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

fn write_scene(dir: &TempDir, text: &str) -> PathBuf {
    let p = dir.path().join("scene.pov");
    std::fs::write(&p, text).expect("write scene");
    p
}

/// Runs prender and returns the output file; panics with prender's stderr on failure.
fn prender(scene: &Path, out: &Path, args: &[&str]) -> PathBuf {
    let res = Command::new(env!("CARGO_BIN_EXE_prender"))
        .arg(format!("+I{}", scene.display()))
        .arg(format!("+O{}", out.display()))
        .args(args)
        .output()
        .expect("run prender");
    assert!(
        res.status.success(),
        "prender failed: {}",
        String::from_utf8_lossy(&res.stderr)
    );
    out.to_owned()
}

/// Reads an uncompressed 24-bit TGA by hand (header, top-left origin, BGR pixels).
fn read_tga(p: &Path) -> Image {
    let d = std::fs::read(p).expect("read tga");
    assert!(d.len() >= 18, "TGA too short");
    assert_eq!(d[2], 2, "image type: uncompressed true colour");
    assert_eq!(d[16], 24, "bits per pixel");
    assert_eq!(d[17] & 0x20, 0x20, "top-left origin");
    let width = u16::from_le_bytes([d[12], d[13]]) as usize;
    let height = u16::from_le_bytes([d[14], d[15]]) as usize;
    let start = 18 + d[0] as usize;
    let px = &d[start..start + width * height * 3];
    let rgb = px.chunks(3).flat_map(|c| [c[2], c[1], c[0]]).collect();
    Image { width, height, rgb }
}

fn read_any(p: &Path) -> Image {
    let img = image::open(p).expect("decode image").to_rgb8();
    Image {
        width: img.width() as usize,
        height: img.height() as usize,
        rgb: img.into_raw(),
    }
}

#[test]
fn tga_has_pov_layout_and_a_rendered_picture() {
    let dir = TempDir::new().unwrap();
    let scene = write_scene(&dir, SCENE);
    let out = prender(&scene, &dir.path().join("a.tga"), &["+W64", "+H48", "-D"]);
    let len = std::fs::metadata(&out).unwrap().len();
    assert_eq!(len, 18 + 64 * 48 * 3 + 26, "header, pixels, TGA 2.0 footer");
    let img = read_tga(&out);
    assert_eq!((img.width, img.height), (64, 48));
    // The red sphere is in the middle of the picture, the checker floor below.
    let mid = img.pixel(32, 20);
    assert!(mid[0] > 150 && mid[1] < 120, "sphere colour {mid:?}");
    let distinct: std::collections::HashSet<[u8; 3]> = (0..48)
        .flat_map(|y| (0..64).map(move |x| (x, y)))
        .map(|(x, y)| img.pixel(x, y))
        .collect();
    assert!(distinct.len() > 100, "a real picture has many colours");
}

#[test]
fn working_gamma_is_encoded_like_povray() {
    // A flat colour (ambient only) fills the image: linear 0.5 is sRGB 188, and a
    // legacy scene with assumed_gamma 2.2 keeps 0.5 at 128.
    let dir = TempDir::new().unwrap();
    let flat = |gamma: &str| {
        format!(
            "#version 3.7; global_settings {{ assumed_gamma {gamma} }}\n\
             camera {{ location <0,0,-3> look_at 0 }}\n\
             sphere {{ 0, 10 inverse pigment {{ rgb 0.5 }} finish {{ ambient 1 diffuse 0 }} }}"
        )
    };
    for (gamma, want) in [("1.0", 188u8), ("2.2", 128u8)] {
        let scene = write_scene(&dir, &flat(gamma));
        let out = prender(&scene, &dir.path().join("g.tga"), &["+W8", "+H8"]);
        let img = read_tga(&out);
        assert!(
            img.rgb.iter().all(|v| *v == want),
            "assumed_gamma {gamma}: {:?}",
            img.pixel(0, 0)
        );
    }
}

#[test]
fn thread_count_does_not_change_a_single_bit() {
    let dir = TempDir::new().unwrap();
    let scene = write_scene(&dir, SCENE);
    let aa = ["+W96", "+H72", "+A0.1", "+R3", "+J1.0"];
    let one = prender(
        &scene,
        &dir.path().join("one.tga"),
        &[&aa[..], &["+WT1"]].concat(),
    );
    let two = prender(
        &scene,
        &dir.path().join("two.tga"),
        &[&aa[..], &["+WT2"]].concat(),
    );
    assert_eq!(std::fs::read(one).unwrap(), std::fs::read(two).unwrap());
}

#[test]
fn partial_render_equals_the_same_region_of_the_full_image() {
    let dir = TempDir::new().unwrap();
    let scene = write_scene(&dir, SCENE);
    let args = ["+W80", "+H60", "+A0.1", "-J"];
    let full = read_tga(&prender(&scene, &dir.path().join("full.tga"), &args));
    // Rows 11..=30 and columns 21..=50 (1-based pixel numbers, as POV-Ray counts).
    let part_args = [&args[..], &["+SR11", "+ER30", "+SC21", "+EC50"]].concat();
    let part = read_tga(&prender(&scene, &dir.path().join("part.tga"), &part_args));
    assert_eq!((part.width, part.height), (80, 60));
    for y in 0..60 {
        for x in 0..80 {
            let inside = (10..30).contains(&y) && (20..50).contains(&x);
            let want = if inside { full.pixel(x, y) } else { [0, 0, 0] };
            assert_eq!(part.pixel(x, y), want, "pixel {x},{y}");
        }
    }
    // Fractions address the same rows: 0.5 of 60 starts at row 30.
    let half = read_tga(&prender(
        &scene,
        &dir.path().join("half.tga"),
        &[&args[..], &["+SR0.5"]].concat(),
    ));
    assert_eq!(half.pixel(40, 29), [0, 0, 0]);
    assert_eq!(half.pixel(40, 45), full.pixel(40, 45));
}

#[test]
fn png_and_compressed_tga_hold_the_same_pixels_as_plain_tga() {
    let dir = TempDir::new().unwrap();
    let scene = write_scene(&dir, SCENE);
    let plain = read_tga(&prender(
        &scene,
        &dir.path().join("p.tga"),
        &["+W40", "+H30", "+FT"],
    ));
    let png_path = prender(&scene, &dir.path().join("p.png"), &["+W40", "+H30", "+FN"]);
    assert_eq!(
        &std::fs::read(&png_path).unwrap()[..8],
        b"\x89PNG\r\n\x1a\n"
    );
    let rle_path = prender(&scene, &dir.path().join("c.tga"), &["+W40", "+H30", "+FC"]);
    assert_eq!(
        std::fs::read(&rle_path).unwrap()[2],
        10,
        "run-length true colour"
    );
    for other in [read_any(&png_path), read_any(&rle_path)] {
        assert_eq!((other.width, other.height), (40, 30));
        assert_eq!(other.rgb, plain.rgb);
    }
}

#[test]
fn csg_difference_cuts_a_visible_hole() {
    // Looking straight at a box with a sphere removed from its middle: the centre
    // pixel sees through to the white background object, the edge pixels see the box.
    let dir = TempDir::new().unwrap();
    let scene = write_scene(
        &dir,
        "#version 3.7; global_settings { assumed_gamma 1.0 }\n\
         camera { location <0,0,-5> look_at 0 angle 40 }\n\
         difference { box { <-1,-1,-0.2>, <1,1,0.2> } sphere { 0, 0.5 }\n\
           pigment { rgb <1,0,0> } finish { ambient 1 diffuse 0 } }\n\
         plane { z, 3 pigment { rgb 1 } finish { ambient 1 diffuse 0 } }",
    );
    let img = read_tga(&prender(
        &scene,
        &dir.path().join("d.tga"),
        &["+W41", "+H41"],
    ));
    assert_eq!(img.pixel(20, 20), [255, 255, 255]);
    assert_eq!(img.pixel(20, 8), [255, 0, 0]);
}

#[test]
fn area_light_softens_the_shadow_edge() {
    // A ground plane seen from above with a sphere's shadow: a point light gives a
    // hard edge (few distinct greys along a row), an area light a graded penumbra.
    let dir = TempDir::new().unwrap();
    let scene_with = |area: &str| {
        format!(
            "#version 3.7; global_settings {{ assumed_gamma 1.0 }}\n\
             camera {{ location <0, 10, -0.5> look_at 0 angle 60 }}\n\
             light_source {{ <3, 8, 0> rgb 1 {area} }}\n\
             plane {{ y, 0 pigment {{ rgb 1 }} finish {{ ambient 0 diffuse 1 }} }}\n\
             sphere {{ <0, 3, 0>, 0.5 pigment {{ rgb 1 }} finish {{ ambient 0 diffuse 0 }} }}"
        )
    };
    // The largest step between neighbouring pixels of the row through the shadow,
    // left of the sphere's own (black) disc.
    let max_step = |img: &Image| {
        let y = img.height / 2;
        (1..img.width / 3)
            .map(|x| img.pixel(x, y)[0].abs_diff(img.pixel(x - 1, y)[0]))
            .max()
            .unwrap_or(0)
    };
    let hard = write_scene(&dir, &scene_with(""));
    let hard = read_tga(&prender(
        &hard,
        &dir.path().join("hard.tga"),
        &["+W60", "+H60"],
    ));
    let soft = write_scene(&dir, &scene_with("area_light <3, 0, 0>, <0, 0, 3>, 6, 6"));
    let soft = read_tga(&prender(
        &soft,
        &dir.path().join("soft.tga"),
        &["+W60", "+H60"],
    ));
    let (h, s) = (max_step(&hard), max_step(&soft));
    assert!(h > 100, "the point light casts a hard edge (step {h})");
    assert!(s * 3 < h, "the area light grades it (step {s} vs {h})");
}

#[test]
fn no_image_and_no_reflection_hide_objects_from_those_rays() {
    // A mirror behind the camera's target: a no_image sphere shows only in the
    // mirror, a no_reflection sphere only directly.
    let dir = TempDir::new().unwrap();
    let scene = write_scene(
        &dir,
        "#version 3.7; global_settings { assumed_gamma 1.0 }\n\
         camera { location <0, 0, -5> look_at 0 angle 60 }\n\
         plane { z, 2 pigment { rgb 0 } finish { ambient 0 diffuse 0 reflection 1 } }\n\
         sphere { <-1.5, 0, -1>, 0.5 pigment { rgb <1, 0, 0> } finish { ambient 1 diffuse 0 } no_image }\n\
         sphere { <1.5, 0, -1>, 0.5 pigment { rgb <0, 0, 1> } finish { ambient 1 diffuse 0 } no_reflection }",
    );
    let img = read_tga(&prender(
        &scene,
        &dir.path().join("n.tga"),
        &["+W80", "+H60"],
    ));
    let count = |c: [u8; 3]| {
        (0..60)
            .flat_map(|y| (0..80).map(move |x| (x, y)))
            .filter(|&(x, y)| img.pixel(x, y) == c)
            .count()
    };
    let (red, blue) = (count([255, 0, 0]), count([0, 0, 255]));
    // The red sphere is seen once (its reflection, smaller), the blue one once (directly).
    assert!(red > 0 && blue > 0, "red {red}, blue {blue}");
    assert!(
        blue > red,
        "the direct view is larger than the reflection: red {red}, blue {blue}"
    );
    // Where the red sphere itself would be (left of centre, nearer), the mirror shows black.
    assert_eq!(img.pixel(14, 30), [0, 0, 0]);
}

#[test]
fn every_output_format_holds_the_rendered_picture() {
    let dir = TempDir::new().unwrap();
    let scene = write_scene(&dir, SCENE);
    let plain = read_tga(&prender(
        &scene,
        &dir.path().join("p.tga"),
        &["+W40", "+H30"],
    ));
    // 8-bit formats without loss hold exactly the TGA's pixels.
    for (name, flag) in [("p.ppm", "+FP"), ("p.bmp", "+FB"), ("w.png", "+FN16")] {
        let img = read_any(&prender(
            &scene,
            &dir.path().join(name),
            &["+W40", "+H30", flag],
        ));
        assert_eq!((img.width, img.height), (40, 30), "{flag}");
        assert_eq!(img.rgb, plain.rgb, "{flag}");
    }
    // JPEG is lossy: close to the picture, not equal.
    let jpeg = read_any(&prender(
        &scene,
        &dir.path().join("p.jpg"),
        &["+W40", "+H30", "+FJ"],
    ));
    let err: f64 = jpeg
        .rgb
        .iter()
        .zip(&plain.rgb)
        .map(|(a, b)| (f64::from(*a) - f64::from(*b)).abs())
        .sum::<f64>()
        / plain.rgb.len() as f64;
    assert!(err < 8.0, "JPEG mean error {err}");
}

#[test]
fn sixteen_bit_and_float_files_keep_more_than_eight_bits() {
    let dir = TempDir::new().unwrap();
    let scene = write_scene(&dir, SCENE);
    let png = prender(
        &scene,
        &dir.path().join("d.png"),
        &["+W40", "+H30", "+FN16"],
    );
    let img = image::open(&png).unwrap();
    assert_eq!(img.color(), image::ColorType::Rgb16);
    let ppm = std::fs::read(prender(
        &scene,
        &dir.path().join("d.ppm"),
        &["+W40", "+H30", "+FP16"],
    ))
    .unwrap();
    assert!(ppm.starts_with(b"P6\n40 30\n65535\n"));
    for (name, flag) in [("f.exr", "+FE"), ("f.hdr", "+FH")] {
        let img = image::open(prender(
            &scene,
            &dir.path().join(name),
            &["+W40", "+H30", flag],
        ))
        .unwrap()
        .to_rgb32f();
        assert_eq!(img.dimensions(), (40, 30), "{flag}");
        assert!(img.pixels().any(|p| p[0] > 0.05), "{flag}: a lit picture");
    }
}

#[test]
fn image_to_standard_output() {
    let dir = TempDir::new().unwrap();
    let scene = write_scene(&dir, SCENE);
    let res = Command::new(env!("CARGO_BIN_EXE_prender"))
        .arg(format!("+I{}", scene.display()))
        .args(["+O-", "+FN", "+W20", "+H10"])
        .output()
        .expect("run prender");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let img = image::load_from_memory(&res.stdout).expect("a PNG on stdout");
    assert_eq!((img.width(), img.height()), (20, 10));
}

#[test]
fn animation_writes_numbered_frames_at_their_clocks() {
    let dir = TempDir::new().unwrap();
    // The sphere moves with the clock: frames differ, and frame 1 equals a still
    // rendered at clock 0.
    let scene = write_scene(
        &dir,
        "camera { location <0,0,-4> look_at 0 } light_source { <2,4,-3> rgb 1 }\n\
         sphere { <clock * 2 - 1, 0, 0>, 0.5 pigment { rgb <1,0.5,0> } }\n",
    );
    let out = dir.path().join("anim.png");
    prender(&scene, &out, &["+W24", "+H16", "+FN", "+KFI1", "+KFF3"]);
    let names = ["anim1.png", "anim2.png", "anim3.png"];
    let frames: Vec<Image> = names
        .iter()
        .map(|n| read_any(&dir.path().join(n)))
        .collect();
    assert!(!dir.path().join("anim.png").exists());
    assert_ne!(frames[0].rgb, frames[1].rgb);
    assert_ne!(frames[1].rgb, frames[2].rgb);
    let still = read_any(&prender(
        &scene,
        &dir.path().join("still.png"),
        &["+W24", "+H16", "+FN", "+K0"],
    ));
    assert_eq!(still.rgb, frames[0].rgb);
    // A subset renders only its frames, named as in the whole animation.
    let sub = dir.path().join("sub.png");
    prender(
        &scene,
        &sub,
        &["+W24", "+H16", "+FN", "+KFI1", "+KFF12", "+SF11", "+EF11"],
    );
    assert!(dir.path().join("sub11.png").exists());
    assert!(!dir.path().join("sub10.png").exists() && !dir.path().join("sub12.png").exists());
}
