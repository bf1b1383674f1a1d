//! pvmd's tests use the workspace's one harness (`pvm-harness`): a private virtual
//! machine per test. Use from a test file: `mod common; use common::{Vm, Raw};`.

// Each test file uses a different part of the harness.
#![allow(unused_imports)]

pub use pvm_harness::*;
