//! `image-compare`: PSNR and SSIM of two images of the same size (any format
//! the `image` crate reads), as the sample-scene table measures them; with
//! `--diff`, also writes the per-pixel difference.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;
use render_oracle::image::Rgb8;
use render_oracle::metrics::{psnr, ssim};

#[derive(Parser, Debug)]
#[command(about = "Print the PSNR (dB) and SSIM of two images of the same size")]
struct Args {
    /// The reference image (POV-Ray's render, say).
    reference: PathBuf,
    /// The image compared with it.
    image: PathBuf,
    /// Also write the absolute per-channel difference here (PNG).
    #[arg(long)]
    diff: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let load =
        |p: &PathBuf| Rgb8::load(p).with_context(|| format!("cannot read '{}'", p.display()));
    let (a, b) = (load(&args.reference)?, load(&args.image)?);
    let p = psnr(&a, &b).context("cannot compare the images")?;
    let s = ssim(&a, &b).context("cannot compare the images")?;
    println!("PSNR {p:.2} dB  SSIM {s:.4}");
    if let Some(path) = &args.diff {
        a.diff(&b)?
            .save_png(path)
            .with_context(|| format!("cannot write '{}'", path.display()))?;
    }
    Ok(())
}
