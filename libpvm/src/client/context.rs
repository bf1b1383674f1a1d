//! Message contexts: newcontext, setcontext, freecontext, getcontext.
//!
//! A context partitions message space: a message sent in one context is received only
//! by a receive made in the same one. pvmd hands out contexts so they are unique in the
//! virtual machine; the current one is per task and starts at `PvmBaseContext` (0).

use std::sync::atomic::Ordering;

use super::tasks::unexpected;
use super::Pvm;
use crate::error::{PvmError, Result};
use crate::proto::{Reply, Request};

impl Pvm {
    /// `pvm_newcontext`: a context unique in the virtual machine.
    pub fn newcontext(&self) -> Result<i32> {
        match self.session()?.conn.request(Request::NewContext {})? {
            Reply::Value { value } if value > 0 => Ok(value),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_setcontext`: makes `ctx` current and returns the previous one.
    pub fn setcontext(&self, ctx: i32) -> Result<i32> {
        if ctx < 0 {
            return Err(PvmError::BadParam);
        }
        Ok(self.shared.context.swap(ctx, Ordering::SeqCst))
    }

    /// `pvm_freecontext`: gives a context from `newcontext` back.
    pub fn freecontext(&self, ctx: i32) -> Result<()> {
        if ctx <= 0 {
            return Err(PvmError::BadParam);
        }
        self.session()?.conn.request(Request::FreeContext { ctx })?;
        Ok(())
    }
}
