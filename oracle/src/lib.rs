//! Compares prender with POV-Ray 3.7, the oracle it is measured against.
//!
//! - [`image`]: images as the comparisons see them (8-bit RGB), loaded by content.
//! - [`metrics`]: PSNR and SSIM, the scores the acceptance bars are set in.
//! - [`child`]: running a renderer with a deadline, killed and reaped if it overruns
//!   or the caller goes away.
//! - [`samples`]: POV-Ray's own sample scenes rendered by both, scored, tallied: the
//!   acceptance table of the renderer (`povray-samples`) and its CI subset.
//!
//! Nothing here is POV-Ray's: the oracle's binary and its scenes are installed
//! (Debian's `povray`, `povray-includes`, `povray-examples`) and run at test time.

pub mod child;
pub mod image;
pub mod metrics;
pub mod samples;

use std::path::PathBuf;

/// What can go wrong comparing two renders.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read image {}: {source}", path.display())]
    ReadImage {
        path: PathBuf,
        #[source]
        source: ::image::ImageError,
    },
    #[error("cannot write {}: {source}", path.display())]
    WriteImage {
        path: PathBuf,
        #[source]
        source: ::image::ImageError,
    },
    #[error("image sizes differ: {}x{} against {}x{}", ours.0, ours.1, theirs.0, theirs.1)]
    SizeMismatch {
        ours: (u32, u32),
        theirs: (u32, u32),
    },
    #[error("cannot score an empty image")]
    EmptyImage,
    #[error("crop {rect} is outside a {width}x{height} image")]
    Crop {
        rect: String,
        width: u32,
        height: u32,
    },
    #[error("cannot start {program}: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot wait for {program}: {source}")]
    Wait {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}
