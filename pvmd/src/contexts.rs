//! Message contexts in use (`pvm_newcontext`, `pvm_freecontext`), kept by the master.

use std::collections::BTreeSet;

use pvm::error::PvmError;

/// The contexts handed out and not freed.
#[derive(Debug)]
pub struct Contexts {
    used: BTreeSet<i32>,
    next: i32,
}

impl Default for Contexts {
    fn default() -> Contexts {
        Contexts {
            used: BTreeSet::new(),
            next: 1,
        }
    }
}

impl Contexts {
    /// A context nobody holds, counting up from 1 and wrapping; PvmOutOfRes if every
    /// positive context is held.
    pub fn allocate(&mut self) -> Result<i32, PvmError> {
        for _ in 0..i32::MAX {
            let ctx = self.next;
            self.next = if ctx == i32::MAX { 1 } else { ctx + 1 };
            if self.used.insert(ctx) {
                return Ok(ctx);
            }
        }
        Err(PvmError::OutOfRes)
    }

    /// Frees `ctx`; PvmBadParam if it was not handed out.
    pub fn free(&mut self, ctx: i32) -> Result<(), PvmError> {
        if self.used.remove(&ctx) {
            Ok(())
        } else {
            Err(PvmError::BadParam)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_count_up_and_free_once() {
        let mut c = Contexts::default();
        assert_eq!(c.allocate(), Ok(1));
        assert_eq!(c.allocate(), Ok(2));
        assert_eq!(c.free(1), Ok(()));
        assert_eq!(c.free(1), Err(PvmError::BadParam));
        assert_eq!(c.allocate(), Ok(3));
    }
}
