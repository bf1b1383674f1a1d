//! Questions a scene asks about an object while it is parsed: `min_extent`,
//! `max_extent`, `trace` and `inside`.
//!
//! They need the object in render form, so the object's description is built with
//! [`crate::scene::build::build_objects`], exactly as the renderer will build it:
//! `trace` then hits the same surface the image shows. The last object built is
//! kept, since scenes usually probe one object many times in a loop (planting
//! along a surface, say).

use super::error::Result;
use super::lexer::Tok;
use super::parser::{PTok, Parser};
use super::value::{Num, Value};
use crate::desc;
use crate::pattern::NoiseGenerator;
use crate::scene::{self, Aabb, Ray, RayInv};
use crate::stats::Stats;
use glam::DVec3;

/// POV-Ray's bounding box of an unbounded object: ±BOUND_HUGE/2 on every axis.
const UNBOUNDED_EXTENT: f64 = 1e10;

/// The object last built for a query, and what it was built from.
#[derive(Default)]
pub(crate) struct ProbeCache {
    built: Option<(desc::Object, Vec<scene::Object>)>,
    /// Objects already warned about (a loop probes the same one many times).
    warned: std::collections::HashSet<String>,
}

impl std::fmt::Debug for ProbeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProbeCache")
    }
}

impl Parser<'_> {
    /// Evaluates object query `w` (its name read), or None if `w` is not one.
    pub(crate) fn object_query(&mut self, w: &str, t: &PTok) -> Result<Option<Num>> {
        let r = match w {
            "min_extent" | "max_extent" => {
                self.expect("(")?;
                let b = extent(self.probed_object(t)?);
                self.expect(")")?;
                Num::vec3(if w == "min_extent" { b.min } else { b.max })
            }
            "trace" => self.trace_query(t)?,
            "inside" => {
                self.expect("(")?;
                self.probed_object(t)?;
                self.comma()?;
                let p = self.vector_expr()?;
                self.expect(")")?;
                let inside = self.cached_objects().iter().any(|o| o.inside(p));
                Num::float(f64::from(u8::from(inside)))
            }
            _ => return Ok(None),
        };
        Ok(Some(r))
    }

    /// `trace(Object, Start, Direction [, NormalVariable])`: the nearest hit along
    /// the ray, or `<0,0,0>` (and a zero normal) if there is none.
    fn trace_query(&mut self, t: &PTok) -> Result<Num> {
        self.expect("(")?;
        self.probed_object(t)?;
        self.comma()?;
        let origin = self.vector_expr()?;
        self.comma()?;
        let dir = self.vector_expr()?.normalize_or_zero();
        let (point, normal) = trace(self.cached_objects(), origin, dir);
        self.comma()?;
        if let Some(Tok::Word(var)) = self.peek_raw()? {
            self.raw_next()?;
            self.bind(&var, Value::Num(Num::vec3(normal)), false);
        }
        self.expect(")")?;
        Ok(Num::vec3(point))
    }

    /// Reads an object identifier and builds it (or reuses the last build).
    fn probed_object(&mut self, t: &PTok) -> Result<&[scene::Object]> {
        let arg = self.need("an object identifier")?;
        let object = match &arg.tok {
            Tok::Word(w) => match self.lookup(w) {
                Some(Value::Item(item)) => Some(item.object.clone()),
                _ => None,
            },
            _ => None,
        };
        let name = t.tok.describe();
        let object = match object {
            Some(Some(o)) => o,
            Some(None) => return Ok(self.no_geometry(&arg, &name)),
            None => {
                return Err(self.expected(&format!("an object identifier in {name}"), Some(&arg)))
            }
        };
        let fresh = !matches!(&self.probe.built, Some((o, _)) if *o == object);
        if fresh {
            let built = scene::build::build_objects(
                std::slice::from_ref(&object),
                NoiseGenerator::default(),
            )
            .map_err(|e| self.err_at(&arg, format!("cannot build the object to probe: {e}")))?;
            self.probe.built = Some((object, built));
        }
        Ok(self.cached_objects())
    }

    /// An object whose shapes were all left out (unsupported, with a warning when
    /// declared): the query answers as for an empty object, warned once per name.
    fn no_geometry(&mut self, arg: &PTok, query: &str) -> &[scene::Object] {
        let what = arg.tok.describe();
        if self.probe.warned.insert(what.clone()) {
            let here = self.loc_of(arg);
            self.warn(format!(
                "{here}: {query} of {what}: its shape is not supported, so it answers as for \
                 an empty object"
            ));
        }
        self.probe.built = None;
        &[]
    }

    fn cached_objects(&self) -> &[scene::Object] {
        self.probe.built.as_ref().map_or(&[], |(_, b)| b.as_slice())
    }
}

/// The bounding box of built objects; unbounded ones give POV-Ray's huge box.
fn extent(objs: &[scene::Object]) -> Aabb {
    let huge = Aabb {
        min: DVec3::splat(-UNBOUNDED_EXTENT),
        max: DVec3::splat(UNBOUNDED_EXTENT),
    };
    let mut acc: Option<Aabb> = None;
    for o in objs {
        let b = match o.bounds.filter(Aabb::is_finite) {
            Some(b) => b,
            None => return huge,
        };
        acc = Some(match acc {
            Some(a) => Aabb {
                min: a.min.min(b.min),
                max: a.max.max(b.max),
            },
            None => b,
        });
    }
    acc.unwrap_or(Aabb {
        min: DVec3::ZERO,
        max: DVec3::ZERO,
    })
}

/// The nearest hit of a ray on built objects: point and normal (flipped for an
/// inverse primitive, as POV-Ray does), or zeros for a miss.
fn trace(objs: &[scene::Object], origin: DVec3, dir: DVec3) -> (DVec3, DVec3) {
    if dir == DVec3::ZERO {
        return (DVec3::ZERO, DVec3::ZERO);
    }
    let ray = Ray::new(origin, dir);
    let rinv = RayInv::new(&ray);
    let mut stats = Stats::default();
    let mut scratch = Vec::new();
    let mut best: Option<(f64, DVec3, DVec3)> = None;
    for o in objs {
        let t_max = best.map_or(f64::INFINITY, |b| b.0);
        if let Some(h) = o.nearest(&ray, &rinv, t_max, &mut scratch, &mut stats) {
            let p = ray.at(h.t);
            let n = h.object.normal(p, h.part);
            let n = if h.object.inverse { -n } else { n };
            best = Some((h.t, p, n));
        }
    }
    best.map_or((DVec3::ZERO, DVec3::ZERO), |(_, p, n)| (p, n))
}
