//! One 64x64 block of the skyvase benchmark scene at 1024x768, single-threaded:
//! the unit of work a PVM slave renders, so its time is the renderer's speed.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use raytracer::render::{render_block, Lighting, Rect, RenderOptions};
use raytracer::scene::Scene;
use raytracer::sdl::{parse_file, ParseOptions};

fn skyvase() -> Scene {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/scenes/skyvase.pov");
    let path = path.display().to_string();
    let parsed = parse_file(&path, &ParseOptions::default())
        .unwrap_or_else(|e| panic!("cannot parse the benchmark scene {path}: {e}"));
    Scene::build(&parsed.scene).unwrap_or_else(|e| panic!("cannot build {path}: {e}"))
}

fn block(c: &mut Criterion) {
    let scene = skyvase();
    let lighting = Lighting::build(&scene).expect("lighting builds");
    let opts = RenderOptions {
        width: 1024,
        height: 768,
        antialias: None,
    };
    // Straddles the vase, its gold ridge and the reflective walls behind.
    let rect = Rect {
        x0: 480,
        y0: 320,
        x1: 544,
        y1: 384,
    };
    c.bench_function("skyvase 64x64 block", |b| {
        b.iter(|| render_block(&scene, &lighting, &opts, rect))
    });
}

criterion_group!(benches, block);
criterion_main!(benches);
