//! `prender`: renders a POV-Ray scene file to an image, with POV-Ray's command-line
//! options (see `prender --help`), printing on stderr what POV-Ray prints: the
//! options, parser statistics, render statistics and times.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use glam::DVec3;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use raytracer::animation::FrameClock;
use raytracer::cli::{Options, USAGE};
use raytracer::console;
use raytracer::image_out::{self, Encoder, Output};
use raytracer::render::{self, Lighting, RenderOptions};
use raytracer::report::{self, FrameRange, SceneCounts, Timed};
use raytracer::scene::Scene;
use raytracer::sdl::{self, ParseOptions};
use raytracer::stats::Stats;

fn main() -> ExitCode {
    if raytracer::distributed::is_slave_invocation() {
        return match raytracer::distributed::slave_main() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("prender slave: {}", console::chain(&e));
                ExitCode::FAILURE
            }
        };
    }
    console::init();
    let opts = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("prender: {e}");
            return ExitCode::from(2);
        }
    };
    if opts.help {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if opts.show_version {
        println!(
            "prender {} (POV-Ray 3.7 scenes, PVMPOV distributed rendering)",
            env!("CARGO_PKG_VERSION")
        );
        return ExitCode::SUCCESS;
    }
    if opts.console.warnings {
        for w in &opts.warnings {
            eprintln!("prender: warning: {w}");
        }
    }
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("prender: {}", console::chain(&e));
            ExitCode::FAILURE
        }
    }
}

fn run(opts: &Options) -> Result<()> {
    let input = opts
        .input
        .as_ref()
        .ok_or(raytracer::cli::CliError::NoInput)?;
    if opts.width == 0 || opts.height == 0 {
        anyhow::bail!(
            "image size {}x{} is empty; give +W and +H above 0",
            opts.width,
            opts.height
        );
    }
    if opts.pvm.enabled && (opts.format.is_float() || opts.bit_depth() == Some(16)) {
        eprintln!(
            "prender: warning: slaves send 8-bit pixels; the {} file is written from them",
            opts.format.extension()
        );
    }
    let frames = opts.animation.frames();
    if frames.is_empty() {
        anyhow::bail!("the frame subset (+SF/+EF) leaves no frame of the animation to render");
    }
    let a = &opts.animation;
    let range = a.is_animation().then_some(FrameRange {
        initial_frame: a.initial_frame,
        final_frame: a.final_frame,
        step: a.step,
        initial_clock: a.initial_clock,
        final_clock: a.final_clock,
        cyclic: a.cyclic,
    });
    let started = Instant::now();
    for (i, frame) in frames.iter().enumerate() {
        if range.is_some() && opts.console.render {
            eprintln!(
                "Rendering frame {} of {} (#{}), clock {:.3}",
                i + 1,
                frames.len(),
                frame.frame_number,
                frame.clock
            );
        }
        if opts.console.statistics {
            let summary = report::options(opts, frame.clock, frame.frame_number, range.as_ref());
            eprint!("{summary}");
        }
        render_frame(opts, input, frame)?;
    }
    if opts.console.render {
        eprintln!(
            "prender finished: {} frame{} of {}x{} in {:.2} seconds",
            frames.len(),
            if frames.len() == 1 { "" } else { "s" },
            opts.width,
            opts.height,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Times what `f` does: wall clock and the process's CPU time.
fn timed<T>(threads: usize, f: impl FnOnce() -> T) -> (T, Timed) {
    let (wall, cpu) = (Instant::now(), report::cpu_time());
    let out = f();
    let t = Timed {
        wall: wall.elapsed(),
        cpu: report::cpu_time().saturating_sub(cpu),
        threads,
    };
    (out, t)
}

/// Parses, builds and renders one frame (the only one of a still).
fn render_frame(opts: &Options, input: &Path, frame: &FrameClock) -> Result<()> {
    let stats_on = opts.console.statistics;
    let parse_opts = ParseOptions {
        include_paths: opts
            .library_paths
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        image_width: opts.width,
        image_height: opts.height,
        clock: frame.clock,
        frame: *frame,
        declares: opts.declares.clone(),
        version: opts.version,
        now: sdl::days_since_2000(),
    };
    if stats_on {
        eprint!("{}", report::phase("Parsing"));
    }
    let (parsed, parse_time) = timed(1, || {
        sdl::parse_file(&input.display().to_string(), &parse_opts)
    });
    let mut parsed = parsed?;
    if !opts.pvm.enabled {
        // The sources are kept only to send to slaves; a 50 MB mesh file need not
        // stay in memory through the render.
        parsed.files = Vec::new();
        parsed.data = Vec::new();
    }
    if opts.console.warnings || opts.console.debug {
        for m in &parsed.messages {
            // #debug text carries its own line ends, as POV-Ray prints it.
            if m.ends_with('\n') {
                eprint!("{m}");
            } else {
                eprintln!("{m}");
            }
        }
    }
    let (scene, bounding_time) = timed(1, || Scene::build(&parsed.scene));
    let scene = scene.context("cannot render this scene")?;
    let lighting = Lighting::build(&scene).context("cannot render this scene")?;
    save_photon_map(&parsed.scene, &lighting, opts.console.warnings);
    if stats_on {
        let (finite, infinite) = scene.finite_and_infinite();
        let counts = SceneCounts {
            finite,
            infinite,
            lights: scene.lights.len(),
        };
        eprint!("{}", report::parser(counts, &parse_time, &bounding_time));
        eprint!("{}", report::render_options(opts));
        eprint!("{}", report::phase("Rendering"));
    }
    let output = match opts.output_spec(frame.frame_number) {
        Some(spec) => image_out::open_output(&spec)?,
        None => Output::none(opts.rows().0),
    };
    let (stats, trace_time) = if opts.pvm.enabled {
        // Scene errors were reported above, once, before any slave starts.
        let (r, mut t) = timed(0, || {
            raytracer::distributed::render(opts, &parsed, &parse_opts, output)
        });
        let r = r?;
        t.threads = r.slaves;
        (r.stats, t)
    } else {
        render_locally(&scene, &lighting, opts, output)?
    };
    if opts.console.render {
        let area = u64::from(opts.width) * u64::from(opts.height);
        let done = stats.pixels.min(area);
        eprintln!(
            "Rendered {done} of {area} pixels ({}%)",
            (done * 100).checked_div(area).unwrap_or(100)
        );
    }
    if stats_on {
        let max_level = scene.settings.max_trace_level;
        eprint!("{}", stats.summary(opts.width, opts.height, max_level));
        let media = lighting.media_photons();
        let photons = lighting.photons().or(media);
        if let Some(m) = photons {
            let stored = lighting.photons().map_or(0, |s| s.len());
            let in_media = media.map_or(0, |s| s.len());
            eprint!("{}", report::photon_counts(m.shot, stored, in_media));
        }
        let photon_time = photons.map(|m| report::Timed {
            wall: m.build_time,
            cpu: m.build_time,
            threads: 1,
        });
        eprint!("{}", report::render_time(&trace_time, photon_time.as_ref()));
        if opts.verbose {
            // Not in POV-Ray's report; benches read it (shadow rays included).
            let secs = trace_time.wall.as_secs_f64().max(1e-9);
            eprintln!(
                "  Speed: {:.0} rays/second",
                stats.total_rays() as f64 / secs
            );
        }
    }
    Ok(())
}

/// `photons { save_file }`: the map just built is written, here only (a
/// local render or the master; slaves build theirs and never write). As in
/// POV-Ray, a map that cannot be saved is a warning, not the render's end.
fn save_photon_map(desc: &raytracer::desc::SceneDesc, lighting: &Lighting, warn: bool) {
    let file = desc.global.photons.as_ref().and_then(|p| p.file.as_ref());
    let Some(raytracer::desc::PhotonFile::Save(name)) = file else {
        return;
    };
    let problem = match render::photons::saved_maps(lighting) {
        None => Some("there are no photons".to_string()),
        Some(bytes) => std::fs::write(name, bytes).err().map(|e| e.to_string()),
    };
    if let Some(why) = problem.filter(|_| warn) {
        eprintln!("prender: warning: could not save the photon map to '{name}': {why}");
    }
}

fn render_locally(
    scene: &Scene,
    lighting: &Lighting,
    opts: &Options,
    output: Output,
) -> Result<(Stats, Timed)> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().context("cannot start worker threads")?;
    let threads = pool.current_num_threads();
    let (stats, t) = timed(threads, || {
        pool.install(|| render_to(scene, lighting, opts, output))
    });
    Ok((stats?, t))
}

fn render_to(scene: &Scene, lighting: &Lighting, opts: &Options, output: Output) -> Result<Stats> {
    let cols = opts.columns();
    let ropts = RenderOptions {
        width: opts.width,
        height: opts.height,
        antialias: opts.antialias(),
    };
    let encoder = Encoder::for_gamma(scene.settings.working_gamma());
    let Output {
        mut writer,
        first_row,
    } = output;
    let rows = (first_row, opts.rows().1);
    let progress = progress_bar(u64::from(rows.1 - rows.0), opts.console.render);
    let black = vec![DVec3::ZERO; opts.width as usize];
    let mut result: Result<()> = Ok(());
    let stats = render::render_rows(scene, lighting, &ropts, cols, rows, |block| {
        progress.inc(u64::from(block.rect.height()));
        let (Some(w), Ok(())) = (writer.as_mut(), &result) else {
            return;
        };
        let mut row = black.clone();
        for line in block.pixels.chunks(block.rect.width().max(1) as usize) {
            let x0 = block.rect.x0 as usize;
            row[x0..x0 + line.len()].copy_from_slice(line);
            if let Err(e) = w.write_colours(&row, &encoder) {
                result = Err(e.into());
                return;
            }
        }
    });
    progress.finish_and_clear();
    result?;
    if let Some(w) = writer {
        w.finish()?;
    }
    Ok(stats)
}

/// A progress bar on a terminal, nothing otherwise (a log gets the summary line).
fn progress_bar(rows: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(rows), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} rows, eta {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
