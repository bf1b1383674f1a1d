//! The sender's segments: a few, reused as soon as their receivers are done.

use std::sync::{Arc, Mutex};

use tracing::debug;

use super::mapping::{Mapping, HEADER};

/// How many segments a process keeps at most.
pub const SEGMENTS: usize = 8;
/// The smallest segment made; larger ones are powers of two, so a stream of bodies
/// of slightly different sizes fits the same segments.
const SMALLEST: usize = 128 * 1024;

/// A set of segments owned by one process.
#[derive(Default)]
pub struct Pool {
    segments: Mutex<Vec<Arc<Mapping>>>,
}

/// The process's pool.
static POOL: Pool = Pool {
    segments: Mutex::new(Vec::new()),
};

/// Copies `body` into a free segment of the process's pool (see [`Pool::stage`]).
pub fn stage(body: &[u8]) -> Option<(Arc<Mapping>, usize)> {
    POOL.stage(body)
}

impl Pool {
    /// Copies `body` into a free segment, claimed for one message, and says where.
    /// `None` when all [`SEGMENTS`] are in use (or no segment can be made).
    pub fn stage(&self, body: &[u8]) -> Option<(Arc<Mapping>, usize)> {
        let need = HEADER + body.len();
        let map = {
            let mut segments = self.segments.lock().unwrap_or_else(|p| p.into_inner());
            match segments.iter().find(|m| m.len() >= need && m.try_claim()) {
                Some(m) => Arc::clone(m),
                None => {
                    if segments.len() >= SEGMENTS {
                        // A free segment too small for this body makes room; a busy
                        // one stays, as its receiver will give it back.
                        let small = segments.iter().position(|m| m.is_free())?;
                        segments.swap_remove(small);
                    }
                    let map = match Mapping::create(need.next_power_of_two().max(SMALLEST)) {
                        Ok(m) => Arc::new(m),
                        Err(e) => {
                            debug!("no shared segment: {e}");
                            return None;
                        }
                    };
                    if !map.try_claim() {
                        return None;
                    }
                    segments.push(Arc::clone(&map));
                    map
                }
            }
        };
        map.write(HEADER, body);
        Some((map, HEADER))
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.segments
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }
}
