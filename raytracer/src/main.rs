//! `prender`: renders a POV-Ray scene file to a TGA or PNG image, with POV-Ray's
//! command-line options (see `prender --help`).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use raytracer::cli::{Options, USAGE};
use raytracer::image_out::{self, Encoder, Output};
use raytracer::render::{self, RenderOptions};
use raytracer::scene::Scene;
use raytracer::sdl::{self, ParseOptions};

fn main() -> ExitCode {
    if raytracer::distributed::is_slave_invocation() {
        return match raytracer::distributed::slave_main() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("prender slave: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PRENDER_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .init();
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
    for w in &opts.warnings {
        eprintln!("prender: warning: {w}");
    }
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("prender: {e:#}");
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
    let parse_opts = ParseOptions {
        include_paths: opts
            .library_paths
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        image_width: opts.width,
        image_height: opts.height,
        ..ParseOptions::default()
    };
    let parsed = sdl::parse_file(&input.display().to_string(), &parse_opts)?;
    for m in &parsed.messages {
        // #debug text carries its own line ends, as POV-Ray prints it.
        if m.ends_with('\n') {
            eprint!("{m}");
        } else {
            eprintln!("{m}");
        }
    }
    let scene = Scene::build(&parsed.scene).context("cannot render this scene")?;
    if opts.pvm.enabled {
        // Scene errors were reported above, once, before any slave starts.
        return raytracer::distributed::render(opts, &parsed, &parse_opts);
    }
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().context("cannot start worker threads")?;
    pool.install(|| render_to_file(&scene, opts))
}

fn render_to_file(scene: &Scene, opts: &Options) -> Result<()> {
    let (cols, rows) = (opts.columns(), opts.rows());
    let ropts = RenderOptions {
        width: opts.width,
        height: opts.height,
        antialias: opts.antialias(),
    };
    let encoder = Encoder::new(scene.settings.effective_gamma());
    let Output {
        mut writer,
        first_row,
    } = image_out::open_output(opts)?;
    let rows = (first_row, rows.1);
    let progress = progress_bar(u64::from(rows.1 - rows.0));
    let black = vec![[0u8; 3]; opts.width as usize];
    let start = Instant::now();
    let mut result: Result<()> = Ok(());
    let stats = render::render_rows(scene, &ropts, cols, rows, |block| {
        progress.inc(u64::from(block.rect.height()));
        let (Some(w), Ok(())) = (writer.as_mut(), &result) else {
            return;
        };
        let mut row = black.clone();
        for line in block.pixels.chunks(block.rect.width().max(1) as usize) {
            for (i, c) in line.iter().enumerate() {
                row[block.rect.x0 as usize + i] = encoder.encode(*c);
            }
            if let Err(e) = w.write_row(&row) {
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
    if opts.verbose {
        eprint!(
            "{}",
            stats.summary(opts.width, opts.height, start.elapsed())
        );
    }
    Ok(())
}

/// A progress bar on a terminal, nothing otherwise.
fn progress_bar(rows: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
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
