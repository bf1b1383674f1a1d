//! `povray-samples`: renders POV-Ray 3.7's sample scenes with POV-Ray and with
//! prender at the same options and prints a row per scene (renders?, PSNR, SSIM,
//! time ratio, prender's first message) and the acceptance summary.
//!
//! POV-Ray's renders are cached (`--cache`), so a second run costs only prender's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Parser;
use render_oracle::samples::{self, Row, Settings, Summary};

#[derive(Parser, Debug)]
#[command(
    about = "Render POV-Ray 3.7's sample scenes with POV-Ray and prender and compare them",
    after_help = "Rows go to stdout as a table; progress goes to stderr."
)]
struct Args {
    /// The sample scenes (Debian's povray-examples).
    #[arg(long, default_value = samples::SAMPLE_SCENES)]
    scenes: PathBuf,
    /// POV-Ray's include directory, the first library path of both renderers.
    #[arg(long, default_value = samples::POVRAY_INCLUDE)]
    include: PathBuf,
    /// The prender binary (default: the one beside this program).
    #[arg(long)]
    prender: Option<PathBuf>,
    /// The POV-Ray binary.
    #[arg(long, default_value = "povray")]
    povray: PathBuf,
    /// Image size, WIDTHxHEIGHT.
    #[arg(long, default_value = "160x120", value_parser = parse_size)]
    size: (u32, u32),
    /// Seconds a render may take before it is killed.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Scenes rendered at once.
    #[arg(long, short, default_value_t = 2)]
    jobs: usize,
    /// Where POV-Ray's renders are cached and prender's are written.
    #[arg(long, default_value = "target/povray-samples")]
    cache: PathBuf,
    /// Only scenes whose path contains one of these (repeatable).
    #[arg(long)]
    filter: Vec<String>,
    /// Print only the rows of scenes that do not match.
    #[arg(long)]
    misses_only: bool,
    /// Also write the rows as tab-separated values here.
    #[arg(long)]
    tsv: Option<PathBuf>,
    /// Write the list of scenes that do not match, one line each with the reason
    /// (Markdown), here.
    #[arg(long)]
    misses: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once('x')
        .ok_or_else(|| format!("'{s}' is not WIDTHxHEIGHT"))?;
    let parse = |v: &str| {
        v.parse::<u32>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("'{v}' in '{s}' is not a positive size"))
    };
    Ok((parse(w)?, parse(h)?))
}

fn main() -> Result<()> {
    let args = Args::parse();
    let prender = match &args.prender {
        Some(p) => p.clone(),
        None => std::env::current_exe()
            .context("cannot locate this program")?
            .with_file_name("prender"),
    };
    if !prender.is_file() {
        bail!(
            "no prender at {}: build it (cargo build --release -p raytracer) or name it with --prender",
            prender.display()
        );
    }
    let prender = prender.canonicalize().context("prender's path")?;
    let root = args.scenes.canonicalize().with_context(|| {
        format!(
            "no sample scenes at {}: install Debian's povray-examples",
            args.scenes.display()
        )
    })?;
    let cache = absolute(&args.cache)?;
    let settings = Settings {
        width: args.size.0,
        height: args.size.1,
        timeout: Duration::from_secs(args.timeout),
        include: args.include.clone(),
    };
    let scenes: Vec<PathBuf> = samples::discover(&root)?
        .into_iter()
        .filter(|s| {
            args.filter.is_empty()
                || args
                    .filter
                    .iter()
                    .any(|f| s.to_string_lossy().contains(f.as_str()))
        })
        .collect();
    if scenes.is_empty() {
        bail!("no scene under {} matches the filters", root.display());
    }

    let rows = render_all(&args, &settings, &root, &cache, &prender, &scenes)?;

    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", samples::header())?;
    for row in rows.iter().filter(|r| !args.misses_only || !r.matches()) {
        writeln!(out, "{row}")?;
    }
    writeln!(
        out,
        "\n{}x{}, no anti-aliasing, one thread, {} s limit per render\n",
        settings.width, settings.height, args.timeout
    )?;
    writeln!(out, "{}", Summary::of(&rows))?;
    if let Some(path) = &args.tsv {
        write_tsv(path, &rows)?;
    }
    if let Some(path) = &args.misses {
        write_misses(path, &rows, &settings)?;
    }
    Ok(())
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))?;
    path.canonicalize()
        .with_context(|| format!("cannot resolve {}", path.display()))
}

/// Renders every scene with both renderers, `--jobs` scenes at a time.
fn render_all(
    args: &Args,
    settings: &Settings,
    root: &Path,
    cache: &Path,
    prender: &Path,
    scenes: &[PathBuf],
) -> Result<Vec<Row>> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let rows = Mutex::new(Vec::with_capacity(scenes.len()));
    let first_error = Mutex::new(None);
    let work = cache.join("prender");
    std::thread::scope(|s| {
        for _ in 0..args.jobs.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(scene) = scenes.get(i) else { break };
                let row = samples::povray_cached(&args.povray, settings, root, scene, cache)
                    .and_then(|theirs| {
                        let dir = work
                            .join(format!("{}x{}", settings.width, settings.height))
                            .join(scene);
                        let ours = samples::prender(prender, settings, root, scene, &dir)?;
                        Ok(Row::new(scene.clone(), theirs, ours))
                    });
                match row {
                    Ok(row) => {
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        eprintln!("[{n}/{}] {}", scenes.len(), row.scene.display());
                        rows.lock().unwrap_or_else(|e| e.into_inner()).push(row);
                    }
                    Err(e) => {
                        first_error
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .get_or_insert(e);
                        break;
                    }
                }
            });
        }
    });
    if let Some(e) = first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e.into());
    }
    let mut rows = rows.into_inner().unwrap_or_else(|e| e.into_inner());
    rows.sort_by(|a, b| a.scene.cmp(&b.scene));
    Ok(rows)
}

fn write_tsv(path: &Path, rows: &[Row]) -> Result<()> {
    let mut text =
        String::from("scene\tpovray\tpovray_s\tprender\tprender_s\tpsnr\tssim\treason\n");
    for r in rows {
        text.push_str(&format!(
            "{}\t{:?}\t{:.3}\t{:?}\t{:.3}\t{}\t{}\t{}\n",
            r.scene.display(),
            r.povray.outcome,
            r.povray.seconds,
            r.prender.outcome,
            r.prender.seconds,
            r.psnr.map_or("-".into(), |p| format!("{p:.2}")),
            r.ssim.map_or("-".into(), |s| format!("{s:.4}")),
            r.reason().replace('\t', " ")
        ));
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn write_misses(path: &Path, rows: &[Row], settings: &Settings) -> Result<()> {
    use render_oracle::samples::Outcome;
    let mut text = format!(
        "# POV-Ray sample scenes prender does not match yet\n\n\
         Written by `benches/povray-samples/run.sh` ({}x{}, no anti-aliasing, one thread): \
         every scene POV-Ray 3.7 renders whose prender image is below {} dB PSNR, with \
         prender's first warning or error, or the score when it said nothing.\n\n",
        settings.width,
        settings.height,
        samples::PSNR_BAR
    );
    for r in rows
        .iter()
        .filter(|r| r.povray.outcome == Outcome::Rendered && !r.matches())
    {
        text.push_str(&format!("- `{}`: {}\n", r.scene.display(), r.reason()));
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
