//! libpvm: what a PVM task links.
//!
//! The wire protocol between tasks and pvmd ([`proto`]), PVM's pack/unpack buffers
//! ([`pack`]), task ids ([`tid`]), PVM's error codes ([`error`]) and constants
//! ([`constants`]), and the blocking client API with PVM 3.4's vocabulary ([`client`]).
//!
//! A task is a [`Pvm`] handle: it joins the virtual machine on first use, and every
//! call is the PVM call of the same name, returning a [`Result`] with [`PvmError`]:
//!
//! ```no_run
//! use pvm::constants::{PvmDataDefault, PvmTaskDefault};
//! use pvm::Pvm;
//!
//! # fn main() -> pvm::Result<()> {
//! let pvm = Pvm::new();
//! println!("i'm {}", pvm.mytid()?);
//! let workers = pvm.spawn("worker", &[], PvmTaskDefault, "", 4)?;
//! pvm.initsend(PvmDataDefault)?;
//! pvm.pack(&42i32)?.pack("work")?;
//! pvm.mcast(&workers.tids().collect::<Vec<_>>(), 1)?;
//! for _ in 0..workers.started() {
//!     pvm.recv(-1, 2)?;                  // any sender, tag 2
//!     let answer: f64 = pvm.unpack()?;
//!     println!("{answer}");
//! }
//! pvm.exit()
//! # }
//! ```
//!
//! [`global`] is the process-wide handle the C ABI (`libpvm3`) wraps.

pub mod client;
pub mod constants;
pub mod daemon;
pub mod error;
pub mod pack;
pub mod proto;
pub mod shm;
pub mod tid;
pub mod trace;

pub use client::{global, Pvm};
pub use error::{PvmError, Result};
pub use tid::Tid;
