//! libpvm: what a PVM task links.
//!
//! The wire protocol between tasks and pvmd, PVM's pack/unpack buffers, task ids,
//! PVM's error codes, and the blocking client API with PVM 3.4's vocabulary.

pub mod client;
pub mod constants;
pub mod error;
pub mod pack;
pub mod proto;
pub mod tid;

pub use client::{global, Pvm};
pub use error::{PvmError, Result};
pub use tid::Tid;
