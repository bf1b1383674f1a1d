//! The console's tests use the workspace's one harness (`pvm-harness`): a private
//! virtual machine per test, the real `pvmd` in it.

// Each test file uses a different part of the harness.
#![allow(unused_imports)]

pub use pvm_harness::*;
