//! Patterns, noise, turbulence and normal perturbation against the real POV-Ray 3.7.
//!
//! Each case renders, with the system's `povray`, a plane facing an orthographic
//! camera into a temporary directory, then builds the same image itself and
//! compares the two (PSNR):
//! * pigment cases show one pattern through a black-to-white colour map (or a
//!   list of grey colours) with `ambient 1 diffuse 0`, so each pixel is the
//!   pattern's value at that point;
//! * normal cases show a white plane with `ambient 0 diffuse 1` lit by one
//!   parallel light, so each pixel is the cosine between the perturbed normal
//!   and the light.
//!
//! Gamma is 1 throughout and anti-aliasing off. POV-Ray is required: without it
//! the tests fail with a message saying how to install it.

use std::path::{Path, PathBuf};
use std::process::Command;

use glam::DVec3;
use raytracer::pattern::{
    CrackleParams, FacetsParams, NoiseGenerator, Pattern, PatternKind, Turbulence, WaveType,
};

/// Image size: small enough to render quickly, large enough to show detail.
const W: usize = 160;
const H: usize = 120;
/// The view: 8 × 6 units centred on the origin, the plane at this z.
const VIEW_W: f64 = 8.0;
const VIEW_H: f64 = 6.0;
const PLANE_Z: f64 = 0.3;
/// Direction towards the light of the normal cases.
const LIGHT: DVec3 = DVec3::new(0.5, 0.7, -1.0);
/// The floor every case must reach.
const MIN_PSNR: f64 = 35.0;

/// One comparison: what goes inside POV-Ray's plane (pigment, normal, finish)
/// and how we compute the grey level of a point of the plane.
struct Case {
    name: &'static str,
    body: String,
    ours: Box<dyn Fn(DVec3) -> f64>,
}

fn identity(p: DVec3) -> DVec3 {
    p
}

fn povray() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("povray"))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "POV-Ray 3.7 (`povray`) is not installed but these tests compare against it: \
             install it (Debian: apt-get install povray povray-includes)"
        )
    })
}

/// The plane `z = PLANE_Z` with its normal towards the camera (-z), so no normal
/// is flipped.
fn scene(case: &Case) -> String {
    let light = LIGHT * 1000.0;
    format!(
        "#version 3.7;\n\
         global_settings {{ assumed_gamma 1 }}\n\
         camera {{ orthographic location <0,0,-10> direction z right x*{VIEW_W} up y*{VIEW_H} }}\n\
         light_source {{ <{},{},{}> color rgb 1 parallel point_at <0,0,0> }}\n\
         plane {{ -z, -{PLANE_Z} {} }}\n",
        light.x, light.y, light.z, case.body
    )
}

/// Renders the case with POV-Ray and returns its grey levels, row by row.
fn render_reference(case: &Case, dir: &Path) -> Vec<u8> {
    let pov = dir.join(format!("{}.pov", case.name));
    let tga = dir.join(format!("{}.tga", case.name));
    std::fs::write(&pov, scene(case)).expect("write the scene");
    let out = Command::new(povray())
        .arg(format!("+I{}", pov.display()))
        .arg(format!("+O{}", tga.display()))
        .args([
            "+FT",
            &format!("+W{W}"),
            &format!("+H{H}"),
            "-D",
            "-A",
            "-V",
            "+WT1",
        ])
        .arg("File_Gamma=1.0")
        .current_dir(dir)
        .output()
        .expect("run povray");
    assert!(
        out.status.success(),
        "povray failed on {}:\n{}",
        case.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let img = image::open(&tga).expect("read POV-Ray's image").to_luma8();
    assert_eq!((img.width() as usize, img.height() as usize), (W, H));
    img.into_raw()
}

/// Our image of the same view: the grey level at each pixel's centre.
fn render_ours(case: &Case) -> Vec<u8> {
    let mut out = Vec::with_capacity(W * H);
    for j in 0..H {
        for i in 0..W {
            let x = -VIEW_W / 2.0 + (i as f64 + 0.5) * VIEW_W / W as f64;
            let y = VIEW_H / 2.0 - (j as f64 + 0.5) * VIEW_H / H as f64;
            let grey = (case.ours)(DVec3::new(x, y, PLANE_Z)).clamp(0.0, 1.0);
            out.push((grey * 255.0 + 0.5).floor() as u8);
        }
    }
    out
}

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let mse = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum::<f64>()
        / a.len() as f64;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    }
}

/// Runs every case and fails listing all of those under the floor.
fn check(cases: &[Case]) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut failures = Vec::new();
    for case in cases {
        let reference = render_reference(case, dir.path());
        let ours = render_ours(case);
        let db = psnr(&reference, &ours);
        println!("{:<28} PSNR {db:>6.2} dB", case.name);
        if db < MIN_PSNR {
            failures.push(format!("{} ({db:.2} dB)", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "below {MIN_PSNR} dB: {}",
        failures.join(", ")
    );
}

fn with(kind: PatternKind, f: impl FnOnce(&mut Pattern)) -> Pattern {
    let mut p = Pattern::new(kind);
    f(&mut p);
    p
}

fn turb(amount: f64) -> Option<Turbulence> {
    Some(Turbulence::new(DVec3::splat(amount)))
}

/// A pattern seen through the black-to-white colour map.
fn case(
    name: &'static str,
    pigment: &str,
    pattern: Pattern,
    to_pattern: fn(DVec3) -> DVec3,
) -> Case {
    Case {
        name,
        body: format!(
            "pigment {{ {pigment} color_map {{ [0 rgb 0] [1 rgb 1] }} }} \
             finish {{ ambient 1 diffuse 0 }}"
        ),
        ours: Box::new(move |p| pattern.value(to_pattern(p))),
    }
}

fn half(p: DVec3) -> DVec3 {
    p / 0.5
}

fn gen(n: i64) -> Option<NoiseGenerator> {
    NoiseGenerator::from_number(n)
}

#[test]
fn noise_generators_match_povray() {
    check(&[
        case(
            "bozo_gen1",
            "bozo noise_generator 1 scale 0.5",
            with(PatternKind::Bozo, |p| p.noise_generator = gen(1)),
            half,
        ),
        case(
            "bozo_gen2",
            "bozo noise_generator 2 scale 0.5",
            with(PatternKind::Bozo, |p| p.noise_generator = gen(2)),
            half,
        ),
        case(
            "bozo_gen3",
            "bozo noise_generator 3 scale 0.5",
            with(PatternKind::Bozo, |p| p.noise_generator = gen(3)),
            half,
        ),
        case(
            "spotted_default_gen",
            "spotted",
            Pattern::new(PatternKind::Spotted),
            identity,
        ),
        case(
            "granite_gen1",
            "granite noise_generator 1",
            with(PatternKind::Granite, |p| p.noise_generator = gen(1)),
            identity,
        ),
        case(
            "granite_gen2",
            "granite",
            Pattern::new(PatternKind::Granite),
            identity,
        ),
        case(
            "granite_gen3",
            "granite noise_generator 3",
            with(PatternKind::Granite, |p| p.noise_generator = gen(3)),
            identity,
        ),
        case(
            "dents_pigment",
            "dents",
            Pattern::new(PatternKind::Dents),
            identity,
        ),
        case(
            "wrinkles_pigment",
            "wrinkles",
            Pattern::new(PatternKind::Wrinkles),
            identity,
        ),
        case(
            "wrinkles_gen1",
            "wrinkles noise_generator 1",
            with(PatternKind::Wrinkles, |p| p.noise_generator = gen(1)),
            identity,
        ),
        case(
            "bumps_pigment",
            "bumps scale 0.5",
            Pattern::new(PatternKind::Bumps),
            half,
        ),
    ]);
}

/// The inverse of `scale <2, 1, 1> rotate 15*z`.
fn unrotate_unstretch(p: DVec3) -> DVec3 {
    let (sin, cos) = (-15.0f64).to_radians().sin_cos();
    let r = DVec3::new(p.x * cos - p.y * sin, p.x * sin + p.y * cos, p.z);
    r / DVec3::new(2.0, 1.0, 1.0)
}

#[test]
fn turbulence_matches_povray() {
    check(&[
        case(
            "bozo_turb",
            "bozo turbulence 0.5 scale 0.5",
            with(PatternKind::Bozo, |p| p.turbulence = turb(0.5)),
            half,
        ),
        case(
            "bozo_turb_gen1",
            "bozo turbulence 0.5 noise_generator 1",
            with(PatternKind::Bozo, |p| {
                p.turbulence = turb(0.5);
                p.noise_generator = gen(1);
            }),
            identity,
        ),
        case(
            "bozo_turb_octaves",
            "bozo turbulence <0.8, 0.2, 0.4> octaves 3 omega 0.7 lambda 2.5",
            with(PatternKind::Bozo, |p| {
                p.turbulence = Some(Turbulence {
                    amount: DVec3::new(0.8, 0.2, 0.4),
                    octaves: 3,
                    omega: 0.7,
                    lambda: 2.5,
                });
            }),
            identity,
        ),
        case(
            "agate",
            "agate",
            Pattern::new(PatternKind::Agate { turb: 1.0 }),
            identity,
        ),
        case(
            "agate_turb_half",
            "agate agate_turb 0.5 scale 0.5",
            Pattern::new(PatternKind::Agate { turb: 0.5 }),
            half,
        ),
        case(
            "agate_gen3",
            "agate noise_generator 3",
            with(PatternKind::Agate { turb: 1.0 }, |p| {
                p.noise_generator = gen(3)
            }),
            identity,
        ),
        case(
            "agate_with_turbulence",
            "agate turbulence 0.3 octaves 4",
            with(PatternKind::Agate { turb: 1.0 }, |p| {
                p.turbulence = Some(Turbulence {
                    octaves: 4,
                    ..Turbulence::new(DVec3::splat(0.3))
                });
            }),
            identity,
        ),
        case(
            "marble_turb",
            "marble turbulence 0.8",
            with(PatternKind::Marble, |p| p.turbulence = turb(0.8)),
            identity,
        ),
        case(
            "marble_plain",
            "marble scale 0.5",
            Pattern::new(PatternKind::Marble),
            half,
        ),
        case(
            "wood_turb",
            "wood turbulence 0.1 scale 0.5",
            with(PatternKind::Wood, |p| p.turbulence = turb(0.1)),
            half,
        ),
        case(
            "wood_plain",
            "wood",
            Pattern::new(PatternKind::Wood),
            identity,
        ),
        // POV-Ray applies every transform of the block before the turbulence,
        // wherever the turbulence is written.
        case(
            "turbulence_then_transforms",
            "bozo turbulence 0.3 scale <2, 1, 1> rotate 15*z",
            with(PatternKind::Bozo, |p| p.turbulence = turb(0.3)),
            unrotate_unstretch,
        ),
        case(
            "transforms_around_turbulence",
            "bozo scale <2, 1, 1> turbulence 0.3 rotate 15*z",
            with(PatternKind::Bozo, |p| p.turbulence = turb(0.3)),
            unrotate_unstretch,
        ),
        case(
            "granite_turb",
            "granite turbulence 0.4 scale 2",
            with(PatternKind::Granite, |p| p.turbulence = turb(0.4)),
            |p| p / 2.0,
        ),
    ]);
}

#[test]
fn geometric_patterns_and_waves_match_povray() {
    check(&[
        case(
            "gradient_x",
            "gradient x",
            Pattern::new(PatternKind::Gradient { axis: DVec3::X }),
            identity,
        ),
        case(
            "gradient_xy_freq",
            "gradient <1,1,0> frequency 2 phase 0.3",
            with(
                PatternKind::Gradient {
                    axis: DVec3::new(1.0, 1.0, 0.0),
                },
                |p| {
                    p.frequency = 2.0;
                    p.phase = 0.3;
                },
            ),
            identity,
        ),
        case(
            "gradient_neg_freq",
            "gradient y frequency -1.5",
            with(PatternKind::Gradient { axis: DVec3::Y }, |p| {
                p.frequency = -1.5
            }),
            identity,
        ),
        case(
            "onion_sine",
            "onion sine_wave",
            with(PatternKind::Onion, |p| p.wave = WaveType::Sine),
            identity,
        ),
        case(
            "onion_triangle",
            "onion triangle_wave",
            with(PatternKind::Onion, |p| p.wave = WaveType::Triangle),
            identity,
        ),
        case(
            "radial_scallop",
            "radial frequency 4 scallop_wave",
            with(PatternKind::Radial, |p| {
                p.frequency = 4.0;
                p.wave = WaveType::Scallop;
            }),
            identity,
        ),
        case(
            "radial_cubic",
            "radial frequency 3 cubic_wave",
            with(PatternKind::Radial, |p| {
                p.frequency = 3.0;
                p.wave = WaveType::Cubic;
            }),
            identity,
        ),
        case(
            "leopard_poly",
            "leopard poly_wave 0.5 scale 0.3",
            with(PatternKind::Leopard, |p| p.wave = WaveType::Poly(0.5)),
            |p| p / 0.3,
        ),
        case(
            "ripples",
            "ripples frequency 3",
            with(PatternKind::Ripples, |p| p.frequency = 3.0),
            identity,
        ),
        case(
            "waves",
            "waves phase 0.2",
            with(PatternKind::Waves, |p| p.phase = 0.2),
            identity,
        ),
        case(
            "spherical",
            "spherical scale 3",
            Pattern::new(PatternKind::Spherical),
            |p| p / 3.0,
        ),
        case(
            "cylindrical",
            "cylindrical scale 3",
            Pattern::new(PatternKind::Cylindrical),
            |p| p / 3.0,
        ),
        case(
            "boxed",
            "boxed scale 3",
            Pattern::new(PatternKind::Boxed),
            |p| p / 3.0,
        ),
        case(
            "cells",
            "cells scale 0.5",
            Pattern::new(PatternKind::Cells),
            half,
        ),
        case(
            "quilted",
            "quilted control0 0.3 control1 0.9 scale 1.5",
            Pattern::new(PatternKind::Quilted {
                control0: 0.3,
                control1: 0.9,
            }),
            |p| p / 1.5,
        ),
        case(
            "spiral1_turb",
            "spiral1 3 turbulence 0.4",
            with(PatternKind::Spiral1 { arms: 3 }, |p| {
                p.turbulence = turb(0.4)
            }),
            identity,
        ),
        case(
            "spiral2",
            "spiral2 5 frequency 0.5",
            with(PatternKind::Spiral2 { arms: 5 }, |p| p.frequency = 0.5),
            identity,
        ),
        case(
            "planar",
            "planar scale 2",
            Pattern::new(PatternKind::Planar),
            |p| p / 2.0,
        ),
    ]);
}

/// A discrete pattern with its grey colours (they replace `{COLOURS}`).
fn discrete(
    name: &'static str,
    pigment: &str,
    pattern: Pattern,
    greys: &[f64],
    to_pattern: fn(DVec3) -> DVec3,
) -> Case {
    let colours: Vec<String> = greys.iter().map(|g| format!("color rgb {g}")).collect();
    let greys = greys.to_vec();
    Case {
        name,
        body: format!(
            "pigment {{ {} }} finish {{ ambient 1 diffuse 0 }}",
            pigment.replace("{COLOURS}", &colours.join(" "))
        ),
        ours: Box::new(move |p| {
            let index = pattern.value(to_pattern(p)) as usize;
            greys[index.min(greys.len() - 1)]
        }),
    }
}

#[test]
fn discrete_patterns_match_povray() {
    // The plane z = 0.3 is rotated so the hexagons (x-z tiling) face the camera.
    fn rot_x(p: DVec3) -> DVec3 {
        DVec3::new(p.x, -p.z, p.y)
    }
    check(&[
        discrete(
            "checker",
            "checker {COLOURS} scale 0.7",
            Pattern::new(PatternKind::Checker),
            &[0.0, 1.0],
            |p| p / 0.7,
        ),
        discrete(
            "hexagon",
            "hexagon {COLOURS} rotate -90*x scale 0.6",
            Pattern::new(PatternKind::Hexagon),
            &[0.0, 0.5, 1.0],
            |p| rot_x(p) / 0.6,
        ),
        discrete(
            "brick",
            "brick {COLOURS} scale 0.1",
            Pattern::new(PatternKind::default_brick()),
            &[0.0, 1.0],
            |p| p / 0.1,
        ),
        discrete(
            "brick_sized",
            "brick {COLOURS} brick_size <1, 0.5, 1> mortar 0.1",
            Pattern::new(PatternKind::Brick {
                size: DVec3::new(1.0, 0.5, 1.0),
                mortar: 0.1,
            }),
            &[0.0, 1.0],
            identity,
        ),
        discrete(
            "checker_turb",
            "checker {COLOURS} turbulence 0.3",
            with(PatternKind::Checker, |p| p.turbulence = turb(0.3)),
            &[0.0, 1.0],
            identity,
        ),
    ]);
}

fn crackle(form: DVec3, metric: f64, offset: f64, solid: bool) -> Pattern {
    Pattern::new(PatternKind::Crackle(CrackleParams {
        form,
        metric,
        offset,
        solid,
    }))
}

#[test]
fn tilings_match_povray() {
    // The x-z tilings face the camera on the plane rotated as for the hexagons.
    fn rot_x(p: DVec3) -> DVec3 {
        DVec3::new(p.x, -p.z, p.y) / 0.5
    }
    let cases: Vec<Case> = (1..=raytracer::pattern::tiling::TILING_COUNT)
        .map(|n| {
            let name: &'static str = Box::leak(format!("tiling_{n}").into_boxed_str());
            case(
                name,
                &format!("tiling {n} rotate -90*x scale 0.5"),
                Pattern::new(PatternKind::Tiling(n)),
                rot_x,
            )
        })
        .collect();
    check(&cases);
}

#[test]
fn crackle_matches_povray() {
    let default = CrackleParams::default();
    check(&[
        case(
            "crackle",
            "crackle",
            crackle(default.form, 2.0, 0.0, false),
            identity,
        ),
        case(
            "crackle_scaled",
            "crackle scale 0.4 translate <-3, 2, 0>",
            crackle(default.form, 2.0, 0.0, false),
            |p| (p - DVec3::new(-3.0, 2.0, 0.0)) / 0.4,
        ),
        case(
            "crackle_form_metric1",
            "crackle form <1, 0, 0> metric 1 scale 0.5",
            crackle(DVec3::X, 1.0, 0.0, false),
            half,
        ),
        case(
            "crackle_metric3_offset",
            "crackle form <-1, 0.5, 0.5> metric 3 offset 0.2",
            crackle(DVec3::new(-1.0, 0.5, 0.5), 3.0, 0.2, false),
            identity,
        ),
        case(
            "crackle_solid",
            "crackle solid scale 0.5",
            crackle(default.form, 2.0, 0.0, true),
            half,
        ),
    ]);
}

/// A white plane lit by the parallel light, its normal perturbed by `pattern`
/// (`normal_sdl` is the normal block's content). `scale` is the pattern's own
/// scale: normals go into pattern space with its transpose and back with its
/// inverse transpose, as the renderer does.
fn normal_case(
    name: &'static str,
    normal_sdl: &str,
    pattern: Pattern,
    amount: f64,
    scale: DVec3,
) -> Case {
    let light = LIGHT.normalize();
    Case {
        name,
        body: format!(
            "pigment {{ rgb 1 }} normal {{ {normal_sdl} }} finish {{ ambient 0 diffuse 1 }}"
        ),
        ours: Box::new(move |p| {
            let n = (-DVec3::Z * scale).normalize();
            let bent = pattern.perturb_normal(p / scale, n, amount);
            let world = (bent / scale).normalize();
            world.dot(light).max(0.0)
        }),
    }
}

#[test]
fn facets_match_povray() {
    let facets = |coords: f64, size: f64, metric: f64| {
        Pattern::new(PatternKind::Facets(FacetsParams {
            coords,
            size,
            metric,
        }))
    };
    let one = DVec3::ONE;
    check(&[
        normal_case(
            "facets_coords",
            "facets coords 0.7 size 0.3",
            facets(0.7, 0.3, 2.0),
            0.5,
            one,
        ),
        normal_case(
            "facets_metric",
            "facets coords 1 size 0.5 metric 3 scale 0.8",
            facets(1.0, 0.5, 3.0),
            0.5,
            DVec3::splat(0.8),
        ),
        normal_case(
            "facets_unit_metric",
            "facets coords 0.4 size 0.4 metric 1",
            facets(0.4, 0.4, 1.0),
            0.5,
            one,
        ),
        normal_case(
            "facets_of_the_normal",
            "facets size 0.05",
            facets(0.0, 0.05, 2.0),
            0.5,
            one,
        ),
    ]);
}

#[test]
fn normal_perturbations_match_povray() {
    let one = DVec3::ONE;
    check(&[
        normal_case(
            "bumps_normal",
            "bumps 0.6 scale 0.5",
            Pattern::new(PatternKind::Bumps),
            0.6,
            DVec3::splat(0.5),
        ),
        normal_case(
            "bumps_stretched",
            "bumps 0.6 scale <1, 0.3, 1>",
            Pattern::new(PatternKind::Bumps),
            0.6,
            DVec3::new(1.0, 0.3, 1.0),
        ),
        normal_case(
            "dents_normal",
            "dents 0.8",
            Pattern::new(PatternKind::Dents),
            0.8,
            one,
        ),
        normal_case(
            "wrinkles_normal",
            "wrinkles 0.5",
            Pattern::new(PatternKind::Wrinkles),
            0.5,
            one,
        ),
        normal_case(
            "ripples_normal",
            "ripples 0.5 frequency 2",
            with(PatternKind::Ripples, |p| p.frequency = 2.0),
            0.5,
            one,
        ),
        normal_case(
            "waves_normal",
            "waves 0.5 phase 0.3",
            with(PatternKind::Waves, |p| p.phase = 0.3),
            0.5,
            one,
        ),
        normal_case(
            "bumps_turbulent",
            "bumps 0.4 turbulence 0.5",
            with(PatternKind::Bumps, |p| p.turbulence = turb(0.5)),
            0.4,
            one,
        ),
        normal_case(
            "quilted_normal",
            "quilted 0.6 scale 0.8",
            Pattern::new(PatternKind::default_quilted()),
            0.6,
            DVec3::splat(0.8),
        ),
        normal_case(
            "granite_normal",
            "granite 0.3",
            Pattern::new(PatternKind::Granite),
            0.3,
            one,
        ),
        normal_case(
            "bozo_normal_turbulent",
            "bozo 0.8 turbulence 0.5 scale 0.7",
            with(PatternKind::Bozo, |p| p.turbulence = turb(0.5)),
            0.8,
            DVec3::splat(0.7),
        ),
        normal_case(
            "checker_normal",
            "checker 0.4 scale 0.9",
            Pattern::new(PatternKind::Checker),
            0.4,
            DVec3::splat(0.9),
        ),
        normal_case(
            "agate_normal",
            "agate 0.5 scale 0.5",
            Pattern::new(PatternKind::Agate { turb: 1.0 }),
            0.5,
            DVec3::splat(0.5),
        ),
        normal_case(
            "marble_normal",
            "marble 0.5 turbulence 0.6",
            with(PatternKind::Marble, |p| p.turbulence = turb(0.6)),
            0.5,
            one,
        ),
        normal_case(
            "leopard_normal",
            "leopard 1 scale 0.2",
            Pattern::new(PatternKind::Leopard),
            1.0,
            DVec3::splat(0.2),
        ),
    ]);
}
