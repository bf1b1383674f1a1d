//! `min_extent(Object)` and `max_extent(Object)`: the corners of an object's
//! bounding box, which scenes use to centre and align text.
//!
//! The box is the one the renderer bounds the object by, so the description is
//! built into render objects here: the parser would otherwise need a second copy of
//! every shape's bounds.

use glam::DVec3;

use super::error::Result;
use super::parser::{PTok, Parser};
use super::value::{Num, Value};
use crate::pattern::NoiseGenerator;
use crate::scene::build::build_objects;

/// What POV-Ray reports for an unbounded object (half its `BOUND_HUGE`).
const UNBOUNDED: f64 = 1e10;

impl Parser<'_> {
    /// Evaluates `min_extent` / `max_extent` (name already read).
    pub(crate) fn extent(&mut self, w: &str, t: &PTok) -> Result<Num> {
        self.expect("(")?;
        let name = self.raw_ident("an object identifier")?;
        self.expect(")")?;
        let object = match self.lookup(&name) {
            Some(Value::Item(i)) => i.object.clone(),
            _ => return Err(self.err_at(t, format!("{w}: '{name}' is not an object"))),
        };
        let bounds = object.and_then(|o| {
            build_objects(std::slice::from_ref(&o), NoiseGenerator::default())
                .ok()
                .and_then(|objs| {
                    objs.iter()
                        .filter_map(|o| o.bounds)
                        .reduce(|a, b| a.union(&b))
                })
        });
        let (min, max) = match bounds {
            Some(b) if b.is_finite() => (b.min, b.max),
            _ => (DVec3::splat(-UNBOUNDED), DVec3::splat(UNBOUNDED)),
        };
        let v = if w == "min_extent" { min } else { max };
        Ok(Num::vec3(v))
    }
}
