//! Rays per second through each shape family beyond spheres and boxes: for every
//! family a 5x5 grid of 25 such objects under one light, rendered whole at 48x36
//! on the calling thread, no anti-aliasing. Criterion reports the throughput in
//! rays: the camera rays plus the shadow rays the render traced (counted once,
//! before timing; the render is deterministic).
//!
//! `text` needs POV-Ray's fonts: it reads `timrom.ttf` from `POV_LIB` (default
//! Debian's include folder) and is left out, with a note, when it is not there.
//!
//! `cargo bench -p pvm-benches --bench shapes [-- <family>]`

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use raytracer::render::{render_block, Lighting, Rect, RenderOptions};
use raytracer::scene::Scene;
use raytracer::sdl::{parse_with, FsLoader, ParseOptions};

const WIDTH: u32 = 48;
const HEIGHT: u32 = 36;
/// Where Debian's povray-includes puts POV-Ray's include files and fonts.
const DEBIAN_POV_LIB: &str = "/usr/share/povray-3.7/include";

/// One family's object, about 1.6 units across and centred on the origin.
struct Family {
    name: &'static str,
    object: String,
    needs_fonts: bool,
}

fn family(name: &'static str, object: &str) -> Family {
    Family {
        name,
        object: object.to_string(),
        needs_fonts: false,
    }
}

fn families() -> Vec<Family> {
    vec![
        family(
            "prism",
            "prism { linear_spline -0.4, 0.4, 11, <0.8,0>, <0.25,0.18>, <0.25,0.76>, \
             <-0.1,0.29>, <-0.65,0.47>, <-0.31,0>, <-0.65,-0.47>, <-0.1,-0.29>, \
             <0.25,-0.76>, <0.25,-0.18>, <0.8,0> }",
        ),
        family(
            "lathe",
            "lathe { cubic_spline 7, <0,-0.9>, <0.3,-0.8>, <0.7,-0.4>, <0.4,0.1>, \
             <0.6,0.6>, <0.3,0.8>, <0.1,1> }",
        ),
        family(
            "sor",
            "sor { 7, <0,-1>, <0.3,-0.8>, <0.7,-0.4>, <0.4,0.1>, <0.6,0.6>, <0.3,0.8>, \
             <0.1,1> }",
        ),
        Family {
            name: "text",
            object: "text { ttf \"timrom.ttf\" \"Ag\" 0.3, 0 scale 1.1 translate <-0.6,-0.3,0> }"
                .to_string(),
            needs_fonts: true,
        },
        family(
            "blob",
            "blob { threshold 0.6 sphere { <-0.4,0,0>, 0.6, 1 } sphere { <0.4,0,0>, 0.6, 1 } \
             sphere { <0,0.45,0>, 0.5, 1 } cylinder { <0,-0.4,-0.6>, <0,-0.4,0.6>, 0.4, 1 } }",
        ),
        family("superellipsoid", "superellipsoid { <0.3, 0.6> scale 0.8 }"),
        family(
            "isosurface",
            "isosurface { function { x*x + y*y + z*z - 0.5 + 0.1*sin(8*x)*sin(8*y) } \
             contained_by { box { -0.9, 0.9 } } max_gradient 3 }",
        ),
        family(
            "parametric",
            "parametric { function { cos(u)*(0.6 + 0.25*cos(v)) } function { 0.25*sin(v) } \
             function { sin(u)*(0.6 + 0.25*cos(v)) } <0, 0>, <2*pi, 2*pi> \
             contained_by { box { -0.9, 0.9 } } max_gradient 2 accuracy 0.001 precompute 10 x, y, z }",
        ),
        family(
            "julia_fractal",
            "julia_fractal { <-0.083, 0, -0.83, -0.025> quaternion sqr max_iteration 8 \
             precision 15 scale 0.7 }",
        ),
        family(
            "bicubic_patch",
            "bicubic_patch { type 1 flatness 0.01 u_steps 4 v_steps 4 \
             <-0.8,0,-0.8>, <-0.3,0,-0.8>, <0.3,0,-0.8>, <0.8,0,-0.8>, \
             <-0.8,0,-0.3>, <-0.3,1.2,-0.3>, <0.3,1.2,-0.3>, <0.8,0,-0.3>, \
             <-0.8,0,0.3>, <-0.3,1.2,0.3>, <0.3,1.2,0.3>, <0.8,0,0.3>, \
             <-0.8,0,0.8>, <-0.3,0,0.8>, <0.3,0,0.8>, <0.8,0,0.8> }",
        ),
        family("mesh2", &wavy_mesh2(32)),
        family(
            "height_field",
            "height_field { function 64, 64 { 0.5 + 0.4*sin(x*12)*cos(y*9) } smooth \
             translate <-0.5, 0, -0.5> scale <1.6, 0.6, 1.6> }",
        ),
        family(
            "sphere_sweep",
            "sphere_sweep { cubic_spline 6, <-0.9,0,0>, 0.1, <-0.6,0.3,0>, 0.15, \
             <-0.2,-0.2,0.2>, 0.2, <0.2,0.3,-0.2>, 0.15, <0.6,-0.2,0>, 0.2, <0.9,0.2,0>, 0.1 }",
        ),
        family("torus_sturm", "torus { 0.6, 0.25 sturm rotate x*60 }"),
        // The same torus as a quartic: (x²+y²+z²+R²-r²)² - 4R²(x²+z²), R = 0.6, r = 0.25.
        // A poly is unbounded (as in POV-Ray): every ray tests all 25.
        family(
            "poly_quartic",
            "quartic { <1, 0, 0, 0, 2, 0, 0, 2, 0, -0.845, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \
             1, 0, 0, 2, 0, 0.595, 0, 0, 0, 0, 1, 0, -0.845, 0, 0.08850625> rotate x*60 }",
        ),
    ]
}

/// A wavy n x n grid of quads, two triangles each, with its normals.
fn wavy_mesh2(n: usize) -> String {
    let height = |x: f64, z: f64| 0.15 * (6.0 * x).sin() * (5.0 * z).cos();
    let coord = |i: usize| -0.8 + 1.6 * i as f64 / n as f64;
    let mut s = format!("mesh2 {{ vertex_vectors {{ {},", (n + 1) * (n + 1));
    for j in 0..=n {
        for i in 0..=n {
            let (x, z) = (coord(i), coord(j));
            s += &format!(" <{x:.5},{:.5},{z:.5}>", height(x, z));
        }
    }
    s += &format!(" }} normal_vectors {{ {},", (n + 1) * (n + 1));
    for j in 0..=n {
        for i in 0..=n {
            let (x, z) = (coord(i), coord(j));
            let dx = 0.9 * (6.0 * x).cos() * (5.0 * z).cos();
            let dz = -0.75 * (6.0 * x).sin() * (5.0 * z).sin();
            s += &format!(" <{:.5},1,{:.5}>", -dx, -dz);
        }
    }
    s += &format!(" }} face_indices {{ {},", 2 * n * n);
    for j in 0..n {
        for i in 0..n {
            let a = j * (n + 1) + i;
            let (b, c) = (a + 1, a + n + 1);
            s += &format!(" <{a},{b},{}>, <{a},{},{c}>", c + 1, c + 1);
        }
    }
    s + " } }"
}

/// The grid scene around one family's object.
fn scene_text(object: &str) -> String {
    format!(
        "camera {{ location <0, 7, -9> look_at <0, 0, 0> angle 50 }}\n\
         light_source {{ <-5, 10, -10> color rgb 1 }}\n\
         #declare Shape = {object}\n\
         #declare I = 0;\n\
         #while (I < 5)\n\
           #declare J = 0;\n\
           #while (J < 5)\n\
             object {{ Shape rotate y*(I*5 + J)*17 translate <(I - 2)*2, 0, (J - 2)*2>\n\
               pigment {{ color rgb <0.9, 0.7, 0.4> }} }}\n\
             #declare J = J + 1;\n\
           #end\n\
           #declare I = I + 1;\n\
         #end\n"
    )
}

fn build(name: &str, text: &str, include: &Path) -> Scene {
    let opts = ParseOptions {
        include_paths: vec![include.display().to_string()],
        ..ParseOptions::default()
    };
    let parsed = parse_with(&format!("{name}.pov"), text, &opts, &FsLoader)
        .unwrap_or_else(|e| panic!("cannot parse the {name} scene: {e}"));
    Scene::build(&parsed.scene).unwrap_or_else(|e| panic!("cannot build the {name} scene: {e}"))
}

fn shapes(c: &mut Criterion) {
    let lib = std::env::var("POV_LIB").unwrap_or_else(|_| DEBIAN_POV_LIB.to_string());
    let lib = Path::new(&lib);
    let opts = RenderOptions {
        width: WIDTH,
        height: HEIGHT,
        antialias: None,
    };
    let whole = Rect {
        x0: 0,
        y0: 0,
        x1: WIDTH,
        y1: HEIGHT,
    };
    let mut group = c.benchmark_group("shapes");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sampling_mode(SamplingMode::Flat);
    for f in families() {
        if f.needs_fonts && !lib.join("timrom.ttf").is_file() {
            eprintln!("{}: skipped, no timrom.ttf in {}", f.name, lib.display());
            continue;
        }
        let scene = build(f.name, &scene_text(&f.object), lib);
        let lighting = Lighting::build(&scene).expect("lighting builds");
        let first = render_block(&scene, &lighting, &opts, whole);
        let hit = first.pixels.iter().filter(|p| p.length() > 0.0).count();
        let rays = first.stats.rays + first.stats.shadow_rays;
        eprintln!(
            "{}: {} rays ({} camera, {} shadow), {:.0}% of the pixels on an object",
            f.name,
            rays,
            first.stats.camera_rays,
            first.stats.shadow_rays,
            100.0 * hit as f64 / first.pixels.len() as f64
        );
        group.throughput(Throughput::Elements(rays));
        group.bench_function(f.name, |b| {
            b.iter(|| render_block(&scene, &lighting, &opts, whole))
        });
    }
    group.finish();
}

criterion_group!(benches, shapes);
criterion_main!(benches);
